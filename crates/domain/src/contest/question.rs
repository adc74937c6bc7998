//! The question bank (ngân hàng câu hỏi): multiple-choice questions with one correct option.

use serde::{Deserialize, Serialize};

use super::ContestError;
use crate::text;

/// Fewest options a question may have.
pub const MIN_OPTIONS: usize = 3;
/// Most options a question may have (A–D).
pub const MAX_OPTIONS: usize = 4;
/// Highest difficulty level (1 = dễ … 5 = rất khó).
pub const MAX_DIFFICULTY: u8 = 5;
/// Longest question or option text, in characters, to keep pages and payloads bounded.
pub const MAX_TEXT_CHARS: usize = 2_000;

/// One answer option (phương án) of a stored question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionOption {
    pub id: i64,
    pub text: String,
}

/// A stored question with its answer key. Never send this type to a contestant: use
/// [`super::public_questions`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub id: i64,
    pub text: String,
    pub options: Vec<QuestionOption>,
    /// Id of the correct option (đáp án).
    pub correct_option: i64,
    /// Chủ đề, for stratified draws and statistics.
    #[serde(default)]
    pub topic: Option<String>,
    /// Độ khó, 1 (dễ) to 5.
    #[serde(default)]
    pub difficulty: Option<u8>,
}

/// A question read from an import, before storage gives it ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewQuestion {
    pub text: String,
    /// Option texts in A, B, C, D order.
    pub options: Vec<String>,
    /// Index of the correct option in `options` (0 = A).
    pub correct: usize,
    #[serde(default)]
    pub topic: Option<String>,
    #[serde(default)]
    pub difficulty: Option<u8>,
}

impl NewQuestion {
    /// Gives the question and its options ids, e.g. from database sequences.
    pub fn into_question(self, id: i64, mut next_option_id: impl FnMut() -> i64) -> Question {
        let options: Vec<QuestionOption> = self
            .options
            .into_iter()
            .map(|text| QuestionOption {
                id: next_option_id(),
                text,
            })
            .collect();
        let correct_option = options.get(self.correct).map_or(i64::MIN, |o| o.id);
        Question {
            id,
            text: self.text,
            options,
            correct_option,
            topic: self.topic,
            difficulty: self.difficulty,
        }
    }
}

/// Checks the rules of a bank question: a non-empty text, 3–4 non-empty and distinct options,
/// distinct option ids, exactly one correct option that is one of them, difficulty 1–5.
pub fn validate_question(q: &Question) -> Result<(), ContestError> {
    let texts: Vec<&str> = q.options.iter().map(|o| o.text.as_str()).collect();
    let correct: Vec<usize> = q
        .options
        .iter()
        .enumerate()
        .filter(|(_, o)| o.id == q.correct_option)
        .map(|(i, _)| i)
        .collect();
    let check = || -> Result<(), String> {
        for (i, o) in q.options.iter().enumerate() {
            if q.options[..i].iter().any(|p| p.id == o.id) {
                return Err(format!("mã phương án {} bị trùng", o.id));
            }
        }
        let correct = match correct.as_slice() {
            [one] => *one,
            [] => return Err("đáp án đúng không nằm trong các phương án".into()),
            _ => return Err("có nhiều hơn một đáp án đúng".into()),
        };
        check_parts(&q.text, &texts, correct, q.topic.as_deref(), q.difficulty)
    };
    check().map_err(|reason| ContestError::InvalidQuestion {
        question_id: q.id,
        reason,
    })
}

/// The rules shared by stored and imported questions; the message is Vietnamese.
pub(crate) fn check_parts(
    text: &str,
    options: &[&str],
    correct: usize,
    topic: Option<&str>,
    difficulty: Option<u8>,
) -> Result<(), String> {
    if text.trim().is_empty() {
        return Err("nội dung câu hỏi đang trống".into());
    }
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(format!("nội dung câu hỏi dài quá {MAX_TEXT_CHARS} ký tự"));
    }
    if !(MIN_OPTIONS..=MAX_OPTIONS).contains(&options.len()) {
        return Err(format!(
            "câu hỏi phải có từ {MIN_OPTIONS} đến {MAX_OPTIONS} phương án (đang có {})",
            options.len()
        ));
    }
    let mut seen: Vec<String> = Vec::with_capacity(options.len());
    for (i, o) in options.iter().enumerate() {
        let letter = option_letter(i);
        if o.trim().is_empty() {
            return Err(format!("phương án {letter} đang trống"));
        }
        if o.chars().count() > MAX_TEXT_CHARS {
            return Err(format!("phương án {letter} dài quá {MAX_TEXT_CHARS} ký tự"));
        }
        let key = comparable(o);
        if let Some(j) = seen.iter().position(|s| *s == key) {
            return Err(format!(
                "phương án {letter} trùng nội dung với phương án {}",
                option_letter(j)
            ));
        }
        seen.push(key);
    }
    if correct >= options.len() {
        return Err("đáp án đúng không nằm trong các phương án".into());
    }
    if topic.is_some_and(|t| t.trim().is_empty()) {
        return Err("chủ đề không được là chuỗi rỗng".into());
    }
    if let Some(d) = difficulty
        && !(1..=MAX_DIFFICULTY).contains(&d)
    {
        return Err(format!(
            "độ khó phải từ 1 đến {MAX_DIFFICULTY} (đang là {d})"
        ));
    }
    Ok(())
}

/// "A", "B", … for option positions in messages and CSV.
pub(crate) fn option_letter(i: usize) -> char {
    char::from(b'A' + (i.min(25) as u8))
}

/// Case- and spacing-insensitive form for spotting duplicate options. Tones are kept on
/// purpose: "bảo" and "bão" are different answers.
fn comparable(s: &str) -> String {
    text::normalize(s)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}
