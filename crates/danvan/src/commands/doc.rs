//! `danvan doc parse|citations|import`.

use crate::cli::DocCommand;
use anyhow::Context;
use chrono::NaiveDate;
use danvan_db::Actor;
use danvan_db::documents::{self, ImportInput};
use danvan_domain::citations::{Citation, extract};
use danvan_domain::document::{self, Document, Node, NodeKind};
use danvan_web::documents::source;
use std::path::Path;

fn read(file: &Path) -> anyhow::Result<source::SourceText> {
    let bytes =
        std::fs::read(file).with_context(|| format!("không đọc được tệp {}", file.display()))?;
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    Ok(source::read(name, &bytes)?)
}

pub async fn run(command: DocCommand) -> anyhow::Result<()> {
    match command {
        DocCommand::Parse { file, json } => {
            let src = read(&file)?;
            let doc = document::parse(&src.text);
            if json {
                println!("{}", serde_json::to_string_pretty(&doc)?);
            } else {
                print_outline(&doc);
            }
            Ok(())
        }
        DocCommand::Citations { file, json } => {
            let src = read(&file)?;
            let mut found = extract(&src.text);
            // Offsets count the byte-order mark, so they index the file's own bytes.
            for c in &mut found {
                c.start += src.bom_len;
                c.end += src.bom_len;
            }
            if json {
                println!("{}", serde_json::to_string_pretty(&found)?);
            } else {
                print_citations(&found);
            }
            Ok(())
        }
        DocCommand::Import {
            data,
            file,
            unit,
            title,
            symbol,
            date,
        } => {
            let src = read(&file)?;
            let issued_on =
                match date.as_deref() {
                    None => None,
                    Some(d) => Some(NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").map_err(
                        |_| anyhow::anyhow!("ngày “{d}” không hợp lệ; dùng dạng YYYY-MM-DD"),
                    )?),
                };
            let db = super::open(&data).await?;
            let unit_id = match unit.as_deref() {
                None => None,
                Some(code) => Some(
                    danvan_db::demo::unit_by_code(
                        &db.conn,
                        code,
                        chrono::Local::now().date_naive(),
                    )
                    .await
                    .with_context(|| format!("không có đơn vị mã “{code}” đang hoạt động"))?
                    .id,
                ),
            };
            let name = file.file_name().and_then(|n| n.to_str());
            let imported = documents::import(
                &db.conn,
                None,
                &Actor::system(),
                ImportInput {
                    text: &src.text,
                    filename: name,
                    unit_id,
                    title: title.as_deref(),
                    symbol: symbol.as_deref(),
                    issued_on,
                },
            )
            .await?;
            println!(
                "Đã nhập văn bản #{}: {} trích dẫn, {} văn bản mới trong danh mục.",
                imported.document_id, imported.citations, imported.registry_entries_created
            );
            Ok(())
        }
    }
}

fn print_outline(doc: &Document) {
    let h = &doc.header;
    let show = |label: &str, v: Option<&str>| println!("{label}: {}", v.unwrap_or("(không có)"));
    show("Cơ quan ban hành", h.issuing_body.as_deref());
    show("Số, ký hiệu", h.symbol.as_deref());
    show("Địa danh", h.place.as_deref());
    println!(
        "Ngày: {}",
        h.date
            .map(|d| d.format("%d/%m/%Y").to_string())
            .unwrap_or_else(|| "(không có)".into())
    );
    show(
        "Loại văn bản",
        doc.doc_type.as_ref().map(|t| t.text.as_str()),
    );
    show("Trích yếu", doc.trich_yeu.as_ref().map(|t| t.text.as_str()));
    if !doc.preamble.is_empty() {
        println!("Căn cứ: {} đoạn", doc.preamble.len());
    }
    for part in doc.parts() {
        println!("{}. {}", part.label.as_deref().unwrap_or("?"), part.text);
        for section in part.children.iter().filter(|n| n.kind == NodeKind::Section) {
            let bullets = count(section, NodeKind::Bullet);
            let title: String = section.text.chars().take(90).collect();
            let more = if section.text.chars().count() > 90 {
                "…"
            } else {
                ""
            };
            println!(
                "  {}. {title}{more}  [{bullets} ý]",
                section.label.as_deref().unwrap_or("?")
            );
        }
    }
    println!("Nơi nhận: {}", doc.recipients.len());
    for r in &doc.recipients {
        println!("  - {}", r.text);
    }
    match &doc.signer {
        Some(s) => println!(
            "Người ký: {} / {} / {}",
            s.authority.as_deref().unwrap_or("?"),
            s.title.as_deref().unwrap_or("?"),
            s.name.as_deref().unwrap_or("?")
        ),
        None => println!("Người ký: (không có)"),
    }
}

fn count(node: &Node, kind: NodeKind) -> usize {
    node.children.iter().filter(|n| n.kind == kind).count()
}

fn print_citations(found: &[Citation]) {
    for c in found {
        let symbol = c.symbol.as_deref().or(c.title.as_deref()).unwrap_or("?");
        let date = c
            .date
            .map(|d| d.format("%d/%m/%Y").to_string())
            .unwrap_or_default();
        let flags = if c.flags.is_empty() {
            String::new()
        } else {
            format!("  [{}]", c.flags.join(", "))
        };
        println!(
            "{:>7}  {:<12} {:<22} {:<10}{}",
            c.start,
            c.doc_type.as_deref().unwrap_or("?"),
            symbol,
            date,
            flags
        );
    }
    println!("Tổng: {} trích dẫn", found.len());
}
