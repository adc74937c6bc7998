use danvan_db::both_backends;
use danvan_db::testing::{Backend, fresh};
use danvan_db::units::History;
use danvan_db::{Db, DbConfig, DbError};

async fn backup_copies_a_live_sqlite_database(b: Backend) {
    let t = fresh(b).await;
    match b {
        Backend::Sqlite => {
            let dir = t.dir.clone().unwrap();
            let target = dir.join("copy").join("danvan.db");
            std::fs::create_dir_all(target.parent().unwrap()).unwrap();
            let bytes = danvan_db::backup::sqlite_backup(&t.db, &target)
                .await
                .unwrap();
            assert!(bytes > 10_000);
            let copy = Db::connect(DbConfig::sqlite_in(target.parent().unwrap()))
                .await
                .unwrap();
            let h = History::load(&copy.conn).await.unwrap();
            assert_eq!(
                h.units.len(),
                History::load(&t.db.conn).await.unwrap().units.len()
            );
            let again = danvan_db::backup::sqlite_backup(&t.db, &target)
                .await
                .unwrap_err();
            assert!(matches!(again, DbError::Invalid(ref m) if m.contains("đã tồn tại")));
        }
        Backend::Postgres => {
            let err = danvan_db::backup::sqlite_backup(&t.db, std::path::Path::new("/tmp/x.db"))
                .await
                .unwrap_err();
            assert!(matches!(err, DbError::Invalid(ref m) if m.contains("pg_dump")));
        }
    }
}
both_backends!(backup, backup_copies_a_live_sqlite_database);
