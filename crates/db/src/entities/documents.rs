//! Table `documents`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "documents")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub title: String,
    pub doc_type: Option<String>,
    pub symbol: Option<String>,
    pub issuer: Option<String>,
    pub issued_on: Option<Date>,
    /// The text as read (NFC), which citation offsets point into.
    pub body: String,
    /// `danvan_domain::document::Document` as JSON.
    pub structure: String,
    pub filename: Option<String>,
    /// The unit that imported it (whose staff may change it).
    pub unit_id: Option<i64>,
    /// This document's own registry entry, when it has a number.
    pub registry_id: Option<i64>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
