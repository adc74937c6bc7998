//! The people's voice: petitions, complaints and their workflow steps.

use super::schema_helpers::{fk, index, name};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(name("reception_sessions"))
                .col(big_pk_auto(name("id")))
                .col(big_integer(name("unit_id")))
                .col(string(name("host")))
                .col(string(name("host_name")))
                .col(date(name("held_on")))
                .col(text(name("place")))
                .col(text_null(name("visitors")))
                .col(text_null(name("summary")))
                .col(string(name("created_by")))
                .col(timestamp_with_time_zone(name("created_at")))
                .foreign_key(&mut fk("reception_sessions", "unit_id", "units"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("reception_sessions", &["unit_id", "held_on"]))
            .await?;

        m.create_table(
            Table::create()
                .table(name("voice_cases"))
                .col(big_pk_auto(name("id")))
                .col(string_uniq(name("tracking_hash")))
                // A replayed public form carries the same key and is refused by this constraint.
                .col(string_null(name("submission_key")).unique_key())
                .col(string(name("kind")))
                .col(string(name("topic")))
                .col(string(name("channel")))
                .col(text(name("title")))
                .col(text(name("body")))
                // Tố cáo: the identity columns hold ciphertext (see `identity`), never plaintext.
                .col(boolean(name("protected")))
                .col(text_null(name("citizen_name")))
                .col(text_null(name("citizen_contact")))
                .col(big_integer_null(name("place_unit_id")))
                .col(big_integer(name("handling_unit_id")))
                .col(big_integer_null(name("assigned_to")))
                .col(big_integer_null(name("reception_session_id")))
                .col(string(name("status")))
                .col(boolean(name("complex")))
                .col(boolean(name("remote")))
                .col(date(name("received_on")))
                .col(date_null(name("accepted_on")))
                .col(string_null(name("rule_id")))
                .col(string_null(name("rule_version")))
                .col(date_null(name("due_on")))
                .col(integer(name("extensions")))
                .col(date_null(name("paused_on")))
                .col(big_integer_null(name("duplicate_of")))
                .col(text_null(name("refusal_reason")))
                .col(text_null(name("answer")))
                .col(timestamp_with_time_zone_null(name("resolved_at")))
                .col(timestamp_with_time_zone(name("created_at")))
                .col(timestamp_with_time_zone(name("updated_at")))
                .foreign_key(&mut fk("voice_cases", "place_unit_id", "units"))
                .foreign_key(&mut fk("voice_cases", "handling_unit_id", "units"))
                .foreign_key(&mut fk(
                    "voice_cases",
                    "reception_session_id",
                    "reception_sessions",
                ))
                .to_owned(),
        )
        .await?;
        // The handler's queue and the overdue list both walk (unit, status, due date).
        m.create_index(index(
            "voice_cases",
            &["handling_unit_id", "status", "due_on"],
        ))
        .await?;
        m.create_index(index("voice_cases", &["status", "due_on"]))
            .await?;
        // Province-wide lists have no unit filter: walking due dates in order finds the first
        // page of open cases without sorting them all.
        m.create_index(index("voice_cases", &["due_on"])).await?;

        m.create_table(
            Table::create()
                .table(name("voice_case_steps"))
                .col(big_pk_auto(name("id")))
                .col(big_integer(name("case_id")))
                .col(timestamp_with_time_zone(name("at")))
                .col(string(name("action")))
                .col(string(name("status")))
                .col(text_null(name("note")))
                .col(string(name("username")))
                .foreign_key(&mut fk("voice_case_steps", "case_id", "voice_cases"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("voice_case_steps", &["case_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table(name("voice_attachments"))
                .col(big_pk_auto(name("id")))
                .col(big_integer(name("case_id")))
                .col(text(name("filename")))
                .col(string(name("content_type")))
                .col(big_integer(name("size")))
                // A random name in the attachments folder; the file is sealed when `sealed`.
                .col(string_uniq(name("stored_name")))
                .col(boolean(name("sealed")))
                .col(timestamp_with_time_zone(name("created_at")))
                .foreign_key(&mut fk("voice_attachments", "case_id", "voice_cases"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("voice_attachments", &["case_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table(name("dialogues"))
                .col(big_pk_auto(name("id")))
                .col(big_integer(name("unit_id")))
                .col(date(name("held_on")))
                .col(text(name("place")))
                .col(string(name("host_name")))
                .col(text(name("participants")))
                .col(text(name("questions")))
                .col(text(name("answers")))
                .col(string(name("created_by")))
                .col(timestamp_with_time_zone(name("created_at")))
                .foreign_key(&mut fk("dialogues", "unit_id", "units"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(name("commitments"))
                .col(big_pk_auto(name("id")))
                .col(big_integer(name("dialogue_id")))
                .col(big_integer(name("unit_id")))
                .col(text(name("content")))
                .col(string(name("owner")))
                .col(date(name("due_on")))
                .col(string(name("status")))
                .col(text_null(name("result")))
                .col(timestamp_with_time_zone(name("updated_at")))
                .foreign_key(&mut fk("commitments", "dialogue_id", "dialogues"))
                .foreign_key(&mut fk("commitments", "unit_id", "units"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("commitments", &["due_on"])).await?;

        m.create_table(
            Table::create()
                .table(name("api_keys"))
                .col(big_pk_auto(name("id")))
                .col(string(name("name")))
                .col(string(name("scope")))
                .col(string_uniq(name("key_hash")))
                .col(timestamp_with_time_zone(name("created_at")))
                .col(timestamp_with_time_zone_null(name("revoked_at")))
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.drop_table(Table::drop().table(name("api_keys")).to_owned())
            .await?;
        m.drop_table(Table::drop().table(name("voice_case_steps")).to_owned())
            .await?;
        m.drop_table(Table::drop().table(name("commitments")).to_owned())
            .await?;
        m.drop_table(Table::drop().table(name("dialogues")).to_owned())
            .await?;
        m.drop_table(Table::drop().table(name("voice_attachments")).to_owned())
            .await?;
        m.drop_table(Table::drop().table(name("voice_cases")).to_owned())
            .await?;
        m.drop_table(Table::drop().table(name("reception_sessions")).to_owned())
            .await
    }
}
