//! Table `contest_collective`: a contest's collective prize rules.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contest_collective")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub contest_id: i64,
    /// `danvan_domain::contest::CollectiveFormula` code.
    pub formula: String,
    /// How many units receive a collective prize.
    pub prizes: i32,
    /// Prize name → points, as JSON.
    pub prize_points: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
