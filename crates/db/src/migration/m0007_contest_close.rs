//! What closing a round needs: a narrow copy of every submitted attempt's score, and the moment
//! a frozen round's results were announced to the public.
//!
//! Closing a round reads every submitted attempt: two million in a big round. An attempt row
//! carries its drawn questions and saved answers (about 2.5 KB, so one row per SQLite page:
//! 8 GB for such a round), and decoding two text timestamps per row was half the cost of the
//! close. `contest_scores` keeps only the integers the ranking needs (about 60 bytes a row),
//! written in the same transaction as the submission. Existing submissions are copied.

use super::schema_helpers::{index, name, timestamp_opt};
use chrono::{DateTime, Utc};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // No foreign keys, like contest_attempts: this table is written by the submission rush.
        m.create_table(
            Table::create()
                .table(name("contest_scores"))
                .col(big_integer(name("attempt_id")).primary_key())
                .col(big_integer(name("round_id")))
                .col(big_integer(name("contestant_id")))
                .col(integer(name("correct")))
                .col(integer(name("total")))
                .col(big_integer_null(name("prediction")))
                .col(big_integer(name("duration_ms")))
                .col(big_integer(name("started_ms")))
                .col(big_integer(name("submitted_ms")))
                .to_owned(),
        )
        .await?;
        m.create_index(index("contest_scores", &["round_id"]))
            .await?;
        copy_submitted(m).await?;
        m.alter_table(
            Table::alter()
                .table(name("contest_rounds"))
                .add_column(timestamp_opt("announced_at"))
                .to_owned(),
        )
        .await
    }
}

async fn copy_submitted(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = m.get_connection();
    let cols = [
        "id",
        "round_id",
        "contestant_id",
        "correct",
        "total",
        "prediction",
        "duration_ms",
        "started_at",
        "submitted_at",
    ];
    let select = Query::select()
        .columns(cols.map(name))
        .from(name("contest_attempts"))
        .and_where(Expr::col(name("submitted_at")).is_not_null())
        .to_owned();
    for row in db.query_all(&select).await? {
        let started: DateTime<Utc> = row.try_get_by_index(7)?;
        let submitted: DateTime<Utc> = row.try_get_by_index(8)?;
        let insert = Query::insert()
            .into_table(name("contest_scores"))
            .columns(
                [
                    "attempt_id",
                    "round_id",
                    "contestant_id",
                    "correct",
                    "total",
                    "prediction",
                    "duration_ms",
                    "started_ms",
                    "submitted_ms",
                ]
                .map(name),
            )
            .values_panic([
                row.try_get_by_index::<i64>(0)?.into(),
                row.try_get_by_index::<i64>(1)?.into(),
                row.try_get_by_index::<i64>(2)?.into(),
                row.try_get_by_index::<Option<i32>>(3)?.unwrap_or(0).into(),
                row.try_get_by_index::<Option<i32>>(4)?.unwrap_or(0).into(),
                row.try_get_by_index::<Option<i64>>(5)?.into(),
                row.try_get_by_index::<Option<i64>>(6)?.unwrap_or(0).into(),
                started.timestamp_millis().into(),
                submitted.timestamp_millis().into(),
            ])
            .to_owned();
        db.execute(&insert).await?;
    }
    Ok(())
}
