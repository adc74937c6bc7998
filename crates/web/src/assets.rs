//! Static files embedded in the binary: one stylesheet and the vendored htmx 2.

use crate::AppState;
use axum::Router;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

const APP_CSS: &str = include_str!("../static/app.css");
const HTMX: &[u8] = include_bytes!("../static/htmx.min.js");
const HTMX_GZ: &[u8] = include_bytes!("../static/htmx.min.js.gz");
// Cached for a day; file names change when the content does not, so keep it modest.
const CACHE: &str = "public, max-age=86400";

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/static/app.css", get(css))
        .route("/static/htmx.min.js", get(htmx))
}

async fn css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, CACHE),
        ],
        APP_CSS,
    )
        .into_response()
}

/// htmx ships pre-compressed: send the gzip file to clients that accept it (all browsers do).
async fn htmx(headers: HeaderMap) -> Response {
    let gzip = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.contains("gzip"));
    let mut response = if gzip {
        let mut r = HTMX_GZ.into_response();
        r.headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static("gzip"));
        r
    } else {
        HTMX.into_response()
    };
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/javascript; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHE));
    h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
    response
}
