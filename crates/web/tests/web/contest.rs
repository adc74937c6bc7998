//! The contest over HTTP: the public JSON API contract, rate limits, and the organisers'
//! pages with CSRF, scope and row-level import errors.

use crate::support::{TestApp, client, spawn};
use danvan_db::both_backends;
use danvan_db::testing::Backend;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn demo_round(app: &TestApp) -> i64 {
    danvan_db::demo::load_contest(&app.t.db.conn, chrono::Utc::now())
        .await
        .unwrap()
}

async fn register(app: &TestApp, name: &str, phone: &str) -> (i64, String) {
    let res = client()
        .post(app.url("/api/v1/contestants"))
        .json(&json!({"full_name": name, "birth_date": "1985-03-02", "gender": "nam", "phone": phone}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let body: Value = res.json().await.unwrap();
    (
        body["contestant_id"].as_i64().unwrap(),
        body["token"].as_str().unwrap().to_owned(),
    )
}

async fn api_contract(b: Backend) {
    let app = spawn(b).await;
    let round = demo_round(&app).await;
    let http = client();

    // Bad input: 422 with the field and a Vietnamese message, never a 500.
    let res = http
        .post(app.url("/api/v1/contestants"))
        .json(&json!({"full_name": "A", "birth_date": "02/03/1985", "gender": "nam", "phone": "0912345678"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["fields"][0]["field"], "birth_date");
    let res = http
        .post(app.url("/api/v1/contestants"))
        .body("{not json")
        .header("content-type", "application/json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);

    let (_, token) = register(&app, "Hoàng Văn Thụ", "0912345678").await;
    let start = |token: Option<String>| {
        let mut req = http.post(app.url(&format!("/api/v1/rounds/{round}/attempts")));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        req.send()
    };
    assert_eq!(
        start(None).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        start(Some("sai".into())).await.unwrap().status(),
        StatusCode::UNAUTHORIZED
    );
    let res = start(Some(token.clone())).await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let text = res.text().await.unwrap();
    assert!(!text.contains("correct"), "no answer key before close");
    let attempt: Value = serde_json::from_str(&text).unwrap();
    let attempt_id = attempt["attempt_id"].as_i64().unwrap();
    assert!(attempt["expires_at"].is_string());
    let questions = attempt["questions"].as_array().unwrap();
    assert_eq!(questions.len(), 20);
    assert!(questions.iter().all(
        |q| q["text"].is_string() && (3..=4).contains(&q["options"].as_array().unwrap().len())
    ));

    // A refresh resumes the same attempt.
    let res = start(Some(token.clone())).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let again: Value = res.json().await.unwrap();
    assert_eq!(again["attempt_id"].as_i64(), Some(attempt_id));

    let answers: Vec<Value> = questions
        .iter()
        .map(|q| json!({"question_id": q["id"], "option_id": q["options"][0]["id"]}))
        .collect();
    for _ in 0..2 {
        let res = http
            .put(app.url(&format!("/api/v1/attempts/{attempt_id}/answers")))
            .bearer_auth(&token)
            .json(&json!({"answers": answers[..5]}))
            .send()
            .await
            .unwrap();
        assert_eq!(
            res.status(),
            StatusCode::NO_CONTENT,
            "autosave is idempotent"
        );
    }
    let submit = || {
        http.post(app.url(&format!("/api/v1/attempts/{attempt_id}/submit")))
            .bearer_auth(&token)
            .json(&json!({"answers": answers, "prediction": 1200}))
            .send()
    };
    let res = submit().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let result: Value = res.json().await.unwrap();
    assert_eq!(result["total"], 20);
    let correct = result["correct"].as_i64().unwrap();
    assert!((0..=20).contains(&correct));
    assert!(result["duration_ms"].as_i64().unwrap() >= 0);
    let res = submit().await.unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let body: Value = res.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("đã được nộp"));

    // Another contestant cannot see or submit this attempt.
    let (_, other) = register(&app, "Lương Văn Tri", "0987000111").await;
    let res = http
        .post(app.url(&format!("/api/v1/attempts/{attempt_id}/submit")))
        .bearer_auth(&other)
        .json(&json!({"answers": [], "prediction": null}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);

    // The live leaderboard lists the submitted attempt.
    let board: Value = http
        .get(app.url(&format!("/api/v1/rounds/{round}/leaderboard")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(board["rows"][0]["full_name"], "Hoàng Văn Thụ");
    assert_eq!(board["rows"][0]["correct"].as_i64(), Some(correct));
}
both_backends!(api, api_contract);

async fn registration_is_rate_limited_per_address(b: Backend) {
    let app = spawn(b).await;
    demo_round(&app).await;
    let mut statuses = Vec::new();
    for i in 0..22 {
        let res = client()
            .post(app.url("/api/v1/contestants"))
            .json(&json!({"full_name": "Nông Thị Hồng", "birth_date": "1999-01-01", "gender": "nu", "phone": format!("09120001{i:02}")}))
            .send()
            .await
            .unwrap();
        statuses.push(res.status());
    }
    assert!(statuses[..20].iter().all(|s| *s == StatusCode::CREATED));
    assert_eq!(statuses[20], StatusCode::TOO_MANY_REQUESTS);
}
both_backends!(rate_limit, registration_is_rate_limited_per_address);

async fn organiser_pages(b: Backend) {
    let app = spawn(b).await;
    let round = demo_round(&app).await;
    let admin = app.login("admin").await;
    let home = admin.get("/").await.text().await.unwrap();
    assert!(home.contains("href=\"/contests\""), "admins see “Cuộc thi”");

    let province = app.unit("20").await.to_string();
    // Without the CSRF token: refused, nothing created.
    let res = admin
        .http
        .post(app.url("/contests"))
        .form(&[("title", "Mã sai"), ("unit_id", &province), ("csrf", "sai")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    let res = admin
        .post_form(
            "/contests",
            &[
                ("title", "Tìm hiểu Luật Thực hiện dân chủ ở cơ sở"),
                ("unit_id", &province),
                ("min_age", "14"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let contest_path = res.headers()["location"].to_str().unwrap().to_owned();

    // Opening times are read as Việt Nam time: 16:00:05 on 6 May 2099 is 09:00:05 UTC.
    let round_form = |opens: &'static str| {
        vec![
            ("name", "Tuần thi thứ nhất"),
            ("opens_at", opens),
            ("closes_at", "2099-05-13T15:00:00"),
            ("questions_per_attempt", "3"),
            ("time_limit_minutes", "10"),
            ("grace_secs", "3"),
            ("max_attempts", "7"),
            ("cooldown_minutes", "0"),
            ("counting", "best"),
            ("prediction_target", "all_correct_count"),
            ("prizes", "Giải Nhất: 1\nGiải Nhì: 2"),
        ]
    };
    let bad = admin
        .post_form(&format!("{contest_path}/rounds"), &round_form("06/05/2099"))
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        bad.text()
            .await
            .unwrap()
            .contains("Thời gian mở không hợp lệ")
    );
    let res = admin
        .post_form(
            &format!("{contest_path}/rounds"),
            &round_form("2099-05-06T16:00:05"),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let round_path = res.headers()["location"].to_str().unwrap().to_owned();
    let page = admin.get(&round_path).await.text().await.unwrap();
    assert!(
        page.contains("16:00:05 06/05/2099"),
        "shown in Việt Nam time"
    );

    // Import: the good rows go in, each bad row is reported by its spreadsheet row.
    let csv = "Câu hỏi;Phương án A;Phương án B;Phương án C;Đáp án\n\
               Ngày Dân vận là ngày nào?;15/10;2/9;19/5;A\n\
               Thiếu phương án?;X;;;A\n\
               Luật Thực hiện dân chủ ở cơ sở có hiệu lực từ?;01/7/2023;01/01/2023;01/7/2022;A\n\
               Tỉnh Lạng Sơn thành lập năm?;1831;1802;1945;A\n";
    let form = reqwest::multipart::Form::new()
        .text("csrf", admin.csrf.clone())
        .part(
            "file",
            reqwest::multipart::Part::bytes(csv.as_bytes().to_vec()).file_name("nganhang.csv"),
        );
    let res = admin
        .http
        .post(app.url(&format!("{round_path}/questions")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(
        page.contains("Đã thêm 3 câu hỏi; 1 dòng bị từ chối"),
        "{page}"
    );
    assert!(page.contains("Dòng 3"));
    let exported = admin
        .get(&format!("{round_path}/questions.csv"))
        .await
        .text()
        .await
        .unwrap();
    assert!(exported.contains("Tỉnh Lạng Sơn thành lập năm?"));
    let xlsx = admin.get(&format!("{round_path}/questions.xlsx")).await;
    assert_eq!(xlsx.status(), StatusCode::OK);
    assert!(
        xlsx.bytes().await.unwrap().starts_with(b"PK"),
        "a workbook (zip)"
    );
    let other_bank = app.login("canbo.locbinh").await;
    assert_eq!(
        other_bank
            .get(&format!("{round_path}/questions.xlsx"))
            .await
            .status(),
        StatusCode::NOT_FOUND,
        "the answer key stays with the organisers"
    );

    // Freezing an open round is refused with a message, not an error page.
    let res = admin
        .post_form(&format!("/contests/rounds/{round}/freeze"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    assert!(res.text().await.unwrap().contains("chưa kết thúc"));

    // A commune official cannot see the province's contest.
    let other = app.login("canbo.locbinh").await;
    assert_eq!(
        other.get(&contest_path).await.status(),
        StatusCode::NOT_FOUND
    );
    let res = other
        .post_form(&format!("/contests/rounds/{round}/freeze"), &[])
        .await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}
both_backends!(organiser, organiser_pages);
