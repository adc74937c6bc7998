//! Built-in reference data: Lạng Sơn's administrative units through the 2024 and 2025 reforms,
//! the province's main organisations, and the events between them.
//!
//! The data are CSV files under `reference/lang-son/` (see their SOURCES.md). They are loaded
//! once into an empty database; afterwards the rows belong to the province admin, who can correct
//! what the sources could not confirm.

use crate::audit::{self, Entry};
use crate::entities::{unit_event_links, unit_events, units};
use crate::{Actor, DbError, DbResult};
use chrono::{NaiveDate, Utc};
use danvan_domain::units::{EventKind, UnitKind, valid_on};
use sea_orm::TransactionSession;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, EntityTrait, PaginatorTrait, Set, TransactionTrait,
};
use serde::Deserialize;
use serde_json::json;
use std::collections::HashMap;

const UNITS: &str = include_str!("../reference/lang-son/units.csv");
const ORGANISATIONS: &str = include_str!("../reference/lang-son/organisations.csv");
const EVENTS: &str = include_str!("../reference/lang-son/events.csv");
const ORGANISATION_EVENTS: &str = include_str!("../reference/lang-son/organisation-events.csv");

#[derive(Debug, Deserialize)]
struct UnitRow {
    code: String,
    name: String,
    kind: String,
    subtype: String,
    parent_code: String,
    valid_from: NaiveDate,
    valid_to: Option<NaiveDate>,
    confirmed: String,
    source: String,
}

#[derive(Debug, Deserialize)]
struct EventRow {
    date: NaiveDate,
    event_type: String,
    from_codes: String,
    to_codes: String,
    legal_basis: String,
    confirmed: String,
    note: String,
    source: String,
}

fn read_csv<T: for<'de> Deserialize<'de>>(name: &str, text: &str) -> DbResult<Vec<T>> {
    csv::Reader::from_reader(text.as_bytes())
        .deserialize()
        .enumerate()
        .map(|(i, r)| r.map_err(|e| DbError::Internal(format!("{name}, dòng {}: {e}", i + 2))))
        .collect()
}

fn non_empty(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// The district-level Party committee and People's Committee each district had until 30/6/2025:
/// generated from the districts rather than listed, because the rule is uniform.
fn district_bodies(districts: &[&UnitRow]) -> Vec<UnitRow> {
    let mut rows = Vec::new();
    for d in districts {
        let place = d
            .name
            .strip_prefix("Huyện ")
            .or_else(|| d.name.strip_prefix("Thành phố "))
            .unwrap_or(&d.name);
        let city = d.subtype == "thanh_pho";
        let (party, state) = if city {
            (
                format!("Thành ủy {place}"),
                format!("Ủy ban nhân dân thành phố {place}"),
            )
        } else {
            (
                format!("Huyện ủy {place}"),
                format!("Ủy ban nhân dân huyện {place}"),
            )
        };
        for (suffix, name, kind, subtype) in [
            ("HU", party, "party", "huyen_uy"),
            ("UBND", state, "state", "ubnd"),
        ] {
            rows.push(UnitRow {
                code: format!("ORG-{}-{suffix}", d.code),
                name,
                kind: kind.into(),
                subtype: subtype.into(),
                parent_code: d.code.clone(),
                valid_from: d.valid_from,
                valid_to: d.valid_to,
                confirmed: "yes".into(),
                source: "Cấp huyện có huyện ủy/thành ủy và UBND đến 30/6/2025".into(),
            });
        }
    }
    rows
}

/// Loads the reference data when the unit table is empty. Returns the number of units loaded.
pub async fn load_if_empty<C: ConnectionTrait + TransactionTrait>(conn: &C) -> DbResult<usize> {
    if units::Entity::find().count(conn).await? > 0 {
        return Ok(0);
    }
    let mut rows: Vec<UnitRow> = read_csv("units.csv", UNITS)?;
    let districts: Vec<&UnitRow> = rows.iter().filter(|r| r.kind == "district").collect();
    let generated = district_bodies(&districts);
    rows.extend(generated);
    rows.extend(read_csv::<UnitRow>("organisations.csv", ORGANISATIONS)?);
    let mut events: Vec<EventRow> = read_csv("events.csv", EVENTS)?;
    events.extend(read_csv::<EventRow>(
        "organisation-events.csv",
        ORGANISATION_EVENTS,
    )?);

    let txn = conn.begin().await?;
    // Parents first: a row's parent is the unit with that code valid on the row's first day.
    let mut by_code = VersionsByCode::new();
    let mut pending: Vec<&UnitRow> = rows.iter().collect();
    let now = Utc::now();
    while !pending.is_empty() {
        let before = pending.len();
        let mut next = Vec::new();
        for row in pending {
            if UnitKind::parse(&row.kind).is_none() {
                return Err(DbError::Internal(format!(
                    "loại đơn vị không hợp lệ: {}",
                    row.kind
                )));
            }
            let parent_id = match non_empty(&row.parent_code) {
                None => None,
                Some(code) => match find_valid(&by_code, &code, row.valid_from) {
                    Some(id) => Some(id),
                    None => {
                        next.push(row);
                        continue;
                    }
                },
            };
            let saved = units::ActiveModel {
                code: Set(row.code.clone()),
                name: Set(row.name.clone()),
                kind: Set(row.kind.clone()),
                subtype: Set(non_empty(&row.subtype)),
                parent_id: Set(parent_id),
                valid_from: Set(row.valid_from),
                valid_to: Set(row.valid_to),
                confirmed: Set(row.confirmed == "yes"),
                source: Set(non_empty(&row.source)),
                address: Set(None),
                phone: Set(None),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            by_code.entry(row.code.clone()).or_default().push((
                saved.id,
                row.valid_from,
                row.valid_to,
            ));
        }
        if next.len() == before {
            let codes: Vec<&str> = next.iter().map(|r| r.code.as_str()).collect();
            return Err(DbError::Internal(format!(
                "không tìm thấy đơn vị cha của: {codes:?}"
            )));
        }
        pending = next;
    }

    for e in &events {
        let kind = EventKind::parse(&e.event_type).ok_or_else(|| {
            DbError::Internal(format!("loại sự kiện không hợp lệ: {}", e.event_type))
        })?;
        let day_before = e.date.pred_opt().unwrap_or(e.date);
        let saved = unit_events::ActiveModel {
            date: Set(e.date),
            kind: Set(kind.as_str().to_string()),
            legal_basis: Set(non_empty(&e.legal_basis)),
            note: Set(non_empty(&e.note)),
            confirmed: Set(e.confirmed == "yes"),
            source: Set(non_empty(&e.source)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        // Codes are reused across reforms, so a predecessor is the unit with that code on the
        // day before the event and a successor the one valid on the day itself.
        let links = split_codes(&e.from_codes)
            .map(|c| (c, day_before, "from"))
            .chain(split_codes(&e.to_codes).map(|c| (c, e.date, "to")));
        for (code, day, role) in links {
            let unit_id = find_valid(&by_code, code, day).ok_or_else(|| {
                DbError::Internal(format!(
                    "sự kiện {}: không có đơn vị {code} vào ngày {day}",
                    e.date
                ))
            })?;
            unit_event_links::ActiveModel {
                event_id: Set(saved.id),
                unit_id: Set(unit_id),
                role: Set(role.to_string()),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
    }
    audit::record(
        &txn,
        &Actor::system(),
        Entry {
            action: "reference.load",
            entity: "unit",
            entity_id: None,
            unit_id: None,
            detail: Some(json!({"units": rows.len(), "events": events.len()})),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(rows.len())
}

/// Saved unit versions by official code: (id, valid_from, valid_to).
type VersionsByCode = HashMap<String, Vec<(i64, NaiveDate, Option<NaiveDate>)>>;

fn split_codes(s: &str) -> impl Iterator<Item = &str> {
    s.split(';').map(str::trim).filter(|c| !c.is_empty())
}

fn find_valid(by_code: &VersionsByCode, code: &str, day: NaiveDate) -> Option<i64> {
    by_code
        .get(code)?
        .iter()
        .find(|(_, from, to)| valid_on(*from, *to, day))
        .map(|(id, _, _)| *id)
}
