//! Accounts: argon2id passwords, users, and their roles on units.

use crate::audit::{self, Entry};
use crate::authz::{Permission, Role, Scope};
use crate::entities::{role_assignments, units, users};
use crate::error::on_unique;
use crate::{Actor, DbError, DbResult};
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::Utc;
use sea_orm::TransactionSession;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use serde_json::json;

pub const MIN_PASSWORD_LEN: usize = 10;

/// Hashes with argon2id and a random salt (the crate's defaults: m=19 MiB, t=2, p=1).
pub fn hash_password(password: &str) -> DbResult<String> {
    let mut salt_bytes = [0u8; 16];
    rand::fill(&mut salt_bytes);
    let salt = SaltString::encode_b64(&salt_bytes).map_err(|e| DbError::Internal(e.to_string()))?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| DbError::Internal(e.to_string()))
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A hash of a password nobody knows, verified against when the username does not exist so a
/// failed login takes the same time either way.
fn decoy_hash() -> &'static str {
    static DECOY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DECOY.get_or_init(|| hash_password("decoy-password-never-used").unwrap_or_default())
}

pub fn validate_password(password: &str) -> DbResult<()> {
    if password.chars().count() < MIN_PASSWORD_LEN {
        return Err(DbError::invalid(format!(
            "Mật khẩu phải có ít nhất {MIN_PASSWORD_LEN} ký tự."
        )));
    }
    Ok(())
}

fn validate_username(username: &str) -> DbResult<()> {
    let ok = (3..=40).contains(&username.len())
        && username
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(DbError::invalid(
            "Tên đăng nhập dài 3–40 ký tự, chỉ gồm chữ thường không dấu, chữ số và . _ -",
        ))
    }
}

/// Checks a username and password; `None` when they do not match an active account.
pub async fn authenticate<C: ConnectionTrait>(
    conn: &C,
    username: &str,
    password: &str,
) -> DbResult<Option<users::Model>> {
    let user = users::Entity::find()
        .filter(users::Column::Username.eq(username.trim().to_lowercase()))
        .one(conn)
        .await?;
    match user {
        Some(u) if u.active && verify_password(password, &u.password_hash) => Ok(Some(u)),
        Some(_) => Ok(None),
        None => {
            verify_password(password, decoy_hash());
            Ok(None)
        }
    }
}

/// Input for a new account.
pub struct NewUser<'a> {
    pub username: &'a str,
    pub full_name: &'a str,
    pub email: Option<&'a str>,
    pub password: &'a str,
    pub must_change_password: bool,
}

/// Creates an account without authorisation checks: for start-up seeding and the CLI.
///
/// `unit_id` is the unit the account is made for, recorded in the audit log so the admins of
/// that unit see the creation in their log.
pub async fn create_user_unchecked<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    actor: &Actor,
    new: NewUser<'_>,
    unit_id: Option<i64>,
) -> DbResult<users::Model> {
    let username = new.username.trim().to_lowercase();
    validate_username(&username)?;
    let full_name = new.full_name.trim();
    if full_name.is_empty() {
        return Err(DbError::invalid("Vui lòng nhập họ và tên."));
    }
    validate_password(new.password)?;
    let hash = hash_password(new.password)?;
    let txn = conn.begin().await?;
    let user = users::ActiveModel {
        username: Set(username.clone()),
        full_name: Set(full_name.to_string()),
        email: Set(new
            .email
            .map(str::trim)
            .filter(|e| !e.is_empty())
            .map(String::from)),
        password_hash: Set(hash),
        active: Set(true),
        must_change_password: Set(new.must_change_password),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| on_unique(e, &format!("Tên đăng nhập “{username}” đã được dùng.")))?;
    audit::record(
        &txn,
        actor,
        Entry {
            action: "user.create",
            entity: "user",
            entity_id: Some(user.id.to_string()),
            unit_id,
            detail: Some(json!({"username": user.username, "full_name": user.full_name})),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(user)
}

/// Gives `role` on `unit_id` without authorisation checks: for seeding and the CLI.
pub async fn assign_role_unchecked<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    actor: &Actor,
    user_id: i64,
    unit_id: i64,
    role: Role,
) -> DbResult<()> {
    let txn = conn.begin().await?;
    units::Entity::find_by_id(unit_id)
        .one(&txn)
        .await?
        .ok_or(DbError::NotFound("đơn vị"))?;
    role_assignments::ActiveModel {
        user_id: Set(user_id),
        unit_id: Set(unit_id),
        role: Set(role.as_str().to_string()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| on_unique(e, "Người dùng đã có vai trò này trên đơn vị này."))?;
    audit::record(
        &txn,
        actor,
        Entry {
            action: "role.assign",
            entity: "user",
            entity_id: Some(user_id.to_string()),
            unit_id: Some(unit_id),
            detail: Some(json!({"role": role.as_str()})),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// An admin creates an account and gives its first role on a unit of their subtree.
pub async fn create_user<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    scope: &Scope,
    actor: &Actor,
    new: NewUser<'_>,
    unit_id: i64,
    role: Role,
) -> DbResult<users::Model> {
    authorize_role_grant(scope, unit_id, role)?;
    let user = create_user_unchecked(conn, actor, new, Some(unit_id)).await?;
    assign_role_unchecked(conn, actor, user.id, unit_id, role).await?;
    Ok(user)
}

/// An admin gives a role on a unit of their subtree to an existing account.
pub async fn assign_role<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    scope: &Scope,
    actor: &Actor,
    user_id: i64,
    unit_id: i64,
    role: Role,
) -> DbResult<()> {
    authorize_role_grant(scope, unit_id, role)?;
    assign_role_unchecked(conn, actor, user_id, unit_id, role).await
}

/// Removes one role assignment the admin controls.
pub async fn revoke_role<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    scope: &Scope,
    actor: &Actor,
    assignment_id: i64,
) -> DbResult<()> {
    let txn = conn.begin().await?;
    let a = role_assignments::Entity::find_by_id(assignment_id)
        .one(&txn)
        .await?
        .ok_or(DbError::NotFound("vai trò"))?;
    scope.require(Permission::Administer, a.unit_id)?;
    role_assignments::Entity::delete_by_id(a.id)
        .exec(&txn)
        .await?;
    audit::record(
        &txn,
        actor,
        Entry {
            action: "role.revoke",
            entity: "user",
            entity_id: Some(a.user_id.to_string()),
            unit_id: Some(a.unit_id),
            detail: Some(json!({"role": a.role})),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Only a province admin hands out province admin; others may grant the lower roles in their
/// own subtree.
fn authorize_role_grant(scope: &Scope, unit_id: i64, role: Role) -> DbResult<()> {
    if role == Role::ProvinceAdmin && !scope.is_province_admin() {
        return Err(DbError::Forbidden);
    }
    scope.require(Permission::Administer, unit_id)
}

/// Changes one's own password after checking the current one; ends the user's other sessions.
pub async fn change_password<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    actor: &Actor,
    user_id: i64,
    current: &str,
    new_password: &str,
    keep_session_hash: &str,
) -> DbResult<()> {
    let user = users::Entity::find_by_id(user_id)
        .one(conn)
        .await?
        .ok_or(DbError::NotFound("người dùng"))?;
    if !verify_password(current, &user.password_hash) {
        return Err(DbError::invalid("Mật khẩu hiện tại không đúng."));
    }
    validate_password(new_password)?;
    if current == new_password {
        return Err(DbError::invalid(
            "Mật khẩu mới phải khác mật khẩu hiện tại.",
        ));
    }
    let hash = hash_password(new_password)?;
    let txn = conn.begin().await?;
    let mut am: users::ActiveModel = user.into();
    am.password_hash = Set(hash);
    am.must_change_password = Set(false);
    am.update(&txn).await?;
    crate::sessions::end_others(&txn, user_id, keep_session_hash).await?;
    audit::record(
        &txn,
        actor,
        Entry {
            action: "user.password_change",
            entity: "user",
            entity_id: Some(user_id.to_string()),
            unit_id: None,
            detail: None,
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// A user with the roles they hold, for the admin list.
#[derive(Debug, Clone)]
pub struct UserWithRoles {
    pub user: users::Model,
    /// (assignment id, unit id, unit name, role)
    pub roles: Vec<(i64, i64, String, Role)>,
}

/// Accounts that hold at least one role inside the admin's subtrees (all for a province admin).
pub async fn list_users<C: ConnectionTrait>(
    conn: &C,
    scope: &Scope,
) -> DbResult<Vec<UserWithRoles>> {
    let visible_units = scope.units_for(Permission::Administer);
    let all_users = users::Entity::find()
        .order_by_asc(users::Column::Username)
        .all(conn)
        .await?;
    let assignments = role_assignments::Entity::find().all(conn).await?;
    let unit_names: std::collections::HashMap<i64, String> = units::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    let province = scope.is_province_admin();
    let mut out = Vec::new();
    for user in all_users {
        let roles: Vec<(i64, i64, String, Role)> = assignments
            .iter()
            .filter(|a| a.user_id == user.id)
            .filter_map(|a| {
                Role::parse(&a.role).map(|r| {
                    (
                        a.id,
                        a.unit_id,
                        unit_names.get(&a.unit_id).cloned().unwrap_or_default(),
                        r,
                    )
                })
            })
            .collect();
        let visible = province
            || roles
                .iter()
                .any(|(_, unit, _, _)| visible_units.contains(unit));
        if visible {
            out.push(UserWithRoles { user, roles });
        }
    }
    Ok(out)
}

pub async fn find_user<C: ConnectionTrait>(conn: &C, user_id: i64) -> DbResult<users::Model> {
    users::Entity::find_by_id(user_id)
        .one(conn)
        .await?
        .ok_or(DbError::NotFound("người dùng"))
}

pub async fn count_users<C: ConnectionTrait>(conn: &C) -> DbResult<u64> {
    use sea_orm::PaginatorTrait;
    Ok(users::Entity::find().count(conn).await?)
}
