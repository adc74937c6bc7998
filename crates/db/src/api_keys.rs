//! API keys for machine clients. The key is printed once at creation; only its SHA-256 is kept,
//! so a leaked database does not leak working keys.

use crate::audit::{self, Entry};
use crate::entities::api_keys;
use crate::{Actor, DbError, DbResult};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde_json::json;
use sha2::{Digest, Sha256};

/// Scopes a key may have.
pub const SCOPES: [&str; 1] = ["open311"];

fn hash(key: &str) -> String {
    hex::encode(Sha256::digest(key.trim().as_bytes()))
}

/// Creates a key and returns it in clear, the only time it exists outside the client.
pub async fn create<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    name: &str,
    scope: &str,
) -> DbResult<(api_keys::Model, String)> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(DbError::invalid("Tên khóa cần từ 1 đến 100 ký tự."));
    }
    if !SCOPES.contains(&scope) {
        return Err(DbError::invalid(format!(
            "Phạm vi “{scope}” không hợp lệ; dùng: {}.",
            SCOPES.join(", ")
        )));
    }
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    let key = format!("dv_{}", hex::encode(bytes));
    let saved = api_keys::ActiveModel {
        name: Set(name.to_string()),
        scope: Set(scope.to_string()),
        key_hash: Set(hash(&key)),
        created_at: Set(Utc::now()),
        revoked_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    audit::record(
        conn,
        actor,
        Entry {
            action: "api_key.create",
            entity: "api_key",
            entity_id: Some(saved.id.to_string()),
            unit_id: None,
            detail: Some(json!({"name": saved.name, "scope": saved.scope})),
        },
    )
    .await?;
    Ok((saved, key))
}

/// The live key with this value and scope, if any.
pub async fn verify<C: ConnectionTrait>(
    conn: &C,
    key: &str,
    scope: &str,
) -> DbResult<Option<api_keys::Model>> {
    if key.trim().is_empty() {
        return Ok(None);
    }
    Ok(api_keys::Entity::find()
        .filter(api_keys::Column::KeyHash.eq(hash(key)))
        .filter(api_keys::Column::Scope.eq(scope))
        .filter(api_keys::Column::RevokedAt.is_null())
        .one(conn)
        .await?)
}
