//! The province's units through time: administrative units and organisations of the political system.
//!
//! A unit row is one *version* of a unit: it exists from `valid_from` to `valid_to` (both inclusive).
//! Changes are typed events (merge, split, transfer, rename, dissolve …) that link versions, so a
//! record made in 2024 keeps pointing at the commune as it was, while views can show today's
//! successor.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeSet, HashMap};

/// What a unit is. Administrative units and organisations share one tree: an organisation hangs
/// under the administrative unit it serves (UBND huyện under the huyện).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitKind {
    /// Tỉnh.
    Province,
    /// Huyện / thành phố thuộc tỉnh (abolished 1/7/2025).
    District,
    /// Xã / phường / thị trấn.
    Commune,
    /// Thôn / tổ dân phố.
    Village,
    /// Party bodies: Tỉnh ủy, its boards, huyện ủy, đảng ủy.
    Party,
    /// State bodies: HĐND, UBND, sở, ban, ngành.
    State,
    /// Mặt trận Tổ quốc and the socio-political organisations.
    Front,
    /// Ban chỉ đạo (steering committees).
    Steering,
    /// Armed forces: Bộ Chỉ huy Quân sự, Công an, Bộ đội Biên phòng.
    ArmedForces,
}

impl UnitKind {
    pub const ALL: [UnitKind; 9] = [
        UnitKind::Province,
        UnitKind::District,
        UnitKind::Commune,
        UnitKind::Village,
        UnitKind::Party,
        UnitKind::State,
        UnitKind::Front,
        UnitKind::Steering,
        UnitKind::ArmedForces,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            UnitKind::Province => "province",
            UnitKind::District => "district",
            UnitKind::Commune => "commune",
            UnitKind::Village => "village",
            UnitKind::Party => "party",
            UnitKind::State => "state",
            UnitKind::Front => "front",
            UnitKind::Steering => "steering",
            UnitKind::ArmedForces => "armed_forces",
        }
    }

    pub fn parse(s: &str) -> Option<UnitKind> {
        UnitKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Vietnamese label for pages.
    pub fn label(self) -> &'static str {
        match self {
            UnitKind::Province => "Tỉnh",
            UnitKind::District => "Cấp huyện",
            UnitKind::Commune => "Cấp xã",
            UnitKind::Village => "Thôn, tổ dân phố",
            UnitKind::Party => "Cơ quan Đảng",
            UnitKind::State => "Cơ quan Nhà nước",
            UnitKind::Front => "Mặt trận, đoàn thể",
            UnitKind::Steering => "Ban chỉ đạo",
            UnitKind::ArmedForces => "Lực lượng vũ trang",
        }
    }

    /// Administrative units form the territory; the others are organisations.
    pub fn is_administrative(self) -> bool {
        matches!(
            self,
            UnitKind::Province | UnitKind::District | UnitKind::Commune | UnitKind::Village
        )
    }
}

/// A typed change between unit versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// Several units end and one new unit takes their place.
    Merge,
    /// Units end and are taken into an existing unit, which continues.
    Absorb,
    /// One unit ends and several new units take its place.
    Split,
    /// Part of a unit moves to another; the source may continue.
    Transfer,
    /// Same unit, new name: a new version.
    Rename,
    /// The unit ends with no successor at its level.
    Dissolve,
    /// A new unit begins.
    Establish,
}

impl EventKind {
    pub const ALL: [EventKind; 7] = [
        EventKind::Merge,
        EventKind::Absorb,
        EventKind::Split,
        EventKind::Transfer,
        EventKind::Rename,
        EventKind::Dissolve,
        EventKind::Establish,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Merge => "merge",
            EventKind::Absorb => "absorb",
            EventKind::Split => "split",
            EventKind::Transfer => "transfer",
            EventKind::Rename => "rename",
            EventKind::Dissolve => "dissolve",
            EventKind::Establish => "establish",
        }
    }

    pub fn parse(s: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> &'static str {
        match self {
            EventKind::Merge => "Hợp nhất",
            EventKind::Absorb => "Sáp nhập vào",
            EventKind::Split => "Chia tách",
            EventKind::Transfer => "Điều chỉnh một phần",
            EventKind::Rename => "Đổi tên",
            EventKind::Dissolve => "Giải thể",
            EventKind::Establish => "Thành lập",
        }
    }
}

/// Validity window check, both ends inclusive; an open end means "still exists".
pub fn valid_on(valid_from: NaiveDate, valid_to: Option<NaiveDate>, day: NaiveDate) -> bool {
    valid_from <= day && valid_to.is_none_or(|to| day <= to)
}

/// The minimum a tree computation needs to know of a unit version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitVersion {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub parent_id: Option<i64>,
    pub valid_from: NaiveDate,
    pub valid_to: Option<NaiveDate>,
}

/// One row of a tree listing: the unit and its depth below the root(s).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TreeRow<'a> {
    pub unit: &'a UnitVersion,
    pub depth: usize,
}

/// The tree as it stood on `day`: units valid that day, depth-first, siblings ordered with
/// administrative units after organisations and then by name (diacritics-insensitive).
///
/// A unit whose parent was not valid that day is shown as a root rather than hidden, so a data
/// error never makes a unit disappear from the directory.
pub fn tree_on(units: &[UnitVersion], day: NaiveDate) -> Vec<TreeRow<'_>> {
    let alive: Vec<&UnitVersion> = units
        .iter()
        .filter(|u| valid_on(u.valid_from, u.valid_to, day))
        .collect();
    let ids: BTreeSet<i64> = alive.iter().map(|u| u.id).collect();
    let mut children: HashMap<Option<i64>, Vec<&UnitVersion>> = HashMap::new();
    for u in &alive {
        let parent = u.parent_id.filter(|p| ids.contains(p));
        children.entry(parent).or_default().push(u);
    }
    for list in children.values_mut() {
        list.sort_by_cached_key(|u| {
            (
                u.kind.is_administrative(),
                u.kind,
                crate::text::strip_unit_type(&crate::text::fold(&u.name)).to_string(),
            )
        });
    }
    let mut out = Vec::with_capacity(alive.len());
    let mut stack: Vec<(&UnitVersion, usize)> = children
        .get(&None)
        .map(|roots| roots.iter().rev().map(|u| (*u, 0)).collect())
        .unwrap_or_default();
    while let Some((unit, depth)) = stack.pop() {
        out.push(TreeRow { unit, depth });
        if let Some(kids) = children.get(&Some(unit.id)) {
            stack.extend(kids.iter().rev().map(|k| (*k, depth + 1)));
        }
    }
    out
}

/// Whether `descendant` lies in the subtree of `ancestor` (a unit is in its own subtree).
///
/// `parent_of` gives each unit's parent across all versions; cycles in bad data end the walk.
pub fn is_in_subtree(
    parent_of: &HashMap<i64, Option<i64>>,
    ancestor: i64,
    descendant: i64,
) -> bool {
    let mut current = Some(descendant);
    let mut steps = 0;
    while let Some(id) = current {
        if id == ancestor {
            return true;
        }
        steps += 1;
        if steps > parent_of.len() {
            return false;
        }
        current = parent_of.get(&id).copied().flatten();
    }
    false
}

/// A change event between unit versions, by unit id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SuccessionEvent {
    pub id: i64,
    pub date: NaiveDate,
    pub kind: EventKind,
    pub from: Vec<i64>,
    pub to: Vec<i64>,
    pub legal_basis: Option<String>,
}

/// The units that carry `unit`'s territory or mandate on `day`, following events forward.
///
/// Returns `[unit]` itself when it is still valid, the successors otherwise (several after a
/// split), and an empty list when the line ends in a dissolution.
pub fn successors_on(
    units: &HashMap<i64, &UnitVersion>,
    events: &[SuccessionEvent],
    unit: i64,
    day: NaiveDate,
) -> Vec<i64> {
    let mut result = BTreeSet::new();
    let mut frontier = vec![unit];
    let mut seen = BTreeSet::new();
    while let Some(id) = frontier.pop() {
        if !seen.insert(id) {
            continue;
        }
        let Some(u) = units.get(&id) else { continue };
        if valid_on(u.valid_from, u.valid_to, day) {
            result.insert(id);
            continue;
        }
        if u.valid_from > day {
            continue;
        }
        for e in events
            .iter()
            .filter(|e| e.from.contains(&id) && e.date <= day)
        {
            frontier.extend(e.to.iter().copied().filter(|t| *t != id));
        }
    }
    result.into_iter().collect()
}

/// The events that make up `unit`'s line of succession, in date order.
///
/// Merges, splits, renames and the like are followed both ways, so the line of a 2025 commune
/// reaches back through the communes it was made from. A partial transfer is listed for both
/// sides but not followed further, or a commune's line would swallow its neighbours' histories.
pub fn line_of_succession(events: &[SuccessionEvent], unit: i64) -> Vec<&SuccessionEvent> {
    let touches = |e: &SuccessionEvent, set: &BTreeSet<i64>| {
        e.from.iter().chain(&e.to).any(|id| set.contains(id))
    };
    let mut line_units = BTreeSet::from([unit]);
    loop {
        let before = line_units.len();
        for e in events.iter().filter(|e| e.kind != EventKind::Transfer) {
            if touches(e, &line_units) {
                line_units.extend(e.from.iter().chain(&e.to).copied());
            }
        }
        if line_units.len() == before {
            break;
        }
    }
    let mut line: Vec<&SuccessionEvent> = events
        .iter()
        .filter(|e| {
            if e.kind == EventKind::Transfer {
                touches(e, &BTreeSet::from([unit]))
            } else {
                touches(e, &line_units)
            }
        })
        .collect();
    line.sort_by_key(|e| (e.date, e.id));
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn unit(
        id: i64,
        name: &str,
        kind: UnitKind,
        parent: Option<i64>,
        from: &str,
        to: Option<&str>,
    ) -> UnitVersion {
        UnitVersion {
            id,
            code: id.to_string(),
            name: name.into(),
            kind,
            parent_id: parent,
            valid_from: d(from),
            valid_to: to.map(d),
        }
    }

    fn sample() -> (Vec<UnitVersion>, Vec<SuccessionEvent>) {
        let units = vec![
            unit(
                1,
                "Tỉnh Lạng Sơn",
                UnitKind::Province,
                None,
                "2020-01-01",
                None,
            ),
            unit(
                2,
                "Huyện Lộc Bình",
                UnitKind::District,
                Some(1),
                "2020-01-01",
                Some("2025-06-30"),
            ),
            unit(
                3,
                "Thị trấn Lộc Bình",
                UnitKind::Commune,
                Some(2),
                "2020-01-01",
                Some("2025-06-30"),
            ),
            unit(
                4,
                "Xã Khánh Xuân",
                UnitKind::Commune,
                Some(2),
                "2020-01-01",
                Some("2025-06-30"),
            ),
            unit(
                5,
                "Xã Lộc Bình",
                UnitKind::Commune,
                Some(1),
                "2025-07-01",
                None,
            ),
            unit(
                6,
                "Huyện ủy Lộc Bình",
                UnitKind::Party,
                Some(2),
                "2020-01-01",
                Some("2025-06-30"),
            ),
        ];
        let events = vec![
            SuccessionEvent {
                id: 1,
                date: d("2025-07-01"),
                kind: EventKind::Merge,
                from: vec![3, 4],
                to: vec![5],
                legal_basis: Some("Nghị quyết số 1672/NQ-UBTVQH15".into()),
            },
            SuccessionEvent {
                id: 2,
                date: d("2025-07-01"),
                kind: EventKind::Dissolve,
                from: vec![2],
                to: vec![],
                legal_basis: None,
            },
        ];
        (units, events)
    }

    #[test]
    fn tree_on_a_date_shows_only_units_valid_then() {
        let (units, _) = sample();
        let before: Vec<&str> = tree_on(&units, d("2025-06-30"))
            .iter()
            .map(|r| r.unit.name.as_str())
            .collect();
        assert_eq!(
            before,
            [
                "Tỉnh Lạng Sơn",
                "Huyện Lộc Bình",
                "Huyện ủy Lộc Bình",
                "Xã Khánh Xuân",
                "Thị trấn Lộc Bình"
            ]
        );
        let after: Vec<(&str, usize)> = tree_on(&units, d("2025-07-01"))
            .iter()
            .map(|r| (r.unit.name.as_str(), r.depth))
            .collect();
        assert_eq!(after, [("Tỉnh Lạng Sơn", 0), ("Xã Lộc Bình", 1)]);
    }

    #[test]
    fn successors_follow_merges_and_end_at_dissolution() {
        let (units, events) = sample();
        let by_id: HashMap<i64, &UnitVersion> = units.iter().map(|u| (u.id, u)).collect();
        assert_eq!(successors_on(&by_id, &events, 4, d("2025-07-02")), vec![5]);
        assert_eq!(successors_on(&by_id, &events, 4, d("2024-01-01")), vec![4]);
        assert!(successors_on(&by_id, &events, 2, d("2025-07-02")).is_empty());
    }

    #[test]
    fn subtree_membership_walks_parents() {
        let (units, _) = sample();
        let parents: HashMap<i64, Option<i64>> =
            units.iter().map(|u| (u.id, u.parent_id)).collect();
        assert!(is_in_subtree(&parents, 2, 4));
        assert!(is_in_subtree(&parents, 1, 4));
        assert!(is_in_subtree(&parents, 4, 4));
        assert!(!is_in_subtree(&parents, 3, 4));
        assert!(!is_in_subtree(&parents, 5, 4));
    }

    #[test]
    fn line_of_succession_lists_the_merge() {
        let (_, events) = sample();
        let line = line_of_succession(&events, 4);
        assert_eq!(line.len(), 1);
        assert_eq!(line[0].kind, EventKind::Merge);
    }
}
