//! The plain-text holidays file: one ISO date per line.
//!
//! Offices keep the official list of days off in a file an administrator can edit by hand, so
//! the format forgives what hand editing produces (comments, blank lines, Windows line ends, a
//! byte-order mark) and points at the exact line when something is wrong.

use chrono::NaiveDate;
use thiserror::Error;

/// A line of a holidays file that is not a date.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error(
    "Tệp ngày nghỉ, dòng {line}: \"{text}\" không phải ngày hợp lệ (cần dạng YYYY-MM-DD, ví dụ 2025-09-02)"
)]
pub struct HolidaysFileError {
    /// 1-based line number.
    pub line: usize,
    /// The offending text, without its comment and surrounding spaces.
    pub text: String,
}

/// Parses a holidays file: one `YYYY-MM-DD` date per line; `#` starts a comment, whole-line or
/// trailing; blank lines are ignored. Dates come back sorted and without duplicates.
pub fn parse_holidays_file(text: &str) -> Result<Vec<NaiveDate>, HolidaysFileError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut dates = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let content = raw.split_once('#').map_or(raw, |(before, _)| before).trim();
        if content.is_empty() {
            continue;
        }
        let date = parse_iso_date(content).ok_or_else(|| HolidaysFileError {
            line: index + 1,
            text: content.chars().take(80).collect(),
        })?;
        dates.push(date);
    }
    dates.sort_unstable();
    dates.dedup();
    Ok(dates)
}

/// Strict `YYYY-MM-DD`: chrono alone would also accept forms like `2025-9-2` or a sign, which
/// a hand-written file should not rely on.
fn parse_iso_date(s: &str) -> Option<NaiveDate> {
    let bytes = s.as_bytes();
    let shape_ok = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && bytes
            .iter()
            .enumerate()
            .all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    if !shape_ok {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}
