//! Table `dialogues`: a dialogue (đối thoại) between a head and the people.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "dialogues")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub unit_id: i64,
    pub held_on: Date,
    pub place: String,
    pub host_name: String,
    pub participants: String,
    /// Questions raised by the people.
    pub questions: String,
    /// Answers given at the dialogue.
    pub answers: String,
    pub created_by: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
