//! The cascade view of one task: which units have planned it (derived a task in their own
//! plan), how far they are, and which have not started.

use serde::{Deserialize, Serialize};

use super::format::percent;
use super::rollup::{Rollup, RollupRules, RollupTask, TaskStatus};

/// A unit's derived progress for the task, when it has planned it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct DerivedProgress {
    /// 0–100 (out-of-range and non-finite values are clamped, NaN read as 0).
    pub progress: f64,
    pub status: TaskStatus,
}

/// One unit of the cascade, as input.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct UnitDerived {
    pub unit: i64,
    /// `None`: the unit has not planned the task.
    pub derived: Option<DerivedProgress>,
}

/// Where a unit stands.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state")]
pub enum CascadeState {
    /// Chưa xây dựng kế hoạch.
    NotPlanned,
    /// Đã có kế hoạch, chưa thực hiện.
    NotStarted,
    /// Đang thực hiện (or chậm tiến độ when `late`).
    InProgress {
        progress: f64,
        late: bool,
    },
    Done,
    /// Không thực hiện được.
    NotFeasible,
}

impl CascadeState {
    pub fn label_vi(&self) -> String {
        match self {
            CascadeState::NotPlanned => "Chưa xây dựng kế hoạch".to_owned(),
            CascadeState::NotStarted => "Chưa thực hiện".to_owned(),
            CascadeState::InProgress { progress, late } => {
                let what = if *late {
                    "Chậm tiến độ"
                } else {
                    "Đang thực hiện"
                };
                format!("{what} ({})", percent(*progress))
            }
            CascadeState::Done => "Hoàn thành".to_owned(),
            CascadeState::NotFeasible => "Không thực hiện được".to_owned(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CascadeRow {
    pub unit: i64,
    pub state: CascadeState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CascadeCounts {
    pub total: u32,
    pub planned: u32,
    pub not_planned: u32,
    pub not_started: u32,
    /// Includes `late`.
    pub in_progress: u32,
    pub late: u32,
    pub done: u32,
    pub not_feasible: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CascadeView {
    pub rows: Vec<CascadeRow>,
    pub counts: CascadeCounts,
    /// Mean progress of the units that planned the task and can carry it out (done = 100);
    /// `None` when there are none. Units that have not planned it are not averaged in as 0:
    /// they are counted in `not_planned` instead.
    pub mean_progress: Option<f64>,
    /// One Vietnamese sentence for the page.
    pub summary: String,
}

fn state(d: Option<DerivedProgress>) -> CascadeState {
    let Some(d) = d else {
        return CascadeState::NotPlanned;
    };
    let p = if d.progress.is_nan() {
        0.0
    } else {
        d.progress.clamp(0.0, 100.0)
    };
    match d.status {
        TaskStatus::HoanThanh => CascadeState::Done,
        TaskStatus::KhongThucHienDuoc => CascadeState::NotFeasible,
        TaskStatus::ChuaThucHien if p <= 0.0 => CascadeState::NotStarted,
        TaskStatus::ChamTienDo => CascadeState::InProgress {
            progress: p,
            late: true,
        },
        _ => CascadeState::InProgress {
            progress: p,
            late: false,
        },
    }
}

/// The cascade view from each unit's derived state.
pub fn cascade_view(units: &[UnitDerived]) -> CascadeView {
    let mut counts = CascadeCounts::default();
    let mut rows = Vec::with_capacity(units.len());
    let (mut sum, mut n) = (0.0, 0u32);
    for u in units {
        let s = state(u.derived);
        counts.total += 1;
        match s {
            CascadeState::NotPlanned => counts.not_planned += 1,
            CascadeState::NotStarted => {
                counts.not_started += 1;
                n += 1;
            }
            CascadeState::InProgress { progress, late } => {
                counts.in_progress += 1;
                counts.late += u32::from(late);
                sum += progress;
                n += 1;
            }
            CascadeState::Done => {
                counts.done += 1;
                sum += 100.0;
                n += 1;
            }
            CascadeState::NotFeasible => counts.not_feasible += 1,
        }
        rows.push(CascadeRow {
            unit: u.unit,
            state: s,
        });
    }
    counts.planned = counts.total - counts.not_planned;
    let mean_progress = (n > 0).then(|| sum / f64::from(n));
    let c = &counts;
    let mut summary = format!(
        "{} đơn vị: {} đã xây dựng kế hoạch (hoàn thành {}, đang thực hiện {}, trong đó chậm tiến độ {}, chưa thực hiện {}, không thực hiện được {}), {} chưa xây dựng kế hoạch",
        c.total,
        c.planned,
        c.done,
        c.in_progress,
        c.late,
        c.not_started,
        c.not_feasible,
        c.not_planned
    );
    match mean_progress {
        Some(m) => summary.push_str(&format!(
            "; tiến độ bình quân của các đơn vị đã có kế hoạch: {}.",
            percent(m)
        )),
        None => summary.push('.'),
    }
    CascadeView {
        rows,
        counts,
        mean_progress,
        summary,
    }
}

/// The cascade view of `tasks[parent]` in a rolled-up tree: the derived tasks are its children
/// whose unit differs from its own. A unit that split the task into several derived tasks is
/// shown once, with the mean of their roll-ups and a combined status. Out-of-range `parent`
/// gives every unit as not planned.
pub fn cascade_from_tree(
    tasks: &[RollupTask],
    rollups: &[Rollup],
    parent: u32,
    units: &[i64],
    rules: &RollupRules,
) -> CascadeView {
    let owner = tasks.get(parent as usize).map(|t| t.unit);
    let derived_idx: Vec<usize> = tasks
        .iter()
        .enumerate()
        .filter(|(_, t)| t.parent == Some(parent) && Some(t.unit) != owner)
        .map(|(i, _)| i)
        .collect();
    let per_unit: Vec<UnitDerived> = units
        .iter()
        .map(|&u| {
            let mut statuses: Vec<TaskStatus> = Vec::new();
            let (mut sum, mut n) = (0.0, 0u32);
            for &i in &derived_idx {
                let t = &tasks[i];
                if t.unit != u {
                    continue;
                }
                statuses.push(t.status);
                if !rules.excluded.contains(&t.status)
                    && let Some(v) = rollups.get(i).and_then(|r| r.progress)
                {
                    sum += v;
                    n += 1;
                }
            }
            let derived = (!statuses.is_empty()).then(|| DerivedProgress {
                progress: if n > 0 { sum / f64::from(n) } else { 0.0 },
                status: combined(&statuses, rules),
            });
            UnitDerived { unit: u, derived }
        })
        .collect();
    cascade_view(&per_unit)
}

/// The status of several derived tasks seen as one.
fn combined(s: &[TaskStatus], rules: &RollupRules) -> TaskStatus {
    let live: Vec<TaskStatus> = s
        .iter()
        .copied()
        .filter(|x| !rules.excluded.contains(x))
        .collect();
    if live.is_empty() {
        TaskStatus::KhongThucHienDuoc
    } else if live.iter().all(|x| *x == TaskStatus::HoanThanh) {
        TaskStatus::HoanThanh
    } else if live.contains(&TaskStatus::ChamTienDo) {
        TaskStatus::ChamTienDo
    } else if live.iter().all(|x| *x == TaskStatus::ChuaThucHien) {
        TaskStatus::ChuaThucHien
    } else {
        TaskStatus::DangThucHien
    }
}
