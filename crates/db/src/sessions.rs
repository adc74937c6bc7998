//! Server-side sessions in the database, so several server processes share them.
//!
//! The cookie carries a random token; the table keeps only its SHA-256, and each session has its
//! own CSRF token for forms and API writes.

use crate::DbResult;
use crate::entities::{sessions, users};
use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use sha2::{Digest, Sha256};

pub const SESSION_DAYS: i64 = 7;

pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    hex::encode(bytes)
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A new session: returns the cookie token (shown once) and the stored row.
pub async fn create<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    ip: Option<String>,
) -> DbResult<(String, sessions::Model)> {
    let token = random_token();
    let now = Utc::now();
    let row = sessions::ActiveModel {
        token_hash: Set(hash_token(&token)),
        user_id: Set(user_id),
        csrf_token: Set(random_token()),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(SESSION_DAYS)),
        ip: Set(ip),
    }
    .insert(conn)
    .await?;
    Ok((token, row))
}

/// The live session and its active user for a cookie token.
pub async fn lookup<C: ConnectionTrait>(
    conn: &C,
    token: &str,
) -> DbResult<Option<(sessions::Model, users::Model)>> {
    let Some(session) = sessions::Entity::find_by_id(hash_token(token))
        .one(conn)
        .await?
    else {
        return Ok(None);
    };
    if session.expires_at < Utc::now() {
        sessions::Entity::delete_by_id(session.token_hash)
            .exec(conn)
            .await?;
        return Ok(None);
    }
    let user = users::Entity::find_by_id(session.user_id).one(conn).await?;
    Ok(user.filter(|u| u.active).map(|u| (session, u)))
}

pub async fn delete<C: ConnectionTrait>(conn: &C, token_hash: &str) -> DbResult<()> {
    sessions::Entity::delete_by_id(token_hash.to_string())
        .exec(conn)
        .await?;
    Ok(())
}

/// Ends every session of the user except `keep` (after a password change).
pub async fn end_others<C: ConnectionTrait>(conn: &C, user_id: i64, keep: &str) -> DbResult<()> {
    sessions::Entity::delete_many()
        .filter(sessions::Column::UserId.eq(user_id))
        .filter(sessions::Column::TokenHash.ne(keep))
        .exec(conn)
        .await?;
    Ok(())
}

/// Removes expired sessions; run periodically.
pub async fn purge_expired<C: ConnectionTrait>(conn: &C) -> DbResult<u64> {
    let res = sessions::Entity::delete_many()
        .filter(sessions::Column::ExpiresAt.lt(Utc::now()))
        .exec(conn)
        .await?;
    Ok(res.rows_affected)
}
