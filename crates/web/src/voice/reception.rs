//! Reception days (lịch tiếp công dân) with the legal-minimum check, dialogues (đối thoại) with
//! their commitments, and the public list of commitments.

use super::Choice;
use crate::AppState;
use crate::auth::{CsrfForm, CurrentUser, HasCsrf};
use crate::error::AppError;
use crate::layout::Layout;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{Datelike, NaiveDate};
use danvan_db::DbError;
use danvan_db::authz::Permission;
use danvan_db::entities::{commitments, dialogues, reception_sessions};
use danvan_db::reception::{self, HostCheck, NewDialogue, NewSession, PublicCommitment};
use danvan_db::units::History;
use danvan_domain::reception::Host;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/tiep-dan", get(schedule).post(add_session))
        .route("/tiep-dan/{id}", get(show_session))
        .route("/doi-thoai", get(dialogue_list).post(add_dialogue))
        .route("/doi-thoai/{id}", get(show_dialogue))
        .route("/doi-thoai/{id}/cam-ket", post(add_commitment))
        .route("/cam-ket/{id}/hoan-thanh", post(fulfil))
        .route("/cam-ket", get(public_commitments))
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

fn parse_date(s: &str, what: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid(format!("{what} không hợp lệ (dạng năm-tháng-ngày).")))
}

/// Units the user may write to, valid today, in tree order.
fn writable_units(history: &History, user: &CurrentUser) -> Vec<(i64, String)> {
    history
        .tree_on(today(), None)
        .into_iter()
        .filter(|(u, _)| user.scope.allows(Permission::Write, u.id))
        .map(|(u, _)| (u.id, u.name.clone()))
        .collect()
}

fn readable_units(history: &History, user: &CurrentUser) -> Vec<(i64, String)> {
    history
        .tree_on(today(), None)
        .into_iter()
        .filter(|(u, _)| user.scope.allows(Permission::Read, u.id))
        .map(|(u, _)| (u.id, u.name.clone()))
        .collect()
}

fn to_choices(units: &[(i64, String)], selected: i64) -> Vec<Choice> {
    units
        .iter()
        .map(|(id, name)| Choice {
            value: id.to_string(),
            label: name.clone(),
            selected: *id == selected,
        })
        .collect()
}

#[derive(Template)]
#[template(path = "voice/schedule.html")]
struct SchedulePage {
    layout: Layout,
    units: Vec<Choice>,
    unit_id: i64,
    unit_name: String,
    month: String,
    sessions: Vec<reception_sessions::Model>,
    checks: Vec<HostCheck>,
    hosts: Vec<Choice>,
    can_write: bool,
    today: String,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
struct ScheduleQuery {
    unit: Option<String>,
    thang: Option<String>,
}

fn host_label(code: &str) -> &'static str {
    Host::parse(code).map(Host::label).unwrap_or("")
}

async fn render_schedule(
    state: &AppState,
    user: &CurrentUser,
    unit: Option<i64>,
    month: Option<&str>,
    error: Option<String>,
) -> Result<Response, AppError> {
    let history = History::load(&state.db.conn).await?;
    let readable = readable_units(&history, user);
    let Some(unit_id) = unit.or_else(|| readable.first().map(|u| u.0)) else {
        return Err(AppError::Forbidden);
    };
    let (year, m) = match month.map(str::trim).filter(|s| !s.is_empty()) {
        None => (today().year(), today().month()),
        Some(s) => NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d")
            .map(|d| (d.year(), d.month()))
            .map_err(|_| {
                AppError::invalid("Tháng không hợp lệ (dạng năm-tháng, ví dụ 2026-03).")
            })?,
    };
    let (sessions, checks) =
        reception::month(&state.db.conn, &user.scope, unit_id, year, m).await?;
    let status = if error.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    let page = SchedulePage {
        layout: Layout::new("Lịch tiếp công dân", user, "voice"),
        units: to_choices(&readable, unit_id),
        unit_name: history
            .get(unit_id)
            .map(|u| u.name.clone())
            .unwrap_or_default(),
        unit_id,
        month: format!("{year:04}-{m:02}"),
        sessions,
        checks,
        hosts: Host::ALL
            .iter()
            .map(|h| Choice {
                value: h.as_str().into(),
                label: h.label().into(),
                selected: false,
            })
            .collect(),
        can_write: user.scope.allows(Permission::Write, unit_id),
        today: today().to_string(),
        error,
    };
    Ok((status, Html(page.render()?)).into_response())
}

async fn schedule(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<ScheduleQuery>,
) -> Result<Response, AppError> {
    let unit = match q.unit.as_deref().filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(
            s.parse()
                .map_err(|_| AppError::invalid("Đơn vị không hợp lệ."))?,
        ),
    };
    render_schedule(&state, &user, unit, q.thang.as_deref(), None).await
}

#[derive(Deserialize)]
struct SessionForm {
    csrf: String,
    unit_id: i64,
    host: String,
    #[serde(default)]
    host_name: String,
    #[serde(default)]
    held_on: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    visitors: String,
    #[serde(default)]
    summary: String,
}

impl HasCsrf for SessionForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn add_session(
    State(state): State<AppState>,
    CsrfForm(user, f): CsrfForm<SessionForm>,
) -> Result<Response, AppError> {
    let held_on = parse_date(&f.held_on, "Ngày tiếp")?;
    let month = format!("{:04}-{:02}", held_on.year(), held_on.month());
    let result = reception::create_session(
        &state.db.conn,
        &user.scope,
        &user.actor(),
        f.unit_id,
        NewSession {
            host: &f.host,
            host_name: &f.host_name,
            held_on,
            place: &f.place,
            visitors: &f.visitors,
            summary: &f.summary,
        },
    )
    .await;
    match result {
        Ok(_) => Ok(
            Redirect::to(&format!("/tiep-dan?unit={}&thang={month}", f.unit_id)).into_response(),
        ),
        Err(DbError::Invalid(m)) => {
            render_schedule(&state, &user, Some(f.unit_id), Some(&month), Some(m)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "voice/session.html")]
struct SessionPage {
    layout: Layout,
    s: reception_sessions::Model,
    host: &'static str,
    unit: String,
    cases: Vec<(i64, String, &'static str)>,
    can_write: bool,
}

async fn show_session(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Html<String>, AppError> {
    let (s, cases) = reception::session(&state.db.conn, &user.scope, id).await?;
    let unit = danvan_db::units::get(&state.db.conn, s.unit_id).await?.name;
    Ok(Html(
        SessionPage {
            layout: Layout::new("Buổi tiếp công dân", &user, "voice"),
            host: host_label(&s.host),
            unit,
            cases: cases
                .into_iter()
                .map(|(id, t, st)| (id, t, danvan_db::voice::status_label(&st)))
                .collect(),
            can_write: user.scope.allows(Permission::Write, s.unit_id),
            s,
        }
        .render()?,
    ))
}

#[derive(Template)]
#[template(path = "voice/dialogues.html")]
struct DialoguesPage {
    layout: Layout,
    rows: Vec<(dialogues::Model, String)>,
    units: Vec<Choice>,
    today: String,
    error: Option<String>,
}

async fn render_dialogues(
    state: &AppState,
    user: &CurrentUser,
    error: Option<String>,
) -> Result<Response, AppError> {
    let history = History::load(&state.db.conn).await?;
    let rows = reception::dialogues(&state.db.conn, &user.scope)
        .await?
        .into_iter()
        .map(|d| {
            let unit = history
                .get(d.unit_id)
                .map(|u| u.name.clone())
                .unwrap_or_default();
            (d, unit)
        })
        .collect();
    let status = if error.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    let page = DialoguesPage {
        layout: Layout::new("Đối thoại với Nhân dân", user, "voice"),
        rows,
        units: to_choices(&writable_units(&history, user), 0),
        today: today().to_string(),
        error,
    };
    Ok((status, Html(page.render()?)).into_response())
}

async fn dialogue_list(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Response, AppError> {
    render_dialogues(&state, &user, None).await
}

#[derive(Deserialize)]
struct DialogueForm {
    csrf: String,
    unit_id: i64,
    #[serde(default)]
    held_on: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    host_name: String,
    #[serde(default)]
    participants: String,
    #[serde(default)]
    questions: String,
    #[serde(default)]
    answers: String,
}

impl HasCsrf for DialogueForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn add_dialogue(
    State(state): State<AppState>,
    CsrfForm(user, f): CsrfForm<DialogueForm>,
) -> Result<Response, AppError> {
    let held_on = parse_date(&f.held_on, "Ngày đối thoại")?;
    let result = reception::create_dialogue(
        &state.db.conn,
        &user.scope,
        &user.actor(),
        f.unit_id,
        NewDialogue {
            held_on,
            place: &f.place,
            host_name: &f.host_name,
            participants: &f.participants,
            questions: &f.questions,
            answers: &f.answers,
        },
    )
    .await;
    match result {
        Ok(d) => Ok(Redirect::to(&format!("/doi-thoai/{}", d.id)).into_response()),
        Err(DbError::Invalid(m)) => render_dialogues(&state, &user, Some(m)).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "voice/dialogue.html")]
struct DialoguePage {
    layout: Layout,
    d: dialogues::Model,
    unit: String,
    items: Vec<commitments::Model>,
    can_write: bool,
    today: NaiveDate,
    error: Option<String>,
}

async fn render_dialogue(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    error: Option<String>,
) -> Result<Response, AppError> {
    let (d, items) = reception::dialogue(&state.db.conn, &user.scope, id).await?;
    let unit = danvan_db::units::get(&state.db.conn, d.unit_id).await?.name;
    let status = if error.is_some() {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        axum::http::StatusCode::OK
    };
    let page = DialoguePage {
        layout: Layout::new("Đối thoại với Nhân dân", user, "voice"),
        can_write: user.scope.allows(Permission::Write, d.unit_id),
        unit,
        items,
        today: today(),
        error,
        d,
    };
    Ok((status, Html(page.render()?)).into_response())
}

async fn show_dialogue(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    render_dialogue(&state, &user, id, None).await
}

#[derive(Deserialize)]
struct CommitmentForm {
    csrf: String,
    #[serde(default)]
    content: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    due_on: String,
}

impl HasCsrf for CommitmentForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn add_commitment(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(user, f): CsrfForm<CommitmentForm>,
) -> Result<Response, AppError> {
    let due_on = parse_date(&f.due_on, "Hạn thực hiện")?;
    match reception::add_commitment(
        &state.db.conn,
        &user.scope,
        &user.actor(),
        id,
        &f.content,
        &f.owner,
        due_on,
    )
    .await
    {
        Ok(_) => Ok(Redirect::to(&format!("/doi-thoai/{id}")).into_response()),
        Err(DbError::Invalid(m)) => render_dialogue(&state, &user, id, Some(m)).await,
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct FulfilForm {
    csrf: String,
    #[serde(default)]
    result: String,
    dialogue_id: i64,
}

impl HasCsrf for FulfilForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn fulfil(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(user, f): CsrfForm<FulfilForm>,
) -> Result<Response, AppError> {
    match reception::fulfil(&state.db.conn, &user.scope, &user.actor(), id, &f.result).await {
        Ok(c) => Ok(Redirect::to(&format!("/doi-thoai/{}", c.dialogue_id)).into_response()),
        Err(DbError::Invalid(m) | DbError::Conflict(m)) => {
            render_dialogue(&state, &user, f.dialogue_id, Some(m)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "voice/commitments.html")]
struct CommitmentsPage {
    layout: Layout,
    rows: Vec<PublicCommitment>,
}

/// Public: no account needed, promises made to the people are theirs to follow.
async fn public_commitments(State(state): State<AppState>) -> Result<Html<String>, AppError> {
    let rows = reception::public_commitments(&state.db.conn, today()).await?;
    Ok(Html(
        CommitmentsPage {
            layout: Layout::anonymous("Cam kết sau đối thoại"),
            rows,
        }
        .render()?,
    ))
}
