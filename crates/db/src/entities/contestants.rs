//! Table `contestants`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contestants")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub contest_id: i64,
    /// SHA-256 of the bearer token; the token itself is never stored.
    pub token_hash: String,
    pub full_name: String,
    pub birth_date: Date,
    pub gender: String,
    pub phone: String,
    pub national_id: Option<String>,
    pub unit_id: Option<i64>,
    /// Đối tượng.
    pub group_name: Option<String>,
    /// Normalised name + birth date + phone, for duplicate detection.
    pub person_key: String,
    /// Registration flags as JSON.
    pub flags: Option<String>,
    pub disqualified: bool,
    /// Why an organiser disqualified the contestant (truất quyền), kept while disqualified.
    pub disqualified_reason: Option<String>,
    pub ip: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
