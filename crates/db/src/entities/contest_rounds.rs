//! Table `contest_rounds`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contest_rounds")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub contest_id: i64,
    pub name: String,
    pub opens_at: DateTimeUtc,
    pub closes_at: DateTimeUtc,
    /// `RoundSettings` as JSON.
    pub settings: String,
    /// Set once by the freeze action; results never change afterwards.
    pub frozen_at: Option<DateTimeUtc>,
    /// When the organisers published the frozen results (công bố kết quả).
    pub announced_at: Option<DateTimeUtc>,
    /// Frozen `RoundStats` and totals as JSON.
    pub stats: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
