//! The working calendar statutory clocks run on: the built-in Vietnamese holidays, overridden
//! year by year by the official schedules an admin enters.

use crate::audit::{self, Entry};
use crate::authz::{Permission, Scope};
use crate::entities::official_calendars;
use crate::{Actor, DbError, DbResult};
use chrono::{Datelike, NaiveDate, Utc};
use danvan_domain::calendar::WorkCalendar;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, QueryOrder, Set};
use serde_json::json;

fn dates(json_text: &str) -> Vec<NaiveDate> {
    serde_json::from_str(json_text).unwrap_or_default()
}

/// Built-in rules plus every stored official schedule.
pub async fn work_calendar<C: ConnectionTrait>(conn: &C) -> DbResult<WorkCalendar> {
    let mut cal = WorkCalendar::builtin();
    for row in official_calendars::Entity::find().all(conn).await? {
        cal = cal.with_official_schedule(row.year, dates(&row.off_days), dates(&row.working_days));
    }
    Ok(cal)
}

/// The stored schedules, newest year first: (year, days off, extra working days, note).
pub async fn schedules<C: ConnectionTrait>(
    conn: &C,
) -> DbResult<Vec<(i32, Vec<NaiveDate>, Vec<NaiveDate>, Option<String>)>> {
    Ok(official_calendars::Entity::find()
        .order_by_desc(official_calendars::Column::Year)
        .all(conn)
        .await?
        .into_iter()
        .map(|r| (r.year, dates(&r.off_days), dates(&r.working_days), r.note))
        .collect())
}

/// Records a year's official schedule (province admins only); replaces an earlier one.
pub async fn set_schedule<C: ConnectionTrait>(
    conn: &C,
    scope: &Scope,
    actor: &Actor,
    year: i32,
    off_days: Vec<NaiveDate>,
    working_days: Vec<NaiveDate>,
    note: &str,
) -> DbResult<()> {
    if !scope.allows(Permission::ManageReference, 0) {
        return Err(DbError::Forbidden);
    }
    if !(2000..=2100).contains(&year) {
        return Err(DbError::invalid("Năm không hợp lệ."));
    }
    if let Some(d) = off_days
        .iter()
        .chain(&working_days)
        .find(|d| d.year() != year)
    {
        return Err(DbError::invalid(format!(
            "Ngày {} không thuộc năm {year}.",
            d.format("%d/%m/%Y")
        )));
    }
    if let Some(d) = off_days.iter().find(|d| working_days.contains(d)) {
        return Err(DbError::invalid(format!(
            "Ngày {} vừa là ngày nghỉ vừa là ngày làm bù.",
            d.format("%d/%m/%Y")
        )));
    }
    let row = official_calendars::ActiveModel {
        year: Set(year),
        off_days: Set(serde_json::to_string(&off_days).unwrap_or_else(|_| "[]".into())),
        working_days: Set(serde_json::to_string(&working_days).unwrap_or_else(|_| "[]".into())),
        note: Set(Some(note.trim().to_string()).filter(|n| !n.is_empty())),
        updated_by: Set(actor.user_id),
        updated_at: Set(Utc::now()),
    };
    let exists = official_calendars::Entity::find_by_id(year)
        .one(conn)
        .await?
        .is_some();
    if exists {
        row.update(conn).await?;
    } else {
        row.insert(conn).await?;
    }
    audit::record(
        conn,
        actor,
        Entry {
            action: "calendar.official",
            entity: "official_calendar",
            entity_id: Some(year.to_string()),
            unit_id: None,
            detail: Some(json!({"off_days": off_days.len(), "working_days": working_days.len(), "note": note})),
        },
    )
    .await?;
    Ok(())
}
