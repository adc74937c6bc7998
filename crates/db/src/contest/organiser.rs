//! Organisers' changes after a round is created: editing its settings (all of them before the
//! opening, only the fairness-neutral ones once open, none after the freeze), and
//! disqualifying (truất quyền) or reinstating a contestant. Scope-checked and audited like
//! [`super::admin`].

use super::admin::{get_contest, get_round, rounds_of};
use super::{Engine, load_questions, parse_settings};
use crate::audit::{self, Entry};
use crate::authz::{Permission, Scope};
use crate::entities::{contest_rounds, contestants};
use crate::{Actor, DbError, DbResult};
use chrono::{DateTime, Utc};
use danvan_domain::contest::{RoundSettings, check_bank};
use danvan_domain::text::fold;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionSession, TransactionTrait,
};
use serde_json::json;

/// A round's editable fields, as the organiser submits them.
pub struct RoundChange<'a> {
    pub name: &'a str,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub settings: &'a RoundSettings,
}

/// What may still change in a round, by its state at `now`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Editable {
    /// Before the opening: everything.
    All,
    /// Open (or closed but not frozen): the name, a later closing time, the prize table and
    /// the minimum score for a prize. Nothing that changes what contestants play or how they
    /// are ranked against each other.
    FairnessNeutral,
    /// Frozen: nothing.
    Nothing,
}

pub fn editable(round: &contest_rounds::Model, now: DateTime<Utc>) -> Editable {
    if round.frozen_at.is_some() {
        Editable::Nothing
    } else if now < round.opens_at {
        Editable::All
    } else {
        Editable::FairnessNeutral
    }
}

/// Checks a round's name, times and settings, as creation does.
pub(crate) fn check_round(
    name: &str,
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
    settings: &RoundSettings,
) -> DbResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(DbError::invalid(
            "Vui lòng nhập tên vòng thi (tối đa 200 ký tự).",
        ));
    }
    if closes_at <= opens_at {
        return Err(DbError::invalid(
            "Thời gian kết thúc phải sau thời gian bắt đầu.",
        ));
    }
    settings
        .validate()
        .map_err(|e| DbError::Invalid(e.to_string()))?;
    Ok(name.to_owned())
}

/// A final round qualifies people from other rounds of the same contest only.
pub(crate) async fn check_qualification<C: ConnectionTrait>(
    conn: &C,
    contest_id: i64,
    round_id: Option<i64>,
    settings: &RoundSettings,
) -> DbResult<()> {
    let Some(q) = &settings.qualification else {
        return Ok(());
    };
    let siblings: Vec<i64> = rounds_of(conn, contest_id)
        .await?
        .into_iter()
        .map(|r| r.id)
        .filter(|id| Some(*id) != round_id)
        .collect();
    match q.from_rounds.iter().find(|r| !siblings.contains(r)) {
        Some(r) => Err(DbError::Invalid(format!(
            "Vòng loại mã {r} không phải một vòng thi khác của cuộc thi này."
        ))),
        None => Ok(()),
    }
}

/// What changed between two settings, by the Vietnamese names of the form's fields.
fn changed_fields(a: &RoundSettings, b: &RoundSettings) -> Vec<&'static str> {
    [
        (
            a.questions_per_attempt != b.questions_per_attempt,
            "số câu hỏi mỗi lượt",
        ),
        (a.time_limit_secs != b.time_limit_secs, "thời gian làm bài"),
        (a.grace_secs != b.grace_secs, "thời gian bù trễ"),
        (a.max_attempts != b.max_attempts, "số lượt thi tối đa"),
        (
            a.cooldown_secs != b.cooldown_secs,
            "thời gian chờ giữa hai lượt",
        ),
        (a.counting != b.counting, "lượt thi được công nhận"),
        (
            a.prediction_target != b.prediction_target,
            "câu hỏi dự đoán",
        ),
        (a.tie_break != b.tie_break, "thứ tự xếp hạng"),
        (a.stratify != b.stratify, "cơ cấu đề"),
        (a.on_expiry != b.on_expiry, "xử lý bài quá giờ"),
        (
            a.qualification != b.qualification,
            "điều kiện vào chung kết",
        ),
    ]
    .into_iter()
    .filter_map(|(changed, label)| changed.then_some(label))
    .collect()
}

/// Edits a round. Before the opening everything may change; once open only the name, a later
/// closing time (not in the past), the prize table and the minimum score for a prize, so that
/// no contestant plays or is ranked under other rules than another; after the freeze nothing.
/// The audit entry keeps the round before and after. The engine forgets its copy of the round
/// so this process plays by the new settings at once.
pub async fn update_round<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    engine: Option<&Engine>,
    scope: &Scope,
    actor: &Actor,
    round_id: i64,
    change: RoundChange<'_>,
    now: DateTime<Utc>,
) -> DbResult<contest_rounds::Model> {
    let (contest, round) = get_round(conn, scope, round_id).await?;
    scope.require(Permission::Write, contest.unit_id)?;
    let before = parse_settings(&round.settings)?;
    // Times are entered to the second; the stored ones may carry a fraction (and PostgreSQL
    // keeps microseconds only), so a time within the same second is the stored time unchanged.
    let keep = |new: DateTime<Utc>, old: DateTime<Utc>| {
        if new.timestamp() == old.timestamp() {
            old
        } else {
            new
        }
    };
    let opens_at = keep(change.opens_at, round.opens_at);
    let closes_at = keep(change.closes_at, round.closes_at);
    let name = check_round(change.name, opens_at, closes_at, change.settings)?;
    check_qualification(conn, contest.id, Some(round_id), change.settings).await?;
    match editable(&round, now) {
        Editable::Nothing => {
            return Err(DbError::conflict(
                "Kết quả vòng thi đã được chốt: không thể sửa vòng thi.",
            ));
        }
        Editable::FairnessNeutral => {
            let mut locked = changed_fields(&before, change.settings);
            if opens_at != round.opens_at {
                locked.insert(0, "thời gian mở");
            }
            if !locked.is_empty() {
                return Err(DbError::conflict(format!(
                    "Vòng thi đã mở: không thể thay đổi {}. Khi vòng thi đang diễn ra chỉ sửa \
                     được tên, lùi thời gian đóng, cơ cấu giải và số câu đúng tối thiểu để xét giải.",
                    locked.join(", ")
                )));
            }
            if closes_at < round.closes_at {
                return Err(DbError::conflict(
                    "Vòng thi đã mở: chỉ được lùi thời gian đóng, không được đóng sớm hơn.",
                ));
            }
            if closes_at != round.closes_at && closes_at < now {
                return Err(DbError::invalid(
                    "Thời gian đóng mới đã qua: chọn một thời điểm sau bây giờ.",
                ));
            }
        }
        Editable::All => {}
    }
    let settings_json =
        serde_json::to_string(change.settings).map_err(|e| DbError::Internal(e.to_string()))?;
    let snapshot = |name: &str, opens: DateTime<Utc>, closes: DateTime<Utc>, s: &RoundSettings| json!({"name": name, "opens_at": opens, "closes_at": closes, "settings": s});
    let detail = json!({
        "before": snapshot(&round.name, round.opens_at, round.closes_at, &before),
        "after": snapshot(&name, opens_at, closes_at, change.settings),
    });
    let txn = conn.begin().await?;
    let mut active = round.into_active_model();
    active.name = Set(name);
    active.opens_at = Set(opens_at);
    active.closes_at = Set(closes_at);
    active.settings = Set(settings_json);
    let saved = active.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        Entry {
            action: "contest.round.update",
            entity: "contest_round",
            entity_id: Some(round_id.to_string()),
            unit_id: Some(contest.unit_id),
            detail: Some(detail),
        },
    )
    .await?;
    txn.commit().await?;
    if let Some(engine) = engine {
        engine.forget(round_id);
    }
    Ok(saved)
}

/// Why the round's bank cannot supply an attempt under its settings, if it cannot: shown to
/// organisers before the opening (and while open) so that no contestant meets it first.
pub async fn bank_problem<C: ConnectionTrait>(
    conn: &C,
    round: &contest_rounds::Model,
) -> DbResult<Option<String>> {
    if round.frozen_at.is_some() {
        return Ok(None);
    }
    let settings = parse_settings(&round.settings)?;
    let bank = load_questions(conn, round.id).await?;
    Ok(check_bank(&bank, &settings).err().map(|e| e.to_string()))
}

/// Contestants of a contest matching a phone number, a CCCD/CMND or part of a name (without
/// regard to diacritics or case), at most 50.
pub async fn find_contestants<C: ConnectionTrait>(
    conn: &C,
    scope: &Scope,
    contest_id: i64,
    query: &str,
) -> DbResult<Vec<contestants::Model>> {
    let contest = get_contest(conn, scope, contest_id).await?;
    scope.require(Permission::Write, contest.unit_id)?;
    let query = query.trim();
    if query.chars().count() < 2 {
        return Ok(Vec::new());
    }
    let digits = super::admin::exclusion_key(query);
    let cond = if digits.len() >= 9 && !query.chars().any(char::is_alphabetic) {
        Condition::any()
            .add(contestants::Column::Phone.eq(digits.clone()))
            .add(contestants::Column::NationalId.eq(digits))
    } else {
        // The person key starts with the folded name, so one LIKE serves both databases.
        let folded = fold(query).replace(['%', '_', '|'], " ");
        let folded = folded.split_whitespace().collect::<Vec<_>>().join(" ");
        Condition::all().add(contestants::Column::PersonKey.like(format!("%{folded}%|%|%")))
    };
    Ok(contestants::Entity::find()
        .filter(contestants::Column::ContestId.eq(contest_id))
        .filter(cond)
        .order_by_asc(contestants::Column::Id)
        .limit(50)
        .all(conn)
        .await?)
}

/// Disqualifies (truất quyền) a contestant, or reinstates one with `reason = None`. Only while
/// the contest still has a round that is not frozen: frozen results never change. A
/// disqualified contestant keeps playing but is not ranked when a round is frozen.
pub async fn set_disqualified<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    scope: &Scope,
    actor: &Actor,
    contest_id: i64,
    contestant_id: i64,
    reason: Option<&str>,
) -> DbResult<contestants::Model> {
    let person = contestants::Entity::find_by_id(contestant_id)
        .one(conn)
        .await?
        .filter(|p| p.contest_id == contest_id)
        .ok_or(DbError::NotFound("thí sinh"))?;
    let contest = get_contest(conn, scope, person.contest_id).await?;
    scope.require(Permission::Write, contest.unit_id)?;
    let reason = match reason.map(str::trim) {
        Some("") => {
            return Err(DbError::invalid(
                "Vui lòng ghi lý do truất quyền (ví dụ: khai sai thông tin, thi hộ).",
            ));
        }
        Some(r) if r.chars().count() > 500 => {
            return Err(DbError::invalid("Lý do truất quyền tối đa 500 ký tự."));
        }
        other => other.map(str::to_owned),
    };
    let open_rounds = rounds_of(conn, contest.id)
        .await?
        .iter()
        .filter(|r| r.frozen_at.is_none())
        .count();
    if open_rounds == 0 {
        return Err(DbError::conflict(
            "Tất cả các vòng thi đã chốt kết quả: không thể truất quyền hay khôi phục thí sinh.",
        ));
    }
    if person.disqualified == reason.is_some() {
        return Err(DbError::conflict(if reason.is_some() {
            "Thí sinh này đã bị truất quyền trước đó."
        } else {
            "Thí sinh này không bị truất quyền."
        }));
    }
    let before_reason = person.disqualified_reason.clone();
    let txn = conn.begin().await?;
    let mut active = person.into_active_model();
    active.disqualified = Set(reason.is_some());
    active.disqualified_reason = Set(reason.clone());
    let saved = active.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        Entry {
            action: if reason.is_some() {
                "contest.contestant.disqualify"
            } else {
                "contest.contestant.reinstate"
            },
            entity: "contestant",
            entity_id: Some(contestant_id.to_string()),
            unit_id: Some(contest.unit_id),
            detail: Some(json!({
                "full_name": saved.full_name,
                "before": {"disqualified": reason.is_none(), "reason": before_reason},
                "after": {"disqualified": reason.is_some(), "reason": reason},
            })),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Disqualified contestants of a contest, for the contest page.
pub async fn disqualified<C: ConnectionTrait>(
    conn: &C,
    contest_id: i64,
) -> DbResult<Vec<contestants::Model>> {
    Ok(contestants::Entity::find()
        .filter(contestants::Column::ContestId.eq(contest_id))
        .filter(contestants::Column::Disqualified.eq(true))
        .order_by_asc(contestants::Column::Id)
        .limit(500)
        .all(conn)
        .await?)
}
