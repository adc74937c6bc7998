//! Excel workbooks (.xlsx) read as rows of text: just enough for the question bank and other
//! spreadsheets that organisers upload.
//!
//! Bytes in, rows out: the first worksheet (in the workbook's tab order), each row with the
//! number Excel shows beside it and its cells as text, placed by their `r` reference (`C7`) so
//! that skipped cells and rows land where Excel shows them. Cell values:
//! - shared strings (`t="s"`) and inline strings (`t="inlineStr"`), rich-text runs joined,
//!   phonetic guides (`rPh`) left out;
//! - numbers as written, with a whole number shown without a decimal part (`2.0` → `2`);
//! - booleans as `TRUE`/`FALSE`, error values (`#N/A`) and formula results as stored.
//!
//! Formatting, formulas, dates (which are numbers in the file) and other sheets are ignored.
//! Parts are read with the same caps as the Word reader, and a sheet may not hold more than
//! [`MAX_CELLS`] cells, so a hostile file is an error, not an out-of-memory crash.

use std::io::{Read, Seek};

use zip::ZipArchive;

use crate::ooxml::{self, OpenError, PartError, Xml, attr, local};
use crate::text::normalize;

/// The most cells read from a sheet, counting the empty ones that fill gaps between cells of a
/// row (a row with one value in column XFD holds 16,384 cells).
pub const MAX_CELLS: usize = 2_000_000;
/// Excel's own limits: 1,048,576 rows and 16,384 columns (XFD).
const MAX_ROW: u32 = 1_048_576;
const MAX_COLUMN: u32 = 16_384;

const WORKBOOK: &str = "xl/workbook.xml";
const WORKBOOK_RELS: &str = "xl/_rels/workbook.xml.rels";
const SHARED_STRINGS: &str = "xl/sharedStrings.xml";
const FIRST_SHEET: &str = "xl/worksheets/sheet1.xml";

/// Why a file could not be read as a workbook. Messages are for the person uploading it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum XlsxError {
    #[error("Tệp trống, không có nội dung để đọc.")]
    Empty,
    #[error(
        "Tệp là bảng tính Excel định dạng cũ (.xls) hoặc có đặt mật khẩu; hãy mở bằng Excel và \
         lưu lại dưới dạng .xlsx không đặt mật khẩu."
    )]
    LegacyOrEncrypted,
    #[error("Tệp không phải là bảng tính Excel (.xlsx): không đọc được cấu trúc tệp nén ZIP.")]
    NotZip,
    #[error("Tệp .xlsx bị hỏng hoặc không đầy đủ (có thể bị cắt cụt khi tải lên).")]
    Truncated,
    #[error("Tệp nén không phải là bảng tính Excel: không có trang tính nào.")]
    NotWorkbook,
    #[error("Bảng tính quá lớn: phần {part} vượt quá {limit_mb} MB khi giải nén.")]
    TooLarge { part: String, limit_mb: u64 },
    #[error("Bảng tính có quá nhiều ô (tối đa {MAX_CELLS} ô).")]
    TooManyCells,
    #[error("Tệp .xlsx bị hỏng: không giải nén được phần {part}.")]
    Unreadable { part: String },
    #[error("Nội dung XML của phần {part} bị hỏng tại vị trí {position}.")]
    Xml { part: String, position: u64 },
    #[error("Ô {reference} của trang tính có địa chỉ không hợp lệ.")]
    BadReference { reference: String },
}

/// One row of a sheet: its number as Excel shows it (1-based) and its cells from column A,
/// empty strings standing in for empty cells. Rows without any value are left out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    pub row: usize,
    pub cells: Vec<String>,
}

/// Reads the first worksheet of a workbook.
pub fn first_sheet(bytes: &[u8]) -> Result<Vec<SheetRow>, XlsxError> {
    let mut archive = ooxml::open(bytes).map_err(|e| match e {
        OpenError::Empty => XlsxError::Empty,
        OpenError::LegacyOrEncrypted => XlsxError::LegacyOrEncrypted,
        OpenError::NotZip => XlsxError::NotZip,
        OpenError::Truncated => XlsxError::Truncated,
    })?;
    let sheet_name = first_sheet_part(&mut archive)?;
    let sheet = read_part(&mut archive, &sheet_name)?.ok_or(XlsxError::NotWorkbook)?;
    let strings = match read_part(&mut archive, SHARED_STRINGS)? {
        Some(xml) => shared_strings(&xml)?,
        None => Vec::new(),
    };
    read_sheet(&sheet_name, &sheet, &strings)
}

fn read_part<R: Read + Seek>(
    archive: &mut ZipArchive<R>,
    name: &str,
) -> Result<Option<Vec<u8>>, XlsxError> {
    ooxml::read_part(archive, name).map_err(|e| match e {
        PartError::TooLarge => XlsxError::TooLarge {
            part: name.to_owned(),
            limit_mb: ooxml::MAX_PART_BYTES / (1024 * 1024),
        },
        PartError::Unreadable => XlsxError::Unreadable {
            part: name.to_owned(),
        },
    })
}

fn walk(part: &str, xml: &[u8], f: impl FnMut(Xml<'_>)) -> Result<(), XlsxError> {
    ooxml::walk(xml, f).map_err(|position| XlsxError::Xml {
        part: part.to_owned(),
        position,
    })
}

/// The part name of the first sheet in tab order, through the workbook's relationships; the
/// conventional `xl/worksheets/sheet1.xml` when the workbook does not say.
fn first_sheet_part<R: Read + Seek>(archive: &mut ZipArchive<R>) -> Result<String, XlsxError> {
    let Some(workbook) = read_part(archive, WORKBOOK)? else {
        return Err(XlsxError::NotWorkbook);
    };
    let mut first_id: Option<String> = None;
    walk(WORKBOOK, &workbook, |e| {
        if let Xml::Open(s) = e
            && first_id.is_none()
            && local(s) == "sheet"
        {
            first_id = attr(s, "id");
        }
    })?;
    let (Some(id), Some(rels)) = (first_id, read_part(archive, WORKBOOK_RELS)?) else {
        return Ok(FIRST_SHEET.to_owned());
    };
    let mut target: Option<String> = None;
    walk(WORKBOOK_RELS, &rels, |e| {
        if let Xml::Open(s) = e
            && local(s) == "Relationship"
            && attr(s, "Id").as_deref() == Some(id.as_str())
        {
            target = attr(s, "Target");
        }
    })?;
    Ok(match target {
        // Absolute targets are package paths; relative ones are relative to `xl/`.
        Some(t) if t.starts_with('/') => t.trim_start_matches('/').to_owned(),
        Some(t) => format!("xl/{t}"),
        None => FIRST_SHEET.to_owned(),
    })
}

/// The shared string table: each `si` is the concatenation of its `t` texts, phonetic runs
/// left out.
fn shared_strings(xml: &[u8]) -> Result<Vec<String>, XlsxError> {
    let mut out = Vec::new();
    let mut current = String::new();
    let (mut in_text, mut in_phonetic) = (false, false);
    walk(SHARED_STRINGS, xml, |e| match e {
        Xml::Open(s) => match local(s).as_str() {
            "si" => current.clear(),
            "t" => in_text = true,
            "rPh" => in_phonetic = true,
            _ => {}
        },
        Xml::Close("si") => out.push(std::mem::take(&mut current)),
        Xml::Close("t") => in_text = false,
        Xml::Close("rPh") => in_phonetic = false,
        Xml::Close(_) => {}
        Xml::Text(t) => {
            if in_text && !in_phonetic {
                current.push_str(t);
            }
        }
    })?;
    Ok(out)
}

/// `C7` → (column index from 0, row number from 1).
fn parse_reference(r: &str) -> Option<(u32, u32)> {
    let split = r.find(|c: char| c.is_ascii_digit())?;
    let (letters, digits) = r.split_at(split);
    if letters.is_empty() || letters.len() > 3 || !letters.bytes().all(|b| b.is_ascii_uppercase()) {
        return None;
    }
    let column = letters
        .bytes()
        .fold(0u32, |acc, b| acc * 26 + u32::from(b - b'A') + 1);
    let row: u32 = digits.parse().ok()?;
    ((1..=MAX_COLUMN).contains(&column) && (1..=MAX_ROW).contains(&row))
        .then_some((column - 1, row))
}

/// A number as Excel shows it in a General cell, near enough: whole numbers without `.0`.
fn number_text(raw: &str) -> String {
    let raw = raw.trim();
    match raw.parse::<f64>() {
        Ok(v) if v.fract() == 0.0 && v.abs() < 1e15 => format!("{}", v as i64),
        _ => raw.to_owned(),
    }
}

/// The cell being read.
#[derive(Default)]
struct Cell {
    column: u32,
    kind: String,
    value: String,
    in_value: bool,
}

fn read_sheet(part: &str, xml: &[u8], strings: &[String]) -> Result<Vec<SheetRow>, XlsxError> {
    let mut rows: Vec<SheetRow> = Vec::new();
    let mut row_no: u32 = 0;
    let mut next_column: u32 = 0;
    let mut cells: Vec<(u32, String)> = Vec::new();
    let mut cell: Option<Cell> = None;
    let mut total = 0usize;
    let mut failure: Option<XlsxError> = None;
    walk(part, xml, |e| {
        if failure.is_some() {
            return;
        }
        match e {
            Xml::Open(s) => match local(s).as_str() {
                "row" => {
                    row_no = match attr(s, "r").and_then(|r| r.trim().parse::<u32>().ok()) {
                        Some(r) if (1..=MAX_ROW).contains(&r) => r,
                        _ => row_no + 1,
                    };
                    next_column = 0;
                    cells.clear();
                }
                "c" => {
                    let column = match attr(s, "r") {
                        Some(r) => match parse_reference(r.trim()) {
                            Some((c, _)) => c,
                            None => {
                                failure = Some(XlsxError::BadReference { reference: r });
                                return;
                            }
                        },
                        None => next_column,
                    };
                    next_column = column + 1;
                    cell = Some(Cell {
                        column,
                        kind: attr(s, "t").unwrap_or_default(),
                        ..Cell::default()
                    });
                }
                // `v` holds the value; `t` inside `is` the text of an inline string.
                "v" | "t" => {
                    if let Some(c) = &mut cell {
                        c.in_value = true;
                    }
                }
                _ => {}
            },
            Xml::Close("v" | "t") => {
                if let Some(c) = &mut cell {
                    c.in_value = false;
                }
            }
            Xml::Close("c") => {
                let Some(c) = cell.take() else { return };
                let text = match c.kind.as_str() {
                    "s" => c
                        .value
                        .trim()
                        .parse::<usize>()
                        .ok()
                        .and_then(|i| strings.get(i).cloned())
                        .unwrap_or_default(),
                    "b" => match c.value.trim() {
                        "1" => "TRUE".to_owned(),
                        "0" => "FALSE".to_owned(),
                        other => other.to_owned(),
                    },
                    "inlineStr" | "str" | "e" => c.value,
                    _ => number_text(&c.value),
                };
                if !text.is_empty() {
                    cells.push((c.column, text));
                }
            }
            Xml::Close("row") => {
                if let Some(width) = cells.iter().map(|(c, _)| c + 1).max() {
                    total += width as usize;
                    if total > MAX_CELLS {
                        failure = Some(XlsxError::TooManyCells);
                        return;
                    }
                    let mut out = vec![String::new(); width as usize];
                    for (c, text) in cells.drain(..) {
                        out[c as usize] = normalize(&text);
                    }
                    rows.push(SheetRow {
                        row: row_no as usize,
                        cells: out,
                    });
                }
            }
            Xml::Close(_) => {}
            Xml::Text(t) => {
                if let Some(c) = &mut cell
                    && c.in_value
                {
                    c.value.push_str(t);
                }
            }
        }
    })?;
    if let Some(e) = failure {
        return Err(e);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_and_numbers() {
        assert_eq!(parse_reference("A1"), Some((0, 1)));
        assert_eq!(parse_reference("AB12"), Some((27, 12)));
        assert_eq!(parse_reference("XFD1048576"), Some((16_383, 1_048_576)));
        assert_eq!(parse_reference("XFE1"), None);
        assert_eq!(parse_reference("A0"), None);
        assert_eq!(parse_reference("12"), None);
        assert_eq!(number_text("2.0"), "2");
        assert_eq!(number_text("2.5"), "2.5");
        assert_eq!(number_text("abc"), "abc");
    }
}
