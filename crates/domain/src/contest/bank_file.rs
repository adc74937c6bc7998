//! Importing and exporting the question bank as CSV or an Excel workbook, the formats organisers
//! edit in Excel.
//!
//! Columns: `cau_hoi, phuong_an_a, phuong_an_b, phuong_an_c, phuong_an_d (optional), dap_an,
//! chu_de (optional), do_kho (optional)`. Headers may be written with diacritics and spaces
//! ("Câu hỏi", "Phương án A", "Đáp án"). The file is read by [`super::table`]: CSV with the
//! delimiter taken from the header line, or the first sheet of an .xlsx workbook. Each row succeeds or fails on its own: one bad row
//! never hides the others, and never silently drops.

use super::question::{MAX_DIFFICULTY, MAX_OPTIONS, check_parts, option_letter};
use super::table::{Record, RowError, TableFileError, csv_records, read_table};
use super::{NewQuestion, Question};
use crate::text;

/// Columns the importer knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Text,
    Option(usize),
    Answer,
    Topic,
    Difficulty,
}

const EXPORT_HEADER: &str =
    "cau_hoi,phuong_an_a,phuong_an_b,phuong_an_c,phuong_an_d,dap_an,chu_de,do_kho";

/// Parses a CSV question bank. Blank rows are skipped; every other data row yields either a
/// question or a [`RowError`], in file order. A header problem yields a single error for row 1.
pub fn import_csv(input: &str) -> Vec<Result<NewQuestion, RowError>> {
    import_records(csv_records(input))
}

/// Parses an uploaded bank, CSV or .xlsx (told apart by content), with the same columns and row
/// errors as [`import_csv`]. A file that cannot be read at all is one [`TableFileError`].
pub fn import_bank(bytes: &[u8]) -> Result<Vec<Result<NewQuestion, RowError>>, TableFileError> {
    Ok(import_records(read_table(bytes)?))
}

fn import_records(records: Vec<Result<Record, RowError>>) -> Vec<Result<NewQuestion, RowError>> {
    let mut records = records.into_iter();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return vec![Err(e)],
        None => {
            return vec![Err(RowError {
                row: 1,
                message: "Tệp trống: thiếu dòng tiêu đề".into(),
            })];
        }
    };
    let columns = match map_header(&header.fields) {
        Ok(c) => c,
        Err(message) => {
            return vec![Err(RowError {
                row: header.row,
                message,
            })];
        }
    };
    records
        .filter(|r| !matches!(r, Ok(rec) if rec.fields.iter().all(|f| f.trim().is_empty())))
        .map(|r| {
            let rec = r?;
            read_row(&rec.fields, &columns).map_err(|message| RowError {
                row: rec.row,
                message,
            })
        })
        .collect()
}

/// Writes the bank as CSV for Excel: UTF-8 with a BOM (so Excel detects the encoding), CRLF
/// line ends, quoting where needed. [`import_csv`] reads it back to the same questions.
pub fn export_csv(questions: &[Question]) -> String {
    let mut out = String::with_capacity(64 + questions.len() * 256);
    out.push('\u{FEFF}');
    out.push_str(EXPORT_HEADER);
    out.push_str("\r\n");
    for q in questions {
        push_field(&mut out, &q.text);
        for i in 0..MAX_OPTIONS {
            out.push(',');
            if let Some(o) = q.options.get(i) {
                push_field(&mut out, &o.text);
            }
        }
        out.push(',');
        if let Some(i) = q.options.iter().position(|o| o.id == q.correct_option)
            && i < MAX_OPTIONS
        {
            out.push(option_letter(i));
        }
        out.push(',');
        if let Some(t) = &q.topic {
            push_field(&mut out, t);
        }
        out.push(',');
        if let Some(d) = q.difficulty {
            out.push_str(&d.to_string());
        }
        out.push_str("\r\n");
    }
    out
}

fn push_field(out: &mut String, field: &str) {
    let needs_quotes = field.contains([',', ';', '"', '\r', '\n'])
        || field.starts_with(char::is_whitespace)
        || field.ends_with(char::is_whitespace);
    if needs_quotes {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

fn column_of(header: &str) -> Option<Column> {
    let folded = text::fold(header.trim());
    let key: String = folded
        .split(|c: char| !c.is_alphanumeric())
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("_");
    Some(match key.as_str() {
        "cau_hoi" | "noi_dung" | "noi_dung_cau_hoi" => Column::Text,
        "phuong_an_a" | "pa_a" => Column::Option(0),
        "phuong_an_b" | "pa_b" => Column::Option(1),
        "phuong_an_c" | "pa_c" => Column::Option(2),
        "phuong_an_d" | "pa_d" => Column::Option(3),
        "dap_an" | "dap_an_dung" => Column::Answer,
        "chu_de" => Column::Topic,
        "do_kho" | "muc_do" => Column::Difficulty,
        _ => return None,
    })
}

/// Column index of each known column; unknown columns (STT, ghi chú…) are ignored.
fn map_header(header: &[String]) -> Result<Vec<(Column, usize)>, String> {
    let mut columns: Vec<(Column, usize)> = Vec::new();
    for (i, h) in header.iter().enumerate() {
        if let Some(col) = column_of(h) {
            if columns.iter().any(|(c, _)| *c == col) {
                return Err(format!("Cột \"{}\" xuất hiện hai lần", h.trim()));
            }
            columns.push((col, i));
        }
    }
    let required = [
        (Column::Text, "cau_hoi"),
        (Column::Option(0), "phuong_an_a"),
        (Column::Option(1), "phuong_an_b"),
        (Column::Option(2), "phuong_an_c"),
        (Column::Answer, "dap_an"),
    ];
    let missing: Vec<&str> = required
        .iter()
        .filter(|(col, _)| !columns.iter().any(|(c, _)| c == col))
        .map(|(_, name)| *name)
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "Thiếu cột bắt buộc: {}. Dòng đầu tiên phải là tiêu đề: {EXPORT_HEADER}",
            missing.join(", ")
        ));
    }
    Ok(columns)
}

fn read_row(fields: &[String], columns: &[(Column, usize)]) -> Result<NewQuestion, String> {
    let get = |col: Column| -> String {
        columns
            .iter()
            .find(|(c, _)| *c == col)
            .and_then(|(_, i)| fields.get(*i))
            .map(|f| text::normalize(f.trim()))
            .unwrap_or_default()
    };
    let question_text = get(Column::Text);
    if question_text.is_empty() {
        return Err("thiếu nội dung câu hỏi (cột cau_hoi)".into());
    }
    let mut options: Vec<String> = (0..MAX_OPTIONS).map(|i| get(Column::Option(i))).collect();
    while options.last().is_some_and(|o| o.is_empty()) {
        options.pop();
    }
    if let Some(gap) = options.iter().position(|o| o.is_empty()) {
        return Err(format!(
            "phương án {} đang trống trong khi có phương án sau nó",
            option_letter(gap)
        ));
    }
    let answer = get(Column::Answer);
    let correct = match answer.to_uppercase().as_str() {
        "" => return Err("thiếu đáp án (cột dap_an)".into()),
        "A" => 0,
        "B" => 1,
        "C" => 2,
        "D" => 3,
        _ => {
            return Err(format!(
                "đáp án \"{answer}\" không hợp lệ: chỉ được là A, B, C hoặc D"
            ));
        }
    };
    let topic = Some(get(Column::Topic)).filter(|t| !t.is_empty());
    let difficulty = parse_difficulty(&get(Column::Difficulty))?;
    let refs: Vec<&str> = options.iter().map(String::as_str).collect();
    // The answer's range is checked after the option count, which is the likelier mistake.
    check_parts(&question_text, &refs, 0, topic.as_deref(), difficulty)?;
    if correct >= options.len() {
        return Err(format!(
            "đáp án là {} nhưng câu hỏi không có phương án {}",
            option_letter(correct),
            option_letter(correct)
        ));
    }
    Ok(NewQuestion {
        text: question_text,
        options,
        correct,
        topic,
        difficulty,
    })
}

/// `1`–`5`, or the words "dễ" (1), "trung bình" (2), "khó" (3).
fn parse_difficulty(s: &str) -> Result<Option<u8>, String> {
    if s.is_empty() {
        return Ok(None);
    }
    let level = match text::fold(s)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .as_str()
    {
        "de" => Some(1),
        "trung binh" => Some(2),
        "kho" => Some(3),
        other => other.parse::<u8>().ok(),
    };
    match level {
        Some(d) if (1..=MAX_DIFFICULTY).contains(&d) => Ok(Some(d)),
        _ => Err(format!(
            "độ khó \"{s}\" không hợp lệ: ghi số từ 1 đến {MAX_DIFFICULTY} hoặc \"dễ\", \"trung bình\", \"khó\""
        )),
    }
}
