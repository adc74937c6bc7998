//! Consistent copies of a SQLite database while the server runs.

use crate::{Db, DbError, DbResult};
use sea_orm::{ConnectionTrait, DbBackend, Statement};
use std::path::Path;

/// Writes a consistent, compacted copy of the live SQLite database to `target` with
/// `VACUUM INTO`, which reads one snapshot and does not block the server's writers for long.
pub async fn sqlite_backup(db: &Db, target: &Path) -> DbResult<u64> {
    if db.backend() != DbBackend::Sqlite {
        return Err(DbError::invalid(
            "Sao lưu bằng lệnh này chỉ dành cho SQLite; với PostgreSQL hãy dùng pg_dump.",
        ));
    }
    if target.exists() {
        return Err(DbError::invalid(format!(
            "Tệp đích đã tồn tại: {}",
            target.display()
        )));
    }
    let path = target
        .to_str()
        .ok_or_else(|| DbError::invalid("Đường dẫn tệp đích không hợp lệ."))?;
    db.conn
        .execute_raw(Statement::from_sql_and_values(
            DbBackend::Sqlite,
            "VACUUM INTO ?",
            [path.into()],
        ))
        .await?;
    std::fs::metadata(target)
        .map(|m| m.len())
        .map_err(|e| DbError::Internal(e.to_string()))
}
