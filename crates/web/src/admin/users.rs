//! Accounts and their roles on units. Admins see and manage only their own subtrees.

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
use danvan_db::accounts::{self, NewUser, UserWithRoles};
use danvan_db::authz::{Permission, Role};
use danvan_db::units::History;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(index).post(create))
        .route("/admin/users/{id}/roles", post(assign))
        .route("/admin/roles/{id}/delete", post(revoke))
}

struct RoleOption {
    value: &'static str,
    label: &'static str,
}

#[derive(Template)]
#[template(path = "admin/users.html")]
struct UsersPage {
    layout: Layout,
    users: Vec<UserWithRoles>,
    units: Vec<(i64, String)>,
    roles: Vec<RoleOption>,
    error: Option<String>,
    saved: bool,
}

#[derive(Deserialize, Default)]
struct SavedQuery {
    saved: Option<String>,
}

fn require_admin(user: &CurrentUser) -> Result<(), AppError> {
    if user.scope.administers_something() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    error: Option<String>,
    saved: bool,
) -> Result<String, AppError> {
    require_admin(user)?;
    let users = accounts::list_users(&state.db.conn, &user.scope).await?;
    let history = History::load(&state.db.conn).await?;
    let today = chrono::Local::now().date_naive();
    // Roles are given on units that exist today and lie in the admin's subtrees.
    let units = history
        .tree_on(today, None)
        .into_iter()
        .filter(|(u, _)| user.scope.allows(Permission::Administer, u.id))
        .map(|(u, depth)| (u.id, format!("{}{}", "· ".repeat(depth.min(4)), u.name)))
        .collect();
    let roles = Role::ALL
        .into_iter()
        .filter(|r| *r != Role::ProvinceAdmin || user.scope.is_province_admin())
        .map(|r| RoleOption {
            value: r.as_str(),
            label: r.label(),
        })
        .collect();
    Ok(UsersPage {
        layout: Layout::new("Người dùng", user, "users"),
        users,
        units,
        roles,
        error,
        saved,
    }
    .render()?)
}

async fn index(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<SavedQuery>,
) -> Result<Html<String>, AppError> {
    Ok(Html(render(&state, &user, None, q.saved.is_some()).await?))
}

async fn rerender_on_error(
    state: &AppState,
    user: &CurrentUser,
    err: AppError,
) -> Result<Response, AppError> {
    match err {
        AppError::Invalid(m) | AppError::Conflict(m) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            Html(render(state, user, Some(m), false).await?),
        )
            .into_response()),
        other => Err(other),
    }
}

fn parse_role(s: &str) -> Result<Role, AppError> {
    Role::parse(s).ok_or_else(|| AppError::invalid("Vai trò không hợp lệ."))
}

fn parse_unit(s: &str) -> Result<i64, AppError> {
    s.trim()
        .parse()
        .map_err(|_| AppError::invalid("Vui lòng chọn đơn vị."))
}

#[derive(Deserialize)]
struct CreateInput {
    csrf: String,
    username: String,
    full_name: String,
    #[serde(default)]
    email: String,
    password: String,
    unit_id: String,
    role: String,
}

impl HasCsrf for CreateInput {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn create(
    State(state): State<AppState>,
    CsrfForm(user, input): CsrfForm<CreateInput>,
) -> Result<Response, AppError> {
    require_admin(&user)?;
    let result = async {
        let role = parse_role(&input.role)?;
        let unit_id = parse_unit(&input.unit_id)?;
        accounts::create_user(
            &state.db.conn,
            &user.scope,
            &user.actor(),
            NewUser {
                username: &input.username,
                full_name: &input.full_name,
                email: Some(&input.email),
                password: &input.password,
                must_change_password: true,
            },
            unit_id,
            role,
        )
        .await
        .map_err(AppError::from)
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to("/admin/users?saved=1").into_response()),
        Err(e) => rerender_on_error(&state, &user, e).await,
    }
}

#[derive(Deserialize)]
struct AssignInput {
    csrf: String,
    unit_id: String,
    role: String,
}

impl HasCsrf for AssignInput {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn assign(
    State(state): State<AppState>,
    Path(user_id): Path<i64>,
    CsrfForm(user, input): CsrfForm<AssignInput>,
) -> Result<Response, AppError> {
    require_admin(&user)?;
    let result = async {
        let role = parse_role(&input.role)?;
        let unit_id = parse_unit(&input.unit_id)?;
        accounts::find_user(&state.db.conn, user_id).await?;
        accounts::assign_role(
            &state.db.conn,
            &user.scope,
            &user.actor(),
            user_id,
            unit_id,
            role,
        )
        .await
        .map_err(AppError::from)
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to("/admin/users?saved=1").into_response()),
        Err(e) => rerender_on_error(&state, &user, e).await,
    }
}

#[derive(Deserialize)]
struct RevokeInput {
    csrf: String,
}

impl HasCsrf for RevokeInput {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn revoke(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(user, _): CsrfForm<RevokeInput>,
) -> Result<Response, AppError> {
    require_admin(&user)?;
    accounts::revoke_role(&state.db.conn, &user.scope, &user.actor(), id).await?;
    Ok(Redirect::to("/admin/users?saved=1").into_response())
}
