//! Documents and the legal-basis registry: importing a text stores its structure and citations,
//! and every cited document becomes (or joins) one registry entry, so references are linked both
//! ways.
//!
//! Reading: every signed-in user (the legal basis is shared across the system). Importing and
//! editing: staff with write access on the importing unit.

use crate::audit::{self, Entry};
use crate::authz::{Permission, Scope};
use crate::entities::{citations, documents, registry_entries, registry_relations, reviews};
use crate::error::on_unique;
use crate::{Actor, DbError, DbResult};
use chrono::{Datelike, NaiveDate, Utc};
use danvan_domain::citations::{Citation, extract};
use danvan_domain::document::{self, Document};
use danvan_domain::registry::{self, Identity};
use danvan_domain::text::fold;
use sea_orm::TransactionSession;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde::Serialize;
use serde_json::json;
use std::collections::{BTreeMap, HashMap};

/// Larger texts are refused: a plan is tens of kilobytes, a whole code a few megabytes.
pub const MAX_TEXT_BYTES: usize = 8 * 1024 * 1024;

/// What to import.
pub struct ImportInput<'a> {
    pub text: &'a str,
    pub filename: Option<&'a str>,
    /// The importing unit; `None` only for system imports (CLI).
    pub unit_id: Option<i64>,
    /// Overrides for what the file lacks (the seed has no header).
    pub title: Option<&'a str>,
    pub symbol: Option<&'a str>,
    pub issued_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Imported {
    pub document_id: i64,
    pub citations: usize,
    pub registry_entries_created: usize,
}

/// "KẾ HOẠCH" → "Kế hoạch".
fn sentence_case(s: &str) -> String {
    let lower = s.trim().to_lowercase();
    let mut chars = lower.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn first_line(text: &str) -> String {
    text.lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("")
        .chars()
        .take(200)
        .collect()
}

pub async fn import<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    scope: Option<&Scope>,
    actor: &Actor,
    input: ImportInput<'_>,
) -> DbResult<Imported> {
    match (scope, input.unit_id) {
        (Some(scope), Some(unit)) => scope.require(Permission::Write, unit)?,
        (Some(_), None) => return Err(DbError::invalid("Vui lòng chọn đơn vị nhập văn bản.")),
        (None, _) => {}
    }
    if input.text.len() > MAX_TEXT_BYTES {
        return Err(DbError::invalid("Văn bản quá lớn (tối đa 8 MB chữ)."));
    }
    if input.text.trim().is_empty() {
        return Err(DbError::invalid("Tệp không có nội dung văn bản."));
    }
    let parsed: Document = document::parse(input.text);
    let found: Vec<Citation> = extract(input.text);
    let requests = registry::requested_reviews(input.text, &found);
    let title = input
        .title
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(String::from)
        .or_else(|| parsed.trich_yeu.as_ref().map(|t| t.text.clone()))
        .unwrap_or_else(|| first_line(input.text));
    let doc_type = parsed.doc_type.as_ref().map(|t| sentence_case(&t.text));
    let symbol = input
        .symbol
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .or_else(|| parsed.header.symbol.clone());
    let issued_on = input.issued_on.or(parsed.header.date);
    let structure = serde_json::to_string(&parsed).map_err(|e| DbError::Internal(e.to_string()))?;

    let txn = conn.begin().await?;
    let mut created = 0;
    // The document's own entry, when it is numbered: what cites it links here.
    let own_entry = match (&symbol, &doc_type) {
        (Some(symbol), Some(doc_type)) => {
            let own = own_citation(symbol, doc_type, issued_on, &title);
            match Identity::of(&own) {
                Some(identity) => {
                    let (entry, new) = find_or_create_entry(&txn, &identity, &own).await?;
                    created += usize::from(new);
                    Some(entry.id)
                }
                None => None,
            }
        }
        _ => None,
    };
    let doc = documents::ActiveModel {
        title: Set(title.clone()),
        doc_type: Set(doc_type),
        symbol: Set(symbol),
        issuer: Set(parsed.header.issuing_body.clone()),
        issued_on: Set(issued_on),
        body: Set(input.text.to_string()),
        structure: Set(structure),
        filename: Set(input.filename.map(String::from)),
        unit_id: Set(input.unit_id),
        registry_id: Set(own_entry),
        created_by: Set(actor.user_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut stored = 0;
    for (ordinal, c) in found.iter().enumerate() {
        let Some(identity) = Identity::of(c) else {
            continue;
        };
        let (entry, new) = find_or_create_entry(&txn, &identity, c).await?;
        created += usize::from(new);
        let request = requests.iter().find(|r| r.citation == ordinal).map(|r| {
            r.milestone
                .map(String::from)
                .unwrap_or_else(|| r.kind.to_string())
        });
        citations::ActiveModel {
            document_id: Set(doc.id),
            registry_id: Set(entry.id),
            ordinal: Set(ordinal as i32),
            start_byte: Set(c.start as i32),
            end_byte: Set(c.end as i32),
            raw: Set(c.raw.clone()),
            flags: Set(serde_json::to_string(&c.flags).unwrap_or_else(|_| "[]".into())),
            review_request: Set(request),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        stored += 1;
    }
    audit::record(
        &txn,
        actor,
        Entry {
            action: "document.import",
            entity: "document",
            entity_id: Some(doc.id.to_string()),
            unit_id: input.unit_id,
            detail: Some(json!({"title": title, "filename": input.filename, "citations": stored, "new_registry_entries": created})),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(Imported {
        document_id: doc.id,
        citations: stored,
        registry_entries_created: created,
    })
}

/// The document's own identity, phrased as a citation of itself.
fn own_citation(
    symbol: &str,
    doc_type: &str,
    issued_on: Option<NaiveDate>,
    title: &str,
) -> Citation {
    // Parse the symbol with the citation reader so number and codes come out canonical.
    let probe = format!("{doc_type} số {symbol}");
    let mut c = extract(&probe).into_iter().next().unwrap_or(Citation {
        raw: probe.clone(),
        start: 0,
        end: probe.len(),
        doc_type: Some(doc_type.to_string()),
        symbol: Some(symbol.to_string()),
        number: None,
        type_code: None,
        issuer_code: None,
        year: None,
        date: None,
        issuer: None,
        subject: None,
        title: None,
        flags: Vec::new(),
        resolved_from: None,
    });
    c.doc_type = Some(doc_type.to_string());
    c.date = issued_on;
    c.subject = Some(title.to_string());
    c
}

/// Finds the registry entry for an identity, creating it when new. An undated citation joins
/// the single dated entry with the same type, number and issuer; a dated citation completes an
/// entry first created from an undated one.
async fn find_or_create_entry<C: ConnectionTrait>(
    conn: &C,
    identity: &Identity,
    c: &Citation,
) -> DbResult<(registry_entries::Model, bool)> {
    let key = identity.key();
    if let Some(e) = registry_entries::Entity::find()
        .filter(registry_entries::Column::IdentityKey.eq(&key))
        .one(conn)
        .await?
    {
        return Ok((fill_missing(conn, e, c).await?, false));
    }
    if identity.title.is_none() {
        let open_key = identity.key_without_year();
        let prefix = open_key.trim_end_matches('?').to_string();
        let candidates = registry_entries::Entity::find()
            .filter(registry_entries::Column::IdentityKey.starts_with(&prefix))
            .all(conn)
            .await?;
        if identity.year.is_none() && candidates.len() == 1 {
            let e = candidates.into_iter().next().expect("one candidate");
            return Ok((fill_missing(conn, e, c).await?, false));
        }
        if let Some(undated) = candidates.into_iter().find(|e| e.identity_key == open_key) {
            let mut am: registry_entries::ActiveModel = undated.into();
            am.identity_key = Set(key.clone());
            am.year = Set(identity.year);
            let e = am.update(conn).await?;
            return Ok((fill_missing(conn, e, c).await?, false));
        }
    }
    let entry = registry_entries::ActiveModel {
        identity_key: Set(key),
        doc_type: Set(c.doc_type.clone().unwrap_or_default()),
        number: Set(c.number.clone()),
        type_code: Set(c.type_code.clone()),
        issuer_code: Set(c.issuer_code.clone()),
        symbol: Set(c.symbol.clone()),
        year: Set(identity.year),
        issued_on: Set(c.date),
        issuer: Set(c.issuer.clone()),
        title: Set(c.title.clone().or_else(|| c.subject.clone())),
        status: Set("unknown".into()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(conn)
    .await
    .map_err(|e| on_unique(e, "Văn bản này đã có trong danh mục."))?;
    Ok((entry, true))
}

/// Completes an entry with what a later citation knows (date, issuer, trích yếu).
async fn fill_missing<C: ConnectionTrait>(
    conn: &C,
    e: registry_entries::Model,
    c: &Citation,
) -> DbResult<registry_entries::Model> {
    let needs = (e.issued_on.is_none() && c.date.is_some())
        || (e.issuer.is_none() && c.issuer.is_some())
        || (e.title.is_none() && (c.subject.is_some() || c.title.is_some()));
    if !needs {
        return Ok(e);
    }
    let mut am: registry_entries::ActiveModel = e.clone().into();
    if e.issued_on.is_none() {
        am.issued_on = Set(c.date);
    }
    if e.issuer.is_none() {
        am.issuer = Set(c.issuer.clone());
    }
    if e.title.is_none() {
        am.title = Set(c.title.clone().or_else(|| c.subject.clone()));
    }
    Ok(am.update(conn).await?)
}

/// A stored document with its citations resolved to registry entries.
pub struct DocumentView {
    pub document: documents::Model,
    pub citations: Vec<(citations::Model, registry_entries::Model)>,
}

pub async fn get<C: ConnectionTrait>(conn: &C, id: i64) -> DbResult<DocumentView> {
    let document = documents::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(DbError::NotFound("văn bản"))?;
    let cites = citations::Entity::find()
        .filter(citations::Column::DocumentId.eq(id))
        .order_by_asc(citations::Column::Ordinal)
        .all(conn)
        .await?;
    let ids: Vec<i64> = cites.iter().map(|c| c.registry_id).collect();
    let entries: HashMap<i64, registry_entries::Model> = registry_entries::Entity::find()
        .filter(registry_entries::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let citations = cites
        .into_iter()
        .filter_map(|c| entries.get(&c.registry_id).cloned().map(|e| (c, e)))
        .collect();
    Ok(DocumentView {
        document,
        citations,
    })
}

pub const PAGE_SIZE: u64 = 30;

/// Documents, newest first.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    page: u64,
) -> DbResult<(Vec<documents::Model>, u64)> {
    let query = documents::Entity::find();
    let total = query.clone().count(conn).await?;
    let rows = query
        .order_by_desc(documents::Column::Id)
        .offset(page * PAGE_SIZE)
        .limit(PAGE_SIZE)
        .all(conn)
        .await?;
    Ok((rows, total))
}

/// Documents by id, in the order asked (search results).
pub async fn by_ids<C: ConnectionTrait>(conn: &C, ids: &[i64]) -> DbResult<Vec<documents::Model>> {
    let mut rows: HashMap<i64, documents::Model> = documents::Entity::find()
        .filter(documents::Column::Id.is_in(ids.to_vec()))
        .all(conn)
        .await?
        .into_iter()
        .map(|d| (d.id, d))
        .collect();
    Ok(ids.iter().filter_map(|id| rows.remove(id)).collect())
}

/// Documents added after `after_id`, oldest first: what a search index must catch up on.
pub async fn added_after<C: ConnectionTrait>(
    conn: &C,
    after_id: i64,
    limit: u64,
) -> DbResult<Vec<documents::Model>> {
    Ok(documents::Entity::find()
        .filter(documents::Column::Id.gt(after_id))
        .order_by_asc(documents::Column::Id)
        .limit(limit)
        .all(conn)
        .await?)
}

/// A registry entry with everything linked to it.
pub struct EntryView {
    pub entry: registry_entries::Model,
    /// Documents citing it: (document, number of citations in it).
    pub cited_by: Vec<(documents::Model, usize)>,
    /// Stored documents that *are* this entry.
    pub texts: Vec<documents::Model>,
    /// (relation, other entry, this entry is the `from` side)
    pub relations: Vec<(registry_relations::Model, registry_entries::Model, bool)>,
    pub reviews: Vec<reviews::Model>,
}

pub async fn entry<C: ConnectionTrait>(conn: &C, id: i64) -> DbResult<EntryView> {
    let entry = registry_entries::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(DbError::NotFound("văn bản trong danh mục"))?;
    let cites = citations::Entity::find()
        .filter(citations::Column::RegistryId.eq(id))
        .all(conn)
        .await?;
    let mut counts: BTreeMap<i64, usize> = BTreeMap::new();
    for c in &cites {
        *counts.entry(c.document_id).or_default() += 1;
    }
    let docs = by_ids(conn, &counts.keys().copied().collect::<Vec<_>>()).await?;
    let cited_by = docs
        .into_iter()
        .map(|d| {
            let n = counts.get(&d.id).copied().unwrap_or(0);
            (d, n)
        })
        .collect();
    let texts = documents::Entity::find()
        .filter(documents::Column::RegistryId.eq(id))
        .all(conn)
        .await?;
    let rels = registry_relations::Entity::find()
        .filter(
            Condition::any()
                .add(registry_relations::Column::FromId.eq(id))
                .add(registry_relations::Column::ToId.eq(id)),
        )
        .all(conn)
        .await?;
    let other_ids: Vec<i64> = rels
        .iter()
        .map(|r| if r.from_id == id { r.to_id } else { r.from_id })
        .collect();
    let others: HashMap<i64, registry_entries::Model> = registry_entries::Entity::find()
        .filter(registry_entries::Column::Id.is_in(other_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|e| (e.id, e))
        .collect();
    let relations = rels
        .into_iter()
        .filter_map(|r| {
            let from_side = r.from_id == id;
            let other = if from_side { r.to_id } else { r.from_id };
            others.get(&other).cloned().map(|o| (r, o, from_side))
        })
        .collect();
    let reviews = reviews::Entity::find()
        .filter(reviews::Column::RegistryId.eq(id))
        .all(conn)
        .await?;
    Ok(EntryView {
        entry,
        cited_by,
        texts,
        relations,
        reviews,
    })
}

/// Registry entries, optionally of one type or matching a symbol or name (diacritics-insensitive).
pub async fn list_entries<C: ConnectionTrait>(
    conn: &C,
    query: &str,
) -> DbResult<Vec<(registry_entries::Model, u64)>> {
    let entries = registry_entries::Entity::find()
        .order_by_asc(registry_entries::Column::DocType)
        .order_by_desc(registry_entries::Column::IssuedOn)
        .all(conn)
        .await?;
    let q = fold(query.trim());
    let counts: HashMap<i64, u64> = citations::Entity::find()
        .select_only()
        .column(citations::Column::RegistryId)
        .column_as(citations::Column::Id.count(), "n")
        .group_by(citations::Column::RegistryId)
        .into_tuple::<(i64, i64)>()
        .all(conn)
        .await?
        .into_iter()
        .map(|(id, n)| (id, n as u64))
        .collect();
    Ok(entries
        .into_iter()
        .filter(|e| {
            q.is_empty()
                || fold(&format!(
                    "{} {} {}",
                    e.doc_type,
                    e.symbol.as_deref().unwrap_or(""),
                    e.title.as_deref().unwrap_or("")
                ))
                .contains(&q)
        })
        .map(|e| {
            let n = counts.get(&e.id).copied().unwrap_or(0);
            (e, n)
        })
        .collect())
}

pub const RELATION_KINDS: [(&str, &str); 4] = [
    ("replaces", "thay thế"),
    ("amends", "sửa đổi, bổ sung"),
    ("implements", "triển khai thực hiện"),
    ("guides", "hướng dẫn"),
];

pub const STATUSES: [(&str, &str); 4] = [
    ("unknown", "chưa rõ"),
    ("in_force", "còn hiệu lực"),
    ("replaced", "đã được thay thế"),
    ("expired", "hết hiệu lực"),
];

fn require_staff(scope: &Scope) -> DbResult<()> {
    if scope.roots_for(Permission::Write).is_empty() {
        Err(DbError::Forbidden)
    } else {
        Ok(())
    }
}

/// Records that one entry replaces, amends, implements or guides another.
pub async fn add_relation<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    scope: &Scope,
    actor: &Actor,
    from_id: i64,
    to_id: i64,
    kind: &str,
) -> DbResult<()> {
    require_staff(scope)?;
    if !RELATION_KINDS.iter().any(|(k, _)| *k == kind) {
        return Err(DbError::invalid("Loại quan hệ không hợp lệ."));
    }
    if from_id == to_id {
        return Err(DbError::invalid(
            "Một văn bản không thể có quan hệ với chính nó.",
        ));
    }
    let txn = conn.begin().await?;
    for id in [from_id, to_id] {
        registry_entries::Entity::find_by_id(id)
            .one(&txn)
            .await?
            .ok_or(DbError::NotFound("văn bản trong danh mục"))?;
    }
    registry_relations::ActiveModel {
        from_id: Set(from_id),
        to_id: Set(to_id),
        kind: Set(kind.to_string()),
        note: Set(None),
        created_by: Set(actor.user_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| on_unique(e, "Quan hệ này đã được ghi nhận."))?;
    if kind == "replaces" {
        // What is replaced is no longer in force.
        if let Some(old) = registry_entries::Entity::find_by_id(to_id)
            .one(&txn)
            .await?
        {
            let mut am: registry_entries::ActiveModel = old.into();
            am.status = Set("replaced".into());
            am.update(&txn).await?;
        }
    }
    audit::record(
        &txn,
        actor,
        Entry {
            action: "registry.relate",
            entity: "registry_entry",
            entity_id: Some(from_id.to_string()),
            unit_id: None,
            detail: Some(json!({"kind": kind, "to": to_id})),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn set_status<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    scope: &Scope,
    actor: &Actor,
    id: i64,
    status: &str,
) -> DbResult<()> {
    require_staff(scope)?;
    if !STATUSES.iter().any(|(k, _)| *k == status) {
        return Err(DbError::invalid("Trạng thái không hợp lệ."));
    }
    let txn = conn.begin().await?;
    let e = registry_entries::Entity::find_by_id(id)
        .one(&txn)
        .await?
        .ok_or(DbError::NotFound("văn bản trong danh mục"))?;
    let before = e.status.clone();
    let mut am: registry_entries::ActiveModel = e.into();
    am.status = Set(status.to_string());
    am.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        Entry {
            action: "registry.status",
            entity: "registry_entry",
            entity_id: Some(id.to_string()),
            unit_id: None,
            detail: Some(json!({"before": before, "after": status})),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// One row of the review calendar.
#[derive(Debug, Clone)]
pub struct ReviewDue {
    pub entry: registry_entries::Model,
    pub milestone: registry::Milestone,
    pub due_year: i32,
    pub done: Option<reviews::Model>,
    /// Documents that order this review ("Tổng kết 10 năm thực hiện …").
    pub requested_by: Vec<(i64, String)>,
}

/// Reviews falling due in `from_year..=to_year`, by due year, with what is already done.
pub async fn review_calendar<C: ConnectionTrait>(
    conn: &C,
    from_year: i32,
    to_year: i32,
) -> DbResult<Vec<ReviewDue>> {
    let entries = registry_entries::Entity::find()
        .filter(registry_entries::Column::IssuedOn.is_not_null())
        .all(conn)
        .await?;
    let done: HashMap<(i64, String), reviews::Model> = reviews::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|r| ((r.registry_id, r.milestone.clone()), r))
        .collect();
    let requests = citations::Entity::find()
        .filter(citations::Column::ReviewRequest.is_not_null())
        .all(conn)
        .await?;
    let doc_ids: Vec<i64> = requests.iter().map(|r| r.document_id).collect();
    let titles: HashMap<i64, String> = by_ids(conn, &doc_ids)
        .await?
        .into_iter()
        .map(|d| (d.id, d.title))
        .collect();
    let mut out = Vec::new();
    for e in entries {
        let Some(issued) = e.issued_on else { continue };
        for due in registry::due_reviews(&e.doc_type, issued) {
            if due.due_year < from_year || due.due_year > to_year {
                continue;
            }
            let key = due.milestone.key;
            let kind = if key.starts_with("tong_ket") {
                "tong_ket"
            } else {
                "so_ket"
            };
            let mut requested_by: Vec<(i64, String)> = requests
                .iter()
                .filter(|r| r.registry_id == e.id)
                .filter(|r| {
                    r.review_request
                        .as_deref()
                        .is_some_and(|q| q == key || q == kind)
                })
                .filter_map(|r| {
                    titles
                        .get(&r.document_id)
                        .map(|t| (r.document_id, t.clone()))
                })
                .collect();
            requested_by.dedup();
            out.push(ReviewDue {
                done: done.get(&(e.id, key.to_string())).cloned(),
                entry: e.clone(),
                milestone: due.milestone,
                due_year: due.due_year,
                requested_by,
            });
        }
    }
    out.sort_by(|a, b| {
        (a.due_year, a.requested_by.is_empty(), a.entry.issued_on).cmp(&(
            b.due_year,
            b.requested_by.is_empty(),
            b.entry.issued_on,
        ))
    });
    Ok(out)
}

/// Records that a review was held.
pub async fn record_review<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    scope: &Scope,
    actor: &Actor,
    registry_id: i64,
    milestone: &str,
    done_on: NaiveDate,
    note: &str,
) -> DbResult<()> {
    require_staff(scope)?;
    let m = registry::milestone(milestone)
        .ok_or_else(|| DbError::invalid("Mốc sơ kết, tổng kết không hợp lệ."))?;
    let txn = conn.begin().await?;
    let e = registry_entries::Entity::find_by_id(registry_id)
        .one(&txn)
        .await?
        .ok_or(DbError::NotFound("văn bản trong danh mục"))?;
    let issued = e
        .issued_on
        .ok_or_else(|| DbError::invalid("Văn bản chưa có ngày ban hành nên chưa tính được mốc."))?;
    let due_year = issued.year() + m.years;
    if done_on < issued {
        return Err(DbError::invalid(
            "Ngày sơ kết, tổng kết không thể trước ngày ban hành văn bản.",
        ));
    }
    reviews::ActiveModel {
        registry_id: Set(registry_id),
        milestone: Set(m.key.to_string()),
        due_year: Set(due_year),
        done_on: Set(done_on),
        note: Set(Some(note.trim().to_string()).filter(|n| !n.is_empty())),
        recorded_by: Set(actor.user_id),
        recorded_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| on_unique(e, "Mốc này đã được ghi nhận là hoàn thành."))?;
    audit::record(
        &txn,
        actor,
        Entry {
            action: "registry.review",
            entity: "registry_entry",
            entity_id: Some(registry_id.to_string()),
            unit_id: None,
            detail: Some(json!({"milestone": m.key, "done_on": done_on})),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
