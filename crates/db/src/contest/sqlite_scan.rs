//! Reading a big round straight from SQLite, for the close.
//!
//! Closing a round reads every submitted attempt and every contestant: two million and one
//! million rows in a big round. Through sqlx each row crosses from the connection's worker
//! thread to the reading task over a channel, and the reader, being faster, sleeps and is woken
//! once per row: futex wake-ups and cross-thread frees were 80 % of a 10–18 s close. Here the
//! rows are stepped with SQLite's C API on a connection borrowed from the same pool (same
//! PRAGMAs, same WAL snapshot rules), which costs well under a microsecond a row.
//!
//! PostgreSQL keeps the generic path: its driver decodes rows on the reading task.

use super::admin::attempt_result;
use crate::{DbError, DbResult};
use chrono::NaiveDate;
use danvan_domain::contest::AttemptResult;
use libsqlite3_sys as ffi;
use sea_orm::DatabaseConnection;
use std::ffi::{CStr, c_int};
use std::ptr::{self, NonNull};

/// The columns [`super::admin`] reads for the ranking, in the same order as the generic path.
const ATTEMPTS: &CStr = c"SELECT attempt_id, contestant_id, correct, total, prediction, \
    duration_ms, started_ms, submitted_ms FROM contest_scores WHERE round_id = ?1";

const PEOPLE: &CStr = c"SELECT id, unit_id, gender, birth_date, group_name, disqualified \
    FROM contestants WHERE contest_id = ?1";

/// One contestant row as the close needs it.
pub(crate) struct PersonRow {
    pub id: i64,
    pub unit_id: Option<i64>,
    pub gender: String,
    pub birth_date: NaiveDate,
    pub group: Option<String>,
    pub disqualified: bool,
}

/// The submitted attempts of a round, or `None` when the database is not SQLite.
pub(crate) async fn attempts(
    db: &DatabaseConnection,
    round_id: i64,
) -> DbResult<Option<Vec<AttemptResult>>> {
    scan(db, ATTEMPTS, round_id, |row| {
        let int32 = |i| i32::try_from(row.int(i)).unwrap_or(0);
        Ok(attempt_result((
            row.int(0),
            row.int(1),
            int32(2),
            int32(3),
            row.opt_int(4),
            row.int(5),
            row.int(6),
            row.int(7),
        )))
    })
    .await
}

/// The contestants of a contest, or `None` when the database is not SQLite.
pub(crate) async fn people(
    db: &DatabaseConnection,
    contest_id: i64,
) -> DbResult<Option<Vec<PersonRow>>> {
    scan(db, PEOPLE, contest_id, |row| {
        let birth = row.text(3).unwrap_or_default();
        Ok(PersonRow {
            id: row.int(0),
            unit_id: row.opt_int(1),
            gender: row.text(2).unwrap_or_default().to_owned(),
            birth_date: NaiveDate::parse_from_str(birth, "%Y-%m-%d")
                .map_err(|_| DbError::Internal(format!("ngày sinh lưu sai dạng: {birth:?}")))?,
            group: row.text(4).map(str::to_owned),
            disqualified: row.int(5) != 0,
        })
    })
    .await
}

/// Runs `sql` with one integer parameter and maps every row.
async fn scan<T>(
    db: &DatabaseConnection,
    sql: &CStr,
    param: i64,
    mut map: impl FnMut(&Row<'_>) -> DbResult<T>,
) -> DbResult<Option<Vec<T>>> {
    if db.get_database_backend() != sea_orm::DbBackend::Sqlite {
        return Ok(None);
    }
    let pool = db.get_sqlite_connection_pool();
    let mut conn = pool.acquire().await.map_err(internal)?;
    let mut handle = conn.lock_handle().await.map_err(internal)?;
    let raw = handle.as_raw_handle();
    let statement = Statement::prepare(raw, sql)?;
    // SAFETY: the statement is valid until dropped and parameter 1 exists in every query here.
    let rc = unsafe { ffi::sqlite3_bind_int64(statement.0.as_ptr(), 1, param) };
    check(raw, rc)?;
    let mut out = Vec::new();
    loop {
        // SAFETY: stepping a valid statement on the handle we hold locked.
        match unsafe { ffi::sqlite3_step(statement.0.as_ptr()) } {
            ffi::SQLITE_ROW => out.push(map(&Row(&statement))?),
            ffi::SQLITE_DONE => break,
            rc => return Err(sqlite_error(raw, rc)),
        }
    }
    Ok(Some(out))
}

/// A prepared statement, finalised on drop.
struct Statement(NonNull<ffi::sqlite3_stmt>);

impl Statement {
    fn prepare(db: NonNull<ffi::sqlite3>, sql: &CStr) -> DbResult<Statement> {
        let mut stmt = ptr::null_mut();
        // SAFETY: `db` is an open handle locked for us; `sql` is NUL-terminated.
        let rc = unsafe {
            ffi::sqlite3_prepare_v2(db.as_ptr(), sql.as_ptr(), -1, &mut stmt, ptr::null_mut())
        };
        check(db, rc)?;
        NonNull::new(stmt)
            .map(Statement)
            .ok_or_else(|| DbError::Internal("câu lệnh SQLite rỗng".into()))
    }
}

impl Drop for Statement {
    fn drop(&mut self) {
        // SAFETY: finalising a statement we prepared, exactly once.
        unsafe {
            ffi::sqlite3_finalize(self.0.as_ptr());
        }
    }
}

/// The current row of a stepped statement.
struct Row<'s>(&'s Statement);

impl Row<'_> {
    fn null(&self, i: c_int) -> bool {
        // SAFETY: column index within the statement's result columns.
        unsafe { ffi::sqlite3_column_type(self.0.0.as_ptr(), i) == ffi::SQLITE_NULL }
    }

    fn int(&self, i: c_int) -> i64 {
        // SAFETY: as above; NULL reads as 0.
        unsafe { ffi::sqlite3_column_int64(self.0.0.as_ptr(), i) }
    }

    fn opt_int(&self, i: c_int) -> Option<i64> {
        (!self.null(i)).then(|| self.int(i))
    }

    /// The column as text, `None` for NULL or bytes that are not UTF-8 (never written by us).
    fn text(&self, i: c_int) -> Option<&str> {
        if self.null(i) {
            return None;
        }
        let stmt = self.0.0.as_ptr();
        // SAFETY: SQLite returns a pointer valid until the next step or finalize, which cannot
        // happen while this row borrows the statement; the length comes after the pointer, as
        // the API requires.
        unsafe {
            let p = ffi::sqlite3_column_text(stmt, i);
            let n = usize::try_from(ffi::sqlite3_column_bytes(stmt, i)).ok()?;
            if p.is_null() {
                return Some("");
            }
            std::str::from_utf8(std::slice::from_raw_parts(p, n)).ok()
        }
    }
}

fn check(db: NonNull<ffi::sqlite3>, rc: c_int) -> DbResult<()> {
    if rc == ffi::SQLITE_OK {
        Ok(())
    } else {
        Err(sqlite_error(db, rc))
    }
}

fn sqlite_error(db: NonNull<ffi::sqlite3>, rc: c_int) -> DbError {
    // SAFETY: errmsg returns a NUL-terminated string owned by the handle.
    let msg = unsafe { CStr::from_ptr(ffi::sqlite3_errmsg(db.as_ptr())) };
    DbError::Internal(format!("SQLite {rc}: {}", msg.to_string_lossy()))
}

fn internal(e: sea_orm::sqlx::Error) -> DbError {
    DbError::Internal(e.to_string())
}
