//! Whether a contestant may start another attempt in a round: limit, cool-down, resume.
//!
//! This is the rule; storage must still enforce it transactionally (unique round, contestant,
//! attempt number) so two simultaneous starts cannot both pass.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::timing::add_secs;
use super::{AttemptClock, RoundSettings};

/// What the policy needs to know about an earlier attempt of the same person in the round.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptSummary {
    pub attempt_id: i64,
    pub started_at: DateTime<Utc>,
    /// `None` while the attempt is open (or was left open past its time).
    pub submitted_at: Option<DateTime<Utc>>,
}

/// Why a new attempt may not start; `Display` is the Vietnamese message for the contestant.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum StartRefusal {
    /// An attempt is still running: the client should resume it instead.
    #[error("Bạn đang có một lượt thi chưa nộp bài. Vui lòng tiếp tục lượt thi đó.")]
    InProgress { attempt_id: i64 },
    /// All attempts of the round are used.
    #[error("Bạn đã sử dụng hết {max} lượt thi của vòng thi này.")]
    LimitReached { max: u16 },
    /// The cool-down after the previous attempt has not passed.
    #[error(
        "Bạn cần chờ thêm {} trước khi bắt đầu lượt thi tiếp theo.",
        human_duration(*remaining_secs)
    )]
    Cooldown { remaining_secs: u64 },
}

/// Decides whether a new attempt may start at `now`, given the person's earlier attempts in
/// the round. Checked in this order: an open attempt (resume it), the attempt limit, the
/// cool-down.
///
/// An attempt left open past its time (plus grace) is treated as ended at its deadline: it
/// no longer blocks, but it used up one attempt and starts the cool-down, so abandoning a bad
/// draw gains nothing.
pub fn can_start(
    previous: &[AttemptSummary],
    settings: &RoundSettings,
    now: DateTime<Utc>,
) -> Result<(), StartRefusal> {
    let clock = |a: &AttemptSummary| AttemptClock::new(a.started_at, settings);
    if let Some(open) = previous
        .iter()
        .filter(|a| a.submitted_at.is_none() && clock(a).accepts_at(now))
        .max_by_key(|a| (a.started_at, a.attempt_id))
    {
        return Err(StartRefusal::InProgress {
            attempt_id: open.attempt_id,
        });
    }
    if let Some(max) = settings.max_attempts
        && previous.len() >= usize::from(max)
    {
        return Err(StartRefusal::LimitReached { max });
    }
    if settings.cooldown_secs > 0
        && let Some(last_end) = previous
            .iter()
            .map(|a| a.submitted_at.unwrap_or_else(|| clock(a).deadline()))
            .max()
    {
        let ready_at = add_secs(last_end, settings.cooldown_secs);
        if now < ready_at {
            let ms = (ready_at - now).num_milliseconds();
            // Round up so "0 giây" is never shown while still refusing.
            let remaining_secs = u64::try_from(ms).unwrap_or(0).div_ceil(1_000).max(1);
            return Err(StartRefusal::Cooldown { remaining_secs });
        }
    }
    Ok(())
}

/// "1 giờ 5 phút 3 giây", "59 phút", "12 giây".
fn human_duration(secs: u64) -> String {
    let (h, m, s) = (secs / 3_600, secs / 60 % 60, secs % 60);
    let mut parts = Vec::with_capacity(3);
    if h > 0 {
        parts.push(format!("{h} giờ"));
    }
    if m > 0 {
        parts.push(format!("{m} phút"));
    }
    if s > 0 || parts.is_empty() {
        parts.push(format!("{s} giây"));
    }
    parts.join(" ")
}
