//! Plans that get done: a plan's tasks, the cascade of derived plans down the units, roll-ups,
//! urging (notifications, formal reminders, the mail outbox).
//!
//! Reading: every signed-in user may read plans (a commune derives its plan from the
//! province's, so it must see it). Writing a plan or its tasks needs `Write` on the plan's unit;
//! formal reminders need `Approve` (lãnh đạo) on the reminding plan's unit.

use crate::audit::{self, Entry};
use crate::authz::{Permission, Scope};
use crate::entities::{
    mail_outbox, notifications, plan_recipients, plan_tasks, plans, role_assignments, task_events,
    units, users,
};
use crate::{Actor, DbError, DbResult};
use chrono::{Duration, NaiveDate, Utc};
use danvan_domain::plans::{RollupMethod, RollupRules, RollupTask, TaskStatus, rollup_tree};
use sea_orm::TransactionSession;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};
use serde_json::json;
use std::collections::{HashMap, HashSet};

pub const STATUSES: [TaskStatus; 5] = [
    TaskStatus::ChuaThucHien,
    TaskStatus::DangThucHien,
    TaskStatus::HoanThanh,
    TaskStatus::ChamTienDo,
    TaskStatus::KhongThucHienDuoc,
];

pub fn status_key(s: TaskStatus) -> &'static str {
    match s {
        TaskStatus::ChuaThucHien => "chua_thuc_hien",
        TaskStatus::DangThucHien => "dang_thuc_hien",
        TaskStatus::HoanThanh => "hoan_thanh",
        TaskStatus::ChamTienDo => "cham_tien_do",
        TaskStatus::KhongThucHienDuoc => "khong_thuc_hien_duoc",
    }
}

pub fn parse_status(s: &str) -> Option<TaskStatus> {
    STATUSES.into_iter().find(|st| status_key(*st) == s)
}

/// A task as confirmed on the review screen, or written by hand.
#[derive(Debug, Clone, Default)]
pub struct TaskInput {
    pub number: String,
    /// `section`, `bullet` or `task`.
    pub level: String,
    pub title: String,
    pub body: String,
    /// Number of the section this task sits under, in the same plan.
    pub parent_number: Option<String>,
    pub chu_tri: String,
    pub phoi_hop: String,
    pub due_on: Option<NaiveDate>,
    pub due_reason: Option<String>,
    pub citations: Vec<String>,
    pub weight: Option<f64>,
}

pub struct NewPlan {
    pub title: String,
    pub year: i32,
    pub unit_id: i64,
    pub document_id: Option<i64>,
    pub method: RollupMethod,
    pub tasks: Vec<TaskInput>,
    /// Units expected to derive their own plan.
    pub recipients: Vec<i64>,
}

fn method_key(m: RollupMethod) -> &'static str {
    match m {
        RollupMethod::Simple => "simple",
        RollupMethod::Weighted => "weighted",
    }
}

pub fn parse_method(s: &str) -> RollupMethod {
    if s == "weighted" {
        RollupMethod::Weighted
    } else {
        RollupMethod::Simple
    }
}

fn validate_task(t: &TaskInput) -> DbResult<()> {
    if t.title.trim().is_empty() {
        return Err(DbError::invalid(format!(
            "Nhiệm vụ {} chưa có tên.",
            t.number
        )));
    }
    if t.title.chars().count() > 500 {
        return Err(DbError::invalid(format!(
            "Tên nhiệm vụ {} dài quá 500 ký tự.",
            t.number
        )));
    }
    if let Some(w) = t.weight
        && (!w.is_finite() || w < 0.0)
    {
        return Err(DbError::invalid(format!(
            "Trọng số của nhiệm vụ {} phải là số không âm.",
            t.number
        )));
    }
    Ok(())
}

/// Creates a plan with its tasks (sections first so bullets can point at them).
pub async fn create<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    scope: &Scope,
    actor: &Actor,
    new: NewPlan,
) -> DbResult<i64> {
    scope.require(Permission::Write, new.unit_id)?;
    let title = new.title.trim();
    if title.is_empty() {
        return Err(DbError::invalid("Vui lòng nhập tên kế hoạch."));
    }
    if !(2000..=2100).contains(&new.year) {
        return Err(DbError::invalid("Năm kế hoạch không hợp lệ."));
    }
    for t in &new.tasks {
        validate_task(t)?;
    }
    let txn = conn.begin().await?;
    let plan = plans::ActiveModel {
        title: Set(title.to_string()),
        year: Set(new.year),
        unit_id: Set(new.unit_id),
        parent_plan_id: Set(None),
        document_id: Set(new.document_id),
        method: Set(method_key(new.method).into()),
        created_by: Set(actor.user_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    insert_tasks(&txn, actor, plan.id, &new.tasks, &HashMap::new()).await?;
    for unit in new.recipients.iter().copied().collect::<HashSet<_>>() {
        if unit == new.unit_id {
            continue;
        }
        plan_recipients::ActiveModel {
            plan_id: Set(plan.id),
            unit_id: Set(unit),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    audit::record(
        &txn,
        actor,
        Entry {
            action: "plan.create",
            entity: "plan",
            entity_id: Some(plan.id.to_string()),
            unit_id: Some(new.unit_id),
            detail: Some(
                json!({"title": title, "tasks": new.tasks.len(), "document_id": new.document_id}),
            ),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(plan.id)
}

/// Inserts tasks in order; `derived` maps a task number to the parent plan's task it carries out.
async fn insert_tasks<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    plan_id: i64,
    tasks: &[TaskInput],
    derived: &HashMap<String, i64>,
) -> DbResult<()> {
    let now = Utc::now();
    let mut ids: HashMap<String, i64> = HashMap::new();
    for (position, t) in tasks.iter().enumerate() {
        let parent = t.parent_number.as_ref().and_then(|n| ids.get(n)).copied();
        let saved = plan_tasks::ActiveModel {
            plan_id: Set(plan_id),
            position: Set(position as i32),
            number: Set(t.number.clone()),
            level: Set(t.level.clone()),
            title: Set(t.title.trim().to_string()),
            body: Set(t.body.clone()),
            parent_task_id: Set(parent),
            derived_from_id: Set(derived.get(&t.number).copied()),
            chu_tri: Set(t.chu_tri.trim().to_string()),
            phoi_hop: Set(t.phoi_hop.trim().to_string()),
            due_on: Set(t.due_on),
            due_reason: Set(t.due_reason.clone()),
            status: Set(status_key(TaskStatus::ChuaThucHien).into()),
            progress: Set(0),
            weight: Set(t.weight),
            status_reason: Set(None),
            citations: Set(serde_json::to_string(&t.citations).unwrap_or_else(|_| "[]".into())),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(conn)
        .await?;
        ids.insert(t.number.clone(), saved.id);
        event(conn, actor, saved.id, "created", "Tạo nhiệm vụ").await?;
    }
    Ok(())
}

async fn event<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    task_id: i64,
    kind: &str,
    text: &str,
) -> DbResult<()> {
    task_events::ActiveModel {
        task_id: Set(task_id),
        at: Set(Utc::now()),
        user_id: Set(actor.user_id),
        username: Set(actor.username.clone()),
        kind: Set(kind.into()),
        text: Set(text.into()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

pub async fn get_plan<C: ConnectionTrait>(conn: &C, id: i64) -> DbResult<plans::Model> {
    plans::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(DbError::NotFound("kế hoạch"))
}

pub async fn tasks_of<C: ConnectionTrait>(
    conn: &C,
    plan_id: i64,
) -> DbResult<Vec<plan_tasks::Model>> {
    Ok(plan_tasks::Entity::find()
        .filter(plan_tasks::Column::PlanId.eq(plan_id))
        .order_by_asc(plan_tasks::Column::Position)
        .all(conn)
        .await?)
}

/// A unit derives its own plan from its parent's: the chosen tasks (with their sections) are
/// copied and linked to the tasks they carry out.
pub async fn derive<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    scope: &Scope,
    actor: &Actor,
    parent_plan_id: i64,
    unit_id: i64,
    chosen: &[i64],
) -> DbResult<i64> {
    scope.require(Permission::Write, unit_id)?;
    let parent = get_plan(conn, parent_plan_id).await?;
    if parent.unit_id == unit_id {
        return Err(DbError::invalid(
            "Đơn vị không thể xây dựng kế hoạch từ chính kế hoạch của mình.",
        ));
    }
    if chosen.is_empty() {
        return Err(DbError::invalid(
            "Vui lòng chọn ít nhất một nhiệm vụ liên quan đến đơn vị.",
        ));
    }
    let all = tasks_of(conn, parent_plan_id).await?;
    let chosen: HashSet<i64> = chosen.iter().copied().collect();
    if chosen.iter().any(|id| !all.iter().any(|t| t.id == *id)) {
        return Err(DbError::invalid(
            "Có nhiệm vụ không thuộc kế hoạch cấp trên.",
        ));
    }
    // A chosen bullet brings its section along, so the derived plan keeps the structure.
    let sections: HashSet<i64> = all
        .iter()
        .filter(|t| chosen.contains(&t.id))
        .filter_map(|t| t.parent_task_id)
        .collect();
    let keep: Vec<&plan_tasks::Model> = all
        .iter()
        .filter(|t| chosen.contains(&t.id) || sections.contains(&t.id))
        .collect();
    let numbers: HashMap<i64, String> = all.iter().map(|t| (t.id, t.number.clone())).collect();
    let inputs: Vec<TaskInput> = keep
        .iter()
        .map(|t| TaskInput {
            number: t.number.clone(),
            level: t.level.clone(),
            title: t.title.clone(),
            body: t.body.clone(),
            parent_number: t.parent_task_id.and_then(|p| numbers.get(&p).cloned()),
            chu_tri: String::new(),
            phoi_hop: String::new(),
            due_on: t.due_on,
            due_reason: t.due_reason.clone(),
            citations: serde_json::from_str(&t.citations).unwrap_or_default(),
            weight: t.weight,
        })
        .collect();
    let derived: HashMap<String, i64> = keep.iter().map(|t| (t.number.clone(), t.id)).collect();
    let unit = crate::units::get(conn, unit_id).await?;
    let txn = conn.begin().await?;
    let plan = plans::ActiveModel {
        title: Set(format!("{} của {}", parent.title, unit.name)),
        year: Set(parent.year),
        unit_id: Set(unit_id),
        parent_plan_id: Set(Some(parent_plan_id)),
        document_id: Set(None),
        method: Set(parent.method.clone()),
        created_by: Set(actor.user_id),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await
    .map_err(|e| crate::error::on_unique(e, "Đơn vị đã xây dựng kế hoạch từ kế hoạch này."))?;
    insert_tasks(&txn, actor, plan.id, &inputs, &derived).await?;
    audit::record(
        &txn,
        actor,
        Entry {
            action: "plan.derive",
            entity: "plan",
            entity_id: Some(plan.id.to_string()),
            unit_id: Some(unit_id),
            detail: Some(json!({"parent_plan_id": parent_plan_id, "tasks": inputs.len()})),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(plan.id)
}

/// Adds a task of the unit's own to a plan.
pub async fn add_task<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    scope: &Scope,
    actor: &Actor,
    plan_id: i64,
    title: &str,
    due_on: Option<NaiveDate>,
) -> DbResult<i64> {
    let plan = get_plan(conn, plan_id).await?;
    scope.require(Permission::Write, plan.unit_id)?;
    let existing = tasks_of(conn, plan_id).await?;
    let own = existing
        .iter()
        .filter(|t| t.number.starts_with("R."))
        .count();
    let input = TaskInput {
        number: format!("R.{}", own + 1),
        level: "task".into(),
        title: title.to_string(),
        body: title.to_string(),
        ..Default::default()
    };
    validate_task(&input)?;
    let txn = conn.begin().await?;
    let saved = plan_tasks::ActiveModel {
        plan_id: Set(plan_id),
        position: Set(existing.len() as i32),
        number: Set(input.number.clone()),
        level: Set(input.level.clone()),
        title: Set(input.title.trim().to_string()),
        body: Set(input.body.clone()),
        parent_task_id: Set(None),
        derived_from_id: Set(None),
        chu_tri: Set(String::new()),
        phoi_hop: Set(String::new()),
        due_on: Set(due_on),
        due_reason: Set(None),
        status: Set(status_key(TaskStatus::ChuaThucHien).into()),
        progress: Set(0),
        weight: Set(None),
        status_reason: Set(None),
        citations: Set("[]".into()),
        updated_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    event(&txn, actor, saved.id, "created", "Đơn vị bổ sung nhiệm vụ").await?;
    txn.commit().await?;
    Ok(saved.id)
}

/// A change to a task, from its page.
#[derive(Debug, Default)]
pub struct TaskUpdate {
    pub status: Option<TaskStatus>,
    pub progress: Option<i32>,
    pub reason: String,
    pub due_on: Option<NaiveDate>,
    /// Trọng số in weighted roll-ups; `None` leaves it unchanged.
    pub weight: Option<f64>,
    pub comment: String,
    pub evidence: String,
}

pub async fn update_task<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    scope: &Scope,
    actor: &Actor,
    task_id: i64,
    upd: TaskUpdate,
) -> DbResult<()> {
    let task = plan_tasks::Entity::find_by_id(task_id)
        .one(conn)
        .await?
        .ok_or(DbError::NotFound("nhiệm vụ"))?;
    let plan = get_plan(conn, task.plan_id).await?;
    scope.require(Permission::Write, plan.unit_id)?;
    if let Some(p) = upd.progress
        && !(0..=100).contains(&p)
    {
        return Err(DbError::invalid("Tiến độ phải từ 0 đến 100%."));
    }
    let reason = upd.reason.trim();
    if upd.status == Some(TaskStatus::KhongThucHienDuoc) && reason.is_empty() {
        return Err(DbError::invalid("Vui lòng nêu lý do không thực hiện được."));
    }
    let evidence = upd.evidence.trim();
    let is_link = evidence.starts_with("https://")
        || evidence.starts_with("http://")
        || evidence.starts_with('/');
    if !evidence.is_empty() && !is_link {
        return Err(DbError::invalid(
            "Minh chứng là một đường dẫn (bắt đầu bằng https:// hoặc /).",
        ));
    }
    let txn = conn.begin().await?;
    let mut am: plan_tasks::ActiveModel = task.clone().into();
    let mut changes = Vec::new();
    let mut status = parse_status(&task.status).unwrap_or(TaskStatus::ChuaThucHien);
    if let Some(s) = upd.status.filter(|s| status_key(*s) != task.status) {
        changes.push((
            "status",
            format!("Trạng thái: {} → {}", status.label_vi(), s.label_vi()),
        ));
        am.status = Set(status_key(s).into());
        status = s;
    }
    let mut progress = upd.progress.unwrap_or(task.progress);
    // Done means done: a completed task counts as 100% (the roll-up would warn otherwise).
    if status == TaskStatus::HoanThanh {
        progress = 100;
    }
    if progress != task.progress {
        changes.push((
            "progress",
            format!("Tiến độ: {}% → {}%", task.progress, progress),
        ));
        am.progress = Set(progress);
    }
    if !reason.is_empty() && Some(reason) != task.status_reason.as_deref() {
        changes.push(("status", format!("Lý do: {reason}")));
        am.status_reason = Set(Some(reason.to_string()));
    }
    if upd.due_on.is_some() && upd.due_on != task.due_on {
        let show = |d: Option<NaiveDate>| {
            d.map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_else(|| "—".into())
        };
        changes.push((
            "due",
            format!("Thời hạn: {} → {}", show(task.due_on), show(upd.due_on)),
        ));
        am.due_on = Set(upd.due_on);
    }
    if let Some(w) = upd.weight {
        if !w.is_finite() || w < 0.0 {
            return Err(DbError::invalid("Trọng số phải là số không âm."));
        }
        if task.weight != Some(w) {
            let before = task
                .weight
                .map(|x| danvan_domain::plans::format::number(x, 2))
                .unwrap_or_else(|| "1 (mặc định)".into());
            changes.push((
                "weight",
                format!(
                    "Trọng số: {before} → {}",
                    danvan_domain::plans::format::number(w, 2)
                ),
            ));
            am.weight = Set(Some(w));
        }
    }
    if !changes.is_empty() {
        am.updated_at = Set(Utc::now());
        am.update(&txn).await?;
    }
    for (kind, text) in &changes {
        event(&txn, actor, task_id, kind, text).await?;
    }
    if !upd.comment.trim().is_empty() {
        event(&txn, actor, task_id, "comment", upd.comment.trim()).await?;
    }
    if !evidence.is_empty() {
        event(&txn, actor, task_id, "evidence", evidence).await?;
    }
    if changes.is_empty() && upd.comment.trim().is_empty() && evidence.is_empty() {
        return Err(DbError::invalid("Không có thay đổi nào để lưu."));
    }
    audit::record(
        &txn,
        actor,
        Entry {
            action: "task.update",
            entity: "plan_task",
            entity_id: Some(task_id.to_string()),
            unit_id: Some(plan.unit_id),
            detail: Some(json!({"changes": changes.iter().map(|(_, t)| t).collect::<Vec<_>>()})),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn task<C: ConnectionTrait>(
    conn: &C,
    id: i64,
) -> DbResult<(plan_tasks::Model, Vec<task_events::Model>)> {
    let t = plan_tasks::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(DbError::NotFound("nhiệm vụ"))?;
    let events = task_events::Entity::find()
        .filter(task_events::Column::TaskId.eq(id))
        .order_by_desc(task_events::Column::Id)
        .all(conn)
        .await?;
    Ok((t, events))
}

/// A plan with every plan derived from it (at any depth), ready for roll-ups.
pub struct PlanTree {
    pub plans: Vec<plans::Model>,
    pub tasks: Vec<plan_tasks::Model>,
    pub index: HashMap<i64, usize>,
    pub input: Vec<RollupTask>,
}

impl PlanTree {
    pub async fn load<C: ConnectionTrait>(conn: &C, root: i64) -> DbResult<PlanTree> {
        let mut plans_found = vec![get_plan(conn, root).await?];
        let mut frontier = vec![root];
        while !frontier.is_empty() {
            let children = plans::Entity::find()
                .filter(plans::Column::ParentPlanId.is_in(frontier.clone()))
                .all(conn)
                .await?;
            frontier = children.iter().map(|p| p.id).collect();
            plans_found.extend(children);
        }
        let ids: Vec<i64> = plans_found.iter().map(|p| p.id).collect();
        let mut tasks = Vec::new();
        // Chunks keep the IN lists within database limits.
        for chunk in ids.chunks(500) {
            tasks.extend(
                plan_tasks::Entity::find()
                    .filter(plan_tasks::Column::PlanId.is_in(chunk.to_vec()))
                    .order_by_asc(plan_tasks::Column::PlanId)
                    .order_by_asc(plan_tasks::Column::Position)
                    .all(conn)
                    .await?,
            );
        }
        let index: HashMap<i64, usize> = tasks.iter().enumerate().map(|(i, t)| (t.id, i)).collect();
        let plan_of: HashMap<i64, &plans::Model> = plans_found.iter().map(|p| (p.id, p)).collect();
        let input = tasks
            .iter()
            .map(|t| {
                let plan = plan_of.get(&t.plan_id);
                // A derived task hangs under the task it carries out when that task is in the tree,
                // so the parent plan sees the units' progress task by task. A derived section is
                // only a container of the unit's own plan: it stays out of the cascade (else it
                // would count as a task of its own at 0%). Otherwise a task hangs under its section.
                let derived_parent = t.derived_from_id.and_then(|p| index.get(&p));
                let parent = match (derived_parent, t.level.as_str()) {
                    (Some(_), "section") => None,
                    (Some(i), _) => Some(*i as u32),
                    (None, _) => t
                        .parent_task_id
                        .and_then(|p| index.get(&p))
                        .map(|i| *i as u32),
                };
                RollupTask {
                    id: t.id,
                    parent,
                    unit: plan.map(|p| p.unit_id).unwrap_or_default(),
                    progress: t.progress.clamp(0, 100) as u8,
                    status: parse_status(&t.status).unwrap_or(TaskStatus::ChuaThucHien),
                    weight: t.weight,
                    method: plan.map(|p| parse_method(&p.method)).unwrap_or_default(),
                }
            })
            .collect();
        Ok(PlanTree {
            plans: plans_found,
            tasks,
            index,
            input,
        })
    }

    pub fn rollups(&self) -> DbResult<Vec<danvan_domain::plans::Rollup>> {
        rollup_tree(&self.input, &RollupRules::default())
            .map_err(|e| DbError::Internal(e.to_string()))
    }
}

/// Units expected to plan, with their derived plan if they made one.
pub async fn recipients<C: ConnectionTrait>(
    conn: &C,
    plan_id: i64,
) -> DbResult<Vec<(units::Model, Option<plans::Model>)>> {
    let ids: Vec<i64> = plan_recipients::Entity::find()
        .filter(plan_recipients::Column::PlanId.eq(plan_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|r| r.unit_id)
        .collect();
    let derived: HashMap<i64, plans::Model> = plans::Entity::find()
        .filter(plans::Column::ParentPlanId.eq(plan_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.unit_id, p))
        .collect();
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        for u in units::Entity::find()
            .filter(units::Column::Id.is_in(chunk.to_vec()))
            .all(conn)
            .await?
        {
            let d = derived.get(&u.id).cloned();
            out.push((u, d));
        }
    }
    out.sort_by(|a, b| (a.1.is_some(), &a.0.name).cmp(&(b.1.is_some(), &b.0.name)));
    Ok(out)
}

/// Plans, newest first, with their unit names.
pub async fn list<C: ConnectionTrait>(conn: &C) -> DbResult<Vec<(plans::Model, String)>> {
    let rows = plans::Entity::find()
        .order_by_desc(plans::Column::Id)
        .limit(500)
        .all(conn)
        .await?;
    let names: HashMap<i64, String> = units::Entity::find()
        .filter(units::Column::Id.is_in(rows.iter().map(|p| p.unit_id).collect::<Vec<_>>()))
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u.name))
        .collect();
    Ok(rows
        .into_iter()
        .map(|p| {
            let n = names.get(&p.unit_id).cloned().unwrap_or_default();
            (p, n)
        })
        .collect())
}

/// Unfinished tasks due on or before `today + horizon_days`, in plans of the given units
/// (`None` = all), earliest first.
pub async fn due_soon<C: ConnectionTrait>(
    conn: &C,
    units_in_scope: Option<&[i64]>,
    today: NaiveDate,
    horizon_days: i64,
) -> DbResult<Vec<(plan_tasks::Model, plans::Model)>> {
    let mut plan_query = plans::Entity::find();
    if let Some(u) = units_in_scope {
        plan_query = plan_query.filter(plans::Column::UnitId.is_in(u.to_vec()));
    }
    let plan_rows: HashMap<i64, plans::Model> = plan_query
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.id, p))
        .collect();
    let until = today + Duration::days(horizon_days);
    let mut out = Vec::new();
    let ids: Vec<i64> = plan_rows.keys().copied().collect();
    for chunk in ids.chunks(500) {
        let tasks = plan_tasks::Entity::find()
            .filter(plan_tasks::Column::PlanId.is_in(chunk.to_vec()))
            .filter(plan_tasks::Column::DueOn.lte(until))
            .filter(plan_tasks::Column::Status.is_not_in([
                status_key(TaskStatus::HoanThanh),
                status_key(TaskStatus::KhongThucHienDuoc),
            ]))
            .filter(plan_tasks::Column::Level.ne("section"))
            .all(conn)
            .await?;
        for t in tasks {
            if let Some(p) = plan_rows.get(&t.plan_id) {
                out.push((t, p.clone()));
            }
        }
    }
    out.sort_by_key(|(t, _)| (t.due_on, t.id));
    Ok(out)
}

/// Accounts holding any role on a unit: who to notify there.
async fn people_of_unit<C: ConnectionTrait>(conn: &C, unit_id: i64) -> DbResult<Vec<users::Model>> {
    let ids: Vec<i64> = role_assignments::Entity::find()
        .filter(role_assignments::Column::UnitId.eq(unit_id))
        .select_only()
        .column(role_assignments::Column::UserId)
        .into_tuple::<i64>()
        .all(conn)
        .await?;
    Ok(users::Entity::find()
        .filter(users::Column::Id.is_in(ids))
        .filter(users::Column::Active.eq(true))
        .all(conn)
        .await?)
}

/// A leader's formal reminder (đôn đốc) to a unit about a plan: recorded, notified in the app,
/// and queued as e-mail for the unit's people who have an address.
pub async fn remind<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    scope: &Scope,
    actor: &Actor,
    plan_id: i64,
    unit_id: i64,
    message: &str,
) -> DbResult<usize> {
    let plan = get_plan(conn, plan_id).await?;
    scope.require(Permission::Approve, plan.unit_id)?;
    let message = message.trim();
    if message.is_empty() || message.chars().count() > 2000 {
        return Err(DbError::invalid(
            "Vui lòng nhập nội dung đôn đốc (tối đa 2.000 ký tự).",
        ));
    }
    let unit = crate::units::get(conn, unit_id).await?;
    let people = people_of_unit(conn, unit_id).await?;
    let txn = conn.begin().await?;
    let text = format!("Đôn đốc thực hiện “{}”: {message}", plan.title);
    let link = format!("/plans/{plan_id}");
    for p in &people {
        notifications::ActiveModel {
            user_id: Set(p.id),
            text: Set(text.clone()),
            link: Set(link.clone()),
            created_at: Set(Utc::now()),
            read_at: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        if let Some(email) = &p.email {
            enqueue_mail(
                &txn,
                email,
                &format!("[Dân vận] Đôn đốc: {}", plan.title),
                &format!("{text}\n\nXem: {link}"),
            )
            .await?;
        }
    }
    audit::record(
        &txn,
        actor,
        Entry {
            action: "plan.remind",
            entity: "plan",
            entity_id: Some(plan_id.to_string()),
            unit_id: Some(unit_id),
            detail: Some(json!({"unit": unit.name, "message": message, "notified": people.len()})),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(people.len())
}

pub async fn enqueue_mail<C: ConnectionTrait>(
    conn: &C,
    to: &str,
    subject: &str,
    body: &str,
) -> DbResult<()> {
    mail_outbox::ActiveModel {
        to_addr: Set(to.to_string()),
        subject: Set(subject.to_string()),
        body: Set(body.to_string()),
        created_at: Set(Utc::now()),
        claimed_at: Set(None),
        claimed_by: Set(None),
        sent_at: Set(None),
        attempts: Set(0),
        last_error: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Claims up to `limit` unsent messages for this process. A claim expires after five minutes
/// so a crashed sender's messages are retried by another process; the conditional update makes
/// a claim exclusive across processes.
pub async fn claim_mail<C: ConnectionTrait>(
    conn: &C,
    worker: &str,
    limit: u64,
) -> DbResult<Vec<mail_outbox::Model>> {
    let stale = Utc::now() - Duration::minutes(5);
    let candidates = mail_outbox::Entity::find()
        .filter(mail_outbox::Column::SentAt.is_null())
        .filter(mail_outbox::Column::Attempts.lt(10))
        .order_by_asc(mail_outbox::Column::Id)
        .limit(limit)
        .all(conn)
        .await?;
    let mut claimed = Vec::new();
    for m in candidates {
        if m.claimed_at.is_some_and(|c| c > stale) {
            continue;
        }
        let res = mail_outbox::Entity::update_many()
            .col_expr(
                mail_outbox::Column::ClaimedAt,
                sea_orm::sea_query::Expr::value(Utc::now()),
            )
            .col_expr(
                mail_outbox::Column::ClaimedBy,
                sea_orm::sea_query::Expr::value(worker.to_string()),
            )
            .filter(mail_outbox::Column::Id.eq(m.id))
            .filter(mail_outbox::Column::SentAt.is_null())
            .filter(match m.claimed_at {
                Some(c) => mail_outbox::Column::ClaimedAt.eq(c),
                None => mail_outbox::Column::ClaimedAt.is_null(),
            })
            .exec(conn)
            .await?;
        if res.rows_affected == 1 {
            claimed.push(m);
        }
    }
    Ok(claimed)
}

pub async fn mail_result<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    error: Option<String>,
) -> DbResult<()> {
    let Some(m) = mail_outbox::Entity::find_by_id(id).one(conn).await? else {
        return Ok(());
    };
    let attempts = m.attempts + 1;
    let mut am: mail_outbox::ActiveModel = m.into();
    am.attempts = Set(attempts);
    match error {
        None => am.sent_at = Set(Some(Utc::now())),
        Some(e) => {
            am.last_error = Set(Some(e));
            am.claimed_at = Set(None);
        }
    }
    am.update(conn).await?;
    Ok(())
}

pub async fn notifications_for<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
) -> DbResult<Vec<notifications::Model>> {
    Ok(notifications::Entity::find()
        .filter(notifications::Column::UserId.eq(user_id))
        .order_by_desc(notifications::Column::Id)
        .limit(20)
        .all(conn)
        .await?)
}

/// Automatic reminders (nhắc hạn) for unfinished tasks due within `days` or overdue: the people
/// of the plan's unit are notified in the app and by e-mail, at most once a day per task. The
/// once-a-day mark is a database rate-limit row, so several server processes send one reminder.
pub async fn remind_due<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    today: NaiveDate,
    days: i64,
) -> DbResult<usize> {
    let due = due_soon(conn, None, today, days).await?;
    let mut sent = 0;
    for (task, plan) in due {
        let key = format!("due-reminder:{}:{today}", task.id);
        let first = crate::ratelimit::hit(
            conn,
            &key,
            crate::ratelimit::Limit {
                max: 1,
                window: Duration::days(1),
            },
        )
        .await
        .unwrap_or(false);
        if !first {
            continue;
        }
        let when = match task.due_on {
            Some(d) if d < today => format!("đã quá hạn từ {}", d.format("%d/%m/%Y")),
            Some(d) => format!("đến hạn ngày {}", d.format("%d/%m/%Y")),
            None => continue,
        };
        let text = format!(
            "Nhiệm vụ {} “{}” {when} ({}% hoàn thành).",
            task.number, task.title, task.progress
        );
        let link = format!("/tasks/{}", task.id);
        let people = people_of_unit(conn, plan.unit_id).await?;
        let txn = conn.begin().await?;
        for p in &people {
            notifications::ActiveModel {
                user_id: Set(p.id),
                text: Set(text.clone()),
                link: Set(link.clone()),
                created_at: Set(Utc::now()),
                read_at: Set(None),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            if let Some(email) = &p.email {
                enqueue_mail(
                    &txn,
                    email,
                    "[Dân vận] Nhắc hạn nhiệm vụ",
                    &format!("{text}\n\nXem: {link}"),
                )
                .await?;
            }
        }
        event(
            &txn,
            &Actor::system(),
            task.id,
            "reminder",
            &format!("Nhắc hạn tự động: {when}"),
        )
        .await?;
        txn.commit().await?;
        sent += 1;
    }
    Ok(sent)
}
