//! Organisers' pages: contests, rounds and their settings, question banks, exclusion list,
//! freezing results, the ranked list with prizes, statistics and the winners file. The scope
//! checks are in `danvan_db::contest::admin`; these handlers parse and render.

use super::round_form::{RoundForm, RoundFormView, RoundInput};
use super::{seconds, vn_time};
use crate::AppState;
use crate::auth::{CsrfForm, CurrentUser, HasCsrf, tokens_match};
use crate::error::AppError;
use crate::layout::Layout;
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::{DateTime, Utc};
use danvan_db::authz::Permission;
use danvan_db::contest::admin::{self, FrozenSummary, NewContest, ResultLine};
use danvan_db::contest::collective::{self, Headcount, StandingLine, Standings};
use danvan_db::contest::organiser::{self, RoundChange, editable};
use danvan_db::entities::{contest_exclusions, contest_rounds, contestants, contests};
use danvan_domain::contest::{CollectiveFormula, RoundSettings, RowError};
use serde::Deserialize;

/// The largest bank or headcount file accepted.
pub(super) const MAX_UPLOAD_BYTES: usize = 5 * 1024 * 1024;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/contests", get(index).post(create_contest))
        .route("/contests/{id}", get(show))
        .route("/contests/{id}/rounds", post(create_round))
        .route("/contests/{id}/exclusions", post(add_exclusion))
        .route(
            "/contests/{id}/contestants/{contestant}/disqualify",
            post(disqualify),
        )
        .route(
            "/contests/{id}/contestants/{contestant}/reinstate",
            post(reinstate),
        )
        .route("/contests/rounds/{id}", get(round))
        .route("/contests/rounds/{id}/settings", post(update_round))
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
fn refused(e: AppError) -> Result<Option<(StatusCode, String)>, AppError> {
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
    form: RoundFormView,
    exclusions: Vec<contest_exclusions::Model>,
    flagged: Vec<contestants::Model>,
    query: String,
    found: Vec<contestants::Model>,
    disqualified: Vec<contestants::Model>,
    standings: Standings,
    standing_lines: Vec<StandingLine>,
    missing: Vec<String>,
    formulas: Vec<(&'static str, &'static str)>,
    prize_points: String,
    headcounts: Vec<Headcount>,
    headcount_errors: Vec<RowError>,
    message: Option<String>,
}

/// What the contest page shows besides its rounds: a search, a message, headcount row errors.
#[derive(Default)]
pub(super) struct ShowExtras {
    pub query: String,
    pub message: Option<String>,
    pub headcount_errors: Vec<RowError>,
}

pub(super) async fn render_show(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    extras: ShowExtras,
) -> Result<String, AppError> {
    let conn = &state.db.conn;
    let contest = admin::get_contest(conn, &user.scope, id).await?;
    if !user.scope.allows(Permission::Write, contest.unit_id) {
        return Err(AppError::Forbidden);
    }
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
    let found = organiser::find_contestants(conn, &user.scope, id, &extras.query).await?;
    let standings = collective::standings(conn, &user.scope, id).await?;
    Ok(ShowPage {
        layout: Layout::new(contest.title.clone(), user, "contests"),
        form: RoundFormView::create(id),
        exclusions: admin::exclusions(conn, id).await?,
        flagged: admin::flagged_contestants(conn, id).await?,
        disqualified: organiser::disqualified(conn, id).await?,
        query: extras.query,
        found,
        standing_lines: standings.lines(),
        missing: standings.missing(),
        formulas: CollectiveFormula::ALL
            .iter()
            .map(|f| (f.code(), f.label()))
            .collect(),
        prize_points: standings
            .settings
            .prize_points
            .iter()
            .map(|(name, points)| format!("{name}: {points}"))
            .collect::<Vec<_>>()
            .join("\n"),
        headcounts: collective::headcounts(conn, id).await?,
        headcount_errors: extras.headcount_errors,
        standings,
        contest,
        rounds,
        message: extras.message,
    }
    .render()?)
}

/// Shows the contest page again with a refused action's message in place, or the error.
pub(super) async fn show_refused(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    e: AppError,
) -> Result<Response, AppError> {
    let (status, msg) = refused(e)?.unwrap_or_default();
    let extras = ShowExtras {
        message: Some(msg),
        ..ShowExtras::default()
    };
    Ok((status, Html(render_show(state, user, id, extras).await?)).into_response())
}

#[derive(Deserialize)]
struct ShowQuery {
    #[serde(default)]
    tim: String,
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<ShowQuery>,
) -> Result<Html<String>, AppError> {
    let extras = ShowExtras {
        query: q.tim.trim().to_owned(),
        ..ShowExtras::default()
    };
    Ok(Html(render_show(&state, &user, id, extras).await?))
}

async fn create_round(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(user, form): CsrfForm<RoundForm>,
) -> Result<Response, AppError> {
    let result = async {
        let base = RoundInput {
            name: String::new(),
            opens_at: Utc::now(),
            closes_at: Utc::now(),
            settings: RoundSettings::default(),
        };
        let input = form.read(&base)?;
        Ok::<_, AppError>(
            admin::create_round(
                &state.db.conn,
                &user.scope,
                &user.actor(),
                id,
                admin::NewRound {
                    name: &input.name,
                    opens_at: input.opens_at,
                    closes_at: input.closes_at,
                    settings: &input.settings,
                },
            )
            .await?,
        )
    }
    .await;
    match result {
        Ok(r) => Ok(Redirect::to(&format!("/contests/rounds/{}", r.id)).into_response()),
        Err(e) => show_refused(&state, &user, id, e).await,
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
        Err(e) => show_refused(&state, &user, id, e.into()).await,
    }
}

#[derive(Deserialize)]
struct ReasonForm {
    csrf: String,
    #[serde(default)]
    reason: String,
}

impl HasCsrf for ReasonForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn set_disqualified(
    state: &AppState,
    user: &CurrentUser,
    (id, contestant): (i64, i64),
    reason: Option<&str>,
) -> Result<Response, AppError> {
    let result = organiser::set_disqualified(
        &state.db.conn,
        &user.scope,
        &user.actor(),
        id,
        contestant,
        reason,
    )
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/contests/{id}#truat-quyen")).into_response()),
        Err(e) => show_refused(state, user, id, e.into()).await,
    }
}

async fn disqualify(
    State(state): State<AppState>,
    Path(ids): Path<(i64, i64)>,
    CsrfForm(user, form): CsrfForm<ReasonForm>,
) -> Result<Response, AppError> {
    set_disqualified(&state, &user, ids, Some(&form.reason)).await
}

async fn reinstate(
    State(state): State<AppState>,
    Path(ids): Path<(i64, i64)>,
    CsrfForm(user, _): CsrfForm<ReasonForm>,
) -> Result<Response, AppError> {
    set_disqualified(&state, &user, ids, None).await
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
    bank_problem: Option<String>,
    edit_form: Option<RoundFormView>,
    editing: bool,
    summary: Option<FrozenSummary>,
    tables: Vec<StatTable>,
    results: Vec<ResultView>,
    import_errors: Vec<RowError>,
    message: Option<String>,
}

/// What the round page shows besides the round: a message, import row errors, the edit form
/// opened after a refused edit.
#[derive(Default)]
pub(super) struct RoundExtras {
    message: Option<String>,
    import_errors: Vec<RowError>,
    editing: bool,
}

pub(super) async fn render_round(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    extras: RoundExtras,
) -> Result<String, AppError> {
    let RoundExtras {
        message,
        import_errors,
        editing,
    } = extras;
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
        bank_problem: organiser::bank_problem(conn, &round).await?,
        edit_form: RoundFormView::edit(&round, &settings, editable(&round, now)),
        editing,
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
        render_round(&state, &user, id, RoundExtras::default()).await?,
    ))
}

/// Shows the round page again with a refused action's message in place, or the error.
pub(super) async fn round_refused(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    e: AppError,
    editing: bool,
) -> Result<Response, AppError> {
    let (status, msg) = refused(e)?.unwrap_or_default();
    let extras = RoundExtras {
        message: Some(msg),
        editing,
        ..RoundExtras::default()
    };
    Ok((status, Html(render_round(state, user, id, extras).await?)).into_response())
}

async fn update_round(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(user, form): CsrfForm<RoundForm>,
) -> Result<Response, AppError> {
    let conn = &state.db.conn;
    let result = async {
        let (_, round) = admin::get_round(conn, &user.scope, id).await?;
        let base = RoundInput {
            settings: serde_json::from_str(&round.settings)
                .map_err(|e| AppError::Internal(e.to_string()))?,
            name: round.name,
            opens_at: round.opens_at,
            closes_at: round.closes_at,
        };
        let input = form.read(&base)?;
        organiser::update_round(
            conn,
            Some(&state.contest),
            &user.scope,
            &user.actor(),
            id,
            RoundChange {
                name: &input.name,
                opens_at: input.opens_at,
                closes_at: input.closes_at,
                settings: &input.settings,
            },
            Utc::now(),
        )
        .await?;
        Ok::<_, AppError>(())
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/contests/rounds/{id}")).into_response()),
        Err(e) => round_refused(&state, &user, id, e, true).await,
    }
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
    if bytes.len() > MAX_UPLOAD_BYTES {
        let e = AppError::invalid(
            "Tệp quá lớn: tối đa 5 MB. Hãy chia ngân hàng câu hỏi thành nhiều tệp.",
        );
        return round_refused(&state, &user, id, e, false).await;
    }
    let result = admin::import_questions(
        &state.db.conn,
        &user.scope,
        &user.actor(),
        id,
        &bytes,
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
            let extras = RoundExtras {
                message: Some(msg),
                import_errors: report.errors,
                editing: false,
            };
            let html = render_round(&state, &user, id, extras).await?;
            Ok((status, Html(html)).into_response())
        }
        Err(e) => round_refused(&state, &user, id, e.into(), false).await,
    }
}

pub(super) fn csv_download(name: &str, body: String) -> Response {
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
        Err(e) => round_refused(&state, &user, id, e.into(), false).await,
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

pub(super) fn xlsx_download(name: &str, bytes: Vec<u8>) -> Response {
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
