//! `danvan loadtest`: our own bounded load generator for the contest, so anyone can rerun the
//! figures in docs/PERFORMANCE.md without installing wrk or oha.
//!
//! - `http`: registers N contestants, then starts one attempt each, then submits each attempt,
//!   with a fixed number of requests in flight; prints throughput and p50/p99/max per phase and
//!   the server's memory when given its pid. Loopback only is the intended use.
//! - `close`: generates a closed round of many attempts in the database and times the freeze
//!   (reads, ranking, prizes, statistics, writes).

use crate::cli::{LoadtestCommand, LoadtestHttp};
use anyhow::{Context, bail};
use serde_json::{Value, json};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub async fn run(command: LoadtestCommand) -> anyhow::Result<()> {
    match command {
        LoadtestCommand::Http(args) => http(args).await,
        LoadtestCommand::Close {
            data,
            attempts,
            people,
            again,
        } => close(&data, attempts, people, again).await,
    }
}

/// Attempt id and the answers this contestant will send.
type StartedAttempt = (i64, Vec<(i64, i64)>);

struct Phase {
    name: &'static str,
    latencies_us: Vec<u32>,
    failures: Vec<(u16, String)>,
    elapsed: Duration,
}

impl Phase {
    fn report(&mut self) {
        self.latencies_us.sort_unstable();
        let n = self.latencies_us.len();
        let pct = |p: f64| {
            if n == 0 {
                0.0
            } else {
                f64::from(self.latencies_us[((n as f64 * p) as usize).min(n - 1)]) / 1000.0
            }
        };
        println!(
            "{:<8} ok={:<7} failed={:<5} {:>8.0} req/s  p50={:.1} ms  p99={:.1} ms  max={:.1} ms  ({:.2} s)",
            self.name,
            n,
            self.failures.len(),
            n as f64 / self.elapsed.as_secs_f64(),
            pct(0.50),
            pct(0.99),
            pct(1.0),
            self.elapsed.as_secs_f64()
        );
        if let Some((status, body)) = self.failures.first() {
            println!("         first failure: {status} {body}");
        }
    }
}

/// Runs `job(i)` for i in 0..n with `concurrency` in flight, timing each call.
async fn phase<F, Fut>(name: &'static str, n: usize, concurrency: usize, job: F) -> Phase
where
    F: Fn(usize) -> Fut + Send + Sync + 'static,
    Fut: std::future::Future<Output = Result<(), (u16, String)>> + Send,
{
    let job = Arc::new(job);
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut workers = Vec::new();
    for _ in 0..concurrency.min(n).max(1) {
        let (job, next) = (job.clone(), next.clone());
        workers.push(tokio::spawn(async move {
            let mut lat = Vec::new();
            let mut failed = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= n {
                    break;
                }
                let t = Instant::now();
                match job(i).await {
                    Ok(()) => lat.push(u32::try_from(t.elapsed().as_micros()).unwrap_or(u32::MAX)),
                    Err(e) => failed.push(e),
                }
            }
            (lat, failed)
        }));
    }
    let mut p = Phase {
        name,
        latencies_us: Vec::with_capacity(n),
        failures: Vec::new(),
        elapsed: Duration::ZERO,
    };
    for w in workers {
        if let Ok((lat, failed)) = w.await {
            p.latencies_us.extend(lat);
            p.failures.extend(failed);
        }
    }
    p.elapsed = started.elapsed();
    p
}

fn rss(pid: Option<u32>) {
    let Some(pid) = pid else { return };
    if let Ok(status) = std::fs::read_to_string(format!("/proc/{pid}/status")) {
        let pick = |k: &str| {
            status
                .lines()
                .find(|l| l.starts_with(k))
                .map(|l| l.split_whitespace().nth(1).unwrap_or("0").to_owned())
                .unwrap_or_default()
        };
        println!(
            "server memory: VmRSS={} kB, VmHWM (peak)={} kB",
            pick("VmRSS:"),
            pick("VmHWM:")
        );
    }
}

async fn check(
    res: reqwest::Result<reqwest::Response>,
    want: &[u16],
) -> Result<Value, (u16, String)> {
    let res = res.map_err(|e| (0, e.to_string()))?;
    let status = res.status().as_u16();
    let text = res.text().await.map_err(|e| (status, e.to_string()))?;
    if !want.contains(&status) {
        return Err((status, text.chars().take(200).collect()));
    }
    Ok(serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn http(args: LoadtestHttp) -> anyhow::Result<()> {
    let base = args.url.trim_end_matches('/').to_owned();
    let local = base.starts_with("http://127.") || base.starts_with("http://localhost");
    if !local && !args.allow_remote {
        bail!("chỉ chạy thử tải trên máy này (127.0.0.1); dùng --allow-remote nếu thật sự cần");
    }
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(args.concurrency)
        .timeout(Duration::from_secs(60))
        .build()?;
    let n = args.contestants;
    println!(
        "{} contestants, {} requests in flight, round {} at {base}",
        n, args.concurrency, args.round
    );
    let tokens: Arc<Vec<std::sync::OnceLock<String>>> =
        Arc::new((0..n).map(|_| std::sync::OnceLock::new()).collect());
    let run_id = (std::process::id() % 100) as usize;
    let (c, t, b) = (client.clone(), tokens.clone(), base.clone());
    let mut reg = phase("register", n, args.concurrency, move |i| {
        let (c, t, b) = (c.clone(), t.clone(), b.clone());
        async move {
            let body = json!({
                "full_name": "Nguyễn Thị Thử",
                "birth_date": "1990-01-01",
                "gender": "nu",
                "phone": format!("09{:08}", (run_id * 1_000_000 + i) % 100_000_000),
            });
            let v = check(
                c.post(format!("{b}/api/v1/contestants"))
                    .json(&body)
                    .send()
                    .await,
                &[201],
            )
            .await?;
            let token = v["token"].as_str().unwrap_or_default().to_owned();
            let _ = t[i].set(token);
            Ok(())
        }
    })
    .await;
    reg.report();
    let attempts: Arc<Vec<std::sync::OnceLock<StartedAttempt>>> =
        Arc::new((0..n).map(|_| std::sync::OnceLock::new()).collect());
    let (c, t, b, a, round) = (
        client.clone(),
        tokens.clone(),
        base.clone(),
        attempts.clone(),
        args.round,
    );
    let mut start = phase("start", n, args.concurrency, move |i| {
        let (c, t, b, a) = (c.clone(), t.clone(), b.clone(), a.clone());
        async move {
            let token = t[i].get().ok_or((0, "not registered".to_owned()))?;
            let v = check(
                c.post(format!("{b}/api/v1/rounds/{round}/attempts"))
                    .bearer_auth(token)
                    .send()
                    .await,
                &[200, 201],
            )
            .await?;
            let answers = v["questions"]
                .as_array()
                .map(|qs| {
                    qs.iter()
                        .enumerate()
                        .map(|(k, q)| {
                            let opts = q["options"].as_array().map_or(0, Vec::len).max(1);
                            (
                                q["id"].as_i64().unwrap_or(0),
                                q["options"][(i + k) % opts]["id"].as_i64().unwrap_or(0),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            let _ = a[i].set((v["attempt_id"].as_i64().unwrap_or(0), answers));
            Ok(())
        }
    })
    .await;
    start.report();
    rss(args.server_pid);
    if args.autosaves > 0 {
        let (c, t, b, a) = (
            client.clone(),
            tokens.clone(),
            base.clone(),
            attempts.clone(),
        );
        let k = args.autosaves;
        let mut save = phase("autosave", n * k, args.concurrency, move |j| {
            let (c, t, b, a) = (c.clone(), t.clone(), b.clone(), a.clone());
            async move {
                let i = j % n;
                let token = t[i].get().ok_or((0, "not registered".to_owned()))?;
                let (id, answers) = a[i].get().ok_or((0, "not started".to_owned()))?;
                let upto = (j / n + 1).min(answers.len());
                let body: Vec<Value> = answers[..upto]
                    .iter()
                    .map(|(q, o)| json!({"question_id": q, "option_id": o}))
                    .collect();
                check(
                    c.put(format!("{b}/api/v1/attempts/{id}/answers"))
                        .bearer_auth(token)
                        .json(&json!({"answers": body}))
                        .send()
                        .await,
                    &[204],
                )
                .await?;
                Ok(())
            }
        })
        .await;
        save.report();
    }
    let acks: Arc<std::sync::Mutex<Vec<i64>>> = Arc::default();
    let (c, t, b, a, ack) = (
        client.clone(),
        tokens.clone(),
        base.clone(),
        attempts.clone(),
        acks.clone(),
    );
    let mut submit = phase("submit", n, args.concurrency, move |i| {
        let (c, t, b, a, ack) = (c.clone(), t.clone(), b.clone(), a.clone(), ack.clone());
        async move {
            let token = t[i].get().ok_or((0, "not registered".to_owned()))?;
            let (id, answers) = a[i].get().ok_or((0, "not started".to_owned()))?;
            let body: Vec<Value> = answers
                .iter()
                .map(|(q, o)| json!({"question_id": q, "option_id": o}))
                .collect();
            check(
                c.post(format!("{b}/api/v1/attempts/{id}/submit"))
                    .bearer_auth(token)
                    .json(&json!({"answers": body, "prediction": i % 1000}))
                    .send()
                    .await,
                &[200],
            )
            .await?;
            if let Ok(mut v) = ack.lock() {
                v.push(*id);
            }
            Ok(())
        }
    })
    .await;
    submit.report();
    rss(args.server_pid);
    if let Some(path) = args.acks {
        let v = acks.lock().map(|v| v.clone()).unwrap_or_default();
        let text: String = v.iter().map(|id| format!("{id}\n")).collect();
        std::fs::write(&path, text)
            .with_context(|| format!("không ghi được {}", path.display()))?;
    }
    Ok(())
}

async fn close(
    data: &crate::cli::DataArgs,
    attempts: usize,
    people: Option<usize>,
    again: Option<i64>,
) -> anyhow::Result<()> {
    use danvan_db::authz::Scope;
    use danvan_db::entities::{units, users};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    // The freeze logs its phases (read, rank, statistics) at info level.
    let _ = tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::new(
            "info,sqlx=warn,sea_orm=warn",
        ))
        .try_init();
    let db = super::open(data).await?;
    let now = chrono::Utc::now();
    danvan_db::demo::load(&db.conn, now.date_naive()).await?;
    let admin = users::Entity::find()
        .filter(users::Column::Username.eq("admin"))
        .one(&db.conn)
        .await?
        .context("thiếu tài khoản admin của dữ liệu thử")?;
    let scope = Scope::load(&db.conn, admin.id).await?;
    let province = danvan_db::demo::unit_by_code(&db.conn, "20", now.date_naive()).await?;
    let communes: Vec<i64> = units::Entity::find()
        .filter(units::Column::Kind.eq("commune"))
        .all(&db.conn)
        .await?
        .into_iter()
        .map(|u| u.id)
        .collect();
    let round = if let Some(round) = again {
        danvan_db::contest::bench::clear_results(&db.conn, round).await?;
        println!("round {round}: results cleared, closing again");
        round
    } else {
        let people = people.unwrap_or(attempts / 2).max(1);
        let t = Instant::now();
        let round = danvan_db::contest::bench::generate_round(
            &db.conn,
            &scope,
            province.id,
            &communes,
            people,
            attempts,
            now,
        )
        .await?;
        println!(
            "generated round {round}: {people} contestants, {attempts} submitted attempts in {:.1} s",
            t.elapsed().as_secs_f64()
        );
        round
    };
    let actor = danvan_db::Actor::system();
    let t = Instant::now();
    let summary =
        danvan_db::contest::admin::freeze_round(&db.conn, None, &scope, &actor, round, now).await?;
    println!(
        "close (read attempts and contestants, rank, prizes, statistics, write results): {:.2} s",
        t.elapsed().as_secs_f64()
    );
    println!(
        "participants {} · attempts {} · all correct {} · prize winners {}",
        summary.stats.participants,
        summary.stats.attempts,
        summary.stats.all_correct,
        summary.prize_winners
    );
    Ok(())
}
