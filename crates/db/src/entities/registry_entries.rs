//! Table `registry_entries`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "registry_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// `danvan_domain::registry::Identity::key()`.
    #[sea_orm(unique)]
    pub identity_key: String,
    /// Loại văn bản as a Vietnamese word.
    pub doc_type: String,
    pub number: Option<String>,
    pub type_code: Option<String>,
    pub issuer_code: Option<String>,
    pub symbol: Option<String>,
    pub year: Option<i32>,
    pub issued_on: Option<Date>,
    pub issuer: Option<String>,
    /// Trích yếu, or the name of a law.
    pub title: Option<String>,
    /// `in_force`, `replaced`, `expired` or `unknown`.
    pub status: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
