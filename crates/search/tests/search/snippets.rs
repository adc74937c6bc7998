use crate::{doc, index_with, search};

#[test]
fn snippet_marks_matches_in_the_original_accented_text() {
    let index = index_with(&[doc(
        1,
        "Kế hoạch dân vận",
        "Đẩy mạnh công tác dân vận của hệ thống chính trị.",
    )]);
    let hit = &search(&index, "cong tac dan van").hits[0];
    assert!(
        hit.snippet_html
            .contains("<mark>công</mark> <mark>tác</mark> <mark>dân</mark> <mark>vận</mark>"),
        "{}",
        hit.snippet_html
    );
    assert_eq!(hit.title_html, "Kế hoạch <mark>dân</mark> <mark>vận</mark>");
    assert_eq!(hit.title, "Kế hoạch dân vận");
    assert_eq!(hit.kind, "Kế hoạch");
    assert_eq!(hit.unit_id, Some(7));
    assert_eq!(hit.issued_on.as_deref(), Some("2024-03-01"));
}

#[test]
fn snippet_and_title_escape_html() {
    let index = index_with(&[doc(
        1,
        "<b>Dân vận</b> & \"khéo\"",
        "<script>alert('x')</script> công tác dân vận <img src=x onerror=alert(1)>",
    )]);
    let hit = &search(&index, "dân vận").hits[0];
    assert!(
        !hit.snippet_html.contains("<script"),
        "{}",
        hit.snippet_html
    );
    assert!(!hit.snippet_html.contains("<img"), "{}", hit.snippet_html);
    assert!(
        hit.snippet_html.contains("&lt;script&gt;"),
        "{}",
        hit.snippet_html
    );
    assert!(
        hit.snippet_html.contains("<mark>dân</mark>"),
        "{}",
        hit.snippet_html
    );
    assert_eq!(
        hit.title_html,
        "&lt;b&gt;<mark>Dân</mark> <mark>vận</mark>&lt;/b&gt; &amp; &quot;khéo&quot;"
    );
}

#[test]
fn snippet_is_short_and_centred_on_matches() {
    let filler =
        "Các chi bộ tiếp tục quán triệt nghị quyết và thực hiện nhiệm vụ chính trị. ".repeat(60);
    let body = format!("{filler}Mô hình Dân vận khéo được nhân rộng. {filler}");
    let index = index_with(&[doc(1, "Báo cáo", &body)]);
    let hit = &search(&index, "dan van kheo").hits[0];
    let visible = hit
        .snippet_html
        .replace("<mark>", "")
        .replace("</mark>", "");
    assert!(visible.chars().count() <= 250, "{}", hit.snippet_html);
    assert!(hit.snippet_html.starts_with("… "), "{}", hit.snippet_html);
    assert!(hit.snippet_html.ends_with(" …"), "{}", hit.snippet_html);
    assert!(
        hit.snippet_html
            .contains("<mark>Dân</mark> <mark>vận</mark> <mark>khéo</mark>"),
        "{}",
        hit.snippet_html
    );
}

#[test]
fn title_only_match_shows_the_beginning_of_the_body() {
    let body = "Căn cứ Điều lệ Đảng; căn cứ Quy chế làm việc. ".repeat(20);
    let index = index_with(&[doc(1, "Kế hoạch kiểm tra", &body)]);
    let hit = &search(&index, "kiem tra").hits[0];
    assert!(
        hit.snippet_html.starts_with("Căn cứ Điều lệ Đảng"),
        "{}",
        hit.snippet_html
    );
    assert!(hit.snippet_html.ends_with(" …"), "{}", hit.snippet_html);
    assert!(!hit.snippet_html.contains("<mark>"));
}
