//! Giải tập thể on the organisers' side: the formula and number of prizes, each unit's
//! headcount (typed or uploaded), and the ranking as CSV or an Excel workbook. The contest page
//! shows the ranking; the services are in `danvan_db::contest::collective`.

use super::organiser::{
    MAX_UPLOAD_BYTES, ShowExtras, csv_download, render_show, show_refused, xlsx_download,
};
use super::round_form::parse_named_numbers;
use crate::AppState;
use crate::auth::{CsrfForm, CurrentUser, HasCsrf, tokens_match};
use crate::error::AppError;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use danvan_db::contest::collective::{self, STANDINGS_HEADER, Standings};
use danvan_domain::contest::{CollectiveFormula, CollectiveSettings};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/contests/{id}/collective", post(save_settings))
        .route(
            "/contests/{id}/headcounts",
            post(headcounts).layer(DefaultBodyLimit::max(10 * 1024 * 1024)),
        )
        .route("/contests/{id}/tap-the.csv", get(standings_csv))
        .route("/contests/{id}/tap-the.xlsx", get(standings_xlsx))
}

#[derive(Deserialize)]
struct SettingsForm {
    csrf: String,
    formula: String,
    prizes: String,
    #[serde(default)]
    prize_points: String,
}

impl HasCsrf for SettingsForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn save_settings(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(user, form): CsrfForm<SettingsForm>,
) -> Result<Response, AppError> {
    let result = async {
        let formula = CollectiveFormula::from_code(form.formula.trim())
            .ok_or_else(|| AppError::invalid("Vui lòng chọn cách xếp hạng tập thể."))?;
        let prizes = form.prizes.trim().parse::<u32>().map_err(|_| {
            AppError::invalid(format!(
                "Số giải tập thể: “{}” không phải là số nguyên không âm hợp lệ.",
                form.prizes.trim()
            ))
        })?;
        let settings = CollectiveSettings {
            formula,
            prizes,
            prize_points: parse_named_numbers(&form.prize_points, "điểm")?
                .into_iter()
                .collect(),
        };
        collective::save_settings(&state.db.conn, &user.scope, &user.actor(), id, &settings)
            .await?;
        Ok::<_, AppError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/contests/{id}#giai-tap-the")).into_response()),
        Err(e) => show_refused(&state, &user, id, e).await,
    }
}

/// Headcounts typed as lines or uploaded as a CSV/.xlsx file (the file wins when both come).
async fn headcounts(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let bad = || AppError::invalid("Không đọc được dữ liệu gửi lên. Vui lòng thử lại.");
    let (mut csrf, mut lines, mut file) = (String::new(), String::new(), Vec::new());
    while let Some(field) = multipart.next_field().await.map_err(|_| bad())? {
        match field.name().unwrap_or_default() {
            "csrf" => csrf = field.text().await.map_err(|_| bad())?,
            "lines" => lines = field.text().await.map_err(|_| bad())?,
            "file" => file = field.bytes().await.map_err(|_| bad())?.to_vec(),
            _ => {}
        }
    }
    if !tokens_match(&csrf, &user.session.csrf_token) {
        return Err(AppError::Csrf);
    }
    if file.len() > MAX_UPLOAD_BYTES {
        let e = AppError::invalid("Tệp quá lớn: tối đa 5 MB.");
        return show_refused(&state, &user, id, e).await;
    }
    let input = if file.is_empty() {
        lines.into_bytes()
    } else {
        file
    };
    if input.iter().all(u8::is_ascii_whitespace) {
        let e = AppError::invalid(
            "Nhập ít nhất một dòng “mã hoặc tên đơn vị, số người” hoặc chọn tệp.",
        );
        return show_refused(&state, &user, id, e).await;
    }
    let result = collective::import_headcounts(
        &state.db.conn,
        &user.scope,
        &user.actor(),
        id,
        &input,
        danvan_db::contest::vn_date(chrono::Utc::now()),
    )
    .await;
    match result {
        Ok(report) if report.errors.is_empty() => {
            Ok(Redirect::to(&format!("/contests/{id}#giai-tap-the")).into_response())
        }
        Ok(report) => {
            let extras = ShowExtras {
                message: Some(format!(
                    "Đã lưu số người của {} đơn vị; {} dòng bị từ chối.",
                    report.saved,
                    report.errors.len()
                )),
                headcount_errors: report.errors,
                ..ShowExtras::default()
            };
            let html = render_show(&state, &user, id, extras).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => show_refused(&state, &user, id, e.into()).await,
    }
}

async fn standings_csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let s = collective::standings(&state.db.conn, &user.scope, id).await?;
    Ok(csv_download(
        &format!("xep-hang-tap-the-cuoc-thi-{id}.csv"),
        collective::standings_csv(&s),
    ))
}

/// The collective ranking as a workbook: the formula in words above the table, the units
/// without a headcount below it.
fn standings_workbook(s: &Standings) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Xếp hạng tập thể")?;
    let bold = Format::new().set_bold();
    sheet.write_string_with_format(0, 0, s.settings.formula.label(), &bold)?;
    sheet.write_string(1, 0, s.settings.formula.explain())?;
    sheet.write_string(2, 0, format!("Các vòng đã chốt: {}", s.rounds.join(", ")))?;
    for (col, h) in (0u16..).zip(STANDINGS_HEADER) {
        sheet.write_string_with_format(4, col, h, &bold)?;
    }
    let mut row = 5u32;
    for line in s.lines() {
        for (col, cell) in (0u16..).zip(line.cells()) {
            sheet.write_string(row, col, cell)?;
        }
        sheet.write_number(row, 0, f64::from(line.rank))?;
        sheet.write_number(row, 3, line.participants as f64)?;
        row += 1;
    }
    let missing = s.missing();
    if !missing.is_empty() {
        sheet.write_string(
            row + 1,
            0,
            format!(
                "Đơn vị có người dự thi nhưng chưa khai báo số người: {}",
                missing.join(", ")
            ),
        )?;
    }
    book.save_to_buffer()
}

async fn standings_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let s = collective::standings(&state.db.conn, &user.scope, id).await?;
    let bytes = standings_workbook(&s).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(xlsx_download(
        &format!("xep-hang-tap-the-cuoc-thi-{id}.xlsx"),
        bytes,
    ))
}
