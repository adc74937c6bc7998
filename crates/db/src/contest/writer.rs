//! The single writer of the contest's hot path: group commit.
//!
//! Starts, autosaves and submissions from every request go through one channel to one task,
//! which writes whatever has queued up in one transaction and answers each request only after
//! that transaction committed. With SQLite in `synchronous=FULL` a commit is one fsync, so the
//! cost of durability is shared by the whole batch instead of paid per request.

use crate::entities::{contest_attempts, contest_scores, contestants};
use crate::{Db, DbConfig, DbError, DbResult};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, DbErr, EntityTrait,
    QueryFilter, Set, TransactionTrait,
};
use tokio::sync::{mpsc, oneshot};

/// Most jobs per transaction: large enough to amortise the fsync, small enough to keep the
/// latency of the first request in the batch low.
const MAX_BATCH: usize = 1_024;

/// A scored submission to store.
#[derive(Debug, Clone)]
pub struct Submission {
    pub attempt_id: i64,
    pub round_id: i64,
    pub contestant_id: i64,
    pub started_at: DateTime<Utc>,
    pub answers: String,
    pub prediction: Option<i64>,
    pub submitted_at: DateTime<Utc>,
    pub correct: i32,
    pub total: i32,
    pub duration_ms: i64,
}

enum Job {
    Register(
        Box<contestants::ActiveModel>,
        oneshot::Sender<DbResult<i64>>,
    ),
    /// Answers `None` when the (round, contestant, attempt_no) key was already taken.
    Start(
        Box<contest_attempts::ActiveModel>,
        oneshot::Sender<DbResult<Option<i64>>>,
    ),
    /// Answers whether the attempt was still open.
    Save(i64, String, oneshot::Sender<DbResult<bool>>),
    /// Answers whether this call submitted the attempt (false: it was already submitted).
    Submit(Submission, oneshot::Sender<DbResult<bool>>),
}

/// Handle to the writer task; cheap to clone.
#[derive(Clone)]
pub struct Writer {
    tx: mpsc::Sender<Job>,
}

impl Writer {
    /// Spawns the writer task on the current runtime.
    pub fn spawn(db: Db) -> Writer {
        let (tx, rx) = mpsc::channel(16 * MAX_BATCH);
        tokio::spawn(run(db, rx));
        Writer { tx }
    }

    async fn call<T>(&self, make: impl FnOnce(oneshot::Sender<DbResult<T>>) -> Job) -> DbResult<T> {
        let (reply, answer) = oneshot::channel();
        self.tx
            .send(make(reply))
            .await
            .map_err(|_| DbError::Internal("bộ ghi dữ liệu cuộc thi đã dừng".into()))?;
        answer
            .await
            .map_err(|_| DbError::Internal("bộ ghi dữ liệu cuộc thi không trả lời".into()))?
    }

    pub async fn register(&self, row: contestants::ActiveModel) -> DbResult<i64> {
        self.call(|r| Job::Register(Box::new(row), r)).await
    }

    pub async fn start(&self, row: contest_attempts::ActiveModel) -> DbResult<Option<i64>> {
        self.call(|r| Job::Start(Box::new(row), r)).await
    }

    pub async fn save(&self, attempt_id: i64, answers: String) -> DbResult<bool> {
        self.call(|r| Job::Save(attempt_id, answers, r)).await
    }

    pub async fn submit(&self, submission: Submission) -> DbResult<bool> {
        self.call(|r| Job::Submit(submission, r)).await
    }
}

enum Outcome {
    Id(i64),
    MaybeId(Option<i64>),
    Flag(bool),
}

async fn run(shared: Db, mut rx: mpsc::Receiver<Job>) {
    // A connection of its own: in the shared pool's queue the writer waited behind every
    // request waiting to read, once per batch, and 10,000 simultaneous starts took 14 s (some
    // timed out). With its own connection it commits as soon as a batch is there.
    let own = DbConfig {
        max_connections: 1,
        ..shared.config.clone()
    };
    let db = match Db::connect(own).await {
        Ok(db) => db,
        Err(e) => {
            tracing::warn!(error = %e, "contest writer shares the connection pool");
            shared
        }
    };
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut batch, MAX_BATCH).await > 0 {
        match write_batch(&db, &batch).await {
            Ok(outcomes) => {
                for (job, outcome) in batch.drain(..).zip(outcomes) {
                    reply(job, Ok(outcome));
                }
            }
            // One bad job must not fail its neighbours: fall back to one transaction each.
            Err(_) => {
                for job in batch.drain(..) {
                    let single = write_batch(&db, std::slice::from_ref(&job))
                        .await
                        .map(|mut o| o.remove(0));
                    reply(job, single);
                }
            }
        }
    }
}

fn reply(job: Job, outcome: Result<Outcome, DbErr>) {
    // A dropped receiver means the client went away; the write stands either way.
    match (job, outcome) {
        (Job::Register(_, r), Ok(Outcome::Id(id))) => drop(r.send(Ok(id))),
        (Job::Start(_, r), Ok(Outcome::MaybeId(id))) => drop(r.send(Ok(id))),
        (Job::Save(_, _, r), Ok(Outcome::Flag(f))) => drop(r.send(Ok(f))),
        (Job::Submit(_, r), Ok(Outcome::Flag(f))) => drop(r.send(Ok(f))),
        (Job::Register(_, r), Err(e)) => drop(r.send(Err(e.into()))),
        (Job::Start(_, r), Err(e)) => drop(r.send(Err(e.into()))),
        (Job::Save(_, _, r), Err(e)) => drop(r.send(Err(e.into()))),
        (Job::Submit(_, r), Err(e)) => drop(r.send(Err(e.into()))),
        (job, Ok(_)) => reply(job, Err(DbErr::Custom("unexpected outcome".into()))),
    }
}

/// Score rows per multi-row INSERT: 9 columns × 500 stays under every parameter limit.
const SCORES_PER_INSERT: usize = 500;

async fn write_batch(db: &Db, batch: &[Job]) -> Result<Vec<Outcome>, DbErr> {
    let txn = db.conn.begin().await?;
    let mut outcomes = Vec::with_capacity(batch.len());
    let mut scores = Vec::new();
    for job in batch {
        outcomes.push(write_one(&txn, job, &mut scores).await?);
    }
    // One statement for the batch's scores: each statement costs a trip to SQLite's thread.
    for chunk in scores.chunks(SCORES_PER_INSERT) {
        contest_scores::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(outcomes)
}

async fn write_one(
    txn: &DatabaseTransaction,
    job: &Job,
    scores: &mut Vec<contest_scores::ActiveModel>,
) -> Result<Outcome, DbErr> {
    use contest_attempts::Column as A;
    Ok(match job {
        Job::Register(row, _) => Outcome::Id(row.as_ref().clone().insert(txn).await?.id),
        Job::Start(row, _) => {
            // DO NOTHING instead of an error keeps the batch's transaction usable on PostgreSQL.
            let inserted = contest_attempts::Entity::insert(row.as_ref().clone())
                .on_conflict(
                    OnConflict::columns([A::RoundId, A::ContestantId, A::AttemptNo])
                        .do_nothing()
                        .to_owned(),
                )
                .exec(txn)
                .await;
            match inserted {
                Ok(r) => Outcome::MaybeId(Some(r.last_insert_id)),
                Err(DbErr::RecordNotInserted) => Outcome::MaybeId(None),
                Err(e) => return Err(e),
            }
        }
        Job::Save(id, answers, _) => {
            let r = contest_attempts::Entity::update_many()
                .col_expr(A::Answers, Expr::value(answers.clone()))
                .filter(A::Id.eq(*id))
                .filter(A::SubmittedAt.is_null())
                .exec(txn)
                .await?;
            Outcome::Flag(r.rows_affected == 1)
        }
        Job::Submit(s, _) => {
            let submitted = mark_submitted(txn, s).await?;
            if submitted {
                scores.push(score_row(s));
            }
            Outcome::Flag(submitted)
        }
    })
}

/// Stores a submission and its score; false when the attempt was already submitted.
pub(crate) async fn submit_in<C: ConnectionTrait>(conn: &C, s: &Submission) -> Result<bool, DbErr> {
    if !mark_submitted(conn, s).await? {
        return Ok(false);
    }
    score_row(s).insert(conn).await?;
    Ok(true)
}

/// The conditional update that makes a second submission a conflict in any process.
async fn mark_submitted<C: ConnectionTrait>(conn: &C, s: &Submission) -> Result<bool, DbErr> {
    use contest_attempts::Column as A;
    let r = contest_attempts::Entity::update_many()
        .col_expr(A::Answers, Expr::value(s.answers.clone()))
        .col_expr(A::Prediction, Expr::value(s.prediction))
        .col_expr(A::SubmittedAt, Expr::value(s.submitted_at))
        .col_expr(A::Correct, Expr::value(s.correct))
        .col_expr(A::Total, Expr::value(s.total))
        .col_expr(A::DurationMs, Expr::value(s.duration_ms))
        .filter(A::Id.eq(s.attempt_id))
        .filter(A::SubmittedAt.is_null())
        .exec(conn)
        .await?;
    Ok(r.rows_affected == 1)
}

/// The narrow copy of a submission that the close reads instead of the wide attempt rows,
/// written in the same transaction as the submission.
fn score_row(s: &Submission) -> contest_scores::ActiveModel {
    contest_scores::ActiveModel {
        attempt_id: Set(s.attempt_id),
        round_id: Set(s.round_id),
        contestant_id: Set(s.contestant_id),
        correct: Set(s.correct),
        total: Set(s.total),
        prediction: Set(s.prediction),
        duration_ms: Set(s.duration_ms),
        started_ms: Set(s.started_at.timestamp_millis()),
        submitted_ms: Set(s.submitted_at.timestamp_millis()),
    }
}
