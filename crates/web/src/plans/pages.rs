//! Plan pages: the list, a plan by section with roll-ups and the cascade, the units × sections
//! matrix, tasks with their history, deriving a unit's plan, urging.

use super::svg::bar;
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
use chrono::{Datelike, NaiveDate};
use danvan_db::authz::Permission;
use danvan_db::entities::{plan_tasks, plans as plan_rows, task_events};
use danvan_db::plans::{self, PlanTree, TaskUpdate};
use danvan_db::units::History;
use danvan_domain::plans::{
    RollupRules, TaskStatus, cascade_from_tree, format::percent, unit_section_matrix,
};
use serde::Deserialize;
use std::collections::HashMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plans", get(index).post(super::review::create))
        .route("/plans/due", get(due))
        .route("/plans/{id}", get(show))
        .route("/plans/{id}/matrix", get(matrix))
        .route("/plans/{id}/derive", get(derive_form).post(derive))
        .route("/plans/{id}/tasks", post(add_task))
        .route("/plans/{id}/remind", post(remind))
        .route("/tasks/{id}", get(task).post(update_task))
}

fn day(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%d/%m/%Y").to_string())
        .unwrap_or_default()
}

#[derive(Template)]
#[template(path = "plans/index.html")]
struct IndexPage {
    layout: Layout,
    rows: Vec<(plan_rows::Model, String)>,
    units: Vec<(i64, String)>,
    year: i32,
    notifications: Vec<danvan_db::entities::notifications::Model>,
}

async fn index(State(state): State<AppState>, user: CurrentUser) -> Result<Html<String>, AppError> {
    let rows = plans::list(&state.db.conn).await?;
    let history = History::load(&state.db.conn).await?;
    Ok(Html(
        IndexPage {
            layout: Layout::new("Kế hoạch", &user, "plans"),
            rows,
            units: super::writable_units(&history, &user),
            year: chrono::Local::now().year(),
            notifications: plans::notifications_for(&state.db.conn, user.user.id).await?,
        }
        .render()?,
    ))
}

pub struct TaskRow {
    id: i64,
    number: String,
    title: String,
    section: bool,
    status: &'static str,
    due: String,
    overdue: bool,
    progress_text: String,
    bar: String,
    formula: String,
    excluded: Vec<String>,
    cascade: String,
    chu_tri: String,
}

pub struct RecipientRow {
    unit_id: i64,
    name: String,
    plan_id: Option<i64>,
}

#[derive(Template)]
#[template(path = "plans/show.html")]
struct ShowPage {
    layout: Layout,
    plan: plan_rows::Model,
    unit_name: String,
    parent: Option<(i64, String)>,
    overall_bar: String,
    overall_text: String,
    overall_formula: String,
    method: &'static str,
    rows: Vec<TaskRow>,
    recipients: Vec<RecipientRow>,
    planned: usize,
    can_write: bool,
    can_approve: bool,
    derive_units: Vec<(i64, String)>,
    error: Option<String>,
    saved: bool,
}

#[derive(Deserialize, Default)]
struct SavedQuery {
    saved: Option<String>,
}

async fn render_show(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    error: Option<String>,
    saved: bool,
) -> Result<String, AppError> {
    let tree = PlanTree::load(&state.db.conn, id).await?;
    let rollups = tree.rollups()?;
    let plan = tree.plans[0].clone();
    let history = History::load(&state.db.conn).await?;
    let unit_name = history
        .get(plan.unit_id)
        .map(|u| u.name.clone())
        .unwrap_or_default();
    let parent = match plan.parent_plan_id {
        Some(p) => Some((p, plans::get_plan(&state.db.conn, p).await?.title)),
        None => None,
    };
    let recipients = plans::recipients(&state.db.conn, id).await?;
    let recipient_units: Vec<i64> = recipients.iter().map(|(u, _)| u.id).collect();
    let today = chrono::Local::now().date_naive();
    let rules = RollupRules::default();
    let own: Vec<(usize, &plan_tasks::Model)> = tree
        .tasks
        .iter()
        .enumerate()
        .filter(|(_, t)| t.plan_id == id)
        .collect();
    let rows = own
        .iter()
        .map(|(i, t)| {
            let r = &rollups[*i];
            let cascade = if recipient_units.is_empty() {
                String::new()
            } else {
                cascade_from_tree(&tree.input, &rollups, *i as u32, &recipient_units, &rules)
                    .summary
            };
            let status = plans::parse_status(&t.status).unwrap_or(TaskStatus::ChuaThucHien);
            TaskRow {
                id: t.id,
                number: t.number.clone(),
                title: t.title.clone(),
                section: t.level == "section",
                status: status.label_vi(),
                due: day(t.due_on),
                overdue: t.due_on.is_some_and(|d| d < today)
                    && !matches!(
                        status,
                        TaskStatus::HoanThanh | TaskStatus::KhongThucHienDuoc
                    ),
                progress_text: r.progress.map(percent).unwrap_or_else(|| "—".into()),
                bar: bar(r.progress, 90),
                formula: r.formula.clone(),
                excluded: r.excluded.iter().map(|e| e.reason.clone()).collect(),
                cascade,
                chu_tri: t.chu_tri.clone(),
            }
        })
        .collect();
    // The plan as a whole: the mean of its top-level tasks, by the plan's own method.
    let top: Vec<usize> = own
        .iter()
        .filter(|(_, t)| t.parent_task_id.is_none())
        .map(|(i, _)| *i)
        .collect();
    let children: Vec<danvan_domain::plans::ChildValue> = top
        .iter()
        .map(|i| danvan_domain::plans::ChildValue {
            id: tree.input[*i].id,
            value: rollups[*i].progress,
            status: tree.input[*i].status,
            weight: tree.input[*i].weight,
        })
        .collect();
    let root_task = danvan_domain::plans::RollupTask {
        id: 0,
        parent: None,
        unit: plan.unit_id,
        progress: 0,
        status: TaskStatus::DangThucHien,
        weight: None,
        method: plans::parse_method(&plan.method),
    };
    let overall = danvan_domain::plans::rollup_one(&root_task, &children, &rules);
    let derive_units = super::writable_units(&history, user)
        .into_iter()
        .filter(|(u, _)| {
            *u != plan.unit_id && !recipients.iter().any(|(r, d)| r.id == *u && d.is_some())
        })
        .collect();
    let planned = recipients.iter().filter(|(_, d)| d.is_some()).count();
    Ok(ShowPage {
        layout: Layout::new(plan.title.clone(), user, "plans"),
        unit_name,
        parent,
        overall_bar: bar(overall.progress, 240),
        overall_text: overall.progress.map(percent).unwrap_or_else(|| "—".into()),
        overall_formula: overall.formula,
        method: if plan.method == "weighted" {
            "bình quân gia quyền"
        } else {
            "bình quân"
        },
        rows,
        recipients: recipients
            .into_iter()
            .map(|(u, d)| RecipientRow {
                unit_id: u.id,
                name: u.name,
                plan_id: d.map(|p| p.id),
            })
            .collect(),
        planned,
        can_write: user.scope.allows(Permission::Write, plan.unit_id),
        can_approve: user.scope.allows(Permission::Approve, plan.unit_id),
        derive_units,
        error,
        saved,
        plan,
    }
    .render()?)
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
    Query(q): Query<SavedQuery>,
) -> Result<Html<String>, AppError> {
    Ok(Html(
        render_show(&state, &user, id, None, q.saved.is_some()).await?,
    ))
}

async fn show_error(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    e: AppError,
) -> Result<Response, AppError> {
    match e {
        AppError::Invalid(m) | AppError::Conflict(m) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            Html(render_show(state, user, id, Some(m), false).await?),
        )
            .into_response()),
        other => Err(other),
    }
}

/// A unit's row: its name, its derived plan, and per section the bar and the percentage.
type MatrixRow = (String, Option<i64>, Vec<(String, String)>);

#[derive(Template)]
#[template(path = "plans/matrix.html")]
struct MatrixPage {
    layout: Layout,
    plan: plan_rows::Model,
    columns: Vec<(String, String)>,
    rows: Vec<MatrixRow>,
    elapsed_ms: String,
}

async fn matrix(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Html<String>, AppError> {
    let started = std::time::Instant::now();
    let tree = PlanTree::load(&state.db.conn, id).await?;
    let rollups = tree.rollups()?;
    let plan = tree.plans[0].clone();
    let columns: Vec<u32> = tree
        .tasks
        .iter()
        .enumerate()
        .filter(|(_, t)| t.plan_id == id && t.level == "section")
        .map(|(i, _)| i as u32)
        .collect();
    let recipients = plans::recipients(&state.db.conn, id).await?;
    let units: Vec<i64> = recipients.iter().map(|(u, _)| u.id).collect();
    let m = unit_section_matrix(
        &tree.input,
        &rollups,
        &columns,
        &units,
        &RollupRules::default(),
    );
    let rows = recipients
        .iter()
        .enumerate()
        .map(|(r, (u, derived))| {
            let cells = (0..columns.len())
                .map(|c| {
                    let cell = m.cell(r, c);
                    let p = cell.and_then(|x| x.progress);
                    (bar(p, 60), p.map(percent).unwrap_or_else(|| "—".into()))
                })
                .collect();
            (u.name.clone(), derived.as_ref().map(|d| d.id), cells)
        })
        .collect();
    let elapsed_ms = format!("{:.1}", started.elapsed().as_secs_f64() * 1000.0);
    Ok(Html(
        MatrixPage {
            layout: Layout::new(format!("Ma trận: {}", plan.title), &user, "plans"),
            columns: columns
                .iter()
                .map(|i| {
                    (
                        tree.tasks[*i as usize].number.clone(),
                        tree.tasks[*i as usize].title.clone(),
                    )
                })
                .collect(),
            rows,
            plan,
            elapsed_ms,
        }
        .render()?,
    ))
}

#[derive(Template)]
#[template(path = "plans/derive.html")]
struct DerivePage {
    layout: Layout,
    plan: plan_rows::Model,
    tasks: Vec<plan_tasks::Model>,
    units: Vec<(i64, String)>,
}

async fn derive_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Html<String>, AppError> {
    let plan = plans::get_plan(&state.db.conn, id).await?;
    let history = History::load(&state.db.conn).await?;
    let units: Vec<(i64, String)> = super::writable_units(&history, &user)
        .into_iter()
        .filter(|(u, _)| *u != plan.unit_id)
        .collect();
    if units.is_empty() {
        return Err(AppError::Forbidden);
    }
    Ok(Html(
        DerivePage {
            layout: Layout::new("Xây dựng kế hoạch của đơn vị", &user, "plans"),
            tasks: plans::tasks_of(&state.db.conn, id).await?,
            plan,
            units,
        }
        .render()?,
    ))
}

async fn derive(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(user, super::review::PairsForm(pairs)): CsrfForm<super::review::PairsForm>,
) -> Result<Response, AppError> {
    let unit_id: i64 = pairs
        .iter()
        .find(|(k, _)| k == "unit_id")
        .and_then(|(_, v)| v.parse().ok())
        .ok_or_else(|| AppError::invalid("Vui lòng chọn đơn vị."))?;
    let chosen: Vec<i64> = pairs
        .iter()
        .filter(|(k, _)| k == "task")
        .filter_map(|(_, v)| v.parse().ok())
        .collect();
    match plans::derive(
        &state.db.conn,
        &user.scope,
        &user.actor(),
        id,
        unit_id,
        &chosen,
    )
    .await
    {
        Ok(new_id) => Ok(Redirect::to(&format!("/plans/{new_id}")).into_response()),
        Err(e) => show_error(&state, &user, id, e.into()).await,
    }
}

#[derive(Deserialize)]
struct AddTaskForm {
    csrf: String,
    title: String,
    #[serde(default)]
    due_on: String,
}

impl HasCsrf for AddTaskForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn add_task(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(user, form): CsrfForm<AddTaskForm>,
) -> Result<Response, AppError> {
    let r = async {
        let due = crate::forms::optional_date(&form.due_on, "Thời hạn")?;
        plans::add_task(
            &state.db.conn,
            &user.scope,
            &user.actor(),
            id,
            &form.title,
            due,
        )
        .await
        .map_err(AppError::from)
    }
    .await;
    match r {
        Ok(_) => Ok(Redirect::to(&format!("/plans/{id}?saved=1")).into_response()),
        Err(e) => show_error(&state, &user, id, e).await,
    }
}

#[derive(Deserialize)]
struct RemindForm {
    csrf: String,
    unit_id: String,
    message: String,
}

impl HasCsrf for RemindForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn remind(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(user, form): CsrfForm<RemindForm>,
) -> Result<Response, AppError> {
    let r = async {
        let unit: i64 = form
            .unit_id
            .parse()
            .map_err(|_| AppError::invalid("Vui lòng chọn đơn vị cần đôn đốc."))?;
        plans::remind(
            &state.db.conn,
            &user.scope,
            &user.actor(),
            id,
            unit,
            &form.message,
        )
        .await
        .map_err(AppError::from)
    }
    .await;
    match r {
        Ok(_) => Ok(Redirect::to(&format!("/plans/{id}?saved=1")).into_response()),
        Err(e) => show_error(&state, &user, id, e).await,
    }
}

#[derive(Template)]
#[template(path = "plans/task.html")]
struct TaskPage {
    layout: Layout,
    task: plan_tasks::Model,
    plan: plan_rows::Model,
    events: Vec<task_events::Model>,
    statuses: Vec<(&'static str, &'static str, bool)>,
    can_write: bool,
    derived_from: Option<(i64, String)>,
    error: Option<String>,
    citations: Vec<String>,
}

async fn render_task(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    error: Option<String>,
) -> Result<String, AppError> {
    let (task, events) = plans::task(&state.db.conn, id).await?;
    let plan = plans::get_plan(&state.db.conn, task.plan_id).await?;
    let derived_from = match task.derived_from_id {
        Some(d) => plans::task(&state.db.conn, d)
            .await
            .ok()
            .map(|(t, _)| (t.plan_id, format!("{} {}", t.number, t.title))),
        None => None,
    };
    let current = task.status.clone();
    Ok(TaskPage {
        layout: Layout::new(format!("Nhiệm vụ {}", task.number), user, "plans"),
        statuses: plans::STATUSES
            .iter()
            .map(|s| {
                (
                    plans::status_key(*s),
                    s.label_vi(),
                    plans::status_key(*s) == current,
                )
            })
            .collect(),
        can_write: user.scope.allows(Permission::Write, plan.unit_id),
        citations: serde_json::from_str(&task.citations).unwrap_or_default(),
        derived_from,
        error,
        events,
        task,
        plan,
    }
    .render()?)
}

async fn task(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Html<String>, AppError> {
    Ok(Html(render_task(&state, &user, id, None).await?))
}

#[derive(Deserialize)]
struct TaskForm {
    csrf: String,
    status: String,
    progress: String,
    #[serde(default)]
    reason: String,
    #[serde(default)]
    due_on: String,
    #[serde(default)]
    weight: String,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    evidence: String,
}

impl HasCsrf for TaskForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn update_task(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(user, form): CsrfForm<TaskForm>,
) -> Result<Response, AppError> {
    let r = async {
        let status = plans::parse_status(&form.status)
            .ok_or_else(|| AppError::invalid("Trạng thái không hợp lệ."))?;
        let progress: i32 = form
            .progress
            .trim()
            .trim_end_matches('%')
            .parse()
            .map_err(|_| AppError::invalid("Tiến độ phải là số từ 0 đến 100."))?;
        let due_on = crate::forms::optional_date(&form.due_on, "Thời hạn")?;
        let weight = match form.weight.trim().replace(',', ".").as_str() {
            "" => None,
            w => Some(
                w.parse::<f64>()
                    .map_err(|_| AppError::invalid("Trọng số phải là một số, ví dụ 2 hoặc 0,5."))?,
            ),
        };
        plans::update_task(
            &state.db.conn,
            &user.scope,
            &user.actor(),
            id,
            TaskUpdate {
                status: Some(status),
                progress: Some(progress),
                reason: form.reason,
                due_on,
                weight,
                comment: form.comment,
                evidence: form.evidence,
            },
        )
        .await
        .map_err(AppError::from)
    }
    .await;
    match r {
        Ok(()) => Ok(Redirect::to(&format!("/tasks/{id}")).into_response()),
        Err(AppError::Invalid(m)) | Err(AppError::Conflict(m)) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            Html(render_task(&state, &user, id, Some(m)).await?),
        )
            .into_response()),
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default)]
struct DueQuery {
    days: Option<i64>,
}

#[derive(Template)]
#[template(path = "plans/due.html")]
struct DuePage {
    layout: Layout,
    days: i64,
    rows: Vec<(plan_tasks::Model, plan_rows::Model, String, bool)>,
}

/// Tasks past due or due within `days`, in the plans of the user's units (all for a province admin).
async fn due(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<DueQuery>,
) -> Result<Html<String>, AppError> {
    let days = q.days.unwrap_or(14).clamp(0, 366);
    let today = chrono::Local::now().date_naive();
    let scope_units =
        (!user.scope.is_province_admin()).then(|| user.scope.units_for(Permission::Read));
    let found = plans::due_soon(&state.db.conn, scope_units.as_deref(), today, days).await?;
    let history = History::load(&state.db.conn).await?;
    let names: HashMap<i64, String> = history
        .units
        .iter()
        .map(|u| (u.id, u.name.clone()))
        .collect();
    let rows = found
        .into_iter()
        .map(|(t, p)| {
            let overdue = t.due_on.is_some_and(|d| d < today);
            let unit = names.get(&p.unit_id).cloned().unwrap_or_default();
            (t, p, unit, overdue)
        })
        .collect();
    Ok(Html(
        DuePage {
            layout: Layout::new("Nhiệm vụ đến hạn, quá hạn", &user, "plans"),
            days,
            rows,
        }
        .render()?,
    ))
}
