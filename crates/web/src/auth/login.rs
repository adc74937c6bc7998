//! Sign in (throttled), sign out, change password.

use super::csrf::{CsrfForm, HasCsrf, tokens_match};
use super::session::{CurrentUser, SESSION_COOKIE, client_ip, cookie};
use crate::AppState;
use crate::error::AppError;
use crate::layout::Layout;
use askama::Template;
use axum::extract::{FromRequest, Query, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::Duration;
use danvan_db::audit::{self, Entry};
use danvan_db::ratelimit::{self, Limit};
use danvan_db::{Actor, accounts, sessions};
use serde::Deserialize;

/// Before a session exists, the sign-in form is protected by a double-submit cookie.
const LOGIN_CSRF_COOKIE: &str = "danvan_login_csrf";
const USER_LIMIT: Limit = Limit {
    max: 5,
    window: Duration::minutes(15),
};
const IP_LIMIT: Limit = Limit {
    max: 30,
    window: Duration::minutes(15),
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
        .route(
            "/account/password",
            get(password_form).post(change_password),
        )
}

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    layout: Layout,
    next: String,
    username: String,
    error: Option<String>,
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

/// Only local paths are followed after sign-in, so the form cannot redirect to another site.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}

fn cookie_header(name: &str, value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    let v = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict; Max-Age={max_age}{secure}");
    HeaderValue::from_str(&v).unwrap_or_else(|_| HeaderValue::from_static(""))
}

fn render_login(
    state: &AppState,
    next: String,
    username: String,
    error: Option<String>,
    status: StatusCode,
) -> Result<Response, AppError> {
    let token = sessions::random_token();
    let mut layout = Layout::anonymous("Đăng nhập");
    layout.csrf = token.clone();
    let html = LoginPage {
        layout,
        next,
        username,
        error,
    }
    .render()?;
    let mut response = (status, Html(html)).into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        cookie_header(LOGIN_CSRF_COOKIE, &token, 3600, state.config.secure_cookies),
    );
    Ok(response)
}

async fn login_form(
    State(state): State<AppState>,
    Query(q): Query<NextQuery>,
) -> Result<Response, AppError> {
    render_login(
        &state,
        safe_next(q.next.as_deref()),
        String::new(),
        None,
        StatusCode::OK,
    )
}

#[derive(Deserialize)]
struct LoginInput {
    username: String,
    password: String,
    csrf: String,
    next: Option<String>,
}

async fn login(State(state): State<AppState>, req: Request) -> Result<Response, AppError> {
    let (parts, body) = req.into_parts();
    let ip = client_ip(&parts, state.config.trust_proxy);
    let cookie_token = cookie(&parts, LOGIN_CSRF_COOKIE).map(str::to_string);
    let Form(input) = Form::<LoginInput>::from_request(Request::from_parts(parts, body), &state)
        .await
        .map_err(|_| AppError::invalid("Vui lòng nhập tên đăng nhập và mật khẩu."))?;
    if !cookie_token.is_some_and(|c| tokens_match(&c, &input.csrf)) {
        return Err(AppError::Csrf);
    }
    let next = safe_next(input.next.as_deref());
    let username = input.username.trim().to_lowercase();
    let conn = &state.db.conn;
    let ip_key = format!("login:ip:{}", ip.as_deref().unwrap_or("unknown"));
    let user_key = format!("login:user:{username}");
    if ratelimit::is_blocked(conn, &user_key, USER_LIMIT).await?
        || ratelimit::is_blocked(conn, &ip_key, IP_LIMIT).await?
    {
        return render_login(
            &state,
            next,
            username,
            Some(AppError::TooManyRequests.to_string()),
            StatusCode::TOO_MANY_REQUESTS,
        );
    }
    let Some(user) = accounts::authenticate(conn, &username, &input.password).await? else {
        ratelimit::hit(conn, &user_key, USER_LIMIT).await?;
        ratelimit::hit(conn, &ip_key, IP_LIMIT).await?;
        let actor = Actor {
            user_id: None,
            username: username.clone(),
            ip: ip.clone(),
        };
        audit::record(
            conn,
            &actor,
            Entry {
                action: "login.failed",
                entity: "user",
                entity_id: None,
                unit_id: None,
                detail: None,
            },
        )
        .await?;
        return render_login(
            &state,
            next,
            username,
            Some("Tên đăng nhập hoặc mật khẩu không đúng.".into()),
            StatusCode::UNAUTHORIZED,
        );
    };
    ratelimit::clear(conn, &user_key).await?;
    let (token, _) = sessions::create(conn, user.id, ip.clone()).await?;
    let actor = Actor {
        user_id: Some(user.id),
        username: user.username.clone(),
        ip,
    };
    audit::record(
        conn,
        &actor,
        Entry {
            action: "login.success",
            entity: "user",
            entity_id: Some(user.id.to_string()),
            unit_id: None,
            detail: None,
        },
    )
    .await?;
    let target = if user.must_change_password {
        "/account/password".to_string()
    } else {
        next
    };
    let mut response = Redirect::to(&target).into_response();
    let max_age = sessions::SESSION_DAYS * 24 * 3600;
    let h = response.headers_mut();
    h.append(
        header::SET_COOKIE,
        cookie_header(SESSION_COOKIE, &token, max_age, state.config.secure_cookies),
    );
    h.append(
        header::SET_COOKIE,
        cookie_header(LOGIN_CSRF_COOKIE, "", 0, state.config.secure_cookies),
    );
    Ok(response)
}

#[derive(Deserialize)]
struct CsrfOnly {
    csrf: String,
}

impl HasCsrf for CsrfOnly {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn logout(
    State(state): State<AppState>,
    CsrfForm(user, _): CsrfForm<CsrfOnly>,
) -> Result<Response, AppError> {
    sessions::delete(&state.db.conn, &user.session.token_hash).await?;
    audit::record(
        &state.db.conn,
        &user.actor(),
        Entry {
            action: "logout",
            entity: "user",
            entity_id: Some(user.user.id.to_string()),
            unit_id: None,
            detail: None,
        },
    )
    .await?;
    let mut response = Redirect::to("/login").into_response();
    response.headers_mut().append(
        header::SET_COOKIE,
        cookie_header(SESSION_COOKIE, "", 0, state.config.secure_cookies),
    );
    Ok(response)
}

#[derive(Template)]
#[template(path = "auth/password.html")]
struct PasswordPage {
    layout: Layout,
    must_change: bool,
    error: Option<String>,
    saved: bool,
    min_len: usize,
}

#[derive(Deserialize)]
struct SavedQuery {
    saved: Option<String>,
}

async fn password_form(
    user: CurrentUser,
    Query(q): Query<SavedQuery>,
) -> Result<Html<String>, AppError> {
    Ok(Html(
        PasswordPage {
            layout: Layout::new("Đổi mật khẩu", &user, ""),
            must_change: user.user.must_change_password,
            error: None,
            saved: q.saved.is_some(),
            min_len: accounts::MIN_PASSWORD_LEN,
        }
        .render()?,
    ))
}

#[derive(Deserialize)]
struct PasswordInput {
    csrf: String,
    current: String,
    new_password: String,
    confirm: String,
}

impl HasCsrf for PasswordInput {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn change_password(
    State(state): State<AppState>,
    CsrfForm(user, input): CsrfForm<PasswordInput>,
) -> Result<Response, AppError> {
    let result = if input.new_password != input.confirm {
        Err(AppError::invalid("Mật khẩu nhập lại không khớp."))
    } else {
        accounts::change_password(
            &state.db.conn,
            &user.actor(),
            user.user.id,
            &input.current,
            &input.new_password,
            &user.session.token_hash,
        )
        .await
        .map_err(AppError::from)
    };
    match result {
        Ok(()) => Ok(Redirect::to("/account/password?saved=1").into_response()),
        Err(AppError::Invalid(message)) => {
            let page = PasswordPage {
                layout: Layout::new("Đổi mật khẩu", &user, ""),
                must_change: user.user.must_change_password,
                error: Some(message),
                saved: false,
                min_len: accounts::MIN_PASSWORD_LEN,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page.render()?)).into_response())
        }
        Err(e) => Err(e),
    }
}
