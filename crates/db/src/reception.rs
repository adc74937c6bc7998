//! Tiếp công dân and đối thoại: reception days with their records and the legal minimum,
//! dialogues with their questions and answers, and the commitments made there, which the
//! public can follow.

use crate::audit::{self, Entry};
use crate::authz::{Permission, Scope};
use crate::entities::{commitments, dialogues, reception_sessions, units, voice_cases};
use crate::{Actor, DbError, DbResult};
use chrono::{Datelike, NaiveDate, Utc};
use danvan_domain::reception::{Host, shortfall};
use danvan_domain::units::UnitKind;
use sea_orm::TransactionSession;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};
use serde_json::json;

fn text(value: &str, what: &str, max: usize) -> DbResult<String> {
    let t = value.trim();
    if t.is_empty() || t.chars().count() > max {
        return Err(DbError::invalid(format!(
            "Vui lòng nhập {what} (tối đa {max} ký tự)."
        )));
    }
    Ok(t.to_string())
}

fn optional(value: &str, what: &str, max: usize) -> DbResult<Option<String>> {
    if value.trim().is_empty() {
        Ok(None)
    } else {
        text(value, what, max).map(Some)
    }
}

/// The hosts whose minimum applies to a unit of this kind.
pub fn hosts_for(kind: &str) -> Vec<Host> {
    match UnitKind::parse(kind) {
        Some(UnitKind::Province) => vec![Host::ProvinceChair, Host::ProvinceSecretary],
        Some(UnitKind::Commune) => vec![Host::CommuneChair, Host::CommuneSecretary],
        Some(UnitKind::State) => vec![Host::AgencyHead],
        _ => Vec::new(),
    }
}

/// A reception day to record.
pub struct NewSession<'a> {
    pub host: &'a str,
    pub host_name: &'a str,
    pub held_on: NaiveDate,
    pub place: &'a str,
    pub visitors: &'a str,
    pub summary: &'a str,
}

pub async fn create_session<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    scope: &Scope,
    actor: &Actor,
    unit_id: i64,
    input: NewSession<'_>,
) -> DbResult<reception_sessions::Model> {
    scope.require(Permission::Write, unit_id)?;
    let host = Host::parse(input.host)
        .ok_or_else(|| DbError::invalid("Vui lòng chọn người chủ trì tiếp công dân."))?;
    let host_name = text(input.host_name, "họ tên người tiếp", 120)?;
    let place = text(input.place, "địa điểm", 300)?;
    let visitors = optional(input.visitors, "người đến", 5_000)?;
    let summary = optional(input.summary, "nội dung", 10_000)?;
    let txn = conn.begin().await?;
    crate::units::get(&txn, unit_id).await?;
    let saved = reception_sessions::ActiveModel {
        unit_id: Set(unit_id),
        host: Set(host.as_str().into()),
        host_name: Set(host_name),
        held_on: Set(input.held_on),
        place: Set(place),
        visitors: Set(visitors),
        summary: Set(summary),
        created_by: Set(actor.username.clone()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        actor,
        Entry {
            action: "reception.create",
            entity: "reception_session",
            entity_id: Some(saved.id.to_string()),
            unit_id: Some(unit_id),
            detail: Some(json!({"host": saved.host, "held_on": saved.held_on})),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// One host's check for the month.
pub struct HostCheck {
    pub host: Host,
    pub days: Vec<NaiveDate>,
    pub shortfall: Option<String>,
}

/// A unit's reception days in a month and, for each host the law names for that kind of unit,
/// whether the minimum is met.
pub async fn month<C: ConnectionTrait>(
    conn: &C,
    scope: &Scope,
    unit_id: i64,
    year: i32,
    month: u32,
) -> DbResult<(Vec<reception_sessions::Model>, Vec<HostCheck>)> {
    scope.require(Permission::Read, unit_id)?;
    let unit = crate::units::get(conn, unit_id).await?;
    let first = NaiveDate::from_ymd_opt(year, month, 1)
        .ok_or_else(|| DbError::invalid("Tháng không hợp lệ."))?;
    // A week that starts in this month may end in the next: read a week beyond.
    let until = first
        .checked_add_months(chrono::Months::new(1))
        .and_then(|d| d.checked_add_days(chrono::Days::new(7)))
        .ok_or_else(|| DbError::invalid("Tháng không hợp lệ."))?;
    let sessions = reception_sessions::Entity::find()
        .filter(reception_sessions::Column::UnitId.eq(unit_id))
        .filter(reception_sessions::Column::HeldOn.gte(first))
        .filter(reception_sessions::Column::HeldOn.lt(until))
        .order_by_asc(reception_sessions::Column::HeldOn)
        .all(conn)
        .await?;
    let checks = hosts_for(&unit.kind)
        .into_iter()
        .map(|host| {
            let days: Vec<NaiveDate> = sessions
                .iter()
                .filter(|s| s.host == host.as_str())
                .map(|s| s.held_on)
                .collect();
            HostCheck {
                host,
                shortfall: shortfall(host, year, month, &days),
                days: days.into_iter().filter(|d| d.month() == month).collect(),
            }
        })
        .collect();
    let sessions = sessions
        .into_iter()
        .filter(|s| s.held_on.month() == month && s.held_on.year() == year)
        .collect();
    Ok((sessions, checks))
}

/// A session with the cases raised at it: (id, title, status).
pub async fn session<C: ConnectionTrait>(
    conn: &C,
    scope: &Scope,
    id: i64,
) -> DbResult<(reception_sessions::Model, Vec<(i64, String, String)>)> {
    let s = reception_sessions::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(DbError::NotFound("buổi tiếp công dân"))?;
    if !scope.allows(Permission::Read, s.unit_id) {
        return Err(DbError::NotFound("buổi tiếp công dân"));
    }
    let cases = voice_cases::Entity::find()
        .select_only()
        .columns([
            voice_cases::Column::Id,
            voice_cases::Column::Title,
            voice_cases::Column::Status,
        ])
        .filter(voice_cases::Column::ReceptionSessionId.eq(id))
        .order_by_asc(voice_cases::Column::Id)
        .into_tuple()
        .all(conn)
        .await?;
    Ok((s, cases))
}

/// A dialogue to record.
pub struct NewDialogue<'a> {
    pub held_on: NaiveDate,
    pub place: &'a str,
    pub host_name: &'a str,
    pub participants: &'a str,
    pub questions: &'a str,
    pub answers: &'a str,
}

pub async fn create_dialogue<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    scope: &Scope,
    actor: &Actor,
    unit_id: i64,
    input: NewDialogue<'_>,
) -> DbResult<dialogues::Model> {
    scope.require(Permission::Write, unit_id)?;
    let place = text(input.place, "địa điểm", 300)?;
    let host_name = text(input.host_name, "người chủ trì", 120)?;
    let participants = text(input.participants, "thành phần tham dự", 5_000)?;
    let questions = text(input.questions, "các ý kiến, câu hỏi", 20_000)?;
    let answers = text(input.answers, "nội dung trả lời", 20_000)?;
    let txn = conn.begin().await?;
    crate::units::get(&txn, unit_id).await?;
    let saved = dialogues::ActiveModel {
        unit_id: Set(unit_id),
        held_on: Set(input.held_on),
        place: Set(place),
        host_name: Set(host_name),
        participants: Set(participants),
        questions: Set(questions),
        answers: Set(answers),
        created_by: Set(actor.username.clone()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        actor,
        Entry {
            action: "dialogue.create",
            entity: "dialogue",
            entity_id: Some(saved.id.to_string()),
            unit_id: Some(unit_id),
            detail: Some(json!({"held_on": saved.held_on, "host_name": saved.host_name})),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Dialogues of the units in scope, newest first.
pub async fn dialogues<C: ConnectionTrait>(
    conn: &C,
    scope: &Scope,
) -> DbResult<Vec<dialogues::Model>> {
    let mut q = dialogues::Entity::find();
    if !scope.is_province_admin() {
        q = q.filter(dialogues::Column::UnitId.is_in(scope.units_for(Permission::Read)));
    }
    Ok(q.order_by_desc(dialogues::Column::HeldOn)
        .limit(200)
        .all(conn)
        .await?)
}

pub async fn dialogue<C: ConnectionTrait>(
    conn: &C,
    scope: &Scope,
    id: i64,
) -> DbResult<(dialogues::Model, Vec<commitments::Model>)> {
    let d = dialogues::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(DbError::NotFound("cuộc đối thoại"))?;
    if !scope.allows(Permission::Read, d.unit_id) {
        return Err(DbError::NotFound("cuộc đối thoại"));
    }
    let items = commitments::Entity::find()
        .filter(commitments::Column::DialogueId.eq(id))
        .order_by_asc(commitments::Column::Id)
        .all(conn)
        .await?;
    Ok((d, items))
}

/// Records a promise made at a dialogue.
pub async fn add_commitment<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    scope: &Scope,
    actor: &Actor,
    dialogue_id: i64,
    content: &str,
    owner: &str,
    due_on: NaiveDate,
) -> DbResult<commitments::Model> {
    let (d, _) = dialogue(conn, scope, dialogue_id).await?;
    scope.require(Permission::Write, d.unit_id)?;
    let content = text(content, "nội dung cam kết", 2_000)?;
    let owner = text(owner, "người, cơ quan chịu trách nhiệm", 200)?;
    if due_on < d.held_on {
        return Err(DbError::invalid(
            "Hạn thực hiện không được trước ngày đối thoại.",
        ));
    }
    let txn = conn.begin().await?;
    let saved = commitments::ActiveModel {
        dialogue_id: Set(d.id),
        unit_id: Set(d.unit_id),
        content: Set(content),
        owner: Set(owner),
        due_on: Set(due_on),
        status: Set("open".into()),
        result: Set(None),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        actor,
        Entry {
            action: "commitment.create",
            entity: "commitment",
            entity_id: Some(saved.id.to_string()),
            unit_id: Some(d.unit_id),
            detail: Some(json!({"owner": saved.owner, "due_on": saved.due_on})),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Marks a commitment fulfilled, with what was done.
pub async fn fulfil<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    scope: &Scope,
    actor: &Actor,
    id: i64,
    result: &str,
) -> DbResult<commitments::Model> {
    let c = commitments::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(DbError::NotFound("cam kết"))?;
    if !scope.allows(Permission::Read, c.unit_id) {
        return Err(DbError::NotFound("cam kết"));
    }
    scope.require(Permission::Write, c.unit_id)?;
    if c.status == "done" {
        return Err(DbError::conflict(
            "Cam kết này đã được ghi nhận hoàn thành.",
        ));
    }
    let result = text(result, "kết quả thực hiện", 2_000)?;
    let unit_id = c.unit_id;
    let txn = conn.begin().await?;
    let mut am: commitments::ActiveModel = c.into();
    am.status = Set("done".into());
    am.result = Set(Some(result));
    am.updated_at = Set(Utc::now());
    let saved = am.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        Entry {
            action: "commitment.fulfil",
            entity: "commitment",
            entity_id: Some(id.to_string()),
            unit_id: Some(unit_id),
            detail: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// A commitment as the public sees it.
pub struct PublicCommitment {
    pub unit: String,
    pub held_on: NaiveDate,
    pub content: String,
    pub owner: String,
    pub due_on: NaiveDate,
    pub done: bool,
    pub overdue: bool,
    pub result: Option<String>,
}

/// Every commitment, the nearest deadline first: promises made to the people are public.
pub async fn public_commitments<C: ConnectionTrait>(
    conn: &C,
    today: NaiveDate,
) -> DbResult<Vec<PublicCommitment>> {
    let rows = commitments::Entity::find()
        .order_by_asc(commitments::Column::Status)
        .order_by_asc(commitments::Column::DueOn)
        .limit(500)
        .all(conn)
        .await?;
    let dialogue_ids: Vec<i64> = rows.iter().map(|r| r.dialogue_id).collect();
    let dates: std::collections::HashMap<i64, NaiveDate> = dialogues::Entity::find()
        .filter(dialogues::Column::Id.is_in(dialogue_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|d| (d.id, d.held_on))
        .collect();
    let unit_ids: Vec<i64> = rows.iter().map(|r| r.unit_id).collect();
    let names: std::collections::HashMap<i64, String> = units::Entity::find()
        .filter(units::Column::Id.is_in(unit_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    Ok(rows
        .into_iter()
        .map(|r| PublicCommitment {
            unit: names.get(&r.unit_id).cloned().unwrap_or_default(),
            held_on: dates.get(&r.dialogue_id).copied().unwrap_or(r.due_on),
            done: r.status == "done",
            overdue: r.status != "done" && r.due_on < today,
            content: r.content,
            owner: r.owner,
            due_on: r.due_on,
            result: r.result,
        })
        .collect())
}
