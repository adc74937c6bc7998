//! The danvan web application: server-rendered Vietnamese pages (askama + htmx partials) and the
//! JSON API, over the `db` crate's services.
//!
//! Handlers stay thin: parse input, call one `db` function (which checks the unit scope), render.

pub mod admin;
pub mod assets;
pub mod auth;
pub mod contest;
pub mod documents;
pub mod error;
pub mod forms;
pub mod health;
pub mod home;
pub mod layout;
pub mod plans;
pub mod units;
pub mod voice;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use danvan_db::Db;
use std::net::SocketAddr;
use std::sync::Arc;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

/// Settings the web layer needs.
#[derive(Debug, Clone, Default)]
pub struct WebConfig {
    /// Mark cookies `Secure` (set when served over HTTPS).
    pub secure_cookies: bool,
    /// Take the client address from `X-Forwarded-For` (only behind a trusted reverse proxy).
    pub trust_proxy: bool,
    /// Contest registrations allowed per client address per minute (default 20).
    pub contest_registrations_per_minute: Option<u32>,
}

/// Shared state of every handler.
#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<WebConfig>,
    /// This process's full-text index of documents; it catches up from the database.
    pub search: Arc<danvan_search::SearchIndex>,
    /// One catch-up at a time per process.
    pub search_sync: Arc<tokio::sync::Mutex<()>>,
    /// The contest engine: banks in memory and the group-commit writer of this process.
    pub contest: Arc<danvan_db::contest::Engine>,
    /// Contest registrations per client address (this process).
    pub registrations: Arc<contest::WindowLimiter>,
    /// Seals denouncers' identities; kept outside the database.
    pub identity: Arc<danvan_db::identity::IdentityKey>,
    /// Where petitions' attachments are kept (never served as static files).
    pub files_dir: Arc<std::path::PathBuf>,
}

impl AppState {
    /// State with an in-memory search index (tests, tools).
    pub fn new(db: Db, config: WebConfig) -> Self {
        let index =
            danvan_search::SearchIndex::in_memory().expect("an in-memory index can always be made");
        Self::with_search(db, config, index)
    }

    /// Must run inside a Tokio runtime (the contest engine spawns its writer task).
    pub fn with_search(db: Db, config: WebConfig, search: danvan_search::SearchIndex) -> Self {
        AppState {
            contest: Arc::new(danvan_db::contest::Engine::new(db.clone())),
            registrations: Arc::new(contest::WindowLimiter::default()),
            db,
            config: Arc::new(config),
            search: Arc::new(search),
            search_sync: Arc::new(tokio::sync::Mutex::new(())),
            // A throwaway key and folder for tests and tools; `serve` installs the real ones.
            identity: Arc::new(danvan_db::identity::IdentityKey::generate()),
            files_dir: Arc::new(std::env::temp_dir().join(format!(
                "danvan-attachments-{}-{}",
                std::process::id(),
                danvan_db::sessions::random_token()
            ))),
        }
    }

    pub fn with_files_dir(mut self, dir: std::path::PathBuf) -> Self {
        self.files_dir = Arc::new(dir);
        self
    }

    pub fn with_identity_key(mut self, key: danvan_db::identity::IdentityKey) -> Self {
        self.identity = Arc::new(key);
        self
    }
}

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// The whole application router with its middleware.
pub fn app(state: AppState) -> Router {
    Router::new()
        .merge(health::routes())
        .merge(assets::routes())
        .merge(auth::routes())
        .merge(home::routes())
        .merge(units::routes())
        .merge(admin::routes())
        .merge(documents::routes())
        .merge(plans::routes())
        .merge(voice::routes())
        .merge(contest::routes())
        .fallback(error::not_found)
        .with_state(state)
        .layer(CompressionLayer::new())
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; form-action 'self'"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &axum::http::Request<_>| {
            let id = req
                .headers()
                .get(REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            // An Open311 request id is the citizen's tracking code: keep it out of the logs.
            let path = req.uri().path();
            let path = if path.starts_with("/open311/v2/requests/") {
                "/open311/v2/requests/{id}"
            } else {
                path
            };
            tracing::info_span!("request", method = %req.method(), path = %path, request_id = %id)
        }))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(SetRequestIdLayer::new(REQUEST_ID, MakeRequestUuid))
}

/// Serves until `shutdown` resolves.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        app(state).into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}
