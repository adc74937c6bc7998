//! Open311 GeoReport v2, so existing civic-reporting apps can file petitions.
//!
//! Services are the topics. `jurisdiction_id` is the official code of the commune or ward the
//! request is about (it routes the case). The `service_request_id` we hand out is the case's
//! tracking code, so request ids cannot be enumerated; a request is read back by that id only,
//! and listing without ids returns nothing rather than other people's petitions.

use crate::AppState;
use crate::auth::client_ip;
use axum::extract::{FromRequest, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Form, Json, Router};
use chrono::{Duration, NaiveDate};
use danvan_db::entities::voice_cases;
use danvan_db::ratelimit::{self, Limit};
use danvan_db::voice::{self, NewCase, Status, TOPICS};
use danvan_db::{Actor, DbError, api_keys};
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::HashMap;

const KEY_LIMIT: Limit = Limit {
    max: 200,
    window: Duration::hours(1),
};
const READ_LIMIT: Limit = Limit {
    max: 60,
    window: Duration::minutes(15),
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/open311/v2/services.json", get(services))
        .route(
            "/open311/v2/requests.json",
            get(list_requests).post(post_request),
        )
        .route("/open311/v2/requests/{file}", get(one_request))
}

/// GeoReport errors are a list of `{code, description}`.
fn error(status: StatusCode, description: &str) -> Response {
    (
        status,
        Json(json!([{"code": status.as_u16(), "description": description}])),
    )
        .into_response()
}

fn internal(e: DbError) -> Response {
    tracing::error!(detail = %e, "open311 internal error");
    error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "Đã có lỗi hệ thống. Vui lòng thử lại sau.",
    )
}

async fn services() -> Json<Value> {
    Json(Value::Array(
        TOPICS
            .iter()
            .map(|(code, name)| {
                json!({
                    "service_code": code,
                    "service_name": name,
                    "description": format!("Phản ánh, kiến nghị về lĩnh vực {}", name.to_lowercase()),
                    "metadata": false,
                    "type": "realtime",
                    "keywords": "",
                    "group": "Phản ánh, kiến nghị",
                })
            })
            .collect(),
    ))
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

fn field<'a>(f: &'a HashMap<String, String>, name: &str) -> &'a str {
    f.get(name).map(|s| s.trim()).unwrap_or("")
}

async fn post_request(State(state): State<AppState>, req: Request) -> Response {
    let Ok(Form(f)) = Form::<HashMap<String, String>>::from_request(req, &state).await else {
        return error(
            StatusCode::BAD_REQUEST,
            "Dữ liệu phải gửi dạng application/x-www-form-urlencoded.",
        );
    };
    let key = match api_keys::verify(&state.db.conn, field(&f, "api_key"), "open311").await {
        Ok(Some(k)) => k,
        Ok(None) => return error(StatusCode::FORBIDDEN, "api_key không hợp lệ."),
        Err(e) => return internal(e),
    };
    match ratelimit::hit(&state.db.conn, &format!("open311:{}", key.id), KEY_LIMIT).await {
        Ok(true) => {}
        Ok(false) => {
            return error(
                StatusCode::TOO_MANY_REQUESTS,
                "Khóa đã gửi quá nhiều yêu cầu. Vui lòng thử lại sau.",
            );
        }
        Err(e) => return internal(e),
    }
    let jurisdiction = field(&f, "jurisdiction_id");
    let Ok(place) = danvan_db::demo::unit_by_code(&state.db.conn, jurisdiction, today()).await
    else {
        return error(
            StatusCode::BAD_REQUEST,
            "jurisdiction_id phải là mã xã, phường đang tồn tại (ví dụ 06529).",
        );
    };
    let (lat, long, address) = (
        field(&f, "lat"),
        field(&f, "long"),
        field(&f, "address_string"),
    );
    if address.is_empty() && (lat.is_empty() || long.is_empty()) {
        return error(
            StatusCode::BAD_REQUEST,
            "Cần vị trí: lat và long, hoặc address_string.",
        );
    }
    if !lat.is_empty() && (lat.parse::<f64>().is_err() || long.parse::<f64>().is_err()) {
        return error(StatusCode::BAD_REQUEST, "lat, long phải là số.");
    }
    let description = field(&f, "description");
    let mut body = description.to_string();
    body.push_str("\n\nVị trí: ");
    body.push_str(if address.is_empty() { "" } else { address });
    if !lat.is_empty() {
        body.push_str(&format!(" ({lat}, {long})"));
    }
    let title: String = description.chars().take(80).collect();
    let name = format!("{} {}", field(&f, "first_name"), field(&f, "last_name"));
    let contact = [field(&f, "phone"), field(&f, "email")]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    let actor = Actor {
        user_id: None,
        username: format!("open311:{}", key.name),
        ip: None,
    };
    let result = voice::submit(
        &state.db.conn,
        None,
        &actor,
        &state.identity,
        NewCase {
            kind: "phan_anh",
            topic: field(&f, "service_code"),
            channel: "open311",
            title: &title,
            body: &body,
            citizen_name: name.trim(),
            citizen_contact: &contact,
            place_unit_id: place.id,
            received_on: today(),
            submission_key: None,
            reception_session_id: None,
            attachments: None,
        },
    )
    .await;
    match result {
        Ok((case, code)) => (
            StatusCode::CREATED,
            Json(json!([{
                "service_request_id": code,
                "service_notice": format!(
                    "Đã tiếp nhận. Hạn trả lời: {}.",
                    case.due_on.map(|d| d.format("%d/%m/%Y").to_string()).unwrap_or_default()
                ),
                "account_id": Value::Null,
            }])),
        )
            .into_response(),
        Err(DbError::Invalid(m)) => error(StatusCode::BAD_REQUEST, &m),
        Err(e) => internal(e),
    }
}

/// What a request shows: status and answer, never the sender.
async fn render(state: &AppState, code: &str, case: voice_cases::Model) -> Value {
    let open = Status::parse(&case.status).is_some_and(|s| Status::PENDING.contains(&s));
    let agency = danvan_db::units::get(&state.db.conn, case.handling_unit_id)
        .await
        .map(|u| u.name)
        .unwrap_or_default();
    json!({
        "service_request_id": code,
        "status": if open { "open" } else { "closed" },
        "status_notes": case.answer.or(case.refusal_reason),
        "service_name": voice::topic_label(&case.topic),
        "service_code": case.topic,
        "description": case.title,
        "agency_responsible": agency,
        "service_notice": voice::status_label(&case.status),
        "requested_datetime": case.created_at.to_rfc3339(),
        "updated_datetime": case.updated_at.to_rfc3339(),
        "expected_datetime": case.due_on.map(|d| d.to_string()),
        "address": Value::Null,
        "lat": Value::Null,
        "long": Value::Null,
        "media_url": Value::Null,
    })
}

/// Counts reads per client so ids cannot be guessed at speed.
async fn limited(state: &AppState, parts: &Parts) -> Option<Response> {
    let ip = client_ip(parts, state.config.trust_proxy);
    let key = format!("open311-read:{}", ip.as_deref().unwrap_or("-"));
    match ratelimit::hit(&state.db.conn, &key, READ_LIMIT).await {
        Ok(true) => None,
        Ok(false) => Some(error(
            StatusCode::TOO_MANY_REQUESTS,
            "Quá nhiều yêu cầu. Vui lòng thử lại sau.",
        )),
        Err(e) => Some(internal(e)),
    }
}

#[derive(Deserialize, Default)]
struct ListQuery {
    service_request_id: Option<String>,
}

async fn list_requests(State(state): State<AppState>, parts: Parts) -> Response {
    if let Some(r) = limited(&state, &parts).await {
        return r;
    }
    let Query(q) = Query::<ListQuery>::try_from_uri(&parts.uri).unwrap_or_default();
    let mut out = Vec::new();
    for code in q.service_request_id.unwrap_or_default().split(',').take(20) {
        if let Ok(case) = voice::find_by_code(&state.db.conn, code).await {
            out.push(render(&state, code.trim(), case).await);
        }
    }
    Json(Value::Array(out)).into_response()
}

async fn one_request(
    State(state): State<AppState>,
    Path(file): Path<String>,
    parts: Parts,
) -> Response {
    if let Some(r) = limited(&state, &parts).await {
        return r;
    }
    let Some(code) = file.strip_suffix(".json") else {
        return error(StatusCode::NOT_FOUND, "Chỉ hỗ trợ định dạng .json.");
    };
    match voice::find_by_code(&state.db.conn, code).await {
        Ok(case) => Json(json!([render(&state, code, case).await])).into_response(),
        Err(DbError::NotFound(_)) => error(StatusCode::NOT_FOUND, "Không tìm thấy yêu cầu."),
        Err(e) => internal(e),
    }
}
