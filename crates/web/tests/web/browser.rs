//! Headless Chromium drives the real pages: sign in, walk the unit tree through time, open a
//! unit, and check the layout on a phone-sized screen.

use crate::support::{DEMO_PASSWORD, spawn};
use danvan_db::both_backends;
use danvan_db::testing::Backend;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::json;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A chromedriver process on a free port, ended when dropped.
struct Driver {
    child: Child,
    url: String,
    profile: std::path::PathBuf,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn start_driver() -> Driver {
    let binary = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "chromedriver".into());
    let port = free_port();
    let child = Command::new(&binary)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            panic!("chromedriver ({binary}) must be installed for browser tests: {e}")
        });
    let url = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(20);
    while Instant::now() < deadline {
        if reqwest::get(format!("{url}/status")).await.is_ok() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let profile =
        std::env::temp_dir().join(format!("danvan-chromium-{}-{port}", std::process::id()));
    Driver {
        child,
        url,
        profile,
    }
}

async fn browser(driver: &Driver) -> Client {
    let binary = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        json!({
            "binary": binary,
            "args": [
                "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,900",
                format!("--user-data-dir={}", driver.profile.display()),
            ]
        }),
    );
    ClientBuilder::new(HttpConnector::new())
        .capabilities(caps)
        .connect(&driver.url)
        .await
        .expect("a Chromium session starts")
}

/// Fills and sends the sign-in form the browser is on, as the demo account `user`.
async fn fill_sign_in(c: &Client, user: &str) -> Result<(), fantoccini::error::CmdError> {
    c.find(Locator::Id("username"))
        .await?
        .send_keys(user)
        .await?;
    c.find(Locator::Id("password"))
        .await?
        .send_keys(DEMO_PASSWORD)
        .await?;
    c.find(Locator::Css("form button[type=submit]"))
        .await?
        .click()
        .await
}

/// Runs a journey in a fresh Chromium against a fresh server on `b`, closing the browser even
/// when the journey fails. `DANVAN_SKIP_BROWSER=1` skips it on machines without Chromium.
async fn in_chromium(
    b: Backend,
    journey: impl AsyncFnOnce(&Client, &str) -> Result<(), fantoccini::error::CmdError>,
) {
    if std::env::var("DANVAN_SKIP_BROWSER").is_ok() {
        eprintln!("skipped: DANVAN_SKIP_BROWSER is set");
        return;
    }
    let app = spawn(b).await;
    let driver = start_driver().await;
    let c = browser(&driver).await;
    let result = journey(&c, &app.base).await;
    let _ = c.close().await;
    result.unwrap();
}

/// Waits until the element's text contains `needle` (htmx swaps happen asynchronously). The
/// deadline is generous: with every test running at once on two cores a page can take seconds.
async fn wait_text(c: &Client, css: &str, needle: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let text = match c.find(Locator::Css(css)).await {
            Ok(el) => el.text().await.ok(),
            Err(_) => None,
        };
        if let Some(text) = text {
            if text.contains(needle) {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "“{css}” shows “{text}”, never “{needle}”"
            );
        }
        if Instant::now() >= deadline {
            let page = match c.find(Locator::Css("body")).await {
                Ok(body) => body.text().await.unwrap_or_default(),
                Err(_) => String::new(),
            };
            panic!("“{css}” never appeared; the page shows: {page}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Fails when the page is wider than the window (sideways scrolling on a phone).
async fn assert_fits(c: &Client, what: &str) -> Result<(), fantoccini::error::CmdError> {
    let overflow = c
        .execute(
            "return document.documentElement.scrollWidth - window.innerWidth;",
            vec![],
        )
        .await?;
    assert!(
        overflow.as_i64().unwrap_or(1) <= 0,
        "{what} wider than the window: {overflow} px"
    );
    Ok(())
}

async fn sign_in_and_walk_the_unit_tree(b: Backend) {
    in_chromium(b, walk).await;
}
both_backends!(walk_tree, sign_in_and_walk_the_unit_tree);

async fn walk(c: &Client, base: &str) -> Result<(), fantoccini::error::CmdError> {
    c.goto(&format!("{base}/units")).await?;
    // Signed out: the page sends us to the sign-in form, which brings us back afterwards.
    assert!(
        c.current_url()
            .await?
            .as_str()
            .contains("/login?next=/units")
    );
    fill_sign_in(c, "lanhdao.bdv").await?;
    wait_text(c, "h1", "Tổ chức, đơn vị").await;

    // Back to 1 June 2024: htmx swaps the list in place with the 2024 communes.
    c.execute(
        "const d = document.getElementById('at'); d.value = '2024-06-01'; d.dispatchEvent(new Event('change', {bubbles: true}));",
        vec![],
    )
    .await?;
    wait_text(c, "#so-don-vi", "tại ngày 2024-06-01").await;
    c.execute(
        "const k = document.getElementById('kind'); k.value = 'commune'; k.dispatchEvent(new Event('change', {bubbles: true}));",
        vec![],
    )
    .await?;
    wait_text(c, "#so-don-vi", "200 đơn vị").await;
    c.find(Locator::LinkText("Xã Khánh Xuân"))
        .await?
        .click()
        .await?;
    wait_text(c, "h1", "Xã Khánh Xuân").await;
    let history = wait_text(
        c,
        "#lich-su + div, section[aria-labelledby=lich-su]",
        "Hợp nhất",
    )
    .await;
    assert!(history.contains("Xã Lộc Bình"), "{history}");
    // Follow the line of succession to today's commune.
    c.find(Locator::Css(".msg.warn a")).await?.click().await?;
    wait_text(c, "h1", "Xã Lộc Bình").await;

    // Keyboard users get a skip link first; a phone-sized screen needs no sideways scrolling.
    let first_focus = c
        .execute("return document.querySelector('a').className;", vec![])
        .await?;
    assert_eq!(first_focus, json!("skip"));
    c.set_window_size(360, 740).await?;
    c.goto(&format!("{base}/units?at=2024-06-01")).await?;
    assert_fits(c, "units page").await?;
    if let Ok(png) = c.screenshot().await {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
        let _ = std::fs::create_dir_all(&dir);
        let _ = std::fs::write(dir.join("units-phone.png"), png);
    }
    Ok(())
}

/// A leader uploads the seed in the browser, searches it, turns it into a plan on the review
/// screen and opens the matrix.
async fn seed_to_plan_in_the_browser(b: Backend) {
    in_chromium(b, seed_to_plan).await;
}
both_backends!(seed_to_plan_ui, seed_to_plan_in_the_browser);

async fn seed_to_plan(c: &Client, base: &str) -> Result<(), fantoccini::error::CmdError> {
    c.goto(&format!("{base}/login")).await?;
    fill_sign_in(c, "lanhdao.bdv").await?;
    wait_text(c, "h1", "Chào đồng chí").await;
    c.goto(&format!("{base}/documents")).await?;
    c.find(Locator::Css("details.card summary"))
        .await?
        .click()
        .await?;
    let seed = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/seed/ke-hoach-cong-tac-dan-van-2024-lang-son.txt")
        .canonicalize()
        .expect("seed plan in ../shared");
    c.find(Locator::Id("file"))
        .await?
        .send_keys(seed.to_str().unwrap())
        .await?;
    c.find(Locator::Css("form[enctype] button[type=submit]"))
        .await?
        .click()
        .await?;
    wait_text(c, "h1", "Công tác dân vận năm 2024").await;
    // Search without diacritics finds it, with the match highlighted.
    c.goto(&format!("{base}/documents?q=dan+van+kheo")).await?;
    let results = wait_text(c, "main", "1 văn bản phù hợp").await;
    assert!(results.contains("Công tác dân vận năm 2024"));
    assert!(c.find(Locator::Css("ul.results mark")).await.is_ok());
    c.find(Locator::Css("ul.results a")).await?.click().await?;
    wait_text(c, "h1", "Công tác dân vận năm 2024").await;
    c.find(Locator::LinkText("Tạo kế hoạch từ văn bản này"))
        .await?
        .click()
        .await?;
    wait_text(c, "h1", "Tạo kế hoạch từ văn bản").await;
    c.find(Locator::Css("form[action='/plans'] button[type=submit]"))
        .await?
        .click()
        .await?;
    let plan = wait_text(c, "main", "Tiến độ chung").await;
    assert!(
        plan.contains("II.7.5") && plan.contains("chưa có kế hoạch"),
        "{plan}"
    );
    c.find(Locator::LinkText("Ma trận đơn vị × nội dung"))
        .await?
        .click()
        .await?;
    wait_text(c, "h1", "Ma trận").await;
    Ok(())
}

/// A citizen sends a petition from the public form, a commune officer accepts and answers it,
/// and the citizen reads the answer with the tracking code, all in Chromium.
async fn a_petition_from_form_to_answer_in_the_browser(b: Backend) {
    in_chromium(b, petition_flow).await;
}
both_backends!(
    petition_flow_browser,
    a_petition_from_form_to_answer_in_the_browser
);

async fn petition_flow(c: &Client, base: &str) -> Result<(), fantoccini::error::CmdError> {
    c.goto(&format!("{base}/gui-don")).await?;
    wait_text(c, "h1", "Gửi phản ánh").await;
    c.execute(
        "document.getElementById('kind').value = 'kien_nghi';
         document.getElementById('topic').value = 'ha_tang';
         const s = document.getElementById('place_unit_id');
         for (const o of s.options) { if (o.text === 'Xã Lộc Bình') { s.value = o.value; } }",
        vec![],
    )
    .await?;
    c.find(Locator::Id("title"))
        .await?
        .send_keys("Đề nghị lắp đèn đường <b>thôn Nà Mò</b>")
        .await?;
    c.find(Locator::Id("body"))
        .await?
        .send_keys("Đoạn đường từ trường học về thôn không có đèn, học sinh đi tối rất nguy hiểm.")
        .await?;
    c.find(Locator::Css("form.card button[type=submit]"))
        .await?
        .click()
        .await?;
    let code = wait_text(c, "#ma-tra-cuu", "-").await.trim().to_string();
    assert_eq!(code.len(), 19, "{code}");

    c.goto(&format!("{base}/login?next=/don-thu")).await?;
    fill_sign_in(c, "canbo.locbinh").await?;
    wait_text(c, "h1", "Đơn thư, tiếp dân").await;
    c.find(Locator::XPath("//a[contains(., 'Đề nghị lắp đèn đường')]"))
        .await?
        .click()
        .await?;
    // The markup the citizen typed shows as text, not as bold.
    let title = wait_text(c, "h1", "Đề nghị lắp đèn đường").await;
    assert!(title.contains("<b>"), "{title}");
    c.find(Locator::Id("thu-ly")).await?.click().await?;
    wait_text(c, "#trang-thai", "Đã thụ lý").await;
    c.find(Locator::Id("answer"))
        .await?
        .send_keys("UBND xã đã đưa vào kế hoạch lắp 12 đèn, hoàn thành trong tháng 4.")
        .await?;
    c.find(Locator::Id("tra-loi")).await?.click().await?;
    wait_text(c, "#trang-thai", "Đã giải quyết").await;

    // The citizen, signed out, reads the answer.
    c.delete_all_cookies().await?;
    c.set_window_size(360, 740).await?;
    c.goto(&format!("{base}/tra-cuu")).await?;
    c.find(Locator::Id("ma")).await?.send_keys(&code).await?;
    c.find(Locator::Css("form[role=search] button"))
        .await?
        .click()
        .await?;
    wait_text(c, "#tinh-trang", "Đã giải quyết").await;
    wait_text(c, "#tra-loi", "lắp 12 đèn").await;
    assert_fits(c, "lookup page").await?;
    Ok(())
}

/// A round from start to finish in Chromium: the organiser creates it, imports the bank from an
/// Excel workbook and edits the round before it opens, a contestant registers on the public
/// page, answers with autosave and submits, and after the close the organiser freezes the
/// results and downloads the winners list.
async fn contest_round_from_registration_to_exported_results(b: Backend) {
    in_chromium(b, run_contest).await;
}
both_backends!(
    contest_journey,
    contest_round_from_registration_to_exported_results
);

/// The bank as a workbook with shared strings: eight good rows, one without an answer.
fn bank_workbook() -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let header = [
        "Câu hỏi",
        "Phương án A",
        "Phương án B",
        "Phương án C",
        "Đáp án",
    ];
    for (col, h) in (0u16..).zip(header) {
        sheet.write_string(0, col, h).unwrap();
    }
    for row in 1..=9u32 {
        let answer = if row == 9 { "" } else { "A" };
        let cells = [
            &format!("Câu hỏi thử số {row}?"),
            "Đúng",
            "Sai",
            "Sai nữa",
            answer,
        ];
        for (col, text) in (0u16..).zip(cells) {
            sheet.write_string(row, col, text).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

fn vn(at: chrono::DateTime<chrono::Utc>) -> String {
    (at + chrono::Duration::hours(7))
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string()
}

async fn set_value(c: &Client, id: &str, value: &str) -> Result<(), fantoccini::error::CmdError> {
    c.execute(
        "document.getElementById(arguments[0]).value = arguments[1];",
        vec![json!(id), json!(value)],
    )
    .await?;
    Ok(())
}

async fn run_contest(c: &Client, base: &str) -> Result<(), fantoccini::error::CmdError> {
    c.goto(&format!("{base}/login?next=/contests")).await?;
    fill_sign_in(c, "admin").await?;
    wait_text(c, "h1", "Cuộc thi trắc nghiệm").await;
    c.find(Locator::Id("title"))
        .await?
        .send_keys("Tìm hiểu Dân vận khéo")
        .await?;
    c.find(Locator::Css("form.stack button[type=submit]"))
        .await?
        .click()
        .await?;
    wait_text(c, "h1", "Tìm hiểu Dân vận khéo").await;
    let contest_url = c.current_url().await?.to_string();

    // The round opens in 60 s and closes 40 s later, to the second, in Việt Nam time. The
    // organiser's steps before the opening take 10–25 s when every test runs at once on two
    // cores; an import after the opening is refused, which is not what this journey tests.
    let opens = chrono::Utc::now() + chrono::Duration::seconds(60);
    let closes = opens + chrono::Duration::seconds(40);
    c.find(Locator::Id("name"))
        .await?
        .send_keys("Tuần thi thử")
        .await?;
    set_value(c, "opens_at", &vn(opens)).await?;
    set_value(c, "closes_at", &vn(closes)).await?;
    set_value(c, "questions_per_attempt", "5").await?;
    set_value(c, "prizes", "Giải Nhất: 1").await?;
    c.find(Locator::Css("form[action$='/rounds'] button"))
        .await?
        .click()
        .await?;
    wait_text(c, "h1", "Tuần thi thử").await;
    let round_url = c.current_url().await?.to_string();

    // Named by the server's port: the SQLite and PostgreSQL journeys run at once in this
    // process and have the same round ids, and one deleting the other's file made its upload
    // fail now and then.
    let port = base.rsplit(':').next().unwrap();
    let file = std::env::temp_dir().join(format!(
        "danvan-bank-{}-{port}-{}.xlsx",
        std::process::id(),
        round_url.rsplit('/').next().unwrap()
    ));
    std::fs::write(&file, bank_workbook()).unwrap();
    c.find(Locator::Id("file"))
        .await?
        .send_keys(&file.display().to_string())
        .await?;
    c.find(Locator::Css("form[enctype] button"))
        .await?
        .click()
        .await?;
    wait_text(c, "#loi-nhap", "Dòng 10").await;
    wait_text(c, "main", "Đã thêm 8 câu hỏi").await;
    let _ = std::fs::remove_file(&file);

    // Before the opening the organiser edits the round: a new name and 4 questions, not 5.
    c.find(Locator::Css("#sua-vong-thi summary"))
        .await?
        .click()
        .await?;
    let name = c.find(Locator::Css("#sua-vong-thi #name")).await?;
    name.clear().await?;
    name.send_keys("Tuần thi thử (đã sửa)").await?;
    set_value(c, "questions_per_attempt", "4").await?;
    c.find(Locator::Css("#sua-vong-thi button[type=submit]"))
        .await?
        .click()
        .await?;
    wait_text(c, "h1", "Tuần thi thử (đã sửa)").await;
    wait_text(c, "main", "4 câu hỏi mỗi lượt").await;
    let round_id = round_url.rsplit('/').next().unwrap().to_owned();

    // The contestant's side, on a phone-sized window.
    c.set_window_size(390, 844).await?;
    while chrono::Utc::now() < opens {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    c.goto(&format!("{base}/thi/{round_id}")).await?;
    c.find(Locator::Id("full_name"))
        .await?
        .send_keys("Hoàng Thị Thi")
        .await?;
    set_value(c, "birth_date", "1992-09-02").await?;
    set_value(c, "gender", "nu").await?;
    c.find(Locator::Id("phone"))
        .await?
        .send_keys("0912 345 678")
        .await?;
    c.find(Locator::Id("dang-ky")).await?.click().await?;
    wait_text(c, "main", "Xin chào Hoàng Thị Thi").await;
    c.find(Locator::Id("bat-dau")).await?.click().await?;
    wait_text(c, "h1", "Bài thi").await;
    let options = c.find_all(Locator::Css("fieldset")).await?;
    assert_eq!(options.len(), 4);
    for fieldset in options {
        fieldset
            .find(Locator::Css("input[type=radio]"))
            .await?
            .click()
            .await?;
    }
    wait_text(c, "#trang-thai", "Đã lưu").await;
    // A reload keeps the saved answers (resume).
    c.refresh().await?;
    let checked = c
        .find_all(Locator::Css("input[type=radio]:checked"))
        .await?;
    assert_eq!(checked.len(), 4, "autosaved answers survive a reload");
    c.find(Locator::Id("prediction"))
        .await?
        .send_keys("1")
        .await?;
    c.find(Locator::Id("nop-bai")).await?.click().await?;
    wait_text(c, "#ket-qua", "Kết quả bài thi").await;
    let result = c.find(Locator::Css("#ket-qua")).await?.text().await?;
    assert!(result.contains("/4 câu"), "{result}");
    let html = c.source().await?;
    assert!(!html.contains("correct"), "no answer key on the page");

    // After the close the organiser freezes the round and downloads the winners.
    c.set_window_size(1280, 900).await?;
    while chrono::Utc::now() < closes {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    c.goto(&round_url).await?;
    c.find(Locator::Id("chot-ket-qua")).await?.click().await?;
    wait_text(c, "#ket-qua", "Kết quả đã chốt").await;
    let table = c.find(Locator::Css("#ket-qua table")).await?.text().await?;
    assert!(
        table.contains("Hoàng Thị Thi") && table.contains("Giải Nhất"),
        "{table}"
    );
    let csv = c
        .execute_async(
            "const done = arguments[0]; fetch(document.getElementById('tai-danh-sach').href).then(r => r.text()).then(done);",
            vec![],
        )
        .await?;
    let csv = csv.as_str().unwrap_or_default().to_owned();
    assert!(
        csv.contains("Hoàng Thị Thi") && csv.contains("Giải Nhất") && csv.contains("0912345678"),
        "{csv}"
    );

    // The organiser's pages work on a phone: no sideways scrolling at 360 px.
    c.set_window_size(360, 740).await?;
    for page in [round_url, contest_url] {
        c.goto(&page).await?;
        assert_fits(c, &page).await?;
    }
    Ok(())
}
