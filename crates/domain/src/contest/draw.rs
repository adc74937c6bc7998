//! Drawing one attempt's questions (bốc đề) and the contestant's view of them.
//!
//! A draw is a pure function of the bank, the settings, the questions already seen and a seed,
//! so storing the seed with the attempt is enough to rebuild it. The seed must be unpredictable
//! to contestants (e.g. from the OS RNG), or the draw could be previewed.

use std::collections::HashSet;
use std::hash::BuildHasher;

use serde::{Deserialize, Serialize};

use super::rng::Rng;
use super::{ContestError, Question, RoundSettings};

/// One question of an attempt, with the order its options are shown in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawnQuestion {
    pub question_id: i64,
    pub option_order: Vec<i64>,
}

/// The questions of one attempt, in the order they are shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DrawnAttempt {
    pub questions: Vec<DrawnQuestion>,
}

/// An option as the contestant sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicOption {
    pub id: i64,
    pub text: String,
}

/// A question as the contestant sees it: no answer key, no topic or difficulty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicQuestion {
    pub id: i64,
    pub text: String,
    pub options: Vec<PublicOption>,
}

/// Draws `questions_per_attempt` distinct questions from `bank`, following `settings.stratify`
/// when given, preferring questions whose id is not in `seen` (Moodle MDL-6340), then shuffles
/// the question order and each question's option order.
///
/// Strata are filled in the order given; a question matching two strata goes to the first one
/// that draws it, so list the narrow strata first. Topics match exactly (the importer already
/// normalises them). The bank itself is never cloned: the draw works on indices.
pub fn draw<S: BuildHasher>(
    bank: &[Question],
    settings: &RoundSettings,
    seed: u64,
    seen: &HashSet<i64, S>,
) -> Result<DrawnAttempt, ContestError> {
    let k = usize::from(settings.questions_per_attempt);
    if k == 0 {
        return Err(ContestError::InvalidSettings(
            "số câu hỏi mỗi lượt thi phải từ 1 trở lên".into(),
        ));
    }
    if bank.len() < k {
        return Err(ContestError::BankTooSmall {
            needed: k,
            available: bank.len(),
        });
    }
    let mut rng = Rng::new(seed);
    let mut chosen: Vec<u32> = Vec::with_capacity(k);
    if settings.stratify.is_empty() {
        pick(&mut rng, bank, |_| true, k, seen, &mut chosen);
    } else {
        for stratum in &settings.stratify {
            let need = usize::from(stratum.count);
            let topic = stratum.topic.as_deref().map(str::trim);
            let filter = |q: &Question| {
                topic.is_none_or(|t| q.topic.as_deref().is_some_and(|qt| qt.trim() == t))
                    && stratum.difficulty.is_none_or(|d| q.difficulty == Some(d))
            };
            let got = pick(&mut rng, bank, filter, need, seen, &mut chosen);
            if got < need {
                return Err(ContestError::StratumTooSmall {
                    stratum: stratum.label(),
                    needed: need,
                    available: got,
                });
            }
        }
    }
    // Strata and the unseen-first preference leave the picks grouped; shuffle so position
    // reveals nothing.
    rng.shuffle(&mut chosen);
    let questions = chosen
        .iter()
        .map(|&i| {
            let q = &bank[i as usize];
            let mut option_order: Vec<i64> = q.options.iter().map(|o| o.id).collect();
            rng.shuffle(&mut option_order);
            DrawnQuestion {
                question_id: q.id,
                option_order,
            }
        })
        .collect();
    Ok(DrawnAttempt { questions })
}

/// Whether `bank` can supply an attempt under `settings`: enough questions in all, and in each
/// stratum once the strata before it have taken theirs. Checked by drawing once, as a
/// contestant's start would, so organisers see before the opening what every start would meet.
pub fn check_bank(bank: &[Question], settings: &RoundSettings) -> Result<(), ContestError> {
    draw(bank, settings, 0, &HashSet::<i64>::new()).map(|_| ())
}

/// Adds up to `need` questions matching `filter` and not already chosen, unseen ones first;
/// returns how many were added (fewer than `need` only when the bank ran out).
///
/// Every pick is uniform among the remaining unseen candidates (then the seen ones), so the
/// result is a uniform random subset. It first draws random indices and rejects misses, which
/// needs no scan of the bank and takes well under a microsecond for a large bank; after a
/// bounded number of misses (a narrow stratum, most questions seen) it finishes by scanning.
fn pick<S: BuildHasher>(
    rng: &mut Rng,
    bank: &[Question],
    filter: impl Fn(&Question) -> bool,
    need: usize,
    seen: &HashSet<i64, S>,
    chosen: &mut Vec<u32>,
) -> usize {
    let n = bank.len().min(u32::MAX as usize);
    let start = chosen.len();
    let mut budget = need.saturating_mul(16).saturating_add(32);
    while chosen.len() - start < need && budget > 0 {
        budget -= 1;
        let i = rng.below(n);
        let q = &bank[i];
        if filter(q) && !chosen.contains(&(i as u32)) && !seen.contains(&q.id) {
            chosen.push(i as u32);
        }
    }
    let got = chosen.len() - start;
    if got == need {
        return got;
    }
    got + pick_by_scan(rng, &bank[..n], filter, need - got, seen, chosen)
}

/// The exhaustive form of [`pick`]: lists every remaining candidate, then partial Fisher–Yates.
fn pick_by_scan<S: BuildHasher>(
    rng: &mut Rng,
    bank: &[Question],
    filter: impl Fn(&Question) -> bool,
    need: usize,
    seen: &HashSet<i64, S>,
    chosen: &mut Vec<u32>,
) -> usize {
    let mut unseen: Vec<u32> = Vec::new();
    let mut seen_before: Vec<u32> = Vec::new();
    for (i, q) in bank.iter().enumerate() {
        let i = i as u32;
        if !filter(q) || chosen.contains(&i) {
            continue;
        }
        if seen.contains(&q.id) {
            seen_before.push(i);
        } else {
            unseen.push(i);
        }
    }
    let from_unseen = need.min(unseen.len());
    rng.partial_shuffle(&mut unseen, from_unseen);
    chosen.extend_from_slice(&unseen[..from_unseen]);
    let from_seen = (need - from_unseen).min(seen_before.len());
    rng.partial_shuffle(&mut seen_before, from_seen);
    chosen.extend_from_slice(&seen_before[..from_seen]);
    from_unseen + from_seen
}

/// The contestant's view of a drawn attempt, in draw order, built from the bank through
/// `lookup` (question id → question). The answer key never enters the result.
///
/// Fails when a drawn question or option is no longer in the bank, rather than showing a
/// question with missing options.
pub fn public_questions<'a>(
    drawn: &DrawnAttempt,
    lookup: impl Fn(i64) -> Option<&'a Question>,
) -> Result<Vec<PublicQuestion>, ContestError> {
    drawn
        .questions
        .iter()
        .map(|dq| {
            let q = lookup(dq.question_id).ok_or(ContestError::UnknownQuestion(dq.question_id))?;
            let options = dq
                .option_order
                .iter()
                .map(|&oid| {
                    q.options
                        .iter()
                        .find(|o| o.id == oid)
                        .map(|o| PublicOption {
                            id: o.id,
                            text: o.text.clone(),
                        })
                        .ok_or(ContestError::UnknownQuestion(dq.question_id))
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(PublicQuestion {
                id: q.id,
                text: q.text.clone(),
                options,
            })
        })
        .collect()
}
