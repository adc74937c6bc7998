//! Công bố kết quả: the organiser's "publish" action and the public results page.

use super::organiser::{FreezeForm, round_refused};
use super::{seconds, vn_time};
use crate::AppState;
use crate::auth::CsrfForm;
use crate::error::AppError;
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use chrono::Utc;
use danvan_db::contest::publication::{self, PublishedResults};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/contests/rounds/{id}/announce", post(announce))
        .route("/thi/{round_id}/ket-qua", get(results_page))
}

async fn announce(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    CsrfForm(user, _): CsrfForm<FreezeForm>,
) -> Result<Response, AppError> {
    let result =
        publication::announce_round(&state.db.conn, &user.scope, &user.actor(), id, Utc::now())
            .await;
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/contests/rounds/{id}")).into_response()),
        Err(e) => round_refused(&state, &user, id, e.into(), false).await,
    }
}

/// One winner as the page shows them.
struct WinnerLine {
    prize: String,
    full_name: String,
    unit_name: String,
    score: String,
    time: String,
}

#[derive(Template)]
#[template(path = "contest/results.html")]
struct ResultsPage {
    title: String,
    round_id: i64,
    published: Option<Published>,
}

struct Published {
    contest_title: String,
    round_name: String,
    announced: String,
    participants: u64,
    attempts: u64,
    all_correct: u64,
    actual_target: i64,
    winners: Vec<WinnerLine>,
    top_units: Vec<(String, u64)>,
}

impl From<PublishedResults> for Published {
    fn from(p: PublishedResults) -> Self {
        Published {
            contest_title: p.contest_title,
            round_name: p.round_name,
            announced: vn_time(p.announced_at),
            participants: p.summary.stats.participants,
            attempts: p.summary.stats.attempts,
            all_correct: p.summary.stats.all_correct,
            actual_target: p.summary.actual_target,
            winners: p
                .winners
                .into_iter()
                .map(|w| WinnerLine {
                    prize: w.prize,
                    full_name: w.full_name,
                    unit_name: w.unit_name.unwrap_or_default(),
                    score: format!("{}/{}", w.correct, w.total),
                    time: seconds(w.duration_ms),
                })
                .collect(),
            top_units: p.top_units,
        }
    }
}

async fn results_page(
    State(state): State<AppState>,
    Path(round_id): Path<i64>,
) -> Result<Html<String>, AppError> {
    let published = publication::published(&state.db.conn, round_id).await?;
    let page = ResultsPage {
        title: "Kết quả vòng thi".into(),
        round_id,
        published: published.map(Published::from),
    };
    Ok(Html(page.render()?))
}
