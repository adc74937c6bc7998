use danvan_search::{Opening, SearchError, SearchIndex};

use crate::{TempDir, doc, ids, index_with, search, sorted_ids};

#[test]
fn index_is_send_and_sync() {
    fn shareable<T: Send + Sync>() {}
    shareable::<SearchIndex>();
}

#[test]
fn upsert_replaces_documents_with_the_same_id() {
    let index = index_with(&[
        doc(1, "Kế hoạch cũ", "Nội dung cũ."),
        doc(2, "Khác", "Khác."),
    ]);
    index
        .upsert(&[doc(1, "Kế hoạch mới", "Nội dung mới.")], 2)
        .unwrap();
    assert_eq!(index.len(), 2);
    assert!(ids(&index, "cũ").is_empty());
    assert_eq!(ids(&index, "kế hoạch"), [1]);
    assert_eq!(ids(&index, "mới"), [1]);

    // Within one batch the last version wins.
    index
        .upsert(&[doc(3, "Bản một", "A."), doc(3, "Bản hai", "B.")], 3)
        .unwrap();
    assert_eq!(index.len(), 3);
    assert!(ids(&index, "bản một").is_empty());
    assert_eq!(ids(&index, "bản hai"), [3]);
    assert_eq!(index.synced_to(), 3);
}

#[test]
fn delete_removes_documents_and_records_progress() {
    let index = index_with(&[
        doc(1, "Dân vận", "A."),
        doc(2, "Dân vận", "B."),
        doc(3, "Dân vận", "C."),
    ]);
    index.delete(&[2, 99], 5).unwrap();
    assert_eq!(index.len(), 2);
    assert_eq!(sorted_ids(&index, "dan van"), [1, 3]);
    assert_eq!(index.synced_to(), 5);
    index.delete(&[], 6).unwrap();
    assert_eq!(index.synced_to(), 6);
    assert_eq!(index.len(), 2);
}

#[test]
fn on_disk_index_keeps_documents_and_progress_across_reopening() {
    let dir = TempDir::create();
    {
        let index = SearchIndex::open_or_create(dir.path()).unwrap();
        assert_eq!(index.opening(), Opening::Created);
        assert!(index.needs_full_reindex());
        assert_eq!(index.synced_to(), 0);
        assert!(index.is_empty());
        index
            .upsert(&[doc(1, "Dân vận khéo", "A."), doc(2, "Đảng bộ", "B.")], 42)
            .unwrap();
    }
    {
        let index = SearchIndex::open_or_create(dir.path()).unwrap();
        assert_eq!(index.opening(), Opening::Reopened);
        assert!(!index.needs_full_reindex());
        assert_eq!(index.synced_to(), 42);
        assert_eq!(index.len(), 2);
        assert_eq!(ids(&index, "dan van kheo"), [1]);
        index.delete(&[1], 43).unwrap();
    }
    let index = SearchIndex::open_or_create(dir.path()).unwrap();
    assert_eq!(index.synced_to(), 43);
    assert_eq!(ids(&index, "dang"), [2]);
    assert!(ids(&index, "dan van").is_empty());
}

#[test]
fn index_of_another_version_is_rebuilt_empty() {
    let dir = TempDir::create();
    let old = dir.path().join("v0");
    std::fs::create_dir_all(&old).unwrap();
    std::fs::write(old.join("meta.json"), "{}").unwrap();
    let unrelated = dir.path().join("notes.txt");
    std::fs::write(&unrelated, "keep me").unwrap();

    let index = SearchIndex::open_or_create(dir.path()).unwrap();
    assert_eq!(index.opening(), Opening::Rebuilt);
    assert!(index.needs_full_reindex());
    assert_eq!(index.synced_to(), 0);
    assert!(!old.exists());
    assert!(unrelated.exists());
}

#[test]
fn damaged_index_is_rebuilt_empty() {
    let dir = TempDir::create();
    drop(SearchIndex::open_or_create(dir.path()).unwrap());
    let meta = dir.path().join("v1").join("meta.json");
    assert!(meta.exists());
    std::fs::write(&meta, "not json").unwrap();

    let index = SearchIndex::open_or_create(dir.path()).unwrap();
    assert_eq!(index.opening(), Opening::Rebuilt);
    index.upsert(&[doc(1, "Dân vận", "A.")], 1).unwrap();
    assert_eq!(ids(&index, "dan van"), [1]);
}

#[test]
fn second_writer_on_the_same_folder_is_refused() {
    let dir = TempDir::create();
    let first = SearchIndex::open_or_create(dir.path()).unwrap();
    first.upsert(&[doc(1, "Dân vận", "A.")], 9).unwrap();
    let second = SearchIndex::open_or_create(dir.path());
    assert!(matches!(second, Err(SearchError::Locked)), "{second:?}");
    // The refusal must not have touched the index in use.
    assert_eq!(ids(&first, "dan van"), [1]);
    assert_eq!(first.synced_to(), 9);
    assert_eq!(
        SearchError::Locked.to_string(),
        "Chỉ mục tìm kiếm đang được một tiến trình khác sử dụng"
    );
}

#[test]
fn paging_covers_every_match_once_and_counts_them_all() {
    let docs: Vec<_> = (1..=25)
        .map(|id| doc(id, &format!("Kế hoạch số {id}"), "Công tác dân vận."))
        .collect();
    let index = index_with(&docs);
    let mut seen = Vec::new();
    for (offset, expected) in [(0, 10), (10, 10), (20, 5), (30, 0)] {
        let page = index.search("dan van", 10, offset).unwrap();
        assert_eq!(page.total, 25);
        assert_eq!(page.hits.len(), expected, "offset {offset}");
        seen.extend(page.hits.iter().map(|h| h.id));
    }
    seen.sort_unstable();
    assert_eq!(seen, (1..=25).collect::<Vec<_>>());

    let counted = index.search("dan van", 0, 0).unwrap();
    assert_eq!((counted.total, counted.hits.len()), (25, 0));
    let far = index.search("dan van", usize::MAX, usize::MAX).unwrap();
    assert_eq!((far.total, far.hits.len()), (25, 0));
    assert_eq!(
        index.search("dan van", usize::MAX, 0).unwrap().hits.len(),
        25
    );
    assert_eq!(search(&index, "kế hoạch số 7").hits[0].id, 7);
}
