//! Organisers' side: contests, rounds, question banks, exclusion lists, freezing results.
//! Every operation checks the caller's scope on the contest's organising unit, and every change
//! is audited in its own transaction.

use super::sqlite_scan::{self, PersonRow};
use super::writer::{Submission, submit_in};
use super::{Engine, LeaderRow, RoundBank, load_questions, parse_settings, vn_date};
use crate::audit::{self, Entry};
use crate::authz::{Permission, Scope};
use crate::entities::{
    contest_attempts, contest_exclusions, contest_questions, contest_results, contest_rounds,
    contest_scores, contestants, contests, units,
};
use crate::{Actor, DbError, DbResult};
use chrono::{DateTime, NaiveDate, Utc};
use danvan_domain::contest::{
    AttemptClock, AttemptResult, ContestantInfo, DrawnAttempt, ExpiryPolicy, Gender, Question,
    RoundSettings, RoundStats, RowError, export_csv, import_bank, rank, score, stats, unit_tallies,
    validate_question,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, TransactionSession,
    TransactionTrait,
};
use serde::{Deserialize, Serialize};
use serde_json::json;
use std::collections::{HashMap, HashSet};

/// Settings of a new contest.
pub struct NewContest<'a> {
    pub title: &'a str,
    pub unit_id: i64,
    pub min_age: Option<u8>,
    pub require_national_id: bool,
    pub require_unit: bool,
}

pub async fn create_contest<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    scope: &Scope,
    actor: &Actor,
    input: NewContest<'_>,
) -> DbResult<contests::Model> {
    scope.require(Permission::Write, input.unit_id)?;
    let title = input.title.trim();
    if title.is_empty() || title.chars().count() > 300 {
        return Err(DbError::invalid(
            "Vui lòng nhập tên cuộc thi (tối đa 300 ký tự).",
        ));
    }
    if input.min_age.is_some_and(|a| a > 100) {
        return Err(DbError::invalid("Độ tuổi tối thiểu không hợp lệ."));
    }
    let txn = conn.begin().await?;
    crate::units::get(&txn, input.unit_id).await?;
    let saved = contests::ActiveModel {
        title: Set(title.to_owned()),
        unit_id: Set(input.unit_id),
        min_age: Set(input.min_age.map(i32::from)),
        require_national_id: Set(input.require_national_id),
        require_unit: Set(input.require_unit),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        actor,
        Entry {
            action: "contest.create",
            entity: "contest",
            entity_id: Some(saved.id.to_string()),
            unit_id: Some(saved.unit_id),
            detail: Some(json!({"title": saved.title})),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Contests the user may see, newest first.
pub async fn list_contests<C: ConnectionTrait>(
    conn: &C,
    scope: &Scope,
) -> DbResult<Vec<contests::Model>> {
    Ok(contests::Entity::find()
        .order_by_desc(contests::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .filter(|c| scope.allows(Permission::Read, c.unit_id))
        .collect())
}

pub async fn get_contest<C: ConnectionTrait>(
    conn: &C,
    scope: &Scope,
    id: i64,
) -> DbResult<contests::Model> {
    contests::Entity::find_by_id(id)
        .one(conn)
        .await?
        .filter(|c| scope.allows(Permission::Read, c.unit_id))
        .ok_or(DbError::NotFound("cuộc thi"))
}

pub async fn rounds_of<C: ConnectionTrait>(
    conn: &C,
    contest_id: i64,
) -> DbResult<Vec<contest_rounds::Model>> {
    Ok(contest_rounds::Entity::find()
        .filter(contest_rounds::Column::ContestId.eq(contest_id))
        .order_by_asc(contest_rounds::Column::OpensAt)
        .all(conn)
        .await?)
}

/// A round and its contest, if the scope may read it.
pub async fn get_round<C: ConnectionTrait>(
    conn: &C,
    scope: &Scope,
    round_id: i64,
) -> DbResult<(contests::Model, contest_rounds::Model)> {
    let round = contest_rounds::Entity::find_by_id(round_id)
        .one(conn)
        .await?
        .ok_or(DbError::NotFound("vòng thi"))?;
    let contest = get_contest(conn, scope, round.contest_id).await?;
    Ok((contest, round))
}

/// A new round: `[opens_at, closes_at)` and its rules.
pub struct NewRound<'a> {
    pub name: &'a str,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub settings: &'a RoundSettings,
}

/// Creates a round (tuần thi, đợt, chung kết) with its settings.
pub async fn create_round<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    scope: &Scope,
    actor: &Actor,
    contest_id: i64,
    new: NewRound<'_>,
) -> DbResult<contest_rounds::Model> {
    let NewRound {
        name,
        opens_at,
        closes_at,
        settings,
    } = new;
    let contest = get_contest(conn, scope, contest_id).await?;
    scope.require(Permission::Write, contest.unit_id)?;
    let name = super::organiser::check_round(name, opens_at, closes_at, settings)?;
    super::organiser::check_qualification(conn, contest_id, None, settings).await?;
    let txn = conn.begin().await?;
    let saved = contest_rounds::ActiveModel {
        contest_id: Set(contest_id),
        name: Set(name),
        opens_at: Set(opens_at),
        closes_at: Set(closes_at),
        settings: Set(
            serde_json::to_string(settings).map_err(|e| DbError::Internal(e.to_string()))?
        ),
        frozen_at: Set(None),
        stats: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        actor,
        Entry {
            action: "contest.round.create",
            entity: "contest_round",
            entity_id: Some(saved.id.to_string()),
            unit_id: Some(contest.unit_id),
            detail: Some(json!({"name": saved.name, "opens_at": opens_at, "closes_at": closes_at})),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Outcome of a bank import: how many questions were added and the rows that were not.
#[derive(Debug, Default)]
pub struct ImportReport {
    pub added: usize,
    pub errors: Vec<RowError>,
}

/// Adds the valid rows of a bank file (CSV or .xlsx, told apart by content) to a round. Refused
/// once the round has opened, so that the bank every contestant draws from is the same (and the
/// in-memory copy never goes stale). A file that cannot be read at all is refused whole.
pub async fn import_questions<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    scope: &Scope,
    actor: &Actor,
    round_id: i64,
    file: &[u8],
    now: DateTime<Utc>,
) -> DbResult<ImportReport> {
    let (contest, round) = get_round(conn, scope, round_id).await?;
    scope.require(Permission::Write, contest.unit_id)?;
    if now >= round.opens_at {
        return Err(DbError::conflict(
            "Vòng thi đã mở: không thể thay đổi ngân hàng câu hỏi.",
        ));
    }
    let rows = import_bank(file).map_err(|e| DbError::Invalid(e.to_string()))?;
    let mut report = ImportReport::default();
    let mut good = Vec::new();
    for row in rows {
        match row {
            Ok(q) => good.push(q),
            Err(e) => report.errors.push(e),
        }
    }
    let txn = conn.begin().await?;
    for q in good {
        add_question_in(&txn, round_id, q).await?;
        report.added += 1;
    }
    audit::record(
        &txn,
        actor,
        Entry {
            action: "contest.questions.import",
            entity: "contest_round",
            entity_id: Some(round_id.to_string()),
            unit_id: Some(contest.unit_id),
            detail: Some(json!({"added": report.added, "rejected": report.errors.len()})),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(report)
}

/// Stores one question. Option ids are random so that they say nothing about the order the
/// writer typed the options in (writers tend to put the right answer first).
pub(crate) async fn add_question_in<C: ConnectionTrait>(
    conn: &C,
    round_id: i64,
    q: danvan_domain::contest::NewQuestion,
) -> DbResult<i64> {
    let mut used = HashSet::new();
    let mut next = || loop {
        let id = i64::from(rand::random::<u32>() >> 1) + 1;
        if used.insert(id) {
            break id;
        }
    };
    let question = q.into_question(0, &mut next);
    validate_question(&question).map_err(|e| DbError::Invalid(e.to_string()))?;
    let saved = contest_questions::ActiveModel {
        round_id: Set(round_id),
        text: Set(question.text.clone()),
        options: Set(serde_json::to_string(&question.options)
            .map_err(|e| DbError::Internal(e.to_string()))?),
        correct_option: Set(question.correct_option),
        topic: Set(question.topic.clone()),
        difficulty: Set(question.difficulty.map(i32::from)),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(saved.id)
}

/// The bank with its answer key, for organisers only.
pub async fn questions<C: ConnectionTrait>(
    conn: &C,
    scope: &Scope,
    round_id: i64,
) -> DbResult<Vec<Question>> {
    let (contest, _) = get_round(conn, scope, round_id).await?;
    scope.require(Permission::Write, contest.unit_id)?;
    load_questions(conn, round_id).await
}

/// The bank as CSV (the importer's format), for organisers.
pub async fn export_questions<C: ConnectionTrait>(
    conn: &C,
    scope: &Scope,
    round_id: i64,
) -> DbResult<String> {
    Ok(export_csv(&questions(conn, scope, round_id).await?))
}

pub async fn question_count<C: ConnectionTrait>(conn: &C, round_id: i64) -> DbResult<u64> {
    Ok(contest_questions::Entity::find()
        .filter(contest_questions::Column::RoundId.eq(round_id))
        .count(conn)
        .await?)
}

/// Normalises a CCCD or phone for the exclusion list: digits only, `+84` as `0`.
pub fn exclusion_key(raw: &str) -> String {
    let digits: String = raw.chars().filter(char::is_ascii_digit).collect();
    match digits.strip_prefix("84") {
        Some(rest) if raw.trim_start().starts_with('+') => format!("0{rest}"),
        _ => digits,
    }
}

/// Adds a CCCD/CMND or phone number to the exclusion list (Ban Tổ chức, Ban Đề thi…).
pub async fn add_exclusion<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    scope: &Scope,
    actor: &Actor,
    contest_id: i64,
    value: &str,
    note: &str,
) -> DbResult<()> {
    let contest = get_contest(conn, scope, contest_id).await?;
    scope.require(Permission::Write, contest.unit_id)?;
    let key = exclusion_key(value);
    if !(9..=12).contains(&key.len()) {
        return Err(DbError::invalid(
            "Nhập số CCCD/CMND (9 hoặc 12 chữ số) hoặc số điện thoại (10 chữ số).",
        ));
    }
    let txn = conn.begin().await?;
    contest_exclusions::ActiveModel {
        contest_id: Set(contest_id),
        value: Set(key.clone()),
        note: Set(note.trim().chars().take(300).collect()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| crate::error::on_unique(e, "Số này đã có trong danh sách loại trừ."))?;
    audit::record(
        &txn,
        actor,
        Entry {
            action: "contest.exclusion.add",
            entity: "contest",
            entity_id: Some(contest_id.to_string()),
            unit_id: Some(contest.unit_id),
            detail: Some(json!({"value": key})),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn exclusions<C: ConnectionTrait>(
    conn: &C,
    contest_id: i64,
) -> DbResult<Vec<contest_exclusions::Model>> {
    Ok(contest_exclusions::Entity::find()
        .filter(contest_exclusions::Column::ContestId.eq(contest_id))
        .order_by_asc(contest_exclusions::Column::Id)
        .all(conn)
        .await?)
}

/// Contestants whose registration was flagged (probable duplicates, another person's CCCD).
pub async fn flagged_contestants<C: ConnectionTrait>(
    conn: &C,
    contest_id: i64,
) -> DbResult<Vec<contestants::Model>> {
    Ok(contestants::Entity::find()
        .filter(contestants::Column::ContestId.eq(contest_id))
        .filter(contestants::Column::Flags.is_not_null())
        .order_by_asc(contestants::Column::Id)
        .limit(500)
        .all(conn)
        .await?)
}

type AttemptRow = (i64, i64, i32, i32, Option<i64>, i64, i64, i64);

/// Rows per page when the close reads through the ORM (PostgreSQL).
const READ_PAGE: u64 = 50_000;

/// Submitted attempts of a round as the ranking needs them: integers only, so that reading two
/// million rows parses no timestamp.
async fn attempt_results(conn: &DatabaseConnection, round_id: i64) -> DbResult<Vec<AttemptResult>> {
    if let Some(rows) = super::sqlite_scan::attempts(conn, round_id).await? {
        return Ok(rows);
    }
    use contest_scores::Column as A;
    // In pages: holding two million driver rows at once took gigabytes.
    let mut out = Vec::new();
    let mut after = i64::MIN;
    loop {
        let page: Vec<AttemptRow> = contest_scores::Entity::find()
            .filter(A::RoundId.eq(round_id))
            .filter(A::AttemptId.gt(after))
            .order_by_asc(A::AttemptId)
            .limit(READ_PAGE)
            .select_only()
            .columns([A::AttemptId, A::ContestantId, A::Correct, A::Total])
            .columns([A::Prediction, A::DurationMs, A::StartedMs, A::SubmittedMs])
            .into_tuple()
            .all(conn)
            .await?;
        let Some(last) = page.last() else {
            return Ok(out);
        };
        after = last.0;
        out.extend(page.into_iter().map(attempt_result));
    }
}

/// One score row as the ranking takes it, whichever way it was read.
pub(super) fn attempt_result(
    (id, who, correct, total, prediction, ms, started, submitted): AttemptRow,
) -> AttemptResult {
    AttemptResult {
        attempt_id: id,
        contestant_id: who,
        correct: u16::try_from(correct).unwrap_or(0),
        total: u16::try_from(total).unwrap_or(0),
        prediction,
        duration_ms: u64::try_from(ms).unwrap_or(u64::MAX),
        started_at_ms: started,
        submitted_at_ms: submitted,
        excluded: false,
        eligible: true,
    }
}

/// The live top rows of an open round (for the cached leaderboard).
pub(crate) async fn top_rows(
    conn: &DatabaseConnection,
    bank: &RoundBank,
    n: usize,
) -> DbResult<Vec<LeaderRow>> {
    let results = attempt_results(conn, bank.round.id).await?;
    let ranking = rank(&results, &bank.settings);
    let top: Vec<_> = ranking.entries.into_iter().take(n).collect();
    let people = names(conn, top.iter().map(|e| e.contestant_id).collect()).await?;
    Ok(top
        .into_iter()
        .map(|e| {
            let (full_name, unit_name) = people.get(&e.contestant_id).cloned().unwrap_or_default();
            LeaderRow {
                rank: e.rank,
                full_name,
                unit_name,
                correct: e.correct,
                total: e.total,
                duration_ms: e.duration_ms,
            }
        })
        .collect())
}

/// Full name and unit name of some contestants.
pub(crate) async fn names<C: ConnectionTrait>(
    conn: &C,
    ids: Vec<i64>,
) -> DbResult<HashMap<i64, (String, Option<String>)>> {
    let mut out = HashMap::new();
    for chunk in ids.chunks(500) {
        let people = contestants::Entity::find()
            .filter(contestants::Column::Id.is_in(chunk.to_vec()))
            .all(conn)
            .await?;
        let unit_ids: Vec<i64> = people.iter().filter_map(|p| p.unit_id).collect();
        let unit_names: HashMap<i64, String> = units::Entity::find()
            .filter(units::Column::Id.is_in(unit_ids))
            .all(conn)
            .await?
            .into_iter()
            .map(|u| (u.id, u.name))
            .collect();
        for p in people {
            let unit = p.unit_id.and_then(|u| unit_names.get(&u).cloned());
            out.insert(p.id, (p.full_name, unit));
        }
    }
    Ok(out)
}

/// How many top places are kept in the frozen list besides every prize winner.
/// A final round takes its qualifiers from this list, so it keeps at least as many.
pub const FROZEN_TOP: u32 = danvan_domain::contest::MAX_QUALIFIERS;

/// What freezing a round produced.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FrozenSummary {
    pub participants: u64,
    pub attempts: u64,
    pub all_correct: u64,
    pub actual_target: i64,
    pub auto_submitted: u64,
    pub prize_winners: u64,
    pub stats: RoundStats,
}

/// How long a freeze may stay unfinished before another organiser may take it over (the first
/// one's process died between claiming the round and storing the results).
pub const FREEZE_TAKEOVER_SECS: i64 = 600;

/// Freezes a closed round in one action: submits attempts left open (with their saved answers,
/// or abandons them, per the round's setting), ranks, assigns prizes, computes statistics and
/// stores them. Afterwards nothing about the round changes; a second freeze is a conflict.
///
/// Three steps, so that the long read of a big round holds no write lock (on SQLite a lock
/// would stall the submissions of another round running in parallel):
/// 1. claim the round and submit its open attempts, committed;
/// 2. read and rank without a transaction: after the claim nothing about the round changes;
/// 3. store the results and statistics in one transaction, only if nobody stored them first.
pub async fn freeze_round(
    conn: &DatabaseConnection,
    engine: Option<&Engine>,
    scope: &Scope,
    actor: &Actor,
    round_id: i64,
    now: DateTime<Utc>,
) -> DbResult<FrozenSummary> {
    let (contest, round) = get_round(conn, scope, round_id).await?;
    scope.require(Permission::Write, contest.unit_id)?;
    if round.stats.is_some() {
        return Err(DbError::conflict("Kết quả vòng thi đã được chốt trước đó."));
    }
    if now < round.closes_at {
        return Err(DbError::conflict(
            "Vòng thi chưa kết thúc: chỉ chốt kết quả sau giờ đóng.",
        ));
    }
    let settings = parse_settings(&round.settings)?;
    let auto_submitted = claim_for_freeze(conn, round_id, &settings, now).await?;
    match rank_and_store(conn, actor, &contest, &round, &settings, auto_submitted).await {
        Ok(summary) => {
            if let Some(engine) = engine {
                engine.forget(round_id);
            }
            Ok(summary)
        }
        Err(e) => {
            // Give the round back so the action can be retried at once.
            let released = contest_rounds::Entity::update_many()
                .col_expr(
                    contest_rounds::Column::FrozenAt,
                    sea_orm::sea_query::Expr::value(Option::<DateTime<Utc>>::None),
                )
                .filter(contest_rounds::Column::Id.eq(round_id))
                .filter(contest_rounds::Column::Stats.is_null())
                .exec(conn)
                .await;
            if let Err(release) = released {
                tracing::error!(round_id, %release, "could not release the freeze claim");
            }
            Err(e)
        }
    }
}

/// Step 1 of a freeze: marks the round as being frozen (of two organisers freezing at once, one
/// wins and the other gets the conflict before any work) and submits the attempts left open.
async fn claim_for_freeze<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    round_id: i64,
    settings: &RoundSettings,
    now: DateTime<Utc>,
) -> DbResult<u64> {
    use contest_rounds::Column as R;
    use sea_orm::sea_query::{Condition, Expr};
    let txn = conn.begin().await?;
    let stale = now - chrono::Duration::seconds(FREEZE_TAKEOVER_SECS);
    let claimed = contest_rounds::Entity::update_many()
        .col_expr(R::FrozenAt, Expr::value(now))
        .filter(R::Id.eq(round_id))
        .filter(R::Stats.is_null())
        .filter(
            Condition::any()
                .add(R::FrozenAt.is_null())
                .add(R::FrozenAt.lt(stale)),
        )
        .exec(&txn)
        .await?;
    if claimed.rows_affected != 1 {
        return Err(DbError::conflict(
            "Vòng thi đang được chốt kết quả hoặc đã được chốt.",
        ));
    }
    let auto_submitted = if settings.on_expiry == ExpiryPolicy::AutoSubmit {
        auto_submit_open(&txn, round_id, settings, now).await?
    } else {
        0
    };
    txn.commit().await?;
    Ok(auto_submitted)
}

/// What the ranking and statistics need to know about the contestants of a contest.
struct People {
    infos: Vec<ContestantInfo>,
    /// On the exclusion list: may play, never win.
    excluded: HashSet<i64>,
    disqualified: HashSet<i64>,
}

/// Reads the contestants of a contest, only the columns the rules need: a contest may have a
/// million of them. The exclusion list is matched in the database.
async fn people_of(conn: &DatabaseConnection, contest_id: i64) -> DbResult<People> {
    use contestants::Column as P;
    use sea_orm::sea_query::{Condition, Query};
    let commune_units: HashSet<i64> = units::Entity::find()
        .filter(units::Column::Kind.eq("commune"))
        .select_only()
        .column(units::Column::Id)
        .into_tuple::<i64>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    let listed = Query::select()
        .column(contest_exclusions::Column::Value)
        .from(contest_exclusions::Entity)
        .and_where(contest_exclusions::Column::ContestId.eq(contest_id))
        .to_owned();
    let excluded: HashSet<i64> = contestants::Entity::find()
        .filter(P::ContestId.eq(contest_id))
        .filter(
            Condition::any()
                .add(P::Phone.in_subquery(listed.clone()))
                .add(P::NationalId.in_subquery(listed)),
        )
        .select_only()
        .column(P::Id)
        .into_tuple::<i64>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    let rows = match sqlite_scan::people(conn, contest_id).await? {
        Some(rows) => rows,
        None => {
            type Row = (i64, Option<i64>, String, NaiveDate, Option<String>, bool);
            let mut rows = Vec::new();
            let mut after = i64::MIN;
            loop {
                let page: Vec<Row> = contestants::Entity::find()
                    .filter(P::ContestId.eq(contest_id))
                    .filter(P::Id.gt(after))
                    .order_by_asc(P::Id)
                    .limit(READ_PAGE)
                    .select_only()
                    .columns([P::Id, P::UnitId, P::Gender, P::BirthDate])
                    .columns([P::GroupName, P::Disqualified])
                    .into_tuple()
                    .all(conn)
                    .await?;
                let Some(last) = page.last() else { break };
                after = last.0;
                rows.extend(page.into_iter().map(
                    |(id, unit_id, gender, birth_date, group, dq)| PersonRow {
                        id,
                        unit_id,
                        gender,
                        birth_date,
                        group,
                        disqualified: dq,
                    },
                ));
            }
            rows
        }
    };
    let mut disqualified = HashSet::new();
    let mut infos = Vec::with_capacity(rows.len());
    for p in rows {
        if p.disqualified {
            disqualified.insert(p.id);
        }
        infos.push(ContestantInfo {
            contestant_id: p.id,
            unit_id: p.unit_id,
            commune_id: p.unit_id.filter(|u| commune_units.contains(u)),
            gender: parse_gender(&p.gender),
            birth_date: p.birth_date,
            group: p.group,
        });
    }
    Ok(People {
        infos,
        excluded,
        disqualified,
    })
}

/// Steps 2 and 3 of a freeze: read, rank, count, then store in one transaction.
async fn rank_and_store(
    conn: &DatabaseConnection,
    actor: &Actor,
    contest: &contests::Model,
    round: &contest_rounds::Model,
    settings: &RoundSettings,
    auto_submitted: u64,
) -> DbResult<FrozenSummary> {
    let round_id = round.id;
    let started = std::time::Instant::now();
    let people = people_of(conn, contest.id).await?;
    let read_people_ms = started.elapsed().as_millis();
    let mut results = attempt_results(conn, round_id).await?;
    for r in &mut results {
        r.excluded = people.excluded.contains(&r.contestant_id);
        r.eligible = !people.disqualified.contains(&r.contestant_id);
    }
    let read_ms = started.elapsed().as_millis();
    let ranking = rank(&results, settings);
    let rank_ms = started.elapsed().as_millis();
    let round_stats = stats(&results, &people.infos, vn_date(round.closes_at));
    let unit_of: HashMap<i64, i64> = people
        .infos
        .iter()
        .filter_map(|p| Some((p.contestant_id, p.unit_id?)))
        .collect();
    let tallies = unit_tallies(&ranking, &unit_of);
    let stats_ms = started.elapsed().as_millis();
    drop(results);
    drop(people);
    let winners = ranking.entries.iter().filter(|e| e.prize.is_some()).count() as u64;

    let keep: Vec<contest_results::ActiveModel> = ranking
        .entries
        .iter()
        .filter(|e| e.prize.is_some() || e.rank <= FROZEN_TOP)
        .map(|e| contest_results::ActiveModel {
            round_id: Set(round_id),
            rank: Set(i32::try_from(e.rank).unwrap_or(i32::MAX)),
            contestant_id: Set(e.contestant_id),
            attempt_id: Set(e.attempt_id),
            correct: Set(i32::from(e.correct)),
            total: Set(i32::from(e.total)),
            prediction: Set(e.prediction),
            prediction_error: Set(e.prediction_error.and_then(|v| i64::try_from(v).ok())),
            duration_ms: Set(i64::try_from(e.duration_ms).unwrap_or(i64::MAX)),
            prize: Set(e.prize.clone()),
            excluded: Set(e.excluded),
            ..Default::default()
        })
        .collect();
    let summary = FrozenSummary {
        participants: ranking.participants,
        attempts: ranking.attempts,
        all_correct: ranking.all_correct,
        actual_target: ranking.actual_target,
        auto_submitted,
        prize_winners: winners,
        stats: round_stats,
    };
    let txn = conn.begin().await?;
    // Only the claimant stores: if another organiser took over a stale claim and finished
    // first, this freeze stores nothing.
    let stored = contest_rounds::Entity::update_many()
        .col_expr(
            contest_rounds::Column::Stats,
            sea_orm::sea_query::Expr::value(
                serde_json::to_string(&summary).map_err(|e| DbError::Internal(e.to_string()))?,
            ),
        )
        .filter(contest_rounds::Column::Id.eq(round_id))
        .filter(contest_rounds::Column::Stats.is_null())
        .exec(&txn)
        .await?;
    if stored.rows_affected != 1 {
        return Err(DbError::conflict("Kết quả vòng thi đã được chốt trước đó."));
    }
    for chunk in keep.chunks(500) {
        contest_results::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    super::collective::store_tallies(&txn, round_id, &tallies).await?;
    audit::record(
        &txn,
        actor,
        Entry {
            action: "contest.round.freeze",
            entity: "contest_round",
            entity_id: Some(round_id.to_string()),
            unit_id: Some(contest.unit_id),
            detail: Some(json!({
                "participants": summary.participants,
                "attempts": summary.attempts,
                "prize_winners": winners,
                "auto_submitted": auto_submitted,
            })),
        },
    )
    .await?;
    txn.commit().await?;
    tracing::info!(
        round_id,
        attempts = summary.attempts,
        read_people_ms,
        read_ms,
        rank_ms,
        stats_ms,
        total_ms = started.elapsed().as_millis(),
        "contest round frozen"
    );
    Ok(summary)
}

fn parse_gender(s: &str) -> Gender {
    match s {
        "nam" => Gender::Nam,
        "nu" => Gender::Nu,
        _ => Gender::Khac,
    }
}

/// Submits, at their deadline, the attempts nobody submitted, with the answers saved so far.
async fn auto_submit_open<C: ConnectionTrait>(
    conn: &C,
    round_id: i64,
    settings: &RoundSettings,
    now: DateTime<Utc>,
) -> DbResult<u64> {
    // Open attempts are those without a score. Asking for "submitted_at IS NULL" instead read
    // every attempt row of the round (8 GB for two million wide rows); this reads two indexes.
    let scored = sea_orm::sea_query::Query::select()
        .column(contest_scores::Column::AttemptId)
        .from(contest_scores::Entity)
        .and_where(contest_scores::Column::RoundId.eq(round_id))
        .to_owned();
    let open_ids: Vec<i64> = contest_attempts::Entity::find()
        .filter(contest_attempts::Column::RoundId.eq(round_id))
        .filter(contest_attempts::Column::Id.not_in_subquery(scored))
        .select_only()
        .column(contest_attempts::Column::Id)
        .into_tuple()
        .all(conn)
        .await?;
    let mut open = Vec::with_capacity(open_ids.len());
    for chunk in open_ids.chunks(500) {
        open.extend(
            contest_attempts::Entity::find()
                .filter(contest_attempts::Column::Id.is_in(chunk.to_vec()))
                .filter(contest_attempts::Column::SubmittedAt.is_null())
                .all(conn)
                .await?,
        );
    }
    if open.is_empty() {
        return Ok(0);
    }
    let bank: HashMap<i64, Question> = load_questions(conn, round_id)
        .await?
        .into_iter()
        .map(|q| (q.id, q))
        .collect();
    let mut n = 0;
    for a in open {
        let drawn: DrawnAttempt = serde_json::from_str(&a.draw)
            .map_err(|e| DbError::Internal(format!("đề thi hỏng: {e}")))?;
        let answers: Vec<(i64, i64)> = a
            .answers
            .as_deref()
            .and_then(|s| serde_json::from_str(s).ok())
            .unwrap_or_default();
        let s = score(&drawn, &answers, |q| bank.get(&q).map(|q| q.correct_option));
        let clock = AttemptClock::new(a.started_at, settings);
        let at = clock.deadline().min(now);
        let stored = submit_in(
            conn,
            &Submission {
                attempt_id: a.id,
                round_id: a.round_id,
                contestant_id: a.contestant_id,
                started_at: a.started_at,
                answers: a.answers.clone().unwrap_or_else(|| "[]".into()),
                prediction: a.prediction,
                submitted_at: at,
                correct: i32::from(s.correct),
                total: i32::from(s.total),
                duration_ms: i64::try_from(clock.duration_ms(at)).unwrap_or(i64::MAX),
            },
        )
        .await?;
        n += u64::from(stored);
    }
    Ok(n)
}

/// The frozen summary of a round, once frozen.
pub fn frozen_summary(round: &contest_rounds::Model) -> Option<FrozenSummary> {
    round
        .stats
        .as_deref()
        .and_then(|s| serde_json::from_str(s).ok())
}

/// One line of the frozen ranked list.
#[derive(Debug, Clone, Serialize)]
pub struct ResultLine {
    pub rank: i32,
    pub prize: Option<String>,
    pub excluded: bool,
    pub full_name: String,
    pub birth_date: NaiveDate,
    pub phone: String,
    pub unit_name: Option<String>,
    pub correct: i32,
    pub total: i32,
    pub prediction: Option<i64>,
    pub prediction_error: Option<i64>,
    pub duration_ms: i64,
}

/// The frozen ranked list (prize winners and the top places), best first.
pub async fn results<C: ConnectionTrait>(
    conn: &C,
    scope: &Scope,
    round_id: i64,
    winners_only: bool,
) -> DbResult<Vec<ResultLine>> {
    let (contest, round) = get_round(conn, scope, round_id).await?;
    scope.require(Permission::Write, contest.unit_id)?;
    if round.stats.is_none() {
        return Err(DbError::conflict("Vòng thi chưa được chốt kết quả."));
    }
    let mut q = contest_results::Entity::find()
        .filter(contest_results::Column::RoundId.eq(round_id))
        .order_by_asc(contest_results::Column::Rank);
    if winners_only {
        q = q.filter(contest_results::Column::Prize.is_not_null());
    }
    let rows = q.all(conn).await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.contestant_id).collect();
    let mut people: HashMap<i64, contestants::Model> = HashMap::new();
    let mut unit_ids = Vec::new();
    for chunk in ids.chunks(500) {
        for p in contestants::Entity::find()
            .filter(contestants::Column::Id.is_in(chunk.to_vec()))
            .all(conn)
            .await?
        {
            unit_ids.extend(p.unit_id);
            people.insert(p.id, p);
        }
    }
    let unit_names = unit_names(conn, unit_ids).await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let p = people.get(&r.contestant_id)?;
            Some(ResultLine {
                rank: r.rank,
                prize: r.prize,
                excluded: r.excluded,
                full_name: p.full_name.clone(),
                birth_date: p.birth_date,
                phone: p.phone.clone(),
                unit_name: p.unit_id.and_then(|u| unit_names.get(&u).cloned()),
                correct: r.correct,
                total: r.total,
                prediction: r.prediction,
                prediction_error: r.prediction_error,
                duration_ms: r.duration_ms,
            })
        })
        .collect())
}

/// Names of units, for statistics and lists.
pub async fn unit_names<C: ConnectionTrait>(
    conn: &C,
    ids: Vec<i64>,
) -> DbResult<HashMap<i64, String>> {
    let mut out = HashMap::new();
    let ids: Vec<i64> = ids
        .into_iter()
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    for chunk in ids.chunks(500) {
        for u in units::Entity::find()
            .filter(units::Column::Id.is_in(chunk.to_vec()))
            .all(conn)
            .await?
        {
            out.insert(u.id, u.name);
        }
    }
    Ok(out)
}

/// The winners list as CSV (UTF-8 with BOM so spreadsheet programs show Vietnamese right).
pub fn winners_csv(lines: &[ResultLine]) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record([
        "Hạng",
        "Giải",
        "Họ và tên",
        "Ngày sinh",
        "Điện thoại",
        "Đơn vị",
        "Số câu đúng",
        "Tổng số câu",
        "Dự đoán",
        "Chênh lệch dự đoán",
        "Thời gian (giây)",
    ]);
    for l in lines {
        let _ = w.write_record([
            l.rank.to_string(),
            l.prize.clone().unwrap_or_default(),
            l.full_name.clone(),
            l.birth_date.format("%d/%m/%Y").to_string(),
            l.phone.clone(),
            l.unit_name.clone().unwrap_or_default(),
            l.correct.to_string(),
            l.total.to_string(),
            l.prediction.map(|p| p.to_string()).unwrap_or_default(),
            l.prediction_error
                .map(|p| p.to_string())
                .unwrap_or_default(),
            format!("{:.3}", l.duration_ms as f64 / 1000.0),
        ]);
    }
    let body = w.into_inner().unwrap_or_default();
    format!("\u{feff}{}", String::from_utf8_lossy(&body))
}

/// Count of contestants and attempts so far (organiser dashboard).
pub async fn round_counts<C: ConnectionTrait>(conn: &C, round_id: i64) -> DbResult<(u64, u64)> {
    let attempts = contest_attempts::Entity::find()
        .filter(contest_attempts::Column::RoundId.eq(round_id))
        .count(conn)
        .await?;
    // Counted from the narrow score rows: both counts read an index only, never the wide rows.
    let submitted = contest_scores::Entity::find()
        .filter(contest_scores::Column::RoundId.eq(round_id))
        .count(conn)
        .await?;
    Ok((attempts, submitted))
}

/// Builds a stored question from the option texts (for the demo bank and tests).
pub fn question_from(
    text: &str,
    options: &[&str],
    correct: usize,
) -> danvan_domain::contest::NewQuestion {
    danvan_domain::contest::NewQuestion {
        text: text.to_owned(),
        options: options.iter().map(|s| (*s).to_owned()).collect(),
        correct,
        topic: None,
        difficulty: None,
    }
}
