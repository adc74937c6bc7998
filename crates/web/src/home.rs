//! The home page: what the signed-in user can do, by role.

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::layout::Layout;
use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;
use danvan_db::units::History;
use danvan_domain::units::UnitKind;

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(home))
}

struct RoleLine {
    unit_id: i64,
    unit_name: String,
    role: &'static str,
    still_exists: bool,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    first_name: String,
    roles: Vec<RoleLine>,
    is_admin: bool,
    is_province_admin: bool,
    today: String,
    communes_today: usize,
    unconfirmed: usize,
    /// Plans of the user's units: (id, title, overall progress text).
    my_plans: Vec<(i64, String)>,
    due_count: usize,
    overdue_count: usize,
    notifications: Vec<danvan_db::entities::notifications::Model>,
}

async fn home(State(state): State<AppState>, user: CurrentUser) -> Result<Html<String>, AppError> {
    let history = History::load(&state.db.conn).await?;
    let today = chrono::Local::now().date_naive();
    let mut roles: Vec<RoleLine> = user
        .scope
        .assignments
        .iter()
        .filter_map(|(unit_id, role)| {
            history.get(*unit_id).map(|u| RoleLine {
                unit_id: u.id,
                unit_name: u.name.clone(),
                role: role.label(),
                still_exists: u.valid_to.is_none_or(|to| to >= today),
            })
        })
        .collect();
    roles.sort_by(|a, b| a.unit_name.cmp(&b.unit_name));
    let communes_today = history.tree_on(today, Some(UnitKind::Commune)).len();
    let unconfirmed = history.units.iter().filter(|u| !u.confirmed).count();
    let scope_units = (!user.scope.is_province_admin())
        .then(|| user.scope.units_for(danvan_db::authz::Permission::Read));
    let due = danvan_db::plans::due_soon(&state.db.conn, scope_units.as_deref(), today, 14).await?;
    let overdue_count = due
        .iter()
        .filter(|(t, _)| t.due_on.is_some_and(|d| d < today))
        .count();
    let my_plans = danvan_db::plans::list(&state.db.conn)
        .await?
        .into_iter()
        .filter(|(p, _)| {
            user.scope
                .allows(danvan_db::authz::Permission::Read, p.unit_id)
        })
        .map(|(p, unit)| (p.id, format!("{} ({unit})", p.title)))
        .take(10)
        .collect();
    let notifications = danvan_db::plans::notifications_for(&state.db.conn, user.user.id)
        .await?
        .into_iter()
        .take(5)
        .collect();
    let first_name = user
        .user
        .full_name
        .split_whitespace()
        .last()
        .unwrap_or(&user.user.full_name)
        .to_string();
    Ok(Html(
        HomePage {
            layout: Layout::new("Trang chủ", &user, "home"),
            first_name,
            roles,
            is_admin: user.scope.administers_something(),
            is_province_admin: user.scope.is_province_admin(),
            today: today.format("%d/%m/%Y").to_string(),
            communes_today,
            unconfirmed,
            my_plans,
            due_count: due.len(),
            overdue_count,
            notifications,
        }
        .render()?,
    ))
}
