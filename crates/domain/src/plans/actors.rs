//! Who carries a task out: recognising the actor phrases of Vietnamese plans ("Các cấp ủy
//! đảng", "Chính quyền các cấp", "Mặt trận Tổ quốc, các tổ chức chính trị - xã hội"…) and
//! mapping them to groups of units that the storage layer resolves to real units.
//!
//! Three kinds of hit, from strongest to weakest evidence:
//! - the list of actors that opens the text ("Các cấp ủy đảng, chính quyền, Mặt trận…"): the
//!   grammatical subject of the task;
//! - actors after "phối hợp với" / "phối hợp giữa": explicitly phối hợp;
//! - any other mention, outside the clauses of cited documents (an issuer or the subject of a
//!   cited resolution names bodies that are not doing this task).

use serde::{Deserialize, Serialize};

use super::folded::{Folded, boundary_after, boundary_before, find_words};

/// A group of units named by role rather than by name; the storage layer maps each group to
/// the real units of the cascade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitGroup {
    /// Cấp ủy đảng các cấp.
    PartyCommittees,
    /// Huyện ủy, thành ủy, đảng ủy trực thuộc Tỉnh ủy: the committees one level down.
    SubordinatePartyCommittees,
    /// Cơ quan chuyên trách tham mưu, giúp việc cấp ủy (the ban đảng).
    PartyAdvisoryAgencies,
    /// Đảng đoàn, ban cán sự đảng.
    PartyDelegations,
    /// Chính quyền các cấp.
    Governments,
    /// Ủy ban nhân dân tỉnh.
    ProvincialPeoplesCommittee,
    /// Sở, ban, ngành.
    Departments,
    /// Mặt trận Tổ quốc, tổ chức chính trị - xã hội, hội quần chúng.
    FrontAndMassOrganisations,
    /// Ban Dân vận các cấp.
    MassMobilisationBoards,
    /// Ban Dân vận Tỉnh ủy.
    ProvincialMassMobilisationBoard,
    /// Lực lượng vũ trang (quân sự, biên phòng, công an).
    ArmedForces,
    /// Ban Chỉ đạo thực hiện dân chủ ở cơ sở các cấp.
    SteeringCommittees,
    /// "Các cơ quan, đơn vị": every agency, by its own functions.
    AgenciesAndUnits,
}

impl UnitGroup {
    /// Vietnamese label for screens and exports.
    pub fn label_vi(self) -> &'static str {
        match self {
            UnitGroup::PartyCommittees => "Cấp ủy đảng các cấp",
            UnitGroup::SubordinatePartyCommittees => "Các huyện ủy, thành ủy, đảng ủy trực thuộc",
            UnitGroup::PartyAdvisoryAgencies => "Các cơ quan tham mưu, giúp việc cấp ủy",
            UnitGroup::PartyDelegations => "Các đảng đoàn, ban cán sự đảng",
            UnitGroup::Governments => "Chính quyền các cấp",
            UnitGroup::ProvincialPeoplesCommittee => "Ủy ban nhân dân tỉnh",
            UnitGroup::Departments => "Các sở, ban, ngành",
            UnitGroup::FrontAndMassOrganisations => {
                "Mặt trận Tổ quốc, các tổ chức chính trị - xã hội, hội quần chúng"
            }
            UnitGroup::MassMobilisationBoards => "Ban Dân vận các cấp",
            UnitGroup::ProvincialMassMobilisationBoard => "Ban Dân vận Tỉnh ủy",
            UnitGroup::ArmedForces => "Các đơn vị lực lượng vũ trang",
            UnitGroup::SteeringCommittees => "Ban Chỉ đạo thực hiện dân chủ ở cơ sở các cấp",
            UnitGroup::AgenciesAndUnits => "Các cơ quan, đơn vị",
        }
    }
}

/// Chủ trì (leads) or phối hợp (takes part).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    ChuTri,
    PhoiHop,
}

impl Role {
    pub fn label_vi(self) -> &'static str {
        match self {
            Role::ChuTri => "Chủ trì",
            Role::PhoiHop => "Phối hợp",
        }
    }
}

/// Where a proposed unit came from, so the review screen can say why it is there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitSource {
    /// Named as the subject at the start of the text, or after "phối hợp với".
    Named,
    /// Mentioned elsewhere in the text: weaker evidence.
    Mentioned,
    /// Copied from the enclosing section or item.
    Inherited,
    /// Nothing named: taken from the "tổ chức thực hiện" part.
    Assignment,
}

/// One responsible unit group proposed for a task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposedUnit {
    /// The phrase as written: "Các cấp ủy đảng", "chính quyền các cấp".
    pub label: String,
    pub group: UnitGroup,
    pub role: Role,
    pub source: UnitSource,
}

/// A phrase found in a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hit {
    pub(crate) label: String,
    pub(crate) group: UnitGroup,
}

/// The actors of one text, by kind of evidence, each list in text order.
#[derive(Debug, Default)]
pub(crate) struct Actors {
    pub(crate) leading: Vec<Hit>,
    pub(crate) cooperating: Vec<Hit>,
    pub(crate) mentioned: Vec<Hit>,
}

/// Folded phrase, its group, and whether it may open a list (`false`: only after another
/// actor, because alone it is too common a word, like "chính quyền" or "các cơ quan, đơn vị").
const PHRASES: &[(&str, UnitGroup, bool)] = &[
    ("cac cap uy dang", UnitGroup::PartyCommittees, true),
    ("cap uy dang cac cap", UnitGroup::PartyCommittees, true),
    ("cac cap uy, to chuc dang", UnitGroup::PartyCommittees, true),
    (
        "cap uy, to chuc dang cac cap",
        UnitGroup::PartyCommittees,
        true,
    ),
    ("cap uy, to chuc dang", UnitGroup::PartyCommittees, true),
    ("cac to chuc dang", UnitGroup::PartyCommittees, true),
    ("cap uy cac cap", UnitGroup::PartyCommittees, true),
    ("cac cap uy", UnitGroup::PartyCommittees, true),
    ("cap uy dang", UnitGroup::PartyCommittees, true),
    (
        "cac huyen uy, thanh uy, dang uy truc thuoc tinh uy",
        UnitGroup::SubordinatePartyCommittees,
        true,
    ),
    (
        "cac huyen uy, thanh uy, dang uy truc thuoc",
        UnitGroup::SubordinatePartyCommittees,
        true,
    ),
    (
        "huyen uy, thanh uy, dang uy truc thuoc",
        UnitGroup::SubordinatePartyCommittees,
        true,
    ),
    (
        "cac co quan chuyen trach tham muu, giup viec tinh uy",
        UnitGroup::PartyAdvisoryAgencies,
        true,
    ),
    (
        "cac co quan tham muu, giup viec tinh uy",
        UnitGroup::PartyAdvisoryAgencies,
        true,
    ),
    ("cac co quan dang", UnitGroup::PartyAdvisoryAgencies, true),
    ("cac ban dang", UnitGroup::PartyAdvisoryAgencies, true),
    (
        "cac dang doan, ban can su dang",
        UnitGroup::PartyDelegations,
        true,
    ),
    (
        "dang doan, ban can su dang",
        UnitGroup::PartyDelegations,
        true,
    ),
    ("chinh quyen cac cap", UnitGroup::Governments, true),
    ("cac cap chinh quyen", UnitGroup::Governments, true),
    ("uy ban nhan dan cac cap", UnitGroup::Governments, true),
    ("ubnd cac cap", UnitGroup::Governments, true),
    ("chinh quyen", UnitGroup::Governments, false),
    (
        "uy ban nhan dan tinh",
        UnitGroup::ProvincialPeoplesCommittee,
        true,
    ),
    ("ubnd tinh", UnitGroup::ProvincialPeoplesCommittee, true),
    ("cac so, ban, nganh", UnitGroup::Departments, true),
    ("cac so, nganh", UnitGroup::Departments, true),
    ("cac ban, nganh", UnitGroup::Departments, true),
    ("cac co quan, ban, nganh", UnitGroup::Departments, true),
    ("so, ban, nganh", UnitGroup::Departments, false),
    (
        "mat tran to quoc, cac to chuc chinh tri-xa hoi, hoi quan chung",
        UnitGroup::FrontAndMassOrganisations,
        true,
    ),
    (
        "mat tran to quoc, cac to chuc chinh tri-xa hoi va hoi quan chung",
        UnitGroup::FrontAndMassOrganisations,
        true,
    ),
    (
        "mat tran to quoc va cac to chuc chinh tri-xa hoi",
        UnitGroup::FrontAndMassOrganisations,
        true,
    ),
    (
        "mat tran to quoc, cac to chuc chinh tri-xa hoi",
        UnitGroup::FrontAndMassOrganisations,
        true,
    ),
    (
        "mat tran to quoc va cac doan the chinh tri-xa hoi",
        UnitGroup::FrontAndMassOrganisations,
        true,
    ),
    (
        "mttq va cac to chuc chinh tri-xa hoi",
        UnitGroup::FrontAndMassOrganisations,
        true,
    ),
    (
        "mttq, cac to chuc chinh tri-xa hoi",
        UnitGroup::FrontAndMassOrganisations,
        true,
    ),
    (
        "mat tran to quoc",
        UnitGroup::FrontAndMassOrganisations,
        true,
    ),
    ("mttq", UnitGroup::FrontAndMassOrganisations, true),
    (
        "cac to chuc chinh tri-xa hoi",
        UnitGroup::FrontAndMassOrganisations,
        true,
    ),
    (
        "cac doan the chinh tri-xa hoi",
        UnitGroup::FrontAndMassOrganisations,
        true,
    ),
    (
        "cac hoi quan chung",
        UnitGroup::FrontAndMassOrganisations,
        true,
    ),
    (
        "hoi quan chung",
        UnitGroup::FrontAndMassOrganisations,
        false,
    ),
    ("cac doan the", UnitGroup::FrontAndMassOrganisations, false),
    (
        "ban dan van cac cap",
        UnitGroup::MassMobilisationBoards,
        true,
    ),
    (
        "ban dan van cap uy",
        UnitGroup::MassMobilisationBoards,
        true,
    ),
    (
        "ban dan van cac huyen uy, thanh uy",
        UnitGroup::MassMobilisationBoards,
        true,
    ),
    (
        "ban dan van tinh uy",
        UnitGroup::ProvincialMassMobilisationBoard,
        true,
    ),
    (
        "cac don vi luc luong vu trang",
        UnitGroup::ArmedForces,
        true,
    ),
    ("luc luong vu trang", UnitGroup::ArmedForces, true),
    ("bo chi huy quan su tinh", UnitGroup::ArmedForces, true),
    (
        "bo chi huy bo doi bien phong tinh",
        UnitGroup::ArmedForces,
        true,
    ),
    ("cong an tinh", UnitGroup::ArmedForces, true),
    (
        "ban chi dao thuc hien dan chu o co so cac cap",
        UnitGroup::SteeringCommittees,
        true,
    ),
    (
        "ban chi dao thuc hien dan chu o co so",
        UnitGroup::SteeringCommittees,
        true,
    ),
    (
        "ban chi dao thuc hien quy che dan chu o co so",
        UnitGroup::SteeringCommittees,
        true,
    ),
    ("cac co quan, don vi", UnitGroup::AgenciesAndUnits, false),
];

/// Words that may follow a phrase and belong to it: "… cùng cấp", "Mặt trận Tổ quốc Việt Nam".
const SUFFIXES: &[&str] = &[" viet nam", " tinh", " cac cap", " cung cap"];

/// Words before the subject that do not change it: "Giao Ban Dân vận Tỉnh ủy…".
const LEAD_INS: &[&str] = &["giao cho ", "giao ", "de nghi ", "yeu cau "];

/// Between two actors of one list.
const SEPARATORS: &[&str] = &[", va ", "; ", ", ", " va ", " cung "];

const COOPERATION: &[&str] = &[
    "phoi hop voi ",
    "phoi hop giua ",
    "phoi hop: ",
    "co su phoi hop cua ",
];

/// The longest phrase at folded byte `at`, with its folded end.
fn phrase_at(f: &Folded, at: usize, allow_continuation: bool) -> Option<(usize, UnitGroup)> {
    let rest = f.text.get(at..)?;
    if !boundary_before(&f.text, at) {
        return None;
    }
    let mut best: Option<(usize, UnitGroup)> = None;
    for &(pat, group, lead) in PHRASES {
        if (lead || allow_continuation)
            && rest.starts_with(pat)
            && boundary_after(&f.text, at + pat.len())
            && best.is_none_or(|(len, _)| pat.len() > len)
        {
            best = Some((pat.len(), group));
        }
    }
    let (mut len, group) = best?;
    'extend: loop {
        for s in SUFFIXES {
            if f.text[at + len..].starts_with(s) && boundary_after(&f.text, at + len + s.len()) {
                len += s.len();
                continue 'extend;
            }
        }
        break;
    }
    Some((at + len, group))
}

/// Reads a list of actors starting at `at`; returns the hits and the folded end of the list.
fn list_at(f: &Folded, source: &str, mut at: usize, first_may_continue: bool) -> (Vec<Hit>, usize) {
    let mut hits = Vec::new();
    let mut end = at;
    while let Some((e, group)) = phrase_at(f, at, first_may_continue || !hits.is_empty()) {
        hits.push(hit(f, source, at, e, group));
        end = e;
        at = e;
        match SEPARATORS.iter().find(|s| f.text[at..].starts_with(**s)) {
            Some(s) => at += s.len(),
            None => break,
        }
    }
    (hits, end)
}

fn hit(f: &Folded, source: &str, start: usize, end: usize, group: UnitGroup) -> Hit {
    let (s, e) = f.source_range(start, end);
    let label = source.get(s..e).unwrap_or_default();
    Hit {
        label: label.trim().trim_end_matches([',', ';']).to_owned(),
        group,
    }
}

/// Finds the actors of `source`. `masked` holds source byte ranges to ignore for mentions
/// (the clauses of cited documents).
pub(crate) fn detect(source: &str, masked: &[(usize, usize)]) -> Actors {
    let f = Folded::new(source);
    let is_masked = |fi: usize| {
        let s = f.source_at(fi);
        masked.iter().any(|&(a, b)| a <= s && s < b)
    };
    let mut actors = Actors::default();
    // Covered folded ranges, so a phrase is reported once.
    let mut covered: Vec<(usize, usize)> = Vec::new();

    let mut start = 0;
    while let Some(l) = LEAD_INS.iter().find(|l| f.text[start..].starts_with(**l)) {
        start += l.len();
    }
    let (leading, end) = list_at(&f, source, start, false);
    if !leading.is_empty() {
        covered.push((start, end));
        actors.leading = leading;
    }

    let mut coop_at: Vec<usize> = COOPERATION
        .iter()
        .flat_map(|c| f.text.match_indices(c).map(|(i, _)| i + c.len()))
        .collect();
    coop_at.sort_unstable();
    for at in coop_at {
        if is_masked(at) {
            continue;
        }
        let (hits, end) = list_at(&f, source, at, true);
        if !hits.is_empty() {
            covered.push((at, end));
            actors.cooperating.extend(hits);
        }
    }

    let mut starts: Vec<usize> = PHRASES
        .iter()
        .filter(|p| p.2)
        .flat_map(|p| find_words(&f.text, p.0))
        .collect();
    starts.sort_unstable();
    starts.dedup();
    for at in starts {
        if is_masked(at) || covered.iter().any(|&(a, b)| a <= at && at < b) {
            continue;
        }
        let (hits, end) = list_at(&f, source, at, false);
        if !hits.is_empty() {
            covered.push((at, end));
            actors.mentioned.extend(hits);
        }
    }
    actors
}

#[cfg(test)]
mod tests {
    use super::*;

    fn groups(h: &[Hit]) -> Vec<UnitGroup> {
        h.iter().map(|h| h.group).collect()
    }

    #[test]
    fn reads_the_leading_list_and_cooperation() {
        let a = detect(
            "Chính quyền các cấp tích cực phối hợp với Ban Dân vận cấp ủy, Mặt trận Tổ quốc và các tổ chức chính trị - xã hội cùng cấp đẩy mạnh tuyên truyền",
            &[],
        );
        assert_eq!(groups(&a.leading), [UnitGroup::Governments]);
        assert_eq!(a.leading[0].label, "Chính quyền các cấp");
        assert_eq!(
            groups(&a.cooperating),
            [
                UnitGroup::MassMobilisationBoards,
                UnitGroup::FrontAndMassOrganisations
            ]
        );
        assert_eq!(
            a.cooperating[1].label,
            "Mặt trận Tổ quốc và các tổ chức chính trị - xã hội cùng cấp"
        );
        assert!(a.mentioned.is_empty());
    }

    #[test]
    fn continuation_words_only_inside_a_list() {
        let a = detect(
            "Các cấp ủy đảng, chính quyền, Mặt trận Tổ quốc và các tổ chức chính trị - xã hội, Ban Chỉ đạo thực hiện dân chủ ở cơ sở các cấp tiếp tục",
            &[],
        );
        assert_eq!(
            groups(&a.leading),
            [
                UnitGroup::PartyCommittees,
                UnitGroup::Governments,
                UnitGroup::FrontAndMassOrganisations,
                UnitGroup::SteeringCommittees
            ]
        );
        let b = detect("Nâng cao hiệu quả chính quyền điện tử", &[]);
        assert!(b.leading.is_empty() && b.mentioned.is_empty());
    }

    #[test]
    fn masked_clauses_are_not_mentions() {
        let text = "Chỉ đạo tổng kết Đề án của Ban Dân vận Tỉnh ủy và UBND tỉnh.";
        let at = text.find("Đề án").unwrap_or_default();
        let a = detect(text, &[(at, text.len())]);
        assert!(a.mentioned.is_empty());
        let b = detect(text, &[]);
        assert_eq!(
            groups(&b.mentioned),
            [
                UnitGroup::ProvincialMassMobilisationBoard,
                UnitGroup::ProvincialPeoplesCommittee
            ]
        );
    }
}
