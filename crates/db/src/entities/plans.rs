//! Table `plans`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "plans")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub title: String,
    pub year: i32,
    /// The unit whose plan it is.
    pub unit_id: i64,
    /// The plan this one was derived from (the cascade).
    pub parent_plan_id: Option<i64>,
    /// The document it was imported from.
    pub document_id: Option<i64>,
    /// `simple` or `weighted` roll-up.
    pub method: String,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
