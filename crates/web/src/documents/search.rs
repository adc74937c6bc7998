//! Search over documents: the full-text index follows the database.
//!
//! Each server process keeps its own index on local disk and catches up from the database
//! before answering (documents added by another process appear at its next search), so several
//! processes on one PostgreSQL database agree without sharing memory.

use super::pages::Row;
use crate::AppState;
use crate::error::AppError;
use danvan_db::documents;
use danvan_search::IndexDoc;

const BATCH: u64 = 500;

/// Indexes documents added since the index was last synced. Errors are logged, not fatal:
/// search then shows what the index already has.
pub async fn catch_up(state: &AppState) {
    let _guard = state.search_sync.lock().await;
    loop {
        let index = state.search.clone();
        let after = index.synced_to();
        let rows = match documents::added_after(&state.db.conn, after, BATCH).await {
            Ok(rows) => rows,
            Err(e) => {
                tracing::warn!(error = %e, "search catch-up could not read documents");
                return;
            }
        };
        let Some(last) = rows.last().map(|d| d.id) else {
            return;
        };
        let docs: Vec<IndexDoc> = rows
            .into_iter()
            .map(|d| IndexDoc {
                id: d.id,
                title: d.title,
                body: d.body,
                kind: d.doc_type.unwrap_or_default(),
                unit_id: d.unit_id,
                issued_on: d.issued_on.map(|x| x.to_string()),
            })
            .collect();
        let done = tokio::task::spawn_blocking(move || index.upsert(&docs, last)).await;
        match done {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                tracing::warn!(error = %e, "search index update failed");
                return;
            }
            Err(e) => {
                tracing::warn!(error = %e, "search index task failed");
                return;
            }
        }
    }
}

/// A page of results: rows with highlighted snippets, and the total number of hits.
pub async fn search(state: &AppState, query: &str, page: u64) -> Result<(Vec<Row>, u64), AppError> {
    catch_up(state).await;
    let index = state.search.clone();
    let q = query.to_string();
    let per_page = documents::PAGE_SIZE as usize;
    let offset = page as usize * per_page;
    let results = tokio::task::spawn_blocking(move || index.search(&q, per_page, offset))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::invalid(e.to_string()))?;
    let ids: Vec<i64> = results.hits.iter().map(|h| h.id).collect();
    let docs = documents::by_ids(&state.db.conn, &ids).await?;
    let rows = results
        .hits
        .iter()
        .filter_map(|h| {
            docs.iter().find(|d| d.id == h.id).map(|d| {
                let mut row = Row::from(d);
                row.snippet_html = Some(h.snippet_html.clone());
                row
            })
        })
        .collect();
    Ok((rows, results.total as u64))
}
