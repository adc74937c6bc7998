//! Named queries over the unit tree, and the few writes admins make to units.

use crate::audit::{self, Entry};
use crate::authz::{Permission, Scope};
use crate::entities::{unit_event_links, unit_events, units};
use crate::{Actor, DbError, DbResult};
use chrono::{NaiveDate, Utc};
use danvan_domain::text::{fold, strip_unit_type};
use danvan_domain::units::{self as domain, SuccessionEvent, UnitKind, UnitVersion};
use sea_orm::TransactionSession;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use serde::Serialize;
use serde_json::json;
use std::collections::HashMap;

/// Every unit version and every event: the whole history is small (hundreds of rows), so pages
/// load it once per request and let the domain crate answer the date questions.
pub struct History {
    pub units: Vec<units::Model>,
    pub events: Vec<SuccessionEvent>,
    pub event_rows: HashMap<i64, unit_events::Model>,
}

impl History {
    pub async fn load<C: ConnectionTrait>(conn: &C) -> DbResult<History> {
        let units = units::Entity::find()
            .order_by_asc(units::Column::Id)
            .all(conn)
            .await?;
        let event_rows: HashMap<i64, unit_events::Model> = unit_events::Entity::find()
            .all(conn)
            .await?
            .into_iter()
            .map(|e| (e.id, e))
            .collect();
        let links = unit_event_links::Entity::find().all(conn).await?;
        let mut events: HashMap<i64, SuccessionEvent> = HashMap::new();
        for row in event_rows.values() {
            let Some(kind) = domain::EventKind::parse(&row.kind) else {
                continue;
            };
            events.insert(
                row.id,
                SuccessionEvent {
                    id: row.id,
                    date: row.date,
                    kind,
                    from: Vec::new(),
                    to: Vec::new(),
                    legal_basis: row.legal_basis.clone(),
                },
            );
        }
        for l in links {
            if let Some(e) = events.get_mut(&l.event_id) {
                if l.role == "from" {
                    e.from.push(l.unit_id);
                } else {
                    e.to.push(l.unit_id);
                }
            }
        }
        let mut events: Vec<SuccessionEvent> = events.into_values().collect();
        events.sort_by_key(|e| (e.date, e.id));
        Ok(History {
            units,
            events,
            event_rows,
        })
    }

    pub fn versions(&self) -> Vec<UnitVersion> {
        self.units.iter().filter_map(to_version).collect()
    }

    pub fn get(&self, id: i64) -> Option<&units::Model> {
        self.units.iter().find(|u| u.id == id)
    }

    /// Units valid on `day`, optionally of one kind, in tree order with their depth.
    pub fn tree_on(&self, day: NaiveDate, kind: Option<UnitKind>) -> Vec<(&units::Model, usize)> {
        let versions = self.versions();
        let by_id: HashMap<i64, &units::Model> = self.units.iter().map(|u| (u.id, u)).collect();
        domain::tree_on(&versions, day)
            .into_iter()
            .filter(|row| kind.is_none_or(|k| row.unit.kind == k))
            .filter_map(|row| by_id.get(&row.unit.id).map(|u| (*u, row.depth)))
            .collect()
    }

    /// Today's (or `day`'s) successors of a unit, for "now part of …" on old records.
    pub fn successors_on(&self, id: i64, day: NaiveDate) -> Vec<&units::Model> {
        let versions = self.versions();
        let by_id: HashMap<i64, &UnitVersion> = versions.iter().map(|u| (u.id, u)).collect();
        domain::successors_on(&by_id, &self.events, id, day)
            .into_iter()
            .filter_map(|s| self.get(s))
            .collect()
    }

    /// The unit's line of succession as printable steps.
    pub fn line_of(&self, id: i64) -> Vec<SuccessionStep> {
        domain::line_of_succession(&self.events, id)
            .into_iter()
            .map(|e| SuccessionStep {
                event_id: e.id,
                date: e.date,
                kind: e.kind,
                kind_label: e.kind.label(),
                from: e
                    .from
                    .iter()
                    .filter_map(|u| self.get(*u))
                    .map(UnitRef::from)
                    .collect(),
                to: e
                    .to
                    .iter()
                    .filter_map(|u| self.get(*u))
                    .map(UnitRef::from)
                    .collect(),
                legal_basis: e.legal_basis.clone(),
                note: self.event_rows.get(&e.id).and_then(|r| r.note.clone()),
                confirmed: self.event_rows.get(&e.id).is_some_and(|r| r.confirmed),
            })
            .collect()
    }

    /// Units whose name matches `query` without regard to diacritics or case: the exact matches if
    /// any, else names equal without their type word, else names containing the query.
    pub fn find_by_name(&self, query: &str) -> Vec<&units::Model> {
        let q = fold(query.trim());
        if q.is_empty() {
            return Vec::new();
        }
        let mut hits: Vec<(u8, &units::Model)> = self
            .units
            .iter()
            .filter_map(|u| {
                let name = fold(&u.name);
                let rank = if name == q {
                    0
                } else if strip_unit_type(&name) == q {
                    1
                } else if name.contains(&q) {
                    2
                } else {
                    return None;
                };
                Some((rank, u))
            })
            .collect();
        hits.sort_by_key(|(rank, u)| (*rank, u.valid_from, u.id));
        // Only the best kind of match: "Lộc Bình" means the units named so, not every unit
        // whose name merely contains it (Huyện ủy Lộc Bình …).
        let best = hits.first().map(|(rank, _)| *rank);
        hits.into_iter()
            .filter(|(rank, _)| Some(*rank) == best)
            .map(|(_, u)| u)
            .collect()
    }

    /// Ancestors from the root down to the unit's parent, for breadcrumbs.
    pub fn ancestors(&self, id: i64) -> Vec<&units::Model> {
        let mut out = Vec::new();
        let mut current = self.get(id).and_then(|u| u.parent_id);
        while let Some(pid) = current {
            if out.len() > self.units.len() {
                break;
            }
            match self.get(pid) {
                Some(p) => {
                    out.push(p);
                    current = p.parent_id;
                }
                None => break,
            }
        }
        out.reverse();
        out
    }

    /// Children valid on `day`.
    pub fn children_on(&self, id: i64, day: NaiveDate) -> Vec<&units::Model> {
        let mut kids: Vec<&units::Model> = self
            .units
            .iter()
            .filter(|u| u.parent_id == Some(id) && domain::valid_on(u.valid_from, u.valid_to, day))
            .collect();
        kids.sort_by_cached_key(|u| {
            (
                u.kind.as_str() == "commune",
                strip_unit_type(&fold(&u.name)).to_string(),
            )
        });
        kids
    }
}

fn to_version(u: &units::Model) -> Option<UnitVersion> {
    Some(UnitVersion {
        id: u.id,
        code: u.code.clone(),
        name: u.name.clone(),
        kind: UnitKind::parse(&u.kind)?,
        parent_id: u.parent_id,
        valid_from: u.valid_from,
        valid_to: u.valid_to,
    })
}

/// A unit as shown inside another listing.
#[derive(Debug, Clone, Serialize)]
pub struct UnitRef {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

impl From<&units::Model> for UnitRef {
    fn from(u: &units::Model) -> Self {
        UnitRef {
            id: u.id,
            code: u.code.clone(),
            name: u.name.clone(),
            valid_from: u.valid_from,
            valid_to: u.valid_to,
        }
    }
}

/// One event in a line of succession.
#[derive(Debug, Clone, Serialize)]
pub struct SuccessionStep {
    pub event_id: i64,
    pub date: NaiveDate,
    pub kind: domain::EventKind,
    pub kind_label: &'static str,
    pub from: Vec<UnitRef>,
    pub to: Vec<UnitRef>,
    pub legal_basis: Option<String>,
    pub note: Option<String>,
    pub confirmed: bool,
}

pub async fn get<C: ConnectionTrait>(conn: &C, id: i64) -> DbResult<units::Model> {
    units::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(DbError::NotFound("đơn vị"))
}

/// Contact details a unit's admins keep up to date.
pub struct UnitDetails<'a> {
    pub address: &'a str,
    pub phone: &'a str,
}

pub async fn update_details<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    scope: &Scope,
    actor: &Actor,
    id: i64,
    details: UnitDetails<'_>,
) -> DbResult<units::Model> {
    scope.require(Permission::Administer, id)?;
    let phone = details.phone.trim();
    if !phone.is_empty() && !is_phone(phone) {
        return Err(DbError::invalid(
            "Số điện thoại chỉ gồm chữ số, dấu cách, dấu + . - và dài 8–15 số.",
        ));
    }
    let address = details.address.trim();
    if address.chars().count() > 300 {
        return Err(DbError::invalid("Địa chỉ không được dài quá 300 ký tự."));
    }
    let txn = conn.begin().await?;
    let unit = get(&txn, id).await?;
    let before = json!({"address": unit.address, "phone": unit.phone});
    let mut am: units::ActiveModel = unit.into();
    am.address = Set((!address.is_empty()).then(|| address.to_string()));
    am.phone = Set((!phone.is_empty()).then(|| phone.to_string()));
    am.updated_at = Set(Utc::now());
    let saved = am.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        Entry {
            action: "unit.update",
            entity: "unit",
            entity_id: Some(id.to_string()),
            unit_id: Some(id),
            detail: Some(json!({"before": before, "after": {"address": saved.address, "phone": saved.phone}})),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Phone numbers as people write them: digits with spaces, dots, dashes, a leading +.
pub fn is_phone(s: &str) -> bool {
    let digits = s.chars().filter(char::is_ascii_digit).count();
    (8..=15).contains(&digits)
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '+'))
}

/// A province admin's correction of a reference row the sources could not confirm.
pub struct UnitCorrection<'a> {
    pub name: &'a str,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
    pub confirmed: bool,
    pub source: &'a str,
}

pub async fn correct_unit<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    scope: &Scope,
    actor: &Actor,
    id: i64,
    fix: UnitCorrection<'_>,
) -> DbResult<units::Model> {
    scope.require(Permission::ManageReference, id)?;
    let name = fix.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(DbError::invalid(
            "Tên đơn vị không được để trống và dài tối đa 200 ký tự.",
        ));
    }
    if fix.valid_to.is_some_and(|to| to < fix.valid_from) {
        return Err(DbError::invalid(
            "Ngày kết thúc hiệu lực phải sau ngày bắt đầu.",
        ));
    }
    let txn = conn.begin().await?;
    let unit = get(&txn, id).await?;
    let before = json!({"name": unit.name, "valid_from": unit.valid_from, "valid_to": unit.valid_to, "confirmed": unit.confirmed, "source": unit.source});
    let mut am: units::ActiveModel = unit.into();
    am.name = Set(name.to_string());
    am.valid_from = Set(fix.valid_from);
    am.valid_to = Set(fix.valid_to);
    am.confirmed = Set(fix.confirmed);
    let source = fix.source.trim();
    am.source = Set((!source.is_empty()).then(|| source.to_string()));
    am.updated_at = Set(Utc::now());
    let saved = am.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        Entry {
            action: "unit.correct",
            entity: "unit",
            entity_id: Some(id.to_string()),
            unit_id: Some(id),
            detail: Some(json!({"before": before, "after": {"name": saved.name, "valid_from": saved.valid_from, "valid_to": saved.valid_to, "confirmed": saved.confirmed, "source": saved.source}})),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

/// Corrects an event's legal basis or marks it confirmed.
pub async fn correct_event<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    scope: &Scope,
    actor: &Actor,
    event_id: i64,
    legal_basis: &str,
    confirmed: bool,
) -> DbResult<()> {
    let txn = conn.begin().await?;
    let event = unit_events::Entity::find_by_id(event_id)
        .one(&txn)
        .await?
        .ok_or(DbError::NotFound("sự kiện"))?;
    let any_unit = unit_event_links::Entity::find()
        .filter(unit_event_links::Column::EventId.eq(event_id))
        .one(&txn)
        .await?
        .map(|l| l.unit_id)
        .unwrap_or_default();
    scope.require(Permission::ManageReference, any_unit)?;
    let basis = legal_basis.trim();
    if basis.chars().count() > 500 {
        return Err(DbError::invalid("Căn cứ pháp lý dài tối đa 500 ký tự."));
    }
    let before = json!({"legal_basis": event.legal_basis, "confirmed": event.confirmed});
    let mut am: unit_events::ActiveModel = event.into();
    am.legal_basis = Set((!basis.is_empty()).then(|| basis.to_string()));
    am.confirmed = Set(confirmed);
    am.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        Entry {
            action: "unit_event.correct",
            entity: "unit_event",
            entity_id: Some(event_id.to_string()),
            unit_id: None,
            detail: Some(
                json!({"before": before, "after": {"legal_basis": basis, "confirmed": confirmed}}),
            ),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
