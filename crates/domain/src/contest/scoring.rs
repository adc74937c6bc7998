//! Chấm điểm: counting correct answers of one attempt.

use serde::{Deserialize, Serialize};

use super::DrawnAttempt;

/// Result of scoring one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Score {
    pub correct: u16,
    /// Questions answered (an option of the question chosen).
    pub answered: u16,
    /// Questions in the attempt.
    pub total: u16,
}

impl Score {
    /// All questions answered correctly.
    pub fn is_perfect(&self) -> bool {
        self.total > 0 && self.correct == self.total
    }
}

/// Scores `answers` (question id, chosen option id) against `drawn`, with `key` giving each
/// question's correct option.
///
/// Autosave sends the same question many times, so the last answer for a question counts.
/// Answers to questions outside the attempt are ignored, and an option id that is not one of
/// the question's options counts as wrong, so a crafted request cannot score.
pub fn score(
    drawn: &DrawnAttempt,
    answers: &[(i64, i64)],
    key: impl Fn(i64) -> Option<i64>,
) -> Score {
    let n = drawn.questions.len();
    let mut chosen: Vec<Option<i64>> = vec![None; n];
    for &(question_id, option_id) in answers {
        if let Some(pos) = drawn
            .questions
            .iter()
            .position(|q| q.question_id == question_id)
        {
            chosen[pos] = Some(option_id);
        }
    }
    let mut correct: u16 = 0;
    let mut answered: u16 = 0;
    for (q, choice) in drawn.questions.iter().zip(&chosen) {
        let Some(option_id) = *choice else { continue };
        if !q.option_order.contains(&option_id) {
            continue;
        }
        answered = answered.saturating_add(1);
        if key(q.question_id) == Some(option_id) {
            correct = correct.saturating_add(1);
        }
    }
    Score {
        correct,
        answered,
        total: u16::try_from(n).unwrap_or(u16::MAX),
    }
}
