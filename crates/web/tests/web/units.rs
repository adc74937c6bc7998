use crate::support::spawn;
use danvan_db::both_backends;
use danvan_db::testing::Backend;
use reqwest::StatusCode;

async fn the_tree_as_of_a_date(b: Backend) {
    let app = spawn(b).await;
    let s = app.login("lanhdao.bdv").await;
    let html = s
        .get("/units?at=2024-06-01&kind=commune")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("200 đơn vị tại ngày 2024-06-01"),
        "page counts the communes of that day"
    );
    assert!(html.contains("Thị trấn Lộc Bình"));
    let partial = s.get("/units/tree?at=2025-07-01&kind=commune").await;
    assert_eq!(partial.status(), StatusCode::OK);
    let partial = partial.text().await.unwrap();
    assert!(!partial.contains("<html"), "the htmx partial is a fragment");
    assert!(partial.contains("65 đơn vị tại ngày 2025-07-01"));
    assert!(partial.contains("Phường Kỳ Lừa"));
    let searched = s
        .get("/units/tree?at=2024-06-01&q=loc%20binh")
        .await
        .text()
        .await
        .unwrap();
    assert!(searched.contains("Huyện Lộc Bình") && searched.contains("Thị trấn Lộc Bình"));
    let json: Vec<serde_json::Value> = s
        .get("/api/v1/units?at=2024-12-15&kind=commune")
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(json.len(), 194);
}
both_backends!(tree, the_tree_as_of_a_date);

async fn a_dissolved_unit_points_to_its_successor(b: Backend) {
    let app = spawn(b).await;
    let s = app.login("lanhdao.bdv").await;
    let all: Vec<serde_json::Value> = s
        .get("/api/v1/units?at=2024-06-01&kind=commune")
        .await
        .json()
        .await
        .unwrap();
    let khanh_xuan = all.iter().find(|u| u["name"] == "Xã Khánh Xuân").unwrap()["id"]
        .as_i64()
        .unwrap();
    let html = s
        .get(&format!("/units/{khanh_xuan}?at=2024-06-01"))
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Nay thuộc"));
    assert!(html.contains("Xã Lộc Bình"));
    assert!(html.contains("1672/NQ-UBTVQH15"));
    let detail: serde_json::Value = s
        .get(&format!("/api/v1/units/{khanh_xuan}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(detail["successors_today"][0]["name"], "Xã Lộc Bình");
    assert_eq!(detail["history"][0]["kind"], "merge");
}
both_backends!(successor, a_dissolved_unit_points_to_its_successor);

async fn bad_input_and_unknown_pages(b: Backend) {
    let app = spawn(b).await;
    let s = app.login("lanhdao.bdv").await;
    let res = s.get("/units?at=31-12-2024").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("không hợp lệ"));
    let res = s.get("/units?kind=hanh-tinh").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = s.get("/units/999999").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = s.get("/units/abc").await;
    assert!(res.status().is_client_error());
    let res = s.get("/khong-co-trang-nay").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let html = res.text().await.unwrap();
    assert!(html.contains("Không tìm thấy") && html.contains("<html lang=\"vi\">"));
    let res = s.get("/api/v1/khong-co").await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(
        res.json::<serde_json::Value>().await.unwrap()["status"],
        404
    );
    let res = s.get("/api/v1/units?at=2024-02-30").await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
both_backends!(bad_input, bad_input_and_unknown_pages);

async fn health_and_readiness(b: Backend) {
    let app = spawn(b).await;
    let res = reqwest::get(app.url("/healthz")).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let res = reqwest::get(app.url("/readyz")).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(
        res.json::<serde_json::Value>().await.unwrap()["database"],
        "ok"
    );
    app.t.db.conn.clone().close().await.unwrap();
    let res = reqwest::get(app.url("/readyz")).await.unwrap();
    assert_eq!(
        res.status(),
        StatusCode::SERVICE_UNAVAILABLE,
        "readiness follows the database"
    );
}
both_backends!(health, health_and_readiness);

async fn province_admins_correct_unconfirmed_reference_data(b: Backend) {
    let app = spawn(b).await;
    let admin = app.login("admin").await;
    let all: Vec<serde_json::Value> = admin
        .get("/api/v1/units?at=2024-06-01&kind=party")
        .await
        .json()
        .await
        .unwrap();
    let bdv = all
        .iter()
        .find(|u| u["name"] == "Ban Dân vận Tỉnh ủy")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let page = admin
        .get(&format!("/units/{bdv}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("chưa xác minh") && page.contains("Hiệu chỉnh dữ liệu tham chiếu"));
    let res = admin
        .post_form(
            &format!("/units/{bdv}/correct"),
            &[
                ("name", "Ban Dân vận Tỉnh ủy"),
                ("valid_from", "2020-01-01"),
                ("valid_to", "2025-02-28"),
                (
                    "source",
                    "Quyết định của Ban Thường vụ Tỉnh ủy (đã đối chiếu)",
                ),
                ("confirmed", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = admin
        .get(&format!("/units/{bdv}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("đã đối chiếu"));
    let detail: serde_json::Value = admin
        .get(&format!("/api/v1/units/{bdv}"))
        .await
        .json()
        .await
        .unwrap();
    let event = detail["history"][0]["event_id"].as_i64().unwrap();
    let back = bdv.to_string();
    let res = admin
        .post_form(
            &format!("/unit-events/{event}/correct"),
            &[
                ("back", &back),
                ("legal_basis", "Quyết định số 100-QĐ/TU (thử)"),
                ("confirmed", "1"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let detail: serde_json::Value = admin
        .get(&format!("/api/v1/units/{bdv}"))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(
        detail["history"][0]["legal_basis"],
        "Quyết định số 100-QĐ/TU (thử)"
    );
    assert_eq!(detail["history"][0]["confirmed"], true);
    // Dates that contradict each other are refused; nobody but a province admin corrects.
    let res = admin
        .post_form(
            &format!("/units/{bdv}/correct"),
            &[
                ("name", "X"),
                ("valid_from", "2025-01-01"),
                ("valid_to", "2024-01-01"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let unit_admin = app.login("qt.locbinh").await;
    let loc_binh = app.unit("06529").await;
    let res = unit_admin
        .post_form(
            &format!("/units/{loc_binh}/correct"),
            &[("name", "Xã Mới"), ("valid_from", "2025-07-01")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let log = admin
        .get("/admin/audit?action=unit")
        .await
        .text()
        .await
        .unwrap();
    assert!(log.contains("unit.correct") && log.contains("unit_event.correct"));
}
both_backends!(
    reference_corrections,
    province_admins_correct_unconfirmed_reference_data
);
