//! Plans and their cascade: tasks, history, the units expected to plan, notifications and the
//! mail outbox.

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
                .table(name("plans"))
                .col(big_pk_auto(name("id")))
                .col(text(name("title")))
                .col(integer(name("year")))
                .col(big_integer(name("unit_id")))
                .col(big_integer_null(name("parent_plan_id")))
                .col(big_integer_null(name("document_id")))
                .col(string(name("method")))
                .col(big_integer_null(name("created_by")))
                .col(timestamp("created_at"))
                .foreign_key(&mut fk("plans", "unit_id", "units"))
                .foreign_key(&mut fk("plans", "parent_plan_id", "plans"))
                .foreign_key(&mut fk("plans", "document_id", "documents"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("plans", &["parent_plan_id"])).await?;
        m.create_index(
            index("plans", &["parent_plan_id", "unit_id"])
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(name("plan_recipients"))
                .col(big_pk_auto(name("id")))
                .col(big_integer(name("plan_id")))
                .col(big_integer(name("unit_id")))
                .foreign_key(&mut fk("plan_recipients", "plan_id", "plans"))
                .foreign_key(&mut fk("plan_recipients", "unit_id", "units"))
                .to_owned(),
        )
        .await?;
        m.create_index(
            index("plan_recipients", &["plan_id", "unit_id"])
                .unique()
                .to_owned(),
        )
        .await?;

        m.create_table(
            Table::create()
                .table(name("plan_tasks"))
                .col(big_pk_auto(name("id")))
                .col(big_integer(name("plan_id")))
                .col(integer(name("position")))
                .col(string(name("number")))
                .col(string(name("level")))
                .col(text(name("title")))
                .col(text(name("body")))
                .col(big_integer_null(name("parent_task_id")))
                .col(big_integer_null(name("derived_from_id")))
                .col(text(name("chu_tri")))
                .col(text(name("phoi_hop")))
                .col(date_null(name("due_on")))
                .col(text_null(name("due_reason")))
                .col(string(name("status")))
                .col(integer(name("progress")))
                .col(double_null(name("weight")))
                .col(text_null(name("status_reason")))
                .col(text(name("citations")))
                .col(timestamp("updated_at"))
                .foreign_key(&mut fk("plan_tasks", "plan_id", "plans"))
                .foreign_key(&mut fk("plan_tasks", "parent_task_id", "plan_tasks"))
                .foreign_key(&mut fk("plan_tasks", "derived_from_id", "plan_tasks"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("plan_tasks", &["plan_id", "position"]))
            .await?;
        m.create_index(index("plan_tasks", &["derived_from_id"]))
            .await?;
        m.create_index(index("plan_tasks", &["due_on"])).await?;

        m.create_table(
            Table::create()
                .table(name("task_events"))
                .col(big_pk_auto(name("id")))
                .col(big_integer(name("task_id")))
                .col(timestamp("at"))
                .col(big_integer_null(name("user_id")))
                .col(string(name("username")))
                .col(string(name("kind")))
                .col(text(name("text")))
                .foreign_key(&mut fk("task_events", "task_id", "plan_tasks"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("task_events", &["task_id"])).await?;

        m.create_table(
            Table::create()
                .table(name("notifications"))
                .col(big_pk_auto(name("id")))
                .col(big_integer(name("user_id")))
                .col(text(name("text")))
                .col(string(name("link")))
                .col(timestamp("created_at"))
                .col(timestamp_with_time_zone_null(name("read_at")))
                .foreign_key(&mut fk("notifications", "user_id", "users"))
                .to_owned(),
        )
        .await?;
        m.create_index(index("notifications", &["user_id", "read_at"]))
            .await?;

        m.create_table(
            Table::create()
                .table(name("mail_outbox"))
                .col(big_pk_auto(name("id")))
                .col(string(name("to_addr")))
                .col(text(name("subject")))
                .col(text(name("body")))
                .col(timestamp("created_at"))
                .col(timestamp_with_time_zone_null(name("claimed_at")))
                .col(string_null(name("claimed_by")))
                .col(timestamp_with_time_zone_null(name("sent_at")))
                .col(integer(name("attempts")))
                .col(text_null(name("last_error")))
                .to_owned(),
        )
        .await?;
        m.create_index(index("mail_outbox", &["sent_at"])).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for t in [
            "mail_outbox",
            "notifications",
            "task_events",
            "plan_tasks",
            "plan_recipients",
            "plans",
        ] {
            m.drop_table(Table::drop().table(name(t)).to_owned())
                .await?;
        }
        Ok(())
    }
}
