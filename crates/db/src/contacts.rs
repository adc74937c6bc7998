//! Danh bạ: the people to contact in a unit. Personal data, so reads are scoped like writes.

use crate::audit::{self, Entry};
use crate::authz::{Permission, Scope};
use crate::entities::unit_contacts;
use crate::units::is_phone;
use crate::{Actor, DbError, DbResult};
use chrono::Utc;
use sea_orm::TransactionSession;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionTrait,
};
use serde_json::json;

/// Input for a contact.
pub struct ContactInput<'a> {
    pub full_name: &'a str,
    pub position: &'a str,
    pub phone: &'a str,
    pub email: &'a str,
}

fn opt(s: &str) -> Option<String> {
    let t = s.trim();
    (!t.is_empty()).then(|| t.to_string())
}

fn validate(input: &ContactInput<'_>) -> DbResult<()> {
    let name = input.full_name.trim();
    if name.is_empty() || name.chars().count() > 120 {
        return Err(DbError::invalid(
            "Vui lòng nhập họ và tên (tối đa 120 ký tự).",
        ));
    }
    if input.position.trim().is_empty() || input.position.chars().count() > 160 {
        return Err(DbError::invalid(
            "Vui lòng nhập chức vụ (tối đa 160 ký tự).",
        ));
    }
    let phone = input.phone.trim();
    if !phone.is_empty() && !is_phone(phone) {
        return Err(DbError::invalid("Số điện thoại không hợp lệ."));
    }
    let email = input.email.trim();
    if !email.is_empty() && (!email.contains('@') || email.len() > 200 || email.contains(' ')) {
        return Err(DbError::invalid("Địa chỉ thư điện tử không hợp lệ."));
    }
    Ok(())
}

pub async fn list<C: ConnectionTrait>(
    conn: &C,
    scope: &Scope,
    unit_id: i64,
) -> DbResult<Vec<unit_contacts::Model>> {
    scope.require(Permission::Read, unit_id)?;
    Ok(unit_contacts::Entity::find()
        .filter(unit_contacts::Column::UnitId.eq(unit_id))
        .order_by_asc(unit_contacts::Column::Id)
        .all(conn)
        .await?)
}

pub async fn get<C: ConnectionTrait>(
    conn: &C,
    scope: &Scope,
    id: i64,
) -> DbResult<unit_contacts::Model> {
    let contact = unit_contacts::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(DbError::NotFound("liên hệ"))?;
    // Out-of-scope records answer "not found", so ids cannot be probed for existence.
    if !scope.allows(Permission::Read, contact.unit_id) {
        return Err(DbError::NotFound("liên hệ"));
    }
    Ok(contact)
}

pub async fn create<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    scope: &Scope,
    actor: &Actor,
    unit_id: i64,
    input: ContactInput<'_>,
) -> DbResult<unit_contacts::Model> {
    scope.require(Permission::Write, unit_id)?;
    validate(&input)?;
    let txn = conn.begin().await?;
    crate::units::get(&txn, unit_id).await?;
    let saved = unit_contacts::ActiveModel {
        unit_id: Set(unit_id),
        full_name: Set(input.full_name.trim().to_string()),
        position: Set(input.position.trim().to_string()),
        phone: Set(opt(input.phone)),
        email: Set(opt(input.email)),
        note: Set(None),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        actor,
        Entry {
            action: "contact.create",
            entity: "unit_contact",
            entity_id: Some(saved.id.to_string()),
            unit_id: Some(unit_id),
            detail: Some(json!({"full_name": saved.full_name, "position": saved.position})),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

pub async fn update<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    scope: &Scope,
    actor: &Actor,
    id: i64,
    input: ContactInput<'_>,
) -> DbResult<unit_contacts::Model> {
    let contact = get(conn, scope, id).await?;
    scope.require(Permission::Write, contact.unit_id)?;
    validate(&input)?;
    let txn = conn.begin().await?;
    let unit_id = contact.unit_id;
    let mut am: unit_contacts::ActiveModel = contact.into();
    am.full_name = Set(input.full_name.trim().to_string());
    am.position = Set(input.position.trim().to_string());
    am.phone = Set(opt(input.phone));
    am.email = Set(opt(input.email));
    am.updated_at = Set(Utc::now());
    let saved = am.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        Entry {
            action: "contact.update",
            entity: "unit_contact",
            entity_id: Some(id.to_string()),
            unit_id: Some(unit_id),
            detail: Some(json!({"full_name": saved.full_name, "position": saved.position})),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(saved)
}

pub async fn delete<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    scope: &Scope,
    actor: &Actor,
    id: i64,
) -> DbResult<()> {
    let contact = get(conn, scope, id).await?;
    scope.require(Permission::Write, contact.unit_id)?;
    let txn = conn.begin().await?;
    unit_contacts::Entity::delete_by_id(id).exec(&txn).await?;
    audit::record(
        &txn,
        actor,
        Entry {
            action: "contact.delete",
            entity: "unit_contact",
            entity_id: Some(id.to_string()),
            unit_id: Some(contact.unit_id),
            detail: Some(json!({"full_name": contact.full_name})),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
