//! Migrations, embedded in the binary and run at start (and by `danvan migrate`).

use sea_orm_migration::prelude::*;

mod m0001_foundation;
mod m0002_documents;
mod m0003_contest;
mod m0004_voice;
mod m0005_plans;
mod m0006_calendar;
mod m0007_contest_close;
mod m0008_contest_organiser;
mod schema_helpers;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m0001_foundation::Migration),
            Box::new(m0002_documents::Migration),
            Box::new(m0003_contest::Migration),
            Box::new(m0004_voice::Migration),
            Box::new(m0005_plans::Migration),
            Box::new(m0006_calendar::Migration),
            Box::new(m0007_contest_close::Migration),
            Box::new(m0008_contest_organiser::Migration),
        ]
    }
}

/// Applies every pending migration.
pub async fn run(db: &crate::Db) -> Result<(), DbErr> {
    Migrator::up(&db.conn, None).await
}
