//! Giải tập thể: each unit's headcount in a contest, the contest's collective prize rules, and
//! the collective ranking over its frozen rounds.
//!
//! A frozen round's per-unit tallies are computed once, from the same attempts, exclusion list
//! and disqualifications the freeze used, and stored: the contest page must not re-rank a
//! round of a million people on every view.

use super::admin::{get_contest, rounds_of, unit_names};
use crate::audit::{self, Entry};
use crate::authz::{Permission, Scope};
use crate::entities::{
    contest_collective, contest_headcounts, contest_round_tallies, contest_rounds,
};
use crate::units::History;
use crate::{Actor, DbError, DbResult};
use chrono::{NaiveDate, Utc};
use danvan_domain::contest::{
    CollectiveFormula, CollectiveRanking, CollectiveSettings, RowError, UnitTally,
    collective_over_rounds, parse_headcounts,
};
use danvan_domain::units::valid_on;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set,
    TransactionSession, TransactionTrait,
};
use serde_json::json;
use std::collections::HashMap;

/// The contest's collective prize rules; the defaults until an organiser saves some.
pub async fn settings<C: ConnectionTrait>(
    conn: &C,
    contest_id: i64,
) -> DbResult<CollectiveSettings> {
    let Some(row) = contest_collective::Entity::find()
        .filter(contest_collective::Column::ContestId.eq(contest_id))
        .one(conn)
        .await?
    else {
        return Ok(CollectiveSettings::default());
    };
    Ok(CollectiveSettings {
        formula: CollectiveFormula::from_code(&row.formula).ok_or_else(|| {
            DbError::Internal(format!("công thức giải tập thể lạ: {}", row.formula))
        })?,
        prizes: u32::try_from(row.prizes).unwrap_or(0),
        prize_points: serde_json::from_str(&row.prize_points)
            .map_err(|e| DbError::Internal(format!("bảng điểm quy đổi hỏng: {e}")))?,
    })
}

/// Saves the collective prize rules of a contest.
pub async fn save_settings<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    scope: &Scope,
    actor: &Actor,
    contest_id: i64,
    new: &CollectiveSettings,
) -> DbResult<()> {
    let contest = get_contest(conn, scope, contest_id).await?;
    scope.require(Permission::Write, contest.unit_id)?;
    new.validate()
        .map_err(|e| DbError::Invalid(e.to_string()))?;
    let before = settings(conn, contest_id).await?;
    let points =
        serde_json::to_string(&new.prize_points).map_err(|e| DbError::Internal(e.to_string()))?;
    let txn = conn.begin().await?;
    let existing = contest_collective::Entity::find()
        .filter(contest_collective::Column::ContestId.eq(contest_id))
        .one(&txn)
        .await?;
    let mut row = match existing {
        Some(r) => r.into(),
        None => contest_collective::ActiveModel {
            contest_id: Set(contest_id),
            ..Default::default()
        },
    };
    row.formula = Set(new.formula.code().to_owned());
    row.prizes = Set(i32::try_from(new.prizes).unwrap_or(i32::MAX));
    row.prize_points = Set(points);
    row.save(&txn).await?;
    audit::record(
        &txn,
        actor,
        Entry {
            action: "contest.collective.settings",
            entity: "contest",
            entity_id: Some(contest_id.to_string()),
            unit_id: Some(contest.unit_id),
            detail: Some(json!({"before": before, "after": new})),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// One unit's headcount, with its name for pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Headcount {
    pub unit_id: i64,
    pub unit_name: String,
    pub headcount: u64,
}

/// Headcounts of a contest, by unit name.
pub async fn headcounts<C: ConnectionTrait>(conn: &C, contest_id: i64) -> DbResult<Vec<Headcount>> {
    let rows = contest_headcounts::Entity::find()
        .filter(contest_headcounts::Column::ContestId.eq(contest_id))
        .all(conn)
        .await?;
    let names = unit_names(conn, rows.iter().map(|r| r.unit_id).collect()).await?;
    let mut out: Vec<Headcount> = rows
        .into_iter()
        .map(|r| Headcount {
            unit_id: r.unit_id,
            unit_name: names.get(&r.unit_id).cloned().unwrap_or_default(),
            headcount: u64::try_from(r.headcount).unwrap_or(0),
        })
        .collect();
    out.sort_by(|a, b| {
        a.unit_name
            .cmp(&b.unit_name)
            .then(a.unit_id.cmp(&b.unit_id))
    });
    Ok(out)
}

/// What a headcount upload did.
#[derive(Debug, Default)]
pub struct HeadcountReport {
    pub saved: usize,
    pub errors: Vec<RowError>,
}

/// Sets headcounts from a file or pasted lines (`mã đơn vị hoặc tên, số người`, CSV or .xlsx).
/// Units are found by code, then by name, among the units in force on `today`; a name shared by
/// several units is an error asking for the code. Good rows are saved (replacing the unit's
/// earlier headcount), each bad row is reported.
pub async fn import_headcounts<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    scope: &Scope,
    actor: &Actor,
    contest_id: i64,
    file: &[u8],
    today: NaiveDate,
) -> DbResult<HeadcountReport> {
    let contest = get_contest(conn, scope, contest_id).await?;
    scope.require(Permission::Write, contest.unit_id)?;
    let lines = parse_headcounts(file).map_err(|e| DbError::Invalid(e.to_string()))?;
    let history = History::load(conn).await?;
    let in_force = |u: &&crate::entities::units::Model| valid_on(u.valid_from, u.valid_to, today);
    let mut report = HeadcountReport::default();
    let mut found: HashMap<i64, u64> = HashMap::new();
    for line in lines {
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                report.errors.push(e);
                continue;
            }
        };
        let mut units: Vec<&crate::entities::units::Model> = history
            .units
            .iter()
            .filter(|u| u.code == line.unit)
            .filter(in_force)
            .collect();
        if units.is_empty() {
            units = history
                .find_by_name(&line.unit)
                .into_iter()
                .filter(in_force)
                .collect();
        }
        let error = |message: String| RowError {
            row: line.row,
            message,
        };
        match units.as_slice() {
            [u] => {
                found.insert(u.id, line.headcount);
            }
            [] => report.errors.push(error(format!(
                "không tìm thấy đơn vị “{}” (ghi mã hoặc đúng tên đơn vị)",
                line.unit
            ))),
            _ => report.errors.push(error(format!(
                "có {} đơn vị tên “{}”: hãy ghi mã đơn vị",
                units.len(),
                line.unit
            ))),
        }
    }
    let txn = conn.begin().await?;
    let units: Vec<i64> = found.keys().copied().collect();
    for chunk in units.chunks(500) {
        contest_headcounts::Entity::delete_many()
            .filter(contest_headcounts::Column::ContestId.eq(contest_id))
            .filter(contest_headcounts::Column::UnitId.is_in(chunk.to_vec()))
            .exec(&txn)
            .await?;
    }
    for (&unit_id, &headcount) in &found {
        contest_headcounts::ActiveModel {
            contest_id: Set(contest_id),
            unit_id: Set(unit_id),
            headcount: Set(i64::try_from(headcount).unwrap_or(i64::MAX)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    report.saved = found.len();
    audit::record(
        &txn,
        actor,
        Entry {
            action: "contest.headcounts.import",
            entity: "contest",
            entity_id: Some(contest_id.to_string()),
            unit_id: Some(contest.unit_id),
            detail: Some(json!({"saved": report.saved, "rejected": report.errors.len()})),
        },
    )
    .await?;
    txn.commit().await?;
    Ok(report)
}

/// Stores a round's per-unit tallies; the freeze calls it in its results transaction.
pub(crate) async fn store_tallies<C: ConnectionTrait>(
    conn: &C,
    round_id: i64,
    tallies: &[UnitTally],
) -> DbResult<()> {
    let json = serde_json::to_string(tallies).map_err(|e| DbError::Internal(e.to_string()))?;
    contest_round_tallies::ActiveModel {
        round_id: Set(round_id),
        tallies: Set(json),
        computed_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// A frozen round's per-unit tallies, as the freeze stored them. `None` for a round that is
/// not frozen.
pub async fn round_tallies<C: ConnectionTrait>(
    conn: &C,
    round: &contest_rounds::Model,
) -> DbResult<Option<Vec<UnitTally>>> {
    if round.stats.is_none() {
        return Ok(None);
    }
    let stored = contest_round_tallies::Entity::find()
        .filter(contest_round_tallies::Column::RoundId.eq(round.id))
        .one(conn)
        .await?
        .ok_or_else(|| DbError::Internal(format!("vòng thi {} thiếu số liệu đơn vị", round.id)))?;
    serde_json::from_str(&stored.tallies)
        .map(Some)
        .map_err(|e| DbError::Internal(format!("số liệu đơn vị hỏng: {e}")))
}

/// The collective ranking of a contest over its frozen rounds.
pub struct Standings {
    pub settings: CollectiveSettings,
    /// Names of the frozen rounds counted.
    pub rounds: Vec<String>,
    pub ranking: CollectiveRanking,
    pub unit_names: HashMap<i64, String>,
}

impl Standings {
    pub fn unit_name(&self, id: i64) -> String {
        self.unit_names
            .get(&id)
            .cloned()
            .unwrap_or_else(|| format!("Đơn vị {id}"))
    }

    /// The ranked lines as people read them, for the page and the files.
    pub fn lines(&self) -> Vec<StandingLine> {
        self.ranking
            .entries
            .iter()
            .map(|e| StandingLine {
                rank: e.rank,
                unit: self.unit_name(e.unit_id),
                headcount: e.headcount.map(|h| h.to_string()).unwrap_or_default(),
                participants: e.participants,
                rate: e
                    .participation_rate_bp
                    .map(|bp| format!("{},{:02} %", bp / 100, bp % 100))
                    .unwrap_or_default(),
                prize_points: e.prize_points,
                total_correct: e.total_correct,
                score: format!(
                    "{},{:02}",
                    e.score_hundredths / 100,
                    e.score_hundredths % 100
                ),
                prize: e.rank <= self.settings.prizes,
            })
            .collect()
    }

    /// Units with participants but no headcount, by name.
    pub fn missing(&self) -> Vec<String> {
        self.ranking
            .missing_headcount
            .iter()
            .map(|&id| self.unit_name(id))
            .collect()
    }
}

/// One unit's line of the collective ranking.
#[derive(Debug, Clone)]
pub struct StandingLine {
    pub rank: u32,
    pub unit: String,
    pub headcount: String,
    pub participants: u64,
    pub rate: String,
    pub prize_points: u64,
    pub total_correct: u64,
    pub score: String,
    /// Within the number of collective prizes.
    pub prize: bool,
}

/// Column titles of the collective ranking files.
pub const STANDINGS_HEADER: [&str; 9] = [
    "Hạng",
    "Đơn vị",
    "Số người của đơn vị",
    "Lượt người dự thi",
    "Tỷ lệ dự thi",
    "Điểm giải cá nhân",
    "Tổng số câu đúng",
    "Điểm xếp hạng",
    "Giải tập thể",
];

impl StandingLine {
    pub fn cells(&self) -> [String; 9] {
        [
            self.rank.to_string(),
            self.unit.clone(),
            self.headcount.clone(),
            self.participants.to_string(),
            self.rate.clone(),
            self.prize_points.to_string(),
            self.total_correct.to_string(),
            self.score.clone(),
            if self.prize { "Đạt giải" } else { "" }.to_owned(),
        ]
    }
}

/// The collective ranking over every frozen round of the contest (tallying any frozen round
/// not tallied yet).
pub async fn standings<C: ConnectionTrait>(
    conn: &C,
    scope: &Scope,
    contest_id: i64,
) -> DbResult<Standings> {
    let contest = get_contest(conn, scope, contest_id).await?;
    scope.require(Permission::Write, contest.unit_id)?;
    let settings = settings(conn, contest_id).await?;
    let mut rounds = Vec::new();
    let mut tallies = Vec::new();
    for round in rounds_of(conn, contest_id).await? {
        if let Some(t) = round_tallies(conn, &round).await? {
            rounds.push(round.name);
            tallies.push(t);
        }
    }
    let counts: HashMap<i64, u64> = headcounts(conn, contest_id)
        .await?
        .into_iter()
        .map(|h| (h.unit_id, h.headcount))
        .collect();
    let ranking = collective_over_rounds(&tallies, &counts, &settings);
    let mut ids: Vec<i64> = ranking.entries.iter().map(|e| e.unit_id).collect();
    ids.extend(&ranking.missing_headcount);
    Ok(Standings {
        unit_names: unit_names(conn, ids).await?,
        settings,
        rounds,
        ranking,
    })
}

/// The collective ranking as CSV (UTF-8 with BOM, for Excel).
pub fn standings_csv(s: &Standings) -> String {
    let mut w = csv::Writer::from_writer(Vec::new());
    let _ = w.write_record(STANDINGS_HEADER);
    for line in s.lines() {
        let _ = w.write_record(line.cells());
    }
    let body = w.into_inner().unwrap_or_default();
    format!("\u{feff}{}", String::from_utf8_lossy(&body))
}
