//! Cuộc thi trắc nghiệm "Dân vận khéo": storage and services of the online quiz contest.
//!
//! The rules live in `danvan_domain::contest`; this module stores their inputs and outputs.
//! - [`admin`]: organisers' operations (contests, rounds, question banks, exclusions, freezing
//!   results), scope-checked and audited;
//! - [`organiser`]: editing a round after its creation, disqualifying contestants;
//! - [`collective`]: headcounts, collective prize rules and the collective ranking;
//! - [`publication`]: publishing frozen results to the public;
//! - [`play`]: the contestants' hot path (register, start, autosave, submit) through the
//!   [`Engine`], which keeps each round's bank in memory and writes through one group-commit
//!   [`writer::Writer`].

pub mod admin;
pub mod bench;
pub mod collective;
pub mod demo_bank;
pub mod organiser;
pub mod play;
pub mod publication;
mod sqlite_scan;
pub mod writer;

use crate::entities::{contest_questions, contest_rounds, contests};
use crate::{Db, DbError, DbResult};
use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use danvan_domain::contest::{Question, QuestionOption, RoundSettings};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

/// Contest times are shown and entered in Asia/Ho_Chi_Minh, which has had no daylight saving
/// since 1975: a fixed UTC+7 is exact.
pub fn vn_offset() -> FixedOffset {
    FixedOffset::east_opt(7 * 3_600).expect("UTC+7 is a valid offset")
}

/// The calendar date in Việt Nam at `at`.
pub fn vn_date(at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&vn_offset()).date_naive()
}

/// A round with its bank, loaded once and shared by every request of the round.
pub struct RoundBank {
    pub contest: contests::Model,
    pub round: contest_rounds::Model,
    pub settings: RoundSettings,
    pub questions: Vec<Question>,
    by_id: HashMap<i64, usize>,
}

impl RoundBank {
    pub fn question(&self, id: i64) -> Option<&Question> {
        self.by_id.get(&id).map(|&i| &self.questions[i])
    }

    pub fn is_open(&self, now: DateTime<Utc>) -> bool {
        self.round.frozen_at.is_none() && self.round.opens_at <= now && now < self.round.closes_at
    }
}

/// One row of the live leaderboard.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LeaderRow {
    pub rank: u32,
    pub full_name: String,
    pub unit_name: Option<String>,
    pub correct: u16,
    pub total: u16,
    pub duration_ms: u64,
}

/// A leaderboard snapshot and when it was computed.
#[derive(Clone)]
pub struct Leaderboard {
    pub computed_at: DateTime<Utc>,
    pub rows: Arc<Vec<LeaderRow>>,
    taken: Instant,
}

/// How old a leaderboard snapshot may get before the next reader refreshes it.
pub const LEADERBOARD_TTL: Duration = Duration::from_secs(5);

/// What never changes about a started attempt; cached so that autosave and submission need no
/// read. Whether it was submitted is not cached: the conditional update decides that.
pub struct OpenAttempt {
    pub contestant_id: i64,
    pub round_id: i64,
    pub started_at: DateTime<Utc>,
    pub drawn: danvan_domain::contest::DrawnAttempt,
}

/// Bounds of the per-process caches; past them the database is read instead.
const MAX_CACHED_TOKENS: usize = 2_000_000;
const MAX_CACHED_ATTEMPTS: usize = 500_000;

/// Per-process contest state: the writer, the banks of rounds in play, leaderboard snapshots,
/// and caches of immutable facts (token → contestant, a started attempt's draw).
pub struct Engine {
    pub db: Db,
    pub writer: writer::Writer,
    banks: RwLock<HashMap<i64, Arc<RoundBank>>>,
    boards: tokio::sync::Mutex<HashMap<i64, Leaderboard>>,
    /// Token hash → (contestant id, contest id).
    tokens: RwLock<HashMap<String, (i64, i64)>>,
    attempts: RwLock<HashMap<i64, Arc<OpenAttempt>>>,
    /// Held while a bank is read from the database (see [`Engine::bank`]).
    loading: tokio::sync::Mutex<()>,
}

impl Engine {
    /// Must be called inside a Tokio runtime: it spawns the writer task.
    pub fn new(db: Db) -> Engine {
        Engine {
            writer: writer::Writer::spawn(db.clone()),
            db,
            banks: RwLock::new(HashMap::new()),
            boards: tokio::sync::Mutex::new(HashMap::new()),
            tokens: RwLock::new(HashMap::new()),
            attempts: RwLock::new(HashMap::new()),
            loading: tokio::sync::Mutex::new(()),
        }
    }

    pub(crate) fn cached_token(&self, hash: &str) -> Option<(i64, i64)> {
        self.tokens.read().ok()?.get(hash).copied()
    }

    pub(crate) fn cache_token(&self, hash: String, who: (i64, i64)) {
        if let Ok(mut m) = self.tokens.write()
            && m.len() < MAX_CACHED_TOKENS
        {
            m.insert(hash, who);
        }
    }

    pub(crate) fn cached_attempt(&self, id: i64) -> Option<Arc<OpenAttempt>> {
        self.attempts.read().ok()?.get(&id).cloned()
    }

    pub(crate) fn cache_attempt(&self, id: i64, a: Arc<OpenAttempt>) {
        if let Ok(mut m) = self.attempts.write()
            && m.len() < MAX_CACHED_ATTEMPTS
        {
            m.insert(id, a);
        }
    }

    pub(crate) fn drop_attempt(&self, id: i64) {
        if let Ok(mut m) = self.attempts.write() {
            m.remove(&id);
        }
    }

    /// The round and its bank, from memory after the first load once the round has opened. The
    /// bank cannot change after that ([`admin::import_questions`] refuses), so the copy never
    /// goes stale; the round row can (freezing), which [`Engine::forget`] handles here and the
    /// closing time makes harmless elsewhere.
    pub async fn bank(&self, round_id: i64) -> DbResult<Arc<RoundBank>> {
        if let Some(b) = self.cached_bank(round_id) {
            return Ok(b);
        }
        // One load at a time. When 10,000 starts reached a round this process had not loaded
        // yet, each read the whole bank itself: 2 million question rows, 1.5 GB and starts at
        // 600–1,100/s in about half the runs. Now the first loads and the others take its copy.
        let _loading = self.loading.lock().await;
        if let Some(b) = self.cached_bank(round_id) {
            return Ok(b);
        }
        let bank = Arc::new(load_bank(&self.db, round_id).await?);
        // Before the opening the bank may still change, possibly through another process, so
        // only a bank that can no longer change is kept.
        if Utc::now() >= bank.round.opens_at
            && let Ok(mut m) = self.banks.write()
        {
            m.insert(round_id, bank.clone());
        }
        Ok(bank)
    }

    fn cached_bank(&self, round_id: i64) -> Option<Arc<RoundBank>> {
        self.banks.read().ok()?.get(&round_id).cloned()
    }

    /// Drops a cached round after an organiser changed it in this process.
    pub fn forget(&self, round_id: i64) {
        if let Ok(mut m) = self.banks.write() {
            m.remove(&round_id);
        }
    }

    /// The top 50 of an open round from a snapshot at most [`LEADERBOARD_TTL`] old; one
    /// recomputation at a time, so a crowd of readers costs one query.
    pub async fn leaderboard(&self, round_id: i64) -> DbResult<Leaderboard> {
        let mut boards = self.boards.lock().await;
        if let Some(b) = boards.get(&round_id)
            && b.taken.elapsed() < LEADERBOARD_TTL
        {
            return Ok(b.clone());
        }
        let bank = self.bank(round_id).await?;
        let rows = admin::top_rows(&self.db.conn, &bank, 50).await?;
        let board = Leaderboard {
            computed_at: Utc::now(),
            rows: Arc::new(rows),
            taken: Instant::now(),
        };
        boards.insert(round_id, board.clone());
        Ok(board)
    }
}

async fn load_bank(db: &Db, round_id: i64) -> DbResult<RoundBank> {
    let round = contest_rounds::Entity::find_by_id(round_id)
        .one(&db.conn)
        .await?
        .ok_or(DbError::NotFound("vòng thi"))?;
    let contest = contests::Entity::find_by_id(round.contest_id)
        .one(&db.conn)
        .await?
        .ok_or(DbError::NotFound("cuộc thi"))?;
    let settings = parse_settings(&round.settings)?;
    let questions = load_questions(&db.conn, round_id).await?;
    let by_id = questions
        .iter()
        .enumerate()
        .map(|(i, q)| (q.id, i))
        .collect();
    Ok(RoundBank {
        contest,
        round,
        settings,
        questions,
        by_id,
    })
}

pub(crate) fn parse_settings(json: &str) -> DbResult<RoundSettings> {
    serde_json::from_str(json)
        .map_err(|e| DbError::Internal(format!("cấu hình vòng thi hỏng: {e}")))
}

pub(crate) async fn load_questions<C: sea_orm::ConnectionTrait>(
    conn: &C,
    round_id: i64,
) -> DbResult<Vec<Question>> {
    contest_questions::Entity::find()
        .filter(contest_questions::Column::RoundId.eq(round_id))
        .order_by_asc(contest_questions::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(to_question)
        .collect()
}

fn to_question(row: contest_questions::Model) -> DbResult<Question> {
    let options: Vec<QuestionOption> = serde_json::from_str(&row.options)
        .map_err(|e| DbError::Internal(format!("phương án câu hỏi {} hỏng: {e}", row.id)))?;
    Ok(Question {
        id: row.id,
        text: row.text,
        options,
        correct_option: row.correct_option,
        topic: row.topic,
        difficulty: row.difficulty.and_then(|d| u8::try_from(d).ok()),
    })
}
