//! Giải tập thể: what organisers configure for collective prizes, and the ranking over every
//! frozen round of a contest. The per-round arithmetic is [`super::collective_ranking`].

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::table::{RowError, TableFileError, read_table};
use super::{CollectiveFormula, CollectiveRanking, ContestError, UnitTally, collective_ranking};

impl CollectiveFormula {
    /// Every formula, in the order the form lists them.
    pub const ALL: [CollectiveFormula; 4] = [
        CollectiveFormula::Participants,
        CollectiveFormula::ParticipationRate,
        CollectiveFormula::PointsPlusRate,
        CollectiveFormula::ParticipantsPlusScore,
    ];

    /// The stored name, used as the form value.
    pub fn code(self) -> &'static str {
        match self {
            CollectiveFormula::Participants => "participants",
            CollectiveFormula::ParticipationRate => "participation_rate",
            CollectiveFormula::PointsPlusRate => "points_plus_rate",
            CollectiveFormula::ParticipantsPlusScore => "participants_plus_score",
        }
    }

    pub fn from_code(code: &str) -> Option<CollectiveFormula> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }

    /// Short Vietnamese name.
    pub fn label(self) -> &'static str {
        match self {
            CollectiveFormula::Participants => "Nhiều người dự thi nhất",
            CollectiveFormula::ParticipationRate => "Tỷ lệ người dự thi cao nhất",
            CollectiveFormula::PointsPlusRate => "Tỷ lệ dự thi cộng điểm giải cá nhân",
            CollectiveFormula::ParticipantsPlusScore => "Số người dự thi cộng tổng số câu đúng",
        }
    }

    /// How the score is computed, in Vietnamese, for the page and the exported file.
    pub fn explain(self) -> &'static str {
        match self {
            CollectiveFormula::Participants => {
                "Điểm = tổng số lượt người dự thi của đơn vị qua các vòng đã chốt (mỗi người được \
                 tính một lần trong mỗi vòng). Không cần số người của đơn vị."
            }
            CollectiveFormula::ParticipationRate => {
                "Điểm = tỷ lệ % người dự thi trên tổng số người của đơn vị, lấy trung bình các \
                 vòng đã chốt. Đơn vị chưa khai báo số người không được xếp hạng."
            }
            CollectiveFormula::PointsPlusRate => {
                "Điểm = tỷ lệ % người dự thi trung bình các vòng + tổng điểm quy đổi các giải cá \
                 nhân mà người của đơn vị đạt được. Đơn vị chưa khai báo số người không được xếp \
                 hạng."
            }
            CollectiveFormula::ParticipantsPlusScore => {
                "Điểm = tổng số lượt người dự thi + tổng số câu trả lời đúng (lượt thi được công \
                 nhận của mỗi người) qua các vòng đã chốt."
            }
        }
    }
}

/// Collective prize rules of a contest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectiveSettings {
    pub formula: CollectiveFormula,
    /// How many units receive a collective prize (0: ranking only).
    pub prizes: u32,
    /// Points of each individual prize for [`CollectiveFormula::PointsPlusRate`].
    pub prize_points: BTreeMap<String, u32>,
}

impl Default for CollectiveSettings {
    /// Participation rate, three collective prizes, and the Quảng Nam points (Nhất 10, Nhì 8,
    /// Ba 6, Khuyến khích 4).
    fn default() -> Self {
        CollectiveSettings {
            formula: CollectiveFormula::ParticipationRate,
            prizes: 3,
            prize_points: [
                ("Giải Nhất", 10),
                ("Giải Nhì", 8),
                ("Giải Ba", 6),
                ("Giải Khuyến khích", 4),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect(),
        }
    }
}

/// The most collective prizes, to catch typing mistakes.
pub const MAX_COLLECTIVE_PRIZES: u32 = 1_000;

impl CollectiveSettings {
    pub fn validate(&self) -> Result<(), ContestError> {
        if self.prizes > MAX_COLLECTIVE_PRIZES {
            return Err(ContestError::InvalidSettings(format!(
                "số giải tập thể tối đa {MAX_COLLECTIVE_PRIZES} (đang là {})",
                self.prizes
            )));
        }
        if self.prize_points.keys().any(|k| k.trim().is_empty()) {
            return Err(ContestError::InvalidSettings(
                "tên giải trong bảng điểm quy đổi không được để trống".into(),
            ));
        }
        Ok(())
    }
}

/// Ranks units over several frozen rounds. Participants, correct answers and prizes add up
/// over the rounds; the participation rate is the average of the rounds' rates
/// (Σ participants ÷ (headcount × rounds)), so a contest of four rounds does not rate units at
/// 400 %. Units with a headcount but nobody taking part are ranked too, with zero.
pub fn collective_over_rounds(
    rounds: &[Vec<UnitTally>],
    headcounts: &HashMap<i64, u64>,
    settings: &CollectiveSettings,
) -> CollectiveRanking {
    let n = rounds.len().max(1) as u64;
    let mut sum: BTreeMap<i64, UnitTally> = headcounts
        .keys()
        .map(|&unit_id| {
            (
                unit_id,
                UnitTally {
                    unit_id,
                    participants: 0,
                    total_correct: 0,
                    prizes: Vec::new(),
                },
            )
        })
        .collect();
    for t in rounds.iter().flatten() {
        let s = sum.entry(t.unit_id).or_insert_with(|| UnitTally {
            unit_id: t.unit_id,
            participants: 0,
            total_correct: 0,
            prizes: Vec::new(),
        });
        s.participants += t.participants;
        s.total_correct += t.total_correct;
        s.prizes.extend(t.prizes.iter().cloned());
    }
    let tallies: Vec<UnitTally> = sum.into_values().collect();
    let scaled: HashMap<i64, u64> = headcounts
        .iter()
        .map(|(&u, &h)| (u, h.saturating_mul(n)))
        .collect();
    let points: HashMap<String, u32> = settings
        .prize_points
        .iter()
        .map(|(k, &v)| (k.clone(), v))
        .collect();
    let mut ranking = collective_ranking(&tallies, &scaled, &points, settings.formula);
    for e in &mut ranking.entries {
        e.headcount = e.headcount.map(|h| h / n);
    }
    ranking
}

/// One line of a headcount file: a unit (its code or its name, as written) and its headcount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeadcountLine {
    pub row: usize,
    pub unit: String,
    pub headcount: u64,
}

/// Reads a headcount file (CSV or .xlsx): `mã đơn vị hoặc tên đơn vị, số người` per row. A
/// first row whose second cell is not a number is taken as the header and skipped.
pub fn parse_headcounts(
    bytes: &[u8],
) -> Result<Vec<Result<HeadcountLine, RowError>>, TableFileError> {
    let records = read_table(bytes)?;
    let mut out = Vec::with_capacity(records.len());
    for (i, record) in records.into_iter().enumerate() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                out.push(Err(e));
                continue;
            }
        };
        let cell = |i: usize| record.fields.get(i).map_or("", |f| f.trim());
        let (unit, count) = (cell(0), cell(1));
        if unit.is_empty() && count.is_empty() {
            continue;
        }
        let digits: String = count.chars().filter(|c| !matches!(c, '.' | ' ')).collect();
        let parsed = digits.parse::<u64>();
        if i == 0 && parsed.is_err() {
            continue;
        }
        let row = record.row;
        out.push(match (unit.is_empty(), parsed) {
            (true, _) => Err(RowError {
                row,
                message: "thiếu mã hoặc tên đơn vị (cột 1)".into(),
            }),
            (false, Ok(headcount)) => Ok(HeadcountLine {
                row,
                unit: crate::text::normalize(unit),
                headcount,
            }),
            (false, Err(_)) => Err(RowError {
                row,
                message: format!("số người “{count}” không phải số nguyên không âm (cột 2)"),
            }),
        });
    }
    Ok(out)
}
