//! Fixed-window rate limits kept in the database, so several server processes share one count.

use crate::DbResult;
use crate::entities::rate_limits;
use chrono::{Duration, Utc};
use sea_orm::TransactionSession;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set, TransactionTrait};

/// A limit of `max` events per `window`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max: i32,
    pub window: Duration,
}

/// Counts one event for `key`; returns `false` when the limit is already exhausted.
pub async fn hit<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    key: &str,
    limit: Limit,
) -> DbResult<bool> {
    let txn = conn.begin().await?;
    let now = Utc::now();
    let row = rate_limits::Entity::find_by_id(key.to_string())
        .one(&txn)
        .await?;
    let allowed = match row {
        Some(r) if now - r.window_start < limit.window => {
            if r.count >= limit.max {
                false
            } else {
                let count = r.count + 1;
                let mut am: rate_limits::ActiveModel = r.into();
                am.count = Set(count);
                am.update(&txn).await?;
                true
            }
        }
        Some(r) => {
            let mut am: rate_limits::ActiveModel = r.into();
            am.window_start = Set(now);
            am.count = Set(1);
            am.update(&txn).await?;
            true
        }
        None => {
            rate_limits::ActiveModel {
                key: Set(key.to_string()),
                window_start: Set(now),
                count: Set(1),
            }
            .insert(&txn)
            .await?;
            true
        }
    };
    txn.commit().await?;
    Ok(allowed)
}

/// Whether `key` is currently over its limit, without counting.
pub async fn is_blocked<C: ConnectionTrait>(conn: &C, key: &str, limit: Limit) -> DbResult<bool> {
    let now = Utc::now();
    Ok(rate_limits::Entity::find_by_id(key.to_string())
        .one(conn)
        .await?
        .is_some_and(|r| now - r.window_start < limit.window && r.count >= limit.max))
}

/// Forgets `key` (after a successful login, say).
pub async fn clear<C: ConnectionTrait>(conn: &C, key: &str) -> DbResult<()> {
    rate_limits::Entity::delete_by_id(key.to_string())
        .exec(conn)
        .await?;
    Ok(())
}
