//! Table `voice_attachments`: files sent with a case, kept in the data folder, never public.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "voice_attachments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub case_id: i64,
    /// The sender's file name; sealed like the identity on a denunciation.
    pub filename: String,
    pub content_type: String,
    pub size: i64,
    pub stored_name: String,
    /// Tố cáo: the file is encrypted with the identity key (it may show handwriting).
    pub sealed: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
