//! Fresh databases for tests, on SQLite and on PostgreSQL, with the same test body for both.
//!
//! SQLite: a new file in a new temporary folder. PostgreSQL: a new database cloned from a
//! template that one test per process migrates and loads once (cloning is much faster than
//! loading the reference data again). The PostgreSQL server comes from `DANVAN_TEST_PG`
//! (default `postgres://postgres@127.0.0.1:5432/test`, the CI machine's server).

use crate::{Db, DbConfig};
use sea_orm::{ConnectionTrait, Database};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};
use tokio::sync::OnceCell;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

static COUNTER: AtomicU32 = AtomicU32::new(0);
static PG_TEMPLATE: OnceCell<String> = OnceCell::const_new();

/// The admin URL of the PostgreSQL server used by tests.
pub fn pg_admin_url() -> String {
    std::env::var("DANVAN_TEST_PG")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

fn pg_url_for(db_name: &str) -> String {
    let admin = pg_admin_url();
    let base = admin
        .rsplit_once('/')
        .map(|(b, _)| b.to_string())
        .unwrap_or(admin);
    format!("{base}/{db_name}")
}

/// A database for one test; files or databases are removed when the process has gone.
pub struct TestDb {
    pub db: Db,
    pub backend: Backend,
    /// The SQLite folder, kept for tests that need files next to the database.
    pub dir: Option<PathBuf>,
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some(dir) = &self.dir {
            let _ = std::fs::remove_dir_all(dir);
        }
    }
}

fn unique(prefix: &str) -> String {
    format!(
        "{prefix}_{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

/// A migrated database holding the reference units, on `backend`.
pub async fn fresh(backend: Backend) -> TestDb {
    match backend {
        Backend::Sqlite => {
            let dir = std::env::temp_dir().join(unique("danvan_test"));
            std::fs::create_dir_all(&dir).expect("temporary folder");
            let db = Db::connect(DbConfig::sqlite_in(&dir))
                .await
                .expect("sqlite connects");
            prepare(&db).await;
            TestDb {
                db,
                backend,
                dir: Some(dir),
            }
        }
        Backend::Postgres => {
            let template = PG_TEMPLATE.get_or_init(make_pg_template).await.clone();
            let name = unique("danvan_t");
            let admin = Database::connect(pg_admin_url())
                .await
                .expect("PostgreSQL test server reachable (DANVAN_TEST_PG)");
            admin
                .execute_unprepared(&format!("CREATE DATABASE {name} TEMPLATE {template}"))
                .await
                .expect("create test database");
            let _ = admin.close().await;
            let db = Db::connect(DbConfig {
                url: pg_url_for(&name),
                max_connections: 5,
            })
            .await
            .expect("connect to test database");
            TestDb {
                db,
                backend,
                dir: None,
            }
        }
    }
}

async fn prepare(db: &Db) {
    crate::migration::run(db).await.expect("migrations apply");
    crate::reference::load_if_empty(&db.conn)
        .await
        .expect("reference data loads");
}

/// Builds the template once per process, after removing databases left by earlier runs whose
/// process has ended.
async fn make_pg_template() -> String {
    let admin = Database::connect(pg_admin_url())
        .await
        .expect("PostgreSQL test server reachable (DANVAN_TEST_PG)");
    let rows = admin
        .query_all_raw(sea_orm::Statement::from_string(
            sea_orm::DbBackend::Postgres,
            "SELECT datname FROM pg_database WHERE datname LIKE 'danvan\\_t%' OR datname LIKE 'danvan\\_tpl%'",
        ))
        .await
        .unwrap_or_default();
    for row in rows {
        let Ok(name) = row.try_get::<String>("", "datname") else {
            continue;
        };
        let pid = name.split('_').nth(2).and_then(|p| p.parse::<u32>().ok());
        let alive = pid.is_some_and(|p| PathBuf::from(format!("/proc/{p}")).exists());
        if !alive {
            let _ = admin
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await;
        }
    }
    let template = unique("danvan_tpl");
    admin
        .execute_unprepared(&format!("CREATE DATABASE {template}"))
        .await
        .expect("create template database");
    let db = Db::connect(DbConfig {
        url: pg_url_for(&template),
        max_connections: 2,
    })
    .await
    .expect("connect to template");
    prepare(&db).await;
    db.conn.close().await.expect("close template");
    let _ = admin.close().await;
    template
}

/// Runs one async test body on both backends (skip PostgreSQL with `DANVAN_TEST_SKIP_PG=1`).
#[macro_export]
macro_rules! both_backends {
    ($name:ident, $body:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$body($crate::testing::Backend::Sqlite).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if std::env::var("DANVAN_TEST_SKIP_PG").is_ok() {
                    eprintln!("skipped: DANVAN_TEST_SKIP_PG is set");
                    return;
                }
                super::$body($crate::testing::Backend::Postgres).await;
            }
        }
    };
}
