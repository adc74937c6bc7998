//! Plans that get done: from a document to reviewed tasks, the cascade down the units,
//! follow-up, urging, roll-ups and exports.

mod export;
mod pages;
mod review;
mod svg;

use crate::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    pages::routes()
        .merge(review::routes())
        .merge(export::routes())
}

/// Names of units the user may write for, today (for choosing the owning unit).
pub(crate) fn writable_units(
    history: &danvan_db::units::History,
    user: &crate::auth::CurrentUser,
) -> Vec<(i64, String)> {
    let today = chrono::Local::now().date_naive();
    history
        .tree_on(today, None)
        .into_iter()
        .filter(|(u, _)| user.scope.allows(danvan_db::authz::Permission::Write, u.id))
        .map(|(u, _)| (u.id, u.name.clone()))
        .collect()
}
