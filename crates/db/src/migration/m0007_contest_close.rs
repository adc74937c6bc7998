//! What closing a round needs: attempt times as integer milliseconds beside the timestamps, and
//! the moment a frozen round's results were announced to the public.
//!
//! Closing a round reads every submitted attempt (two million in a big round); decoding two
//! text timestamps per row was half the cost of the close on SQLite. The ranking only needs the
//! instants to the millisecond, so they are kept as integers too. Existing rows are filled from
//! their timestamps.

use super::schema_helpers::{name, timestamp_opt};
use chrono::{DateTime, Utc};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite's ALTER TABLE adds one at a time.
        m.alter_table(
            Table::alter()
                .table(name("contest_attempts"))
                .add_column(big_integer(name("started_ms")).default(0))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(name("contest_attempts"))
                .add_column(big_integer_null(name("submitted_ms")))
                .to_owned(),
        )
        .await?;
        backfill(m).await?;
        m.alter_table(
            Table::alter()
                .table(name("contest_rounds"))
                .add_column(timestamp_opt("announced_at"))
                .to_owned(),
        )
        .await
    }
}

async fn backfill(m: &SchemaManager<'_>) -> Result<(), DbErr> {
    let db = m.get_connection();
    let select = Query::select()
        .columns([name("id"), name("started_at"), name("submitted_at")])
        .from(name("contest_attempts"))
        .to_owned();
    for row in db.query_all(&select).await? {
        let id: i64 = row.try_get_by_index(0)?;
        let started: DateTime<Utc> = row.try_get_by_index(1)?;
        let submitted: Option<DateTime<Utc>> = row.try_get_by_index(2)?;
        let update = Query::update()
            .table(name("contest_attempts"))
            .value(name("started_ms"), started.timestamp_millis())
            .value(
                name("submitted_ms"),
                submitted.map(|t| t.timestamp_millis()),
            )
            .and_where(Expr::col(name("id")).eq(id))
            .to_owned();
        db.execute(&update).await?;
    }
    Ok(())
}
