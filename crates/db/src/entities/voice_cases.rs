//! Table `voice_cases`: one petition, complaint or recommendation (đơn thư).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "voice_cases")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    /// SHA-256 of the citizen's tracking code; the code itself is never stored.
    pub tracking_hash: String,
    pub submission_key: Option<String>,
    pub kind: String,
    pub topic: String,
    pub channel: String,
    pub title: String,
    pub body: String,
    /// Tố cáo: `citizen_name` and `citizen_contact` are sealed with the identity key.
    pub protected: bool,
    pub citizen_name: Option<String>,
    pub citizen_contact: Option<String>,
    pub place_unit_id: Option<i64>,
    pub handling_unit_id: i64,
    pub assigned_to: Option<i64>,
    /// The reception session (buổi tiếp công dân) the case was raised at, if any.
    pub reception_session_id: Option<i64>,
    pub status: String,
    pub complex: bool,
    pub remote: bool,
    pub received_on: Date,
    pub accepted_on: Option<Date>,
    /// The deadline rule and its version (its `valid_from`, or `-`) the due date came from.
    pub rule_id: Option<String>,
    pub rule_version: Option<String>,
    pub due_on: Option<Date>,
    pub extensions: i32,
    /// Tạm đình chỉ: the day the clock stopped, while it is stopped.
    pub paused_on: Option<Date>,
    /// Đơn trùng: the earlier case this one repeats.
    pub duplicate_of: Option<i64>,
    pub refusal_reason: Option<String>,
    pub answer: Option<String>,
    pub resolved_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
