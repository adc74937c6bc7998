//! Documents in the product: upload, linked citations, registry, review calendar, search.

use crate::support::{Session, TestApp, id_after, seed_bytes, spawn};
use danvan_db::both_backends;
use danvan_db::testing::Backend;
use reqwest::StatusCode;
use reqwest::multipart::{Form, Part};
use std::path::PathBuf;

async fn upload(
    s: &Session,
    unit: i64,
    name: &str,
    bytes: Vec<u8>,
    extra: &[(&str, &str)],
) -> reqwest::Response {
    let mut form = Form::new()
        .text("csrf", s.csrf.clone())
        .text("unit_id", unit.to_string())
        .part("file", Part::bytes(bytes).file_name(name.to_string()));
    for (k, v) in extra {
        form = form.text(k.to_string(), v.to_string());
    }
    s.http
        .post(format!("{}/documents", s.base))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

/// Uploads the seed as the leader of the provincial board and returns the document's path.
async fn seed_uploaded(app: &TestApp) -> (Session, String) {
    let s = app.login("lanhdao.bdv").await;
    let unit = app.unit("ORG-BTGDVTU").await;
    let res = upload(
        &s,
        unit,
        "ke-hoach-2024.txt",
        seed_bytes(),
        &[("symbol", "01-KH/TU"), ("issued_on", "2024-01-15")],
    )
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    (s, location)
}

async fn the_seed_is_read_linked_and_searchable(b: Backend) {
    let app = spawn(b).await;
    let (s, doc_path) = seed_uploaded(&app).await;
    let page = s.get(&doc_path).await.text().await.unwrap();
    assert!(page.contains("Công tác dân vận năm 2024"));
    assert!(
        page.contains("class=\"cite\""),
        "citations are highlighted links"
    );
    assert!(
        page.contains("class=\"cite flagged\""),
        "139-NQ/TW's issuer mismatch is marked"
    );
    assert!(page.contains("ký hiệu và cơ quan ban hành được nêu không khớp"));
    assert!(
        page.contains("Văn bản được trích dẫn (27)"),
        "26 numbered documents and the law"
    );

    // The registry: 593-QĐ/TU is one entry cited four times, and it links back to the plan.
    let list = s.get("/registry?q=593").await.text().await.unwrap();
    let id = id_after(&list, "/registry/");
    let entry = s
        .get(&format!("/registry/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(entry.contains("593-QĐ/TU") && entry.contains("4 lần"));
    assert!(
        entry.contains(&format!("href=\"{doc_path}\"")),
        "what cites it links to the plan"
    );

    // Search: diacritics-insensitive, exact forms, and never a server error.
    for q in [
        "dan van kheo",
        "Dân vận khéo",
        "dang",
        "593-QĐ/TU",
        "tau vu tru",
    ] {
        let res = s
            .get(&format!(
                "/documents?q={}",
                danvan_web::forms::encode_component(q)
            ))
            .await;
        assert_eq!(res.status(), StatusCode::OK, "{q}");
        let html = res.text().await.unwrap();
        if q != "tau vu tru" {
            assert!(html.contains("1 văn bản phù hợp"), "{q}: {html}");
            assert!(html.contains("<mark>"), "{q}: snippets highlight the match");
        } else {
            assert!(html.contains("Không tìm thấy văn bản nào"), "{q}");
        }
    }
    for q in [
        "\"",
        "(((",
        "*:*",
        "AND OR NOT",
        "<script>alert(1)</script>",
    ] {
        let res = s
            .get(&format!(
                "/documents?q={}",
                danvan_web::forms::encode_component(q)
            ))
            .await;
        assert_eq!(res.status(), StatusCode::OK, "{q}");
        assert!(!res.text().await.unwrap().contains("<script>alert"), "{q}");
    }
}
both_backends!(seed_flow, the_seed_is_read_linked_and_searchable);

async fn reviews_fall_due_and_are_recorded(b: Backend) {
    let app = spawn(b).await;
    let (s, doc_path) = seed_uploaded(&app).await;
    let cal = s.get("/reviews?from=2022").await.text().await.unwrap();
    let y2024 = cal.find("Năm 2024").expect("2024 has reviews");
    let section = &cal[y2024..cal[y2024..].find("</section>").map(|e| y2024 + e).unwrap()];
    for symbol in ["27-CT/TU", "133-KL/TU", "65-KL/TW"] {
        assert!(section.contains(symbol), "{symbol} is due in 2024");
    }
    assert!(
        section.contains(&format!("href=\"{doc_path}\"")),
        "the plan that orders the reviews is named"
    );
    // Record the 10-year review of Chỉ thị 27-CT/TU.
    let list = s.get("/registry?q=27-CT").await.text().await.unwrap();
    let id = id_after(&list, "/registry/");
    let res = s
        .post_form(
            &format!("/registry/{id}/reviews"),
            &[
                ("milestone", "tong_ket_10"),
                ("done_on", "2024-09-20"),
                ("note", "Báo cáo số 100-BC/TU"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let entry = s
        .get(&format!("/registry/{id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(entry.contains("ngày 20/09/2024") && entry.contains("Báo cáo số 100-BC/TU"));
    let again = s
        .post_form(
            &format!("/registry/{id}/reviews"),
            &[("milestone", "tong_ket_10"), ("done_on", "2024-09-21")],
        )
        .await;
    assert_eq!(again.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.text().await.unwrap().contains("đã được ghi nhận"));
    let bad = s
        .post_form(
            &format!("/registry/{id}/reviews"),
            &[("milestone", "tong_ket_99"), ("done_on", "2024-09-21")],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Relations: Quy chế 593 implements nothing yet; record one and see the status change.
    let other = s.get("/registry?q=24-CT/TU").await.text().await.unwrap();
    let other_id = id_after(&other, "/registry/");
    let res = s
        .post_form(
            &format!("/registry/{id}/relations"),
            &[("kind", "replaces"), ("other", &other_id)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let replaced = s
        .get(&format!("/registry/{other_id}"))
        .await
        .text()
        .await
        .unwrap();
    assert!(replaced.contains("đã được thay thế") && replaced.contains("Được thay thế bởi"));
}
both_backends!(reviews, reviews_fall_due_and_are_recorded);

async fn uploads_are_checked(b: Backend) {
    let app = spawn(b).await;
    let s = app.login("canbo.locbinh").await;
    let own = app.unit("06529").await;
    let other = app.unit("06613").await;
    let res = upload(&s, own, "chuong-trinh.exe", b"MZ".to_vec(), &[]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Chỉ nhận tệp .txt, .md, .docx hoặc .pdf")
    );
    let res = upload(&s, own, "rong.txt", b"   \n".to_vec(), &[]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = upload(&s, own, "hong.docx", b"PK\x03\x04rac".to_vec(), &[]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = upload(&s, other, "ke-hoach.txt", seed_bytes(), &[]).await;
    assert_eq!(
        res.status(),
        StatusCode::FORBIDDEN,
        "only into one's own units"
    );
    let form = Form::new()
        .text("csrf", "gia-mao")
        .text("unit_id", own.to_string())
        .part("file", Part::bytes(seed_bytes()).file_name("a.txt"));
    let res = s
        .http
        .post(format!("{}/documents", s.base))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let docx = std::fs::read(
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../domain/tests/corpus/docx/ke-hoach-tinh-uy.docx"),
    )
    .unwrap();
    let res = upload(&s, own, "ke-hoach-tinh-uy.docx", docx, &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "Word files are read");
    let list = s.get("/documents").await.text().await.unwrap();
    assert!(
        list.contains("1 văn bản"),
        "nothing half-imported from the refused uploads"
    );
}
both_backends!(upload_checks, uploads_are_checked);
