//! Diacritics-insensitive Vietnamese full-text search over documents, on tantivy.
//!
//! Each process keeps its own index (on disk, in a folder of its own) and catches up from the
//! database: every write records the database change-sequence number it reached
//! ([`SearchIndex::synced_to`]), durably, in the same commit as the documents.
//!
//! Matching works on two analyses of the same text: an *exact* one (NFC, lower case, modern tone
//! placement) and a *folded* one (no marks, `đ` → `d`). A query matches through the folded
//! analysis, so "dan van" finds "Dân vận", and the exact analysis only lifts documents that carry
//! the marks the user typed. Query strings never reach a query parser: they are tokenised like the
//! documents, so no input can be a syntax error.

mod analysis;
mod error;
mod index;
mod query;
mod schema;
mod snippet;

pub use error::SearchError;
pub use index::{Hit, IndexDoc, Opening, SearchIndex, SearchResults};
