//! Units through time, accounts, roles, sessions, rate limits, the audit log, unit contacts.

use super::schema_helpers::{fk, index, name, timestamp};
use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(name("units"))
                .col(big_pk_auto(name("id")))
                .col(string(name("code")))
                .col(string(name("name")))
                .col(string(name("kind")))
                .col(string_null(name("subtype")))
                .col(big_integer_null(name("parent_id")))
                .col(date(name("valid_from")))
                .col(date_null(name("valid_to")))
                .col(boolean(name("confirmed")))
                .col(text_null(name("source")))
                .col(text_null(name("address")))
                .col(string_null(name("phone")))
                .col(timestamp("updated_at"))
                .foreign_key(&mut fk("units", "parent_id", "units"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("units", &["parent_id"])).await?;
        // Official codes are reused: the 2025 communes took codes of communes they replaced.
        m.create_index(index("units", &["code", "valid_from"]).unique().to_owned())
            .await?;
        m.create_index(index("units", &["kind", "valid_from"]))
            .await?;

        m.create_table(
            Table::create()
                .table(name("unit_events"))
                .col(big_pk_auto(name("id")))
                .col(date(name("date")))
                .col(string(name("kind")))
                .col(text_null(name("legal_basis")))
                .col(text_null(name("note")))
                .col(boolean(name("confirmed")))
                .col(text_null(name("source")))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(name("unit_event_links"))
                .col(big_pk_auto(name("id")))
                .col(big_integer(name("event_id")))
                .col(big_integer(name("unit_id")))
                .col(string(name("role")))
                .foreign_key(&mut fk("unit_event_links", "event_id", "unit_events"))
                .foreign_key(&mut fk("unit_event_links", "unit_id", "units"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("unit_event_links", &["unit_id"]))
            .await?;
        m.create_index(index("unit_event_links", &["event_id"]))
            .await?;

        m.create_table(
            Table::create()
                .table(name("users"))
                .col(big_pk_auto(name("id")))
                .col(string_uniq(name("username")))
                .col(string(name("full_name")))
                .col(string_null(name("email")))
                .col(string(name("password_hash")))
                .col(boolean(name("active")))
                .col(boolean(name("must_change_password")))
                .col(timestamp("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table(name("role_assignments"))
                .col(big_pk_auto(name("id")))
                .col(big_integer(name("user_id")))
                .col(big_integer(name("unit_id")))
                .col(string(name("role")))
                .col(timestamp("created_at"))
                .foreign_key(&mut fk("role_assignments", "user_id", "users"))
                .foreign_key(&mut fk("role_assignments", "unit_id", "units"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index("role_assignments", &["user_id", "unit_id", "role"])
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(name("sessions"))
                .col(string(name("token_hash")).primary_key())
                .col(big_integer(name("user_id")))
                .col(string(name("csrf_token")))
                .col(timestamp("created_at"))
                .col(timestamp("expires_at"))
                .col(string_null(name("ip")))
                .foreign_key(&mut fk("sessions", "user_id", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("sessions", &["user_id"])).await?;

        m.create_table(
            Table::create()
                .table(name("rate_limits"))
                .col(string(name("key")).primary_key())
                .col(timestamp("window_start"))
                .col(integer(name("count")))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(name("audit_log"))
                .col(big_pk_auto(name("id")))
                .col(timestamp("at"))
                .col(big_integer_null(name("user_id")))
                .col(string(name("username")))
                .col(string_null(name("ip")))
                .col(string(name("action")))
                .col(string(name("entity")))
                .col(string_null(name("entity_id")))
                .col(big_integer_null(name("unit_id")))
                .col(text_null(name("detail")))
                .to_owned(),
        )
        .await?;
        m.create_index(index("audit_log", &["at"])).await?;
        m.create_index(index("audit_log", &["unit_id", "at"]))
            .await?;

        m.create_table(
            Table::create()
                .table(name("unit_contacts"))
                .col(big_pk_auto(name("id")))
                .col(big_integer(name("unit_id")))
                .col(string(name("full_name")))
                .col(string(name("position")))
                .col(string_null(name("phone")))
                .col(string_null(name("email")))
                .col(text_null(name("note")))
                .col(timestamp("updated_at"))
                .foreign_key(&mut fk("unit_contacts", "unit_id", "units"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("unit_contacts", &["unit_id"])).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "unit_contacts",
            "audit_log",
            "rate_limits",
            "sessions",
            "role_assignments",
            "users",
            "unit_event_links",
            "unit_events",
            "units",
        ] {
            m.drop_table(Table::drop().table(name(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
