//! Table `reception_sessions`: a day a head receives citizens (scheduled or held), with its record.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "reception_sessions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub unit_id: i64,
    /// `danvan_domain::reception::Host` code.
    pub host: String,
    pub host_name: String,
    pub held_on: Date,
    pub place: String,
    /// Who came (biên bản).
    pub visitors: Option<String>,
    /// What they raised.
    pub summary: Option<String>,
    pub created_by: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
