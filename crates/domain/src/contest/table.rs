//! Tables uploaded by organisers (question banks, headcounts): CSV as Excel saves it, or the
//! first sheet of an .xlsx workbook, told apart by content (a workbook is a zip: `PK`), read as
//! numbered rows of text fields.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::xlsx::{self, XlsxError};

/// A row that could not be imported. `row` is the spreadsheet row number (the header is row 1;
/// a cell with line breaks stays one row, as Excel shows it).
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[error("Dòng {row}: {message}")]
pub struct RowError {
    pub row: usize,
    pub message: String,
}

/// Why an uploaded table could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TableFileError {
    #[error(
        "Tệp không phải CSV mã hóa UTF-8 hay bảng tính .xlsx. Trong Excel, chọn “Lưu thành” → “CSV UTF-8” hoặc “Sổ làm việc Excel (.xlsx)”."
    )]
    NotUtf8,
    #[error("{0}")]
    Workbook(#[from] XlsxError),
}

/// One row of a table with its spreadsheet row number.
pub(crate) struct Record {
    pub row: usize,
    pub fields: Vec<String>,
}

/// Reads an uploaded table: a zip is a workbook, anything else must be UTF-8 CSV.
pub(crate) fn read_table(bytes: &[u8]) -> Result<Vec<Result<Record, RowError>>, TableFileError> {
    if bytes.starts_with(b"PK") {
        return Ok(xlsx::first_sheet(bytes)?
            .into_iter()
            .map(|r| {
                Ok(Record {
                    row: r.row,
                    fields: r.cells,
                })
            })
            .collect());
    }
    let text = std::str::from_utf8(bytes).map_err(|_| TableFileError::NotUtf8)?;
    Ok(csv_records(text))
}

/// CSV records, the delimiter sniffed from the first line, a leading BOM dropped.
pub(crate) fn csv_records(input: &str) -> Vec<Result<Record, RowError>> {
    let input = input.strip_prefix('\u{FEFF}').unwrap_or(input);
    parse_records(input, detect_delimiter(input))
}

/// The most frequent of `,`, `;` and tab on the first line (outside quotes); `,` on a tie.
fn detect_delimiter(input: &str) -> char {
    let mut counts = [0usize; 3];
    let mut in_quotes = false;
    for c in input.chars() {
        match c {
            '"' => in_quotes = !in_quotes,
            '\n' | '\r' if !in_quotes => break,
            ',' if !in_quotes => counts[0] += 1,
            ';' if !in_quotes => counts[1] += 1,
            '\t' if !in_quotes => counts[2] += 1,
            _ => {}
        }
    }
    match counts {
        [c, s, _] if s > c && s >= counts[2] => ';',
        [c, s, t] if t > c && t > s => '\t',
        _ => ',',
    }
}

/// RFC 4180 records: quoted fields may hold the delimiter, `""` and line breaks; CRLF or LF.
/// Stray quotes inside an unquoted field are kept as text rather than rejected, as Excel does.
fn parse_records(input: &str, delimiter: char) -> Vec<Result<Record, RowError>> {
    let mut out = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut in_quotes = false;
    let mut was_quoted = false;
    let mut row = 1;
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    in_quotes = false;
                }
            } else {
                field.push(c);
            }
            continue;
        }
        match c {
            '"' if !was_quoted && field.trim().is_empty() => {
                field.clear();
                in_quotes = true;
                was_quoted = true;
            }
            c if c == delimiter => {
                fields.push(std::mem::take(&mut field));
                was_quoted = false;
            }
            '\r' | '\n' => {
                if c == '\r' && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                fields.push(std::mem::take(&mut field));
                was_quoted = false;
                out.push(Ok(Record {
                    row,
                    fields: std::mem::take(&mut fields),
                }));
                row += 1;
            }
            c => field.push(c),
        }
    }
    if in_quotes {
        out.push(Err(RowError {
            row,
            message: "Dấu ngoặc kép (\") mở nhưng không đóng: dòng bị cắt cụt".into(),
        }));
    } else if !field.is_empty() || !fields.is_empty() || was_quoted {
        fields.push(field);
        out.push(Ok(Record { row, fields }));
    }
    out
}
