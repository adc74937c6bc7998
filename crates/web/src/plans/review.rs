//! From a document to a plan: the importer proposes tasks, units and dates; a person confirms
//! or corrects them on the review screen before anything is saved. Plans can also be written
//! by hand.

use crate::AppState;
use crate::auth::{CsrfForm, CurrentUser, HasCsrf};
use crate::error::AppError;
use crate::layout::Layout;
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::Datelike;
use danvan_db::plans::{self, NewPlan, TaskInput};
use danvan_db::units::History;
use danvan_domain::plans::{Role, TaskLevel, propose};
use danvan_domain::units::UnitKind;
use serde::Deserialize;
use std::collections::HashMap;

pub fn routes() -> Router<AppState> {
    Router::new().route("/documents/{id}/plan", get(review))
}

pub struct ReviewRow {
    i: usize,
    number: String,
    level: &'static str,
    parent: String,
    title: String,
    body: String,
    chu_tri: String,
    phoi_hop: String,
    due: String,
    due_reason: String,
    citations: String,
    note: String,
    indent: bool,
}

#[derive(Template)]
#[template(path = "plans/review.html")]
struct ReviewPage {
    layout: Layout,
    document_id: i64,
    title: String,
    year: i32,
    year_reason: String,
    rows: Vec<ReviewRow>,
    units: Vec<(i64, String)>,
    notes: Vec<String>,
    error: Option<String>,
}

fn level_key(l: TaskLevel) -> &'static str {
    match l {
        TaskLevel::Section => "section",
        TaskLevel::Bullet | TaskLevel::Paragraph => "bullet",
    }
}

async fn render_review(
    state: &AppState,
    user: &CurrentUser,
    id: i64,
    error: Option<String>,
) -> Result<String, AppError> {
    let view = danvan_db::documents::get(&state.db.conn, id).await?;
    let text = &view.document.body;
    let doc = danvan_domain::document::parse(text);
    let proposal = propose(&doc, text, None);
    let history = History::load(&state.db.conn).await?;
    let units = super::writable_units(&history, user);
    if units.is_empty() {
        return Err(AppError::Forbidden);
    }
    let rows = proposal
        .tasks
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let names = |role: Role| {
                t.responsible
                    .iter()
                    .filter(|u| u.role == role)
                    .map(|u| u.label.clone())
                    .collect::<Vec<_>>()
                    .join("; ")
            };
            ReviewRow {
                i,
                number: t.number.clone(),
                level: level_key(t.level),
                parent: t.parent_number.clone().unwrap_or_default(),
                title: t.title.clone(),
                body: t.text.clone(),
                chu_tri: names(Role::ChuTri),
                phoi_hop: names(Role::PhoiHop),
                due: t
                    .due
                    .as_ref()
                    .map(|d| d.date.to_string())
                    .unwrap_or_default(),
                due_reason: t.due.as_ref().map(|d| d.reason.clone()).unwrap_or_default(),
                citations: t.citations.join(", "),
                note: t.confidence.notes.join(" "),
                indent: t.level != TaskLevel::Section,
            }
        })
        .collect();
    Ok(ReviewPage {
        layout: Layout::new("Tạo kế hoạch từ văn bản", user, "plans"),
        document_id: id,
        title: proposal.title.clone(),
        year: proposal.year.unwrap_or_else(|| chrono::Local::now().year()),
        year_reason: proposal.year_reason.clone(),
        rows,
        units,
        notes: proposal.notes.clone(),
        error,
    }
    .render()?)
}

async fn review(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Html<String>, AppError> {
    Ok(Html(render_review(&state, &user, id, None).await?))
}

/// Any URL-encoded form, read as pairs: the review screen has one group of fields per task.
#[derive(Deserialize)]
#[serde(transparent)]
pub struct PairsForm(pub Vec<(String, String)>);

impl HasCsrf for PairsForm {
    fn csrf(&self) -> &str {
        self.0
            .iter()
            .find(|(k, _)| k == "csrf")
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }
}

/// Units expected to derive their own plan: the chosen groups, as they exist today.
fn recipients(history: &History, fields: &HashMap<&str, &str>) -> Vec<i64> {
    let today = chrono::Local::now().date_naive();
    let communes = fields.contains_key("to_communes");
    let agencies = fields.contains_key("to_agencies");
    history
        .tree_on(today, None)
        .into_iter()
        .filter(|(u, depth)| {
            let kind = UnitKind::parse(&u.kind);
            (communes && kind == Some(UnitKind::Commune))
                || (agencies
                    && *depth <= 2
                    && matches!(
                        kind,
                        Some(
                            UnitKind::Party
                                | UnitKind::State
                                | UnitKind::Front
                                | UnitKind::ArmedForces
                        )
                    ))
        })
        .map(|(u, _)| u.id)
        .collect()
}

pub(super) async fn create(
    State(state): State<AppState>,
    CsrfForm(user, PairsForm(pairs)): CsrfForm<PairsForm>,
) -> Result<Response, AppError> {
    let fields: HashMap<&str, &str> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let get = |k: &str| fields.get(k).copied().unwrap_or("");
    let document_id = get("document_id").parse::<i64>().ok();
    let result = async {
        let unit_id: i64 = get("unit_id")
            .parse()
            .map_err(|_| AppError::invalid("Vui lòng chọn đơn vị chủ trì kế hoạch."))?;
        let year: i32 = get("year")
            .trim()
            .parse()
            .map_err(|_| AppError::invalid("Năm kế hoạch không hợp lệ."))?;
        let mut tasks = Vec::new();
        let count: usize = get("count").parse().unwrap_or(0).min(2000);
        for i in 0..count {
            let f = |name: &str| get(&format!("t{i}_{name}")).to_string();
            if !fields.contains_key(format!("t{i}_include").as_str()) {
                continue;
            }
            tasks.push(TaskInput {
                number: f("number"),
                level: if f("level") == "section" {
                    "section".into()
                } else {
                    "bullet".into()
                },
                title: f("title"),
                body: f("body"),
                parent_number: Some(f("parent")).filter(|p| !p.is_empty()),
                chu_tri: f("chu_tri"),
                phoi_hop: f("phoi_hop"),
                due_on: crate::forms::optional_date(
                    &f("due"),
                    &format!("Nhiệm vụ {}", f("number")),
                )?,
                due_reason: Some(f("due_reason")).filter(|r| !r.is_empty()),
                citations: f("citations")
                    .split(", ")
                    .filter(|c| !c.is_empty())
                    .map(String::from)
                    .collect(),
                weight: None,
            });
        }
        // A bullet whose section was left out hangs directly under the plan.
        let kept: std::collections::HashSet<String> =
            tasks.iter().map(|t| t.number.clone()).collect();
        for t in &mut tasks {
            if t.parent_number.as_ref().is_some_and(|p| !kept.contains(p)) {
                t.parent_number = None;
            }
        }
        let history = History::load(&state.db.conn).await?;
        let new = NewPlan {
            title: get("title").to_string(),
            year,
            unit_id,
            document_id,
            method: plans::parse_method(get("method")),
            tasks,
            recipients: recipients(&history, &fields),
        };
        plans::create(&state.db.conn, &user.scope, &user.actor(), new)
            .await
            .map_err(AppError::from)
    }
    .await;
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/plans/{id}")).into_response()),
        Err(AppError::Invalid(m)) | Err(AppError::Conflict(m)) => match document_id {
            Some(doc) => Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                Html(render_review(&state, &user, doc, Some(m)).await?),
            )
                .into_response()),
            None => Err(AppError::Invalid(m)),
        },
        Err(e) => Err(e),
    }
}
