use crate::accounts::{unit_id, user_on};
use danvan_db::authz::Role;
use danvan_db::both_backends;
use danvan_db::plans::{self, NewPlan, PlanTree, TaskInput, TaskUpdate};
use danvan_db::testing::{Backend, fresh};
use danvan_db::{Actor, DbError};
use danvan_domain::plans::{RollupMethod, RollupRules, TaskStatus, unit_section_matrix};
use sea_orm::DatabaseConnection;

/// A province plan of `sections` sections with `per_section` bullets each.
fn tasks(sections: usize, per_section: usize) -> Vec<TaskInput> {
    let mut out = Vec::new();
    for s in 1..=sections {
        out.push(TaskInput {
            number: format!("II.{s}"),
            level: "section".into(),
            title: format!("Nội dung {s}"),
            body: String::new(),
            ..Default::default()
        });
        for b in 1..=per_section {
            out.push(TaskInput {
                number: format!("II.{s}.{b}"),
                level: "bullet".into(),
                title: format!("Nhiệm vụ {s}.{b}"),
                body: String::new(),
                parent_number: Some(format!("II.{s}")),
                ..Default::default()
            });
        }
    }
    out
}

async fn province_plan(
    c: &DatabaseConnection,
    recipients: Vec<i64>,
    sections: usize,
    per_section: usize,
) -> i64 {
    let (_, leader) = user_on(c, "lanhdao.kh", "ORG-BTGDVTU", Role::Leader).await;
    plans::create(
        c,
        &leader,
        &Actor::system(),
        NewPlan {
            title: "Kế hoạch thử".into(),
            year: 2026,
            unit_id: unit_id(c, "ORG-BTGDVTU").await,
            document_id: None,
            method: RollupMethod::Simple,
            tasks: tasks(sections, per_section),
            recipients,
        },
    )
    .await
    .unwrap()
}

async fn derived_plans_roll_up_and_are_scoped(b: Backend) {
    let t = fresh(b).await;
    let c = &t.db.conn;
    let (lb, dl) = (unit_id(c, "06529").await, unit_id(c, "06613").await);
    let plan = province_plan(c, vec![lb, dl], 2, 3).await;
    let province_tasks = plans::tasks_of(c, plan).await.unwrap();
    let bullet = province_tasks
        .iter()
        .find(|t| t.number == "II.1.2")
        .unwrap()
        .id;
    let (_, official) = user_on(c, "canbo.kh", "06529", Role::Specialist).await;
    let actor = Actor::system();
    assert!(matches!(
        plans::derive(c, &official, &actor, plan, dl, &[bullet]).await,
        Err(DbError::Forbidden)
    ));
    assert!(matches!(
        plans::derive(c, &official, &actor, plan, lb, &[]).await,
        Err(DbError::Invalid(_))
    ));
    let derived = plans::derive(c, &official, &actor, plan, lb, &[bullet])
        .await
        .unwrap();
    let own = plans::tasks_of(c, derived).await.unwrap();
    assert_eq!(
        own.iter().map(|t| t.number.as_str()).collect::<Vec<_>>(),
        ["II.1", "II.1.2"],
        "the section comes along"
    );
    let task = own[1].id;
    let err = plans::update_task(
        c,
        &official,
        &actor,
        task,
        TaskUpdate {
            status: Some(TaskStatus::KhongThucHienDuoc),
            progress: Some(0),
            ..Default::default()
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(err, DbError::Invalid(ref m) if m.contains("lý do")));
    plans::update_task(
        c,
        &official,
        &actor,
        task,
        TaskUpdate {
            status: Some(TaskStatus::HoanThanh),
            progress: Some(40),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    let (saved, events) = plans::task(c, task).await.unwrap();
    assert_eq!(saved.progress, 100, "a completed task counts as 100%");
    assert!(events.iter().any(|e| e.text.contains("Hoàn thành")));
    let tree = PlanTree::load(c, plan).await.unwrap();
    let rollups = tree.rollups().unwrap();
    let at = tree.index[&bullet];
    assert_eq!(
        rollups[at].progress,
        Some(100.0),
        "the province task shows the commune's completion"
    );
    let recipients = plans::recipients(c, plan).await.unwrap();
    assert_eq!(recipients.iter().filter(|(_, d)| d.is_some()).count(), 1);
}
both_backends!(cascade, derived_plans_roll_up_and_are_scoped);

async fn mail_claims_are_exclusive(b: Backend) {
    let t = fresh(b).await;
    let c = &t.db.conn;
    for i in 0..3 {
        plans::enqueue_mail(c, &format!("a{i}@example.invalid"), "Đôn đốc", "Nội dung")
            .await
            .unwrap();
    }
    let first = plans::claim_mail(c, "worker-a", 10).await.unwrap();
    let second = plans::claim_mail(c, "worker-b", 10).await.unwrap();
    assert_eq!(first.len(), 3);
    assert!(
        second.is_empty(),
        "a claimed message is not handed to another process"
    );
    plans::mail_result(c, first[0].id, None).await.unwrap();
    plans::mail_result(c, first[1].id, Some("máy chủ thư không trả lời".into()))
        .await
        .unwrap();
    let retry = plans::claim_mail(c, "worker-b", 10).await.unwrap();
    assert_eq!(
        retry.iter().map(|m| m.id).collect::<Vec<_>>(),
        [first[1].id],
        "failed sends are retried, sent ones never"
    );
}
both_backends!(outbox, mail_claims_are_exclusive);

/// The scale named in the issue: a province plan of 60 tasks cascaded to 105 units (≈6,400
/// tasks). Prints how long loading, rolling up and building the matrix take. Run with
/// `cargo test --release -p danvan-db --test db plans_scale -- --ignored --nocapture`.
async fn plans_scale(b: Backend) {
    let t = fresh(b).await;
    let c = &t.db.conn;
    let history = danvan_db::units::History::load(c).await.unwrap();
    // 2024 has enough units for the 105 (65 communes and 40 agencies then are 2026's).
    let today = chrono::NaiveDate::from_ymd_opt(2024, 6, 1).unwrap();
    let units: Vec<i64> = history
        .tree_on(today, None)
        .into_iter()
        .filter(|(u, _)| {
            !matches!(u.kind.as_str(), "province" | "district") && u.code != "ORG-BTGDVTU"
        })
        .map(|(u, _)| u.id)
        .take(105)
        .collect();
    let plan = province_plan(c, units.clone(), 6, 9).await;
    let all: Vec<i64> = plans::tasks_of(c, plan)
        .await
        .unwrap()
        .iter()
        .filter(|t| t.level != "section")
        .map(|t| t.id)
        .collect();
    let (_, admin) = user_on(c, "qt.scale", "20", Role::ProvinceAdmin).await;
    let started = std::time::Instant::now();
    for u in &units {
        plans::derive(c, &admin, &Actor::system(), plan, *u, &all)
            .await
            .unwrap();
    }
    let generated = started.elapsed();
    let mut timings = Vec::new();
    for _ in 0..5 {
        let started = std::time::Instant::now();
        let tree = PlanTree::load(c, plan).await.unwrap();
        let loaded = started.elapsed();
        let rollups = tree.rollups().unwrap();
        let columns: Vec<u32> = tree
            .tasks
            .iter()
            .enumerate()
            .filter(|(_, t)| t.plan_id == plan && t.level == "section")
            .map(|(i, _)| i as u32)
            .collect();
        let m = unit_section_matrix(
            &tree.input,
            &rollups,
            &columns,
            &units,
            &RollupRules::default(),
        );
        assert_eq!(m.units.len(), units.len());
        timings.push((tree.tasks.len(), loaded, started.elapsed()));
    }
    let (n, loaded, total) = timings.iter().min_by_key(|t| t.2).copied().unwrap();
    println!(
        "plans_scale {b:?}: {n} tasks; generated in {:.1} s; best of 5: load {:.1} ms, load+roll-up+matrix {:.1} ms",
        generated.as_secs_f64(),
        loaded.as_secs_f64() * 1000.0,
        total.as_secs_f64() * 1000.0
    );
}

mod plans_scale {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[ignore = "benchmark: run explicitly, in release"]
    async fn sqlite() {
        super::plans_scale(danvan_db::testing::Backend::Sqlite).await;
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[ignore = "benchmark: run explicitly, in release"]
    async fn postgres() {
        super::plans_scale(danvan_db::testing::Backend::Postgres).await;
    }
}

async fn due_tasks_are_reminded_once_a_day(b: Backend) {
    let t = fresh(b).await;
    let c = &t.db.conn;
    let lb = unit_id(c, "06529").await;
    let plan = province_plan(c, vec![lb], 1, 2).await;
    let tasks = plans::tasks_of(c, plan).await.unwrap();
    let (leader_id, leader) = user_on(c, "lanhdao.nhac", "ORG-BTGDVTU", Role::Leader).await;
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    for (task, due) in [(tasks[1].id, "2026-03-10"), (tasks[2].id, "2026-06-01")] {
        plans::update_task(
            c,
            &leader,
            &Actor::system(),
            task,
            TaskUpdate {
                due_on: Some(day(due)),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    }
    assert_eq!(
        plans::remind_due(c, day("2026-03-08"), 3).await.unwrap(),
        1,
        "only the task due within three days"
    );
    assert_eq!(
        plans::remind_due(c, day("2026-03-08"), 3).await.unwrap(),
        0,
        "once a day"
    );
    assert_eq!(
        plans::remind_due(c, day("2026-03-12"), 3).await.unwrap(),
        1,
        "overdue the next days"
    );
    let (_, events) = plans::task(c, tasks[1].id).await.unwrap();
    assert_eq!(events.iter().filter(|e| e.kind == "reminder").count(), 2);
    let inbox = plans::notifications_for(c, leader_id).await.unwrap();
    assert_eq!(inbox.len(), 2, "the plan unit's people are notified");
    assert!(
        inbox
            .iter()
            .any(|n| n.text.contains("đã quá hạn từ 10/03/2026"))
    );
}
both_backends!(due_reminders, due_tasks_are_reminded_once_a_day);
