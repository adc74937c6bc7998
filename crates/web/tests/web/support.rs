//! A running server per test and a signed-in HTTP client.

use danvan_db::testing::{Backend, TestDb, fresh};
use danvan_web::{AppState, WebConfig};
use reqwest::redirect::Policy;
use reqwest::{Client, Response, StatusCode};
use std::net::SocketAddr;

pub const DEMO_PASSWORD: &str = danvan_db::demo::DEMO_PASSWORD;

pub struct TestApp {
    pub base: String,
    pub t: TestDb,
}

/// Starts the application on 127.0.0.1:0 over a fresh database with the demo accounts.
pub async fn spawn(backend: Backend) -> TestApp {
    let t = fresh(backend).await;
    danvan_db::demo::load(&t.db.conn, chrono::Local::now().date_naive())
        .await
        .expect("demo data loads");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr: SocketAddr = listener.local_addr().unwrap();
    let state = AppState::new(t.db.clone(), WebConfig::default());
    tokio::spawn(danvan_web::serve(listener, state, std::future::pending()));
    TestApp {
        base: format!("http://{addr}"),
        t,
    }
}

pub fn client() -> Client {
    Client::builder()
        .cookie_store(true)
        .redirect(Policy::none())
        .build()
        .unwrap()
}

/// Pulls `name="csrf" value="…"` out of a page.
pub fn csrf_in(html: &str) -> String {
    let marker = "name=\"csrf\" value=\"";
    let start = html.find(marker).expect("page has a CSRF field") + marker.len();
    html[start..].split('"').next().unwrap().to_string()
}

/// A signed-in client with its session's CSRF token.
pub struct Session {
    pub http: Client,
    pub csrf: String,
    pub base: String,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn try_login(&self, http: &Client, username: &str, password: &str) -> Response {
        let page = http
            .get(self.url("/login"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let csrf = csrf_in(&page);
        http.post(self.url("/login"))
            .form(&[
                ("username", username),
                ("password", password),
                ("csrf", &csrf),
                ("next", "/"),
            ])
            .send()
            .await
            .unwrap()
    }

    pub async fn login(&self, username: &str) -> Session {
        let http = client();
        let res = self.try_login(&http, username, DEMO_PASSWORD).await;
        assert_eq!(
            res.status(),
            StatusCode::SEE_OTHER,
            "demo login {username} works"
        );
        let me: serde_json::Value = http
            .get(self.url("/api/v1/me"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        Session {
            http,
            csrf: me["csrf_token"].as_str().unwrap().to_string(),
            base: self.base.clone(),
        }
    }

    /// The id of today's unit with this official code.
    pub async fn unit(&self, code: &str) -> i64 {
        danvan_db::demo::unit_by_code(&self.t.db.conn, code, chrono::Local::now().date_naive())
            .await
            .unwrap()
            .id
    }
}

impl Session {
    pub async fn get(&self, path: &str) -> Response {
        self.http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap()
    }

    /// Posts a multipart form with this session's CSRF token, the text `fields` and one file.
    pub async fn post_file(
        &self,
        path: &str,
        fields: &[(&str, &str)],
        (field, file_name, bytes): (&str, &str, Vec<u8>),
    ) -> Response {
        let mut form = reqwest::multipart::Form::new().text("csrf", self.csrf.clone());
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        form = form.part(
            field.to_string(),
            reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_string()),
        );
        self.http
            .post(format!("{}{path}", self.base))
            .multipart(form)
            .send()
            .await
            .unwrap()
    }

    /// Posts a form with this session's CSRF token added.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let mut all: Vec<(&str, &str)> = fields.to_vec();
        all.push(("csrf", &self.csrf));
        self.http
            .post(format!("{}{path}", self.base))
            .form(&all)
            .send()
            .await
            .unwrap()
    }
}

/// The seed plan, read from `../shared` beside the repository.
pub fn seed_bytes() -> Vec<u8> {
    let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/seed/ke-hoach-cong-tac-dan-van-2024-lang-son.txt");
    std::fs::read(path).expect("seed plan in ../shared")
}

/// The number that follows the first `marker` in a page, e.g. the id in `href="/don-thu/42"`.
pub fn id_after(html: &str, marker: &str) -> String {
    let start = html
        .find(marker)
        .unwrap_or_else(|| panic!("“{marker}” is on the page"))
        + marker.len();
    html[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect()
}

/// Runs a Python script (openpyxl, python-docx: the real readers of our exports) with one
/// argument, failing the test with its output when the script fails.
pub fn python(script: &str, arg: &std::path::Path) {
    let out = std::process::Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(arg)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}
