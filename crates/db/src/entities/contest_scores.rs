//! Table `contest_scores`: the integers of a submitted attempt that the ranking needs.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contest_scores")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub attempt_id: i64,
    pub round_id: i64,
    pub contestant_id: i64,
    pub correct: i32,
    pub total: i32,
    pub prediction: Option<i64>,
    pub duration_ms: i64,
    /// Unix milliseconds.
    pub started_ms: i64,
    /// Unix milliseconds.
    pub submitted_ms: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
