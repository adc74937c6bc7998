//! Table `audit_log`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "audit_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub at: DateTimeUtc,
    pub user_id: Option<i64>,
    pub username: String,
    pub ip: Option<String>,
    /// Verb, e.g. `user.create`, `unit.update`, `login.failed`.
    pub action: String,
    /// Table or record type, e.g. `user`, `unit`, `unit_contact`.
    pub entity: String,
    pub entity_id: Option<String>,
    /// Unit whose scope the record belongs to, so unit admins can browse their own subtree.
    pub unit_id: Option<i64>,
    /// JSON with the changed fields (never secrets).
    pub detail: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
