//! Plans in the product: the seed becomes a reviewed plan, units derive theirs, progress rolls
//! up, leaders urge, and the exports open in real readers.

use crate::support::{Session, TestApp, python, seed_bytes, spawn};
use danvan_db::both_backends;
use danvan_db::testing::Backend;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};

fn unescape(s: &str) -> String {
    let mut out = String::new();
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let end = after.find(';').unwrap_or(0);
        let entity = &after[1..end.max(1)];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            e if e.starts_with("#x") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) if end > 0 => {
                out.push(c);
                rest = &after[end + 1..];
            }
            _ => {
                out.push('&');
                rest = &after[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn attr(tag: &str, name: &str) -> Option<String> {
    let marker = format!(" {name}=\"");
    let start = tag.find(&marker)? + marker.len();
    Some(unescape(&tag[start..start + tag[start..].find('"')?]))
}

/// The fields a browser would submit from the page's form that posts to `action`.
fn form_fields(html: &str, action: &str) -> Vec<(String, String)> {
    let start = html
        .find(&format!("action=\"{action}\""))
        .expect("form on the page");
    let form = &html[start..start + html[start..].find("</form>").unwrap()];
    let mut fields = Vec::new();
    for piece in form.split("<input").skip(1) {
        let tag = &piece[..piece.find('>').unwrap_or(piece.len())];
        let Some(name) = attr(tag, "name") else {
            continue;
        };
        let kind = attr(tag, "type").unwrap_or_default();
        if kind == "checkbox" && !tag.contains(" checked") {
            continue;
        }
        fields.push((name, attr(tag, "value").unwrap_or_default()));
    }
    for piece in form.split("<select").skip(1) {
        let tag = &piece[..piece.find('>').unwrap()];
        let Some(name) = attr(tag, "name") else {
            continue;
        };
        let options = &piece[..piece.find("</select>").unwrap()];
        let chosen = options
            .split("<option")
            .skip(1)
            .find(|o| o.contains(" selected"))
            .or_else(|| options.split("<option").nth(1));
        if let Some(o) = chosen {
            fields.push((name, attr(&format!(" {o}"), "value").unwrap_or_default()));
        }
    }
    fields
}

/// The provincial board imports the seed and saves the proposed plan as reviewed.
async fn province_plan(app: &TestApp) -> (Session, i64) {
    let s = app.login("lanhdao.bdv").await;
    let unit = app.unit("ORG-BTGDVTU").await;
    let form = Form::new()
        .text("csrf", s.csrf.clone())
        .text("unit_id", unit.to_string())
        .part("file", Part::bytes(seed_bytes()).file_name("ke-hoach.txt"));
    let res = s
        .http
        .post(format!("{}/documents", s.base))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let doc = res.headers()["location"].to_str().unwrap().to_string();
    let review = s.get(&format!("{doc}/plan")).await.text().await.unwrap();
    let fields = form_fields(&review, "/plans");
    let count: usize = fields
        .iter()
        .find(|(k, _)| k == "count")
        .unwrap()
        .1
        .parse()
        .unwrap();
    assert!(
        count >= 37,
        "7 sections and 30 bullets of part II at least: {count}"
    );
    let res = s
        .http
        .post(format!("{}/plans", s.base))
        .form(&fields)
        .send()
        .await
        .unwrap();
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "{}",
        res.text().await.unwrap()
    );
    let plan: i64 = res.headers()["location"]
        .to_str()
        .unwrap()
        .trim_start_matches("/plans/")
        .parse()
        .unwrap();
    (s, plan)
}

fn task_id(html: &str, number: &str) -> i64 {
    let cell = format!("<td>{number}</td>");
    let at = html
        .find(&cell)
        .unwrap_or_else(|| panic!("task {number} on the page"))
        + cell.len();
    let link = &html[at..];
    let start = link.find("/tasks/").unwrap() + "/tasks/".len();
    link[start..]
        .chars()
        .take_while(|c| c.is_ascii_digit())
        .collect::<String>()
        .parse()
        .unwrap()
}

async fn the_seed_becomes_a_plan_that_cascades(b: Backend) {
    let app = spawn(b).await;
    let (leader, plan) = province_plan(&app).await;
    let page = leader
        .get(&format!("/plans/{plan}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Kế hoạch công tác dân vận năm 2024")
            || page.contains("Công tác dân vận năm 2024")
    );
    for number in ["II.1", "II.1.1", "II.7.5", "II.5.4"] {
        task_id(&page, number);
    }
    assert!(
        page.contains("Chủ trì: Cấp ủy đảng") || page.contains("Chủ trì: Các cấp ủy"),
        "proposed units were kept"
    );
    assert!(
        page.contains("chưa có kế hoạch"),
        "expected units that have not planned are listed"
    );

    // Xã Lộc Bình derives its plan from two bullets of section II.1.
    let official = app.login("canbo.locbinh").await;
    let loc_binh = app.unit("06529").await;
    let (t1, t2) = (task_id(&page, "II.1.4"), task_id(&page, "II.1.5"));
    let res = official
        .post_form(
            &format!("/plans/{plan}/derive"),
            &[
                ("unit_id", &loc_binh.to_string()),
                ("task", &t1.to_string()),
                ("task", &t2.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let derived: i64 = res.headers()["location"]
        .to_str()
        .unwrap()
        .trim_start_matches("/plans/")
        .parse()
        .unwrap();
    let dpage = official
        .get(&format!("/plans/{derived}"))
        .await
        .text()
        .await
        .unwrap();
    let own_task = task_id(&dpage, "II.1.4");
    task_id(&dpage, "II.1");
    // Deriving twice is refused with a message.
    let again = official
        .post_form(
            &format!("/plans/{plan}/derive"),
            &[
                ("unit_id", &loc_binh.to_string()),
                ("task", &t1.to_string()),
            ],
        )
        .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);

    // Progress is reported by the commune and rolls up to the province's task.
    let bad = official
        .post_form(
            &format!("/tasks/{own_task}"),
            &[("status", "dang_thuc_hien"), ("progress", "150")],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().await.unwrap().contains("từ 0 đến 100"));
    let no_reason = official
        .post_form(
            &format!("/tasks/{own_task}"),
            &[("status", "khong_thuc_hien_duoc"), ("progress", "0")],
        )
        .await;
    assert_eq!(no_reason.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let ok = official
        .post_form(
            &format!("/tasks/{own_task}"),
            &[
                ("status", "dang_thuc_hien"),
                ("progress", "60"),
                ("comment", "Đã triển khai tới 10 thôn"),
                ("evidence", "/documents/1"),
            ],
        )
        .await;
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    let task_page = official
        .get(&format!("/tasks/{own_task}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        task_page.contains("Tiến độ: 0% → 60%") && task_page.contains("Đã triển khai tới 10 thôn"),
        "history of every change"
    );
    let page = leader
        .get(&format!("/plans/{plan}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("60%"),
        "the province's task shows the commune's progress"
    );
    assert!(
        page.contains("1 đơn vị") || page.contains("đã xây dựng"),
        "cascade summary per task"
    );
    let matrix = leader
        .get(&format!("/plans/{plan}/matrix"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        matrix.contains("Xã Lộc Bình") && matrix.contains("30%"),
        "two chosen tasks at 60% and 0%"
    );

    // Another commune cannot touch Lộc Bình's task.
    let other = app.login("canbo.dinhlap").await;
    let res = other
        .post_form(
            &format!("/tasks/{own_task}"),
            &[("status", "hoan_thanh"), ("progress", "100")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // The leader urges Đình Lập, which has not planned: notified in the app and recorded.
    let dinh_lap = app.unit("06613").await;
    let res = leader
        .post_form(
            &format!("/plans/{plan}/remind"),
            &[
                ("unit_id", &dinh_lap.to_string()),
                ("message", "Đề nghị hoàn thành trước 15/3."),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let inbox = other.get("/plans").await.text().await.unwrap();
    assert!(inbox.contains("Đề nghị hoàn thành trước 15/3."));
    let res = official
        .post_form(
            &format!("/plans/{plan}/remind"),
            &[("unit_id", &dinh_lap.to_string()), ("message", "x")],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::FORBIDDEN,
        "only leaders send formal reminders"
    );
    // 2024 deadlines are past: the due list shows them for the province.
    let due = leader.get("/plans/due").await.text().await.unwrap();
    assert!(due.contains("quá hạn"));
}
both_backends!(cascade, the_seed_becomes_a_plan_that_cascades);

async fn exports_open_in_real_readers(b: Backend) {
    let app = spawn(b).await;
    let (s, plan) = province_plan(&app).await;
    let dir =
        std::env::temp_dir().join(format!("danvan-export-{}-{plan}-{b:?}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let csv = s
        .get(&format!("/plans/{plan}/export.csv"))
        .await
        .bytes()
        .await
        .unwrap();
    assert!(
        csv.starts_with(b"\xEF\xBB\xBF"),
        "CSV for Excel starts with a UTF-8 BOM"
    );
    assert!(String::from_utf8_lossy(&csv).contains("\"II.1.1\""));
    for ext in ["xlsx", "docx"] {
        let bytes = s
            .get(&format!("/plans/{plan}/export.{ext}"))
            .await
            .bytes()
            .await
            .unwrap();
        std::fs::write(dir.join(format!("plan.{ext}")), &bytes).unwrap();
    }
    let script = r#"
import sys, openpyxl, docx
wb = openpyxl.load_workbook(sys.argv[1] + '/plan.xlsx')
ws = wb.active
rows = [[c.value for c in r] for r in ws.iter_rows()]
assert rows[3][:2] == ['Số', 'Nhiệm vụ'], rows[3]
numbers = [r[0] for r in rows[4:]]
assert 'II.1' in numbers and 'II.7.5' in numbers, numbers
d = docx.Document(sys.argv[1] + '/plan.docx')
text = '\n'.join(p.text for p in d.paragraphs)
cells = '\n'.join(c.text for t in d.tables for r in t.rows for c in r.cells)
assert 'KẾ HOẠCH' in text, text[:200]
assert 'ĐẢNG CỘNG SẢN VIỆT NAM' in cells
assert 'Nơi nhận:' in cells and 'Hoàng Văn Nghiệm' in cells, cells
fonts = {r.font.name for p in d.paragraphs for r in p.runs if r.font.name}
styles = d.styles['Normal'].font.name
print('ok', len(numbers), styles, fonts)
"#;
    python(script, &dir);
    let _ = std::fs::remove_dir_all(&dir);
}
both_backends!(exports, exports_open_in_real_readers);
