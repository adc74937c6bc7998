use crate::{doc, ids, index_with};

#[test]
fn exact_accented_match_ranks_above_folded_one() {
    // Both fold to "dan van"; the folded-only one goes in first so index order cannot help.
    let index = index_with(&[
        doc(1, "Thông báo", "Người dẫn văn nghệ của hội diễn năm nay."),
        doc(2, "Thông báo", "Người dân vận động của hội diễn năm nay."),
    ]);
    assert_eq!(ids(&index, "dân vận"), [2, 1]);
    assert_eq!(ids(&index, "dẫn văn"), [1, 2]);
}

#[test]
fn words_forming_a_phrase_rank_above_scattered_ones() {
    let index = index_with(&[
        doc(
            1,
            "Báo cáo",
            "Công tác tuyên giáo và vận động dân cư tham gia sinh hoạt.",
        ),
        doc(
            2,
            "Báo cáo",
            "Vận động các tầng lớp tham gia sinh hoạt, công tác dân vận.",
        ),
    ]);
    assert_eq!(ids(&index, "cong tac dan van"), [2, 1]);
    assert_eq!(ids(&index, "công tác dân vận"), [2, 1]);
}

#[test]
fn title_matches_rank_above_body_only_matches() {
    let index = index_with(&[
        doc(
            1,
            "Báo cáo tháng",
            "Kiểm tra, giám sát; kiểm tra đảng viên; kiểm tra tổ chức đảng; kiểm tra tài chính.",
        ),
        doc(
            2,
            "Kế hoạch kiểm tra năm 2024",
            "Nội dung và tiến độ thực hiện.",
        ),
    ]);
    assert_eq!(ids(&index, "kiem tra"), [2, 1]);
}
