//! Organisers' pages: contests, rounds and their settings, question banks, exclusion list,
//! freezing results, the ranked list with prizes, statistics and the winners file. The scope
//! checks are in `danvan_db::contest::admin`; these handlers parse and render.

use super::{seconds, vn_time};
use crate::AppState;
use crate::auth::{CsrfForm, CurrentUser, HasCsrf, tokens_match};
use crate::error::AppError;
use crate::layout::Layout;
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use danvan_db::authz::Permission;
use danvan_db::contest::admin::{self, FrozenSummary, NewContest, ResultLine};
use danvan_db::contest::vn_offset;
use danvan_db::entities::{contest_exclusions, contest_rounds, contestants, contests};
use danvan_domain::contest::{Counting, PredictionTarget, PrizeTier, RoundSettings, RowError};
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/contests", get(index).post(create_contest))
        .route("/contests/{id}", get(show))
        .route("/contests/{id}/rounds", post(create_round))
        .route("/contests/{id}/exclusions", post(add_exclusion))
        .route("/contests/rounds/{id}", get(round))
        .route(
            "/contests/rounds/{id}/questions",
            post(import).layer(DefaultBodyLimit::max(10 * 1024 * 1024)),
        )
        .route("/contests/rounds/{id}/questions.csv", get(export_questions))
        .route(
            "/contests/rounds/{id}/questions.xlsx",
            get(export_questions_xlsx),
        )
        .route("/contests/rounds/{id}/freeze", post(freeze))
        .route("/contests/rounds/{id}/winners.csv", get(winners_csv))
        .route("/contests/rounds/{id}/winners.xlsx", get(winners_xlsx))
}

pub struct UnitOption {
    id: i64,
    name: String,
}

#[derive(Template)]
#[template(path = "contest/index.html")]
struct IndexPage {
    layout: Layout,
    contests: Vec<contests::Model>,
    units: Vec<UnitOption>,
    message: Option<String>,
}

async fn render_index(
    state: &AppState,
    user: &CurrentUser,
    message: Option<String>,
) -> Result<String, AppError> {
    let contests = admin::list_contests(&state.db.conn, &user.scope).await?;
    let ids = user.scope.roots_for(Permission::Write);
    let names = admin::unit_names(&state.db.conn, ids.clone()).await?;
    let units = ids
        .into_iter()
        .filter_map(|id| {
            names.get(&id).map(|n| UnitOption {
                id,
                name: n.clone(),
            })
        })
        .collect();
    Ok(IndexPage {
        layout: Layout::new("Cuộc thi", user, "contests"),
        contests,
        units,
        message,
    }
    .render()?)
}

async fn index(State(state): State<AppState>, user: CurrentUser) -> Result<Html<String>, AppError> {
    Ok(Html(render_index(&state, &user, None).await?))
}

#[derive(Deserialize)]
struct ContestForm {
    csrf: String,
    title: String,
    unit_id: i64,
    #[serde(default)]
    min_age: String,
    #[serde(default)]
    require_national_id: Option<String>,
    #[serde(default)]
    require_unit: Option<String>,
}

impl HasCsrf for ContestForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// Shows a refused form again with the message in place (422/409), anything else as an error.
pub(super) fn refused(e: AppError) -> Result<Option<(StatusCode, String)>, AppError> {
    match e {
        AppError::Invalid(m) => Ok(Some((StatusCode::UNPROCESSABLE_ENTITY, m))),
        AppError::Conflict(m) => Ok(Some((StatusCode::CONFLICT, m))),
        other => Err(other),
    }
}

async fn create_contest(
    State(state): State<AppState>,
    CsrfForm(user, form): CsrfForm<ContestForm>,
) -> Result<Response, AppError> {
    let result = async {
        let min_age = match form.min_age.trim() {
            "" => None,
            s => Some(
                s.parse::<u8>()
                    .map_err(|_| AppError::invalid("Độ tuổi tối thiểu phải là số từ 0 đến 100."))?,
            ),
        };
        Ok::<_, AppError>(
            admin::create_contest(
                &state.db.conn,
                &user.scope,
                &user.actor(),
                NewContest {
                    title: &form.title,
                    unit_id: form.unit_id,
                    min_age,
                    require_national_id: form.require_national_id.is_some(),
                    require_unit: form.require_unit.is_some(),
                },
            )
            .await?,
        )
    }
    .await;
    match result {
        Ok(c) => Ok(Redirect::to(&format!("/contests/{}", c.id)).into_response()),
        Err(e) => {
            let (status, msg) = refused(e)?.unwrap_or_default();
            Ok((status, Html(render_index(&state, &user, Some(msg)).await?)).into_response())
        }
    }
}

pub struct RoundLine {
    round: contest_rounds::Model,
    opens: String,
    closes: String,
    status: &'static str,
}

fn status_of(r: &contest_rounds::Model, now: DateTime<Utc>) -> &'static str {
    if r.stats.is_some() {
        "Đã chốt kết quả"
    } else if r.frozen_at.is_some() {
        "Đang chốt kết quả"
    } else if now < r.opens_at {
        "Chưa mở"
    } else if now < r.closes_at {
        "Đang mở"
    } else {
        "Đã đóng, chưa chốt"
    }
}

#[derive(Template)]
#[template(path = "contest/show.html")]
struct ShowPage {
    layout: Layout,
    contest: contests::Model,
    rounds: Vec<RoundLine>,
    exclusions: Vec<contest_exclusions::Model>,
    flagged: Vec<contestants::Model>,
    message: Option<String>,
}

async fn render_show(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    message: Option<String>,
) -> Result<String, AppError> {
    let conn = &state.db.conn;
    let contest = admin::get_contest(conn, &user.scope, id).await?;
    let now = Utc::now();
    let rounds = admin::rounds_of(conn, id)
        .await?
        .into_iter()
        .map(|round| RoundLine {
            opens: vn_time(round.opens_at),
            closes: vn_time(round.closes_at),
            status: status_of(&round, now),
            round,
        })
        .collect();
    let can_manage = user.scope.allows(Permission::Write, contest.unit_id);
    Ok(ShowPage {
        layout: Layout::new(contest.title.clone(), user, "contests"),
        exclusions: if can_manage {
            admin::exclusions(conn, id).await?
        } else {
            Vec::new()
        },
        flagged: if can_manage {
            admin::flagged_contestants(conn, id).await?
        } else {
            Vec::new()
        },
        contest,
        rounds,
        message,
    }
    .render()?)
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Html<String>, AppError> {
    Ok(Html(render_show(&state, &user, id, None).await?))
}

#[derive(Deserialize)]
struct RoundForm {
    csrf: String,
    name: String,
    opens_at: String,
    closes_at: String,
    questions_per_attempt: u16,
    time_limit_minutes: u32,
    grace_secs: u32,
    #[serde(default)]
    max_attempts: String,
    #[serde(default)]
    cooldown_minutes: u32,
    counting: String,
    prediction_target: String,
    #[serde(default)]
    prizes: String,
}

impl HasCsrf for RoundForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// Reads a `datetime-local` value as Việt Nam time, to the second.
fn parse_vn(s: &str, what: &str) -> Result<DateTime<Utc>, AppError> {
    let s = s.trim();
    let naive = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M"))
        .map_err(|_| {
            AppError::invalid(format!(
                "{what} không hợp lệ. Dùng dạng năm-tháng-ngàyTgiờ:phút:giây, ví dụ 2024-05-06T16:00:00."
            ))
        })?;
    vn_offset()
        .from_local_datetime(&naive)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| AppError::invalid(format!("{what} không hợp lệ.")))
}

/// Prize lines like "Giải Nhất: 1".
fn parse_prizes(text: &str) -> Result<Vec<PrizeTier>, AppError> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let (name, count) = line.rsplit_once(':').ok_or_else(|| {
                AppError::invalid(format!(
                    "Dòng giải thưởng “{line}” cần dạng “Tên giải: số lượng”, ví dụ “Giải Nhất: 1”."
                ))
            })?;
            let count = count.trim().parse::<u32>().map_err(|_| {
                AppError::invalid(format!(
                    "Số lượng giải trong dòng “{line}” phải là số nguyên."
                ))
            })?;
            Ok(PrizeTier {
                name: name.trim().to_owned(),
                count,
                value_vnd: None,
            })
        })
        .collect()
}

fn settings_from(form: &RoundForm) -> Result<RoundSettings, AppError> {
    let max_attempts = match form.max_attempts.trim() {
        "" => None,
        s => Some(s.parse::<u16>().map_err(|_| {
            AppError::invalid("Số lượt thi tối đa phải là số nguyên (để trống nếu không giới hạn).")
        })?),
    };
    Ok(RoundSettings {
        questions_per_attempt: form.questions_per_attempt,
        time_limit_secs: form.time_limit_minutes.saturating_mul(60),
        grace_secs: form.grace_secs,
        max_attempts,
        cooldown_secs: form.cooldown_minutes.saturating_mul(60),
        counting: match form.counting.as_str() {
            "first" => Counting::First,
            _ => Counting::Best,
        },
        prediction_target: match form.prediction_target.as_str() {
            "participants" => PredictionTarget::Participants,
            "attempts" => PredictionTarget::Attempts,
            "none" => PredictionTarget::None,
            _ => PredictionTarget::AllCorrectCount,
        },
        prizes: parse_prizes(&form.prizes)?,
        ..Default::default()
    })
}

async fn create_round(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(user, form): CsrfForm<RoundForm>,
) -> Result<Response, AppError> {
    let result = async {
        let opens = parse_vn(&form.opens_at, "Thời gian mở")?;
        let closes = parse_vn(&form.closes_at, "Thời gian đóng")?;
        let settings = settings_from(&form)?;
        Ok::<_, AppError>(
            admin::create_round(
                &state.db.conn,
                &user.scope,
                &user.actor(),
                id,
                admin::NewRound {
                    name: &form.name,
                    opens_at: opens,
                    closes_at: closes,
                    settings: &settings,
                },
            )
            .await?,
        )
    }
    .await;
    match result {
        Ok(r) => Ok(Redirect::to(&format!("/contests/rounds/{}", r.id)).into_response()),
        Err(e) => {
            let (status, msg) = refused(e)?.unwrap_or_default();
            Ok((
                status,
                Html(render_show(&state, &user, id, Some(msg)).await?),
            )
                .into_response())
        }
    }
}

#[derive(Deserialize)]
struct ExclusionForm {
    csrf: String,
    value: String,
    #[serde(default)]
    note: String,
}

impl HasCsrf for ExclusionForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn add_exclusion(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(user, form): CsrfForm<ExclusionForm>,
) -> Result<Response, AppError> {
    let result = admin::add_exclusion(
        &state.db.conn,
        &user.scope,
        &user.actor(),
        id,
        &form.value,
        &form.note,
    )
    .await;
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/contests/{id}")).into_response()),
        Err(e) => {
            let (status, msg) = refused(e.into())?.unwrap_or_default();
            Ok((
                status,
                Html(render_show(&state, &user, id, Some(msg)).await?),
            )
                .into_response())
        }
    }
}

pub struct StatLine {
    label: String,
    participants: u64,
    attempts: u64,
    all_correct: u64,
}

pub struct StatTable {
    title: &'static str,
    lines: Vec<StatLine>,
}

pub struct ResultView {
    line: ResultLine,
    time: String,
}

#[derive(Template)]
#[template(path = "contest/round.html")]
struct RoundPage {
    layout: Layout,
    contest: contests::Model,
    round: contest_rounds::Model,
    settings: RoundSettings,
    opens: String,
    closes: String,
    status: &'static str,
    questions: u64,
    attempts: u64,
    submitted: u64,
    can_import: bool,
    can_freeze: bool,
    summary: Option<FrozenSummary>,
    tables: Vec<StatTable>,
    results: Vec<ResultView>,
    import_errors: Vec<RowError>,
    message: Option<String>,
}

pub(super) async fn render_round(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    message: Option<String>,
    import_errors: Vec<RowError>,
) -> Result<String, AppError> {
    let conn = &state.db.conn;
    let (contest, round) = admin::get_round(conn, &user.scope, id).await?;
    if !user.scope.allows(Permission::Write, contest.unit_id) {
        return Err(AppError::Forbidden);
    }
    let settings: RoundSettings =
        serde_json::from_str(&round.settings).map_err(|e| AppError::Internal(e.to_string()))?;
    let now = Utc::now();
    let (attempts, submitted) = admin::round_counts(conn, id).await?;
    let summary = admin::frozen_summary(&round);
    let mut tables = Vec::new();
    let mut results = Vec::new();
    if let Some(s) = &summary {
        let mut unit_ids: Vec<i64> = s.stats.by_unit.iter().filter_map(|b| b.key).collect();
        unit_ids.extend(s.stats.by_commune.iter().filter_map(|b| b.key));
        let names = admin::unit_names(conn, unit_ids).await?;
        let unit_label = |k: &Option<i64>| {
            k.and_then(|id| names.get(&id).cloned())
                .unwrap_or_else(|| "Không khai báo".into())
        };
        let line = |label: String, b: (u64, u64, u64)| StatLine {
            label,
            participants: b.0,
            attempts: b.1,
            all_correct: b.2,
        };
        tables.push(StatTable {
            title: "Theo đơn vị",
            lines: s
                .stats
                .by_unit
                .iter()
                .take(50)
                .map(|b| {
                    line(
                        unit_label(&b.key),
                        (b.participants, b.attempts, b.all_correct),
                    )
                })
                .collect(),
        });
        tables.push(StatTable {
            title: "Theo xã, phường",
            lines: s
                .stats
                .by_commune
                .iter()
                .take(50)
                .map(|b| {
                    line(
                        unit_label(&b.key),
                        (b.participants, b.attempts, b.all_correct),
                    )
                })
                .collect(),
        });
        tables.push(StatTable {
            title: "Theo giới tính",
            lines: s
                .stats
                .by_gender
                .iter()
                .map(|b| {
                    line(
                        b.key.map_or("Không rõ", |g| g.label()).into(),
                        (b.participants, b.attempts, b.all_correct),
                    )
                })
                .collect(),
        });
        tables.push(StatTable {
            title: "Theo độ tuổi",
            lines: s
                .stats
                .by_age_band
                .iter()
                .map(|b| {
                    line(
                        b.key.map_or("Không rõ", |a| a.label()).into(),
                        (b.participants, b.attempts, b.all_correct),
                    )
                })
                .collect(),
        });
        tables.push(StatTable {
            title: "Theo đối tượng",
            lines: s
                .stats
                .by_group
                .iter()
                .take(50)
                .map(|b| {
                    line(
                        b.key.clone().unwrap_or_else(|| "Không khai báo".into()),
                        (b.participants, b.attempts, b.all_correct),
                    )
                })
                .collect(),
        });
        results = admin::results(conn, &user.scope, id, false)
            .await?
            .into_iter()
            .take(200)
            .map(|line| ResultView {
                time: seconds(line.duration_ms),
                line,
            })
            .collect();
    }
    Ok(RoundPage {
        layout: Layout::new(round.name.clone(), user, "contests"),
        opens: vn_time(round.opens_at),
        closes: vn_time(round.closes_at),
        status: status_of(&round, now),
        questions: admin::question_count(conn, id).await?,
        attempts,
        submitted,
        can_import: now < round.opens_at,
        can_freeze: round.stats.is_none() && now >= round.closes_at,
        contest,
        round,
        settings,
        summary,
        tables,
        results,
        import_errors,
        message,
    }
    .render()?)
}

async fn round(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Html<String>, AppError> {
    Ok(Html(
        render_round(&state, &user, id, None, Vec::new()).await?,
    ))
}

async fn import(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    mut multipart: Multipart,
) -> Result<Response, AppError> {
    let bad = || AppError::invalid("Không đọc được tệp tải lên. Vui lòng thử lại.");
    let (mut csrf, mut bytes) = (String::new(), Vec::new());
    while let Some(field) = multipart.next_field().await.map_err(|_| bad())? {
        match field.name().unwrap_or_default() {
            "csrf" => csrf = field.text().await.map_err(|_| bad())?,
            "file" => bytes = field.bytes().await.map_err(|_| bad())?.to_vec(),
            _ => {}
        }
    }
    if !tokens_match(&csrf, &user.session.csrf_token) {
        return Err(AppError::Csrf);
    }
    let text = match String::from_utf8(bytes) {
        Ok(t) => t,
        Err(_) => {
            let msg =
                "Tệp không phải CSV mã hóa UTF-8. Trong Excel, chọn “Lưu thành” → “CSV UTF-8”."
                    .to_owned();
            let html = render_round(&state, &user, id, Some(msg), Vec::new()).await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response());
        }
    };
    let result = admin::import_questions(
        &state.db.conn,
        &user.scope,
        &user.actor(),
        id,
        &text,
        Utc::now(),
    )
    .await;
    match result {
        Ok(report) => {
            state.contest.forget(id);
            let msg = format!(
                "Đã thêm {} câu hỏi; {} dòng bị từ chối.",
                report.added,
                report.errors.len()
            );
            let status = if report.errors.is_empty() {
                StatusCode::OK
            } else {
                StatusCode::UNPROCESSABLE_ENTITY
            };
            let html = render_round(&state, &user, id, Some(msg), report.errors).await?;
            Ok((status, Html(html)).into_response())
        }
        Err(e) => {
            let (status, msg) = refused(e.into())?.unwrap_or_default();
            let html = render_round(&state, &user, id, Some(msg), Vec::new()).await?;
            Ok((status, Html(html)).into_response())
        }
    }
}

fn csv_download(name: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
}

async fn export_questions(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let csv = admin::export_questions(&state.db.conn, &user.scope, id).await?;
    Ok(csv_download(
        &format!("ngan-hang-cau-hoi-vong-{id}.csv"),
        csv,
    ))
}

#[derive(Deserialize)]
pub(super) struct FreezeForm {
    csrf: String,
}

impl HasCsrf for FreezeForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn freeze(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(user, _): CsrfForm<FreezeForm>,
) -> Result<Response, AppError> {
    let result = admin::freeze_round(
        &state.db.conn,
        Some(&state.contest),
        &user.scope,
        &user.actor(),
        id,
        Utc::now(),
    )
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/contests/rounds/{id}")).into_response()),
        Err(e) => {
            let (status, msg) = refused(e.into())?.unwrap_or_default();
            let html = render_round(&state, &user, id, Some(msg), Vec::new()).await?;
            Ok((status, Html(html)).into_response())
        }
    }
}

async fn winners_csv(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let lines = admin::results(&state.db.conn, &user.scope, id, true).await?;
    Ok(csv_download(
        &format!("danh-sach-doat-giai-vong-{id}.csv"),
        admin::winners_csv(&lines),
    ))
}

/// The winners list as an Excel workbook, the format organisers forward to the Ban Tổ chức.
fn winners_workbook(lines: &[ResultLine]) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Danh sách đoạt giải")?;
    let bold = Format::new().set_bold();
    let headers = [
        "Hạng",
        "Giải",
        "Họ và tên",
        "Ngày sinh",
        "Điện thoại",
        "Đơn vị",
        "Số câu đúng",
        "Tổng số câu",
        "Dự đoán",
        "Chênh lệch dự đoán",
        "Thời gian (giây)",
    ];
    for (col, h) in (0u16..).zip(headers) {
        sheet.write_string_with_format(0, col, h, &bold)?;
    }
    for (row, l) in (1u32..).zip(lines) {
        sheet.write_number(row, 0, f64::from(l.rank))?;
        sheet.write_string(row, 1, l.prize.as_deref().unwrap_or_default())?;
        sheet.write_string(row, 2, &l.full_name)?;
        sheet.write_string(row, 3, l.birth_date.format("%d/%m/%Y").to_string())?;
        // Text, not a number: a leading zero is part of a Vietnamese phone number.
        sheet.write_string(row, 4, &l.phone)?;
        sheet.write_string(row, 5, l.unit_name.as_deref().unwrap_or_default())?;
        sheet.write_number(row, 6, f64::from(l.correct))?;
        sheet.write_number(row, 7, f64::from(l.total))?;
        if let Some(p) = l.prediction {
            sheet.write_number(row, 8, p as f64)?;
        }
        if let Some(e) = l.prediction_error {
            sheet.write_number(row, 9, e as f64)?;
        }
        sheet.write_number(row, 10, l.duration_ms as f64 / 1000.0)?;
    }
    sheet.autofit();
    book.save_to_buffer()
}

async fn winners_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let lines = admin::results(&state.db.conn, &user.scope, id, true).await?;
    let bytes = winners_workbook(&lines).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(xlsx_download(
        &format!("danh-sach-doat-giai-vong-{id}.xlsx"),
        bytes,
    ))
}

/// The bank as a workbook with the importer's columns, so it can be edited and saved as CSV.
fn bank_workbook(
    bank: &[danvan_domain::contest::Question],
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Ngân hàng câu hỏi")?;
    let bold = Format::new().set_bold();
    let headers = [
        "Câu hỏi",
        "Phương án A",
        "Phương án B",
        "Phương án C",
        "Phương án D",
        "Đáp án",
        "Chủ đề",
        "Độ khó",
    ];
    for (col, h) in (0u16..).zip(headers) {
        sheet.write_string_with_format(0, col, h, &bold)?;
    }
    for (row, q) in (1u32..).zip(bank) {
        sheet.write_string(row, 0, &q.text)?;
        for (col, o) in (1u16..).zip(&q.options) {
            sheet.write_string(row, col, &o.text)?;
        }
        let letter = q
            .options
            .iter()
            .position(|o| o.id == q.correct_option)
            .and_then(|i| ["A", "B", "C", "D"].get(i).copied())
            .unwrap_or_default();
        sheet.write_string(row, 5, letter)?;
        sheet.write_string(row, 6, q.topic.as_deref().unwrap_or_default())?;
        if let Some(d) = q.difficulty {
            sheet.write_number(row, 7, f64::from(d))?;
        }
    }
    book.save_to_buffer()
}

async fn export_questions_xlsx(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let bank = admin::questions(&state.db.conn, &user.scope, id).await?;
    let bytes = bank_workbook(&bank).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok(xlsx_download(
        &format!("ngan-hang-cau-hoi-vong-{id}.xlsx"),
        bytes,
    ))
}

fn xlsx_download(name: &str, bytes: Vec<u8>) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}
