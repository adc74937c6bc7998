//! Table `unit_events`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "unit_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// First day of the new state.
    pub date: Date,
    pub kind: String,
    pub legal_basis: Option<String>,
    pub note: Option<String>,
    pub confirmed: bool,
    pub source: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
