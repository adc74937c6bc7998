//! CSRF protection: every state-changing form carries the session's token, checked here before
//! the handler runs. `SameSite=Strict` cookies are the second line of defence.

use super::session::CurrentUser;
use crate::AppState;
use crate::error::AppError;
use axum::Form;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;

/// Forms that carry a `csrf` field.
pub trait HasCsrf {
    fn csrf(&self) -> &str;
}

/// A URL-encoded form from a signed-in user whose CSRF token has been verified.
pub struct CsrfForm<T>(pub CurrentUser, pub T);

/// Compares without an early exit, so timing does not reveal how much of a token matched.
pub fn tokens_match(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

impl<T> FromRequest<AppState> for CsrfForm<T>
where
    T: DeserializeOwned + HasCsrf + Send,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let user = CurrentUser::from_request_parts(&mut parts, state)
            .await
            .map_err(IntoResponse::into_response)?;
        let req = Request::from_parts(parts, body);
        let Form(form) = Form::<T>::from_request(req, state).await.map_err(|_| {
            AppError::invalid("Dữ liệu gửi lên không đúng định dạng.").into_response()
        })?;
        if !tokens_match(form.csrf(), &user.session.csrf_token) {
            return Err(AppError::Csrf.into_response());
        }
        Ok(CsrfForm(user, form))
    }
}
