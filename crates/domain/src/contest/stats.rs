//! Thống kê: the figures each round announcement publishes, and collective (tập thể) prizes.
//!
//! Like the ranking, statistics use eligible attempts of non-excluded people only, so the
//! published "số người dự thi" matches the prediction target.

use std::collections::{BTreeMap, HashMap};
use std::hash::Hash;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::{AttemptResult, Gender, Ranking};

/// What statistics need to know about a contestant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContestantInfo {
    pub contestant_id: i64,
    /// Đơn vị for collective prizes.
    pub unit_id: Option<i64>,
    /// Xã/phường of residence.
    pub commune_id: Option<i64>,
    pub gender: Gender,
    pub birth_date: NaiveDate,
    /// Đối tượng.
    pub group: Option<String>,
}

/// Nhóm tuổi, on the round date.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgeBand {
    Under18,
    From18To30,
    From31To45,
    From46To60,
    Over60,
}

impl AgeBand {
    pub fn of(age: u32) -> Self {
        match age {
            0..=17 => AgeBand::Under18,
            18..=30 => AgeBand::From18To30,
            31..=45 => AgeBand::From31To45,
            46..=60 => AgeBand::From46To60,
            _ => AgeBand::Over60,
        }
    }

    /// Vietnamese label.
    pub fn label(self) -> &'static str {
        match self {
            AgeBand::Under18 => "Dưới 18 tuổi",
            AgeBand::From18To30 => "18–30 tuổi",
            AgeBand::From31To45 => "31–45 tuổi",
            AgeBand::From46To60 => "46–60 tuổi",
            AgeBand::Over60 => "Trên 60 tuổi",
        }
    }
}

/// Full years of age on `on`; `None` when born after `on`.
pub fn age_on(birth: NaiveDate, on: NaiveDate) -> Option<u32> {
    if birth > on {
        return None;
    }
    let mut years = on.year() - birth.year();
    if (on.month(), on.day()) < (birth.month(), birth.day()) {
        years -= 1;
    }
    u32::try_from(years).ok()
}

/// Counts for one value of a breakdown (one unit, one gender…).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breakdown<K> {
    /// `None` groups people without that information.
    pub key: K,
    pub participants: u64,
    pub attempts: u64,
    /// People with at least one all-correct attempt.
    pub all_correct: u64,
}

/// A round's announcement figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoundStats {
    /// Số người dự thi.
    pub participants: u64,
    /// Số lượt thi.
    pub attempts: u64,
    /// Số người trả lời đúng tất cả (at least one perfect attempt).
    pub all_correct: u64,
    /// Index = correct answers; value = people whose best attempt had that many.
    pub people_by_best_correct: Vec<u64>,
    /// Index = correct answers; value = attempts with that many.
    pub attempts_by_correct: Vec<u64>,
    /// Most participants first.
    pub by_unit: Vec<Breakdown<Option<i64>>>,
    /// Most participants first.
    pub by_commune: Vec<Breakdown<Option<i64>>>,
    /// In enum order, unknown last.
    pub by_gender: Vec<Breakdown<Option<Gender>>>,
    /// Youngest first, unknown last.
    pub by_age_band: Vec<Breakdown<Option<AgeBand>>>,
    /// Most participants first.
    pub by_group: Vec<Breakdown<Option<String>>>,
    /// Participants with no [`ContestantInfo`] (counted under `None` everywhere).
    pub without_profile: u64,
}

#[derive(Default, Clone, Copy)]
struct Tally {
    participants: u64,
    attempts: u64,
    all_correct: u64,
}

impl Tally {
    fn add(&mut self, attempts: u64, perfect: bool) {
        self.participants += 1;
        self.attempts += attempts;
        self.all_correct += u64::from(perfect);
    }
}

/// Computes a round's statistics; ages are taken on `round_date`.
pub fn stats(
    results: &[AttemptResult],
    contestants: &[ContestantInfo],
    round_date: NaiveDate,
) -> RoundStats {
    let info: HashMap<i64, &ContestantInfo> =
        contestants.iter().map(|c| (c.contestant_id, c)).collect();
    let mut order: Vec<(i64, u32)> = results
        .iter()
        .take(u32::MAX as usize)
        .enumerate()
        .filter(|(_, r)| r.eligible)
        .map(|(i, r)| (r.contestant_id, i as u32))
        .collect();
    order.sort_unstable();

    let k = order
        .iter()
        .map(|&(_, i)| {
            let r = &results[i as usize];
            usize::from(r.total.max(r.correct))
        })
        .max()
        .unwrap_or(0);
    let mut out = RoundStats {
        participants: 0,
        attempts: 0,
        all_correct: 0,
        people_by_best_correct: vec![0; k + 1],
        attempts_by_correct: vec![0; k + 1],
        by_unit: Vec::new(),
        by_commune: Vec::new(),
        by_gender: Vec::new(),
        by_age_band: Vec::new(),
        by_group: Vec::new(),
        without_profile: 0,
    };
    let mut units: HashMap<Option<i64>, Tally> = HashMap::new();
    let mut communes: HashMap<Option<i64>, Tally> = HashMap::new();
    let mut genders: HashMap<Option<Gender>, Tally> = HashMap::new();
    let mut ages: HashMap<Option<AgeBand>, Tally> = HashMap::new();
    let mut groups: HashMap<Option<&str>, Tally> = HashMap::new();

    for group in order.chunk_by(|a, b| a.0 == b.0) {
        let attempts = || group.iter().map(|&(_, i)| &results[i as usize]);
        if attempts().any(|r| r.excluded) {
            continue;
        }
        let n = group.len() as u64;
        let perfect = attempts().any(AttemptResult::is_perfect);
        let best = attempts()
            .map(|r| usize::from(r.correct))
            .max()
            .unwrap_or(0);
        out.participants += 1;
        out.attempts += n;
        out.all_correct += u64::from(perfect);
        out.people_by_best_correct[best.min(k)] += 1;
        for r in attempts() {
            out.attempts_by_correct[usize::from(r.correct).min(k)] += 1;
        }
        let person = info.get(&group[0].0).copied();
        if person.is_none() {
            out.without_profile += 1;
        }
        units
            .entry(person.and_then(|p| p.unit_id))
            .or_default()
            .add(n, perfect);
        communes
            .entry(person.and_then(|p| p.commune_id))
            .or_default()
            .add(n, perfect);
        genders
            .entry(person.map(|p| p.gender))
            .or_default()
            .add(n, perfect);
        ages.entry(person.and_then(|p| age_on(p.birth_date, round_date).map(AgeBand::of)))
            .or_default()
            .add(n, perfect);
        groups
            .entry(person.and_then(|p| p.group.as_deref()))
            .or_default()
            .add(n, perfect);
    }
    out.by_unit = by_participants(units);
    out.by_commune = by_participants(communes);
    out.by_gender = by_key(genders);
    out.by_age_band = by_key(ages);
    out.by_group = by_participants(groups)
        .into_iter()
        .map(|b| Breakdown {
            key: b.key.map(str::to_owned),
            participants: b.participants,
            attempts: b.attempts,
            all_correct: b.all_correct,
        })
        .collect();
    out
}

fn to_rows<K>(map: HashMap<K, Tally>) -> Vec<Breakdown<K>> {
    map.into_iter()
        .map(|(key, t)| Breakdown {
            key,
            participants: t.participants,
            attempts: t.attempts,
            all_correct: t.all_correct,
        })
        .collect()
}

/// Most participants first (the "top 10 units" of announcements), then by key.
fn by_participants<K: Ord>(map: HashMap<K, Tally>) -> Vec<Breakdown<K>> {
    let mut rows = to_rows(map);
    rows.sort_unstable_by(|a, b| b.participants.cmp(&a.participants).then(a.key.cmp(&b.key)));
    rows
}

/// Natural key order with the unknown (`None`) last.
fn by_key<K: Ord>(map: HashMap<Option<K>, Tally>) -> Vec<Breakdown<Option<K>>> {
    let mut rows = to_rows(map);
    rows.sort_unstable_by(|a, b| match (&a.key, &b.key) {
        (Some(x), Some(y)) => x.cmp(y),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    rows
}

/// One unit's results in a round (or summed over rounds by the caller).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitTally {
    pub unit_id: i64,
    /// People of the unit who took part.
    pub participants: u64,
    /// Sum of their counted correct answers.
    pub total_correct: u64,
    /// Names of the individual prizes its people won, one entry per prize.
    pub prizes: Vec<String>,
}

/// Builds per-unit tallies from a ranking and each contestant's unit (contestant id → unit
/// id): non-excluded people only; people without a unit are left out. Ordered by unit id.
pub fn unit_tallies(ranking: &Ranking, unit_of: &HashMap<i64, i64>) -> Vec<UnitTally> {
    let mut by_unit: BTreeMap<i64, UnitTally> = BTreeMap::new();
    for e in ranking.entries.iter().filter(|e| !e.excluded) {
        let Some(&unit_id) = unit_of.get(&e.contestant_id) else {
            continue;
        };
        let t = by_unit.entry(unit_id).or_insert_with(|| UnitTally {
            unit_id,
            participants: 0,
            total_correct: 0,
            prizes: Vec::new(),
        });
        t.participants += 1;
        t.total_correct += u64::from(e.correct);
        if let Some(p) = &e.prize {
            t.prizes.push(p.clone());
        }
    }
    by_unit.into_values().collect()
}

/// How collective prizes rank units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CollectiveFormula {
    /// Most participants.
    Participants,
    /// Highest participants ÷ headcount.
    ParticipationRate,
    /// Participation % plus prize points (Quảng Nam 2022: "Tỷ lệ % thí sinh tham gia của đơn
    /// vị + Tổng điểm được quy đổi của thí sinh đạt từng giải").
    PointsPlusRate,
    /// Participants plus total correct answers (Cảnh sát biển 2021: "tổng số lượng thí sinh
    /// và tổng số điểm").
    ParticipantsPlusScore,
}

impl CollectiveFormula {
    fn needs_headcount(self) -> bool {
        matches!(
            self,
            CollectiveFormula::ParticipationRate | CollectiveFormula::PointsPlusRate
        )
    }
}

/// One unit in the collective ranking.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectiveEntry {
    /// Position, 1-based.
    pub rank: u32,
    pub unit_id: i64,
    pub participants: u64,
    pub headcount: Option<u64>,
    /// Participants ÷ headcount in basis points (10 000 = 100 %); may exceed 100 % when the
    /// headcount is out of date, which is left visible rather than capped.
    pub participation_rate_bp: Option<u64>,
    pub prize_points: u64,
    pub total_correct: u64,
    /// The formula's score in hundredths (percent and points both ×100), integer so the order
    /// is exact.
    pub score_hundredths: u64,
}

/// The collective ranking and the units that could not be rated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CollectiveRanking {
    pub formula: CollectiveFormula,
    pub entries: Vec<CollectiveEntry>,
    /// Units with no headcount or a zero headcount, by id. Rate-based formulas leave them out
    /// of `entries` (no division by zero, no made-up rate); the organisers must fix the
    /// headcount to rank them.
    pub missing_headcount: Vec<i64>,
}

/// Ranks units for collective prizes. `prize_points` maps an individual prize name to its
/// points (e.g. "Giải Nhất" → 10); unknown prize names score 0. Ties go to more participants,
/// then the lower unit id.
pub fn collective_ranking(
    tallies: &[UnitTally],
    headcounts: &HashMap<i64, u64>,
    prize_points: &HashMap<String, u32>,
    formula: CollectiveFormula,
) -> CollectiveRanking {
    let mut missing_headcount = Vec::new();
    let mut entries: Vec<CollectiveEntry> = Vec::with_capacity(tallies.len());
    for t in tallies {
        let headcount = headcounts.get(&t.unit_id).copied().filter(|&h| h > 0);
        if headcount.is_none() {
            missing_headcount.push(t.unit_id);
            if formula.needs_headcount() {
                continue;
            }
        }
        let rate_bp = headcount.map(|h| t.participants.saturating_mul(10_000) / h);
        let points: u64 = t
            .prizes
            .iter()
            .map(|p| u64::from(prize_points.get(p).copied().unwrap_or(0)))
            .sum();
        let score = match formula {
            CollectiveFormula::Participants => t.participants.saturating_mul(100),
            CollectiveFormula::ParticipationRate => rate_bp.unwrap_or(0),
            CollectiveFormula::PointsPlusRate => rate_bp
                .unwrap_or(0)
                .saturating_add(points.saturating_mul(100)),
            CollectiveFormula::ParticipantsPlusScore => t
                .participants
                .saturating_add(t.total_correct)
                .saturating_mul(100),
        };
        entries.push(CollectiveEntry {
            rank: 0,
            unit_id: t.unit_id,
            participants: t.participants,
            headcount,
            participation_rate_bp: rate_bp,
            prize_points: points,
            total_correct: t.total_correct,
            score_hundredths: score,
        });
    }
    entries.sort_unstable_by(|a, b| {
        b.score_hundredths
            .cmp(&a.score_hundredths)
            .then(b.participants.cmp(&a.participants))
            .then(a.unit_id.cmp(&b.unit_id))
    });
    for (i, e) in entries.iter_mut().enumerate() {
        e.rank = u32::try_from(i + 1).unwrap_or(u32::MAX);
    }
    missing_headcount.sort_unstable();
    missing_headcount.dedup();
    CollectiveRanking {
        formula,
        entries,
        missing_headcount,
    }
}
