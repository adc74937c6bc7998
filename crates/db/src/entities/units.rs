//! Table `units`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "units")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// Official code (GSO) where known; unique together with `valid_from` because codes are reused.
    pub code: String,
    pub name: String,
    /// `danvan_domain::units::UnitKind` as text.
    pub kind: String,
    /// Finer type: tinh, huyen, thanh_pho, xa, phuong, thi_tran, ban, so …
    pub subtype: Option<String>,
    pub parent_id: Option<i64>,
    pub valid_from: Date,
    pub valid_to: Option<Date>,
    /// Whether the row is confirmed by a source; unconfirmed rows are flagged for admins.
    pub confirmed: bool,
    pub source: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
