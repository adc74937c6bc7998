//! Document structure: the seed plan exactly, each layout variant from the corpus, and span
//! invariants under generated input.

use danvan_domain::document::{Document, Node, NodeKind, Span, parse};
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

use crate::support;

fn corpus(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/corpus")
        .join(name);
    std::fs::read_to_string(path).expect("corpus file")
}

fn count(node: &Node, kind: NodeKind) -> usize {
    node.children_of(kind).count()
}

#[test]
fn seed_structure_is_exact() {
    let doc = parse(&support::seed_text());
    assert_eq!(doc.header.issuing_body, None);
    assert_eq!(doc.header.motto, None);
    assert_eq!(doc.header.symbol, None);
    assert_eq!(doc.header.place, None);
    assert_eq!(doc.header.date, None);
    assert_eq!(
        doc.doc_type.as_ref().map(|t| t.text.as_str()),
        Some("KẾ HOẠCH")
    );
    assert_eq!(
        doc.trich_yeu.as_ref().map(|t| t.text.as_str()),
        Some("Công tác dân vận năm 2024")
    );
    assert_eq!(doc.preamble.len(), 1);
    assert!(
        doc.preamble_text()
            .starts_with("Căn cứ Quyết định số 593-QĐ/TU")
    );
    assert!(doc.preamble_text().ends_with("như sau:"));

    let parts: Vec<&Node> = doc.parts().collect();
    assert_eq!(parts.len(), 3);
    assert_eq!(doc.body.len(), 3, "nothing outside the parts");
    let labels: Vec<&str> = parts.iter().filter_map(|p| p.label.as_deref()).collect();
    assert_eq!(labels, ["I", "II", "III"]);
    assert_eq!(parts[0].text, "MỤC ĐÍCH, YÊU CẦU");
    assert_eq!(parts[1].text, "NỘI DUNG TRỌNG TÂM");
    assert_eq!(parts[2].text, "TỔ CHỨC THỰC HIỆN");
    let sections: Vec<usize> = parts.iter().map(|p| count(p, NodeKind::Section)).collect();
    assert_eq!(sections, [2, 7, 2]);
    for p in &parts {
        assert_eq!(
            p.children.len(),
            count(p, NodeKind::Section),
            "only sections under {:?}",
            p.label
        );
    }
    let bullets: Vec<usize> = parts[1]
        .children
        .iter()
        .map(|s| count(s, NodeKind::Bullet))
        .collect();
    assert_eq!(bullets, [5, 6, 2, 3, 4, 5, 5]);
    for s in parts[1].children.iter() {
        assert_eq!(
            s.children.len(),
            count(s, NodeKind::Bullet),
            "only bullets under II.{:?}",
            s.label
        );
    }
    assert!(
        parts[1].children[4].text.chars().count() > 170,
        "II.5 is one long heading"
    );

    // The page-break blank lines inside sentences are joined.
    let all_bullets: Vec<&Node> = parts[1]
        .children
        .iter()
        .flat_map(|s| s.children.iter())
        .collect();
    let joined = all_bullets
        .iter()
        .filter(|b| b.text.contains("ngày càng phồn vinh"))
        .count();
    assert_eq!(
        joined, 2,
        "II.1 and II.5 both say it, each inside one bullet"
    );
    assert!(all_bullets.iter().any(|b| {
        b.text
            .contains("thực hiện các chương trình mục tiêu quốc gia")
    }));
    assert!(
        all_bullets
            .iter()
            .any(|b| b.text.contains("của người đứng đầu, cán bộ chủ chốt"))
    );
    assert!(
        !all_bullets
            .iter()
            .any(|b| b.text.starts_with(char::is_lowercase))
    );

    assert_eq!(doc.recipients.len(), 8);
    assert_eq!(doc.recipients[0].text, "Ban Dân vận Trung ương");
    assert_eq!(doc.recipients[7].text, "Lưu Văn phòng Tỉnh ủy");
    let signer = doc.signer.as_ref().expect("signer");
    assert_eq!(signer.authority.as_deref(), Some("T/M BAN THƯỜNG VỤ"));
    assert_eq!(signer.title.as_deref(), Some("PHÓ BÍ THƯ THƯỜNG TRỰC"));
    assert_eq!(signer.name.as_deref(), Some("Hoàng Văn Nghiệm"));
    assert!(doc.footnotes.is_empty() && doc.appendices.is_empty());
}

#[test]
fn seed_spans_point_into_the_original() {
    let seed = support::seed_text();
    let doc = parse(&seed);
    check_spans(&seed, &doc);
    let part1 = doc.parts().next().expect("part I");
    assert_eq!(
        &seed[part1.span.start..part1.span.end],
        "I. MỤC ĐÍCH, YÊU CẦU"
    );
    let bullet = &doc.parts().nth(1).expect("II").children[0].children[0];
    let raw = &seed[bullet.span.start..bullet.span.end];
    assert!(
        raw.contains("ngày càng\n\nphồn vinh"),
        "span covers the page break"
    );
    let signer = doc.signer.as_ref().expect("signer");
    assert!(seed[signer.span.start..signer.span.end].starts_with("**T/M"));
}

#[test]
fn seed_reading_text_is_clean() {
    let doc = parse(&support::seed_text());
    let text = doc.reading_text();
    assert!(text.starts_with("KẾ HOẠCH\nCông tác dân vận năm 2024\nCăn cứ"));
    assert!(text.contains("\nI. MỤC ĐÍCH, YÊU CẦU\n"));
    assert!(text.contains("ngày càng phồn vinh"));
    assert!(!text.contains("**"));
    assert!(text.ends_with("T/M BAN THƯỜNG VỤ\nPHÓ BÍ THƯ THƯỜNG TRỰC\nHoàng Văn Nghiệm"));
    // The reading text keeps every citation.
    assert_eq!(
        danvan_domain::citations::extract(&text).len(),
        danvan_domain::citations::extract(&support::seed_text()).len()
    );
}

#[test]
fn seed_survives_nfd_eth_and_old_tones() {
    let seed = support::seed_text();
    let nfd: String = seed.nfd().collect();
    let doc = parse(&nfd);
    check_spans(&nfd, &doc);
    assert_eq!(doc.parts().count(), 3);
    assert_eq!(
        doc.parts().nth(1).map(|p| count(p, NodeKind::Section)),
        Some(7)
    );
    assert_eq!(doc.recipients.len(), 8);
    assert_eq!(
        doc.signer.as_ref().and_then(|s| s.name.as_deref()),
        Some("Hoàng Văn Nghiệm")
    );

    let old = seed
        .replace("hóa", "hoá")
        .replace("khóa", "khoá")
        .replace("Tỉnh ủy", "Tỉnh uỷ")
        .replace('Đ', "Ð");
    let doc = parse(&old);
    assert_eq!(doc.parts().count(), 3);
    assert_eq!(doc.recipients.len(), 8);
    assert_eq!(
        doc.doc_type.as_ref().map(|t| t.text.as_str()),
        Some("KẾ HOẠCH")
    );
}

#[test]
fn party_decision_with_header_articles_and_points() {
    let text = corpus("quyet-dinh-ban-thuong-vu.txt");
    let doc = parse(&text);
    check_spans(&text, &doc);
    let h = &doc.header;
    assert_eq!(h.issuing_body.as_deref(), Some("TỈNH ỦY LẠNG SƠN"));
    assert_eq!(h.motto.as_deref(), Some("ĐẢNG CỘNG SẢN VIỆT NAM"));
    assert_eq!(h.symbol.as_deref(), Some("612-QĐ/TU"));
    assert_eq!(h.place.as_deref(), Some("Lạng Sơn"));
    assert_eq!(h.date.map(|d| d.to_string()).as_deref(), Some("2024-01-05"));
    assert_eq!(
        doc.doc_type.as_ref().map(|t| t.text.as_str()),
        Some("QUYẾT ĐỊNH")
    );
    assert_eq!(
        doc.trich_yeu.as_ref().map(|t| t.text.as_str()),
        Some("ban hành Quy chế phối hợp công tác dân vận năm 2024")
    );
    assert!(doc.preamble_text().starts_with("Căn cứ Điều lệ Đảng"));
    let articles: Vec<&Node> = doc
        .body
        .iter()
        .filter(|n| n.kind == NodeKind::Article)
        .collect();
    assert_eq!(articles.len(), 3);
    assert_eq!(articles[0].label.as_deref(), Some("1"));
    let khoan: Vec<&Node> = articles[2].children_of(NodeKind::Section).collect();
    assert_eq!(khoan.len(), 2);
    let points: Vec<&str> = khoan[1]
        .children_of(NodeKind::Point)
        .filter_map(|p| p.label.as_deref())
        .collect();
    assert_eq!(points, ["a", "b", "đ"]);
    assert_eq!(doc.recipients.len(), 3);
    let s = doc.signer.as_ref().expect("signer");
    assert_eq!(s.authority.as_deref(), Some("T/M BAN THƯỜNG VỤ K/T BÍ THƯ"));
    assert_eq!(s.title.as_deref(), Some("PHÓ BÍ THƯ THƯỜNG TRỰC"));
    assert_eq!(s.name.as_deref(), Some("Hoàng Văn Nghiệm"));
}

#[test]
fn resolution_with_phan_chuong_muc_dieu_tables_footnotes_and_appendix() {
    let text = corpus("nghi-quyet-phan-chuong-dieu.txt");
    let doc = parse(&text);
    check_spans(&text, &doc);
    let h = &doc.header;
    assert_eq!(
        h.issuing_body.as_deref(),
        Some("ĐẢNG BỘ TỈNH LẠNG SƠN BAN CHẤP HÀNH")
    );
    assert_eq!(h.symbol.as_deref(), Some("58-NQ/TU"));
    assert_eq!(h.date.map(|d| d.to_string()).as_deref(), Some("2021-11-29"));
    assert_eq!(
        doc.trich_yeu.as_ref().map(|t| t.text.as_str()),
        Some("về công tác dân tộc giai đoạn 2021 - 2030")
    );

    let parts: Vec<&Node> = doc.parts().collect();
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0].label.as_deref(), Some("thứ nhất"));
    assert_eq!(parts[0].text, "TÌNH HÌNH VÀ NGUYÊN NHÂN");
    let roman: Vec<&str> = parts[0]
        .children_of(NodeKind::Part)
        .filter_map(|p| p.label.as_deref())
        .collect();
    assert_eq!(roman, ["I", "II"], "I- parts nest under Phần thứ nhất");
    let i = parts[0].children_of(NodeKind::Part).next().expect("I-");
    let s1 = i.children_of(NodeKind::Section).next().expect("1-");
    assert_eq!(s1.label.as_deref(), Some("1"));
    let sub: Vec<&str> = s1
        .children_of(NodeKind::Section)
        .filter_map(|n| n.label.as_deref())
        .collect();
    assert_eq!(sub, ["1.1", "1.2"]);
    let s11 = s1.children_of(NodeKind::Section).next().expect("1.1");
    assert_eq!(
        s11.children_of(NodeKind::Section).count(),
        2,
        "1.1.1 and 1.1.2"
    );
    let s12 = s1.children_of(NodeKind::Section).nth(1).expect("1.2");
    assert_eq!(
        s12.text, "Công tác kiểm tra được thực hiện thường xuyên",
        "\"1.2.Tiêu đề\" without a space"
    );
    assert_eq!(s12.children_of(NodeKind::SubBullet).count(), 2);
    let ii = parts[0].children_of(NodeKind::Part).nth(1).expect("II-");
    assert!(
        ii.children[0]
            .text
            .contains("Bộ luật Dân sự và các văn bản"),
        "joined across the line break"
    );

    let chapter = parts[1]
        .children_of(NodeKind::Chapter)
        .next()
        .expect("Chương I");
    assert_eq!(chapter.label.as_deref(), Some("I"));
    assert_eq!(chapter.text, "QUY ĐỊNH CHUNG");
    let muc = chapter
        .children_of(NodeKind::Division)
        .next()
        .expect("Mục 1");
    assert_eq!(muc.text, "PHẠM VI");
    let dieu: Vec<&Node> = muc.children_of(NodeKind::Article).collect();
    assert_eq!(dieu.len(), 2);
    assert_eq!(
        dieu[1].children_of(NodeKind::Bullet).count(),
        2,
        "• bullets"
    );
    let table = dieu[1].children_of(NodeKind::Table).next().expect("table");
    assert_eq!(table.rows.len(), 3, "separator row dropped");
    assert_eq!(table.rows[0], ["Chỉ tiêu", "Năm 2025", "Năm 2030"]);

    assert_eq!(doc.footnotes.len(), 1);
    assert_eq!(doc.footnotes[0].label.as_deref(), Some("1"));
    assert_eq!(doc.appendices.len(), 1);
    assert_eq!(doc.appendices[0].label.as_deref(), Some("I"));
    assert_eq!(doc.appendices[0].text, "DANH MỤC VĂN BẢN THAM CHIẾU");
    assert_eq!(doc.appendices[0].children_of(NodeKind::Section).count(), 8);
    assert_eq!(doc.recipients.len(), 3);
    let s = doc.signer.as_ref().expect("signer");
    assert_eq!(s.authority.as_deref(), Some("T/M TỈNH ỦY"));
    assert_eq!(s.title.as_deref(), Some("BÍ THƯ"));
    assert_eq!(s.name.as_deref(), Some("Nguyễn Văn A"));
}

#[test]
fn state_plan_in_nfd_with_flattened_header_and_collapsed_tail() {
    let text = corpus("ke-hoach-ubnd-nfd.txt");
    assert!(
        !unicode_normalization::is_nfc(&text),
        "the corpus file is NFD on purpose"
    );
    let doc = parse(&text);
    check_spans(&text, &doc);
    let h = &doc.header;
    assert_eq!(
        h.issuing_body.as_deref(),
        Some("ỦY BAN NHÂN DÂN TỈNH LẠNG SƠN")
    );
    assert_eq!(
        h.motto.as_deref(),
        Some("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    );
    assert_eq!(h.tagline.as_deref(), Some("Độc lập - Tự do - Hạnh phúc"));
    assert_eq!(h.symbol.as_deref(), Some("70/KH-UBND"));
    assert_eq!(h.place.as_deref(), Some("Lạng Sơn"));
    assert_eq!(h.date.map(|d| d.to_string()).as_deref(), Some("2024-03-12"));
    assert_eq!(
        doc.doc_type.as_ref().map(|t| t.text.as_str()),
        Some("KẾ HOẠCH")
    );
    let parts: Vec<&Node> = doc.parts().collect();
    assert_eq!(parts.len(), 3);
    let s: Vec<&Node> = parts[0].children_of(NodeKind::Section).collect();
    assert_eq!(s.len(), 2, "\"1.Tiêu đề\" without a space");
    assert!(s[1].text.ends_with("chính quyền thân thiện, gần dân."));
    assert_eq!(parts[1].children_of(NodeKind::Section).count(), 2);
    let recipients: Vec<&str> = doc.recipients.iter().map(|r| r.text.as_str()).collect();
    assert_eq!(recipients, ["Bộ Nội vụ", "Thường trực Tỉnh ủy", "Lưu: VT"]);
    let sg = doc.signer.as_ref().expect("signer");
    assert_eq!(
        sg.authority.as_deref(),
        Some("TM. ỦY BAN NHÂN DÂN KT. CHỦ TỊCH")
    );
    assert_eq!(sg.title.as_deref(), Some("PHÓ CHỦ TỊCH"));
    assert_eq!(sg.name.as_deref(), Some("Đoàn Thu Hà"));
}

#[test]
fn missing_parts_are_none_not_invented() {
    let doc = parse("Một đoạn văn bản không có cấu trúc.\n\nĐoạn thứ hai.");
    assert_eq!(doc.header, Default::default());
    assert!(doc.doc_type.is_none() && doc.trich_yeu.is_none() && doc.signer.is_none());
    assert!(doc.recipients.is_empty() && doc.preamble.is_empty());
    assert_eq!(doc.body.len(), 2);
    assert!(doc.body.iter().all(|n| n.kind == NodeKind::Paragraph));
    let empty = parse("");
    assert!(empty.body.is_empty());
}

#[test]
fn headings_i_dash_and_phan_thu() {
    let doc = parse(
        "I- MỤC TIÊU\n1- Nâng cao nhận thức\n2- Đổi mới phương thức\nII- GIẢI PHÁP\n1- Tăng cường",
    );
    let parts: Vec<&Node> = doc.parts().collect();
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0].children_of(NodeKind::Section).count(), 2);
    let doc = parse("PHẦN THỨ HAI\nNHIỆM VỤ\nChương thứ hai\nTỔ CHỨC");
    let part = doc.parts().next().expect("part");
    assert_eq!(part.label.as_deref(), Some("thứ hai"));
    let ch = part.children_of(NodeKind::Chapter).next().expect("chapter");
    assert_eq!(ch.label.as_deref(), Some("thứ hai"));
    assert_eq!(ch.text, "TỔ CHỨC");
}

#[test]
fn lines_that_only_look_like_headings() {
    let doc = parse(
        "03 chương trình mục tiêu quốc gia.\n10.000 hộ dân.\nMục đích của kế hoạch.\nChương trình hành động.",
    );
    assert!(
        doc.body.iter().all(|n| n.kind == NodeKind::Paragraph),
        "{:#?}",
        doc.body
    );
}

#[test]
fn serialises_to_json() {
    let doc = parse(&support::seed_text());
    let json = serde_json::to_value(&doc).expect("serialise");
    assert_eq!(json["doc_type"]["text"], "KẾ HOẠCH");
    assert_eq!(json["body"][0]["kind"], "part");
    assert_eq!(json["signer"]["name"], "Hoàng Văn Nghiệm");
    assert!(json["header"]["symbol"].is_null());
}

fn check_span(text: &str, span: Span) {
    assert!(span.start <= span.end && span.end <= text.len(), "{span:?}");
    assert!(
        text.is_char_boundary(span.start) && text.is_char_boundary(span.end),
        "{span:?}"
    );
}

fn check_node(text: &str, n: &Node) {
    check_span(text, n.span);
    for c in &n.children {
        check_node(text, c);
    }
}

fn check_spans(text: &str, doc: &Document) {
    if let Some(s) = doc.header.span {
        check_span(text, s);
    }
    for t in doc
        .doc_type
        .iter()
        .chain(&doc.trich_yeu)
        .chain(&doc.recipients)
    {
        check_span(text, t.span);
    }
    for n in doc
        .preamble
        .iter()
        .chain(&doc.body)
        .chain(&doc.footnotes)
        .chain(&doc.appendices)
    {
        check_node(text, n);
    }
    if let Some(s) = &doc.signer {
        check_span(text, s.span);
    }
}

fn doc_soup() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "KẾ HOẠCH",
        "\n",
        "\n\n",
        " ",
        "I. ",
        "II- ",
        "1. ",
        "1.2.",
        "1.3.1 ",
        "a) ",
        "đ) ",
        "- ",
        "+ ",
        "• ",
        "| ",
        "**",
        "Nơi nhận:",
        "T/M ",
        "TM. ",
        "K/T ",
        "BAN THƯỜNG VỤ",
        "PHÓ BÍ THƯ",
        "Hoàng Văn Nghiệm",
        "Căn cứ ",
        "Phần thứ ",
        "Chương ",
        "Mục ",
        "Điều ",
        "Phụ lục ",
        "[1] ",
        "[^2]: ",
        "ngày càng",
        "phồn vinh",
        "Số 593-QĐ/TU",
        "Lạng Sơn, ngày 11 tháng 11 năm 2021",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "Ð",
        "\u{301}",
        "ố",
        "\r\n",
        ".",
        ";",
        ":",
    ]);
    prop::collection::vec(pieces, 0..80).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn parse_never_panics_and_spans_are_char_boundaries(s in any::<String>()) {
        let doc = parse(&s);
        check_spans(&s, &doc);
        let _ = doc.reading_text();
    }

    #[test]
    fn parse_on_document_soup(s in doc_soup()) {
        let doc = parse(&s);
        check_spans(&s, &doc);
        let _ = doc.reading_text();
    }
}
