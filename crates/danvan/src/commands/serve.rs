//! `danvan serve`.

use crate::cli::ServeArgs;
use crate::config;
use anyhow::Context;
use danvan_web::{AppState, WebConfig};
use std::time::Instant;
use tracing_subscriber::EnvFilter;

pub async fn run(args: ServeArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    init_logging(args.log_json);
    let resolved = config::resolve(&args.data)?;
    let addr = args
        .addr
        .clone()
        .or_else(|| resolved.file.addr.clone())
        .unwrap_or_else(|| "127.0.0.1:8080".to_string());
    let web = WebConfig {
        secure_cookies: resolved.file.secure_cookies.unwrap_or(false),
        trust_proxy: resolved.file.trust_proxy.unwrap_or(false),
        contest_registrations_per_minute: args
            .contest_registrations_per_minute
            .or(resolved.file.contest_registrations_per_minute),
    };
    let db = super::open_with(resolved.db).await?;
    let index_dir = resolved.data_dir.join("index");
    let search = match danvan_search::SearchIndex::open_or_create(&index_dir) {
        Ok(index) => index,
        // Another process already indexes into this folder (several servers started with the
        // same --data): keep this process's index in memory; it catches up from the database.
        Err(danvan_search::SearchError::Locked) => {
            tracing::warn!(dir = %index_dir.display(), "search index folder in use by another process; using an in-memory index");
            danvan_search::SearchIndex::in_memory()?
        }
        Err(e) => {
            return Err(e).with_context(|| {
                format!("không mở được chỉ mục tìm kiếm {}", index_dir.display())
            });
        }
    };
    let demo = if args.demo {
        let logins = danvan_db::demo::load(&db.conn, chrono::Local::now().date_naive()).await?;
        let round = danvan_db::demo::load_contest(&db.conn, chrono::Utc::now()).await?;
        Some((logins, round))
    } else {
        None
    };
    if danvan_db::accounts::count_users(&db.conn).await? == 0 {
        println!(
            "Chưa có tài khoản nào. Tạo quản trị viên: danvan user create --username admin --full-name \"…\" --unit 20 --role province_admin"
        );
    }
    let listener = tokio::net::TcpListener::bind(&addr)
        .await
        .with_context(|| format!("không mở được cổng {addr}"))?;
    let local = listener.local_addr()?;
    spawn_housekeeping(db.clone());
    spawn_mail_sender(db.clone());
    println!(
        "danvan đang chạy tại http://{local}/ ({})",
        super::describe(&db)
    );
    if let Some((logins, round)) = demo {
        println!("contest round: {round}");
        println!(
            "Tài khoản thử (mật khẩu chung: {}):",
            danvan_db::demo::DEMO_PASSWORD
        );
        for l in logins {
            println!("  {:<16} {}", l.username, l.description);
        }
    }
    tracing::info!(addr = %local, startup_ms = started.elapsed().as_millis() as u64, "server started");
    let key = danvan_db::identity::IdentityKey::load_or_create(&resolved.data_dir)
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let state = AppState::with_search(db, web, search)
        .with_identity_key(key)
        .with_files_dir(resolved.data_dir.join("attachments"));
    let warm = state.clone();
    // Catch the index up in the background so the first search does not wait for it.
    tokio::spawn(async move { danvan_web::documents::catch_up(&warm).await });
    danvan_web::serve(listener, state, shutdown_signal()).await?;
    tracing::info!("server stopped");
    Ok(())
}

fn init_logging(json: bool) {
    let filter = EnvFilter::try_from_env("DANVAN_LOG")
        .unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

/// Hourly jobs, safe in several processes at once: due reminders are marked once a day in the
/// database, and deleting expired sessions is idempotent.
fn spawn_housekeeping(db: danvan_db::Db) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
        loop {
            tick.tick().await;
            let today = chrono::Local::now().date_naive();
            match danvan_db::plans::remind_due(&db.conn, today, 3).await {
                Ok(n) if n > 0 => tracing::info!(tasks = n, "due reminders sent"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "due reminders failed"),
            }
            match danvan_db::sessions::purge_expired(&db.conn).await {
                Ok(n) if n > 0 => tracing::info!(removed = n, "expired sessions purged"),
                Ok(_) => {}
                Err(e) => tracing::warn!(error = %e, "session purge failed"),
            }
        }
    });
}

/// Sends the mail outbox. Only the log transport exists so far: each message is written to the
/// log (recipient and subject, not the body) and marked sent. Claims make it safe to run in
/// every server process at once.
fn spawn_mail_sender(db: danvan_db::Db) {
    let worker = format!("serve-{}", std::process::id());
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(std::time::Duration::from_secs(30));
        loop {
            tick.tick().await;
            let batch = match danvan_db::plans::claim_mail(&db.conn, &worker, 50).await {
                Ok(batch) => batch,
                Err(e) => {
                    tracing::warn!(error = %e, "mail outbox unavailable");
                    continue;
                }
            };
            for m in batch {
                tracing::info!(to = %m.to_addr, subject = %m.subject, transport = "log", "mail sent");
                if let Err(e) = danvan_db::plans::mail_result(&db.conn, m.id, None).await {
                    tracing::warn!(error = %e, "could not mark mail as sent");
                }
            }
        }
    });
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        if let Ok(mut s) = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
        {
            s.recv().await;
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
}
