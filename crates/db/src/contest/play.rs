//! The contestants' side: register, start an attempt, autosave, submit. Every write goes
//! through the engine's group-commit writer; every reply is sent after the commit.

use super::writer::Submission;
use super::{Engine, OpenAttempt, RoundBank, vn_date};
use crate::entities::{contest_attempts, contestants, contests};
use crate::{DbError, DbResult};
use chrono::{DateTime, Utc};
use danvan_domain::contest::{
    AttemptClock, AttemptSummary, DrawnAttempt, FieldError, PublicQuestion, RegistrationInput,
    RegistrationRules, StartRefusal, can_start, draw, duplicate_keys, public_questions, score,
    validate_registration,
};
use rand::RngCore;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set};
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::HashSet;
use std::sync::Arc;

/// Why a contestant request was refused; the web layer maps each kind to a status.
#[derive(Debug, thiserror::Error)]
pub enum PlayError {
    /// The form has field errors (422).
    #[error("Thông tin đăng ký chưa hợp lệ.")]
    Fields(Vec<FieldError>),
    /// Missing or unknown token (401).
    #[error("Mã dự thi không hợp lệ. Vui lòng đăng ký lại.")]
    Unauthorized,
    /// Attempt limit, cool-down, double submission, closed round (409).
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<sea_orm::DbErr> for PlayError {
    fn from(e: sea_orm::DbErr) -> Self {
        PlayError::Db(e.into())
    }
}

pub type PlayResult<T> = Result<T, PlayError>;

fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A registered contestant and the bearer token, shown once.
#[derive(Debug, Serialize)]
pub struct Registered {
    pub contestant_id: i64,
    pub token: String,
}

/// Registers for `contest_id`, or for the newest contest when not given. Probable duplicates
/// (same CCCD, or same name, birth date and phone) are accepted and flagged for organisers,
/// never merged: a guardian's CCCD or phone may be shared in good faith.
pub async fn register(
    engine: &Engine,
    contest_id: Option<i64>,
    input: &RegistrationInput,
    ip: Option<String>,
    now: DateTime<Utc>,
) -> PlayResult<Registered> {
    let conn = &engine.db.conn;
    let contest = match contest_id {
        Some(id) => contests::Entity::find_by_id(id).one(conn).await?,
        None => {
            contests::Entity::find()
                .order_by_desc(contests::Column::Id)
                .one(conn)
                .await?
        }
    }
    .ok_or(DbError::NotFound("cuộc thi"))?;
    let rules = RegistrationRules {
        min_age: contest.min_age.and_then(|a| u8::try_from(a).ok()),
        require_national_id: contest.require_national_id,
        require_unit: contest.require_unit,
    };
    let clean = validate_registration(input, &rules, vn_date(now)).map_err(PlayError::Fields)?;
    if let Some(unit_id) = clean.unit_id {
        crate::units::get(conn, unit_id).await.map_err(|_| {
            PlayError::Fields(vec![FieldError {
                field: "unit_id".into(),
                message: "Đơn vị không tồn tại.".into(),
            }])
        })?;
    }
    let keys = duplicate_keys(&clean);
    let mut flags: Vec<String> = clean
        .flags
        .iter()
        .map(|f| serde_json::to_value(f).map(|v| v.as_str().unwrap_or_default().to_owned()))
        .collect::<Result<_, _>>()
        .map_err(|e| DbError::Internal(e.to_string()))?;
    let same_person = contestants::Entity::find()
        .filter(contestants::Column::ContestId.eq(contest.id))
        .filter(contestants::Column::PersonKey.eq(keys.person.clone()))
        .select_only()
        .column(contestants::Column::Id)
        .into_tuple::<i64>()
        .one(conn)
        .await?;
    if same_person.is_some() {
        flags.push("duplicate_person".into());
    }
    if let Some(id) = &keys.national_id {
        let same_id = contestants::Entity::find()
            .filter(contestants::Column::ContestId.eq(contest.id))
            .filter(contestants::Column::NationalId.eq(id.clone()))
            .select_only()
            .column(contestants::Column::Id)
            .into_tuple::<i64>()
            .one(conn)
            .await?;
        if same_id.is_some() {
            flags.push("duplicate_national_id".into());
        }
    }
    let mut raw = [0u8; 32];
    rand::rng().fill_bytes(&mut raw);
    let token = hex::encode(raw);
    let contestant_id = engine
        .writer
        .register(contestants::ActiveModel {
            contest_id: Set(contest.id),
            token_hash: Set(hash_token(&token)),
            full_name: Set(clean.full_name.clone()),
            birth_date: Set(clean.birth_date),
            gender: Set(gender_code(clean.gender).into()),
            phone: Set(clean.phone.clone()),
            national_id: Set(keys.national_id.clone()),
            unit_id: Set(clean.unit_id),
            group_name: Set(clean.group.clone()),
            person_key: Set(keys.person),
            flags: Set((!flags.is_empty()).then(|| flags.join(","))),
            disqualified: Set(false),
            ip: Set(ip),
            created_at: Set(now),
            ..Default::default()
        })
        .await?;
    engine.cache_token(hash_token(&token), (contestant_id, contest.id));
    Ok(Registered {
        contestant_id,
        token,
    })
}

pub fn gender_code(g: danvan_domain::contest::Gender) -> &'static str {
    use danvan_domain::contest::Gender;
    match g {
        Gender::Nam => "nam",
        Gender::Nu => "nu",
        Gender::Khac => "khac",
    }
}

/// (contestant id, contest id) behind a bearer token, from memory after the first use.
async fn who(engine: &Engine, token: &str) -> PlayResult<(i64, i64)> {
    if token.is_empty() || token.len() > 128 {
        return Err(PlayError::Unauthorized);
    }
    let hash = hash_token(token);
    if let Some(w) = engine.cached_token(&hash) {
        return Ok(w);
    }
    let found = contestants::Entity::find()
        .filter(contestants::Column::TokenHash.eq(hash.clone()))
        .select_only()
        .columns([contestants::Column::Id, contestants::Column::ContestId])
        .into_tuple::<(i64, i64)>()
        .one(&engine.db.conn)
        .await?
        .ok_or(PlayError::Unauthorized)?;
    engine.cache_token(hash, found);
    Ok(found)
}

/// The contestant behind a bearer token.
pub async fn contestant_by_token(engine: &Engine, token: &str) -> PlayResult<contestants::Model> {
    if token.is_empty() || token.len() > 128 {
        return Err(PlayError::Unauthorized);
    }
    contestants::Entity::find()
        .filter(contestants::Column::TokenHash.eq(hash_token(token)))
        .one(&engine.db.conn)
        .await?
        .ok_or(PlayError::Unauthorized)
}

/// A started (or resumed) attempt as the contestant sees it: no answer key.
#[derive(Debug, Serialize)]
pub struct StartedAttempt {
    pub attempt_id: i64,
    pub round_id: i64,
    pub started_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub questions: Vec<PublicQuestion>,
    /// Answers saved so far (`[question_id, option_id]`), so a refreshed page can resume.
    pub saved: Vec<(i64, i64)>,
    pub resumed: bool,
}

/// Starts an attempt, or resumes the open one. The attempt limit and the cool-down are checked
/// on what this process reads, and enforced by the unique (round, contestant, attempt_no) key:
/// of two simultaneous starts only one can take the next number.
pub async fn start(
    engine: &Engine,
    token: &str,
    round_id: i64,
    ip: Option<String>,
    now: DateTime<Utc>,
) -> PlayResult<StartedAttempt> {
    let (who_id, contest_id) = who(engine, token).await?;
    let bank = engine.bank(round_id).await?;
    if bank.contest.id != contest_id {
        return Err(DbError::NotFound("vòng thi").into());
    }
    if !bank.is_open(now) {
        return Err(PlayError::Conflict(closed_message(&bank, now)));
    }
    if let Some(q) = &bank.settings.qualification
        && !qualified(&engine.db.conn, q, who_id).await?
    {
        return Err(PlayError::Conflict(format!(
            "Vòng thi này chỉ dành cho {} người đứng đầu mỗi vòng loại đã chốt kết quả; \
             bạn không có tên trong danh sách vào vòng chung kết.",
            q.top
        )));
    }
    let previous = contest_attempts::Entity::find()
        .filter(contest_attempts::Column::RoundId.eq(round_id))
        .filter(contest_attempts::Column::ContestantId.eq(who_id))
        .all(&engine.db.conn)
        .await?;
    let summaries: Vec<AttemptSummary> = previous
        .iter()
        .map(|a| AttemptSummary {
            attempt_id: a.id,
            started_at: a.started_at,
            submitted_at: a.submitted_at,
        })
        .collect();
    match can_start(&summaries, &bank.settings, now) {
        Ok(()) => {}
        Err(StartRefusal::InProgress { attempt_id }) => {
            let open = previous
                .into_iter()
                .find(|a| a.id == attempt_id)
                .ok_or(DbError::NotFound("lượt thi"))?;
            return view(&bank, open, true);
        }
        Err(refusal) => return Err(PlayError::Conflict(refusal.to_string())),
    }
    let seen: HashSet<i64> = HashSet::new();
    let drawn = draw(&bank.questions, &bank.settings, rand::random(), &seen)
        .map_err(|e| DbError::Invalid(e.to_string()))?;
    let attempt_no = i32::try_from(previous.len() + 1).unwrap_or(i32::MAX);
    let draw_json = serde_json::to_string(&drawn).map_err(|e| DbError::Internal(e.to_string()))?;
    let row = contest_attempts::ActiveModel {
        round_id: Set(round_id),
        contestant_id: Set(who_id),
        attempt_no: Set(attempt_no),
        draw: Set(draw_json.clone()),
        started_at: Set(now),
        answers: Set(None),
        prediction: Set(None),
        submitted_at: Set(None),
        correct: Set(None),
        total: Set(None),
        duration_ms: Set(None),
        ip: Set(ip),
        ..Default::default()
    };
    let Some(id) = engine.writer.start(row).await? else {
        return Err(PlayError::Conflict(
            "Bạn vừa bắt đầu một lượt thi khác. Vui lòng tải lại trang để tiếp tục lượt thi đó."
                .into(),
        ));
    };
    let questions = public_questions(&drawn, |qid| bank.question(qid))
        .map_err(|e| DbError::Internal(e.to_string()))?;
    engine.cache_attempt(
        id,
        Arc::new(OpenAttempt {
            contestant_id: who_id,
            round_id,
            started_at: now,
            drawn,
        }),
    );
    Ok(StartedAttempt {
        attempt_id: id,
        round_id,
        started_at: now,
        expires_at: AttemptClock::new(now, &bank.settings).deadline(),
        questions,
        saved: Vec::new(),
        resumed: false,
    })
}

fn closed_message(bank: &RoundBank, now: DateTime<Utc>) -> String {
    if now < bank.round.opens_at {
        let at = bank.round.opens_at.with_timezone(&super::vn_offset());
        format!(
            "Vòng thi chưa mở. Thời gian bắt đầu: {}.",
            at.format("%H:%M:%S ngày %d/%m/%Y")
        )
    } else {
        "Vòng thi đã kết thúc.".into()
    }
}

fn parse_draw(a: &contest_attempts::Model) -> DbResult<DrawnAttempt> {
    serde_json::from_str(&a.draw).map_err(|e| DbError::Internal(format!("đề thi hỏng: {e}")))
}

fn parse_answers(json: Option<&str>) -> Vec<(i64, i64)> {
    json.and_then(|s| serde_json::from_str(s).ok())
        .unwrap_or_default()
}

fn view(bank: &RoundBank, a: contest_attempts::Model, resumed: bool) -> PlayResult<StartedAttempt> {
    let drawn = parse_draw(&a)?;
    let questions = public_questions(&drawn, |qid| bank.question(qid))
        .map_err(|e| DbError::Internal(e.to_string()))?;
    Ok(StartedAttempt {
        attempt_id: a.id,
        round_id: a.round_id,
        started_at: a.started_at,
        expires_at: AttemptClock::new(a.started_at, &bank.settings).deadline(),
        questions,
        saved: parse_answers(a.answers.as_deref()),
        resumed,
    })
}

/// The contestant's own attempt, or 404 for anybody else's (ids cannot be probed).
async fn own_attempt(
    engine: &Engine,
    token: &str,
    attempt_id: i64,
) -> PlayResult<contest_attempts::Model> {
    let (who_id, _) = who(engine, token).await?;
    contest_attempts::Entity::find_by_id(attempt_id)
        .one(&engine.db.conn)
        .await?
        .filter(|a| a.contestant_id == who_id)
        .ok_or(PlayError::Db(DbError::NotFound("lượt thi")))
}

/// The immutable part of the contestant's own attempt: from memory when this process started
/// it, else from the database (refusing at once when it is already submitted).
async fn own_open_attempt(
    engine: &Engine,
    token: &str,
    attempt_id: i64,
) -> PlayResult<Arc<OpenAttempt>> {
    let (who_id, _) = who(engine, token).await?;
    if let Some(a) = engine.cached_attempt(attempt_id) {
        if a.contestant_id != who_id {
            return Err(DbError::NotFound("lượt thi").into());
        }
        return Ok(a);
    }
    let a = own_attempt(engine, token, attempt_id).await?;
    if a.submitted_at.is_some() {
        return Err(PlayError::Conflict(ALREADY_SUBMITTED.into()));
    }
    let open = Arc::new(OpenAttempt {
        contestant_id: a.contestant_id,
        round_id: a.round_id,
        started_at: a.started_at,
        drawn: parse_draw(&a)?,
    });
    engine.cache_attempt(attempt_id, open.clone());
    Ok(open)
}

const ALREADY_SUBMITTED: &str = "Bài thi này đã được nộp trước đó.";

/// The attempt for a page reload: questions, saved answers, and the result once submitted.
pub async fn attempt_view(
    engine: &Engine,
    token: &str,
    attempt_id: i64,
) -> PlayResult<(StartedAttempt, Option<SubmitResult>)> {
    let a = own_attempt(engine, token, attempt_id).await?;
    let bank = engine.bank(a.round_id).await?;
    let result = a.submitted_at.map(|_| SubmitResult {
        correct: a.correct.unwrap_or(0),
        total: a.total.unwrap_or(0),
        duration_ms: a.duration_ms.unwrap_or(0),
    });
    Ok((view(&bank, a, true)?, result))
}

fn clean_answers(drawn: &DrawnAttempt, answers: &[(i64, i64)]) -> PlayResult<Vec<(i64, i64)>> {
    if answers.len() > drawn.questions.len() * 4 {
        return Err(DbError::invalid("Quá nhiều câu trả lời trong một lần gửi.").into());
    }
    // Keep the last answer per question of this attempt; anything else is dropped, so the
    // stored JSON stays bounded whatever a client sends.
    let mut kept: Vec<(i64, i64)> = Vec::with_capacity(drawn.questions.len());
    for &(q, o) in answers {
        if drawn.questions.iter().any(|d| d.question_id == q) {
            kept.retain(|&(kq, _)| kq != q);
            kept.push((q, o));
        }
    }
    Ok(kept)
}

/// Autosave: replaces the saved answers of an open attempt (idempotent).
pub async fn save_answers(
    engine: &Engine,
    token: &str,
    attempt_id: i64,
    answers: &[(i64, i64)],
    now: DateTime<Utc>,
) -> PlayResult<()> {
    let a = own_open_attempt(engine, token, attempt_id).await?;
    let bank = engine.bank(a.round_id).await?;
    if !AttemptClock::new(a.started_at, &bank.settings).accepts_at(now) {
        return Err(PlayError::Conflict(
            "Đã hết thời gian làm bài, câu trả lời không được lưu.".into(),
        ));
    }
    let kept = clean_answers(&a.drawn, answers)?;
    let json = serde_json::to_string(&kept).map_err(|e| DbError::Internal(e.to_string()))?;
    if engine.writer.save(attempt_id, json).await? {
        Ok(())
    } else {
        engine.drop_attempt(attempt_id);
        Err(PlayError::Conflict(ALREADY_SUBMITTED.into()))
    }
}

/// What the contestant learns at once: score and time, never the key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SubmitResult {
    pub correct: i32,
    pub total: i32,
    pub duration_ms: i64,
}

/// Scores and stores a submission; answers after the commit. A late submission is refused and
/// the attempt is submitted with what was saved before the deadline (auto-submit).
pub async fn submit(
    engine: &Engine,
    token: &str,
    attempt_id: i64,
    answers: &[(i64, i64)],
    prediction: Option<i64>,
    now: DateTime<Utc>,
) -> PlayResult<SubmitResult> {
    let a = own_open_attempt(engine, token, attempt_id).await?;
    if prediction.is_some_and(|p| p < 0) {
        return Err(DbError::invalid("Số dự đoán phải là số nguyên không âm.").into());
    }
    let bank = engine.bank(a.round_id).await?;
    let clock = AttemptClock::new(a.started_at, &bank.settings);
    let late = !clock.accepts_at(now);
    let (answers, prediction, submitted_at) = if late {
        // Only the answers saved before the deadline count: read them back.
        let row = own_attempt(engine, token, attempt_id).await?;
        (
            parse_answers(row.answers.as_deref()),
            row.prediction,
            clock.deadline(),
        )
    } else {
        (clean_answers(&a.drawn, answers)?, prediction, now)
    };
    let s = score(&a.drawn, &answers, |qid| {
        bank.question(qid).map(|q| q.correct_option)
    });
    let result = SubmitResult {
        correct: i32::from(s.correct),
        total: i32::from(s.total),
        duration_ms: i64::try_from(clock.duration_ms(submitted_at)).unwrap_or(i64::MAX),
    };
    let stored = engine
        .writer
        .submit(Submission {
            attempt_id,
            round_id: a.round_id,
            contestant_id: a.contestant_id,
            started_at: a.started_at,
            answers: serde_json::to_string(&answers)
                .map_err(|e| DbError::Internal(e.to_string()))?,
            prediction,
            submitted_at,
            correct: result.correct,
            total: result.total,
            duration_ms: result.duration_ms,
        })
        .await?;
    engine.drop_attempt(attempt_id);
    if !stored {
        return Err(PlayError::Conflict(ALREADY_SUBMITTED.into()));
    }
    if late {
        return Err(PlayError::Conflict(format!(
            "Đã hết thời gian làm bài. Bài thi được nộp tự động với các câu đã lưu: đúng {}/{} câu.",
            result.correct, result.total
        )));
    }
    Ok(result)
}

/// Whether a contestant is among the best `top` places of a qualifying round's frozen ranking
/// (people on the exclusion list are ranked there but never qualify).
async fn qualified<C: sea_orm::ConnectionTrait>(
    conn: &C,
    q: &danvan_domain::contest::Qualification,
    contestant_id: i64,
) -> DbResult<bool> {
    use crate::entities::contest_results::{Column as R, Entity as Results};
    use sea_orm::PaginatorTrait;
    let places = Results::find()
        .filter(R::RoundId.is_in(q.from_rounds.clone()))
        .filter(R::ContestantId.eq(contestant_id))
        .filter(R::Rank.lte(i32::try_from(q.top).unwrap_or(i32::MAX)))
        .filter(R::Excluded.eq(false))
        .count(conn)
        .await?;
    Ok(places > 0)
}
