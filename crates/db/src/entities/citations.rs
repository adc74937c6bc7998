//! Table `citations`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "citations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub document_id: i64,
    pub registry_id: i64,
    /// Position among the document's citations.
    pub ordinal: i32,
    pub start_byte: i32,
    pub end_byte: i32,
    pub raw: String,
    /// JSON array of flag names.
    pub flags: String,
    /// A review this passage orders for the cited document: `tong_ket_10`, `so_ket_5`, or just
    /// `tong_ket` / `so_ket` when no number of years is named.
    pub review_request: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
