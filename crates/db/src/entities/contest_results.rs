//! Table `contest_results`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contest_results")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub round_id: i64,
    pub rank: i32,
    pub contestant_id: i64,
    pub attempt_id: i64,
    pub correct: i32,
    pub total: i32,
    pub prediction: Option<i64>,
    pub prediction_error: Option<i64>,
    pub duration_ms: i64,
    pub prize: Option<String>,
    pub excluded: bool,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
