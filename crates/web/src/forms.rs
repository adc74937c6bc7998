//! Small helpers for reading form and query values the same way everywhere.

use crate::error::AppError;
use chrono::NaiveDate;

/// An optional `YYYY-MM-DD` field: empty means none, anything else must be a real date. The
/// label names the field in the Vietnamese error.
pub fn optional_date(value: &str, label: &str) -> Result<Option<NaiveDate>, AppError> {
    match value.trim() {
        "" => Ok(None),
        v => NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                AppError::invalid(format!(
                    "{label}: ngày “{v}” không hợp lệ (dạng năm-tháng-ngày)."
                ))
            }),
    }
}

/// Percent-encodes a query-string component (RFC 3986 unreserved characters stay as they are).
pub fn encode_component(s: &str) -> String {
    encode(s, b"-_.~")
}

/// Percent-encodes a local path, keeping its slashes.
pub fn encode_path(s: &str) -> String {
    encode(s, b"-_.~/")
}

fn encode(s: &str, keep: &[u8]) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || keep.contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_and_encoding() {
        assert_eq!(optional_date(" ", "Ngày").unwrap(), None);
        assert_eq!(
            optional_date("2024-02-29", "Ngày").unwrap(),
            NaiveDate::from_ymd_opt(2024, 2, 29)
        );
        assert!(optional_date("2023-02-29", "Ngày").is_err());
        assert_eq!(encode_component("dân vận&x"), "d%C3%A2n%20v%E1%BA%ADn%26x");
        assert_eq!(encode_path("/units?at=1"), "/units%3Fat%3D1");
    }
}
