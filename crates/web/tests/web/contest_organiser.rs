//! The organisers' contest pages over HTTP: the round form's settings and its Vietnamese
//! messages for bad numbers, editing a round by its state (and the running server playing by
//! the new closing time), the bank as .xlsx (our own export round trip and a workbook made by
//! openpyxl), disqualification, and collective prizes with their files read back by openpyxl.

use crate::support::{Session, TestApp, client, id_after, python, spawn};
use chrono::{DateTime, Duration, Utc};
use danvan_db::both_backends;
use danvan_db::testing::Backend;
use reqwest::StatusCode;
use serde_json::{Value, json};

fn vn(at: DateTime<Utc>) -> String {
    (at + Duration::hours(7))
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string()
}

async fn new_contest(app: &TestApp, admin: &Session, title: &str) -> i64 {
    let province = app.unit("20").await.to_string();
    let res = admin
        .post_form("/contests", &[("title", title), ("unit_id", &province)])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    id_after(res.headers()["location"].to_str().unwrap(), "/contests/")
        .parse()
        .unwrap()
}

/// The round form's fields with the defaults a person would leave, and `changes` on top.
fn round_fields<'a>(
    opens: &'a str,
    closes: &'a str,
    changes: &[(&'a str, &'a str)],
) -> Vec<(&'a str, &'a str)> {
    let mut fields = vec![
        ("name", "Tuần thi thử"),
        ("opens_at", opens),
        ("closes_at", closes),
        ("questions_per_attempt", "5"),
        ("time_limit_minutes", "10"),
        ("grace_secs", "3"),
        ("max_attempts", "3"),
        ("cooldown_minutes", "0"),
        ("counting", "best"),
        ("prediction_target", "all_correct_count"),
        ("tie_1", "correct_desc"),
        ("tie_2", "prediction_error_asc"),
        ("tie_3", "duration_asc"),
        ("tie_4", "submitted_at_asc"),
        ("tie_5", ""),
        ("tie_6", ""),
        ("stratify", ""),
        ("on_expiry", "auto_submit"),
        ("prizes", "Giải Nhất: 1\nGiải Nhì: 1"),
        ("min_correct_for_prize", ""),
    ];
    for (k, v) in changes {
        fields.retain(|(f, _)| f != k);
        fields.push((k, v));
    }
    fields
}

fn bank_csv(n: usize) -> String {
    let mut csv =
        String::from("cau_hoi,phuong_an_a,phuong_an_b,phuong_an_c,dap_an,chu_de,do_kho\n");
    for i in 1..=n {
        let topic = if i % 2 == 0 {
            "Lịch sử"
        } else {
            "Pháp luật"
        };
        csv.push_str(&format!(
            "Câu hỏi thử số {i}?,Đúng,Sai,Sai nữa,A,{topic},{}\n",
            i % 3 + 1
        ));
    }
    csv
}

async fn create_round(admin: &Session, contest: i64, fields: &[(&str, &str)]) -> i64 {
    let res = admin
        .post_form(&format!("/contests/{contest}/rounds"), fields)
        .await;
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "{}",
        res.text().await.unwrap()
    );
    id_after(
        res.headers()["location"].to_str().unwrap(),
        "/contests/rounds/",
    )
    .parse()
    .unwrap()
}

async fn import(admin: &Session, round: i64, name: &str, bytes: Vec<u8>) -> (StatusCode, String) {
    let res = admin
        .post_file(
            &format!("/contests/rounds/{round}/questions"),
            &[],
            ("file", name, bytes),
        )
        .await;
    (res.status(), res.text().await.unwrap())
}

async fn register(
    app: &TestApp,
    contest: i64,
    name: &str,
    phone: &str,
    unit: Option<i64>,
) -> String {
    let res = client()
        .post(app.url("/api/v1/contestants"))
        .json(
            &json!({"contest_id": contest, "full_name": name, "birth_date": "1990-04-30",
                      "gender": "nu", "phone": phone, "unit_id": unit}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let body: Value = res.json().await.unwrap();
    body["token"].as_str().unwrap().to_owned()
}

async fn start(app: &TestApp, round: i64, token: &str) -> reqwest::Response {
    client()
        .post(app.url(&format!("/api/v1/rounds/{round}/attempts")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

/// Starts and submits an attempt answering each question's first shown option.
async fn play(app: &TestApp, round: i64, token: &str) {
    let res = start(app, round, token).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let attempt: Value = res.json().await.unwrap();
    let answers: Vec<Value> = attempt["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| json!({"question_id": q["id"], "option_id": q["options"][0]["id"]}))
        .collect();
    let res = client()
        .post(app.url(&format!(
            "/api/v1/attempts/{}/submit",
            attempt["attempt_id"]
        )))
        .bearer_auth(token)
        .json(&json!({"answers": answers, "prediction": 1}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

async fn wait_until(at: DateTime<Utc>) {
    while Utc::now() < at {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}

async fn round_settings_and_edits(b: Backend) {
    let app = spawn(b).await;
    let admin = app.login("admin").await;
    let contest = new_contest(&app, &admin, "Tìm hiểu Dân vận khéo (sửa vòng thi)").await;
    let path = format!("/contests/{contest}/rounds");

    // Bad numbers and lines: a Vietnamese message naming the field, never the framework's text.
    let (later, much_later) = ("2099-05-06T16:00:00", "2099-05-13T15:00:00");
    let bad_inputs = [
        (
            "questions_per_attempt",
            "mười",
            "Số câu hỏi mỗi lượt thi: “mười”",
        ),
        ("time_limit_minutes", "-5", "Thời gian làm bài (phút): “-5”"),
        ("max_attempts", "7.5", "Số lượt thi tối đa: “7.5”"),
        (
            "min_correct_for_prize",
            "nhiều",
            "Số câu đúng tối thiểu để xét giải: “nhiều”",
        ),
        ("stratify", "Lịch sử 5", "dòng cơ cấu đề “Lịch sử 5”"),
        (
            "prizes",
            "Giải Nhất: một",
            "Dòng “Giải Nhất: một”: số lượng phải là số nguyên",
        ),
        ("tie_1", "hack", "Tiêu chí xếp hạng “hack” không có"),
        ("tie_2", "correct_desc", "tiêu chí xếp hạng bị lặp lại"),
    ];
    for (field, value, message) in bad_inputs {
        let res = admin
            .post_form(&path, &round_fields(later, much_later, &[(field, value)]))
            .await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        let page = res.text().await.unwrap();
        assert!(page.contains(message), "{field}: {message} not in the page");
        assert!(!page.contains("Failed to deserialize"), "{field}");
    }

    // Every setting goes in and comes back in the edit form.
    let round = create_round(
        &admin,
        contest,
        &round_fields(
            later,
            much_later,
            &[
                ("questions_per_attempt", "4"),
                ("tie_1", "correct_desc"),
                ("tie_2", "duration_asc"),
                ("tie_3", "started_at_asc"),
                ("tie_4", "perfect_attempts_desc"),
                ("stratify", "Lịch sử, 2: 3\n*: 1"),
                ("min_correct_for_prize", "4"),
                ("on_expiry", "abandon"),
            ],
        ),
    )
    .await;
    let round_path = format!("/contests/rounds/{round}");
    let page = admin.get(&round_path).await.text().await.unwrap();
    assert!(
        page.contains("Thời điểm bắt đầu làm bài (sớm hơn xếp trên)"),
        "tie-break shown"
    );
    assert!(
        page.contains(">Lịch sử, 2: 3\n*: 1</textarea>"),
        "strata pre-filled"
    );
    assert!(
        page.contains("<option value=\"abandon\" selected>"),
        "expiry pre-filled"
    );
    assert!(
        page.contains("value=\"2099-05-06T16:00:00\""),
        "opening pre-filled"
    );
    assert!(
        page.contains("id=\"canh-bao-ngan-hang\""),
        "an empty bank is flagged before the opening"
    );
    // Before the opening everything may change.
    let res = admin
        .post_form(
            &format!("{round_path}/settings"),
            &round_fields(
                later,
                much_later,
                &[
                    ("questions_per_attempt", "5"),
                    ("stratify", ""),
                    ("max_attempts", ""),
                ],
            ),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (status, _) = import(&admin, round, "bank.csv", bank_csv(8).into_bytes()).await;
    assert_eq!(status, StatusCode::OK);
    let page = admin.get(&round_path).await.text().await.unwrap();
    assert!(
        page.contains("5 câu hỏi mỗi lượt") && page.contains("không giới hạn"),
        "saved"
    );
    assert!(
        !page.contains("id=\"canh-bao-ngan-hang\""),
        "the bank now suffices"
    );

    // A round that opens in a moment and closes a few seconds later.
    let opens = Utc::now() + Duration::seconds(3);
    let closes = opens + Duration::seconds(3);
    let (o, c) = (vn(opens), vn(closes));
    let short = create_round(&admin, contest, &round_fields(&o, &c, &[])).await;
    let (status, _) = import(&admin, short, "bank.csv", bank_csv(8).into_bytes()).await;
    assert_eq!(status, StatusCode::OK);
    let token = register(&app, contest, "Lăng Thị Sửa", "0912600001", None).await;
    wait_until(closes + Duration::seconds(1)).await;
    let res = start(&app, short, &token).await;
    assert_eq!(res.status(), StatusCode::CONFLICT, "closed");
    let short_path = format!("/contests/rounds/{short}");
    let page = admin.get(&short_path).await.text().await.unwrap();
    assert!(
        page.contains("chỉ sửa được tên, lùi thời gian đóng"),
        "open-round form explains"
    );
    assert!(
        !page.contains("id=\"questions_per_attempt\""),
        "locked fields are not offered"
    );

    // Open (closed, not frozen): fairness-changing edits are refused with what was refused.
    let res = admin
        .post_form(
            &format!("{short_path}/settings"),
            &round_fields(
                &o,
                &c,
                &[
                    ("questions_per_attempt", "6"),
                    ("tie_2", "duration_asc"),
                    ("tie_3", ""),
                ],
            ),
        )
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let text = res.text().await.unwrap();
    assert!(
        text.contains("không thể thay đổi số câu hỏi mỗi lượt, thứ tự xếp hạng"),
        "{text}"
    );
    let a_minute_ago = vn(Utc::now() - Duration::minutes(1));
    let res = admin
        .post_form(
            &format!("{short_path}/settings"),
            &[
                ("name", "Tuần thi thử"),
                ("closes_at", &a_minute_ago),
                ("prizes", "Giải Nhất: 1"),
            ],
        )
        .await;
    assert_ne!(res.status(), StatusCode::SEE_OTHER, "no close in the past");
    // A later close through the open-round form: the running server lets the start through.
    let later_close = vn(Utc::now() + Duration::hours(1));
    let res = admin
        .post_form(
            &format!("{short_path}/settings"),
            &[
                ("name", "Tuần thi thử (gia hạn)"),
                ("closes_at", &later_close),
                ("prizes", "Giải Nhất: 2"),
                ("min_correct_for_prize", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        start(&app, short, &token).await.status(),
        StatusCode::CREATED
    );
    let page = admin.get(&short_path).await.text().await.unwrap();
    assert!(page.contains("Tuần thi thử (gia hạn)") && page.contains("Giải Nhất (2)"));
}
both_backends!(round_edit_pages, round_settings_and_edits);

async fn bank_as_xlsx(b: Backend) {
    let app = spawn(b).await;
    let demo = danvan_db::demo::load_contest(&app.t.db.conn, Utc::now())
        .await
        .unwrap();
    let admin = app.login("admin").await;
    let contest = new_contest(&app, &admin, "Tìm hiểu Dân vận khéo (ngân hàng Excel)").await;
    let fields = round_fields("2099-05-06T16:00:00", "2099-05-13T15:00:00", &[]);
    let round = create_round(&admin, contest, &fields).await;

    // Our own workbook export, imported into another round, gives the same bank.
    let exported = admin
        .get(&format!("/contests/rounds/{demo}/questions.xlsx"))
        .await;
    let workbook = exported.bytes().await.unwrap().to_vec();
    let (status, page) = import(&admin, round, "ngan-hang.xlsx", workbook).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let csv = |r: i64| {
        let admin = &admin;
        async move {
            admin
                .get(&format!("/contests/rounds/{r}/questions.csv"))
                .await
                .text()
                .await
                .unwrap()
        }
    };
    let (original, copy) = (csv(demo).await, csv(round).await);
    assert!(original.lines().count() > 200);
    assert_eq!(copy, original, "the .xlsx round trip keeps every question");

    // A workbook made by another writer (openpyxl): shared strings, numbers, a gap, a bad row.
    // The SQLite and PostgreSQL runs of this test share the process and the round ids.
    let dir = std::env::temp_dir().join(format!(
        "danvan-openpyxl-{}-{b:?}-{round}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bank.xlsx");
    let script = r#"
import sys, openpyxl
wb = openpyxl.Workbook()
ws = wb.active
ws.title = 'Câu hỏi'
ws.append(['STT', 'Câu hỏi', 'Phương án A', 'Phương án B', 'Phương án C', 'Phương án D', 'Đáp án', 'Chủ đề', 'Độ khó'])
ws.append([1, 'Ngày truyền thống công tác dân vận là ngày nào?', '15/10', '2/9', '19/5', None, 'A', 'Lịch sử', 2])
ws.append([2, 'Câu thiếu đáp án?', 'Một', 'Hai', 'Ba', None, None, None, None])
ws['B5'] = 'Năm 1949 Bác Hồ viết bài nào?'
ws['C5'] = 'Dân vận'; ws['D5'] = 'Sửa đổi lối làm việc'; ws['E5'] = 'Đời sống mới'; ws['G5'] = 'a'
ws['I5'] = 1
wb.create_sheet('Khác')['A1'] = 'không đọc'
wb.save(sys.argv[1])
"#;
    python(script, &file);
    let bytes = std::fs::read(&file).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let other = create_round(&admin, contest, &fields).await;
    let (status, page) = import(&admin, other, "tu-openpyxl.xlsx", bytes).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Đã thêm 2 câu hỏi; 1 dòng bị từ chối"),
        "{page}"
    );
    assert!(
        page.contains("Dòng 3: thiếu đáp án"),
        "row numbers as Excel shows them"
    );
    let csv_other = csv(other).await;
    assert!(
        csv_other.contains(
            "Năm 1949 Bác Hồ viết bài nào?,Dân vận,Sửa đổi lối làm việc,Đời sống mới,,A,,1"
        ),
        "{csv_other}"
    );

    // Broken and oversized files: a clear message, nothing added.
    let (status, page) = import(
        &admin,
        other,
        "hong.xlsx",
        b"PK\x03\x04 not really a zip".to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("Tệp .xlsx bị hỏng hoặc không đầy đủ"),
        "corrupt workbook"
    );
    let (status, page) = import(&admin, other, "latin1.csv", vec![b'c', 0xE2, b'u']).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("CSV mã hóa UTF-8"));
    let (status, page) = import(&admin, other, "lon.csv", vec![b'a'; 5 * 1024 * 1024 + 1]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("tối đa 5 MB"));
    assert_eq!(csv(other).await, csv_other);
}
both_backends!(bank_xlsx_pages, bank_as_xlsx);

async fn disqualification_and_collective_prizes(b: Backend) {
    let app = spawn(b).await;
    let admin = app.login("admin").await;
    let contest = new_contest(&app, &admin, "Tìm hiểu Dân vận khéo (giải tập thể)").await;
    let opens = Utc::now() + Duration::seconds(2);
    let closes = opens + Duration::seconds(5);
    let (o, c) = (vn(opens), vn(closes));
    let fields = round_fields(&o, &c, &[("prizes", "Giải Nhất: 1\nGiải Nhì: 2")]);
    let round = create_round(&admin, contest, &fields).await;
    let (status, _) = import(&admin, round, "bank.csv", bank_csv(8).into_bytes()).await;
    assert_eq!(status, StatusCode::OK);
    let (loc_binh, dinh_lap) = (app.unit("06529").await, app.unit("06613").await);
    wait_until(opens).await;
    let players = [
        ("Hoàng Văn Thi Hộ", "0912700001", Some(loc_binh)),
        ("Vi Thị Lộc", "0912700002", Some(loc_binh)),
        ("Nông Văn Lập", "0912700003", Some(dinh_lap)),
    ];
    for (name, phone, unit) in players {
        let token = register(&app, contest, name, phone, unit).await;
        play(&app, round, &token).await;
    }
    // The same person again: flagged for review, with the action beside it.
    register(&app, contest, "Nông Văn Lập", "0912700003", Some(dinh_lap)).await;
    let contest_path = format!("/contests/{contest}");
    let page = admin.get(&contest_path).await.text().await.unwrap();
    let flagged = &page[page.find("id=\"dang-ky-xem-xet\"").unwrap()..];
    assert!(
        flagged[..flagged.find("</table>").unwrap()].contains("Truất quyền"),
        "flagged rows can be disqualified"
    );

    // Find by phone, disqualify with a reason (required), reinstate, disqualify again.
    let page = admin
        .get(&format!("{contest_path}?tim=0912+700+001"))
        .await
        .text()
        .await
        .unwrap();
    let found = &page[page.find("id=\"ket-qua-tim\"").unwrap()..];
    assert!(
        found.contains("Hoàng Văn Thi Hộ")
            && !found[..found.find("</table>").unwrap()].contains("Vi Thị Lộc")
    );
    let cheat = id_after(found, &format!("/contests/{contest}/contestants/"));
    let dq_path = format!("{contest_path}/contestants/{cheat}/disqualify");
    let res = admin.post_form(&dq_path, &[("reason", " ")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Vui lòng ghi lý do truất quyền")
    );
    assert_eq!(
        admin
            .post_form(&dq_path, &[("reason", "Thi hộ")])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let res = admin
        .post_form(
            &format!("{contest_path}/contestants/{cheat}/reinstate"),
            &[],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        admin
            .post_form(&dq_path, &[("reason", "Thi hộ người khác")])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let page = admin.get(&contest_path).await.text().await.unwrap();
    let list = &page[page.find("id=\"da-truat-quyen\"").unwrap()..];
    assert!(list.contains("Hoàng Văn Thi Hộ") && list.contains("Thi hộ người khác"));

    // Headcounts: by code or name, unknown units reported by row; bad settings refused in words.
    let res = admin
        .post_file(
            &format!("{contest_path}/headcounts"),
            &[("lines", "06529, 10\nXã Không Có, 5")],
            ("file", "", Vec::new()),
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("Dòng 2: không tìm thấy đơn vị “Xã Không Có”"),
        "row errors shown"
    );
    assert!(page.contains("Xã Lộc Bình: 10"));
    let res = admin
        .post_form(
            &format!("{contest_path}/collective"),
            &[
                ("formula", "participation_rate"),
                ("prizes", "ba"),
                ("prize_points", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("Số giải tập thể: “ba”"));
    let page = admin.get(&contest_path).await.text().await.unwrap();
    assert!(page.contains("bảng xếp hạng tập thể có sau khi chốt"));

    // After the freeze: the disqualified contestant is not ranked, and the collective ranking
    // (participation rate by default) lists the unit with a headcount.
    wait_until(closes + Duration::seconds(1)).await;
    let res = admin
        .post_form(&format!("/contests/rounds/{round}/freeze"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = admin
        .get(&format!("/contests/rounds/{round}"))
        .await
        .text()
        .await
        .unwrap();
    let results = &page[page.find("id=\"ket-qua\"").unwrap()..];
    assert!(!results.contains("Hoàng Văn Thi Hộ") && results.contains("Vi Thị Lộc"));
    let res = admin
        .post_form(
            &format!("{contest_path}/contestants/{cheat}/reinstate"),
            &[],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::CONFLICT,
        "frozen results do not change"
    );
    let page = admin.get(&contest_path).await.text().await.unwrap();
    let table = &page[page.find("id=\"xep-hang-tap-the\"").unwrap()..];
    let table = &table[..table.find("</table>").unwrap()];
    assert!(
        table.contains("Xã Lộc Bình") && table.contains("10,00 %"),
        "{table}"
    );
    assert!(
        page.contains("tỷ lệ % người dự thi trên tổng số người của đơn vị"),
        "formula explained"
    );
    let missing = &page[page.find("id=\"thieu-so-nguoi\"").unwrap()..];
    assert!(missing[..missing.find("</p>").unwrap()].contains("Xã Đình Lập"));

    // Another formula, then the files: CSV with a BOM, XLSX read back by openpyxl.
    let res = admin
        .post_form(
            &format!("{contest_path}/collective"),
            &[
                ("formula", "participants"),
                ("prizes", "1"),
                ("prize_points", "Giải Nhất: 10"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let csv = admin
        .get(&format!("{contest_path}/tap-the.csv"))
        .await
        .bytes()
        .await
        .unwrap();
    assert!(
        csv.starts_with(b"\xEF\xBB\xBF"),
        "CSV for Excel starts with a UTF-8 BOM"
    );
    let csv = String::from_utf8_lossy(&csv).to_string();
    let rows: Vec<&str> = csv.lines().collect();
    assert!(rows[0].contains("Hạng,Đơn vị"), "{csv}");
    assert!(
        rows[1].starts_with("1,Xã Lộc Bình,10,1,") && rows[1].ends_with("Đạt giải"),
        "{csv}"
    );
    assert!(rows[2].starts_with("2,Xã Đình Lập,,1,"), "{csv}");
    let xlsx = admin
        .get(&format!("{contest_path}/tap-the.xlsx"))
        .await
        .bytes()
        .await
        .unwrap();
    let dir = std::env::temp_dir().join(format!(
        "danvan-collective-{}-{b:?}-{contest}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("tap-the.xlsx"), &xlsx).unwrap();
    let script = r#"
import sys, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
rows = [[c.value for c in r] for r in ws.iter_rows()]
assert rows[0][0] == 'Nhiều người dự thi nhất', rows[0]
assert rows[1][0].startswith('Điểm = '), rows[1]
assert rows[4][:2] == ['Hạng', 'Đơn vị'], rows[4]
assert rows[5][:4] == [1, 'Xã Lộc Bình', '10', 1], rows[5]
assert rows[5][8] == 'Đạt giải', rows[5]
assert rows[6][1] == 'Xã Đình Lập', rows[6]
print('ok')
"#;
    python(script, &dir.join("tap-the.xlsx"));
    let _ = std::fs::remove_dir_all(&dir);
}
both_backends!(collective_pages, disqualification_and_collective_prizes);

/// Công bố kết quả: nothing public before the organisers publish, then the winners by name and
/// unit with the round's figures, never a phone number; only organisers may publish.
async fn publishing_results(b: Backend) {
    let app = spawn(b).await;
    let admin = app.login("admin").await;
    let contest = new_contest(&app, &admin, "Cuộc thi công bố kết quả").await;
    let opens = Utc::now() + Duration::seconds(3);
    let closes = opens + Duration::seconds(4);
    let (o, c) = (vn(opens), vn(closes));
    let round = create_round(&admin, contest, &round_fields(&o, &c, &[])).await;
    let (status, _) = import(&admin, round, "bank.csv", bank_csv(12).into_bytes()).await;
    assert_eq!(status, StatusCode::OK);
    wait_until(opens).await;
    let unit = app.unit("20").await;
    let token = register(&app, contest, "Hoàng Thị Công Bố", "0915666777", Some(unit)).await;
    play(&app, round, &token).await;

    let public = client();
    let before = public
        .get(app.url(&format!("/thi/{round}/ket-qua")))
        .send()
        .await
        .unwrap();
    assert_eq!(before.status(), StatusCode::OK);
    let page = before.text().await.unwrap();
    assert!(page.contains("chưa được Ban Tổ chức công bố"), "{page}");
    assert!(!page.contains("Hoàng Thị Công Bố"));

    wait_until(closes).await;
    let early = admin
        .post_form(&format!("/contests/rounds/{round}/announce"), &[])
        .await;
    assert_eq!(
        early.status(),
        StatusCode::CONFLICT,
        "not before the freeze"
    );
    let res = admin
        .post_form(&format!("/contests/rounds/{round}/freeze"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let commune_official = app.login("canbo.locbinh").await;
    let res = commune_official
        .post_form(&format!("/contests/rounds/{round}/announce"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND, "outside their scope");
    let res = admin
        .post_form(&format!("/contests/rounds/{round}/announce"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let round_page = admin
        .get(&format!("/contests/rounds/{round}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(round_page.contains("Đã công bố lúc"), "{round_page}");
    let again = admin
        .post_form(&format!("/contests/rounds/{round}/announce"), &[])
        .await;
    assert_eq!(again.status(), StatusCode::CONFLICT);

    let page = public
        .get(app.url(&format!("/thi/{round}/ket-qua")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Hoàng Thị Công Bố"), "{page}");
    assert!(page.contains("Giải Nhất"));
    assert!(page.contains("<td>Tỉnh Lạng Sơn</td>"), "the winner's unit");
    assert!(
        page.contains("<li>Tỉnh Lạng Sơn: 1 người</li>"),
        "top units"
    );
    assert!(page.contains("<strong>1</strong> người dự thi"), "{page}");
    assert!(!page.contains("0915666777"), "no phone number in public");
    assert!(!page.contains("1990"), "no birth date in public");
    let missing = public
        .get(app.url("/thi/999999/ket-qua"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}
both_backends!(publication, publishing_results);
