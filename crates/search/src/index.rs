//! The index itself: opening and versioning its folder, writing with a durable sync mark, and
//! searching.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::{Mutex, MutexGuard};

use danvan_domain::text::normalize;
use tantivy::collector::{Count, TopDocs};
use tantivy::schema::Value;
use tantivy::snippet::SnippetGenerator;
use tantivy::{DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, TantivyDocument, Term};

use crate::analysis::{self, EXACT, FOLDED};
use crate::error::SearchError;
use crate::query::{self, MAX_QUERY_TERMS};
use crate::schema::{self, Fields, SCHEMA_VERSION};
use crate::snippet::{self, SNIPPET_BYTES};

/// Largest page a search returns; bigger requests are cut to it.
pub const MAX_LIMIT: usize = 1_000;
/// Deepest result a search pages to: collecting further costs memory and nobody reads it.
pub const MAX_WINDOW: usize = 10_000;

/// One writer thread: the index shares two cores with the web server, and catching up runs in
/// the background where throughput matters less than leaving room for requests.
const WRITER_THREADS: usize = 1;
const WRITER_MEMORY_BYTES: usize = 64_000_000;

/// A document as the search index sees it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct IndexDoc {
    /// The caller's primary key; upserting the same id replaces the document.
    pub id: i64,
    pub title: String,
    pub body: String,
    /// Kind of document as shown to people, e.g. "Kế hoạch".
    pub kind: String,
    pub unit_id: Option<i64>,
    /// Date of issue, ISO 8601 (`YYYY-MM-DD`).
    pub issued_on: Option<String>,
}

/// One page of search results.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct SearchResults {
    /// How many documents match in all, not just on this page.
    pub total: usize,
    pub hits: Vec<Hit>,
}

/// A matching document.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Hit {
    pub id: i64,
    pub score: f32,
    /// The title as indexed (NFC).
    pub title: String,
    /// The title, HTML-escaped, with `<mark>…</mark>` around matched words.
    pub title_html: String,
    /// About 200 characters of the body around the best matches, HTML-escaped, with
    /// `<mark>…</mark>` around matched words; the beginning of the body when only the title
    /// matched. `…` marks a cut.
    pub snippet_html: String,
    pub kind: String,
    pub unit_id: Option<i64>,
    pub issued_on: Option<String>,
}

/// How [`SearchIndex::open_or_create`] found its folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opening {
    /// An index of the current version was there and is used as it was.
    Reopened,
    /// There was no index: a new, empty one was made.
    Created,
    /// The index was of another version or unreadable: it was replaced by an empty one.
    Rebuilt,
}

/// A full-text index of documents. `Send + Sync`: share it in an `Arc`; writes are serialised
/// inside, searches run in parallel and see every write that has returned.
pub struct SearchIndex {
    index: Index,
    reader: IndexReader,
    writer: Mutex<IndexWriter>,
    fields: Fields,
    synced_to: AtomicI64,
    opening: Opening,
}

impl SearchIndex {
    /// Opens the index kept in `dir`, creating the folder and the index as needed.
    ///
    /// The index lives in a subfolder named after its schema version, so `dir` may hold other
    /// things; subfolders of other versions are removed. When the index had to be created or
    /// rebuilt, it is empty and [`needs_full_reindex`](Self::needs_full_reindex) says so.
    pub fn open_or_create(dir: &Path) -> Result<Self, SearchError> {
        fs::create_dir_all(dir).map_err(folder_error(dir))?;
        let current = dir.join(version_folder_name(SCHEMA_VERSION));
        let mut replaced = remove_other_versions(dir, &current)?;
        if current.join("meta.json").exists() {
            match Self::reopen(&current)? {
                Some(index) => return Ok(index),
                None => replaced = true,
            }
        }
        if current.exists() {
            fs::remove_dir_all(&current).map_err(folder_error(&current))?;
        }
        fs::create_dir_all(&current).map_err(folder_error(&current))?;
        let (schema, fields) = schema::build();
        let index = Index::create_in_dir(&current, schema)?;
        let opening = if replaced {
            Opening::Rebuilt
        } else {
            Opening::Created
        };
        let this = Self::with_index(index, fields, 0, opening)?;
        // Without a payload the next opening could not tell a new index from a foreign one.
        this.write(0, |_, _| Ok(()))?;
        Ok(this)
    }

    /// A fresh index in memory, for tests and tools.
    pub fn in_memory() -> Result<Self, SearchError> {
        let (schema, fields) = schema::build();
        Self::with_index(Index::create_in_ram(schema), fields, 0, Opening::Created)
    }

    /// How the index was found when it was opened.
    pub fn opening(&self) -> Opening {
        self.opening
    }

    /// True when the index started empty and must be filled from the database from the start.
    pub fn needs_full_reindex(&self) -> bool {
        self.opening != Opening::Reopened
    }

    /// Adds `docs`, replacing any document with the same id, and records that the index now
    /// reflects the caller's database up to change `synced_to`. Both are durable together when
    /// this returns; on error, neither happened.
    pub fn upsert(&self, docs: &[IndexDoc], synced_to: i64) -> Result<(), SearchError> {
        self.write(synced_to, |writer, fields| {
            for doc in docs {
                writer.delete_term(Term::from_field_i64(fields.id, doc.id));
                writer.add_document(to_document(fields, doc))?;
            }
            Ok(())
        })
    }

    /// Removes the documents with these ids (unknown ids are ignored) and records `synced_to`
    /// like [`upsert`](Self::upsert).
    pub fn delete(&self, ids: &[i64], synced_to: i64) -> Result<(), SearchError> {
        self.write(synced_to, |writer, fields| {
            for &id in ids {
                writer.delete_term(Term::from_field_i64(fields.id, id));
            }
            Ok(())
        })
    }

    /// The change-sequence number of the caller's database that the index reflects; 0 for a new
    /// index.
    pub fn synced_to(&self) -> i64 {
        self.synced_to.load(Ordering::Acquire)
    }

    /// Number of documents in the index.
    pub fn len(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Documents matching every word of `query`, best first, ignoring case and marks.
    ///
    /// Any string is a valid query; one without words (empty, blank, punctuation) matches
    /// nothing. `limit` is capped at 1,000, and pages starting past the 10,000th result are
    /// empty (`total` still counts every match).
    pub fn search(
        &self,
        query: &str,
        limit: usize,
        offset: usize,
    ) -> Result<SearchResults, SearchError> {
        let mut terms = analysis::query_terms(&normalize(query));
        terms.truncate(MAX_QUERY_TERMS);
        let Some(query) = query::build(&self.fields, &terms) else {
            return Ok(SearchResults::default());
        };
        let searcher = self.reader.searcher();
        let limit = limit.min(MAX_LIMIT);
        if limit == 0 || offset >= MAX_WINDOW {
            let total = searcher.search(&query, &Count)?;
            return Ok(SearchResults {
                total,
                hits: Vec::new(),
            });
        }
        let top = TopDocs::with_limit(limit)
            .and_offset(offset)
            .order_by_score();
        let (top, total) = searcher.search(&query, &(top, Count))?;

        let mut body_snippets =
            SnippetGenerator::create(&searcher, &*query, self.fields.body_folded)?;
        body_snippets.set_max_num_chars(SNIPPET_BYTES);
        let mut title_snippets =
            SnippetGenerator::create(&searcher, &*query, self.fields.title_folded)?;
        title_snippets.set_max_num_chars(usize::MAX);

        let mut hits = Vec::with_capacity(top.len());
        for (score, address) in top {
            hits.push(self.hit(&searcher, address, score, &title_snippets, &body_snippets)?);
        }
        Ok(SearchResults { total, hits })
    }

    fn hit(
        &self,
        searcher: &tantivy::Searcher,
        address: DocAddress,
        score: f32,
        title_snippets: &SnippetGenerator,
        body_snippets: &SnippetGenerator,
    ) -> Result<Hit, SearchError> {
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = |field| {
            doc.get_first(field)
                .and_then(|v| v.as_str())
                .unwrap_or_default()
        };
        let int = |field| doc.get_first(field).and_then(|v| v.as_i64());
        let title = text(self.fields.title);
        Ok(Hit {
            id: int(self.fields.id).unwrap_or_default(),
            score,
            title: title.to_owned(),
            title_html: snippet::whole_html(title_snippets, title),
            snippet_html: snippet::snippet_html(
                body_snippets,
                text(self.fields.body),
                SNIPPET_BYTES,
            ),
            kind: text(self.fields.kind).to_owned(),
            unit_id: int(self.fields.unit_id),
            issued_on: doc
                .get_first(self.fields.issued_on)
                .and_then(|v| v.as_str())
                .map(str::to_owned),
        })
    }

    /// Opens an existing index folder; `None` when it is of no use (other schema, no readable
    /// sync mark, damaged) and must be rebuilt.
    fn reopen(path: &Path) -> Result<Option<Self>, SearchError> {
        let (schema, fields) = schema::build();
        let Ok(index) = Index::open_in_dir(path) else {
            return Ok(None);
        };
        if index.schema() != schema {
            return Ok(None);
        }
        let synced_to = index
            .load_metas()
            .ok()
            .and_then(|meta| meta.payload)
            .and_then(|payload| parse_payload(&payload));
        let Some(synced_to) = synced_to else {
            return Ok(None);
        };
        Self::with_index(index, fields, synced_to, Opening::Reopened).map(Some)
    }

    fn with_index(
        index: Index,
        fields: Fields,
        synced_to: i64,
        opening: Opening,
    ) -> Result<Self, SearchError> {
        // Analyzers are not stored in the index: they must be registered on every opening.
        index
            .tokenizers()
            .register(EXACT, analysis::exact_analyzer());
        index
            .tokenizers()
            .register(FOLDED, analysis::folded_analyzer());
        let writer = index.writer_with_num_threads(WRITER_THREADS, WRITER_MEMORY_BYTES)?;
        // Reloaded by hand after each commit, so a write is visible as soon as it returns.
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(Self {
            index,
            reader,
            writer: Mutex::new(writer),
            fields,
            synced_to: AtomicI64::new(synced_to),
            opening,
        })
    }

    fn write(
        &self,
        synced_to: i64,
        ops: impl FnOnce(&IndexWriter, &Fields) -> Result<(), SearchError>,
    ) -> Result<(), SearchError> {
        let mut writer = self.lock_writer()?;
        let result = ops(&writer, &self.fields).and_then(|()| self.commit(&mut writer, synced_to));
        if result.is_err() {
            // Half-done operations must not ride along with the next commit. The original error
            // is the one worth reporting; a failed rollback surfaces on the next write anyway.
            drop(writer.rollback());
        }
        result
    }

    fn commit(&self, writer: &mut IndexWriter, synced_to: i64) -> Result<(), SearchError> {
        let mut prepared = writer.prepare_commit()?;
        prepared.set_payload(&format_payload(synced_to));
        prepared.commit()?;
        self.reader.reload()?;
        self.synced_to.store(synced_to, Ordering::Release);
        Ok(())
    }

    fn lock_writer(&self) -> Result<MutexGuard<'_, IndexWriter>, SearchError> {
        match self.writer.lock() {
            Ok(writer) => Ok(writer),
            Err(poisoned) => {
                // A write panicked halfway: drop what it left uncommitted, then carry on.
                let mut writer = poisoned.into_inner();
                writer.rollback()?;
                self.writer.clear_poison();
                Ok(writer)
            }
        }
    }
}

impl fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SearchIndex")
            .field("index", &self.index)
            .field("synced_to", &self.synced_to())
            .field("opening", &self.opening)
            .finish_non_exhaustive()
    }
}

fn to_document(fields: &Fields, doc: &IndexDoc) -> TantivyDocument {
    // Stored text is NFC so that snippet offsets, computed on it, line up with what is shown.
    let title = normalize(&doc.title);
    let body = normalize(&doc.body);
    let mut out = TantivyDocument::new();
    out.add_i64(fields.id, doc.id);
    out.add_text(fields.title_folded, &title);
    out.add_text(fields.title, title);
    out.add_text(fields.body_folded, &body);
    out.add_text(fields.body, body);
    out.add_text(fields.kind, normalize(&doc.kind));
    if let Some(unit_id) = doc.unit_id {
        out.add_i64(fields.unit_id, unit_id);
    }
    if let Some(issued_on) = &doc.issued_on {
        out.add_text(fields.issued_on, issued_on);
    }
    out
}

const PAYLOAD_PREFIX: &str = "danvan-search";

fn format_payload(synced_to: i64) -> String {
    format!("{PAYLOAD_PREFIX} v{SCHEMA_VERSION} synced_to={synced_to}")
}

fn parse_payload(payload: &str) -> Option<i64> {
    let rest = payload.strip_prefix(PAYLOAD_PREFIX)?.trim_start();
    let rest = rest.strip_prefix(&format!("v{SCHEMA_VERSION} "))?;
    rest.strip_prefix("synced_to=")?.parse().ok()
}

fn version_folder_name(version: u32) -> String {
    format!("v{version}")
}

/// Removes the index folders of other schema versions; true if there were any.
fn remove_other_versions(dir: &Path, current: &Path) -> Result<bool, SearchError> {
    let mut removed = false;
    for entry in fs::read_dir(dir).map_err(folder_error(dir))? {
        let path = entry.map_err(folder_error(dir))?.path();
        let is_version = path
            .file_name()
            .and_then(|name| name.to_str())
            .and_then(|name| name.strip_prefix('v'))
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        if is_version && path != current && path.is_dir() {
            fs::remove_dir_all(&path).map_err(folder_error(&path))?;
            removed = true;
        }
    }
    Ok(removed)
}

fn folder_error(path: &Path) -> impl FnOnce(std::io::Error) -> SearchError {
    let path: PathBuf = path.to_owned();
    move |source| SearchError::Folder { path, source }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn payload_round_trips_and_rejects_other_versions() {
        assert_eq!(parse_payload(&format_payload(-7)), Some(-7));
        assert_eq!(parse_payload(&format_payload(i64::MAX)), Some(i64::MAX));
        assert_eq!(parse_payload("danvan-search v0 synced_to=5"), None);
        assert_eq!(parse_payload("something else"), None);
    }
}
