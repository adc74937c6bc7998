//! Table `contest_attempts`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "contest_attempts")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub round_id: i64,
    pub contestant_id: i64,
    pub attempt_no: i32,
    /// `DrawnAttempt` as JSON.
    pub draw: String,
    pub started_at: DateTimeUtc,
    /// Saved answers `[[question_id, option_id]]` as JSON.
    pub answers: Option<String>,
    pub prediction: Option<i64>,
    pub submitted_at: Option<DateTimeUtc>,
    pub correct: Option<i32>,
    pub total: Option<i32>,
    pub duration_ms: Option<i64>,
    pub ip: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
