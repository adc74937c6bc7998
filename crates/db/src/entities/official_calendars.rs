//! Table `official_calendars`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "official_calendars")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub year: i32,
    /// JSON array of ISO dates off work that year (all of them: the list replaces the built-in
    /// holidays of the year).
    pub off_days: String,
    /// JSON array of weekend days made working days (ngày làm bù).
    pub working_days: String,
    pub note: Option<String>,
    pub updated_by: Option<i64>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
