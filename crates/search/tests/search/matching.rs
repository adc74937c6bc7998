use crate::{doc, ids, index_with, search, sorted_ids};

#[test]
fn unaccented_query_finds_accented_text() {
    let index = index_with(&[
        doc(
            1,
            "Phong trào thi đua",
            "Xây dựng mô hình Dân vận khéo ở cơ sở.",
        ),
        doc(2, "Báo cáo", "Tổng kết công tác thi đua khen thưởng."),
    ]);
    assert_eq!(ids(&index, "dan van kheo"), [1]);
    assert_eq!(ids(&index, "DAN VAN KHEO"), [1]);
}

#[test]
fn dang_finds_d_with_stroke_in_any_case() {
    let index = index_with(&[
        doc(1, "Đảng bộ xã", "Nghị quyết của Đảng."),
        doc(2, "BÁO CÁO", "ĐẢNG CỘNG SẢN VIỆT NAM"),
        doc(3, "Nhà nước", "Quản lý nhà nước về đất đai."),
    ]);
    assert_eq!(sorted_ids(&index, "dang"), [1, 2]);
    assert_eq!(sorted_ids(&index, "Đảng"), [1, 2]);
    assert_eq!(sorted_ids(&index, "đảng"), [1, 2]);
}

#[test]
fn decomposed_text_matches_when_indexed_or_queried() {
    let index = index_with(&[
        doc(
            1,
            "Ti\u{0309}nh La\u{0323}ng So\u{031B}n",
            "Ho\u{0323}\u{0302}i nghi\u{0323} trie\u{0302}\u{0309}n khai nghi\u{0323} quye\u{0302}\u{0301}t.",
        ),
        doc(2, "Tỉnh Cao Bằng", "Hội nghị sơ kết."),
    ]);
    assert_eq!(ids(&index, "Lạng Sơn"), [1]);
    assert_eq!(ids(&index, "lang son"), [1]);
    assert_eq!(ids(&index, "La\u{0323}ng So\u{031B}n"), [1]);
    assert_eq!(ids(&index, "Cao Ba\u{0306}\u{0300}ng"), [2]);
    assert_eq!(
        sorted_ids(&index, "ho\u{0323}\u{0302}i nghi\u{0323}"),
        [1, 2]
    );
}

#[test]
fn icelandic_eth_is_taken_for_d_with_stroke() {
    let index = index_with(&[
        doc(1, "\u{00D0}ảng ủy phường", "Ban chấp hành"),
        doc(2, "Đoàn thanh niên", "Ban chấp hành"),
    ]);
    assert_eq!(ids(&index, "đảng ủy"), [1]);
    assert_eq!(ids(&index, "dang uy"), [1]);
    assert_eq!(ids(&index, "\u{00D0}oàn"), [2]);
    assert_eq!(ids(&index, "\u{00F0}oàn thanh niên"), [2]);
}

#[test]
fn accented_query_also_finds_unaccented_text() {
    let index = index_with(&[
        doc(1, "Dân vận", "Công tác dân vận."),
        doc(2, "Dan van", "Cong tac dan van."),
        doc(3, "Mặt trận", "Công tác mặt trận."),
    ]);
    assert_eq!(sorted_ids(&index, "Dân vận"), [1, 2]);
}

#[test]
fn every_word_must_match() {
    let index = index_with(&[
        doc(1, "Dân vận khéo", "Mô hình điểm."),
        doc(2, "Dân vận", "Mô hình điểm."),
        doc(3, "Khéo tay", "Hay làm."),
        doc(4, "Báo cáo", "Dân vận, thi đua và khéo léo."),
    ]);
    assert_eq!(sorted_ids(&index, "dân vận khéo"), [1, 4]);
    assert_eq!(search(&index, "dân vận khéo").total, 2);
    assert_eq!(sorted_ids(&index, "dân vận"), [1, 2, 4]);
    assert!(ids(&index, "dân vận xyz").is_empty());
}

#[test]
fn document_symbols_are_found_however_typed() {
    let index = index_with(&[
        doc(1, "Quyết định số 593-QĐ/TU", "Về việc ban hành quy chế."),
        doc(
            2,
            "Quyết định số 594-QĐ/TU",
            "Về việc kiện toàn ban chỉ đạo.",
        ),
        doc(
            3,
            "Kế hoạch 12-KH/HU",
            "Thực hiện Quyết định 593-QĐ/TU của Tỉnh ủy.",
        ),
    ]);
    for query in [
        "593-QĐ/TU",
        "593 QĐ TU",
        "593-qd/tu",
        "593 qd tu",
        "593-QÐ/TU",
        "593/qđ-tu",
    ] {
        assert_eq!(sorted_ids(&index, query), [1, 3], "{query}");
    }
    assert_eq!(ids(&index, "12-KH/HU"), [3]);
    assert!(ids(&index, "595-QĐ/TU").is_empty());
}

#[test]
fn queries_without_words_give_no_results() {
    let index = index_with(&[doc(1, "Dân vận", "Công tác dân vận.")]);
    for query in [
        "",
        "   ",
        "\t\n",
        "!!! --- ///",
        "\"",
        "(*)",
        "\u{0301}\u{0300}",
        "…",
    ] {
        let results = index.search(query, 10, 0).expect(query);
        assert_eq!(results.total, 0, "{query:?}");
        assert!(results.hits.is_empty(), "{query:?}");
    }
}

#[test]
fn query_parser_syntax_is_plain_text() {
    let index = index_with(&[doc(1, "title:dân AND vận", "Công tác \"dân vận\" (khéo).")]);
    for query in [
        "\"dân vận",
        "dân vận\"",
        "title:dân",
        "(khéo",
        "dân AND vận",
        "dân -vận",
        "+dân",
        "dân~",
        "vận^",
        "[dân vận]",
        "{dân}",
    ] {
        assert_eq!(ids(&index, query), [1], "{query}");
    }
}
