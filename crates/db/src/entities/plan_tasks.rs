//! Table `plan_tasks`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "plan_tasks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub plan_id: i64,
    pub position: i32,
    /// Numbering as in the document: "II.1", "II.1.3".
    pub number: String,
    /// `section`, `bullet` or `task`.
    pub level: String,
    pub title: String,
    pub body: String,
    /// The section a bullet belongs to, in the same plan.
    pub parent_task_id: Option<i64>,
    /// The parent plan's task this one carries out.
    pub derived_from_id: Option<i64>,
    /// Chủ trì, as written or chosen ("; "-separated).
    pub chu_tri: String,
    /// Phối hợp.
    pub phoi_hop: String,
    pub due_on: Option<Date>,
    pub due_reason: Option<String>,
    /// `danvan_domain::plans::TaskStatus` in snake case.
    pub status: String,
    pub progress: i32,
    pub weight: Option<f64>,
    /// Why a task cannot be carried out, or other notes on the status.
    pub status_reason: Option<String>,
    /// JSON array of cited document symbols.
    pub citations: String,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
