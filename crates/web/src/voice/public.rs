//! No-account pages: send a petition, read its status with the tracking code.

use super::{Choice, choices, communes, kinds};
use crate::AppState;
use crate::auth::{client_ip, tokens_match};
use crate::error::AppError;
use crate::layout::Layout;
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, FromRequest, Multipart, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use chrono::{Duration, NaiveDate};
use danvan_db::ratelimit::{self, Limit};
use danvan_db::voice::{self, Attachments, NewCase, PublicView, TOPICS, Upload};
use danvan_db::{Actor, DbError, sessions};
use serde::Deserialize;

/// Without a session, the form is protected by a double-submit cookie, as the sign-in form is.
const FORM_COOKIE: &str = "danvan_petition_csrf";
const SUBMIT_LIMIT: Limit = Limit {
    max: 10,
    window: Duration::hours(1),
};
/// Three files of 5 MB and the text fields.
const UPLOAD_BODY_LIMIT: usize = voice::MAX_ATTACHMENTS * voice::MAX_ATTACHMENT_BYTES + 1024 * 1024;
const LOOKUP_LIMIT: Limit = Limit {
    max: 30,
    window: Duration::minutes(15),
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/gui-don",
            get(form)
                .post(submit)
                .layer(DefaultBodyLimit::max(UPLOAD_BODY_LIMIT)),
        )
        .route("/tra-cuu", get(lookup))
}

#[derive(Deserialize, Default)]
struct PetitionInput {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    topic: String,
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
}

#[derive(Template)]
#[template(path = "voice/public_form.html")]
struct FormPage {
    layout: Layout,
    kinds: Vec<Choice>,
    topics: Vec<Choice>,
    places: Vec<Choice>,
    input: PetitionInput,
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "voice/public_sent.html")]
struct SentPage {
    layout: Layout,
    code: String,
    due_on: String,
}

#[derive(Template)]
#[template(path = "voice/lookup.html")]
struct LookupPage {
    layout: Layout,
    code: String,
    view: Option<PublicView>,
    error: Option<String>,
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

fn form_cookie(value: &str, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let v = format!(
        "{FORM_COOKIE}={value}; Path=/gui-don; HttpOnly; SameSite=Strict; Max-Age=7200{secure}"
    );
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static(""))
}

/// Renders the form with a fresh token, keeping what the citizen typed after an error.
async fn render_form(
    state: &AppState,
    input: PetitionInput,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let token = sessions::random_token();
    let mut layout = Layout::anonymous("Gửi phản ánh, kiến nghị, khiếu nại");
    layout.csrf = token.clone();
    let place = input.place_unit_id.parse().ok();
    let page = FormPage {
        layout,
        kinds: kinds(&input.kind),
        topics: choices(&TOPICS, &input.topic),
        places: communes(state, today(), place).await?,
        input,
        error,
    };
    let mut response = (status, Html(page.render()?)).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        form_cookie(&token, state.config.secure_cookies),
    );
    Ok(response)
}

async fn form(State(state): State<AppState>) -> Result<Response, AppError> {
    render_form(&state, PetitionInput::default(), None, StatusCode::OK).await
}

/// Reads the multipart form: text fields and up to three checked files. A bad file keeps the
/// text, so the citizen only has to choose the files again.
async fn read_form(
    mut multipart: Multipart,
) -> Result<(PetitionInput, Result<Vec<Upload>, String>), AppError> {
    let mut input = PetitionInput::default();
    let mut files = Vec::new();
    let mut file_error = None;
    let broken = || {
        AppError::invalid(
            "Không đọc được biểu mẫu: tệp đính kèm quá lớn (tối đa 5 MB mỗi tệp, 3 tệp) hoặc bị gián đoạn.",
        )
    };
    while let Some(field) = multipart.next_field().await.map_err(|_| broken())? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "files" {
            let filename = field.file_name().unwrap_or_default().to_string();
            let bytes = field.bytes().await.map_err(|_| broken())?;
            if filename.is_empty() && bytes.is_empty() {
                continue;
            }
            if files.len() == voice::MAX_ATTACHMENTS {
                file_error = Some(format!(
                    "Chỉ gửi được tối đa {} tệp đính kèm.",
                    voice::MAX_ATTACHMENTS
                ));
                continue;
            }
            match voice::check_upload(&filename, &bytes) {
                Ok(content_type) => files.push(Upload {
                    filename,
                    content_type,
                    bytes: bytes.to_vec(),
                }),
                Err(e) => file_error = Some(e.to_string()),
            }
            continue;
        }
        let value = field.text().await.map_err(|_| broken())?;
        match name.as_str() {
            "csrf" => input.csrf = value,
            "kind" => input.kind = value,
            "topic" => input.topic = value,
            "place_unit_id" => input.place_unit_id = value,
            "title" => input.title = value,
            "body" => input.body = value,
            "citizen_name" => input.citizen_name = value,
            "citizen_contact" => input.citizen_contact = value,
            _ => {}
        }
    }
    Ok((input, file_error.map_or(Ok(files), Err)))
}

async fn submit(State(state): State<AppState>, req: Request) -> Result<Response, AppError> {
    let (parts, body) = req.into_parts();
    let ip = client_ip(&parts, state.config.trust_proxy);
    let cookie_token = crate::auth::cookie(&parts, FORM_COOKIE).map(str::to_string);
    let multipart = Multipart::from_request(Request::from_parts(parts, body), &state)
        .await
        .map_err(|_| AppError::invalid("Dữ liệu gửi lên không đúng định dạng."))?;
    let (input, files) = read_form(multipart).await?;
    let token_ok = cookie_token
        .as_deref()
        .is_some_and(|c| !input.csrf.is_empty() && tokens_match(c, &input.csrf));
    if !token_ok {
        let msg = "Biểu mẫu đã hết hạn. Nội dung bạn nhập vẫn còn dưới đây, vui lòng bấm Gửi lại.";
        return render_form(&state, input, Some(msg.into()), StatusCode::FORBIDDEN).await;
    }
    let files = match files {
        Ok(files) => files,
        Err(msg) => {
            let msg = format!("{msg} Nội dung đơn vẫn còn dưới đây; vui lòng chọn lại tệp.");
            return render_form(&state, input, Some(msg), StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let ip_key = format!("voice-submit:{}", ip.as_deref().unwrap_or("-"));
    if !ratelimit::hit(&state.db.conn, &ip_key, SUBMIT_LIMIT).await? {
        return Err(AppError::TooManyRequests);
    }
    let Ok(place_unit_id) = input.place_unit_id.parse::<i64>() else {
        let msg = "Vui lòng chọn xã, phường nơi xảy ra sự việc.";
        return render_form(
            &state,
            input,
            Some(msg.into()),
            StatusCode::UNPROCESSABLE_ENTITY,
        )
        .await;
    };
    // The token is single-use: its hash marks the submission, so a replayed post is refused.
    let key = sessions::hash_token(&input.csrf);
    let actor = Actor {
        user_id: None,
        username: "công dân".into(),
        ip,
    };
    let result = voice::submit(
        &state.db.conn,
        None,
        &actor,
        &state.identity,
        NewCase {
            kind: &input.kind,
            topic: &input.topic,
            channel: "web",
            title: &input.title,
            body: &input.body,
            citizen_name: &input.citizen_name,
            citizen_contact: &input.citizen_contact,
            place_unit_id,
            received_on: today(),
            submission_key: Some(&key),
            reception_session_id: None,
            attachments: Some(Attachments {
                dir: &state.files_dir,
                files: &files,
            }),
        },
    )
    .await;
    match result {
        Ok((case, code)) => {
            let page = SentPage {
                layout: Layout::anonymous("Đã gửi đơn"),
                code,
                due_on: case
                    .due_on
                    .map(|d| d.format("%d/%m/%Y").to_string())
                    .unwrap_or_default(),
            };
            Ok(Html(page.render()?).into_response())
        }
        Err(DbError::Invalid(msg)) => {
            render_form(&state, input, Some(msg), StatusCode::UNPROCESSABLE_ENTITY).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Deserialize, Default)]
struct LookupQuery {
    ma: Option<String>,
}

async fn lookup(State(state): State<AppState>, req: Request) -> Result<Response, AppError> {
    let (parts, _) = req.into_parts();
    let ip = client_ip(&parts, state.config.trust_proxy);
    let Query(q) = Query::<LookupQuery>::try_from_uri(&parts.uri).unwrap_or_default();
    let code = q.ma.unwrap_or_default();
    let mut page = LookupPage {
        layout: Layout::anonymous("Tra cứu đơn"),
        code: code.clone(),
        view: None,
        error: None,
    };
    let mut status = StatusCode::OK;
    if !code.trim().is_empty() {
        // Counting only real lookups keeps guessing slow without limiting people who just open the page.
        let ip_key = format!("voice-lookup:{}", ip.as_deref().unwrap_or("-"));
        if !ratelimit::hit(&state.db.conn, &ip_key, LOOKUP_LIMIT).await? {
            return Err(AppError::TooManyRequests);
        }
        match voice::lookup(&state.db.conn, &code).await {
            Ok(view) => page.view = Some(view),
            Err(DbError::NotFound(_)) => {
                status = StatusCode::NOT_FOUND;
                page.error = Some(
                    "Không tìm thấy đơn với mã tra cứu này. Vui lòng kiểm tra lại mã (16 ký tự, ví dụ ABCD-EFGH-JKMN-PQRS)."
                        .into(),
                );
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok((status, Html(page.render()?)).into_response())
}
