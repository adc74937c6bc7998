//! Administration: accounts and roles, and the audit log.

mod audit;
mod calendar;
mod users;

use crate::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    users::routes()
        .merge(audit::routes())
        .merge(calendar::routes())
}
