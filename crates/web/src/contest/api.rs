//! `/api/v1` for contestants: register, start, autosave, submit; and the live leaderboard.
//! Bearer token, no cookies, hence no CSRF; registration is rate-limited per client address.

use super::DEFAULT_REGISTRATIONS_PER_MINUTE;
use crate::AppState;
use crate::error::{ApiError, AppError};
use axum::extract::{ConnectInfo, FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use chrono::{NaiveDate, Utc};
use danvan_db::contest::play::{self, PlayError};
use danvan_domain::contest::{Gender, RegistrationInput};
use serde::Deserialize;
use serde_json::json;
use std::net::SocketAddr;
use std::time::Duration;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/contestants", post(register))
        .route("/api/v1/rounds/{round_id}/attempts", post(start))
        .route("/api/v1/rounds/{round_id}/leaderboard", get(leaderboard))
        .route("/api/v1/attempts/{attempt_id}/answers", put(save))
        .route("/api/v1/attempts/{attempt_id}/submit", post(submit))
}

/// The contestant API's errors: field errors are listed, everything else is a JSON problem.
struct PlayApiError(PlayError);

impl From<PlayError> for PlayApiError {
    fn from(e: PlayError) -> Self {
        PlayApiError(e)
    }
}

impl IntoResponse for PlayApiError {
    fn into_response(self) -> Response {
        match self.0 {
            PlayError::Fields(fields) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(json!({
                    "status": 422,
                    "error": "Thông tin đăng ký chưa hợp lệ.",
                    "fields": fields,
                })),
            )
                .into_response(),
            other => ApiError(other.into()).into_response(),
        }
    }
}

/// The bearer token of a contestant request.
pub struct Bearer(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Bearer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|t| Bearer(t.trim().to_owned()))
            .ok_or(ApiError(AppError::Unauthorized))
    }
}

/// A JSON body whose parse errors are Vietnamese JSON problems rather than axum's plain text.
pub struct Body<T>(pub T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> axum::extract::FromRequest<S> for Body<T> {
    type Rejection = ApiError;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        Json::<T>::from_request(req, state)
            .await
            .map(|Json(v)| Body(v))
            .map_err(|e| {
                ApiError(AppError::invalid(format!(
                    "Dữ liệu gửi lên không đúng định dạng JSON mong đợi ({}).",
                    e.body_text()
                )))
            })
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RegisterBody {
    full_name: String,
    birth_date: String,
    gender: String,
    phone: String,
    national_id: Option<String>,
    unit_id: Option<i64>,
    group: Option<String>,
    contest_id: Option<i64>,
}

pub fn parse_gender(s: &str) -> Option<Gender> {
    match s {
        "nam" => Some(Gender::Nam),
        "nu" => Some(Gender::Nu),
        "khac" => Some(Gender::Khac),
        _ => None,
    }
}

fn field(field: &str, message: &str) -> PlayError {
    PlayError::Fields(vec![danvan_domain::contest::FieldError {
        field: field.into(),
        message: message.into(),
    }])
}

/// Builds the domain input from text fields (shared with the registration page).
pub fn registration_input(
    full_name: String,
    birth_date: &str,
    gender: &str,
    phone: String,
    national_id: Option<String>,
    unit_id: Option<i64>,
    group: Option<String>,
) -> Result<RegistrationInput, PlayError> {
    let birth_date = NaiveDate::parse_from_str(birth_date.trim(), "%Y-%m-%d").map_err(|_| {
        field(
            "birth_date",
            "Ngày sinh không hợp lệ. Dùng dạng năm-tháng-ngày, ví dụ 1990-05-17.",
        )
    })?;
    let gender = parse_gender(gender.trim())
        .ok_or_else(|| field("gender", "Giới tính phải là \"nam\", \"nu\" hoặc \"khac\"."))?;
    Ok(RegistrationInput {
        full_name,
        birth_date,
        gender,
        phone,
        national_id,
        unit_id,
        group,
    })
}

pub fn registration_allowed(state: &AppState, ip: &str) -> bool {
    let max = state
        .config
        .contest_registrations_per_minute
        .unwrap_or(DEFAULT_REGISTRATIONS_PER_MINUTE);
    state.registrations.hit(ip, max, Duration::from_secs(60))
}

fn peer(
    state: &AppState,
    parts: Option<&ConnectInfo<SocketAddr>>,
    forwarded: Option<&str>,
) -> String {
    if state.config.trust_proxy
        && let Some(f) = forwarded.and_then(|v| v.split(',').next()).map(str::trim)
        && !f.is_empty()
    {
        return f.to_owned();
    }
    parts.map(|c| c.0.ip().to_string()).unwrap_or_default()
}

/// The client address from the connection (or the trusted proxy's header).
pub struct ClientIp(pub String);

impl FromRequestParts<AppState> for ClientIp {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let forwarded = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok());
        Ok(ClientIp(peer(
            state,
            parts.extensions.get::<ConnectInfo<SocketAddr>>(),
            forwarded,
        )))
    }
}

async fn register(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    Body(body): Body<RegisterBody>,
) -> Result<Response, PlayApiError> {
    if !registration_allowed(&state, &ip) {
        return Ok(ApiError(AppError::TooManyRequests).into_response());
    }
    let input = registration_input(
        body.full_name,
        &body.birth_date,
        &body.gender,
        body.phone,
        body.national_id,
        body.unit_id,
        body.group,
    )?;
    let r = play::register(
        &state.contest,
        body.contest_id,
        &input,
        Some(ip),
        Utc::now(),
    )
    .await?;
    Ok((StatusCode::CREATED, Json(r)).into_response())
}

async fn start(
    State(state): State<AppState>,
    Path(round_id): Path<i64>,
    ClientIp(ip): ClientIp,
    Bearer(token): Bearer,
) -> Result<Response, PlayApiError> {
    let s = play::start(&state.contest, &token, round_id, Some(ip), Utc::now()).await?;
    let status = if s.resumed {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(s)).into_response())
}

#[derive(Deserialize)]
struct Answer {
    question_id: i64,
    option_id: i64,
}

#[derive(Deserialize)]
struct AnswersBody {
    answers: Vec<Answer>,
    prediction: Option<i64>,
}

fn pairs(answers: &[Answer]) -> Vec<(i64, i64)> {
    answers
        .iter()
        .map(|a| (a.question_id, a.option_id))
        .collect()
}

async fn save(
    State(state): State<AppState>,
    Path(attempt_id): Path<i64>,
    Bearer(token): Bearer,
    Body(body): Body<AnswersBody>,
) -> Result<StatusCode, PlayApiError> {
    play::save_answers(
        &state.contest,
        &token,
        attempt_id,
        &pairs(&body.answers),
        Utc::now(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn submit(
    State(state): State<AppState>,
    Path(attempt_id): Path<i64>,
    Bearer(token): Bearer,
    Body(body): Body<AnswersBody>,
) -> Result<Response, PlayApiError> {
    let r = play::submit(
        &state.contest,
        &token,
        attempt_id,
        &pairs(&body.answers),
        body.prediction,
        Utc::now(),
    )
    .await?;
    Ok(Json(r).into_response())
}

async fn leaderboard(
    State(state): State<AppState>,
    Path(round_id): Path<i64>,
) -> Result<Response, ApiError> {
    let board = state.contest.leaderboard(round_id).await?;
    Ok(Json(json!({
        "round_id": round_id,
        "computed_at": board.computed_at,
        "rows": *board.rows,
    }))
    .into_response())
}
