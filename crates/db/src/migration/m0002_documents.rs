//! Documents, the legal-basis registry, citations between them, relations and review milestones.

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
                .table(name("registry_entries"))
                .col(big_pk_auto(name("id")))
                .col(string_uniq(name("identity_key")))
                .col(string(name("doc_type")))
                .col(string_null(name("number")))
                .col(string_null(name("type_code")))
                .col(string_null(name("issuer_code")))
                .col(string_null(name("symbol")))
                .col(integer_null(name("year")))
                .col(date_null(name("issued_on")))
                .col(text_null(name("issuer")))
                .col(text_null(name("title")))
                .col(string(name("status")))
                .col(timestamp("created_at"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("registry_entries", &["symbol"]))
            .await?;

        m.create_table(
            Table::create()
                .table(name("documents"))
                .col(big_pk_auto(name("id")))
                .col(text(name("title")))
                .col(string_null(name("doc_type")))
                .col(string_null(name("symbol")))
                .col(text_null(name("issuer")))
                .col(date_null(name("issued_on")))
                .col(text(name("body")))
                .col(text(name("structure")))
                .col(string_null(name("filename")))
                .col(big_integer_null(name("unit_id")))
                .col(big_integer_null(name("registry_id")))
                .col(big_integer_null(name("created_by")))
                .col(timestamp("created_at"))
                .foreign_key(&mut fk("documents", "unit_id", "units"))
                .foreign_key(&mut fk("documents", "registry_id", "registry_entries"))
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(name("citations"))
                .col(big_pk_auto(name("id")))
                .col(big_integer(name("document_id")))
                .col(big_integer(name("registry_id")))
                .col(integer(name("ordinal")))
                .col(integer(name("start_byte")))
                .col(integer(name("end_byte")))
                .col(text(name("raw")))
                .col(text(name("flags")))
                .col(string_null(name("review_request")))
                .foreign_key(&mut fk("citations", "document_id", "documents"))
                .foreign_key(&mut fk("citations", "registry_id", "registry_entries"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("citations", &["document_id"])).await?;
        m.create_index(index("citations", &["registry_id"])).await?;

        m.create_table(
            Table::create()
                .table(name("registry_relations"))
                .col(big_pk_auto(name("id")))
                .col(big_integer(name("from_id")))
                .col(big_integer(name("to_id")))
                .col(string(name("kind")))
                .col(text_null(name("note")))
                .col(big_integer_null(name("created_by")))
                .col(timestamp("created_at"))
                .foreign_key(&mut fk("registry_relations", "from_id", "registry_entries"))
                .foreign_key(&mut fk("registry_relations", "to_id", "registry_entries"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index("registry_relations", &["from_id", "to_id", "kind"])
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(name("reviews"))
                .col(big_pk_auto(name("id")))
                .col(big_integer(name("registry_id")))
                .col(string(name("milestone")))
                .col(integer(name("due_year")))
                .col(date(name("done_on")))
                .col(text_null(name("note")))
                .col(big_integer_null(name("recorded_by")))
                .col(timestamp("recorded_at"))
                .foreign_key(&mut fk("reviews", "registry_id", "registry_entries"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index("reviews", &["registry_id", "milestone"])
                .unique()
                .to_owned(),
        )
        .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "reviews",
            "registry_relations",
            "citations",
            "documents",
            "registry_entries",
        ] {
            m.drop_table(Table::drop().table(name(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
