//! Scoped authorisation: a role is given to a user *on a unit* and holds on that unit's subtree.
//!
//! Every service function that reads or writes a unit-owned record asks `Scope::require` with the
//! record's unit, so the UI and the API share one check and cannot drift apart.

use crate::entities::{role_assignments, units};
use crate::{DbError, DbResult};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use serde::Serialize;
use std::collections::HashMap;

/// What a user may be on a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Quản trị tỉnh: everything, including reference data and all accounts.
    ProvinceAdmin,
    /// Quản trị đơn vị: accounts and records of the unit's subtree.
    UnitAdmin,
    /// Lãnh đạo: reads, writes and approves.
    Leader,
    /// Cán bộ, chuyên viên: reads and writes.
    Specialist,
    /// Xem: reads only.
    Viewer,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::ProvinceAdmin,
        Role::UnitAdmin,
        Role::Leader,
        Role::Specialist,
        Role::Viewer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::ProvinceAdmin => "province_admin",
            Role::UnitAdmin => "unit_admin",
            Role::Leader => "leader",
            Role::Specialist => "specialist",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::ProvinceAdmin => "Quản trị tỉnh",
            Role::UnitAdmin => "Quản trị đơn vị",
            Role::Leader => "Lãnh đạo",
            Role::Specialist => "Cán bộ, chuyên viên",
            Role::Viewer => "Chỉ xem",
        }
    }

    pub fn permits(self, p: Permission) -> bool {
        use Permission::*;
        match self {
            Role::ProvinceAdmin => true,
            Role::UnitAdmin => matches!(p, Read | Write | Administer),
            Role::Leader => matches!(p, Read | Write | Approve),
            Role::Specialist => matches!(p, Read | Write),
            Role::Viewer => matches!(p, Read),
        }
    }
}

/// What an operation needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    Read,
    Write,
    /// Lãnh đạo duyệt: approve, sign off, send formal reminders.
    Approve,
    /// Manage accounts, roles and the unit records themselves; browse the audit log.
    Administer,
    /// Province-wide reference data (the unit tree and its events).
    ManageReference,
}

/// A signed-in user's roles with the unit tree needed to test subtree membership.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    pub user_id: i64,
    pub assignments: Vec<(i64, Role)>,
    /// unit id → parent id, across all unit versions.
    parents: HashMap<i64, Option<i64>>,
}

impl Scope {
    /// Loads the user's roles and the (small) parent map of the unit tree.
    pub async fn load<C: ConnectionTrait>(conn: &C, user_id: i64) -> DbResult<Scope> {
        let assignments = role_assignments::Entity::find()
            .filter(role_assignments::Column::UserId.eq(user_id))
            .all(conn)
            .await?
            .into_iter()
            .filter_map(|a| Role::parse(&a.role).map(|r| (a.unit_id, r)))
            .collect();
        let parents = units::Entity::find()
            .select_only()
            .column(units::Column::Id)
            .column(units::Column::ParentId)
            .into_tuple::<(i64, Option<i64>)>()
            .all(conn)
            .await?
            .into_iter()
            .collect();
        Ok(Scope {
            user_id,
            assignments,
            parents,
        })
    }

    /// Whether any role covering `unit_id` grants `p`.
    pub fn allows(&self, p: Permission, unit_id: i64) -> bool {
        if p == Permission::ManageReference {
            return self.is_province_admin();
        }
        self.assignments.iter().any(|(root, role)| {
            role.permits(p) && danvan_domain::units::is_in_subtree(&self.parents, *root, unit_id)
        })
    }

    pub fn require(&self, p: Permission, unit_id: i64) -> DbResult<()> {
        if self.allows(p, unit_id) {
            Ok(())
        } else {
            Err(DbError::Forbidden)
        }
    }

    /// Province admin on a root unit: sees and manages everything.
    pub fn is_province_admin(&self) -> bool {
        self.assignments.iter().any(|(unit, role)| {
            *role == Role::ProvinceAdmin && self.parents.get(unit) == Some(&None)
        })
    }

    /// Whether the user administers anything at all (shows the admin menu).
    pub fn administers_something(&self) -> bool {
        self.assignments
            .iter()
            .any(|(_, r)| r.permits(Permission::Administer))
    }

    /// The roots of the subtrees where `p` holds: the units to list records from.
    pub fn roots_for(&self, p: Permission) -> Vec<i64> {
        let mut roots: Vec<i64> = self
            .assignments
            .iter()
            .filter(|(_, r)| r.permits(p))
            .map(|(u, _)| *u)
            .collect();
        roots.sort_unstable();
        roots.dedup();
        roots
    }

    /// Every unit id inside the subtrees where `p` holds.
    pub fn units_for(&self, p: Permission) -> Vec<i64> {
        let roots = self.roots_for(p);
        self.parents
            .keys()
            .copied()
            .filter(|id| {
                roots
                    .iter()
                    .any(|root| danvan_domain::units::is_in_subtree(&self.parents, *root, *id))
            })
            .collect()
    }

    /// The strongest role the user holds anywhere, for choosing the home page.
    pub fn highest_role(&self) -> Option<Role> {
        self.assignments.iter().map(|(_, r)| *r).min()
    }
}
