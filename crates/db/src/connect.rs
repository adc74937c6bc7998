//! Opening the database: SQLite file (the default) or PostgreSQL.

use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Where the data lives.
#[derive(Debug, Clone)]
pub struct DbConfig {
    /// `sqlite://…` or `postgres://…`.
    pub url: String,
    pub max_connections: u32,
}

impl DbConfig {
    /// The embedded default: `<data>/danvan.db`.
    pub fn sqlite_in(data_dir: &Path) -> Self {
        DbConfig {
            url: format!("sqlite://{}?mode=rwc", data_dir.join("danvan.db").display()),
            max_connections: 8,
        }
    }

    pub fn from_url(url: &str) -> Self {
        DbConfig {
            url: url.to_string(),
            max_connections: 16,
        }
    }

    pub fn is_sqlite(&self) -> bool {
        self.url.starts_with("sqlite:")
    }

    /// The SQLite file behind the URL, if it is one.
    pub fn sqlite_path(&self) -> Option<PathBuf> {
        let rest = self
            .url
            .strip_prefix("sqlite://")
            .or_else(|| self.url.strip_prefix("sqlite:"))?;
        let path = rest.split('?').next().unwrap_or(rest);
        (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
    }
}

/// A connected database.
#[derive(Debug, Clone)]
pub struct Db {
    pub conn: DatabaseConnection,
    pub config: DbConfig,
}

impl Db {
    /// Connects and, for SQLite, sets the PRAGMAs on *every* pooled connection (a PRAGMA run once
    /// on one connection silently does not apply to the others).
    pub async fn connect(config: DbConfig) -> Result<Db, sea_orm::DbErr> {
        let mut opts = ConnectOptions::new(config.url.clone());
        opts.max_connections(config.max_connections)
            .min_connections(1)
            .acquire_timeout(Duration::from_secs(10))
            .sqlx_logging(false);
        if config.is_sqlite() {
            opts.map_sqlx_sqlite_opts(|o: SqliteConnectOptions| {
                o.journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Full)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(10))
                    .create_if_missing(true)
                    .pragma("temp_store", "memory")
            });
        }
        let conn = Database::connect(opts).await?;
        Ok(Db { conn, config })
    }

    pub fn backend(&self) -> DbBackend {
        self.conn.get_database_backend()
    }

    /// Readiness: the database answers a trivial query.
    pub async fn ping(&self) -> bool {
        self.conn.execute_unprepared("SELECT 1").await.is_ok()
    }
}
