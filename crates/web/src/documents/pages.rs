//! Document pages: list and search, upload, reading with linked citations.

use super::source;
use crate::AppState;
use crate::auth::{CurrentUser, HasCsrf};
use crate::error::AppError;
use crate::layout::Layout;
use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use danvan_db::authz::Permission;
use danvan_db::documents::{self, ImportInput};
use danvan_db::entities::{documents as doc_rows, registry_entries};
use danvan_db::units::History;
use serde::Deserialize;
use std::collections::BTreeMap;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/documents",
            get(index)
                .post(upload)
                .layer(DefaultBodyLimit::max(source::MAX_FILE_BYTES + 64 * 1024)),
        )
        .route("/documents/{id}", get(show))
}

#[derive(Deserialize, Default)]
struct ListQuery {
    q: Option<String>,
    page: Option<u64>,
}

pub struct Row {
    pub id: i64,
    pub title: String,
    pub doc_type: String,
    pub symbol: String,
    pub issued_on: String,
    pub snippet_html: Option<String>,
}

impl From<&doc_rows::Model> for Row {
    fn from(d: &doc_rows::Model) -> Self {
        Row {
            id: d.id,
            title: d.title.clone(),
            doc_type: d.doc_type.clone().unwrap_or_default(),
            symbol: d.symbol.clone().unwrap_or_default(),
            issued_on: d
                .issued_on
                .map(|x| x.format("%d/%m/%Y").to_string())
                .unwrap_or_default(),
            snippet_html: None,
        }
    }
}

#[derive(Template)]
#[template(path = "documents/index.html")]
struct IndexPage {
    layout: Layout,
    q: String,
    rows: Vec<Row>,
    total: u64,
    page: u64,
    pages: u64,
    searched: bool,
    search_ms: Option<String>,
    units: Vec<(i64, String)>,
    error: Option<String>,
}

fn writable_units(state_history: &History, user: &CurrentUser) -> Vec<(i64, String)> {
    let today = chrono::Local::now().date_naive();
    state_history
        .tree_on(today, None)
        .into_iter()
        .filter(|(u, _)| user.scope.allows(Permission::Write, u.id))
        .map(|(u, _)| (u.id, u.name.clone()))
        .collect()
}

async fn render_index(
    state: &AppState,
    user: &CurrentUser,
    q: ListQuery,
    error: Option<String>,
) -> Result<String, AppError> {
    let history = History::load(&state.db.conn).await?;
    let page = q.page.unwrap_or(0);
    let text = q.q.unwrap_or_default();
    let (rows, total, searched, search_ms) = if text.trim().is_empty() {
        let (docs, total) = documents::list(&state.db.conn, page).await?;
        (docs.iter().map(Row::from).collect(), total, false, None)
    } else {
        let started = std::time::Instant::now();
        let (rows, total) = super::search::search(state, &text, page).await?;
        let ms = format!("{:.1}", started.elapsed().as_secs_f64() * 1000.0);
        (rows, total, true, Some(ms))
    };
    Ok(IndexPage {
        layout: Layout::new("Văn bản", user, "documents"),
        q: text,
        rows,
        total,
        page,
        pages: total.div_ceil(documents::PAGE_SIZE),
        searched,
        search_ms,
        units: writable_units(&history, user),
        error,
    }
    .render()?)
}

async fn index(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(q): Query<ListQuery>,
) -> Result<Html<String>, AppError> {
    Ok(Html(render_index(&state, &user, q, None).await?))
}

/// The upload form's fields, read from the multipart body.
#[derive(Default)]
struct UploadForm {
    csrf: String,
    unit_id: String,
    title: String,
    symbol: String,
    issued_on: String,
    filename: Option<String>,
    bytes: Vec<u8>,
}

impl HasCsrf for UploadForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

async fn read_upload(mut multipart: Multipart) -> Result<UploadForm, AppError> {
    let mut form = UploadForm::default();
    let bad = || AppError::invalid("Không đọc được biểu mẫu tải lên. Vui lòng thử lại.");
    while let Some(field) = multipart.next_field().await.map_err(|_| bad())? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            form.filename = field
                .file_name()
                .map(|f| f.to_string())
                .filter(|f| !f.is_empty());
            form.bytes = field
                .bytes()
                .await
                .map_err(|_| {
                    AppError::invalid("Tệp quá lớn (tối đa 20 MB) hoặc bị gián đoạn khi tải lên.")
                })?
                .to_vec();
            continue;
        }
        let value = field.text().await.map_err(|_| bad())?;
        match name.as_str() {
            "csrf" => form.csrf = value,
            "unit_id" => form.unit_id = value,
            "title" => form.title = value,
            "symbol" => form.symbol = value,
            "issued_on" => form.issued_on = value,
            _ => {}
        }
    }
    Ok(form)
}

async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    multipart: Multipart,
) -> Result<Response, AppError> {
    let form = read_upload(multipart).await?;
    if !crate::auth::tokens_match(&form.csrf, &user.session.csrf_token) {
        return Err(AppError::Csrf);
    }
    let result = async {
        let filename = form
            .filename
            .clone()
            .ok_or_else(|| AppError::invalid("Vui lòng chọn tệp văn bản."))?;
        let unit_id: i64 = form
            .unit_id
            .trim()
            .parse()
            .map_err(|_| AppError::invalid("Vui lòng chọn đơn vị."))?;
        let issued_on = crate::forms::optional_date(&form.issued_on, "Ngày ban hành")?;
        let text =
            source::read(&filename, &form.bytes).map_err(|e| AppError::invalid(e.to_string()))?;
        let imported = documents::import(
            &state.db.conn,
            Some(&user.scope),
            &user.actor(),
            ImportInput {
                text: &text.text,
                filename: Some(&filename),
                unit_id: Some(unit_id),
                title: Some(&form.title),
                symbol: Some(&form.symbol),
                issued_on,
            },
        )
        .await?;
        super::search::catch_up(&state).await;
        Ok::<i64, AppError>(imported.document_id)
    }
    .await;
    match result {
        Ok(id) => Ok(Redirect::to(&format!("/documents/{id}")).into_response()),
        Err(AppError::Invalid(m)) | Err(AppError::Conflict(m)) => {
            let html = render_index(&state, &user, ListQuery::default(), Some(m)).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(html)).into_response())
        }
        Err(e) => Err(e),
    }
}

/// A run of the document text: plain, or a citation linking to its registry entry.
pub struct Piece {
    pub text: String,
    pub entry: Option<i64>,
    pub flagged: bool,
    pub title: String,
}

pub struct CitedEntry {
    pub entry: registry_entries::Model,
    pub count: usize,
}

#[derive(Template)]
#[template(path = "documents/show.html")]
struct ShowPage {
    layout: Layout,
    doc: doc_rows::Model,
    pieces: Vec<Piece>,
    cited: Vec<CitedEntry>,
    cited_by: Vec<(i64, String, usize)>,
    warnings: Vec<String>,
    unit_name: Option<String>,
}

/// Splits the text at the citation spans. Spans come from the database, so they are checked
/// against the text rather than trusted.
fn pieces(
    body: &str,
    cites: &[(
        danvan_db::entities::citations::Model,
        registry_entries::Model,
    )],
) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut at = 0usize;
    for (c, e) in cites {
        let (start, end) = (c.start_byte as usize, c.end_byte as usize);
        if start < at
            || end > body.len()
            || !body.is_char_boundary(start)
            || !body.is_char_boundary(end)
        {
            continue;
        }
        out.push(Piece {
            text: body[at..start].to_string(),
            entry: None,
            flagged: false,
            title: String::new(),
        });
        let flagged = c.flags.contains("issuer_mismatch") || c.flags.contains("type_mismatch");
        let title = [
            e.doc_type.as_str(),
            e.symbol.as_deref().unwrap_or(""),
            e.title.as_deref().unwrap_or(""),
        ]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
        out.push(Piece {
            text: body[start..end].to_string(),
            entry: Some(e.id),
            flagged,
            title,
        });
        at = end;
    }
    out.push(Piece {
        text: body[at..].to_string(),
        entry: None,
        flagged: false,
        title: String::new(),
    });
    out
}

async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Html<String>, AppError> {
    let view = documents::get(&state.db.conn, id).await?;
    let mut cited: BTreeMap<i64, CitedEntry> = BTreeMap::new();
    let mut warnings = Vec::new();
    for (c, e) in &view.citations {
        cited
            .entry(e.id)
            .or_insert_with(|| CitedEntry {
                entry: e.clone(),
                count: 0,
            })
            .count += 1;
        if c.flags.contains("issuer_mismatch") {
            warnings.push(format!(
                "“{}”: ký hiệu và cơ quan ban hành được nêu không khớp nhau (cần kiểm tra).",
                c.raw
            ));
        }
    }
    let mut cited: Vec<CitedEntry> = cited.into_values().collect();
    cited.sort_by(|a, b| {
        b.count
            .cmp(&a.count)
            .then(a.entry.doc_type.cmp(&b.entry.doc_type))
    });
    let cited_by = match view.document.registry_id {
        Some(rid) => documents::entry(&state.db.conn, rid)
            .await?
            .cited_by
            .into_iter()
            .filter(|(d, _)| d.id != id)
            .map(|(d, n)| (d.id, d.title, n))
            .collect(),
        None => Vec::new(),
    };
    let unit_name = match view.document.unit_id {
        Some(u) => Some(danvan_db::units::get(&state.db.conn, u).await?.name),
        None => None,
    };
    Ok(Html(
        ShowPage {
            layout: Layout::new(view.document.title.clone(), &user, "documents"),
            pieces: pieces(&view.document.body, &view.citations),
            cited,
            cited_by,
            warnings,
            unit_name,
            doc: view.document,
        }
        .render()?,
    ))
}
