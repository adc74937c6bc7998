//! Whole processes: first start on an empty folder, backup of a live database, and two server
//! processes on one PostgreSQL database acting as one system.

use crate::{TempDir, danvan, run, stderr, stdout};
use danvan_db::testing::{Backend, fresh};
use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};

/// A `danvan serve` process on a free port; killed when dropped.
pub struct Server {
    pub child: Child,
    pub base: String,
    pub banner: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn start(args: &[&str]) -> Server {
    let mut child = danvan()
        .arg("serve")
        .args(["--addr", "127.0.0.1:0"])
        .args(args)
        .env_remove("DATABASE_URL")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut reader = BufReader::new(child.stdout.take().unwrap());
    let mut banner = String::new();
    let mut base = None;
    // The server prints its URL, then the demo logins when asked for them.
    for _ in 0..12 {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            break;
        }
        banner.push_str(&line);
        if let Some(rest) = line.split("http://").nth(1) {
            base = Some(format!("http://{}", rest.split('/').next().unwrap()));
        }
        if base.is_some() && (line.contains("cán bộ xã Đình Lập") || !args.contains(&"--demo"))
        {
            break;
        }
    }
    std::thread::spawn(move || for _ in reader.lines() {});
    Server {
        child,
        base: base.unwrap_or_else(|| panic!("server did not start: {banner}")),
        banner,
    }
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

async fn sign_in(http: &reqwest::Client, base: &str, user: &str) {
    let page = http
        .get(format!("{base}/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let marker = "name=\"csrf\" value=\"";
    let at = page.find(marker).unwrap() + marker.len();
    let csrf = page[at..].split('"').next().unwrap();
    let res = http
        .post(format!("{base}/login"))
        .form(&[
            ("username", user),
            ("password", danvan_db::demo::DEMO_PASSWORD),
            ("csrf", csrf),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303, "sign-in on {base}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn first_start_creates_the_database_and_prints_the_logins() {
    let dir = TempDir::new("first");
    let data = dir.path().join("moi");
    let server = start(&["--data", data.to_str().unwrap(), "--demo"]);
    assert!(
        data.join("danvan.db").exists(),
        "the SQLite file is created on first start"
    );
    assert!(
        server
            .banner
            .contains("danvan đang chạy tại http://127.0.0.1:")
    );
    assert!(
        server.banner.contains("admin") && server.banner.contains(danvan_db::demo::DEMO_PASSWORD)
    );
    let ready = reqwest::get(format!("{}/readyz", server.base))
        .await
        .unwrap();
    assert_eq!(ready.status(), 200);
    let http = client();
    sign_in(&http, &server.base, "admin").await;
    let home = http
        .get(format!("{}/", server.base))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("Quản trị tỉnh"));

    // A backup taken while the server runs is a complete, usable database.
    let copy_dir = dir.path().join("sao-luu");
    std::fs::create_dir_all(&copy_dir).unwrap();
    let copy = copy_dir.join("danvan.db");
    let o = run(&[
        "backup",
        "--data",
        data.to_str().unwrap(),
        "--out",
        copy.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = run(&[
        "units",
        "list",
        "--at",
        "2024-06-01",
        "--kind",
        "commune",
        "--json",
        "--data",
        copy_dir.to_str().unwrap(),
    ]);
    assert_eq!(
        serde_json::from_str::<Vec<serde_json::Value>>(&stdout(&o))
            .unwrap()
            .len(),
        200
    );
    let o = run(&[
        "backup",
        "--data",
        data.to_str().unwrap(),
        "--out",
        copy.to_str().unwrap(),
    ]);
    assert!(!o.status.success() && stderr(&o).contains("đã tồn tại"));
}

/// Signs in without a cookie jar and returns the session cookie, to present it anywhere.
async fn session_cookie(base: &str, user: &str) -> String {
    let http = client();
    let res = http.get(format!("{base}/login")).send().await.unwrap();
    let login_cookie = res.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let page = res.text().await.unwrap();
    let marker = "name=\"csrf\" value=\"";
    let at = page.find(marker).unwrap() + marker.len();
    let csrf = page[at..].split('"').next().unwrap().to_string();
    let plain = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let res = plain
        .post(format!("{base}/login"))
        .header("cookie", login_cookie)
        .form(&[
            ("username", user),
            ("password", danvan_db::demo::DEMO_PASSWORD),
            ("csrf", csrf.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    res.headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().split(';').next().unwrap().to_string())
        .find(|c| c.starts_with("danvan_session="))
        .unwrap()
}

async fn failed_login(http: &reqwest::Client, base: &str, password: &str) -> u16 {
    let page = http
        .get(format!("{base}/login"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let marker = "name=\"csrf\" value=\"";
    let at = page.find(marker).unwrap() + marker.len();
    let csrf = page[at..].split('"').next().unwrap().to_string();
    http.post(format!("{base}/login"))
        .form(&[
            ("username", "admin"),
            ("password", password),
            ("csrf", csrf.as_str()),
        ])
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_on_one_postgres_database_are_one_system() {
    if std::env::var("DANVAN_TEST_SKIP_PG").is_ok() {
        return;
    }
    let t = fresh(Backend::Postgres).await;
    let url = t.db.config.url.clone();
    let dir = TempDir::new("two-servers");
    let (data_a, data_b) = (dir.path().join("a"), dir.path().join("b"));
    let a = start(&[
        "--database-url",
        &url,
        "--data",
        data_a.to_str().unwrap(),
        "--demo",
    ]);
    let b = start(&["--database-url", &url, "--data", data_b.to_str().unwrap()]);
    // A session made by process A is honoured by process B: sessions live in the database.
    let cookie = session_cookie(&a.base, "canbo.locbinh").await;
    let plain = reqwest::Client::new();
    let page = plain
        .get(format!("{}/", b.base))
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 200);
    assert!(
        page.text().await.unwrap().contains("Xã Lộc Bình"),
        "process B knows the session"
    );
    // Login throttling counts across processes too: five failures spread over both lock the account.
    let other = client();
    for server in [&a, &b, &a, &b, &a] {
        assert_eq!(
            failed_login(&other, &server.base, "sai-mat-khau-x").await,
            401
        );
    }
    assert_eq!(
        failed_login(&other, &b.base, danvan_db::demo::DEMO_PASSWORD).await,
        429
    );
}
