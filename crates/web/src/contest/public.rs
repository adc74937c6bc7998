//! Contestant pages: phone-first, no account, working without JavaScript (a few lines of
//! script add autosave and the countdown).

use super::api::{ClientIp, registration_allowed, registration_input};
use super::{form_token, seconds, vn_time};
use crate::AppState;
use crate::auth::tokens_match;
use crate::error::AppError;
use askama::Template;
use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use danvan_db::contest::play::{self, PlayError};
use danvan_db::contest::{LeaderRow, vn_date};
use danvan_db::units::History;
use serde::Deserialize;
use std::collections::HashMap;

pub const CONTESTANT_COOKIE: &str = "danvan_thisinh";
const CONTEST_JS: &str = include_str!("../../static/contest.js");

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/thi/{round_id}", get(round_page))
        .route("/thi/{round_id}/dang-ky", post(register))
        .route("/thi/{round_id}/bat-dau", post(start))
        .route("/thi/{round_id}/bang-xep-hang", get(leaderboard))
        .route("/thi/luot/{attempt_id}", get(attempt_page))
        .route("/thi/luot/{attempt_id}/luu", post(autosave))
        .route("/thi/luot/{attempt_id}/nop", post(submit))
        .route("/static/contest.js", get(script))
}

async fn script() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        CONTEST_JS,
    )
        .into_response()
}

fn token_of(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == CONTESTANT_COOKIE)
        .map(|(_, v)| v.to_owned())
}

pub struct UnitChoice {
    id: i64,
    label: String,
}

#[derive(Template)]
#[template(path = "contest/play.html")]
struct RoundPage {
    title: String,
    contest_title: String,
    round_id: i64,
    round_name: String,
    opens: String,
    closes: String,
    is_open: bool,
    questions: u16,
    minutes: u32,
    max_attempts: String,
    registered_as: Option<String>,
    form: String,
    message: Option<String>,
    units: Vec<UnitChoice>,
}

async fn render_round(
    state: &AppState,
    round_id: i64,
    token: Option<&str>,
    message: Option<String>,
) -> Result<RoundPage, AppError> {
    let bank = state.contest.bank(round_id).await?;
    let now = Utc::now();
    let mut registered_as = None;
    if let Some(t) = token
        && let Ok(who) = play::contestant_by_token(&state.contest, t).await
        && who.contest_id == bank.contest.id
    {
        registered_as = Some(who.full_name);
    }
    let units = if registered_as.is_none() {
        let history = History::load(&state.db.conn).await?;
        history
            .tree_on(vn_date(now), None)
            .into_iter()
            .filter(|(u, _)| matches!(u.kind.as_str(), "province" | "district" | "commune"))
            .map(|(u, depth)| UnitChoice {
                id: u.id,
                label: format!("{}{}", "— ".repeat(depth), u.name),
            })
            .collect()
    } else {
        Vec::new()
    };
    Ok(RoundPage {
        title: bank.round.name.clone(),
        contest_title: bank.contest.title.clone(),
        round_id,
        round_name: bank.round.name.clone(),
        opens: vn_time(bank.round.opens_at),
        closes: vn_time(bank.round.closes_at),
        is_open: bank.is_open(now),
        questions: bank.settings.questions_per_attempt,
        minutes: bank.settings.time_limit_secs.div_ceil(60),
        max_attempts: bank
            .settings
            .max_attempts
            .map_or_else(|| "không giới hạn".into(), |m| m.to_string()),
        registered_as: registered_as.clone(),
        form: token
            .filter(|_| registered_as.is_some())
            .map(form_token)
            .unwrap_or_default(),
        message,
        units,
    })
}

async fn round_page(
    State(state): State<AppState>,
    Path(round_id): Path<i64>,
    headers: HeaderMap,
) -> Result<Html<String>, AppError> {
    let token = token_of(&headers);
    let page = render_round(&state, round_id, token.as_deref(), None).await?;
    Ok(Html(page.render()?))
}

#[derive(Deserialize)]
struct RegisterForm {
    full_name: String,
    birth_date: String,
    gender: String,
    phone: String,
    #[serde(default)]
    national_id: String,
    #[serde(default)]
    unit_id: String,
    #[serde(default)]
    group: String,
}

fn opt(s: String) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_owned())
}

async fn with_message(
    state: &AppState,
    round_id: i64,
    token: Option<&str>,
    status: StatusCode,
    message: String,
) -> Result<Response, AppError> {
    let page = render_round(state, round_id, token, Some(message)).await?;
    Ok((status, Html(page.render()?)).into_response())
}

async fn register(
    State(state): State<AppState>,
    Path(round_id): Path<i64>,
    ClientIp(ip): ClientIp,
    Form(form): Form<RegisterForm>,
) -> Result<Response, AppError> {
    if !registration_allowed(&state, &ip) {
        return Err(AppError::TooManyRequests);
    }
    let bank = state.contest.bank(round_id).await?;
    let unit_id = match form.unit_id.trim() {
        "" => None,
        s => Some(
            s.parse::<i64>()
                .map_err(|_| AppError::invalid("Đơn vị không hợp lệ."))?,
        ),
    };
    let outcome = match registration_input(
        form.full_name,
        &form.birth_date,
        &form.gender,
        form.phone,
        opt(form.national_id),
        unit_id,
        opt(form.group),
    ) {
        Ok(input) => {
            play::register(
                &state.contest,
                Some(bank.contest.id),
                &input,
                Some(ip),
                Utc::now(),
            )
            .await
        }
        Err(e) => Err(e),
    };
    match outcome {
        Ok(r) => {
            let cookie = format!(
                "{CONTESTANT_COOKIE}={}; Path=/thi; HttpOnly; SameSite=Strict; Max-Age=31536000{}",
                r.token,
                if state.config.secure_cookies {
                    "; Secure"
                } else {
                    ""
                }
            );
            Ok((
                [(header::SET_COOKIE, cookie)],
                Redirect::to(&format!("/thi/{round_id}")),
            )
                .into_response())
        }
        Err(PlayError::Fields(fields)) => {
            let msg = fields
                .into_iter()
                .map(|f| f.message)
                .collect::<Vec<_>>()
                .join(" ");
            with_message(
                &state,
                round_id,
                None,
                StatusCode::UNPROCESSABLE_ENTITY,
                msg,
            )
            .await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize)]
struct CsrfOnly {
    csrf: String,
}

/// The contestant's token, after checking the form token derived from it.
fn checked_token(headers: &HeaderMap, csrf: &str) -> Result<String, AppError> {
    let token = token_of(headers).ok_or(AppError::Unauthorized)?;
    if !tokens_match(csrf, &form_token(&token)) {
        return Err(AppError::Csrf);
    }
    Ok(token)
}

async fn start(
    State(state): State<AppState>,
    Path(round_id): Path<i64>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    Form(form): Form<CsrfOnly>,
) -> Result<Response, AppError> {
    let token = checked_token(&headers, &form.csrf)?;
    match play::start(&state.contest, &token, round_id, Some(ip), Utc::now()).await {
        Ok(s) => Ok(Redirect::to(&format!("/thi/luot/{}", s.attempt_id)).into_response()),
        Err(PlayError::Conflict(m)) => {
            with_message(&state, round_id, Some(&token), StatusCode::CONFLICT, m).await
        }
        Err(e) => Err(e.into()),
    }
}

pub struct OptionView {
    id: i64,
    text: String,
    checked: bool,
}

pub struct QuestionView {
    number: usize,
    id: i64,
    text: String,
    options: Vec<OptionView>,
}

#[derive(Template)]
#[template(path = "contest/attempt.html")]
struct AttemptPage {
    title: String,
    attempt_id: i64,
    round_id: i64,
    form: String,
    deadline: String,
    remaining_secs: i64,
    questions: Vec<QuestionView>,
    result: Option<(i32, i32, String)>,
}

async fn attempt_page(
    State(state): State<AppState>,
    Path(attempt_id): Path<i64>,
    headers: HeaderMap,
) -> Result<Html<String>, AppError> {
    let token = token_of(&headers).ok_or(AppError::Unauthorized)?;
    let (a, result) = play::attempt_view(&state.contest, &token, attempt_id).await?;
    let saved: HashMap<i64, i64> = a.saved.iter().copied().collect();
    let questions = a
        .questions
        .into_iter()
        .enumerate()
        .map(|(i, q)| QuestionView {
            number: i + 1,
            id: q.id,
            options: q
                .options
                .into_iter()
                .map(|o| OptionView {
                    checked: saved.get(&q.id) == Some(&o.id),
                    id: o.id,
                    text: o.text,
                })
                .collect(),
            text: q.text,
        })
        .collect();
    let page = AttemptPage {
        title: "Bài thi".into(),
        attempt_id,
        round_id: a.round_id,
        form: form_token(&token),
        deadline: vn_time(a.expires_at),
        remaining_secs: (a.expires_at - Utc::now()).num_seconds().max(0),
        questions,
        result: result.map(|r| (r.correct, r.total, seconds(r.duration_ms))),
    };
    Ok(Html(page.render()?))
}

/// Reads `q<question id>=<option id>` fields; anything else (csrf, prediction) is skipped.
fn answers_of(fields: &[(String, String)]) -> Vec<(i64, i64)> {
    fields
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix('q')?.parse().ok()?, v.parse().ok()?)))
        .collect()
}

fn csrf_of(fields: &[(String, String)]) -> &str {
    fields
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str())
        .unwrap_or_default()
}

async fn autosave(
    State(state): State<AppState>,
    Path(attempt_id): Path<i64>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<StatusCode, AppError> {
    let token = checked_token(&headers, csrf_of(&fields))?;
    play::save_answers(
        &state.contest,
        &token,
        attempt_id,
        &answers_of(&fields),
        Utc::now(),
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn submit(
    State(state): State<AppState>,
    Path(attempt_id): Path<i64>,
    headers: HeaderMap,
    Form(fields): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let token = checked_token(&headers, csrf_of(&fields))?;
    let prediction = match fields
        .iter()
        .find(|(k, _)| k == "prediction")
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
    {
        None => None,
        Some(v) => Some(v.parse::<i64>().map_err(|_| {
            AppError::invalid("Số dự đoán phải là số nguyên không âm, ví dụ 1250.")
        })?),
    };
    match play::submit(
        &state.contest,
        &token,
        attempt_id,
        &answers_of(&fields),
        prediction,
        Utc::now(),
    )
    .await
    {
        // Late submissions were auto-submitted with the saved answers: the page shows that result.
        Ok(_) | Err(PlayError::Conflict(_)) => {
            Ok(Redirect::to(&format!("/thi/luot/{attempt_id}")).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "contest/leaderboard.html")]
struct LeaderboardPage {
    title: String,
    round_id: i64,
    round_name: String,
    computed_at: String,
    rows: Vec<(LeaderRow, String)>,
}

async fn leaderboard(
    State(state): State<AppState>,
    Path(round_id): Path<i64>,
) -> Result<Html<String>, AppError> {
    let bank = state.contest.bank(round_id).await?;
    let board = state.contest.leaderboard(round_id).await?;
    let page = LeaderboardPage {
        title: "Bảng xếp hạng".into(),
        round_id,
        round_name: bank.round.name.clone(),
        computed_at: vn_time(board.computed_at),
        rows: board
            .rows
            .iter()
            .map(|r| {
                (
                    r.clone(),
                    seconds(i64::try_from(r.duration_ms).unwrap_or(i64::MAX)),
                )
            })
            .collect(),
    };
    Ok(Html(page.render()?))
}
