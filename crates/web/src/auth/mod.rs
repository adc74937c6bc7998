//! Signing in and out, sessions, CSRF, and the signed-in user extractor.

mod csrf;
mod login;
mod session;

pub use csrf::{CsrfForm, HasCsrf, tokens_match};
pub use session::{CurrentUser, SESSION_COOKIE, client_ip, cookie};

use crate::AppState;
use axum::Router;

pub fn routes() -> Router<AppState> {
    login::routes()
}
