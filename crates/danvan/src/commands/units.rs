//! `danvan units list|history`.

use crate::cli::UnitsCommand;
use anyhow::bail;
use chrono::NaiveDate;
use danvan_db::units::History;
use danvan_domain::units::UnitKind;
use serde::Serialize;

pub async fn run(command: UnitsCommand) -> anyhow::Result<()> {
    match command {
        UnitsCommand::List {
            data,
            at,
            kind,
            json,
        } => {
            let at = parse_day(at.as_deref())?;
            let kind = match kind.as_deref() {
                None => None,
                Some(k) => match UnitKind::parse(k) {
                    Some(k) => Some(k),
                    None => bail!(
                        "loại đơn vị “{k}” không hợp lệ; dùng một trong: {}",
                        UnitKind::ALL.map(UnitKind::as_str).join(", ")
                    ),
                },
            };
            let db = super::open(&data).await?;
            let history = History::load(&db.conn).await?;
            list(&history, at, kind, json)
        }
        UnitsCommand::History { data, name, json } => {
            let db = super::open(&data).await?;
            let history = History::load(&db.conn).await?;
            print_history(&history, &name, json)
        }
    }
}

fn parse_day(s: Option<&str>) -> anyhow::Result<NaiveDate> {
    match s {
        None => Ok(chrono::Local::now().date_naive()),
        Some(s) => NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
            .map_err(|_| anyhow::anyhow!("ngày “{s}” không hợp lệ; dùng dạng YYYY-MM-DD")),
    }
}

#[derive(Serialize)]
struct Row<'a> {
    id: i64,
    code: &'a str,
    name: &'a str,
    kind: &'a str,
    subtype: Option<&'a str>,
    parent_code: Option<&'a str>,
    parent_name: Option<&'a str>,
    valid_from: NaiveDate,
    valid_to: Option<NaiveDate>,
    depth: usize,
}

fn list(
    history: &History,
    at: NaiveDate,
    kind: Option<UnitKind>,
    json: bool,
) -> anyhow::Result<()> {
    let rows: Vec<Row> = history
        .tree_on(at, kind)
        .into_iter()
        .map(|(u, depth)| {
            let parent = u.parent_id.and_then(|p| history.get(p));
            Row {
                id: u.id,
                code: &u.code,
                name: &u.name,
                kind: &u.kind,
                subtype: u.subtype.as_deref(),
                parent_code: parent.map(|p| p.code.as_str()),
                parent_name: parent.map(|p| p.name.as_str()),
                valid_from: u.valid_from,
                valid_to: u.valid_to,
                depth,
            }
        })
        .collect();
    if json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    for r in &rows {
        let indent = if kind.is_some() { 0 } else { r.depth * 2 };
        println!(
            "{:<12} {:indent$}{}  [{}]{}",
            r.code,
            "",
            r.name,
            r.kind,
            r.parent_name
                .map(|p| format!("  thuộc {p}"))
                .unwrap_or_default(),
        );
    }
    println!(
        "Tổng: {} đơn vị tại ngày {}",
        rows.len(),
        at.format("%d/%m/%Y")
    );
    Ok(())
}

fn day(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

fn print_history(history: &History, name: &str, json: bool) -> anyhow::Result<()> {
    let by_code: Vec<_> = history
        .units
        .iter()
        .filter(|u| u.code == name.trim())
        .collect();
    let units = if by_code.is_empty() {
        history.find_by_name(name)
    } else {
        by_code
    };
    if units.is_empty() {
        bail!("không tìm thấy đơn vị nào có tên “{name}”");
    }
    if json {
        let out: Vec<_> = units
            .iter()
            .map(|u| {
                serde_json::json!({
                    "id": u.id, "code": u.code, "name": u.name, "kind": u.kind,
                    "valid_from": u.valid_from, "valid_to": u.valid_to,
                    "events": history.line_of(u.id),
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    for u in units {
        let until = u
            .valid_to
            .map(|t| format!(" đến {}", day(t)))
            .unwrap_or_else(|| " (đang hoạt động)".into());
        println!(
            "{} (mã {}), từ {}{}",
            u.name,
            u.code,
            day(u.valid_from),
            until
        );
        let line = history.line_of(u.id);
        if line.is_empty() {
            println!("  chưa ghi nhận thay đổi");
        }
        for step in line {
            let names = |list: &[danvan_db::units::UnitRef]| {
                list.iter()
                    .map(|x| x.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let basis = step
                .legal_basis
                .as_deref()
                .map(|b| format!("  [{b}]"))
                .unwrap_or_default();
            let to = if step.to.is_empty() {
                "(chấm dứt)".to_string()
            } else {
                names(&step.to)
            };
            println!(
                "  {}  {}: {} → {}{}",
                day(step.date),
                step.kind_label,
                names(&step.from),
                to,
                basis
            );
        }
        println!();
    }
    Ok(())
}
