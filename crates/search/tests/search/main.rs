//! Integration tests of danvan-search: one binary, one module per concern.

mod lifecycle;
mod matching;
mod properties;
mod ranking;
mod snippets;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use danvan_search::{IndexDoc, SearchIndex, SearchResults};

pub fn doc(id: i64, title: &str, body: &str) -> IndexDoc {
    IndexDoc {
        id,
        title: title.to_owned(),
        body: body.to_owned(),
        kind: "Kế hoạch".to_owned(),
        unit_id: Some(7),
        issued_on: Some("2024-03-01".to_owned()),
    }
}

pub fn index_with(docs: &[IndexDoc]) -> SearchIndex {
    let index = SearchIndex::in_memory().expect("in-memory index");
    index.upsert(docs, 1).expect("upsert");
    index
}

pub fn search(index: &SearchIndex, query: &str) -> SearchResults {
    index.search(query, 20, 0).expect("search")
}

/// Ids of the hits, best first.
pub fn ids(index: &SearchIndex, query: &str) -> Vec<i64> {
    search(index, query).hits.iter().map(|h| h.id).collect()
}

pub fn sorted_ids(index: &SearchIndex, query: &str) -> Vec<i64> {
    let mut ids = ids(index, query);
    ids.sort_unstable();
    ids
}

/// A folder under the system temp dir, removed on drop.
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn create() -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "danvan-search-test-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path).expect("temp dir");
        TempDir(path)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
