//! Table `commitments`: a promise made at a dialogue, followed like a task and shown publicly.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "commitments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub dialogue_id: i64,
    pub unit_id: i64,
    pub content: String,
    /// Who answers for it (person or body).
    pub owner: String,
    pub due_on: Date,
    /// `open` or `done`.
    pub status: String,
    /// What was done.
    pub result: Option<String>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
