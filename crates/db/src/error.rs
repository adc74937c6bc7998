//! Error policy for storage: `DbError` tells callers *what kind* of failure happened so the web
//! layer can answer 404/409/422/403 with a Vietnamese message, and keeps raw database errors
//! (which may contain SQL and values) out of anything shown to people.

use sea_orm::DbErr;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    /// The record does not exist (or the caller may not know that it exists).
    #[error("không tìm thấy {0}")]
    NotFound(&'static str),
    /// The caller's scope does not cover the record.
    #[error("bạn không có quyền thực hiện thao tác này")]
    Forbidden,
    /// The input is well-formed but breaks a rule; the message is Vietnamese and shown as is.
    #[error("{0}")]
    Invalid(String),
    /// A uniqueness or state conflict; the message is Vietnamese and shown as is.
    #[error("{0}")]
    Conflict(String),
    /// Anything else from the database: logged, never shown.
    #[error("lỗi cơ sở dữ liệu")]
    Database(#[from] DbErr),
    #[error("lỗi hệ thống: {0}")]
    Internal(String),
}

pub type DbResult<T> = Result<T, DbError>;

impl DbError {
    pub fn invalid(msg: impl Into<String>) -> Self {
        DbError::Invalid(msg.into())
    }

    pub fn conflict(msg: impl Into<String>) -> Self {
        DbError::Conflict(msg.into())
    }
}

/// Maps a unique-constraint violation to a friendly conflict, leaves other errors alone.
pub fn on_unique(err: DbErr, message: &str) -> DbError {
    let text = err.to_string().to_lowercase();
    if text.contains("unique") || text.contains("duplicate key") {
        DbError::Conflict(message.to_string())
    } else {
        DbError::Database(err)
    }
}
