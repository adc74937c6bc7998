//! The legal-basis registry's rules: when two citations name the same document, and when the
//! documents a plan relies on are due for their sơ kết / tổng kết reviews.

use crate::citations::Citation;
use crate::text::fold;
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

/// What identifies a cited document.
///
/// Party numbers restart each term of the committee and State numbers each year, so the number
/// alone is not enough: the key is (type word, number, issuer code, year). The type *word* is
/// used rather than the code because `QĐ` is both Quyết định and Quy định. Laws cited by name
/// only are identified by their folded name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Identity {
    pub doc_type: String,
    pub number: Option<String>,
    pub issuer_code: Option<String>,
    /// Year of issue when known (from the symbol or the date).
    pub year: Option<i32>,
    /// Folded name for laws without a number.
    pub title: Option<String>,
}

impl Identity {
    /// The identity of a citation; `None` when it names nothing identifiable.
    pub fn of(c: &Citation) -> Option<Identity> {
        let doc_type = fold(c.doc_type.as_deref()?);
        match (&c.number, &c.title) {
            (Some(number), _) => Some(Identity {
                doc_type,
                number: Some(number.trim_start_matches('0').to_string())
                    .filter(|n| !n.is_empty())
                    .or(Some("0".into())),
                issuer_code: c.issuer_code.as_ref().map(|i| i.to_uppercase()),
                year: c.year.or_else(|| c.date.map(|d| d.year())),
                title: None,
            }),
            (None, Some(title)) => Some(Identity {
                doc_type,
                number: None,
                issuer_code: None,
                year: None,
                title: Some(fold(title)),
            }),
            (None, None) => None,
        }
    }

    /// A stable text key for a unique index. The year is `?` when unknown, so a short-form
    /// citation without a date can still be matched to a dated entry by the storage layer.
    pub fn key(&self) -> String {
        match &self.title {
            Some(title) => format!("{}|{}", self.doc_type, title),
            None => format!(
                "{}|{}|{}|{}",
                self.doc_type,
                self.number.as_deref().unwrap_or(""),
                self.issuer_code.as_deref().unwrap_or(""),
                self.year
                    .map(|y| y.to_string())
                    .unwrap_or_else(|| "?".into())
            ),
        }
    }

    /// The key with the year left open, to find a dated entry for an undated citation.
    pub fn key_without_year(&self) -> String {
        Identity {
            year: None,
            ..self.clone()
        }
        .key()
    }
}

/// A review milestone: sơ kết (interim) or tổng kết (final) after some years of implementation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Milestone {
    pub key: &'static str,
    pub label: &'static str,
    pub years: i32,
}

/// The milestones directives and resolutions usually get: an interim review after 5 years and a
/// final one after 10 (the seed plan orders both kinds for 2024).
pub const MILESTONES: [Milestone; 2] = [
    Milestone {
        key: "so_ket_5",
        label: "Sơ kết 5 năm",
        years: 5,
    },
    Milestone {
        key: "tong_ket_10",
        label: "Tổng kết 10 năm",
        years: 10,
    },
];

pub fn milestone(key: &str) -> Option<Milestone> {
    MILESTONES.into_iter().find(|m| m.key == key)
}

/// Types of document whose implementation is reviewed (not letters, reports or plans).
pub fn is_reviewable(doc_type: &str) -> bool {
    matches!(
        fold(doc_type).as_str(),
        "nghi quyet"
            | "chi thi"
            | "ket luan"
            | "quy dinh"
            | "quyet dinh"
            | "de an"
            | "chuong trinh"
            | "quy che"
            | "luat"
            | "nghi dinh"
    )
}

/// A milestone with its due year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DueReview {
    pub milestone: Milestone,
    pub due_year: i32,
}

/// The reviews a document issued on `issued_on` falls due for.
pub fn due_reviews(doc_type: &str, issued_on: NaiveDate) -> Vec<DueReview> {
    if !is_reviewable(doc_type) {
        return Vec::new();
    }
    MILESTONES
        .into_iter()
        .map(|m| DueReview {
            milestone: m,
            due_year: issued_on.year() + m.years,
        })
        .collect()
}

/// A review the text itself orders, e.g. "Tổng kết 10 năm thực hiện Chỉ thị số 27-CT/TU".
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequestedReview {
    /// Index of the citation (in the list given) the review is about.
    pub citation: usize,
    /// "so_ket" or "tong_ket".
    pub kind: &'static str,
    /// Years of implementation named ("10 năm"), if any.
    pub years: Option<i32>,
    /// The milestone key when the years match one ("tong_ket_10").
    pub milestone: Option<&'static str>,
}

/// Finds "sơ kết / tổng kết [N năm] [thực hiện]" just before a citation.
pub fn requested_reviews(text: &str, citations: &[Citation]) -> Vec<RequestedReview> {
    let mut out = Vec::new();
    for (i, c) in citations.iter().enumerate() {
        let Some(window_start) = text.get(..c.start).map(|before| {
            // Look back to the start of the clause: the previous sentence end or bullet.
            before
                .rfind(['.', ';', '\n', ':'])
                .map(|p| p + 1)
                .unwrap_or(0)
                .max(c.start.saturating_sub(160))
        }) else {
            continue;
        };
        let Some(clause) = text.get(floor_boundary(text, window_start)..c.start) else {
            continue;
        };
        let folded = fold(clause);
        let Some((kind, at)) = ["tong ket", "so ket"]
            .iter()
            .filter_map(|k| folded.rfind(k).map(|p| (*k, p)))
            .max_by_key(|(_, p)| *p)
        else {
            continue;
        };
        let rest = &folded[at + kind.len()..];
        let years = rest
            .split_whitespace()
            .next()
            .and_then(|w| w.parse::<i32>().ok())
            .filter(|_| rest.split_whitespace().nth(1) == Some("nam"));
        let kind = if kind == "tong ket" {
            "tong_ket"
        } else {
            "so_ket"
        };
        let milestone = MILESTONES
            .into_iter()
            .find(|m| Some(m.years) == years && m.key.starts_with(kind))
            .map(|m| m.key);
        out.push(RequestedReview {
            citation: i,
            kind,
            years,
            milestone,
        });
    }
    out
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
