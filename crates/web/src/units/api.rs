//! `/api/v1` for the directory. Same services and scope checks as the pages.
//!
//! Writes need the session cookie and the session's CSRF token in `X-CSRF-Token`
//! (from `GET /api/v1/me`), so a third-party page cannot post on a user's behalf.

use super::{parse_at, parse_kind};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::{ApiError, AppError};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use axum::{Json, Router};
use danvan_db::contacts::{self, ContactInput};
use danvan_db::entities::unit_contacts;
use danvan_db::units::{History, SuccessionStep, UnitRef};
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/me", get(me))
        .route("/api/v1/units", get(list))
        .route("/api/v1/units/{id}", get(show))
        .route(
            "/api/v1/units/{id}/contacts",
            get(list_contacts).post(create_contact),
        )
}

async fn me(user: CurrentUser) -> Json<Value> {
    let roles: Vec<Value> = user
        .scope
        .assignments
        .iter()
        .map(|(unit, role)| json!({"unit_id": unit, "role": role.as_str()}))
        .collect();
    Json(json!({
        "id": user.user.id,
        "username": user.user.username,
        "full_name": user.user.full_name,
        "roles": roles,
        "csrf_token": user.session.csrf_token,
    }))
}

#[derive(Deserialize)]
struct ListQuery {
    at: Option<String>,
    kind: Option<String>,
}

#[derive(Serialize)]
struct UnitRow {
    id: i64,
    code: String,
    name: String,
    kind: String,
    parent_id: Option<i64>,
    valid_from: chrono::NaiveDate,
    valid_to: Option<chrono::NaiveDate>,
    depth: usize,
}

async fn list(
    State(state): State<AppState>,
    _user: CurrentUser,
    Query(q): Query<ListQuery>,
) -> Result<Json<Vec<UnitRow>>, ApiError> {
    let at = parse_at(q.at.as_deref())?;
    let kind = parse_kind(q.kind.as_deref())?;
    let history = History::load(&state.db.conn).await?;
    Ok(Json(
        history
            .tree_on(at, kind)
            .into_iter()
            .map(|(u, depth)| UnitRow {
                id: u.id,
                code: u.code.clone(),
                name: u.name.clone(),
                kind: u.kind.clone(),
                parent_id: u.parent_id,
                valid_from: u.valid_from,
                valid_to: u.valid_to,
                depth,
            })
            .collect(),
    ))
}

#[derive(Serialize)]
struct UnitDetail {
    unit: UnitRef,
    kind: String,
    parent_id: Option<i64>,
    successors_today: Vec<UnitRef>,
    history: Vec<SuccessionStep>,
}

async fn show(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<UnitDetail>, ApiError> {
    let history = History::load(&state.db.conn).await?;
    let unit = history.get(id).ok_or(AppError::NotFound)?;
    let today = chrono::Local::now().date_naive();
    Ok(Json(UnitDetail {
        unit: unit.into(),
        kind: unit.kind.clone(),
        parent_id: unit.parent_id,
        successors_today: history
            .successors_on(id, today)
            .into_iter()
            .map(UnitRef::from)
            .collect(),
        history: history.line_of(id),
    }))
}

#[derive(Serialize)]
struct ContactOut {
    id: i64,
    unit_id: i64,
    full_name: String,
    position: String,
    phone: Option<String>,
    email: Option<String>,
}

impl From<unit_contacts::Model> for ContactOut {
    fn from(c: unit_contacts::Model) -> Self {
        ContactOut {
            id: c.id,
            unit_id: c.unit_id,
            full_name: c.full_name,
            position: c.position,
            phone: c.phone,
            email: c.email,
        }
    }
}

async fn list_contacts(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Json<Vec<ContactOut>>, ApiError> {
    let rows = contacts::list(&state.db.conn, &user.scope, id).await?;
    Ok(Json(rows.into_iter().map(ContactOut::from).collect()))
}

#[derive(Deserialize)]
struct ContactJson {
    full_name: String,
    position: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    email: String,
}

fn require_csrf(headers: &HeaderMap, user: &CurrentUser) -> Result<(), ApiError> {
    let sent = headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if crate::auth::tokens_match(sent, &user.session.csrf_token) {
        Ok(())
    } else {
        Err(ApiError(AppError::Csrf))
    }
}

async fn create_contact(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<ContactOut>), ApiError> {
    require_csrf(&headers, &user)?;
    let input: ContactJson = serde_json::from_slice(&body)
        .map_err(|e| AppError::invalid(format!("JSON không hợp lệ: {e}")))?;
    let saved = contacts::create(
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
    .await?;
    Ok((StatusCode::CREATED, Json(saved.into())))
}
