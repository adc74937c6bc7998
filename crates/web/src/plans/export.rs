//! Exports of a plan and its progress: DOCX in the Party document format, XLSX and CSV of the
//! tasks (CSV with a UTF-8 byte-order mark, which Excel needs to read Vietnamese).

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::AppError;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use danvan_db::entities::{plan_tasks, plans as plan_rows};
use danvan_db::plans::{self, PlanTree};
use danvan_domain::plans::{TaskStatus, format::percent};
use docx_rs::{
    AlignmentType, Docx, Paragraph, Run, RunFonts, Table, TableCell, TableRow, WidthType,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/plans/{id}/export.csv", get(csv))
        .route("/plans/{id}/export.xlsx", get(xlsx))
        .route("/plans/{id}/export.docx", get(docx))
}

/// One exported line per task of the plan itself.
pub struct Line {
    pub number: String,
    pub title: String,
    pub section: bool,
    pub chu_tri: String,
    pub phoi_hop: String,
    pub due: String,
    pub status: String,
    pub progress: String,
    pub formula: String,
}

struct Export {
    plan: plan_rows::Model,
    unit: String,
    lines: Vec<Line>,
    overall: String,
    document: Option<danvan_db::entities::documents::Model>,
}

async fn load(state: &AppState, id: i64) -> Result<Export, AppError> {
    let tree = PlanTree::load(&state.db.conn, id).await?;
    let rollups = tree.rollups()?;
    let plan = tree.plans[0].clone();
    let unit = danvan_db::units::get(&state.db.conn, plan.unit_id)
        .await?
        .name;
    let own: Vec<(usize, &plan_tasks::Model)> = tree
        .tasks
        .iter()
        .enumerate()
        .filter(|(_, t)| t.plan_id == id)
        .collect();
    let lines = own
        .iter()
        .map(|(i, t)| Line {
            number: t.number.clone(),
            title: t.title.clone(),
            section: t.level == "section",
            chu_tri: t.chu_tri.clone(),
            phoi_hop: t.phoi_hop.clone(),
            due: t
                .due_on
                .map(|d| d.format("%d/%m/%Y").to_string())
                .unwrap_or_default(),
            status: plans::parse_status(&t.status)
                .unwrap_or(TaskStatus::ChuaThucHien)
                .label_vi()
                .to_string(),
            progress: rollups[*i]
                .progress
                .map(percent)
                .unwrap_or_else(|| "—".into()),
            formula: rollups[*i].formula.clone(),
        })
        .collect::<Vec<_>>();
    let top: Vec<f64> = own
        .iter()
        .filter(|(_, t)| t.parent_task_id.is_none())
        .filter_map(|(i, _)| rollups[*i].progress)
        .collect();
    let overall = if top.is_empty() {
        "—".into()
    } else {
        percent(top.iter().sum::<f64>() / top.len() as f64)
    };
    let document = match plan.document_id {
        Some(d) => Some(danvan_db::documents::get(&state.db.conn, d).await?.document),
        None => None,
    };
    Ok(Export {
        plan,
        unit,
        lines,
        overall,
        document,
    })
}

fn file_name(plan: &plan_rows::Model, ext: &str) -> String {
    format!("ke-hoach-{}.{ext}", plan.id)
}

fn attachment(bytes: Vec<u8>, content_type: &'static str, name: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

const HEADERS: [&str; 8] = [
    "Số",
    "Nhiệm vụ",
    "Chủ trì",
    "Phối hợp",
    "Thời hạn",
    "Trạng thái",
    "Tiến độ",
    "Cách tính",
];

fn row(l: &Line) -> [&str; 8] {
    [
        &l.number,
        &l.title,
        &l.chu_tri,
        &l.phoi_hop,
        &l.due,
        &l.status,
        &l.progress,
        &l.formula,
    ]
}

/// Excel formula injection: a cell starting with = + - @ is shown as text, never evaluated.
fn safe_cell(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

async fn csv(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let e = load(&state, id).await?;
    let mut out = String::from("\u{feff}");
    let quote = |s: &str| format!("\"{}\"", safe_cell(s).replace('"', "\"\""));
    out.push_str(
        &HEADERS
            .iter()
            .map(|h| quote(h))
            .collect::<Vec<_>>()
            .join(","),
    );
    out.push_str("\r\n");
    for l in &e.lines {
        out.push_str(
            &row(l)
                .iter()
                .map(|c| quote(c))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    Ok(attachment(
        out.into_bytes(),
        "text/csv; charset=utf-8",
        file_name(&e.plan, "csv"),
    ))
}

async fn xlsx(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let e = load(&state, id).await?;
    let bytes = build_xlsx(&e).map_err(|err| AppError::Internal(err.to_string()))?;
    Ok(attachment(
        bytes,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        file_name(&e.plan, "xlsx"),
    ))
}

fn build_xlsx(e: &Export) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Nhiem vu")?;
    let bold = Format::new().set_bold();
    ws.write_string_with_format(0, 0, &e.plan.title, &bold)?;
    ws.write_string(
        1,
        0,
        format!(
            "{} · năm {} · tiến độ chung {}",
            e.unit, e.plan.year, e.overall
        ),
    )?;
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(3, c as u16, *h, &bold)?;
    }
    for (r, l) in e.lines.iter().enumerate() {
        for (c, v) in row(l).iter().enumerate() {
            let v = safe_cell(v);
            if l.section {
                ws.write_string_with_format(4 + r as u32, c as u16, v, &bold)?;
            } else {
                ws.write_string(4 + r as u32, c as u16, v)?;
            }
        }
    }
    ws.set_column_width(1, 60)?;
    ws.set_column_width(2, 30)?;
    ws.set_column_width(7, 40)?;
    wb.save_to_buffer()
}

async fn docx(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(id): Path<i64>,
) -> Result<Response, AppError> {
    let e = load(&state, id).await?;
    let mut buf = std::io::Cursor::new(Vec::new());
    build_docx(&e)
        .build()
        .pack(&mut buf)
        .map_err(|err| AppError::Internal(err.to_string()))?;
    Ok(attachment(
        buf.into_inner(),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        file_name(&e.plan, "docx"),
    ))
}

fn text(s: &str) -> Run {
    Run::new().add_text(s)
}

fn centred(run: Run) -> Paragraph {
    Paragraph::new().add_run(run).align(AlignmentType::Center)
}

/// The Party format (Hướng dẫn 36-HD/VPTW): issuing body and "ĐẢNG CỘNG SẢN VIỆT NAM" side by
/// side, số/ký hiệu and place/date below them, the type and trích yếu centred, the body, then
/// "Nơi nhận" and the signer block side by side; Times New Roman throughout.
fn build_docx(e: &Export) -> Docx {
    let times = RunFonts::new()
        .ascii("Times New Roman")
        .hi_ansi("Times New Roman")
        .east_asia("Times New Roman")
        .cs("Times New Roman");
    let doc = e.document.as_ref();
    let structure: Option<danvan_domain::document::Document> = None;
    let _ = structure;
    let issuer = doc
        .and_then(|d| d.issuer.clone())
        .unwrap_or_else(|| e.unit.to_uppercase());
    let symbol = doc
        .and_then(|d| d.symbol.clone())
        .map(|s| format!("Số {s}"))
        .unwrap_or_else(|| "Số      -KH/".into());
    let date = doc
        .and_then(|d| d.issued_on)
        .map(|d| {
            format!(
                "Lạng Sơn, ngày {} tháng {} năm {}",
                d.format("%d"),
                d.format("%m"),
                d.format("%Y")
            )
        })
        .unwrap_or_else(|| "Lạng Sơn, ngày     tháng     năm     ".into());
    let cell = |ps: Vec<Paragraph>| {
        let mut c = TableCell::new().width(4800, WidthType::Dxa);
        for p in ps {
            c = c.add_paragraph(p);
        }
        c
    };
    let header = Table::new(vec![
        TableRow::new(vec![
            cell(vec![centred(text(&issuer).bold()), centred(text("*"))]),
            cell(vec![centred(
                text("ĐẢNG CỘNG SẢN VIỆT NAM").bold().underline("single"),
            )]),
        ]),
        TableRow::new(vec![
            cell(vec![centred(text(&symbol))]),
            cell(vec![centred(text(&date).italic())]),
        ]),
    ]);
    let mut d = Docx::new()
        .default_fonts(times)
        .default_size(28)
        .add_table(header);
    d = d
        .add_paragraph(Paragraph::new())
        .add_paragraph(centred(text("KẾ HOẠCH").bold().size(30)))
        .add_paragraph(centred(text(&e.plan.title).bold()))
        .add_paragraph(centred(
            text(&format!("Tiến độ thực hiện chung: {}", e.overall)).italic(),
        ))
        .add_paragraph(Paragraph::new());
    for l in &e.lines {
        let line = format!("{}. {}", l.number, l.title);
        let mut p = Paragraph::new().add_run(if l.section {
            text(&line).bold()
        } else {
            text(&line)
        });
        if !l.section {
            p = p.indent(Some(567), None, None, None);
        }
        d = d.add_paragraph(p);
        let mut facts = vec![format!("Trạng thái: {}; tiến độ: {}", l.status, l.progress)];
        if !l.chu_tri.is_empty() {
            facts.push(format!("Chủ trì: {}", l.chu_tri));
        }
        if !l.due.is_empty() {
            facts.push(format!("Thời hạn: {}", l.due));
        }
        d = d.add_paragraph(
            Paragraph::new()
                .add_run(text(&facts.join(". ")).italic().size(24))
                .indent(Some(567), None, None, None),
        );
    }
    let recipients = doc
        .and_then(|d| serde_json::from_str::<serde_json::Value>(&d.structure).ok())
        .and_then(|v| {
            v["recipients"].as_array().map(|a| {
                a.iter()
                    .filter_map(|r| r["text"].as_str().map(String::from))
                    .collect::<Vec<_>>()
            })
        });
    let signer = doc
        .and_then(|d| serde_json::from_str::<serde_json::Value>(&d.structure).ok())
        .map(|v| v["signer"].clone());
    let mut left = vec![Paragraph::new().add_run(text("Nơi nhận:").bold().italic().size(24))];
    for r in recipients.unwrap_or_else(|| vec!["Như trên,".into(), "Lưu.".into()]) {
        left.push(Paragraph::new().add_run(text(&format!("- {r}")).size(22)));
    }
    let field = |k: &str| {
        signer
            .as_ref()
            .and_then(|s| s[k].as_str().map(String::from))
    };
    let right = vec![
        centred(text(&field("authority").unwrap_or_else(|| "T/M BAN THƯỜNG VỤ".into())).bold()),
        centred(text(&field("title").unwrap_or_default()).bold()),
        Paragraph::new(),
        Paragraph::new(),
        centred(text(&field("name").unwrap_or_default()).bold()),
    ];
    d.add_paragraph(Paragraph::new())
        .add_table(Table::new(vec![TableRow::new(vec![
            cell(left),
            cell(right),
        ])]))
}
