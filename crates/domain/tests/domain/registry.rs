use crate::support::seed_text;
use chrono::NaiveDate;
use danvan_domain::citations::extract;
use danvan_domain::registry::{Identity, due_reviews, requested_reviews};
use std::collections::HashSet;

#[test]
fn party_numbers_are_told_apart_by_type_and_year() {
    let text = "Nghị quyết số 43-NQ/TW, ngày 24/11/2023 và Kết luận số 43-KL/TW, ngày 07/01/2019; \
                Quyết định số 124-QĐ/TW, ngày 02/02/2018 và Quy định số 124-QĐ/TW, ngày 02/02/2018.";
    let keys: Vec<String> = extract(text)
        .iter()
        .filter_map(Identity::of)
        .map(|i| i.key())
        .collect();
    assert_eq!(keys.len(), 4);
    assert_eq!(keys.iter().collect::<HashSet<_>>().len(), 4, "{keys:?}");
}

#[test]
fn the_seed_names_26_distinct_numbered_documents_and_one_law() {
    let text = seed_text();
    let citations = extract(&text);
    let numbered: HashSet<String> = citations
        .iter()
        .filter(|c| c.symbol.is_some())
        .filter_map(Identity::of)
        .map(|i| i.key_without_year())
        .collect();
    assert_eq!(numbered.len(), 26);
    let laws: HashSet<String> = citations
        .iter()
        .filter(|c| c.symbol.is_none())
        .filter_map(Identity::of)
        .map(|i| i.key())
        .collect();
    assert_eq!(
        laws.into_iter().collect::<Vec<_>>(),
        ["luat|luat thuc hien dan chu o co so"]
    );
}

#[test]
fn the_seed_orders_its_2024_reviews() {
    let text = seed_text();
    let citations = extract(&text);
    let requested: Vec<(String, &str, Option<i32>)> = requested_reviews(&text, &citations)
        .into_iter()
        .map(|r| {
            (
                citations[r.citation].symbol.clone().unwrap_or_default(),
                r.kind,
                r.years,
            )
        })
        .collect();
    assert!(
        requested.contains(&("27-CT/TU".into(), "tong_ket", Some(10))),
        "{requested:?}"
    );
    assert!(requested.contains(&("133-KL/TU".into(), "tong_ket", Some(10))));
    assert!(requested.contains(&("65-KL/TW".into(), "so_ket", Some(5))));
    assert!(requested.contains(&("01-ĐA/BDVTU-UBND".into(), "tong_ket", None)));
    assert!(
        !requested.iter().any(|(s, _, _)| s == "593-QĐ/TU"),
        "citing is not reviewing"
    );
    // And the computed due years agree with the plan: all fall in 2024.
    let by_symbol = |s: &str| {
        citations
            .iter()
            .find(|c| c.symbol.as_deref() == Some(s))
            .unwrap()
    };
    for (symbol, key) in [
        ("27-CT/TU", "tong_ket_10"),
        ("133-KL/TU", "tong_ket_10"),
        ("65-KL/TW", "so_ket_5"),
    ] {
        let c = by_symbol(symbol);
        let due = due_reviews(c.doc_type.as_deref().unwrap(), c.date.unwrap());
        let m = due.iter().find(|d| d.milestone.key == key).unwrap();
        assert_eq!(m.due_year, 2024, "{symbol}");
    }
}

#[test]
fn letters_and_plans_have_no_review_milestones() {
    let d = NaiveDate::from_ymd_opt(2020, 5, 1).unwrap();
    assert!(due_reviews("Công văn", d).is_empty());
    assert!(due_reviews("Kế hoạch", d).is_empty());
    assert_eq!(due_reviews("Chỉ thị", d).len(), 2);
}
