//! Citation extraction: the seed plan against a hand-checked list, every variant of
//! documents.md §1.3, and the span invariants under generated input.

use danvan_domain::citations::{Citation, extract, flag};
use proptest::prelude::*;

use crate::support;

/// Every numbered citation in the seed, in text order, read off the seed by hand:
/// (symbol, type, date or "" when the text gives none).
const SEED_GOLD: &[(&str, &str, &str)] = &[
    ("593-QĐ/TU", "Quyết định", "2021-11-11"),
    ("139-NQ/TW", "Nghị quyết", "2023-12-06"),
    ("43-KL/TW", "Kết luận", "2019-01-07"),
    ("25-NQ/TW", "Nghị quyết", "2013-06-03"),
    ("593-QĐ/TU", "Quyết định", "2021-11-11"),
    ("43-NQ/TW", "Nghị quyết", "2023-11-24"),
    ("24-CT/TU", "Chỉ thị", "2023-07-13"),
    ("33/CT-TTg", "Chỉ thị", "2021-11-26"),
    ("593-QĐ/TU", "Quyết định", "2021-11-11"),
    ("02/HD-UBND", "Hướng dẫn", "2017-05-15"),
    ("18-CT/TU", "Chỉ thị", "2018-02-25"),
    ("825-QĐ/TU", "Quyết định", "2022-04-26"),
    ("03-QĐ/BCĐ", "Quyết định", "2023-05-31"),
    ("01-ĐA/BDVTU-UBND", "Đề án", "2019-04-24"),
    ("59/2023/NĐ-CP", "Nghị định", "2023-08-14"),
    ("61/2023/NĐ-CP", "Nghị định", "2023-08-16"),
    ("10/NQ-CP", "Nghị quyết", "2022-01-28"),
    ("58-NQ/TU", "Nghị quyết", "2021-11-29"),
    ("22-CT/TU", "Chỉ thị", "2023-03-23"),
    ("18-CT/TW", "Chỉ thị", "2022-10-26"),
    ("124-QĐ/TW", "Quy định", "2018-02-02"),
    ("43-NQ/TW", "Nghị quyết", "2023-11-24"),
    ("129-NQ/TU", "Nghị quyết", "2020-06-24"),
    ("05-ĐA/TU", "Đề án", "2022-08-11"),
    ("24-CT/TU", "Chỉ thị", "2023-07-13"),
    ("27-CT/TU", "Chỉ thị", "2014-02-26"),
    ("133-KL/TU", "Kết luận", "2014-08-06"),
    ("65-KL/TW", "Kết luận", "2019-10-30"),
    ("24-NQ/TW", "Nghị quyết", "2003-03-12"),
    ("01-ĐA/BDVTU-UBND", "Đề án", "2019-04-24"),
    ("61-KL/TW", "Kết luận", ""),
    ("593-QĐ/TU", "Quyết định", "2021-11-11"),
];

fn numbered(cits: &[Citation]) -> Vec<&Citation> {
    cits.iter().filter(|c| c.symbol.is_some()).collect()
}

fn iso(c: &Citation) -> String {
    c.date.map(|d| d.to_string()).unwrap_or_default()
}

fn one(text: &str) -> Citation {
    let cits = extract(text);
    assert_eq!(cits.len(), 1, "{text}: {cits:#?}");
    cits.into_iter().next().expect("one citation")
}

#[test]
fn seed_numbered_citations_match_the_gold_list_exactly() {
    let seed = support::seed_text();
    let cits = extract(&seed);
    let got: Vec<(String, String, String)> = numbered(&cits)
        .iter()
        .map(|c| {
            (
                c.symbol.clone().unwrap_or_default(),
                c.doc_type.clone().unwrap_or_default(),
                iso(c),
            )
        })
        .collect();
    let want: Vec<(String, String, String)> = SEED_GOLD
        .iter()
        .map(|(s, t, d)| (s.to_string(), t.to_string(), d.to_string()))
        .collect();
    assert_eq!(got, want);

    let mut distinct: Vec<&str> = SEED_GOLD.iter().map(|g| g.0).collect();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(distinct.len(), 26);
    for (symbol, times) in [
        ("593-QĐ/TU", 4),
        ("43-NQ/TW", 2),
        ("24-CT/TU", 2),
        ("01-ĐA/BDVTU-UBND", 2),
    ] {
        assert_eq!(
            SEED_GOLD.iter().filter(|g| g.0 == symbol).count(),
            times,
            "{symbol}"
        );
    }
}

#[test]
fn seed_raw_spans_and_fields() {
    let seed = support::seed_text();
    let cits = extract(&seed);
    for c in &cits {
        assert_eq!(&seed[c.start..c.end], c.raw);
    }
    let first = &cits[0];
    assert_eq!(first.raw, "Quyết định số 593-QĐ/TU, ngày 11/11/2021");
    assert_eq!(first.number.as_deref(), Some("593"));
    assert_eq!(first.type_code.as_deref(), Some("QĐ"));
    assert_eq!(first.issuer_code.as_deref(), Some("TU"));
    assert_eq!(first.issuer.as_deref(), Some("Ban Thường vụ Tỉnh ủy"));
    assert_eq!(
        first.subject.as_deref(),
        Some("ban hành Quy chế công tác dân vận của hệ thống chính trị tỉnh Lạng Sơn")
    );

    let nd59 = cits
        .iter()
        .find(|c| c.symbol.as_deref() == Some("59/2023/NĐ-CP"))
        .expect("59/2023");
    assert_eq!(nd59.year, Some(2023));
    assert_eq!(nd59.issuer.as_deref(), Some("Chính phủ"));
    assert_eq!(nd59.issuer_code.as_deref(), Some("CP"));

    let de_an = cits
        .iter()
        .find(|c| c.symbol.as_deref() == Some("01-ĐA/BDVTU-UBND"))
        .expect("01-ĐA");
    assert_eq!(
        de_an.issuer.as_deref(),
        Some("Ban Dân vận Tỉnh ủy và UBND tỉnh")
    );
    assert_eq!(de_an.issuer_code.as_deref(), Some("BDVTU-UBND"));

    let kl133 = cits
        .iter()
        .find(|c| c.symbol.as_deref() == Some("133-KL/TU"))
        .expect("133");
    assert_eq!(kl133.raw, "Kết luận số 133-KL/TU, 06/8/2014");

    let kl61 = cits
        .iter()
        .find(|c| c.symbol.as_deref() == Some("61-KL/TW"))
        .expect("61");
    assert_eq!(kl61.flags, vec![flag::NO_DATE.to_string()]);
    assert_eq!(
        kl61.issuer, None,
        "\"của cấp ủy\" belongs to the Ban Chỉ đạo, not to the Kết luận"
    );

    let nq10 = cits
        .iter()
        .find(|c| c.symbol.as_deref() == Some("10/NQ-CP"))
        .expect("10/NQ-CP");
    let subject = nq10.subject.as_deref().unwrap_or_default();
    assert!(subject.ends_with("tầm nhìn đến năm 2045"), "{subject}");
}

#[test]
fn seed_139_is_flagged_issuer_mismatch_and_kept_raw() {
    let seed = support::seed_text();
    let cits = extract(&seed);
    let c = cits
        .iter()
        .find(|c| c.symbol.as_deref() == Some("139-NQ/TW"))
        .expect("139-NQ/TW");
    assert_eq!(c.raw, "Nghị quyết số 139-NQ/TW, ngày 06/12/2023");
    assert_eq!(c.issuer.as_deref(), Some("Ban Chấp hành Đảng bộ tỉnh"));
    assert!(
        c.flags.contains(&flag::ISSUER_MISMATCH.to_string()),
        "{:?}",
        c.flags
    );
    // No other seed citation contradicts its issuer.
    let others = cits
        .iter()
        .filter(|c| c.flags.contains(&flag::ISSUER_MISMATCH.to_string()))
        .count();
    assert_eq!(others, 1);
}

#[test]
fn seed_law_by_name_five_times_exactly() {
    let seed = support::seed_text();
    let cits = extract(&seed);
    let laws: Vec<&Citation> = cits.iter().filter(|c| c.symbol.is_none()).collect();
    assert_eq!(laws.len(), 5, "{laws:#?}");
    for law in laws {
        assert_eq!(law.title.as_deref(), Some("Luật Thực hiện dân chủ ở cơ sở"));
        assert_eq!(law.raw, "Luật Thực hiện dân chủ ở cơ sở");
        assert_eq!(law.doc_type.as_deref(), Some("Luật"));
    }
    assert_eq!(cits.len(), SEED_GOLD.len() + 5);
}

#[test]
fn seed_serialises_with_type_and_iso_date() {
    let seed = support::seed_text();
    let cits = extract(&seed);
    let json = serde_json::to_value(&cits[0]).expect("serialise");
    assert_eq!(json["type"], "Quyết định");
    assert_eq!(json["symbol"], "593-QĐ/TU");
    assert_eq!(json["date"], "2021-11-11");
}

// --- documents.md §1.3: dates ------------------------------------------------------------------

#[test]
fn date_slash_padded() {
    assert_eq!(
        iso(&one(
            "theo Quyết định số 593-QĐ/TU, ngày 11/11/2021 của Ban Thường vụ"
        )),
        "2021-11-11"
    );
}

#[test]
fn date_month_not_padded() {
    assert_eq!(
        iso(&one("Nghị quyết số 25-NQ/TW, ngày 03/6/2013")),
        "2013-06-03"
    );
}

#[test]
fn date_without_ngay() {
    let c = one("Kết luận số 133-KL/TU, 06/8/2014 của Ban Thường vụ Tỉnh ủy");
    assert_eq!(iso(&c), "2014-08-06");
    assert_eq!(c.raw, "Kết luận số 133-KL/TU, 06/8/2014");
}

#[test]
fn date_in_words() {
    assert_eq!(
        iso(&one("Nghị quyết số 43-NQ/TW ngày 06 tháng 12 năm 2023")),
        "2023-12-06"
    );
    assert_eq!(
        iso(&one("Quyết định số 217-QĐ/TW ngày 28 tháng 05 năm 2004")),
        "2004-05-28"
    );
}

#[test]
fn date_with_hyphens() {
    assert_eq!(
        iso(&one("Hướng dẫn số 11-HD/VPTW ngày 01-10-1997")),
        "1997-10-01"
    );
    assert_eq!(
        iso(&one("Hướng dẫn số 11-HD/VPTW, 16-02-2004")),
        "2004-02-16"
    );
    assert_eq!(
        iso(&one("Kế hoạch số 70/KH-UBND ngày 12-1-2022")),
        "2022-01-12"
    );
    assert_eq!(iso(&one("Quy định số 11-QĐi/TW, 18-2-2019")), "2019-02-18");
}

#[test]
fn date_with_space_before_slash() {
    assert_eq!(
        iso(&one("Công văn số 1752-CV/BTGTU ngày 13 /10/2022")),
        "2022-10-13"
    );
}

#[test]
fn state_style_date_without_comma() {
    let c = one("Nghị định số 59/2023/NĐ-CP ngày 14/8/2023 của Chính phủ quy định chi tiết");
    assert_eq!(iso(&c), "2023-08-14");
    assert_eq!(c.issuer.as_deref(), Some("Chính phủ"));
    assert_eq!(c.subject.as_deref(), Some("quy định chi tiết"));
}

#[test]
fn invalid_date_is_not_taken() {
    let c = one("Chỉ thị số 05-CT/TU, ngày 31/02/2020");
    assert_eq!(c.date, None);
    assert_eq!(c.raw, "Chỉ thị số 05-CT/TU");
    assert!(c.flags.contains(&flag::NO_DATE.to_string()));
}

#[test]
fn year_ranges_are_not_citations() {
    for text in [
        "giai đoạn 2021 - 2025",
        "nhiệm kỳ 2020 - 2025",
        "giai đoạn 2025 - 2030",
        "năm 2021-2025/2030",
        "ngày 11/11/2021",
        "mục 1.3.1 và 03 chương trình",
    ] {
        assert!(extract(text).is_empty(), "{text}: {:?}", extract(text));
    }
}

// --- documents.md §1.3: spacing and glue ---------------------------------------------------------

#[test]
fn space_after_hyphen() {
    let c = one("Đề án số 05- ĐA/TU, ngày 11/8/2022");
    assert_eq!(c.symbol.as_deref(), Some("05-ĐA/TU"));
    assert_eq!(c.number.as_deref(), Some("05"));
    assert!(c.flags.contains(&flag::SPACING.to_string()));
}

#[test]
fn spaces_around_hyphen() {
    let c = one("Quyết định số 367 - QĐ/TWĐTN-VP ngày 12/3/2019 của Ban Bí thư Trung ương Đoàn");
    assert_eq!(c.symbol.as_deref(), Some("367-QĐ/TWĐTN-VP"));
    assert_eq!(c.issuer_code.as_deref(), Some("TWĐTN-VP"));
}

#[test]
fn missing_hyphen() {
    let c = one("Quyết định số 84 QĐ/TWĐTN ngày 05/5/2020");
    assert_eq!(c.symbol.as_deref(), Some("84-QĐ/TWĐTN"));
    assert!(c.flags.contains(&flag::MISSING_HYPHEN.to_string()));
}

#[test]
fn so_glued_to_number_and_issuer_before_so() {
    let c = one("Quyết định của Bộ Chính trị số31-QĐ/TW ngày 02/6/2006");
    assert_eq!(c.symbol.as_deref(), Some("31-QĐ/TW"));
    assert_eq!(c.doc_type.as_deref(), Some("Quyết định"));
    assert_eq!(c.issuer.as_deref(), Some("Bộ Chính trị"));
    assert_eq!(
        c.raw,
        "Quyết định của Bộ Chính trị số31-QĐ/TW ngày 02/6/2006"
    );
    assert!(c.flags.contains(&flag::GLUED_NUMBER.to_string()));
}

#[test]
fn so_cut_to_s() {
    let cits = extract("Nghị định s20/2008/NĐ-CP ngày 14/02/2008");
    assert_eq!(cits[0].symbol.as_deref(), Some("20/2008/NĐ-CP"));
    assert_eq!(cits[0].number.as_deref(), Some("20"));
    assert_eq!(cits[0].doc_type.as_deref(), Some("Nghị định"));
}

#[test]
fn missing_slash_before_type() {
    let c = one("Quyết định số 06/2021QĐ-UBND ngày 20/01/2021 của UBND tỉnh");
    assert_eq!(c.symbol.as_deref(), Some("06/2021/QĐ-UBND"));
    assert_eq!(c.year, Some(2021));
    assert!(c.flags.contains(&flag::MISSING_SLASH.to_string()));
}

#[test]
fn slash_and_hyphen_swapped_party_document() {
    let c = one("Quy định số 11/QĐi-TW ngày 18/02/2019");
    assert_eq!(c.symbol.as_deref(), Some("11/QĐi-TW"));
    assert_eq!(c.type_code.as_deref(), Some("QĐi"));
    assert_eq!(c.issuer_code.as_deref(), Some("TW"));
    assert!(c.flags.contains(&flag::STATE_STYLE_PARTY.to_string()));
    let c = one("Nghị quyết số 17/NQ-TW ngày 01/8/2007");
    assert_eq!(c.symbol.as_deref(), Some("17/NQ-TW"));
    assert!(c.flags.contains(&flag::STATE_STYLE_PARTY.to_string()));
}

#[test]
fn slash_form_party_symbol() {
    let c = one("Quyết định số 646/QĐ/QUTW ngày 10/10/2020");
    assert_eq!(c.symbol.as_deref(), Some("646/QĐ/QUTW"));
    assert_eq!(c.type_code.as_deref(), Some("QĐ"));
}

// --- documents.md §1.3: characters, orthography, layout -------------------------------------------

#[test]
fn legacy_eth_is_normalised() {
    let c = one("Quy định số 11-QÐi/TW, ngày 18/02/2019");
    assert_eq!(c.symbol.as_deref(), Some("11-QĐi/TW"));
    assert_eq!(c.type_code.as_deref(), Some("QĐi"));
    assert!(c.flags.contains(&flag::LEGACY_GLYPH.to_string()));
    assert!(c.raw.contains('Ð'), "raw keeps the input as written");
}

#[test]
fn nfd_text() {
    use unicode_normalization::UnicodeNormalization;
    let text: String =
        "Quyết định số 593-QĐ/TU, ngày 11/11/2021 của Ban Thường vụ Tỉnh ủy về việc ban hành"
            .nfd()
            .collect();
    let c = one(&text);
    assert_eq!(c.doc_type.as_deref(), Some("Quyết định"));
    assert_eq!(c.symbol.as_deref(), Some("593-QĐ/TU"));
    assert_eq!(iso(&c), "2021-11-11");
    assert_eq!(c.issuer.as_deref(), Some("Ban Thường vụ Tỉnh ủy"));
    assert_eq!(&text[c.start..c.end], c.raw);
    assert!(c.flags.contains(&flag::NOT_NFC.to_string()));
}

#[test]
fn old_tone_placement_in_issuer() {
    let c = one(
        "Nghị quyết số 58-NQ/TU, ngày 29/11/2021 của Ban Chấp hành Đảng bộ tỉnh khoá XVII về công tác dân tộc",
    );
    assert_eq!(
        c.issuer.as_deref(),
        Some("Ban Chấp hành Đảng bộ tỉnh khoá XVII")
    );
    let c = one("Quyết định số 12-QĐ/TW ngày 01/02/2020 của Uỷ ban Kiểm tra Trung ương");
    assert_eq!(c.issuer.as_deref(), Some("Uỷ ban Kiểm tra Trung ương"));
    assert!(!c.flags.contains(&flag::ISSUER_MISMATCH.to_string()));
}

#[test]
fn collapsed_whitespace_and_line_breaks() {
    let text = "Quyết định số 593-QĐ/TU,ngày 11/11/2021 của Ban Thường vụ Tỉnh ủy;Chỉ thị số\n24-CT/TU, ngày 13/7/2023";
    let cits = extract(text);
    assert_eq!(cits.len(), 2, "{cits:#?}");
    assert_eq!(iso(&cits[0]), "2021-11-11");
    assert_eq!(cits[1].doc_type.as_deref(), Some("Chỉ thị"));
    assert_eq!(iso(&cits[1]), "2023-07-13");
}

#[test]
fn flattened_table_cells() {
    let text = "| TỈNH ỦY LẠNG SƠN | ĐẢNG CỘNG SẢN VIỆT NAM |\n| Số 593-QĐ/TU | Lạng Sơn, ngày 11 tháng 11 năm 2021 |";
    let c = one(text);
    assert_eq!(c.symbol.as_deref(), Some("593-QĐ/TU"));
    assert_eq!(c.raw, "Số 593-QĐ/TU");
    assert_eq!(c.doc_type.as_deref(), Some("Quyết định"));
    assert!(c.flags.contains(&flag::TYPE_INFERRED.to_string()));
}

// --- types ------------------------------------------------------------------------------------------

#[test]
fn type_from_word_beats_code() {
    let c = one("Quy định số 124-QĐ/TW, ngày 02/02/2018");
    assert_eq!(c.doc_type.as_deref(), Some("Quy định"));
    let c = one("Chỉ thị số 12-NQ/TU ngày 02/02/2018");
    assert!(c.flags.contains(&flag::TYPE_MISMATCH.to_string()));
}

#[test]
fn type_inferred_from_code_when_no_word() {
    let cases = [
        ("(12-NQ/ĐU)", "Nghị quyết"),
        ("(05-CT/TU)", "Chỉ thị"),
        ("(230-KL/TW)", "Kết luận"),
        ("(08-QĐi/TW)", "Quy định"),
        ("(15/QyĐ-UBND)", "Quy định"),
        ("(30/2020/NĐ-CP)", "Nghị định"),
        ("(36-HD/VPTW)", "Hướng dẫn"),
        ("(07-ĐA/TU)", "Đề án"),
        ("(62-KH/BDVTU)", "Kế hoạch"),
        ("(01/2011/TT-BNV)", "Thông tư"),
        ("(03-TT/TW)", "Thông tri"),
        ("(10/2022/QH15)", "Luật"),
    ];
    for (text, want) in cases {
        let c = one(text);
        assert_eq!(c.doc_type.as_deref(), Some(want), "{text}");
    }
}

#[test]
fn cong_van_without_type_code() {
    let c = one("Công văn số 1246/UBND-BTCD ngày 05/4/2023 của UBND thành phố");
    assert_eq!(c.type_code, None);
    assert_eq!(c.issuer_code.as_deref(), Some("UBND-BTCD"));
    assert_eq!(c.doc_type.as_deref(), Some("Công văn"));
    let c = one("Công văn số 2231/SNV-CCHC&PC ngày 05/4/2023");
    assert_eq!(c.symbol.as_deref(), Some("2231/SNV-CCHC&PC"));
}

// --- laws ---------------------------------------------------------------------------------------------

#[test]
fn laws_by_name() {
    let cases = [
        ("căn cứ Luật Tố cáo, các văn bản", "Luật", "Luật Tố cáo"),
        ("theo Bộ luật Dân sự; và", "Bộ luật", "Bộ luật Dân sự"),
        (
            "một số điều của Luật Thực hiện dân chủ ở cơ sở;",
            "Luật",
            "Luật Thực hiện dân chủ ở cơ sở",
        ),
        (
            "Luật Thực hiện dân chủ ở cơ sở... tạo bước",
            "Luật",
            "Luật Thực hiện dân chủ ở cơ sở",
        ),
        (
            "Luật Phòng, chống tham nhũng (sửa đổi)",
            "Luật",
            "Luật Phòng, chống tham nhũng",
        ),
        (
            "Luật Đất đai ngày 18/01/2024 có hiệu lực",
            "Luật",
            "Luật Đất đai",
        ),
    ];
    for (text, ty, title) in cases {
        let c = one(text);
        assert_eq!(c.doc_type.as_deref(), Some(ty), "{text}");
        assert_eq!(c.title.as_deref(), Some(title), "{text}");
        assert_eq!(c.symbol, None);
        assert!(!c.flags.contains(&flag::NO_DATE.to_string()));
    }
    assert_eq!(
        one("Luật Đất đai ngày 18/01/2024 có")
            .date
            .map(|d| d.to_string())
            .as_deref(),
        Some("2024-01-18")
    );
}

#[test]
fn constitution_with_year() {
    let c = one("tuân thủ Hiến pháp năm 2013, pháp luật");
    assert_eq!(c.doc_type.as_deref(), Some("Hiến pháp"));
    assert_eq!(c.title.as_deref(), Some("Hiến pháp"));
    assert_eq!(c.year, Some(2013));
    assert_eq!(c.raw, "Hiến pháp năm 2013");
}

#[test]
fn law_by_number() {
    let c = one("Luật số 10/2022/QH15 ngày 10/11/2022");
    assert_eq!(c.doc_type.as_deref(), Some("Luật"));
    assert_eq!(c.symbol.as_deref(), Some("10/2022/QH15"));
    assert_eq!(c.issuer_code.as_deref(), Some("QH15"));
    assert_eq!(c.year, Some(2022));
    let c = one("Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15 ngày 10/11/2022");
    assert_eq!(c.title.as_deref(), Some("Luật Thực hiện dân chủ ở cơ sở"));
    assert_eq!(c.symbol.as_deref(), Some("10/2022/QH15"));
    assert_eq!(c.doc_type.as_deref(), Some("Luật"));
    assert_eq!(iso(&c), "2022-11-10");
}

#[test]
fn not_laws() {
    for text in [
        "các Luật sư",
        "Luật sư Nguyễn Văn A",
        "pháp luật của Nhà nước",
        "Bộ Lao động",
        "Hiến kế",
    ] {
        assert!(extract(text).is_empty(), "{text}: {:?}", extract(text));
    }
}

// --- short forms ---------------------------------------------------------------------------------------

#[test]
fn short_form_resolves_to_first_full_citation() {
    let text = "Kết luận số 61-KL/TW, ngày 03/12/2009 của Ban Bí thư về Đề án; thực hiện Kết luận số 61-KL/TW.";
    let cits = extract(text);
    assert_eq!(cits.len(), 2);
    let short = &cits[1];
    assert_eq!(short.resolved_from, Some(0));
    assert!(short.flags.contains(&flag::SHORT_FORM.to_string()));
    assert_eq!(iso(short), "2009-12-03");
    assert_eq!(short.issuer.as_deref(), Some("Ban Bí thư"));
    assert_eq!(short.raw, "Kết luận số 61-KL/TW");
}

#[test]
fn bare_number_after_type_word() {
    let c = one("triển khai Nghị quyết 12-NQ/ĐU của Đảng ủy xã");
    assert_eq!(c.doc_type.as_deref(), Some("Nghị quyết"));
    assert_eq!(c.symbol.as_deref(), Some("12-NQ/ĐU"));
    assert_eq!(c.issuer.as_deref(), Some("Đảng ủy xã"));
}

// --- corpus ---------------------------------------------------------------------------------------------

#[test]
fn corpus_documents_yield_citations_with_valid_spans() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/corpus");
    let mut files = 0;
    for entry in std::fs::read_dir(&dir).expect("corpus folder") {
        let path = entry.expect("entry").path();
        if path.extension() != Some("txt".as_ref()) {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("utf-8 corpus file");
        let cits = extract(&text);
        assert!(!cits.is_empty(), "{}", path.display());
        check_invariants(&text, &cits);
        files += 1;
    }
    assert!(files >= 3);
}

// --- invariants -------------------------------------------------------------------------------------------

fn check_invariants(text: &str, cits: &[Citation]) {
    let mut last_end = 0;
    for c in cits {
        assert!(c.start < c.end, "{c:?}");
        assert!(
            text.is_char_boundary(c.start) && text.is_char_boundary(c.end),
            "{c:?}"
        );
        assert_eq!(&text[c.start..c.end], c.raw);
        assert!(c.start >= last_end, "sorted and non-overlapping: {c:?}");
        last_end = c.end;
        if let Some(j) = c.resolved_from {
            assert!(j < cits.len());
        }
    }
}

fn soup() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "số",
        "s",
        " ",
        "  ",
        "-",
        " - ",
        "/",
        ",",
        ".",
        "\n",
        "\n\n",
        "ngày",
        "tháng",
        "năm",
        "của",
        "về",
        "việc",
        "Luật",
        "Bộ luật",
        "Hiến pháp",
        "Quyết định",
        "Quy định",
        "Nghị quyết",
        "QĐ",
        "QÐi",
        "NQ",
        "TW",
        "TU",
        "CP",
        "NĐ",
        "UBND",
        "QH15",
        "Ban",
        "Thường",
        "vụ",
        "Tỉnh",
        "ủy",
        "ố",
        "\u{301}",
        "\u{323}",
        "Đ",
        "Ð",
        "(",
        ")",
        "…",
        "|",
        "**",
        "0",
        "1",
        "05",
        "12",
        "593",
        "2021",
        "2023",
        "11/11/2021",
        "tỉnh",
        "Trung ương",
        "a)",
        "•",
        "é",
    ]);
    prop::collection::vec(pieces, 0..60).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn extract_never_panics_on_arbitrary_strings(s in any::<String>()) {
        let cits = extract(&s);
        check_invariants(&s, &cits);
    }

    #[test]
    fn extract_keeps_span_invariants_on_vietnamese_soup(s in soup()) {
        let cits = extract(&s);
        check_invariants(&s, &cits);
    }

    #[test]
    fn extract_on_soup_around_a_real_citation(prefix in soup(), suffix in soup()) {
        let s = format!("{prefix} Quyết định số 593-QĐ/TU, ngày 11/11/2021 {suffix}");
        let cits = extract(&s);
        check_invariants(&s, &cits);
    }
}
