//! Errors of the search index. Messages are Vietnamese because they may reach people; the
//! underlying cause stays in `source()` for logs and never appears in the message itself.

use std::path::PathBuf;

/// What can go wrong with the search index.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The index folder could not be created, listed or cleared.
    #[error("Không truy cập được thư mục chỉ mục tìm kiếm {}", path.display())]
    Folder {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Another process (or another `SearchIndex` in this one) writes to the same folder.
    #[error("Chỉ mục tìm kiếm đang được một tiến trình khác sử dụng")]
    Locked,
    /// Anything tantivy reports: I/O while committing, a damaged segment, …
    #[error("Lỗi chỉ mục tìm kiếm")]
    Index(#[source] tantivy::TantivyError),
}

impl From<tantivy::TantivyError> for SearchError {
    fn from(error: tantivy::TantivyError) -> Self {
        match error {
            tantivy::TantivyError::LockFailure(..) => SearchError::Locked,
            other => SearchError::Index(other),
        }
    }
}
