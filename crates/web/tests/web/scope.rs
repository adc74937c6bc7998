//! The acceptance test of scoped authorisation: a commune official cannot read or change another
//! commune's records, through the pages or through the API.

use crate::support::spawn;
use danvan_db::both_backends;
use danvan_db::testing::Backend;
use reqwest::StatusCode;
use serde_json::json;

async fn a_commune_user_cannot_read_or_change_another_commune(b: Backend) {
    let app = spawn(b).await;
    let loc_binh = app.unit("06529").await;
    let dinh_lap = app.unit("06613").await;
    let own = app.login("canbo.locbinh").await;
    let other = app.login("canbo.dinhlap").await;

    // The Lộc Bình official adds a contact through the page.
    let res = own
        .post_form(
            &format!("/units/{loc_binh}/contacts"),
            &[
                ("full_name", "Lăng Văn Bí Mật"),
                ("position", "Trưởng thôn Nà Lầu"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let contacts: Vec<serde_json::Value> = own
        .get(&format!("/api/v1/units/{loc_binh}/contacts"))
        .await
        .json()
        .await
        .unwrap();
    let secret = contacts
        .iter()
        .find(|c| c["full_name"] == "Lăng Văn Bí Mật")
        .unwrap();
    let secret_id = secret["id"].as_i64().unwrap();

    // Đình Lập's official: the page of Lộc Bình shows the public directory data, not the contacts.
    let page = other.get(&format!("/units/{loc_binh}")).await;
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert!(html.contains("Xã Lộc Bình"));
    assert!(
        !html.contains("Lăng Văn Bí Mật"),
        "another commune's contacts never reach the page"
    );
    assert!(!html.contains("Thêm liên hệ"));
    // … and the API refuses.
    let res = other
        .get(&format!("/api/v1/units/{loc_binh}/contacts"))
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let body: serde_json::Value = res.json().await.unwrap();
    assert!(body["error"].as_str().unwrap().contains("không có quyền"));

    // Writes through the page form and through the API are refused.
    let res = other
        .post_form(
            &format!("/units/{loc_binh}/contacts"),
            &[("full_name", "Chen Ngang"), ("position", "Giả mạo")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = other
        .http
        .post(format!("{}/api/v1/units/{loc_binh}/contacts", app.base))
        .header("x-csrf-token", &other.csrf)
        .json(&json!({"full_name": "Chen Ngang", "position": "Giả mạo"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = other
        .post_form(&format!("/contacts/{secret_id}/delete"), &[])
        .await;
    assert_eq!(
        res.status(),
        StatusCode::NOT_FOUND,
        "out-of-scope ids look like missing ones"
    );
    let res = other
        .post_form(
            &format!("/units/{loc_binh}/details"),
            &[("address", "Sửa trộm"), ("phone", "")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    // Nothing changed.
    let contacts: Vec<serde_json::Value> = own
        .get(&format!("/api/v1/units/{loc_binh}/contacts"))
        .await
        .json()
        .await
        .unwrap();
    let names: Vec<&str> = contacts
        .iter()
        .map(|c| c["full_name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Lăng Văn Bí Mật"));
    assert!(!names.contains(&"Chen Ngang"));
    // Đình Lập's own records are fine for its official.
    assert_eq!(
        other
            .get(&format!("/api/v1/units/{dinh_lap}/contacts"))
            .await
            .status(),
        StatusCode::OK
    );
}
both_backends!(
    cross_commune,
    a_commune_user_cannot_read_or_change_another_commune
);

async fn api_writes_need_the_csrf_header(b: Backend) {
    let app = spawn(b).await;
    let loc_binh = app.unit("06529").await;
    let own = app.login("canbo.locbinh").await;
    let url = format!("{}/api/v1/units/{loc_binh}/contacts", app.base);
    let res = own
        .http
        .post(&url)
        .json(&json!({"full_name": "Ai Đó", "position": "Bí thư"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let res = own
        .http
        .post(&url)
        .header("x-csrf-token", &own.csrf)
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.json::<serde_json::Value>().await.unwrap()["error"]
            .as_str()
            .unwrap()
            .contains("JSON không hợp lệ")
    );
    let res = own
        .http
        .post(&url)
        .header("x-csrf-token", &own.csrf)
        .json(&json!({"full_name": "Ai Đó", "position": "Bí thư", "phone": "12"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = own
        .http
        .post(&url)
        .header("x-csrf-token", &own.csrf)
        .json(&json!({"full_name": "Ai Đó", "position": "Bí thư", "phone": "0912 345 678"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
    // Signed-out API calls get 401 JSON, not a redirect.
    let res = reqwest::get(format!("{}/api/v1/units", app.base))
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}
both_backends!(api_csrf, api_writes_need_the_csrf_header);

async fn text_is_escaped_never_executed(b: Backend) {
    let app = spawn(b).await;
    let loc_binh = app.unit("06529").await;
    let own = app.login("canbo.locbinh").await;
    let res = own
        .post_form(
            &format!("/units/{loc_binh}/contacts"),
            &[
                ("full_name", "<script>alert(1)</script>"),
                ("position", "\"><img src=x onerror=alert(1)>"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = own
        .get(&format!("/units/{loc_binh}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(!html.contains("<script>alert(1)"));
    assert!(!html.contains("<img src=x"));
    assert!(
        html.contains("&#60;script&#62;alert(1)"),
        "the text is shown, escaped"
    );
}
both_backends!(escaping, text_is_escaped_never_executed);
