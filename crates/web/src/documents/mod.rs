//! Documents and the legal-basis registry: upload, read with linked citations, what cites what,
//! review milestones, search.

mod pages;
mod registry;
mod search;
pub mod source;

use crate::AppState;
use axum::Router;

pub use search::catch_up;

pub fn routes() -> Router<AppState> {
    pages::routes().merge(registry::routes())
}
