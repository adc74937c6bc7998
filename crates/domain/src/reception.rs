//! Lịch tiếp công dân: the legal minimum of reception days for heads of bodies, and the shortfall
//! of a month's schedule against it.
//!
//! Sources (see `docs` deadlines §2.4): Luật Tiếp công dân 2013 Điều 12.5, 15.2.d and 18 with
//! NĐ 64/2014/NĐ-CP Điều 4.2; Quy định 11-QĐi/TW (2019) as amended by Kết luận 215 (2025) for
//! Party heads. District level was abolished on 01/7/2025 and has no rule here.

use chrono::{Datelike, Days, NaiveDate};

/// Who receives citizens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Host {
    /// Chủ tịch UBND tỉnh: at least one day a month.
    ProvinceChair,
    /// Chủ tịch UBND xã: at least one day every week.
    CommuneChair,
    /// Thủ trưởng cơ quan hành chính: at least one day a month.
    AgencyHead,
    /// Bí thư Tỉnh ủy: at least one day a month.
    ProvinceSecretary,
    /// Bí thư Đảng ủy xã: at least two days a month.
    CommuneSecretary,
}

impl Host {
    pub const ALL: [Host; 5] = [
        Host::ProvinceChair,
        Host::CommuneChair,
        Host::AgencyHead,
        Host::ProvinceSecretary,
        Host::CommuneSecretary,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Host::ProvinceChair => "chu_tich_tinh",
            Host::CommuneChair => "chu_tich_xa",
            Host::AgencyHead => "thu_truong",
            Host::ProvinceSecretary => "bi_thu_tinh",
            Host::CommuneSecretary => "bi_thu_xa",
        }
    }

    pub fn parse(s: &str) -> Option<Host> {
        Host::ALL.into_iter().find(|h| h.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            Host::ProvinceChair => "Chủ tịch UBND tỉnh",
            Host::CommuneChair => "Chủ tịch UBND xã",
            Host::AgencyHead => "Thủ trưởng cơ quan hành chính",
            Host::ProvinceSecretary => "Bí thư Tỉnh ủy",
            Host::CommuneSecretary => "Bí thư Đảng ủy xã",
        }
    }

    /// The rule in words, with its basis.
    pub fn minimum(self) -> &'static str {
        match self {
            Host::ProvinceChair => "ít nhất 1 ngày/tháng (Luật Tiếp công dân, Điều 12.5)",
            Host::CommuneChair => "ít nhất 1 ngày/tuần (Luật Tiếp công dân, Điều 15.2.d)",
            Host::AgencyHead => {
                "ít nhất 1 ngày/tháng (Luật Tiếp công dân, Điều 18; NĐ 64/2014, Điều 4.2)"
            }
            Host::ProvinceSecretary => "ít nhất 1 ngày/tháng (Quy định 11-QĐi/TW)",
            Host::CommuneSecretary => "ít nhất 2 ngày/tháng (Quy định 11-QĐi/TW; Kết luận 215)",
        }
    }
}

/// What a month's schedule lacks, in Vietnamese; `None` when the minimum is met.
///
/// For the weekly rule a week counts toward the month that holds its Monday, so a week split
/// across two months is checked once.
pub fn shortfall(host: Host, year: i32, month: u32, days: &[NaiveDate]) -> Option<String> {
    let first = NaiveDate::from_ymd_opt(year, month, 1)?;
    let in_month: Vec<NaiveDate> = days
        .iter()
        .copied()
        .filter(|d| d.year() == year && d.month() == month)
        .collect();
    let needed_per_month = match host {
        Host::CommuneSecretary => 2,
        Host::CommuneChair => {
            let mut missing = Vec::new();
            let mut monday = first;
            while monday.weekday().num_days_from_monday() != 0 {
                monday = monday.checked_add_days(Days::new(1))?;
            }
            while monday.month() == month {
                let sunday = monday.checked_add_days(Days::new(6))?;
                if !days.iter().any(|d| *d >= monday && *d <= sunday) {
                    missing.push(format!(
                        "{}–{}",
                        monday.format("%d/%m"),
                        sunday.format("%d/%m")
                    ));
                }
                monday = monday.checked_add_days(Days::new(7))?;
            }
            return (!missing.is_empty()).then(|| {
                format!(
                    "Thiếu lịch tiếp công dân trong tuần {} (cần ít nhất 1 ngày/tuần).",
                    missing.join(", ")
                )
            });
        }
        _ => 1,
    };
    let have = {
        let mut d = in_month.clone();
        d.sort_unstable();
        d.dedup();
        d.len()
    };
    (have < needed_per_month).then(|| {
        format!(
            "Tháng {month}/{year} có {have} ngày tiếp công dân, cần ít nhất {needed_per_month} ngày."
        )
    })
}
