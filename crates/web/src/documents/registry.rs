//! The legal-basis registry: entries, what cites them, relations, statuses and review milestones.

use crate::AppState;
use crate::auth::{CsrfForm, CurrentUser, HasCsrf};
use crate::error::AppError;
use crate::layout::Layout;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{Datelike, NaiveDate};
use danvan_db::authz::Permission;
use danvan_db::documents::{self, EntryView, RELATION_KINDS, ReviewDue, STATUSES};
use danvan_db::entities::registry_entries;
use danvan_domain::registry::due_reviews;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/registry", get(index))
        .route("/registry/{id}", get(show))
        .route("/registry/{id}/status", post(set_status))
        .route("/registry/{id}/relations", post(add_relation))
        .route("/registry/{id}/reviews", post(record_review))
        .route("/reviews", get(calendar))
}

pub fn status_label(status: &str) -> &'static str {
    STATUSES
        .iter()
        .find(|(k, _)| *k == status)
        .map(|(_, l)| *l)
        .unwrap_or("chưa rõ")
}

pub fn relation_label(kind: &str) -> &'static str {
    RELATION_KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map(|(_, l)| *l)
        .unwrap_or("liên quan")
}

fn day(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_default()
}

fn is_staff(user: &CurrentUser) -> bool {
    !user.scope.roots_for(Permission::Write).is_empty()
}

#[derive(Deserialize, Default)]
struct ListQuery {
    q: Option<String>,
}

pub struct EntryRow {
    id: i64,
    doc_type: String,
    symbol: String,
    issued_on: String,
    issuer: String,
    title: String,
    status: &'static str,
    citations: u64,
}

impl EntryRow {
    fn new(e: &registry_entries::Model, citations: u64) -> Self {
        EntryRow {
            id: e.id,
            doc_type: e.doc_type.clone(),
            symbol: e.symbol.clone().unwrap_or_default(),
            issued_on: day(e.issued_on),
            issuer: e.issuer.clone().unwrap_or_default(),
            title: e.title.clone().unwrap_or_default(),
            status: status_label(&e.status),
            citations,
        }
    }
}

#[derive(Template)]
#[template(path = "documents/registry.html")]
struct IndexPage {
    layout: Layout,
    q: String,
    rows: Vec<EntryRow>,
}

async fn index(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<ListQuery>,
) -> Result<Html<String>, AppError> {
    let text = q.q.unwrap_or_default();
    let rows = documents::list_entries(&state.db.conn, &text)
        .await?
        .iter()
        .map(|(e, n)| EntryRow::new(e, *n))
        .collect();
    Ok(Html(
        IndexPage {
            layout: Layout::new("Danh mục văn bản", &user, "documents"),
            q: text,
            rows,
        }
        .render()?,
    ))
}

pub struct MilestoneRow {
    key: &'static str,
    label: &'static str,
    due_year: i32,
    done_on: Option<String>,
    note: String,
}

#[derive(Template)]
#[template(path = "documents/entry.html")]
struct EntryPage {
    layout: Layout,
    row: EntryRow,
    view: EntryView,
    milestones: Vec<MilestoneRow>,
    statuses: Vec<(&'static str, &'static str, bool)>,
    kinds: Vec<(&'static str, &'static str)>,
    others: Vec<(i64, String)>,
    staff: bool,
    error: Option<String>,
}

async fn render_entry(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    error: Option<String>,
) -> Result<String, AppError> {
    let view = documents::entry(&state.db.conn, id).await?;
    let citations = view.cited_by.iter().map(|(_, n)| *n as u64).sum();
    let milestones = match view.entry.issued_on {
        Some(issued) => due_reviews(&view.entry.doc_type, issued)
            .into_iter()
            .map(|d| {
                let done = view.reviews.iter().find(|r| r.milestone == d.milestone.key);
                MilestoneRow {
                    key: d.milestone.key,
                    label: d.milestone.label,
                    due_year: d.due_year,
                    done_on: done.map(|r| r.done_on.format("%d/%m/%Y").to_string()),
                    note: done.and_then(|r| r.note.clone()).unwrap_or_default(),
                }
            })
            .collect(),
        None => Vec::new(),
    };
    let others = documents::list_entries(&state.db.conn, "")
        .await?
        .into_iter()
        .filter(|(e, _)| e.id != id)
        .map(|(e, _)| {
            (
                e.id,
                format!(
                    "{} {}",
                    e.doc_type,
                    e.symbol.clone().or(e.title.clone()).unwrap_or_default()
                ),
            )
        })
        .collect();
    let status = view.entry.status.clone();
    Ok(EntryPage {
        layout: Layout::new(
            format!(
                "{} {}",
                view.entry.doc_type,
                view.entry.symbol.clone().unwrap_or_default()
            ),
            user,
            "documents",
        ),
        row: EntryRow::new(&view.entry, citations),
        milestones,
        statuses: STATUSES
            .iter()
            .map(|(k, l)| (*k, *l, *k == status))
            .collect(),
        kinds: RELATION_KINDS.to_vec(),
        others,
        staff: is_staff(user),
        error,
        view,
    }
    .render()?)
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Html<String>, AppError> {
    Ok(Html(render_entry(&state, &user, id, None).await?))
}

async fn after_write(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    result: Result<(), AppError>,
) -> Result<Response, AppError> {
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/registry/{id}")).into_response()),
        Err(AppError::Invalid(m)) | Err(AppError::Conflict(m)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            Html(render_entry(state, user, id, Some(m)).await?),
        )
            .into_response()),
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
struct StatusForm {
    csrf: String,
    status: String,
}

impl HasCsrf for StatusForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn set_status(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(user, form): CsrfForm<StatusForm>,
) -> Result<Response, AppError> {
    let r = documents::set_status(&state.db.conn, &user.scope, &user.actor(), id, &form.status)
        .await
        .map_err(AppError::from);
    after_write(&state, &user, id, r).await
}

#[derive(Deserialize)]
struct RelationForm {
    csrf: String,
    kind: String,
    other: String,
}

impl HasCsrf for RelationForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn add_relation(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(user, form): CsrfForm<RelationForm>,
) -> Result<Response, AppError> {
    let r = async {
        let other: i64 = form
            .other
            .trim()
            .parse()
            .map_err(|_| AppError::invalid("Vui lòng chọn văn bản liên quan."))?;
        documents::add_relation(
            &state.db.conn,
            &user.scope,
            &user.actor(),
            id,
            other,
            &form.kind,
        )
        .await
        .map_err(AppError::from)
    }
    .await;
    after_write(&state, &user, id, r).await
}

#[derive(Deserialize)]
struct ReviewForm {
    csrf: String,
    milestone: String,
    done_on: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    back: Option<String>,
}

impl HasCsrf for ReviewForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn record_review(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(user, form): CsrfForm<ReviewForm>,
) -> Result<Response, AppError> {
    let r = async {
        let done_on = NaiveDate::parse_from_str(form.done_on.trim(), "%Y-%m-%d").map_err(|_| {
            AppError::invalid("Vui lòng nhập ngày đã sơ kết, tổng kết (năm-tháng-ngày).")
        })?;
        documents::record_review(
            &state.db.conn,
            &user.scope,
            &user.actor(),
            id,
            &form.milestone,
            done_on,
            &form.note,
        )
        .await
        .map_err(AppError::from)
    }
    .await;
    if r.is_ok() && form.back.as_deref() == Some("reviews") {
        return Ok(Redirect::to("/reviews").into_response());
    }
    after_write(&state, &user, id, r).await
}

#[derive(Deserialize, Default)]
struct CalendarQuery {
    from: Option<i32>,
}

pub struct YearGroup {
    year: i32,
    items: Vec<ReviewDue>,
}

#[derive(Template)]
#[template(path = "documents/reviews.html")]
struct CalendarPage {
    layout: Layout,
    from: i32,
    to: i32,
    years: Vec<YearGroup>,
    staff: bool,
    today: String,
}

async fn calendar(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<CalendarQuery>,
) -> Result<Html<String>, AppError> {
    let today = chrono::Local::now().date_naive();
    let from = q.from.unwrap_or(today.year() - 2).clamp(1945, 2200);
    let to = from + 7;
    let rows = documents::review_calendar(&state.db.conn, from, to).await?;
    let mut years: Vec<YearGroup> = Vec::new();
    for r in rows {
        match years.last_mut() {
            Some(g) if g.year == r.due_year => g.items.push(r),
            _ => years.push(YearGroup {
                year: r.due_year,
                items: vec![r],
            }),
        }
    }
    Ok(Html(
        CalendarPage {
            layout: Layout::new("Lịch sơ kết, tổng kết", &user, "documents"),
            from,
            to,
            years,
            staff: is_staff(&user),
            today: today.to_string(),
        }
        .render()?,
    ))
}
