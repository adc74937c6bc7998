//! The audit log: who did what to which record, when, from where.

use crate::entities::audit_log;
use crate::{Actor, DbResult};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

/// One entry to write.
pub struct Entry<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: Option<String>,
    pub unit_id: Option<i64>,
    pub detail: Option<serde_json::Value>,
}

/// Writes an entry on `conn`: pass the transaction of the change so both land together.
pub async fn record<C: ConnectionTrait>(conn: &C, actor: &Actor, entry: Entry<'_>) -> DbResult<()> {
    audit_log::ActiveModel {
        at: Set(Utc::now()),
        user_id: Set(actor.user_id),
        username: Set(actor.username.clone()),
        ip: Set(actor.ip.clone()),
        action: Set(entry.action.to_string()),
        entity: Set(entry.entity.to_string()),
        entity_id: Set(entry.entity_id),
        unit_id: Set(entry.unit_id),
        detail: Set(entry.detail.map(|d| d.to_string())),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Filters for browsing the log.
#[derive(Debug, Default, Clone)]
pub struct Filter {
    pub username: Option<String>,
    pub action: Option<String>,
    pub entity: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Restrict to these units (a unit admin's subtree); `None` = everything (province admin).
    pub units: Option<Vec<i64>>,
}

pub const PAGE_SIZE: u64 = 50;

/// A page of entries, newest first, and the total count.
pub async fn browse<C: ConnectionTrait>(
    conn: &C,
    filter: &Filter,
    page: u64,
) -> DbResult<(Vec<audit_log::Model>, u64)> {
    let mut cond = Condition::all();
    if let Some(u) = filter.username.as_deref().filter(|s| !s.is_empty()) {
        cond = cond.add(audit_log::Column::Username.eq(u));
    }
    if let Some(a) = filter.action.as_deref().filter(|s| !s.is_empty()) {
        cond = cond.add(audit_log::Column::Action.starts_with(a));
    }
    if let Some(e) = filter.entity.as_deref().filter(|s| !s.is_empty()) {
        cond = cond.add(audit_log::Column::Entity.eq(e));
    }
    if let Some(from) = filter.from {
        cond = cond.add(audit_log::Column::At.gte(start_of(from)));
    }
    if let Some(to) = filter.to.and_then(|d| d.succ_opt()) {
        cond = cond.add(audit_log::Column::At.lt(start_of(to)));
    }
    if let Some(units) = &filter.units {
        cond = cond.add(audit_log::Column::UnitId.is_in(units.clone()));
    }
    let query = audit_log::Entity::find().filter(cond);
    let total = query.clone().count(conn).await?;
    let rows = query
        .order_by_desc(audit_log::Column::Id)
        .offset(page * PAGE_SIZE)
        .limit(PAGE_SIZE)
        .all(conn)
        .await?;
    Ok((rows, total))
}

fn start_of(day: NaiveDate) -> DateTime<Utc> {
    day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()
}
