//! Directory pages.

use super::{parse_at, parse_kind};
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
use chrono::NaiveDate;
use danvan_db::authz::Permission;
use danvan_db::contacts::{self, ContactInput};
use danvan_db::entities::{unit_contacts, units};
use danvan_db::units::{History, SuccessionStep, UnitDetails};
use danvan_domain::text::fold;
use danvan_domain::units::UnitKind;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/units", get(index))
        .route("/units/tree", get(tree_partial))
        .route("/units/{id}", get(show))
        .route("/units/{id}/details", post(update_details))
        .route("/units/{id}/contacts", post(add_contact))
        .route("/contacts/{id}/delete", post(delete_contact))
        .route("/units/{id}/correct", post(correct_unit))
        .route("/unit-events/{id}/correct", post(correct_event))
}

#[derive(Deserialize, Default)]
pub struct TreeQuery {
    at: Option<String>,
    kind: Option<String>,
    q: Option<String>,
}

pub struct TreeLine {
    id: i64,
    name: String,
    kind_label: &'static str,
    depth: usize,
    confirmed: bool,
}

pub struct KindOption {
    value: &'static str,
    label: &'static str,
    selected: bool,
}

#[derive(Template)]
#[template(path = "units/index.html")]
struct IndexPage {
    layout: Layout,
    at: String,
    q: String,
    kinds: Vec<KindOption>,
    lines: Vec<TreeLine>,
    count: usize,
}

#[derive(Template)]
#[template(path = "units/_tree.html")]
struct TreePartial {
    at: String,
    lines: Vec<TreeLine>,
    count: usize,
}

fn tree_lines(history: &History, at: NaiveDate, kind: Option<UnitKind>, q: &str) -> Vec<TreeLine> {
    let needle = fold(q.trim());
    let filtered = kind.is_some() || !needle.is_empty();
    history
        .tree_on(at, kind)
        .into_iter()
        .filter(|(u, _)| needle.is_empty() || fold(&u.name).contains(&needle))
        .map(|(u, depth)| TreeLine {
            id: u.id,
            name: u.name.clone(),
            kind_label: UnitKind::parse(&u.kind).map(UnitKind::label).unwrap_or(""),
            // A filtered list is flat: indentation would suggest parents that are not shown.
            depth: if filtered { 0 } else { depth.min(4) },
            confirmed: u.confirmed,
        })
        .collect()
}

async fn index(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<TreeQuery>,
) -> Result<Html<String>, AppError> {
    let at = parse_at(q.at.as_deref())?;
    let kind = parse_kind(q.kind.as_deref())?;
    let history = History::load(&state.db.conn).await?;
    let text = q.q.unwrap_or_default();
    let lines = tree_lines(&history, at, kind, &text);
    let kinds = UnitKind::ALL
        .into_iter()
        .map(|k| KindOption {
            value: k.as_str(),
            label: k.label(),
            selected: Some(k) == kind,
        })
        .collect();
    Ok(Html(
        IndexPage {
            layout: Layout::new("Tổ chức, đơn vị", &user, "units"),
            at: at.to_string(),
            q: text,
            kinds,
            count: lines.len(),
            lines,
        }
        .render()?,
    ))
}

/// The list alone, swapped in by htmx when the date or filters change.
async fn tree_partial(
    State(state): State<AppState>,
    _user: CurrentUser,
    Query(q): Query<TreeQuery>,
) -> Result<Html<String>, AppError> {
    let at = parse_at(q.at.as_deref())?;
    let kind = parse_kind(q.kind.as_deref())?;
    let history = History::load(&state.db.conn).await?;
    let lines = tree_lines(&history, at, kind, q.q.as_deref().unwrap_or(""));
    Ok(Html(
        TreePartial {
            at: at.to_string(),
            count: lines.len(),
            lines,
        }
        .render()?,
    ))
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    at: Option<String>,
    saved: Option<String>,
}

#[derive(Template)]
#[template(path = "units/show.html")]
struct ShowPage {
    layout: Layout,
    unit: units::Model,
    kind_label: &'static str,
    at: String,
    valid_at: bool,
    ancestors: Vec<(i64, String)>,
    children: Vec<(i64, String)>,
    successors: Vec<(i64, String)>,
    line: Vec<SuccessionStep>,
    can_read_contacts: bool,
    can_write_contacts: bool,
    can_admin: bool,
    can_correct: bool,
    contacts: Vec<unit_contacts::Model>,
    error: Option<String>,
    saved: bool,
}

async fn render_show(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    at: NaiveDate,
    error: Option<String>,
    saved: bool,
) -> Result<String, AppError> {
    let history = History::load(&state.db.conn).await?;
    let unit = history.get(id).cloned().ok_or(AppError::NotFound)?;
    let today = chrono::Local::now().date_naive();
    let valid_at = danvan_domain::units::valid_on(unit.valid_from, unit.valid_to, at);
    let successors = if unit.valid_to.is_some_and(|to| to < today) {
        history
            .successors_on(id, today)
            .into_iter()
            .map(|u| (u.id, u.name.clone()))
            .collect()
    } else {
        Vec::new()
    };
    let can_read_contacts = user.scope.allows(Permission::Read, id);
    let contacts = if can_read_contacts {
        contacts::list(&state.db.conn, &user.scope, id).await?
    } else {
        Vec::new()
    };
    let page = ShowPage {
        layout: Layout::new(unit.name.clone(), user, "units"),
        kind_label: UnitKind::parse(&unit.kind)
            .map(UnitKind::label)
            .unwrap_or(""),
        at: at.to_string(),
        valid_at,
        ancestors: history
            .ancestors(id)
            .into_iter()
            .map(|u| (u.id, u.name.clone()))
            .collect(),
        children: history
            .children_on(id, if valid_at { at } else { unit.valid_from })
            .into_iter()
            .map(|u| (u.id, u.name.clone()))
            .collect(),
        successors,
        line: history.line_of(id),
        can_read_contacts,
        can_write_contacts: user.scope.allows(Permission::Write, id),
        can_admin: user.scope.allows(Permission::Administer, id),
        can_correct: user.scope.allows(Permission::ManageReference, id),
        contacts,
        error,
        saved,
        unit,
    };
    Ok(page.render()?)
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Html<String>, AppError> {
    let at = parse_at(q.at.as_deref())?;
    Ok(Html(
        render_show(&state, &user, id, at, None, q.saved.is_some()).await?,
    ))
}

/// After a failed write, show the unit page again with the message in place (422).
async fn show_with_error(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    err: AppError,
) -> Result<Response, AppError> {
    match err {
        AppError::Invalid(message) | AppError::Conflict(message) => {
            let today = chrono::Local::now().date_naive();
            let html = render_show(state, user, id, today, Some(message), false).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        other => Err(other),
    }
}

#[derive(Deserialize)]
struct DetailsInput {
    csrf: String,
    address: String,
    phone: String,
}

impl HasCsrf for DetailsInput {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn update_details(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(user, input): CsrfForm<DetailsInput>,
) -> Result<Response, AppError> {
    let result = danvan_db::units::update_details(
        &state.db.conn,
        &user.scope,
        &user.actor(),
        id,
        UnitDetails {
            address: &input.address,
            phone: &input.phone,
        },
    )
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/units/{id}?saved=1")).into_response()),
        Err(e) => show_with_error(&state, &user, id, e.into()).await,
    }
}

#[derive(Deserialize)]
struct ContactForm {
    csrf: String,
    full_name: String,
    position: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
}

impl HasCsrf for ContactForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn add_contact(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(user, input): CsrfForm<ContactForm>,
) -> Result<Response, AppError> {
    let result = contacts::create(
        &state.db.conn,
        &user.scope,
        &user.actor(),
        id,
        ContactInput {
            full_name: &input.full_name,
            position: &input.position,
            phone: &input.phone,
            email: &input.email,
        },
    )
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/units/{id}?saved=1#danh-ba")).into_response()),
        Err(e) => show_with_error(&state, &user, id, e.into()).await,
    }
}

#[derive(Deserialize)]
struct DeleteForm {
    csrf: String,
}

impl HasCsrf for DeleteForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn delete_contact(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(user, _): CsrfForm<DeleteForm>,
) -> Result<Response, AppError> {
    let contact = contacts::get(&state.db.conn, &user.scope, id).await?;
    contacts::delete(&state.db.conn, &user.scope, &user.actor(), id).await?;
    Ok(Redirect::to(&format!("/units/{}?saved=1#danh-ba", contact.unit_id)).into_response())
}

#[derive(Deserialize)]
struct CorrectUnitForm {
    csrf: String,
    name: String,
    valid_from: String,
    #[serde(default)]
    valid_to: String,
    #[serde(default)]
    confirmed: Option<String>,
    #[serde(default)]
    source: String,
}

impl HasCsrf for CorrectUnitForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// Province admins correct reference rows the sources could not confirm.
async fn correct_unit(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(user, input): CsrfForm<CorrectUnitForm>,
) -> Result<Response, AppError> {
    let result = async {
        let valid_from =
            crate::forms::optional_date(&input.valid_from, "Ngày bắt đầu hiệu lực")?
                .ok_or_else(|| AppError::invalid("Vui lòng nhập ngày bắt đầu hiệu lực."))?;
        let valid_to = crate::forms::optional_date(&input.valid_to, "Ngày kết thúc hiệu lực")?;
        danvan_db::units::correct_unit(
            &state.db.conn,
            &user.scope,
            &user.actor(),
            id,
            danvan_db::units::UnitCorrection {
                name: &input.name,
                valid_from,
                valid_to,
                confirmed: input.confirmed.is_some(),
                source: &input.source,
            },
        )
        .await
        .map_err(AppError::from)
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/units/{id}?saved=1")).into_response()),
        Err(e) => show_with_error(&state, &user, id, e).await,
    }
}

#[derive(Deserialize)]
struct CorrectEventForm {
    csrf: String,
    back: i64,
    #[serde(default)]
    legal_basis: String,
    #[serde(default)]
    confirmed: Option<String>,
}

impl HasCsrf for CorrectEventForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn correct_event(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(user, input): CsrfForm<CorrectEventForm>,
) -> Result<Response, AppError> {
    let result = danvan_db::units::correct_event(
        &state.db.conn,
        &user.scope,
        &user.actor(),
        id,
        &input.legal_basis,
        input.confirmed.is_some(),
    )
    .await;
    match result {
        Ok(()) => {
            Ok(Redirect::to(&format!("/units/{}?saved=1#lich-su", input.back)).into_response())
        }
        Err(e) => show_with_error(&state, &user, input.back, e.into()).await,
    }
}
