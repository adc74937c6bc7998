//! The online quiz contest: contests, rounds, question banks, contestants, exclusions, attempts
//! and frozen results.

use super::schema_helpers::{fk, index, name, timestamp, timestamp_opt};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(name("contests"))
                .col(big_pk_auto(name("id")))
                .col(text(name("title")))
                .col(big_integer(name("unit_id")))
                .col(integer_null(name("min_age")))
                .col(boolean(name("require_national_id")))
                .col(boolean(name("require_unit")))
                .col(timestamp("created_at"))
                .foreign_key(&mut fk("contests", "unit_id", "units"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(name("contest_rounds"))
                .col(big_pk_auto(name("id")))
                .col(big_integer(name("contest_id")))
                .col(text(name("name")))
                .col(timestamp("opens_at"))
                .col(timestamp("closes_at"))
                .col(text(name("settings")))
                .col(timestamp_opt("frozen_at"))
                .col(text_null(name("stats")))
                .foreign_key(&mut fk("contest_rounds", "contest_id", "contests"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("contest_rounds", &["contest_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table(name("contest_questions"))
                .col(big_pk_auto(name("id")))
                .col(big_integer(name("round_id")))
                .col(text(name("text")))
                .col(text(name("options")))
                .col(big_integer(name("correct_option")))
                .col(string_null(name("topic")))
                .col(integer_null(name("difficulty")))
                .foreign_key(&mut fk("contest_questions", "round_id", "contest_rounds"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("contest_questions", &["round_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table(name("contestants"))
                .col(big_pk_auto(name("id")))
                .col(big_integer(name("contest_id")))
                .col(string_uniq(name("token_hash")))
                .col(text(name("full_name")))
                .col(date(name("birth_date")))
                .col(string(name("gender")))
                .col(string(name("phone")))
                .col(string_null(name("national_id")))
                .col(big_integer_null(name("unit_id")))
                .col(string_null(name("group_name")))
                .col(string(name("person_key")))
                .col(text_null(name("flags")))
                .col(boolean(name("disqualified")))
                .col(string_null(name("ip")))
                .col(timestamp("created_at"))
                .foreign_key(&mut fk("contestants", "contest_id", "contests"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("contestants", &["contest_id", "national_id"]))
            .await?;
        m.create_index(index("contestants", &["contest_id", "person_key"]))
            .await?;

        m.create_table(
            Table::create()
                .table(name("contest_exclusions"))
                .col(big_pk_auto(name("id")))
                .col(big_integer(name("contest_id")))
                .col(string(name("value")))
                .col(text(name("note")))
                .foreign_key(&mut fk("contest_exclusions", "contest_id", "contests"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index("contest_exclusions", &["contest_id", "value"])
                .unique()
                .to_owned(),
        )
        .await?;

        // No foreign keys here: this is the hot table of the submission rush, and its parents are
        // never deleted while a round has attempts.
        m.create_table(
            Table::create()
                .table(name("contest_attempts"))
                .col(big_pk_auto(name("id")))
                .col(big_integer(name("round_id")))
                .col(big_integer(name("contestant_id")))
                .col(integer(name("attempt_no")))
                .col(text(name("draw")))
                .col(timestamp("started_at"))
                .col(text_null(name("answers")))
                .col(big_integer_null(name("prediction")))
                .col(timestamp_opt("submitted_at"))
                .col(integer_null(name("correct")))
                .col(integer_null(name("total")))
                .col(big_integer_null(name("duration_ms")))
                .col(string_null(name("ip")))
                .to_owned(),
        )
        .await?;
        // The attempt limit holds under concurrent starts because of this key (Moodle's
        // (quiz, userid, attempt)).
        m.create_index(
            index(
                "contest_attempts",
                &["round_id", "contestant_id", "attempt_no"],
            )
            .unique()
            .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(name("contest_results"))
                .col(big_pk_auto(name("id")))
                .col(big_integer(name("round_id")))
                .col(integer(name("rank")))
                .col(big_integer(name("contestant_id")))
                .col(big_integer(name("attempt_id")))
                .col(integer(name("correct")))
                .col(integer(name("total")))
                .col(big_integer_null(name("prediction")))
                .col(big_integer_null(name("prediction_error")))
                .col(big_integer(name("duration_ms")))
                .col(string_null(name("prize")))
                .col(boolean(name("excluded")))
                .foreign_key(&mut fk("contest_results", "round_id", "contest_rounds"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("contest_results", &["round_id", "rank"]))
            .await?;
        Ok(())
    }
}
