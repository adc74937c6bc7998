//! Each year's official holiday schedule, entered by an admin: it takes precedence over the
//! built-in rules (the government announces Tết and swapped working days every year).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(Alias::new("official_calendars"))
                .col(integer(Alias::new("year")).primary_key())
                .col(text(Alias::new("off_days")))
                .col(text(Alias::new("working_days")))
                .col(text_null(Alias::new("note")))
                .col(big_integer_null(Alias::new("updated_by")))
                .col(timestamp_with_time_zone(Alias::new("updated_at")))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(
            Table::drop()
                .table(Alias::new("official_calendars"))
                .to_owned(),
        )
        .await
    }
}
