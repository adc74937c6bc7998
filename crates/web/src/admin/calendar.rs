//! Each year's official holiday schedule (lịch nghỉ lễ, Tết, ngày làm bù), entered by a province
//! admin; the statutory clocks use it instead of the built-in rules for that year.

use crate::AppState;
use crate::auth::{CsrfForm, CurrentUser, HasCsrf};
use crate::error::AppError;
use crate::layout::Layout;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::{Datelike, NaiveDate};
use danvan_domain::calendar::parse_holidays_file;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new().route("/admin/calendar", get(index).post(save))
}

#[derive(Deserialize, Default)]
struct YearQuery {
    year: Option<i32>,
    saved: Option<String>,
}

#[derive(Template)]
#[template(path = "admin/calendar.html")]
struct CalendarPage {
    layout: Layout,
    year: i32,
    holidays: Vec<(String, String)>,
    official: bool,
    off_text: String,
    working_text: String,
    note: String,
    saved: bool,
    error: Option<String>,
}

fn require(user: &CurrentUser) -> Result<(), AppError> {
    if user.scope.is_province_admin() {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

fn lines(days: &[NaiveDate]) -> String {
    days.iter()
        .map(|d| d.to_string())
        .collect::<Vec<_>>()
        .join("\n")
}

async fn render(
    state: &AppState,
    user: &CurrentUser,
    year: i32,
    error: Option<String>,
    saved: bool,
    typed: Option<(&str, &str, &str)>,
) -> Result<String, AppError> {
    let cal = danvan_db::calendar::work_calendar(&state.db.conn).await?;
    let stored = danvan_db::calendar::schedules(&state.db.conn)
        .await?
        .into_iter()
        .find(|s| s.0 == year);
    let builtin = danvan_domain::calendar::WorkCalendar::builtin();
    let (off_text, working_text, note) = match (typed, &stored) {
        (Some((o, w, n)), _) => (o.to_string(), w.to_string(), n.to_string()),
        (None, Some((_, off, work, note))) => {
            (lines(off), lines(work), note.clone().unwrap_or_default())
        }
        // A starting list to edit: the built-in holidays of the year.
        (None, None) => (
            builtin
                .holidays_in(year)
                .iter()
                .map(|(d, name)| format!("{d} # {name}"))
                .collect::<Vec<_>>()
                .join("\n"),
            String::new(),
            String::new(),
        ),
    };
    Ok(CalendarPage {
        layout: Layout::new("Lịch nghỉ lễ chính thức", user, "calendar"),
        year,
        holidays: cal
            .holidays_in(year)
            .into_iter()
            .map(|(d, n)| (d.format("%d/%m/%Y").to_string(), n))
            .collect(),
        official: stored.is_some(),
        off_text,
        working_text,
        note,
        saved,
        error,
    }
    .render()?)
}

async fn index(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<YearQuery>,
) -> Result<Html<String>, AppError> {
    require(&user)?;
    let year = q
        .year
        .unwrap_or_else(|| chrono::Local::now().year())
        .clamp(2000, 2100);
    Ok(Html(
        render(&state, &user, year, None, q.saved.is_some(), None).await?,
    ))
}

#[derive(Deserialize)]
struct ScheduleForm {
    csrf: String,
    year: String,
    #[serde(default)]
    off_days: String,
    #[serde(default)]
    working_days: String,
    #[serde(default)]
    note: String,
}

impl HasCsrf for ScheduleForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn save(
    State(state): State<AppState>,
    CsrfForm(user, form): CsrfForm<ScheduleForm>,
) -> Result<Response, AppError> {
    require(&user)?;
    let year: i32 = form
        .year
        .trim()
        .parse()
        .map_err(|_| AppError::invalid("Năm không hợp lệ."))?;
    let result = async {
        let off = parse_holidays_file(&form.off_days)
            .map_err(|e| AppError::invalid(format!("Ngày nghỉ: {e}")))?;
        let work = parse_holidays_file(&form.working_days)
            .map_err(|e| AppError::invalid(format!("Ngày làm bù: {e}")))?;
        danvan_db::calendar::set_schedule(
            &state.db.conn,
            &user.scope,
            &user.actor(),
            year,
            off,
            work,
            &form.note,
        )
        .await
        .map_err(AppError::from)
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/admin/calendar?year={year}&saved=1")).into_response()),
        Err(AppError::Invalid(m)) => {
            let html = render(
                &state,
                &user,
                year,
                Some(m),
                false,
                Some((&form.off_days, &form.working_days, &form.note)),
            )
            .await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e),
    }
}
