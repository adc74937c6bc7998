use std::sync::LazyLock;

use danvan_search::SearchIndex;
use proptest::prelude::*;

use crate::{doc, index_with};

static INDEX: LazyLock<SearchIndex> = LazyLock::new(|| {
    index_with(&[
        doc(1, "Kế hoạch 593-QĐ/TU", "Công tác dân vận của Đảng bộ xã."),
        doc(2, "Báo cáo", "Dân vận khéo, \"mô hình\" (điểm) <b>&</b>."),
    ])
});

/// Vietnamese letters in both normal forms, marks alone, digits and every kind of punctuation a
/// query parser would choke on.
fn queryish() -> impl Strategy<Value = String> {
    proptest::string::string_regex(
        "([a-zA-ZđĐÐðâăơưêôáàảãạấầẩẫậ0-9 ]|\u{0300}|\u{0301}|\u{0303}|\u{0309}|\u{0323}|[-/:\"'()\\[\\]{}*?~^+!&|\\\\])*",
    )
    .expect("regex")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_strings_never_fail(query in any::<String>(), limit in 0usize..50, offset in 0usize..50) {
        let results = INDEX.search(&query, limit, offset).unwrap();
        prop_assert!(results.hits.len() <= limit);
    }

    #[test]
    fn query_like_strings_never_fail(query in queryish(), limit in 0usize..50, offset in 0usize..5) {
        let results = INDEX.search(&query, limit, offset).unwrap();
        prop_assert!(results.hits.len() <= limit);
        prop_assert!(results.total <= 2);
        for hit in &results.hits {
            prop_assert!(!hit.snippet_html.contains("<b>"));
        }
    }
}
