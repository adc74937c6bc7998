//! Due dates (thời hạn) proposed from the words of a task: "sơ kết 6 tháng", "cuối năm",
//! "Quý III", "tháng 9", "trước ngày 15/11", named days ("Lễ Giáng Sinh", "Tết Nguyên đán").
//!
//! Every date carries a Vietnamese reason so the review screen can say where it came from.
//! Things that look like dates but are not deadlines are reported as notes instead: a congress
//! term ("Đại hội … nhiệm kỳ 2024 - 2029" has no date of its own) and a period that starts
//! after the plan year ("giai đoạn 2025 - 2030").

use chrono::{Datelike, Days, NaiveDate};
use serde::{Deserialize, Serialize};

use super::folded::{Folded, boundary_after, boundary_before, find_words};
use crate::calendar::from_lunar;

/// A day of the year without the year: the report dates of a plan are the same every year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthDay {
    pub month: u32,
    pub day: u32,
}

impl MonthDay {
    pub const fn new(month: u32, day: u32) -> Self {
        MonthDay { month, day }
    }

    /// The date in `year`; a day past the end of the month (29/2 in a common year) becomes the
    /// month's last day. `None` for a month outside 1–12 or a day of 0.
    pub fn in_year(self, year: i32) -> Option<NaiveDate> {
        if self.day == 0 {
            return None;
        }
        let last = end_of_month(year, self.month)?;
        NaiveDate::from_ymd_opt(year, self.month, self.day.min(last.day()))
    }

    fn is(self, month: u32, day: u32) -> bool {
        self.month == month && self.day == day
    }
}

/// Settings for [`super::import::propose_with`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposeOptions {
    /// Due date of a task with no time words: 31/12 by default ("trong năm 2024").
    pub default_due: MonthDay,
    /// What "6 tháng", "sơ kết 6 tháng" resolve to: 30/6 by default; provinces often ask for
    /// the mid-year report earlier (e.g. 15/6).
    pub mid_year_report: MonthDay,
    /// What "cuối năm", "tổng kết năm" resolve to: 31/12 by default; often 15/11 in practice,
    /// because the year-end report is due before the year ends.
    pub year_end_report: MonthDay,
}

impl Default for ProposeOptions {
    fn default() -> Self {
        ProposeOptions {
            default_due: MonthDay::new(12, 31),
            mid_year_report: MonthDay::new(6, 30),
            year_end_report: MonthDay::new(12, 31),
        }
    }
}

/// Why a date was proposed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DueKind {
    /// No time words: the plan year's default.
    Default,
    /// Copied from the enclosing section.
    Inherited,
    /// "trước ngày 15/11/2024".
    Explicit,
    /// "6 tháng", "sơ kết 6 tháng".
    MidYear,
    /// "cuối năm", "tổng kết năm".
    YearEnd,
    /// "Quý III".
    Quarter,
    /// "tháng 9".
    Month,
    /// A named day: Lễ Giáng Sinh, Tết Nguyên đán, Ngày hội Đại đoàn kết…
    Event,
}

/// A proposed date with its reason, in Vietnamese: "cuối năm 2024", "dịp Lễ Giáng Sinh".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposedDue {
    pub date: NaiveDate,
    pub reason: String,
    pub kind: DueKind,
}

/// What the scan of one text found.
#[derive(Debug, Default)]
pub(crate) struct DueScan {
    /// Every dated hint, sorted by date, one per date.
    pub(crate) milestones: Vec<ProposedDue>,
    pub(crate) notes: Vec<String>,
}

pub(crate) fn end_of_month(year: i32, month: u32) -> Option<NaiveDate> {
    if !(1..=12).contains(&month) {
        return None;
    }
    let next = if month == 12 {
        NaiveDate::from_ymd_opt(year.checked_add(1)?, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, month + 1, 1)?
    };
    next.pred_opt()
}

fn dmy(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// The year's Can Chi name ("Giáp Thìn"), as Tết is named.
fn can_chi(year: i32) -> String {
    const STEMS: [&str; 10] = [
        "Giáp", "Ất", "Bính", "Đinh", "Mậu", "Kỷ", "Canh", "Tân", "Nhâm", "Quý",
    ];
    const BRANCHES: [&str; 12] = [
        "Tý", "Sửu", "Dần", "Mão", "Thìn", "Tỵ", "Ngọ", "Mùi", "Thân", "Dậu", "Tuất", "Hợi",
    ];
    let y = i64::from(year);
    let stem = STEMS[(y + 6).rem_euclid(10) as usize];
    let branch = BRANCHES[(y + 8).rem_euclid(12) as usize];
    format!("{stem} {branch}")
}

/// Leading ASCII digits of `s` (at most `max`), as a number and their length.
fn digits(s: &str, max: usize) -> Option<(u32, usize)> {
    let n = s.bytes().take_while(u8::is_ascii_digit).count();
    if n == 0 || n > max {
        return None;
    }
    s[..n].parse().ok().map(|v| (v, n))
}

/// A year written right after a month or quarter: "/2024", " năm 2024", "-2024".
fn year_after(s: &str) -> Option<(i32, usize)> {
    for p in ["/", " nam ", "-", " "] {
        if let Some(rest) = s.strip_prefix(p)
            && let Some((y, n)) = digits(rest, 4)
            && n == 4
            && boundary_after(rest, n)
        {
            return Some((y as i32, p.len() + n));
        }
    }
    None
}

/// "15/11", "15/11/2024", "15 thang 11", "15 thang 11 nam 2024" at the start of `s`.
fn day_month(s: &str) -> Option<(u32, u32, Option<i32>, usize)> {
    let (d, n) = digits(s, 2)?;
    let rest = &s[n..];
    let (sep_len, rest) = if let Some(r) = rest.strip_prefix('/') {
        (1, r)
    } else if let Some(r) = rest.strip_prefix(" thang ") {
        (7, r)
    } else {
        return None;
    };
    let (m, mn) = digits(rest, 2)?;
    let mut len = n + sep_len + mn;
    let year = match year_after(&s[len..]) {
        Some((y, l)) if !s[len..].starts_with(' ') || s[len..].starts_with(" nam ") => {
            len += l;
            Some(y)
        }
        _ => None,
    };
    if !boundary_after(s, len) {
        return None;
    }
    Some((d, m, year, len))
}

fn roman_quarter(s: &str) -> Option<(u32, usize)> {
    for (t, q) in [
        ("iv", 4),
        ("iii", 3),
        ("ii", 2),
        ("i", 1),
        ("4", 4),
        ("3", 3),
        ("2", 2),
        ("1", 1),
    ] {
        if s.starts_with(t) && boundary_after(s, t.len()) {
            return Some((q, t.len()));
        }
    }
    None
}

/// Scans `source` for time words. `year` is the plan year; `masked` are source byte ranges of
/// citations, whose dates are issue dates, not deadlines.
pub(crate) fn scan(
    source: &str,
    year: Option<i32>,
    opts: &ProposeOptions,
    masked: &[(usize, usize)],
) -> DueScan {
    let f = Folded::new(source);
    let t = f.text.as_str();
    let is_masked = |fi: usize| {
        let s = f.source_at(fi);
        masked.iter().any(|&(a, b)| a <= s && s < b)
    };
    let original = |a: usize, b: usize| {
        let (s, e) = f.source_range(a, b);
        source.get(s..e).unwrap_or_default().trim().to_owned()
    };
    let mut out = DueScan::default();
    let push = |out: &mut DueScan, date: Option<NaiveDate>, reason: String, kind: DueKind| {
        if let Some(date) = date {
            out.milestones.push(ProposedDue { date, reason, kind });
        }
    };
    let mut missing_year = false;

    // 6 tháng: the mid-year review.
    for needle in ["6 thang", "06 thang"] {
        for at in find_words(t, needle) {
            let after = &t[at + needle.len()..];
            if is_masked(at) || after.starts_with(" cuoi nam") {
                continue;
            }
            let Some(y) = year else {
                missing_year = true;
                continue;
            };
            let what = if t[..at].ends_with("so ket ") {
                format!("sơ kết 6 tháng năm {y}")
            } else if after.starts_with(" dau nam") {
                format!("6 tháng đầu năm {y}")
            } else {
                format!("6 tháng năm {y}")
            };
            let reason = if opts.mid_year_report.is(6, 30) {
                what
            } else {
                format!(
                    "{what} (hạn báo cáo {:02}/{:02})",
                    opts.mid_year_report.day, opts.mid_year_report.month
                )
            };
            push(
                &mut out,
                opts.mid_year_report.in_year(y),
                reason,
                DueKind::MidYear,
            );
        }
    }

    // Cuối năm, tổng kết năm: the year-end report.
    for (needle, words) in [
        ("cuoi nam", "cuối năm"),
        ("tong ket nam", "tổng kết năm"),
        ("tong ket cong tac nam", "tổng kết công tác năm"),
    ] {
        for at in find_words(t, needle) {
            if is_masked(at) {
                continue;
            }
            let explicit = year_after(&t[at + needle.len()..]).map(|(y, _)| y);
            let Some(y) = explicit.or(year) else {
                missing_year = true;
                continue;
            };
            let reason = if opts.year_end_report.is(12, 31) {
                format!("{words} {y}")
            } else {
                format!(
                    "{words} {y} (hạn báo cáo {:02}/{:02})",
                    opts.year_end_report.day, opts.year_end_report.month
                )
            };
            push(
                &mut out,
                opts.year_end_report.in_year(y),
                reason,
                DueKind::YearEnd,
            );
        }
    }

    // Quý I–IV.
    for at in find_words(t, "quy") {
        let rest = &t[at + 3..];
        let Some(rest) = rest.strip_prefix(' ') else {
            continue;
        };
        let Some((q, n)) = roman_quarter(rest) else {
            continue;
        };
        if is_masked(at) {
            continue;
        }
        let explicit = year_after(&rest[n..]).map(|(y, _)| y);
        let Some(y) = explicit.or(year) else {
            missing_year = true;
            continue;
        };
        let roman = ["I", "II", "III", "IV"][(q - 1) as usize];
        push(
            &mut out,
            end_of_month(y, q * 3),
            format!("Quý {roman} năm {y}"),
            DueKind::Quarter,
        );
    }

    // Tháng N, but not the "tháng" of a full date ("ngày 11 tháng 11 năm 2021").
    for at in find_words(t, "thang") {
        let Some(rest) = t[at + 5..].strip_prefix(' ') else {
            continue;
        };
        let Some((m, n)) = digits(rest, 2) else {
            continue;
        };
        let before = t[..at].trim_end();
        let prev_is_number = before
            .rsplit(' ')
            .next()
            .is_some_and(|w| !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit()));
        if !(1..=12).contains(&m) || prev_is_number || is_masked(at) {
            continue;
        }
        let after = &rest[n..];
        let explicit = year_after(after).map(|(y, _)| y);
        if explicit.is_none() && !boundary_after(rest, n) {
            continue;
        }
        let Some(y) = explicit.or(year) else {
            missing_year = true;
            continue;
        };
        push(
            &mut out,
            end_of_month(y, m),
            format!("tháng {m} năm {y}"),
            DueKind::Month,
        );
    }

    // "trước ngày 15/11/2024", "chậm nhất ngày 30/6".
    for trigger in [
        "truoc ngay ",
        "cham nhat la ngay ",
        "cham nhat ngay ",
        "han chot ngay ",
        "truoc ",
    ] {
        for (at, _) in t.match_indices(trigger) {
            if !boundary_before(t, at) || is_masked(at) {
                continue;
            }
            let from = at + trigger.len();
            let Some((d, m, y, len)) = day_month(&t[from..]) else {
                continue;
            };
            let Some(y) = y.or(year) else {
                missing_year = true;
                continue;
            };
            let date = NaiveDate::from_ymd_opt(y, m, d);
            if date.is_none() {
                out.notes.push(format!(
                    "“{}” không phải là ngày hợp lệ.",
                    original(at, from + len)
                ));
            }
            push(
                &mut out,
                date,
                format!("hạn ghi trong văn bản: {}", original(at, from + len)),
                DueKind::Explicit,
            );
        }
    }

    // Named days.
    for (needle, name, month, day) in [
        ("le giang sinh", "Lễ Giáng Sinh", 12, 24),
        (
            "ngay hoi dai doan ket",
            "Ngày hội Đại đoàn kết toàn dân tộc",
            11,
            18,
        ),
        (
            "ngay truyen thong cong tac dan van",
            "Ngày truyền thống công tác dân vận",
            10,
            15,
        ),
        ("quoc khanh", "Quốc khánh", 9, 2),
    ] {
        if find_words(t, needle).any(|at| !is_masked(at)) {
            let Some(y) = year else {
                missing_year = true;
                continue;
            };
            let date = NaiveDate::from_ymd_opt(y, month, day);
            push(
                &mut out,
                date,
                format!("dịp {name} ({day:02}/{month:02}/{y})"),
                DueKind::Event,
            );
        }
    }
    for needle in ["tet nguyen dan", "tet co truyen"] {
        let Some(at) = find_words(t, needle).find(|&at| !is_masked(at)) else {
            continue;
        };
        // A year written within the next few words names the Tết ("Tết Nguyên đán 2025").
        let window_end = (at + needle.len() + 24).min(t.len());
        let window = t.get(at + needle.len()..window_end).unwrap_or_default();
        let written = window
            .split(|c: char| !c.is_ascii_digit())
            .find_map(|w| (w.len() == 4).then(|| w.parse::<i32>().ok()).flatten());
        let Some(y) = written.or(year) else {
            missing_year = true;
            continue;
        };
        let Some(new_year) = from_lunar(1, 1, y, false) else {
            continue;
        };
        let eve = new_year.checked_sub_days(Days::new(1));
        push(
            &mut out,
            eve,
            format!(
                "trước Tết Nguyên đán {} (mùng 1 Tết là {})",
                can_chi(y),
                dmy(new_year)
            ),
            DueKind::Event,
        );
        if written.is_none()
            && let Some(next) = from_lunar(1, 1, y + 1, false)
        {
            out.notes.push(format!(
                "Hiểu là Tết Nguyên đán {} của năm {y}; nếu là Tết {} ({}), sửa hạn thành {}.",
                can_chi(y),
                can_chi(y + 1),
                dmy(next),
                next.pred_opt().map(dmy).unwrap_or_default()
            ));
        }
        break;
    }

    // Terms and periods: noted, never dated.
    for at in find_words(t, "nhiem ky") {
        let Some((from, _)) = range_at(&t[at + 8..]) else {
            continue;
        };
        let back = t[..at].char_indices().rev().nth(200).map_or(0, |(i, _)| i);
        let congress = t[back..at].contains("dai hoi");
        if congress && Some(from) == year {
            let start = t[back..at].rfind("dai hoi").map_or(at, |i| back + i);
            out.notes.push(format!(
                "“{}”: văn bản không ghi ngày tổ chức đại hội nên chưa đặt hạn; nhập hạn khi có lịch đại hội.",
                shorten(&original(start, at + 8 + range_at(&t[at + 8..]).map_or(0, |r| r.1)))
            ));
            break;
        }
    }
    for at in find_words(t, "giai doan") {
        if let Some((from, len)) = range_at(&t[at + 9..])
            && year.is_some_and(|y| from > y)
        {
            out.notes.push(format!(
                "“{}” bắt đầu sau năm kế hoạch: không dùng để đặt hạn trong năm {}.",
                original(at, at + 9 + len),
                year.unwrap_or_default()
            ));
        }
    }

    if missing_year {
        out.notes.push(
            "Có mốc thời gian nhưng chưa xác định được năm của kế hoạch: chưa đặt hạn.".to_owned(),
        );
    }
    out.milestones.sort_by_key(|m| m.date);
    out.milestones.dedup_by(|a, b| a.date == b.date);
    out
}

/// " 2024 - 2029" → (2024, length).
fn range_at(s: &str) -> Option<(i32, usize)> {
    let rest = s.strip_prefix(' ')?;
    let (a, n) = digits(rest, 4)?;
    let after = rest[n..].strip_prefix('-')?;
    let (_, m) = digits(after, 4)?;
    (n == 4 && m == 4).then_some((a as i32, 1 + n + 1 + m))
}

/// Keeps notes readable: a long clause is cut to its first and last words.
fn shorten(s: &str) -> String {
    let words: Vec<&str> = s.split_whitespace().collect();
    if words.len() <= 14 {
        return s.to_owned();
    }
    format!(
        "{} … {}",
        words[..4].join(" "),
        words[words.len() - 8..].join(" ")
    )
}
