//! Browsing the audit log: province admins see everything, unit admins their subtree.

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppError;
use crate::layout::Layout;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::response::Html;
use axum::routing::get;
use danvan_db::audit::{self, Filter, PAGE_SIZE};
use danvan_db::authz::Permission;
use danvan_db::entities::audit_log;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/audit", get(index))
}

#[derive(Deserialize, Default)]
struct AuditQuery {
    user: Option<String>,
    action: Option<String>,
    from: Option<String>,
    to: Option<String>,
    page: Option<u64>,
}

#[derive(Template)]
#[template(path = "admin/audit.html")]
struct AuditPage {
    layout: Layout,
    rows: Vec<audit_log::Model>,
    total: u64,
    page: u64,
    pages: u64,
    user: String,
    action: String,
    from: String,
    to: String,
    query_base: String,
}

async fn index(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<AuditQuery>,
) -> Result<Html<String>, AppError> {
    if !user.scope.administers_something() {
        return Err(AppError::Forbidden);
    }
    let filter = Filter {
        username: q.user.clone(),
        action: q.action.clone(),
        entity: None,
        from: crate::forms::optional_date(q.from.as_deref().unwrap_or(""), "Từ ngày")?,
        to: crate::forms::optional_date(q.to.as_deref().unwrap_or(""), "Đến ngày")?,
        units: (!user.scope.is_province_admin())
            .then(|| user.scope.units_for(Permission::Administer)),
    };
    let page = q.page.unwrap_or(0);
    let (rows, total) = audit::browse(&state.db.conn, &filter, page).await?;
    let s = |o: &Option<String>| o.clone().unwrap_or_default();
    let query_base = format!(
        "user={}&action={}&from={}&to={}",
        crate::forms::encode_component(&s(&q.user)),
        crate::forms::encode_component(&s(&q.action)),
        crate::forms::encode_component(&s(&q.from)),
        crate::forms::encode_component(&s(&q.to))
    );
    Ok(Html(
        AuditPage {
            layout: Layout::new("Nhật ký thao tác", &user, "audit"),
            rows,
            total,
            page,
            pages: total.div_ceil(PAGE_SIZE),
            user: s(&q.user),
            action: s(&q.action),
            from: s(&q.from),
            to: s(&q.to),
            query_base,
        }
        .render()?,
    ))
}
