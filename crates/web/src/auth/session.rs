//! The `CurrentUser` extractor: a live session, its user, and their scope.

use crate::AppState;
use crate::error::{ApiError, AppError};
use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Redirect, Response};
use danvan_db::Actor;
use danvan_db::authz::Scope;
use danvan_db::entities::{sessions, users};
use std::net::SocketAddr;

pub const SESSION_COOKIE: &str = "danvan_session";

/// A signed-in user for this request.
#[derive(Clone)]
pub struct CurrentUser {
    pub user: users::Model,
    pub session: sessions::Model,
    pub scope: Scope,
    pub ip: Option<String>,
}

impl CurrentUser {
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: Some(self.user.id),
            username: self.user.username.clone(),
            ip: self.ip.clone(),
        }
    }
}

/// Reads one cookie from the request headers.
pub fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The client address: the socket peer, or the first `X-Forwarded-For` hop when configured to
/// trust a reverse proxy.
pub fn client_ip(parts: &Parts, trust_proxy: bool) -> Option<String> {
    if trust_proxy {
        let forwarded = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(|v| v.trim().to_string())
            .filter(|v| !v.is_empty());
        if forwarded.is_some() {
            return forwarded;
        }
    }
    parts
        .extensions
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0.ip().to_string())
}

/// Why there is no current user: pages redirect to the sign-in form, the API answers 401.
pub enum NoUser {
    Page(String),
    Api,
    Failed(AppError),
}

impl IntoResponse for NoUser {
    fn into_response(self) -> Response {
        match self {
            NoUser::Page(next) => {
                let target = format!("/login?next={}", crate::forms::encode_path(&next));
                Redirect::to(&target).into_response()
            }
            NoUser::Api => ApiError(AppError::Unauthorized).into_response(),
            NoUser::Failed(e) => e.into_response(),
        }
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = NoUser;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(user) = parts.extensions.get::<CurrentUser>() {
            return Ok(user.clone());
        }
        let is_api = parts.uri.path().starts_with("/api/");
        let missing = || {
            if is_api {
                NoUser::Api
            } else {
                NoUser::Page(
                    parts
                        .uri
                        .path_and_query()
                        .map(|p| p.as_str().to_string())
                        .unwrap_or_else(|| "/".into()),
                )
            }
        };
        let Some(token) = cookie(parts, SESSION_COOKIE) else {
            return Err(missing());
        };
        let found = danvan_db::sessions::lookup(&state.db.conn, token)
            .await
            .map_err(|e| NoUser::Failed(e.into()))?;
        let Some((session, user)) = found else {
            return Err(missing());
        };
        let scope = Scope::load(&state.db.conn, user.id)
            .await
            .map_err(|e| NoUser::Failed(e.into()))?;
        let current = CurrentUser {
            user,
            session,
            scope,
            ip: client_ip(parts, state.config.trust_proxy),
        };
        parts.extensions.insert(current.clone());
        Ok(current)
    }
}
