//! Tiếng nói của Nhân dân: the public petition form and tracking page, and the handlers' queue
//! and case pages. The rules live in `danvan_db::voice`; these handlers only parse and render.

mod open311;
mod public;
mod reception;
mod staff;

use crate::AppState;
use crate::error::AppError;
use axum::Router;
use chrono::NaiveDate;
use danvan_db::units::History;
use danvan_domain::units::UnitKind;

pub fn routes() -> Router<AppState> {
    public::routes()
        .merge(staff::routes())
        .merge(open311::routes())
        .merge(reception::routes())
}

/// A choice in a `<select>`.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

/// Communes and wards valid on `day`: where a petition's matter happened, and where it goes.
pub(crate) async fn communes(
    state: &AppState,
    day: NaiveDate,
    selected: Option<i64>,
) -> Result<Vec<Choice>, AppError> {
    let history = History::load(&state.db.conn).await?;
    let mut list: Vec<Choice> = history
        .tree_on(day, Some(UnitKind::Commune))
        .into_iter()
        .map(|(u, _)| Choice {
            value: u.id.to_string(),
            label: u.name.clone(),
            selected: Some(u.id) == selected,
        })
        .collect();
    list.sort_by(|a, b| a.label.cmp(&b.label));
    Ok(list)
}

pub(crate) fn choices(pairs: &[(&str, &str)], selected: &str) -> Vec<Choice> {
    pairs
        .iter()
        .map(|(v, l)| Choice {
            value: v.to_string(),
            label: l.to_string(),
            selected: *v == selected,
        })
        .collect()
}

pub(crate) fn kinds(selected: &str) -> Vec<Choice> {
    danvan_db::voice::Kind::ALL
        .iter()
        .map(|k| Choice {
            value: k.as_str().to_string(),
            label: k.label().to_string(),
            selected: k.as_str() == selected,
        })
        .collect()
}
