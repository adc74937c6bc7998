//! Xếp hạng: the round's ranking and individual prizes, computed once at round close.
//!
//! Built for 2 M attempts by 1 M people in well under a second or two on one core: attempts
//! are grouped by sorting compact `(contestant, index)` pairs, every ranking key is turned into
//! a fixed array of `u64` once per row, and only prize winners allocate.

use serde::{Deserialize, Serialize};

use super::{Counting, PredictionTarget, RoundSettings, TieKey};

/// One submitted attempt, as the ranking needs it. Times are Unix milliseconds (server clock).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptResult {
    pub attempt_id: i64,
    pub contestant_id: i64,
    pub correct: u16,
    pub total: u16,
    /// Answer to the prediction question, if given.
    pub prediction: Option<i64>,
    pub duration_ms: u64,
    pub started_at_ms: i64,
    pub submitted_at_ms: i64,
    /// The person is on the exclusion list (Ban Tổ chức, Ban Đề thi…): listed, never awarded.
    /// One excluded attempt marks the person excluded for the whole round.
    pub excluded: bool,
    /// The attempt is valid (submitted in time, not disqualified). Ineligible attempts are
    /// ignored everywhere: not ranked, not counted in the prediction target.
    pub eligible: bool,
}

impl AttemptResult {
    /// All questions correct.
    pub fn is_perfect(&self) -> bool {
        self.total > 0 && self.correct >= self.total
    }
}

/// One contestant's line in the ranking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RankedEntry {
    /// Position in the list, 1-based; excluded people keep their position too.
    pub rank: u32,
    pub contestant_id: i64,
    /// The attempt that counts.
    pub attempt_id: i64,
    pub correct: u16,
    pub total: u16,
    pub prediction: Option<i64>,
    /// |prediction − actual|; `None` without a prediction or when the round has none.
    pub prediction_error: Option<u64>,
    pub duration_ms: u64,
    pub started_at_ms: i64,
    pub submitted_at_ms: i64,
    /// Eligible attempts of this person with every answer correct.
    pub perfect_attempts: u32,
    /// Prize tier name, e.g. "Giải Nhất".
    pub prize: Option<String>,
    pub excluded: bool,
}

/// The result of a round.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ranking {
    /// What the prediction question asked for.
    pub target: PredictionTarget,
    /// The actual value predictions are compared with (0 when the round has no prediction).
    pub actual_target: i64,
    /// Non-excluded people with an eligible attempt.
    pub participants: u64,
    /// Eligible attempts of non-excluded people.
    pub attempts: u64,
    /// Non-excluded people whose counted attempt is all correct (see [`rank`]).
    pub all_correct: u64,
    /// Everyone with an eligible attempt, best first.
    pub entries: Vec<RankedEntry>,
}

/// Ranks a round at close.
///
/// 1. The prediction target is computed from eligible attempts of non-excluded people (so the
///    organisers' own attempts cannot move it): participants = distinct people; attempts =
///    eligible attempts; all-correct = people with a perfect counted attempt, which under
///    [`Counting::Best`] means at least one perfect attempt and under [`Counting::First`] a
///    perfect first attempt. (For `Best` this avoids a circle: the best attempt depends on the
///    prediction error, which depends on the target.)
/// 2. Each person's counted attempt is picked: the best by the round's key, or the first
///    started; ties between attempts go to the lower attempt id.
/// 3. People are sorted by [`RoundSettings::effective_tie_break`], which always ends with the
///    contestant id, so the order is total and reproducible.
/// 4. Prizes go down the list, one per person, skipping excluded people (who do not use up a
///    prize) and people below `min_correct_for_prize`.
pub fn rank(results: &[AttemptResult], settings: &RoundSettings) -> Ranking {
    let keys = settings.effective_tie_break();
    let keys = &keys[..keys.len().min(TieKey::COUNT)];

    let mut order: Vec<(i64, u32)> = results
        .iter()
        .take(u32::MAX as usize)
        .enumerate()
        .filter(|(_, r)| r.eligible)
        .map(|(i, r)| (r.contestant_id, i as u32))
        .collect();
    order.sort_unstable();
    let at = |i: u32| &results[i as usize];

    let (mut participants, mut attempts, mut all_correct) = (0u64, 0u64, 0u64);
    let mut people = 0usize;
    for group in order.chunk_by(|a, b| a.0 == b.0) {
        people += 1;
        if group.iter().any(|&(_, i)| at(i).excluded) {
            continue;
        }
        participants += 1;
        attempts += group.len() as u64;
        let perfect = match settings.counting {
            Counting::Best => group.iter().any(|&(_, i)| at(i).is_perfect()),
            Counting::First => first_attempt(group, results).is_some_and(|r| r.is_perfect()),
        };
        all_correct += u64::from(perfect);
    }
    let actual = match settings.prediction_target {
        PredictionTarget::AllCorrectCount => Some(all_correct),
        PredictionTarget::Participants => Some(participants),
        PredictionTarget::Attempts => Some(attempts),
        PredictionTarget::None => None,
    }
    .map(|v| i64::try_from(v).unwrap_or(i64::MAX));

    let mut rows: Vec<Row> = Vec::with_capacity(people);
    for group in order.chunk_by(|a, b| a.0 == b.0) {
        let perfect = group.iter().filter(|&&(_, i)| at(i).is_perfect()).count();
        let perfect = u32::try_from(perfect).unwrap_or(u32::MAX);
        let excluded = group.iter().any(|&(_, i)| at(i).excluded);
        let (key, idx) = match settings.counting {
            Counting::Best => group
                .iter()
                .map(|&(_, i)| (sort_key(at(i), keys, actual, perfect), at(i).attempt_id, i))
                .min()
                .map(|(k, _, i)| (k, i)),
            Counting::First => group
                .iter()
                .map(|&(_, i)| (at(i).started_at_ms, at(i).attempt_id, i))
                .min()
                .map(|(_, _, i)| (sort_key(at(i), keys, actual, perfect), i)),
        }
        .unwrap_or(([0; TieKey::COUNT], group[0].1));
        rows.push(Row {
            key,
            idx,
            perfect,
            excluded,
        });
    }
    rows.sort_unstable_by_key(|r| r.key);

    let mut prizes = PrizeCursor::new(settings);
    let entries = rows
        .iter()
        .enumerate()
        .map(|(pos, row)| {
            let r = at(row.idx);
            let deserves = !row.excluded
                && settings
                    .min_correct_for_prize
                    .is_none_or(|min| r.correct >= min);
            RankedEntry {
                rank: u32::try_from(pos + 1).unwrap_or(u32::MAX),
                contestant_id: r.contestant_id,
                attempt_id: r.attempt_id,
                correct: r.correct,
                total: r.total,
                prediction: r.prediction,
                prediction_error: actual.zip(r.prediction).map(|(a, p)| a.abs_diff(p)),
                duration_ms: r.duration_ms,
                started_at_ms: r.started_at_ms,
                submitted_at_ms: r.submitted_at_ms,
                perfect_attempts: row.perfect,
                prize: if deserves { prizes.next() } else { None },
                excluded: row.excluded,
            }
        })
        .collect();
    Ranking {
        target: settings.prediction_target,
        actual_target: actual.unwrap_or(0),
        participants,
        attempts,
        all_correct,
        entries,
    }
}

/// A person's counted attempt with its precomputed sort key.
struct Row {
    key: [u64; TieKey::COUNT],
    idx: u32,
    perfect: u32,
    excluded: bool,
}

fn first_attempt<'a>(
    group: &[(i64, u32)],
    results: &'a [AttemptResult],
) -> Option<&'a AttemptResult> {
    group
        .iter()
        .map(|&(_, i)| &results[i as usize])
        .min_by_key(|r| (r.started_at_ms, r.attempt_id))
}

/// Maps a signed value to an unsigned one with the same order.
fn ordered(x: i64) -> u64 {
    (x as u64) ^ (1 << 63)
}

/// The ranking keys as one array compared lexicographically, smaller = better.
fn sort_key(
    r: &AttemptResult,
    keys: &[TieKey],
    actual: Option<i64>,
    perfect: u32,
) -> [u64; TieKey::COUNT] {
    let mut out = [0u64; TieKey::COUNT];
    for (slot, key) in out.iter_mut().zip(keys) {
        *slot = match key {
            TieKey::CorrectDesc => u64::from(u16::MAX - r.correct),
            // A missing prediction is worse than any guess.
            TieKey::PredictionErrorAsc => actual
                .zip(r.prediction)
                .map_or(u64::MAX, |(a, p)| a.abs_diff(p)),
            TieKey::DurationAsc => r.duration_ms,
            TieKey::SubmittedAtAsc => ordered(r.submitted_at_ms),
            TieKey::StartedAtAsc => ordered(r.started_at_ms),
            TieKey::PerfectAttemptsDesc => u64::from(u32::MAX - perfect),
            TieKey::ContestantIdAsc => ordered(r.contestant_id),
        };
    }
    out
}

/// Hands out prize names in table order.
struct PrizeCursor<'a> {
    tiers: &'a [super::PrizeTier],
    tier: usize,
    used: u32,
}

impl<'a> PrizeCursor<'a> {
    fn new(settings: &'a RoundSettings) -> Self {
        PrizeCursor {
            tiers: &settings.prizes,
            tier: 0,
            used: 0,
        }
    }

    fn next(&mut self) -> Option<String> {
        loop {
            let tier = self.tiers.get(self.tier)?;
            if self.used < tier.count {
                self.used += 1;
                return Some(tier.name.clone());
            }
            self.tier += 1;
            self.used = 0;
        }
    }
}
