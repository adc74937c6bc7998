use crate::support::{TestApp, client, csrf_in, id_after, spawn};
use danvan_db::both_backends;
use danvan_db::entities::voice_cases;
use danvan_db::testing::Backend;
use reqwest::{Client, StatusCode};
use sea_orm::{EntityTrait, PaginatorTrait};

const SCRIPT_TITLE: &str = "Đường nát <script>alert('x')</script>";

/// Opens the public form in `http` (setting its cookie) and returns the form's token.
async fn open_form(app: &TestApp, http: &Client) -> String {
    let page = http
        .get(app.url("/gui-don"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains("Gửi phản ánh, kiến nghị, khiếu nại"));
    csrf_in(&page)
}

fn petition<'a>(csrf: &'a str, place: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("kind", "phan_anh"),
        ("topic", "ha_tang"),
        ("place_unit_id", place),
        ("title", SCRIPT_TITLE),
        (
            "body",
            "Đoạn đường qua thôn Nà Mò bị sạt lở sau mưa, xe không đi được.",
        ),
        ("citizen_name", ""),
        ("citizen_contact", "0912 000 111"),
    ]
}

fn multipart(fields: &[(&str, &str)]) -> reqwest::multipart::Form {
    fields
        .iter()
        .fold(reqwest::multipart::Form::new(), |f, (k, v)| {
            f.text(k.to_string(), v.to_string())
        })
}

fn file(name: &str, bytes: Vec<u8>) -> reqwest::multipart::Part {
    reqwest::multipart::Part::bytes(bytes).file_name(name.to_string())
}

fn code_in(html: &str) -> String {
    let marker = "id=\"ma-tra-cuu\"><strong>";
    let start = html.find(marker).expect("page shows the tracking code") + marker.len();
    html[start..].split('<').next().unwrap().to_string()
}

async fn count(app: &TestApp) -> u64 {
    voice_cases::Entity::find()
        .count(&app.t.db.conn)
        .await
        .unwrap()
}

async fn a_petition_goes_from_the_public_form_to_an_answer(b: Backend) {
    let app = spawn(b).await;
    let place = app.unit("06529").await.to_string();
    let citizen = client();
    let csrf = open_form(&app, &citizen).await;
    let res = citizen
        .post(app.url("/gui-don"))
        .multipart(multipart(&petition(&csrf, &place)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let sent = res.text().await.unwrap();
    let code = code_in(&sent);
    assert_eq!(code.len(), 19, "16 symbols in groups of four: {code}");

    // Replaying the same post creates nothing and says so.
    let replay = citizen
        .post(app.url("/gui-don"))
        .multipart(multipart(&petition(&csrf, &place)))
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), StatusCode::CONFLICT);
    assert!(replay.text().await.unwrap().contains("đã được gửi"));
    assert_eq!(count(&app).await, 1);

    // The handler finds it in the queue, with the script escaped.
    let staff = app.login("canbo.locbinh").await;
    let queue = staff.get("/don-thu").await.text().await.unwrap();
    assert!(queue.contains("Đơn thư, tiếp dân"));
    assert!(
        queue.contains("Đường nát &#60;script&#62;"),
        "title is escaped"
    );
    assert!(!queue.contains("<script>alert"));
    let marker = "<td><a href=\"/don-thu/";
    let id = id_after(&queue, marker);
    let case_url = format!("/don-thu/{id}");
    let step_url = format!("/don-thu/{id}/buoc");

    // Another commune cannot see it, and a form without the token is refused.
    let other = app.login("canbo.dinhlap").await;
    assert_eq!(other.get(&case_url).await.status(), StatusCode::NOT_FOUND);
    let forged = staff
        .http
        .post(app.url(&step_url))
        .form(&[("action", "accept"), ("csrf", "nope")])
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::FORBIDDEN);

    let accepted = staff
        .post_form(&step_url, &[("action", "accept"), ("on", "")])
        .await;
    assert_eq!(accepted.status(), StatusCode::SEE_OTHER);
    // An empty answer is a clear error shown on the case page; nothing changes.
    let empty = staff
        .post_form(&step_url, &[("action", "resolve"), ("text", "   ")])
        .await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        empty
            .text()
            .await
            .unwrap()
            .contains("Vui lòng nhập nội dung trả lời")
    );
    let answer = "Ngày 20/3 UBND xã đã cho san gạt, thông xe. <img src=x onerror=alert(1)>";
    let resolved = staff
        .post_form(&step_url, &[("action", "resolve"), ("text", answer)])
        .await;
    assert_eq!(resolved.status(), StatusCode::SEE_OTHER);
    let page = staff.get(&case_url).await.text().await.unwrap();
    assert!(page.contains("Đã giải quyết"));
    assert!(page.contains("Thụ lý") && page.contains("Trả lời, giải quyết"));

    // The citizen reads the answer with the code, typed loosely; nothing else is shown.
    let typed = code.to_lowercase().replace('-', "");
    let lookup = client()
        .get(app.url(&format!("/tra-cuu?ma={typed}")))
        .send()
        .await
        .unwrap();
    assert_eq!(lookup.status(), StatusCode::OK);
    let html = lookup.text().await.unwrap();
    assert!(html.contains("Đã giải quyết"));
    assert!(html.contains("Ngày 20/3 UBND xã đã cho san gạt, thông xe."));
    assert!(html.contains("&#60;img src=x"), "answer is escaped");
    assert!(!html.contains("<img src=x"));
    assert!(
        !html.contains("0912 000 111"),
        "no contact details on the public page"
    );
    assert!(!html.contains("canbo.locbinh"));

    // A forged code finds nothing.
    let forged = client()
        .get(app.url("/tra-cuu?ma=ABCD-EFGH-JKMN-PQRS"))
        .send()
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::NOT_FOUND);
    assert!(forged.text().await.unwrap().contains("Không tìm thấy đơn"));
}
both_backends!(
    public_flow,
    a_petition_goes_from_the_public_form_to_an_answer
);

async fn the_public_form_keeps_input_and_limits_senders(b: Backend) {
    let app = spawn(b).await;
    let place = app.unit("06529").await.to_string();
    let citizen = client();
    let csrf = open_form(&app, &citizen).await;

    // Without the form's cookie (an expired page or a cross-site post): refused, text kept.
    let stranger = client()
        .post(app.url("/gui-don"))
        .multipart(multipart(&petition(&csrf, &place)))
        .send()
        .await
        .unwrap();
    assert_eq!(stranger.status(), StatusCode::FORBIDDEN);
    let html = stranger.text().await.unwrap();
    assert!(html.contains("Biểu mẫu đã hết hạn"));
    assert!(
        html.contains("Đoạn đường qua thôn Nà Mò"),
        "what was typed is not lost"
    );

    // A complaint without a name: a Vietnamese error, the form refilled.
    let mut fields = petition(&csrf, &place);
    fields[1] = ("kind", "khieu_nai_lan_dau");
    let res = citizen
        .post(app.url("/gui-don"))
        .multipart(multipart(&fields))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = res.text().await.unwrap();
    assert!(html.contains("phải ghi rõ họ tên"));
    assert!(html.contains("Đoạn đường qua thôn Nà Mò"));
    assert_eq!(count(&app).await, 0);

    // Ten sends an hour from one address; the next is told to wait.
    for _ in 0..9 {
        let csrf = open_form(&app, &citizen).await;
        let res = citizen
            .post(app.url("/gui-don"))
            .multipart(multipart(&petition(&csrf, &place)))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK);
    }
    let csrf = open_form(&app, &citizen).await;
    let res = citizen
        .post(app.url("/gui-don"))
        .multipart(multipart(&petition(&csrf, &place)))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(count(&app).await, 9);
}
both_backends!(
    public_limits,
    the_public_form_keeps_input_and_limits_senders
);

async fn open311_clients_file_and_follow_requests(b: Backend) {
    let app = spawn(b).await;
    let (_, key) = danvan_db::api_keys::create(
        &app.t.db.conn,
        &danvan_db::Actor::system(),
        "Ứng dụng thử",
        "open311",
    )
    .await
    .unwrap();
    let http = reqwest::Client::new();

    let services: serde_json::Value = http
        .get(app.url("/open311/v2/services.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let codes: Vec<&str> = services
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["service_code"].as_str().unwrap())
        .collect();
    assert!(codes.contains(&"moi_truong"));
    assert_eq!(services[0]["metadata"], false);

    let request = [
        ("api_key", key.as_str()),
        ("jurisdiction_id", "06529"),
        ("service_code", "moi_truong"),
        ("lat", "21.75"),
        ("long", "106.92"),
        (
            "description",
            "Bãi rác tự phát cạnh suối đầu thôn, bốc mùi.",
        ),
        ("first_name", "Nông"),
        ("last_name", "Văn Khai"),
        ("phone", "0977 111 222"),
    ];
    let res = http
        .post(app.url("/open311/v2/requests.json"))
        .form(&request)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    let body: serde_json::Value = res.json().await.unwrap();
    let id = body[0]["service_request_id"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 19);

    // A wrong key, a missing place or an unknown service: GeoReport errors, nothing stored.
    let mut bad = request;
    bad[0] = ("api_key", "dv_forged");
    let res = http
        .post(app.url("/open311/v2/requests.json"))
        .form(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let err: serde_json::Value = res.json().await.unwrap();
    assert_eq!(err[0]["code"], 403);
    let mut bad = request;
    bad[1] = ("jurisdiction_id", "");
    let res = http
        .post(app.url("/open311/v2/requests.json"))
        .form(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let mut bad = request;
    bad[2] = ("service_code", "khong_co");
    let res = http
        .post(app.url("/open311/v2/requests.json"))
        .form(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(count(&app).await, 1);

    // Read back by id: status, agency and the answer once given; never the sender.
    let one: serde_json::Value = http
        .get(app.url(&format!("/open311/v2/requests/{id}.json")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(one[0]["status"], "open");
    assert_eq!(one[0]["service_code"], "moi_truong");
    assert!(
        one[0]["agency_responsible"]
            .as_str()
            .unwrap()
            .contains("Lộc Bình")
    );
    assert!(!one.to_string().contains("Văn Khai") && !one.to_string().contains("0977"));

    let staff = app.login("canbo.locbinh").await;
    let queue = staff.get("/don-thu").await.text().await.unwrap();
    let marker = "<td><a href=\"/don-thu/";
    let case = id_after(&queue, marker);
    let step = format!("/don-thu/{case}/buoc");
    staff.post_form(&step, &[("action", "accept")]).await;
    staff
        .post_form(
            &step,
            &[
                ("action", "resolve"),
                ("text", "Đã thu dọn bãi rác ngày 12/3."),
            ],
        )
        .await;

    let list: serde_json::Value = http
        .get(app.url(&format!(
            "/open311/v2/requests.json?service_request_id={id},ZZZZ-ZZZZ-ZZZZ-ZZZZ"
        )))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["status"], "closed");
    assert_eq!(list[0]["status_notes"], "Đã thu dọn bãi rác ngày 12/3.");
    // Without ids the list is empty: petitions are not published wholesale.
    let all: serde_json::Value = http
        .get(app.url("/open311/v2/requests.json"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(all, serde_json::json!([]));
    let missing = http
        .get(app.url("/open311/v2/requests/ABCD-EFGH-JKMN-PQRS.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}
both_backends!(open311, open311_clients_file_and_follow_requests);

async fn a_denouncers_identity_is_redacted_on_every_page_but_the_handlers(b: Backend) {
    let app = spawn(b).await;
    let place = app.unit("06529").await.to_string();
    let citizen = client();
    let csrf = open_form(&app, &citizen).await;
    let mut fields = petition(&csrf, &place);
    fields[1] = ("kind", "to_cao");
    fields[4] = ("title", "Tố cáo trưởng thôn thu tiền trái phép");
    fields[6] = ("citizen_name", "Hà Thị Kín Đáo");
    fields[7] = ("citizen_contact", "0966 555 444");
    let res = citizen
        .post(app.url("/gui-don"))
        .multipart(multipart(&fields))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let code = code_in(&res.text().await.unwrap());

    let handler = app.login("canbo.locbinh").await;
    let queue = handler.get("/don-thu").await.text().await.unwrap();
    assert!(!queue.contains("Kín Đáo"));
    let marker = "<td><a href=\"/don-thu/";
    let id = id_after(&queue, marker);
    let case_url = format!("/don-thu/{id}");

    // Before anyone is assigned, the specialist reads the notice only.
    let before = handler.get(&case_url).await.text().await.unwrap();
    assert!(before.contains("[đã được bảo mật theo Luật Tố cáo]"));
    assert!(!before.contains("Kín Đáo"));
    handler
        .post_form(&format!("{case_url}/buoc"), &[("action", "accept")])
        .await;
    let assigned = handler.get(&case_url).await.text().await.unwrap();
    assert!(assigned.contains("Hà Thị Kín Đáo") && assigned.contains("0966 555 444"));
    // Tố cáo may be extended: the form is offered.
    assert!(assigned.contains("Gia hạn"));

    for other in ["qt.locbinh", "admin", "lanhdao.bdv"] {
        let s = app.login(other).await;
        let page = s.get(&case_url).await;
        let status = page.status();
        let html = page.text().await.unwrap();
        assert!(
            !html.contains("Kín Đáo"),
            "{other} must not see the denouncer"
        );
        assert!(
            !html.contains("0966 555 444"),
            "{other} must not see the phone"
        );
        assert!(
            status == StatusCode::NOT_FOUND || html.contains("[đã được bảo mật theo Luật Tố cáo]"),
            "{other}: {status}"
        );
        // The audit log page does not carry the identity either.
        let log = s.get("/admin/audit").await.text().await.unwrap();
        assert!(!log.contains("Kín Đáo"));
    }
    let public = client()
        .get(app.url(&format!("/tra-cuu?ma={code}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(public.contains("Tố cáo") && !public.contains("Kín Đáo"));
}
both_backends!(
    denunciation_pages,
    a_denouncers_identity_is_redacted_on_every_page_but_the_handlers
);

/// Benchmark (ignored by default): 100,000 cases, then the handler's queue and the province's
/// overdue list over HTTP, including the session, the scope and the rendering. Run with
/// `cargo test -p danvan-web --test web voice_bench -- --ignored --nocapture`.
async fn queue_and_overdue_render_fast_over_100k_cases(b: Backend) {
    use danvan_db::entities::voice_cases::ActiveModel;
    use sea_orm::{ActiveValue::Set, EntityTrait as _};
    let app = spawn(b).await;
    let today = chrono::Local::now().date_naive();
    let communes: Vec<i64> = danvan_db::units::History::load(&app.t.db.conn)
        .await
        .unwrap()
        .tree_on(today, Some(danvan_domain::units::UnitKind::Commune))
        .into_iter()
        .map(|(u, _)| u.id)
        .collect();
    let loc_binh = app.unit("06529").await;
    let statuses = ["received", "accepted", "in_progress", "resolved", "closed"];
    let started = std::time::Instant::now();
    let now = chrono::Utc::now();
    for batch in 0..200 {
        let rows: Vec<ActiveModel> = (0..500)
            .map(|i| {
                let n: i64 = batch * 500 + i;
                // One case in 50 is Lộc Bình's, the rest spread over every commune.
                let unit = if n % 50 == 0 {
                    loc_binh
                } else {
                    communes[(n as usize) % communes.len()]
                };
                let received = today - chrono::Days::new((n % 400) as u64);
                ActiveModel {
                    tracking_hash: Set(format!("bench-{n}")),
                    submission_key: Set(None),
                    kind: Set("kien_nghi".into()),
                    topic: Set("dat_dai".into()),
                    channel: Set("web".into()),
                    title: Set(format!("Kiến nghị số {n} về đất đai")),
                    body: Set("Nội dung kiến nghị để đo hiệu năng.".into()),
                    protected: Set(false),
                    citizen_name: Set(None),
                    citizen_contact: Set(None),
                    place_unit_id: Set(Some(unit)),
                    handling_unit_id: Set(unit),
                    assigned_to: Set(None),
                    status: Set(statuses[(n % 5) as usize].into()),
                    complex: Set(false),
                    remote: Set(false),
                    received_on: Set(received),
                    accepted_on: Set(None),
                    rule_id: Set(Some("tiep-cong-dan-tra-loi".into())),
                    rule_version: Set(Some("2014-07-01".into())),
                    due_on: Set(Some(received + chrono::Days::new(14))),
                    extensions: Set(0),
                    refusal_reason: Set(None),
                    answer: Set(None),
                    resolved_at: Set(None),
                    created_at: Set(now),
                    updated_at: Set(now),
                    ..Default::default()
                }
            })
            .collect();
        voice_cases::Entity::insert_many(rows)
            .exec(&app.t.db.conn)
            .await
            .unwrap();
    }
    eprintln!("{b:?}: 100,000 cases inserted in {:?}", started.elapsed());
    // What autovacuum (PostgreSQL) or `PRAGMA optimize` (SQLite) does after a bulk load.
    use sea_orm::ConnectionTrait as _;
    app.t.db.conn.execute_unprepared("ANALYZE").await.unwrap();
    assert_eq!(count(&app).await, 100_000);

    let handler = app.login("canbo.locbinh").await;
    let admin = app.login("admin").await;
    for (who, session, path) in [
        ("handler queue (canbo.locbinh)", &handler, "/don-thu"),
        (
            "overdue list (canbo.locbinh)",
            &handler,
            "/don-thu?ds=qua-han",
        ),
        ("province queue (admin)", &admin, "/don-thu"),
        (
            "province overdue list (admin)",
            &admin,
            "/don-thu?ds=qua-han",
        ),
    ] {
        let mut times = Vec::new();
        for _ in 0..11 {
            let t = std::time::Instant::now();
            let res = session.get(path).await;
            assert_eq!(res.status(), StatusCode::OK);
            let html = res.text().await.unwrap();
            times.push(t.elapsed());
            assert!(html.contains("Kiến nghị số"));
        }
        times.sort();
        let median = times[times.len() / 2];
        eprintln!(
            "{b:?}: {who}: median {median:?}, max {:?}",
            times[times.len() - 1]
        );
        assert!(median.as_millis() < 100, "{who} took {median:?}");
    }
}

mod voice_bench {
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[ignore = "benchmark: run with --ignored"]
    async fn sqlite() {
        super::queue_and_overdue_render_fast_over_100k_cases(danvan_db::testing::Backend::Sqlite)
            .await;
    }
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[ignore = "benchmark: run with --ignored"]
    async fn postgres() {
        super::queue_and_overdue_render_fast_over_100k_cases(danvan_db::testing::Backend::Postgres)
            .await;
    }
}

async fn reception_days_dialogues_and_public_commitments(b: Backend) {
    let app = spawn(b).await;
    let loc_binh = app.unit("06529").await;
    let unit = loc_binh.to_string();
    let staff = app.login("canbo.locbinh").await;

    // One reception day in March 2026: the weekly and twice-monthly minimums are short.
    let res = staff
        .post_form(
            "/tiep-dan",
            &[
                ("unit_id", &unit),
                ("host", "chu_tich_xa"),
                ("host_name", "Lương Văn Chủ"),
                ("held_on", "2026-03-05"),
                ("place", "Trụ sở UBND xã"),
                ("visitors", "Ông Hoàng Văn A"),
                ("summary", "Đề nghị sửa cầu treo"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = staff
        .get(&format!("/tiep-dan?unit={unit}&thang=2026-03"))
        .await
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("Thiếu lịch tiếp công dân trong tuần 09/03–15/03"),
        "{page}"
    );
    assert!(page.contains("cần ít nhất 2 ngày"));
    let bad = staff
        .get(&format!("/tiep-dan?unit={unit}&thang=2026-13"))
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let other = app.login("canbo.dinhlap").await;
    assert_eq!(
        other
            .get(&format!("/tiep-dan?unit={unit}&thang=2026-03"))
            .await
            .status(),
        StatusCode::FORBIDDEN
    );

    // A petition entered from the session is listed on it.
    let marker = "<a href=\"/tiep-dan/";
    let sid = id_after(&page, marker);
    let form = staff
        .get(&format!("/don-thu/moi?buoi={sid}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(form.contains("Đơn phát sinh từ"));
    let res = staff
        .post_form(
            "/don-thu/moi",
            &[
                ("session", &sid),
                ("channel", "desk"),
                ("kind", "kien_nghi"),
                ("topic", "ha_tang"),
                ("place_unit_id", &unit),
                ("title", "Sửa cầu treo Nà Mò"),
                ("body", "Cầu treo xuống cấp, đề nghị sửa trước mùa mưa."),
                ("citizen_name", "Hoàng Văn A"),
                ("citizen_contact", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Mã tra cứu giao cho công dân")
    );
    let session_page = staff
        .get(&format!("/tiep-dan/{sid}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(session_page.contains("Sửa cầu treo Nà Mò"));

    // A dialogue, a promise, then the public list shows it without signing in.
    let res = staff
        .post_form(
            "/doi-thoai",
            &[
                ("unit_id", &unit),
                ("held_on", "2026-03-10"),
                ("place", "Nhà văn hóa thôn Nà Mò"),
                ("host_name", "Chủ tịch UBND xã"),
                ("participants", "60 hộ dân"),
                ("questions", "Khi nào sửa đường?"),
                ("answers", "Trước 30/6."),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let dialogue = res.headers()["location"].to_str().unwrap().to_string();
    let empty = staff
        .post_form(
            &format!("{dialogue}/cam-ket"),
            &[
                ("content", " "),
                ("owner", "UBND xã"),
                ("due_on", "2026-06-30"),
            ],
        )
        .await;
    assert_eq!(empty.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = staff
        .post_form(
            &format!("{dialogue}/cam-ket"),
            &[
                ("content", "Sửa đường liên thôn <script>x</script>"),
                ("owner", "UBND xã Lộc Bình"),
                ("due_on", "2026-06-30"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let public = client()
        .get(app.url("/cam-ket"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(public.contains("Sửa đường liên thôn &#60;script&#62;"));
    assert!(public.contains("UBND xã Lộc Bình") && public.contains("30/06/2026"));
    assert!(!public.contains("<script>x"));
}
both_backends!(
    reception_pages,
    reception_days_dialogues_and_public_commitments
);

async fn attachments_are_checked_kept_private_and_sealed_for_denunciations(b: Backend) {
    let app = spawn(b).await;
    let place = app.unit("06529").await.to_string();
    let citizen = client();
    let pdf = b"%PDF-1.4\n% bien ban\n".to_vec();

    // A renamed program, an oversized scan, a wrong extension: refused, text kept, nothing stored.
    for (name, bytes, message) in [
        ("don.pdf", b"MZ\x90\x00fake".to_vec(), "không phải PDF"),
        (
            "anh.jpg",
            {
                let mut v = vec![0xFF, 0xD8, 0xFF];
                v.resize(5 * 1024 * 1024 + 1, 0);
                v
            },
            "lớn hơn 5 MB",
        ),
        (
            "script.html",
            b"<script>".to_vec(),
            "chỉ nhận PDF, JPG, PNG, DOCX",
        ),
    ] {
        let csrf = open_form(&app, &citizen).await;
        let res = citizen
            .post(app.url("/gui-don"))
            .multipart(multipart(&petition(&csrf, &place)).part("files", file(name, bytes)))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{name}");
        let html = res.text().await.unwrap();
        assert!(html.contains(message), "{name}: {message}");
        assert!(
            html.contains("Đoạn đường qua thôn Nà Mò"),
            "text kept for {name}"
        );
    }
    assert_eq!(count(&app).await, 0);

    // A good PDF with a petition: staff in scope download it, nobody else.
    let csrf = open_form(&app, &citizen).await;
    let res = citizen
        .post(app.url("/gui-don"))
        .multipart(
            multipart(&petition(&csrf, &place)).part("files", file("biên bản.pdf", pdf.clone())),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let staff = app.login("canbo.locbinh").await;
    let queue = staff.get("/don-thu").await.text().await.unwrap();
    let marker = "<td><a href=\"/don-thu/";
    let id = id_after(&queue, marker);
    let page = staff
        .get(&format!("/don-thu/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("biên bản.pdf"));
    let link = format!("/don-thu/{id}/tep/");
    let fid = id_after(&page, &link);
    let url = format!("/don-thu/{id}/tep/{fid}");
    let got = staff.get(&url).await;
    assert_eq!(got.status(), StatusCode::OK);
    assert!(
        got.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    assert_eq!(got.bytes().await.unwrap().to_vec(), pdf);
    let anonymous = client().get(app.url(&url)).send().await.unwrap();
    assert_eq!(
        anonymous.status(),
        StatusCode::SEE_OTHER,
        "sign-in required"
    );
    let other = app.login("canbo.dinhlap").await;
    assert_eq!(other.get(&url).await.status(), StatusCode::NOT_FOUND);

    // A denunciation's scan: sealed on disk, redacted and refused for a unit admin.
    let csrf = open_form(&app, &citizen).await;
    let mut fields = petition(&csrf, &place);
    fields[1] = ("kind", "to_cao");
    fields[4] = ("title", "Tố cáo kèm bút tích");
    fields[6] = ("citizen_name", "Người Tố Cáo");
    let scan = b"%PDF-1.4\nBUT TICH NGUOI TO CAO\n".to_vec();
    let res = citizen
        .post(app.url("/gui-don"))
        .multipart(
            multipart(&fields).part("files", file("but-tich-Nguoi-To-Cao.pdf", scan.clone())),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let sealed = danvan_db::entities::voice_attachments::Entity::find()
        .all(&app.t.db.conn)
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.sealed)
        .unwrap();
    assert!(!sealed.filename.contains("Nguoi-To-Cao"));
    let queue = staff.get("/don-thu").await.text().await.unwrap();
    let pos = queue.find("Tố cáo kèm bút tích").unwrap();
    let before = &queue[..pos];
    let start = before.rfind("/don-thu/").unwrap() + "/don-thu/".len();
    let tid: String = before[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let url = format!("/don-thu/{tid}/tep/{}", sealed.id);
    let admin = app.login("qt.locbinh").await;
    let page = admin
        .get(&format!("/don-thu/{tid}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(!page.contains("Nguoi-To-Cao") && page.contains("[đã được bảo mật theo Luật Tố cáo]"));
    assert_eq!(admin.get(&url).await.status(), StatusCode::FORBIDDEN);
    staff
        .post_form(&format!("/don-thu/{tid}/buoc"), &[("action", "accept")])
        .await;
    let got = staff.get(&url).await;
    assert_eq!(got.status(), StatusCode::OK);
    assert_eq!(got.bytes().await.unwrap().to_vec(), scan);
}
both_backends!(
    attachments,
    attachments_are_checked_kept_private_and_sealed_for_denunciations
);
