//! Storage for danvan: one code path for SQLite and PostgreSQL through SeaORM.
//!
//! Nothing above this crate writes SQL. Each feature has its own module of named queries and
//! write operations; writes that change records also write the audit log in the same
//! transaction, so a change and its trace land together or not at all.

pub mod accounts;
pub mod api_keys;
pub mod audit;
pub mod authz;
pub mod backup;
pub mod calendar;
pub mod connect;
pub mod contacts;
pub mod contest;
pub mod demo;
pub mod documents;
pub mod entities;
pub mod error;
pub mod identity;
pub mod migration;
pub mod plans;
pub mod ratelimit;
pub mod reception;
pub mod reference;
pub mod sessions;
pub mod testing;
pub mod units;
pub mod voice;

pub use connect::{Db, DbConfig};
pub use error::{DbError, DbResult};

/// Who is acting, for authorisation and the audit log.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub username: String,
    /// Client address as seen by the server (or given by a trusted proxy).
    pub ip: Option<String>,
}

impl Actor {
    /// The system itself: start-up seeding, migrations, CLI maintenance.
    pub fn system() -> Self {
        Actor {
            user_id: None,
            username: "system".into(),
            ip: None,
        }
    }
}
