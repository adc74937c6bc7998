//! The server-side clock of one attempt: the limit starts at the server's `started_at`, never at
//! anything the client says.

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::RoundSettings;

/// Time limit and grace of one attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptClock {
    pub started_at: DateTime<Utc>,
    pub time_limit_secs: u32,
    /// Latency allowance after the deadline (Moodle's "last submission grace period"): answers
    /// that were sent in time but arrive late are still accepted.
    pub grace_secs: u32,
}

impl AttemptClock {
    /// The clock of an attempt started at `started_at` under `settings`.
    pub fn new(started_at: DateTime<Utc>, settings: &RoundSettings) -> Self {
        AttemptClock {
            started_at,
            time_limit_secs: settings.time_limit_secs,
            grace_secs: settings.grace_secs,
        }
    }

    /// When the time is up: `started_at` plus the limit. Shown to the contestant.
    pub fn deadline(&self) -> DateTime<Utc> {
        add_secs(self.started_at, self.time_limit_secs)
    }

    /// The last instant an answer or submission is accepted: deadline plus grace.
    pub fn last_accepted(&self) -> DateTime<Utc> {
        add_secs(self.deadline(), self.grace_secs)
    }

    /// Whether an answer or submission arriving at `now` is accepted (inclusive bound).
    pub fn accepts_at(&self, now: DateTime<Utc>) -> bool {
        now <= self.last_accepted()
    }

    /// Whether the attempt can no longer take answers and must be closed (auto-submitted or
    /// abandoned, per [`super::ExpiryPolicy`]).
    pub fn expired(&self, now: DateTime<Utc>) -> bool {
        !self.accepts_at(now)
    }

    /// Milliseconds left before the deadline (grace not included), for the countdown.
    pub fn remaining_ms(&self, now: DateTime<Utc>) -> u64 {
        u64::try_from((self.deadline() - now).num_milliseconds()).unwrap_or(0)
    }

    /// Recorded duration of an attempt submitted at `submitted_at`, in ms: never negative and
    /// capped at the limit, so a submission in the grace period gains no ranking advantage or
    /// penalty from latency.
    pub fn duration_ms(&self, submitted_at: DateTime<Utc>) -> u64 {
        let elapsed = (submitted_at - self.started_at).num_milliseconds();
        let cap = u64::from(self.time_limit_secs) * 1_000;
        u64::try_from(elapsed).unwrap_or(0).min(cap)
    }
}

/// `t` plus `secs`, saturating at the end of chrono's range instead of panicking.
pub(crate) fn add_secs(t: DateTime<Utc>, secs: u32) -> DateTime<Utc> {
    t.checked_add_signed(TimeDelta::seconds(i64::from(secs)))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
}
