//! Staff pages: the handler's queue, the overdue list, a case with its workflow, desk entry.

use super::{Choice, choices, communes, kinds};
use crate::AppState;
use crate::auth::{CsrfForm, CurrentUser, HasCsrf};
use crate::error::AppError;
use crate::layout::Layout;
use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::NaiveDate;
use danvan_db::DbError;
use danvan_db::authz::Permission;
use danvan_db::entities::{voice_case_steps, voice_cases};
use danvan_db::units::History;
use danvan_db::voice::{self, Action, CHANNELS, NewCase, Queue, QueueRow, TOPICS};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/don-thu", get(queue))
        .route("/don-thu/moi", get(new_form).post(create))
        .route("/don-thu/{id}", get(show))
        .route("/don-thu/{id}/buoc", post(act))
        .route("/don-thu/{id}/tep/{file}", get(download))
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

fn date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_default()
}

pub struct Line {
    id: i64,
    kind: &'static str,
    topic: &'static str,
    title: String,
    status: &'static str,
    unit: String,
    received_on: String,
    due_on: String,
    overdue: bool,
}

#[derive(Template)]
#[template(path = "voice/queue.html")]
struct QueuePage {
    layout: Layout,
    overdue_tab: bool,
    lines: Vec<Line>,
    total: u64,
    shown: usize,
    truncated: bool,
    can_enter: bool,
}

#[derive(Deserialize, Default)]
struct QueueQuery {
    ds: Option<String>,
}

fn unit_names(history: &History) -> std::collections::HashMap<i64, String> {
    history
        .units
        .iter()
        .map(|u| (u.id, u.name.clone()))
        .collect()
}

/// Renders the queue rows; shared with the benchmark so the timed path is the real one.
pub fn lines(
    rows: Vec<QueueRow>,
    names: &std::collections::HashMap<i64, String>,
    today: NaiveDate,
) -> Vec<Line> {
    rows.into_iter()
        .map(|r| Line {
            id: r.id,
            kind: voice::kind_label(&r.kind),
            topic: voice::topic_label(&r.topic),
            title: r.title,
            status: voice::status_label(&r.status),
            unit: names.get(&r.handling_unit_id).cloned().unwrap_or_default(),
            received_on: date(Some(r.received_on)),
            due_on: date(r.due_on),
            overdue: r.due_on.is_some_and(|d| d < today),
        })
        .collect()
}

async fn queue(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<QueueQuery>,
) -> Result<Html<String>, AppError> {
    let overdue_tab = q.ds.as_deref() == Some("qua-han");
    let which = if overdue_tab {
        Queue::Overdue
    } else {
        Queue::Open
    };
    let (rows, total) = voice::queue(&state.db.conn, &user.scope, which, today()).await?;
    let history = History::load(&state.db.conn).await?;
    let lines = lines(rows, &unit_names(&history), today());
    Ok(Html(
        QueuePage {
            layout: Layout::new("Đơn thư, tiếp dân", &user, "voice"),
            overdue_tab,
            shown: lines.len(),
            truncated: (lines.len() as u64) < total,
            lines,
            total,
            can_enter: !user.scope.roots_for(Permission::Write).is_empty(),
        }
        .render()?,
    ))
}

pub struct StepLine {
    at: String,
    action: &'static str,
    status: &'static str,
    note: String,
    username: String,
}

fn action_label(a: &str) -> &'static str {
    match a {
        "receive" => "Tiếp nhận",
        "accept" => "Thụ lý",
        "refuse" => "Không thụ lý",
        "start" => "Bắt đầu giải quyết",
        "extend" => "Gia hạn",
        "transfer" => "Chuyển đơn",
        "resolve" => "Trả lời, giải quyết",
        "close" => "Kết thúc",
        "duplicate" => "Đơn trùng",
        "pause" => "Tạm đình chỉ",
        "resume" => "Tiếp tục giải quyết",
        _ => "Khác",
    }
}

#[derive(Template)]
#[template(path = "voice/case.html")]
struct CasePage {
    layout: Layout,
    case: voice_cases::Model,
    sender: voice::Identity,
    files: Vec<voice::AttachmentLine>,
    kind: &'static str,
    topic: &'static str,
    channel: &'static str,
    status: &'static str,
    unit: String,
    place: String,
    received_on: String,
    accepted_on: String,
    due_on: String,
    overdue: bool,
    steps: Vec<StepLine>,
    can_write: bool,
    /// Only rules that allow gia hạn offer the form.
    can_extend: bool,
    /// Tố cáo only: the clock may be stopped (Luật Tố cáo Điều 31).
    can_pause: bool,
    today: String,
    units: Vec<Choice>,
    error: Option<String>,
}

fn step_line(s: voice_case_steps::Model) -> StepLine {
    StepLine {
        // Staff read times in Việt Nam time (UTC+7), whatever the server's zone.
        at: chrono::FixedOffset::east_opt(7 * 3600)
            .map(|tz| s.at.with_timezone(&tz).format("%d/%m/%Y %H:%M").to_string())
            .unwrap_or_default(),
        action: action_label(&s.action),
        status: voice::status_label(&s.status),
        note: s.note.unwrap_or_default(),
        username: s.username,
    }
}

async fn render_case(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    error: Option<String>,
) -> Result<Response, AppError> {
    let (case, steps) = voice::get(&state.db.conn, &user.scope, id).await?;
    let sender = voice::identity(
        &state.db.conn,
        &user.scope,
        &user.actor(),
        &state.identity,
        &case,
    )
    .await?;
    let history = History::load(&state.db.conn).await?;
    let name = |id: Option<i64>| {
        id.and_then(|i| history.get(i))
            .map(|u| u.name.clone())
            .unwrap_or_default()
    };
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let page = CasePage {
        layout: Layout::new(format!("Đơn số {}", case.id), user, "voice"),
        kind: voice::kind_label(&case.kind),
        topic: voice::topic_label(&case.topic),
        channel: voice::channel_label(&case.channel),
        status: voice::status_label(&case.status),
        unit: name(Some(case.handling_unit_id)),
        place: name(case.place_unit_id),
        received_on: date(Some(case.received_on)),
        accepted_on: date(case.accepted_on),
        due_on: date(case.due_on),
        overdue: case.due_on.is_some_and(|d| d < today())
            && voice::Status::parse(&case.status).is_some_and(|s| voice::Status::OPEN.contains(&s)),
        can_write: user.scope.allows(Permission::Write, case.handling_unit_id),
        can_extend: case
            .rule_id
            .as_deref()
            .zip(case.accepted_on)
            .and_then(|(r, d)| {
                danvan_domain::deadlines::builtin_rules()
                    .rule_for(r, d)
                    .ok()
            })
            .is_some_and(|r| r.extension.is_some()),
        can_pause: case.kind == voice::Kind::Denunciation.as_str(),
        steps: steps.into_iter().map(step_line).collect(),
        today: today().to_string(),
        units: communes(state, today(), None).await?,
        files: voice::attachments(&state.db.conn, &user.scope, &state.identity, &case).await?,
        error,
        sender,
        case,
    };
    Ok((status, Html(page.render()?)).into_response())
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    render_case(&state, &user, id, None).await
}

#[derive(Deserialize)]
struct ActForm {
    csrf: String,
    action: String,
    #[serde(default)]
    on: String,
    #[serde(default)]
    complex: Option<String>,
    #[serde(default)]
    remote: Option<String>,
    #[serde(default)]
    text: String,
    #[serde(default)]
    days: String,
    #[serde(default)]
    to_unit: String,
    #[serde(default)]
    of: String,
}

impl HasCsrf for ActForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn act(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(user, f): CsrfForm<ActForm>,
) -> Result<Response, AppError> {
    let on = if f.on.trim().is_empty() {
        today()
    } else {
        NaiveDate::parse_from_str(f.on.trim(), "%Y-%m-%d")
            .map_err(|_| AppError::invalid("Ngày không hợp lệ (dạng năm-tháng-ngày)."))?
    };
    let action = match f.action.as_str() {
        "duplicate" => Action::Duplicate {
            of: f
                .of
                .trim()
                .parse()
                .map_err(|_| AppError::invalid("Vui lòng nhập số của đơn gốc."))?,
        },
        "pause" => Action::Pause {
            on,
            reason: &f.text,
        },
        "resume" => Action::Resume { on },
        "accept" => Action::Accept {
            on,
            complex: f.complex.is_some(),
            remote: f.remote.is_some(),
        },
        "refuse" => Action::Refuse { reason: &f.text },
        "start" => Action::Start,
        "extend" => Action::Extend {
            days: f
                .days
                .trim()
                .parse()
                .map_err(|_| AppError::invalid("Số ngày gia hạn phải là số nguyên dương."))?,
            basis: &f.text,
        },
        "transfer" => Action::Transfer {
            to_unit: f
                .to_unit
                .parse()
                .map_err(|_| AppError::invalid("Vui lòng chọn đơn vị nhận chuyển."))?,
            reason: &f.text,
        },
        "resolve" => Action::Resolve { answer: &f.text },
        "close" => Action::Close,
        _ => return Err(AppError::invalid("Thao tác không hợp lệ.")),
    };
    match voice::act(&state.db.conn, &user.scope, &user.actor(), id, action).await {
        Ok(_) => Ok(Redirect::to(&format!("/don-thu/{id}")).into_response()),
        Err(DbError::Invalid(m) | DbError::Conflict(m)) => {
            render_case(&state, &user, id, Some(m)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "voice/new.html")]
struct NewPage {
    layout: Layout,
    kinds: Vec<Choice>,
    topics: Vec<Choice>,
    channels: Vec<Choice>,
    places: Vec<Choice>,
    code: Option<String>,
    case_id: Option<i64>,
    /// The reception session the petition is raised at, if entered from one.
    session: Option<i64>,
    error: Option<String>,
}

async fn new_page(
    state: &AppState,
    user: &CurrentUser,
    f: Option<&NewForm>,
    code: Option<(String, i64)>,
    session: Option<i64>,
    error: Option<String>,
) -> Result<Html<String>, AppError> {
    let place = f.and_then(|f| f.place_unit_id.parse().ok());
    let writable = user.scope.units_for(Permission::Write);
    let places = communes(state, today(), place)
        .await?
        .into_iter()
        .filter(|c| c.value.parse().is_ok_and(|id: i64| writable.contains(&id)))
        .collect();
    Ok(Html(
        NewPage {
            layout: Layout::new("Nhập đơn tiếp nhận trực tiếp", user, "voice"),
            kinds: kinds(f.map(|f| f.kind.as_str()).unwrap_or("")),
            topics: choices(&TOPICS, f.map(|f| f.topic.as_str()).unwrap_or("")),
            channels: choices(
                &CHANNELS[2..],
                f.map(|f| f.channel.as_str()).unwrap_or("desk"),
            ),
            places,
            code: code.as_ref().map(|c| c.0.clone()),
            case_id: code.map(|c| c.1),
            session,
            error,
        }
        .render()?,
    ))
}

#[derive(Deserialize, Default)]
struct NewQuery {
    buoi: Option<i64>,
}

async fn new_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<NewQuery>,
) -> Result<Html<String>, AppError> {
    new_page(&state, &user, None, None, q.buoi, None).await
}

#[derive(Deserialize)]
struct NewForm {
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    topic: String,
    #[serde(default)]
    channel: String,
    #[serde(default)]
    place_unit_id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    citizen_name: String,
    #[serde(default)]
    citizen_contact: String,
    #[serde(default)]
    session: Option<i64>,
}

impl HasCsrf for NewForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn create(
    State(state): State<AppState>,
    CsrfForm(user, f): CsrfForm<NewForm>,
) -> Result<Response, AppError> {
    let Ok(place_unit_id) = f.place_unit_id.parse::<i64>() else {
        let msg = "Vui lòng chọn xã, phường nơi xảy ra sự việc.".to_string();
        let page = new_page(&state, &user, Some(&f), None, f.session, Some(msg)).await?;
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response());
    };
    let result = voice::submit(
        &state.db.conn,
        Some(&user.scope),
        &user.actor(),
        &state.identity,
        NewCase {
            kind: &f.kind,
            topic: &f.topic,
            channel: &f.channel,
            title: &f.title,
            body: &f.body,
            citizen_name: &f.citizen_name,
            citizen_contact: &f.citizen_contact,
            place_unit_id,
            received_on: today(),
            submission_key: None,
            reception_session_id: f.session,
            attachments: None,
        },
    )
    .await;
    match result {
        Ok((case, code)) => {
            Ok(
                new_page(&state, &user, None, Some((code, case.id)), f.session, None)
                    .await?
                    .into_response(),
            )
        }
        Err(DbError::Invalid(m)) => {
            let page = new_page(&state, &user, Some(&f), None, f.session, Some(m)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e.into()),
    }
}

/// A case's attachment, for staff in scope; never a public URL.
async fn download(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, file)): Path<(i64, i64)>,
) -> Result<Response, AppError> {
    let (filename, content_type, bytes) = voice::attachment(
        &state.db.conn,
        &user.scope,
        &user.actor(),
        &state.identity,
        &state.files_dir,
        id,
        file,
    )
    .await?;
    // Always a download, with an ASCII fallback name: nothing uploaded renders in our origin.
    let ascii: String = filename
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let disposition = format!("attachment; filename=\"{ascii}\"");
    Ok((
        [
            (axum::http::header::CONTENT_TYPE, content_type),
            (axum::http::header::CONTENT_DISPOSITION, disposition),
            (
                axum::http::header::CACHE_CONTROL,
                "private, no-store".to_string(),
            ),
        ],
        bytes,
    )
        .into_response())
}
