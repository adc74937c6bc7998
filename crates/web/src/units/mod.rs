//! The organisation directory: the unit tree as of a date, a unit's page with its history and
//! contacts, and the same data as JSON.

mod api;
mod pages;

use crate::AppState;
use axum::Router;
use chrono::NaiveDate;

pub fn routes() -> Router<AppState> {
    pages::routes().merge(api::routes())
}

/// Parses `at=YYYY-MM-DD`; empty means today. A malformed date is a clear error, not a guess.
pub fn parse_at(at: Option<&str>) -> Result<NaiveDate, crate::error::AppError> {
    match at.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(chrono::Local::now().date_naive()),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| {
            crate::error::AppError::invalid(format!(
                "Ngày “{s}” không hợp lệ. Dùng dạng năm-tháng-ngày, ví dụ 2024-06-01."
            ))
        }),
    }
}

/// Parses `kind=`; empty means all kinds.
pub fn parse_kind(
    kind: Option<&str>,
) -> Result<Option<danvan_domain::units::UnitKind>, crate::error::AppError> {
    match kind.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(k) => danvan_domain::units::UnitKind::parse(k)
            .map(Some)
            .ok_or_else(|| {
                crate::error::AppError::invalid(format!("Loại đơn vị “{k}” không hợp lệ."))
            }),
    }
}
