//! The contest's organiser side: why a contestant was disqualified, per-unit headcounts and the
//! collective prize rules of a contest, and each frozen round's per-unit tallies.

use super::schema_helpers::{fk, index, name, timestamp};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(name("contestants"))
                .add_column(text_null(name("disqualified_reason")))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(name("contest_collective"))
                .col(big_pk_auto(name("id")))
                .col(big_integer_uniq(name("contest_id")))
                .col(string(name("formula")))
                .col(integer(name("prizes")))
                .col(text(name("prize_points")))
                .foreign_key(&mut fk("contest_collective", "contest_id", "contests"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(name("contest_headcounts"))
                .col(big_pk_auto(name("id")))
                .col(big_integer(name("contest_id")))
                .col(big_integer(name("unit_id")))
                .col(big_integer(name("headcount")))
                .foreign_key(&mut fk("contest_headcounts", "contest_id", "contests"))
                .foreign_key(&mut fk("contest_headcounts", "unit_id", "units"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index("contest_headcounts", &["contest_id", "unit_id"])
                .unique()
                .to_owned(),
        )
        .await?;

        // Computed once per frozen round: a round of a million people is not re-ranked on
        // every view of the contest page.
        m.create_table(
            Table::create()
                .table(name("contest_round_tallies"))
                .col(big_pk_auto(name("id")))
                .col(big_integer_uniq(name("round_id")))
                .col(text(name("tallies")))
                .col(timestamp("computed_at"))
                .foreign_key(&mut fk(
                    "contest_round_tallies",
                    "round_id",
                    "contest_rounds",
                ))
                .to_owned(),
        )
        .await?;
        Ok(())
    }
}
