//! The contest with real server processes: no acknowledged submission is lost to `kill -9`, and
//! two servers on one PostgreSQL database run one round without exceeding the attempt limit.

use crate::TempDir;
use crate::serve::{Server, start};
use danvan_db::entities::contest_attempts;
use danvan_db::testing::{Backend, fresh};
use danvan_db::{Db, DbConfig};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

fn round_of(server: &Server) -> i64 {
    server
        .banner
        .lines()
        .find_map(|l| l.strip_prefix("contest round: "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no contest round in: {}", server.banner))
}

async fn register(http: &reqwest::Client, base: &str, i: usize) -> String {
    let res = http
        .post(format!("{base}/api/v1/contestants"))
        .json(&json!({"full_name": "Lý Thị Kiểm", "birth_date": "1980-02-03", "gender": "nu", "phone": format!("0913{i:06}")}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    res.json::<Value>().await.unwrap()["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

async fn start_attempt(
    http: &reqwest::Client,
    base: &str,
    round: i64,
    token: &str,
) -> reqwest::Response {
    http.post(format!("{base}/api/v1/rounds/{round}/attempts"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

fn submit_body(attempt: &Value) -> Value {
    let answers: Vec<Value> = attempt["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| json!({"question_id": q["id"], "option_id": q["options"][0]["id"]}))
        .collect();
    json!({"answers": answers, "prediction": 7})
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn kill_9_loses_no_acknowledged_submission() {
    let dir = TempDir::new("contest-kill");
    let limit = ["--contest-registrations-per-minute", "100000"];
    let mut server = start(&[&["--data", dir.arg(), "--demo"][..], &limit].concat());
    let round = round_of(&server);
    let base = server.base.clone();
    let http = reqwest::Client::new();
    let mut work = Vec::new();
    for i in 0..600 {
        let token = register(&http, &base, i).await;
        let res = start_attempt(&http, &base, round, &token).await;
        assert_eq!(res.status(), 201);
        let attempt: Value = res.json().await.unwrap();
        work.push((
            token,
            attempt["attempt_id"].as_i64().unwrap(),
            submit_body(&attempt),
        ));
    }
    let work = Arc::new(work);
    let acked: Arc<Mutex<Vec<usize>>> = Arc::default();
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let stop = Arc::new(AtomicBool::new(false));
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let (work, acked, next, stop, http, base) = (
            work.clone(),
            acked.clone(),
            next.clone(),
            stop.clone(),
            http.clone(),
            base.clone(),
        );
        tasks.push(tokio::spawn(async move {
            while !stop.load(Ordering::Relaxed) {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((token, id, body)) = work.get(i) else {
                    break;
                };
                let res = http
                    .post(format!("{base}/api/v1/attempts/{id}/submit"))
                    .bearer_auth(token)
                    .json(body)
                    .send()
                    .await;
                if res.is_ok_and(|r| r.status() == 200) {
                    acked.lock().unwrap().push(i);
                }
            }
        }));
    }
    // Kill in the middle of the run, while submissions are in flight.
    while acked.lock().unwrap().len() < 200 {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    server.child.kill().unwrap();
    let _ = server.child.wait();
    stop.store(true, Ordering::Relaxed);
    for t in tasks {
        t.await.unwrap();
    }
    let acked = acked.lock().unwrap().clone();
    assert!(
        acked.len() >= 200 && acked.len() < 600,
        "killed mid-run: {} acknowledged",
        acked.len()
    );

    let again = start(&["--data", dir.arg()]);
    let db = Db::connect(DbConfig::sqlite_in(dir.path())).await.unwrap();
    for &i in &acked {
        let (token, id, body) = &work[i];
        let row = contest_attempts::Entity::find_by_id(*id)
            .one(&db.conn)
            .await
            .unwrap()
            .unwrap();
        assert!(
            row.submitted_at.is_some() && row.correct.is_some(),
            "acknowledged attempt {id} survived"
        );
        let res = http
            .post(format!("{}/api/v1/attempts/{id}/submit", again.base))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status(),
            409,
            "a second submission after the restart is refused"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_postgres_serve_one_round() {
    if std::env::var("DANVAN_TEST_SKIP_PG").is_ok() {
        return;
    }
    let t = fresh(Backend::Postgres).await;
    let url = t.db.config.url.clone();
    let dir = TempDir::new("contest-two");
    let (data_a, data_b) = (dir.path().join("a"), dir.path().join("b"));
    let a = start(&[
        "--database-url",
        &url,
        "--data",
        data_a.to_str().unwrap(),
        "--demo",
    ]);
    let b = start(&["--database-url", &url, "--data", data_b.to_str().unwrap()]);
    let round = round_of(&a);
    let http = reqwest::Client::new();
    for i in 0..10 {
        let token = register(&http, &a.base, i).await;
        // The same contestant starts eight times at once, half on each server: one attempt.
        let mut starts = Vec::new();
        for k in 0..8 {
            let base = if k % 2 == 0 {
                a.base.clone()
            } else {
                b.base.clone()
            };
            let (http, token) = (http.clone(), token.clone());
            starts.push(tokio::spawn(async move {
                let res = start_attempt(&http, &base, round, &token).await;
                let status = res.status().as_u16();
                (status, res.json::<Value>().await.ok())
            }));
        }
        let mut attempt = None;
        for s in starts {
            let (status, body) = s.await.unwrap();
            assert!([200, 201, 409].contains(&status), "status {status}");
            if status != 409 {
                attempt = body;
            }
        }
        let attempt = attempt.expect("someone got the attempt");
        let id = attempt["attempt_id"].as_i64().unwrap();
        let submit = |base: String| {
            http.post(format!("{base}/api/v1/attempts/{id}/submit"))
                .bearer_auth(&token)
                .json(&submit_body(&attempt))
                .send()
        };
        assert_eq!(submit(b.base.clone()).await.unwrap().status(), 200);
        assert_eq!(submit(a.base.clone()).await.unwrap().status(), 409);
    }
    let rows = contest_attempts::Entity::find()
        .filter(contest_attempts::Column::RoundId.eq(round))
        .count(&t.db.conn)
        .await
        .unwrap();
    assert_eq!(rows, 10, "one attempt per contestant across both servers");
}
