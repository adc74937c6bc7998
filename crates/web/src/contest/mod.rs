//! Cuộc thi "Dân vận khéo": the public contestant API and pages, and the organisers' pages.
//!
//! Contestants have no account: registration returns a random bearer token (stored hashed).
//! The API takes it in `Authorization: Bearer`; the pages keep it in an HttpOnly cookie and put
//! a token derived from it in every form, so a third-party page cannot post for a contestant.

mod api;
mod collective;
mod organiser;
mod public;
mod publication;
mod round_form;

use crate::AppState;
use crate::error::AppError;
use axum::Router;
use danvan_db::contest::play::PlayError;
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

pub fn routes() -> Router<AppState> {
    api::routes()
        .merge(public::routes())
        .merge(organiser::routes())
        .merge(publication::routes())
        .merge(collective::routes())
}

/// Registrations per client address per minute unless configured otherwise.
pub const DEFAULT_REGISTRATIONS_PER_MINUTE: u32 = 20;

/// A fixed-window counter per key, in memory: the public endpoints are too hot for a database
/// write per request, and a limit per process is enough to stop one client flooding.
#[derive(Default)]
pub struct WindowLimiter {
    windows: Mutex<HashMap<String, (Instant, u32)>>,
}

impl WindowLimiter {
    /// Counts one event; `false` when `key` already had `max` events in the current window.
    pub fn hit(&self, key: &str, max: u32, window: Duration) -> bool {
        let Ok(mut map) = self.windows.lock() else {
            return true;
        };
        let now = Instant::now();
        if map.len() > 100_000 {
            map.retain(|_, (start, _)| now.duration_since(*start) < window);
        }
        let entry = map.entry(key.to_owned()).or_insert((now, 0));
        if now.duration_since(entry.0) >= window {
            *entry = (now, 0);
        }
        if entry.1 >= max {
            return false;
        }
        entry.1 += 1;
        true
    }
}

impl From<PlayError> for AppError {
    fn from(e: PlayError) -> Self {
        match e {
            PlayError::Fields(fields) => AppError::Invalid(
                fields
                    .into_iter()
                    .map(|f| f.message)
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            PlayError::Unauthorized => AppError::Unauthorized,
            PlayError::Conflict(m) => AppError::Conflict(m),
            PlayError::Db(e) => e.into(),
        }
    }
}

/// The form token of a contestant's pages, derived from (never equal to) the bearer token.
pub fn form_token(token: &str) -> String {
    hex::encode(Sha256::digest(
        format!("danvan-contest-form:{token}").as_bytes(),
    ))
}

/// "1 phút 05,123 giây" style durations for results.
pub fn seconds(ms: i64) -> String {
    let secs = ms / 1_000;
    let rest = ms % 1_000;
    if secs >= 60 {
        format!("{} phút {:02},{:03} giây", secs / 60, secs % 60, rest)
    } else {
        format!("{secs},{rest:03} giây")
    }
}

/// Formats a time in Việt Nam (UTC+7) to the second.
pub fn vn_time(at: chrono::DateTime<chrono::Utc>) -> String {
    at.with_timezone(&danvan_db::contest::vn_offset())
        .format("%H:%M:%S %d/%m/%Y")
        .to_string()
}
