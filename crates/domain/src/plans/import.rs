//! Turning a parsed plan (kế hoạch) into proposed tasks for a person to review.
//!
//! Which parts become what, decided by the part's heading rather than its numeral:
//! - "MỤC ĐÍCH, YÊU CẦU" → [`PlanProposal::objectives`]: they say why, nobody reports on them;
//! - "TỔ CHỨC THỰC HIỆN" (or "trách nhiệm", "phân công") → [`PlanProposal::assignments`];
//!   an assignment to build one's own plan (III.1 of the seed) becomes a
//!   [`TaskKind::BuildOwnPlan`] task whose units all lead (each builds its own plan: the
//!   cascade), and its units are the default for tasks that name nobody; an assignment to
//!   follow, urge and report (III.2) becomes a [`TaskKind::FollowUp`] task with the mid-year
//!   and year-end report dates as milestones;
//! - "KINH PHÍ" and the like → [`PlanProposal::other`];
//! - everything else ("NỘI DUNG TRỌNG TÂM", "NHIỆM VỤ, GIẢI PHÁP"…) → tasks.
//!
//! See the module documentation of [`super`] for the numbering scheme.

use serde::{Deserialize, Serialize};

use super::actors::{self, Actors, Hit, ProposedUnit, Role, UnitSource};
use super::due::{self, DueKind, ProposeOptions, ProposedDue};
use crate::citations::{self, flag};
use crate::document::{self, Document, Node, NodeKind};
use crate::text::fold;

/// Longest bullet title, in characters, before it is cut at a word boundary.
pub const TITLE_MAX_CHARS: usize = 120;

/// The result of reading a plan: everything a review screen needs, nothing stored yet.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlanProposal {
    /// Tên loại as printed: "KẾ HOẠCH".
    pub doc_type: Option<String>,
    /// Trích yếu: "Công tác dân vận năm 2024".
    pub trich_yeu: Option<String>,
    /// Both together, as one says it: "Kế hoạch công tác dân vận năm 2024".
    pub title: String,
    /// Số/ký hiệu of the plan itself, when the file has a header (the seed has none).
    pub symbol: Option<String>,
    pub issued_on: Option<chrono::NaiveDate>,
    /// The year the plan is for.
    pub year: Option<i32>,
    /// Where the year came from, in Vietnamese.
    pub year_reason: String,
    pub objectives: Vec<PlanItem>,
    /// Proposed tasks in document order (sections before their items), then the tasks derived
    /// from the assignments.
    pub tasks: Vec<ProposedTask>,
    pub assignments: Vec<Assignment>,
    /// Parts that are neither objectives, tasks nor assignments (kinh phí…).
    pub other: Vec<PlanItem>,
    /// Plan-level remarks for the reviewer, in Vietnamese.
    pub notes: Vec<String>,
}

/// A byte range `[start, end)` of the imported text (whole lines), for highlighting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl From<document::Span> for Span {
    fn from(s: document::Span) -> Self {
        Span {
            start: s.start,
            end: s.end,
        }
    }
}

/// A numbered piece of text kept as is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanItem {
    pub number: String,
    pub text: String,
    pub span: Span,
}

/// What a task is in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskLevel {
    /// A numbered section ("1.", "1.2").
    Section,
    /// A bullet ("- ", "+ ") or a lettered point ("a)").
    Bullet,
    /// An unmarked paragraph or a table inside a section.
    Paragraph,
}

/// Why the task exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskKind {
    /// A task of the plan's content.
    Content,
    /// "Xây dựng kế hoạch …": every unit named builds its own plan (the cascade).
    BuildOwnPlan,
    /// "Theo dõi, đôn đốc … báo cáo": following the plan up.
    FollowUp,
}

/// How sure the importer is, with the reasons a reviewer should read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConfidenceLevel {
    Low,
    Medium,
    High,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Confidence {
    pub level: ConfidenceLevel,
    /// Vietnamese remarks, one per finding.
    pub notes: Vec<String>,
}

/// One proposed task.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProposedTask {
    /// "II.1" for a section, "II.1.3" for its 3rd item; see the module docs.
    pub number: String,
    /// Roman numeral of the part ("II"); empty when the document has no parts.
    pub part: String,
    /// Label of the enclosing section ("1", "1.2"); `None` for items directly in a part.
    pub section: Option<String>,
    pub level: TaskLevel,
    pub kind: TaskKind,
    /// The heading for a section; for an item its first sentence, or its first
    /// [`TITLE_MAX_CHARS`] characters cut at a word boundary with "…".
    pub title: String,
    /// Full text; sub-bullets and paragraphs under an item are appended on new lines.
    pub text: String,
    pub parent_number: Option<String>,
    /// Số/ký hiệu of the documents cited in `text`, first occurrence order, no repeats.
    pub citations: Vec<String>,
    pub responsible: Vec<ProposedUnit>,
    /// The task's deadline: the latest milestone, else inherited, else the plan-year default.
    pub due: Option<ProposedDue>,
    /// Every dated hint found in the text, by date.
    pub milestones: Vec<ProposedDue>,
    pub confidence: Confidence,
    /// Where the task is in the input text (whole lines).
    pub span: Span,
}

impl ProposedTask {
    /// Units that lead (chủ trì).
    pub fn leads(&self) -> impl Iterator<Item = &ProposedUnit> {
        self.responsible.iter().filter(|u| u.role == Role::ChuTri)
    }
}

/// What a "tổ chức thực hiện" item asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AssignmentKind {
    BuildOwnPlan,
    FollowUp,
    Other,
}

/// One item of the "tổ chức thực hiện" part.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Assignment {
    pub number: String,
    pub text: String,
    pub kind: AssignmentKind,
    pub units: Vec<ProposedUnit>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PartRole {
    Objectives,
    Tasks,
    Implementation,
    Other,
}

fn part_role(heading: &str) -> PartRole {
    let k = fold(heading);
    if k.contains("to chuc thuc hien") || k.contains("phan cong") || k.contains("trach nhiem") {
        PartRole::Implementation
    } else if (k.contains("muc dich") || k.contains("yeu cau")) && !k.contains("nhiem vu") {
        PartRole::Objectives
    } else if k.contains("kinh phi") {
        PartRole::Other
    } else {
        PartRole::Tasks
    }
}

/// [`propose_with`] with the default options.
pub fn propose(doc: &Document, text: &str, plan_year: Option<i32>) -> PlanProposal {
    propose_with(doc, text, plan_year, &ProposeOptions::default())
}

/// Proposes the tasks of the plan `doc`, parsed from `text` (spans index `text`). `plan_year`
/// overrides the year read from the trích yếu.
pub fn propose_with(
    doc: &Document,
    text: &str,
    plan_year: Option<i32>,
    opts: &ProposeOptions,
) -> PlanProposal {
    let (year, year_reason) = find_year(doc, text, plan_year);
    let doc_type = doc.doc_type.as_ref().map(|t| t.text.clone());
    let trich_yeu = doc.trich_yeu.as_ref().map(|t| t.text.clone());
    let title = match (&doc_type, &trich_yeu) {
        (Some(d), Some(t)) => format!("{} {}", sentence_case(d), lower_first(t)),
        (Some(d), None) => sentence_case(d),
        (None, Some(t)) => t.clone(),
        (None, None) => "Kế hoạch (chưa có trích yếu)".to_owned(),
    };
    let mut p = PlanProposal {
        doc_type,
        trich_yeu,
        title,
        symbol: doc.header.symbol.clone(),
        issued_on: doc.header.date,
        year,
        year_reason,
        objectives: Vec::new(),
        tasks: Vec::new(),
        assignments: Vec::new(),
        other: Vec::new(),
        notes: Vec::new(),
    };
    if p.symbol.is_none() {
        p.notes
            .push("Văn bản không có số, ký hiệu: cần nhập bổ sung.".to_owned());
    }
    if p.issued_on.is_none() {
        p.notes
            .push("Văn bản không có ngày ban hành: cần nhập bổ sung.".to_owned());
    }
    if year.is_none() {
        p.notes.push(
            "Chưa xác định được năm của kế hoạch: các hạn chưa được đề xuất, cần nhập năm."
                .to_owned(),
        );
    }

    let parts: Vec<&Node> = doc.parts().collect();
    // Without parts the whole body is content.
    let groups: Vec<(String, PartRole, &[Node])> = if parts.is_empty() {
        vec![(String::new(), PartRole::Tasks, doc.body.as_slice())]
    } else {
        parts
            .iter()
            .map(|n| {
                (
                    n.label.clone().unwrap_or_default(),
                    part_role(&n.text),
                    n.children.as_slice(),
                )
            })
            .collect()
    };

    // Assignments first: they give the defaults for tasks that name nobody.
    for (part, _, children) in groups.iter().filter(|g| g.1 == PartRole::Implementation) {
        for (number, node) in numbered(part, children) {
            p.assignments.push(assignment(number, node));
        }
    }
    let defaults: Vec<(String, Vec<ProposedUnit>)> = p
        .assignments
        .iter()
        .filter(|a| a.kind == AssignmentKind::BuildOwnPlan && !a.units.is_empty())
        .map(|a| (a.number.clone(), a.units.clone()))
        .collect();
    let ctx = Ctx {
        year,
        opts,
        defaults,
    };

    for (part, role, children) in &groups {
        match role {
            PartRole::Objectives | PartRole::Other => {
                let list = if *role == PartRole::Objectives {
                    &mut p.objectives
                } else {
                    &mut p.other
                };
                for (number, node) in numbered(part, children) {
                    list.push(PlanItem {
                        number,
                        text: full_text(node),
                        span: node.span.into(),
                    });
                }
            }
            PartRole::Tasks => walk(part, None, children, None, &ctx, &mut p.tasks),
            PartRole::Implementation => {}
        }
    }
    let derived: Vec<ProposedTask> = p
        .assignments
        .iter()
        .filter_map(|a| derived_task(a, &p, &ctx))
        .collect();
    p.tasks.extend(derived);
    if p.assignments
        .iter()
        .any(|a| a.kind == AssignmentKind::Other)
    {
        p.notes.push(
            "Một số nội dung tổ chức thực hiện chưa được chuyển thành đầu việc: cần xem lại."
                .to_owned(),
        );
    }
    p
}

struct Ctx<'a> {
    year: Option<i32>,
    opts: &'a ProposeOptions,
    /// Units of the "build your own plan" assignments, with the assignment's number.
    defaults: Vec<(String, Vec<ProposedUnit>)>,
}

/// Children of a part (or of the body) with their numbers: sections by label, other items
/// counted, "-k" when they sit next to numbered sections.
fn numbered<'n>(prefix: &str, children: &'n [Node]) -> Vec<(String, &'n Node)> {
    let has_sections = children.iter().any(|c| c.kind == NodeKind::Section);
    let mut k = 0;
    children
        .iter()
        .map(|c| {
            let number = match (c.kind, &c.label) {
                (NodeKind::Section | NodeKind::Point, Some(l)) => join(prefix, l),
                _ => {
                    k += 1;
                    join(prefix, &item_label(k, has_sections))
                }
            };
            (number, c)
        })
        .collect()
}

fn item_label(k: usize, beside_sections: bool) -> String {
    if beside_sections {
        format!("-{k}")
    } else {
        k.to_string()
    }
}

fn join(prefix: &str, label: &str) -> String {
    if prefix.is_empty() {
        label.to_owned()
    } else {
        format!("{prefix}.{label}")
    }
}

/// The node's text with its sub-items and paragraphs, for things kept whole.
fn full_text(node: &Node) -> String {
    let mut s = node.text.clone();
    for c in &node.children {
        let t = full_text(c);
        if t.is_empty() {
            continue;
        }
        if !s.is_empty() {
            s.push('\n');
        }
        if matches!(c.kind, NodeKind::Bullet | NodeKind::SubBullet)
            && let Some(l) = &c.label
        {
            s.push_str(l);
            s.push(' ');
        }
        s.push_str(&t);
    }
    s
}

/// Emits tasks for `children` of a part (`parent` = None) or of a task.
fn walk(
    part: &str,
    section: Option<&str>,
    children: &[Node],
    parent: Option<&ProposedTask>,
    ctx: &Ctx,
    out: &mut Vec<ProposedTask>,
) {
    let prefix = parent.map_or(part, |t| t.number.as_str());
    let has_sections = children.iter().any(|c| c.kind == NodeKind::Section);
    let mut k = 0;
    for c in children {
        match c.kind {
            NodeKind::Section => {
                let label = c.label.clone().unwrap_or_default();
                let has_items = c.children.iter().any(is_task_node);
                let title = if has_items && !c.text.is_empty() {
                    c.text.clone()
                } else {
                    short_title(&c.text)
                };
                let text = if has_items {
                    c.text.clone()
                } else {
                    full_text(c)
                };
                let task = make_task(
                    TaskDraft {
                        number: join(part, &label),
                        part,
                        section: Some(label.clone()),
                        level: TaskLevel::Section,
                        title,
                        text,
                        span: c.span.into(),
                    },
                    parent,
                    ctx,
                );
                out.push(task.clone());
                if has_items {
                    walk(part, Some(&label), &c.children, Some(&task), ctx, out);
                }
            }
            NodeKind::Point
            | NodeKind::Bullet
            | NodeKind::SubBullet
            | NodeKind::Paragraph
            | NodeKind::Table => {
                let number = match (c.kind, &c.label) {
                    (NodeKind::Point, Some(l)) => join(prefix, l),
                    _ => {
                        k += 1;
                        join(prefix, &item_label(k, has_sections))
                    }
                };
                let level = match c.kind {
                    NodeKind::Paragraph | NodeKind::Table => TaskLevel::Paragraph,
                    _ => TaskLevel::Bullet,
                };
                // A point's bullets are tasks of their own; a bullet's sub-bullets are details.
                let own_items = c.kind == NodeKind::Point && c.children.iter().any(is_task_node);
                let text = if own_items {
                    c.text.clone()
                } else {
                    full_text(c)
                };
                let task = make_task(
                    TaskDraft {
                        number,
                        part,
                        section: section.map(str::to_owned),
                        level,
                        title: short_title(&text),
                        text,
                        span: c.span.into(),
                    },
                    parent,
                    ctx,
                );
                out.push(task.clone());
                if own_items {
                    walk(part, section, &c.children, Some(&task), ctx, out);
                }
            }
            _ => {}
        }
    }
}

fn is_task_node(n: &Node) -> bool {
    matches!(
        n.kind,
        NodeKind::Section
            | NodeKind::Point
            | NodeKind::Bullet
            | NodeKind::SubBullet
            | NodeKind::Paragraph
            | NodeKind::Table
    )
}

struct TaskDraft<'a> {
    number: String,
    part: &'a str,
    section: Option<String>,
    level: TaskLevel,
    title: String,
    text: String,
    span: Span,
}

fn make_task(d: TaskDraft, parent: Option<&ProposedTask>, ctx: &Ctx) -> ProposedTask {
    let cites = citations::extract(&d.text);
    let mut notes = Vec::new();
    let symbols = symbols_of(&cites, &mut notes);
    let clause_mask: Vec<(usize, usize)> = cites
        .iter()
        .map(|c| (c.start, clause_end(&d.text, c.end)))
        .collect();
    let raw_mask: Vec<(usize, usize)> = cites.iter().map(|c| (c.start, c.end)).collect();

    let found = actors::detect(&d.text, &clause_mask);
    let parent_units = parent.map(|t| (t.number.as_str(), t.responsible.as_slice()));
    let responsible = resolve_units(found, parent_units, &ctx.defaults, &mut notes);

    let scan = due::scan(&d.text, ctx.year, ctx.opts, &raw_mask);
    notes.extend(scan.notes.iter().cloned());
    let due = pick_due(&scan.milestones, parent, ctx, &mut notes);

    let confidence = confidence(&responsible, ctx.year, !scan.notes.is_empty());
    ProposedTask {
        number: d.number,
        part: d.part.to_owned(),
        section: d.section,
        level: d.level,
        kind: TaskKind::Content,
        title: d.title,
        text: d.text,
        parent_number: parent.map(|t| t.number.clone()),
        citations: symbols,
        responsible,
        due,
        milestones: scan.milestones,
        confidence: Confidence {
            level: confidence,
            notes,
        },
        span: d.span,
    }
}

fn symbols_of(cites: &[citations::Citation], notes: &mut Vec<String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for c in cites {
        let Some(s) = &c.symbol else { continue };
        if out.contains(s) {
            continue;
        }
        out.push(s.clone());
        if c.flags.iter().any(|f| f == flag::ISSUER_MISMATCH) {
            notes.push(format!(
                "Số hiệu {s} không khớp với cơ quan ban hành được nêu: kiểm tra lại trích dẫn."
            ));
        }
        if c.flags.iter().any(|f| f == flag::TYPE_MISMATCH) {
            notes.push(format!(
                "Loại văn bản của {s} không khớp với ký hiệu: kiểm tra lại trích dẫn."
            ));
        }
    }
    out
}

/// End of the clause a citation sits in: the issuer and subject of a cited document follow it
/// up to the next ";" or end of sentence, and the bodies named there are not actors.
fn clause_end(text: &str, from: usize) -> usize {
    let b = text.as_bytes();
    let mut i = from;
    while i < b.len() {
        match b[i] {
            b';' | b'\n' => return i,
            b'.' if b.get(i + 1).is_none_or(|c| c.is_ascii_whitespace()) => return i,
            _ => i += 1,
        }
    }
    b.len()
}

fn unit(h: &Hit, role: Role, source: UnitSource) -> ProposedUnit {
    ProposedUnit {
        label: h.label.clone(),
        group: h.group,
        role,
        source,
    }
}

fn push_unit(units: &mut Vec<ProposedUnit>, u: ProposedUnit) -> bool {
    if units.iter().any(|x| x.group == u.group) {
        return false;
    }
    units.push(u);
    true
}

/// Applies the rules: the leading list (first leads, the rest take part); else the parent's
/// units; else the first unit mentioned leads; "phối hợp với …" and other mentions take part;
/// with still nobody leading, the units of the "build your own plan" assignment lead.
fn resolve_units(
    found: Actors,
    parent: Option<(&str, &[ProposedUnit])>,
    defaults: &[(String, Vec<ProposedUnit>)],
    notes: &mut Vec<String>,
) -> Vec<ProposedUnit> {
    let mut units: Vec<ProposedUnit> = Vec::new();
    let mut mentioned = found.mentioned.iter();
    let inheritable = parent.filter(|(_, us)| {
        us.iter()
            .any(|u| u.role == Role::ChuTri && u.source != UnitSource::Assignment)
    });
    if !found.leading.is_empty() {
        for (i, h) in found.leading.iter().enumerate() {
            let role = if i == 0 { Role::ChuTri } else { Role::PhoiHop };
            push_unit(&mut units, unit(h, role, UnitSource::Named));
        }
    } else if let Some((number, us)) = inheritable {
        for u in us {
            push_unit(
                &mut units,
                ProposedUnit {
                    source: UnitSource::Inherited,
                    ..u.clone()
                },
            );
        }
        notes.push(format!(
            "Nội dung không nêu chủ thể: kế thừa đơn vị thực hiện của mục {number}."
        ));
    } else if let Some(h) = mentioned.next() {
        push_unit(&mut units, unit(h, Role::ChuTri, UnitSource::Mentioned));
        notes.push(format!(
            "Đơn vị chủ trì suy ra từ cụm “{}” trong nội dung: cần kiểm tra.",
            h.label
        ));
    }
    for h in &found.cooperating {
        push_unit(&mut units, unit(h, Role::PhoiHop, UnitSource::Named));
    }
    let mut extra: Vec<&str> = Vec::new();
    for h in mentioned {
        if push_unit(&mut units, unit(h, Role::PhoiHop, UnitSource::Mentioned)) {
            extra.push(&h.label);
        }
    }
    if !extra.is_empty() {
        notes.push(format!(
            "Được nhắc đến trong nội dung nên đề xuất là phối hợp: {}.",
            extra
                .iter()
                .map(|l| format!("“{l}”"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if !units.iter().any(|u| u.role == Role::ChuTri) {
        if defaults.is_empty() {
            notes.push("Chưa xác định được đơn vị chủ trì: cần phân công.".to_owned());
        } else {
            for (number, us) in defaults {
                for u in us {
                    push_unit(
                        &mut units,
                        ProposedUnit {
                            role: Role::ChuTri,
                            source: UnitSource::Assignment,
                            ..u.clone()
                        },
                    );
                }
                notes.push(format!(
                    "Nội dung không nêu đơn vị chủ trì: đề xuất các cơ quan, đơn vị ở mục {number} thực hiện theo chức năng, nhiệm vụ."
                ));
            }
        }
    }
    units
}

fn pick_due(
    milestones: &[ProposedDue],
    parent: Option<&ProposedTask>,
    ctx: &Ctx,
    notes: &mut Vec<String>,
) -> Option<ProposedDue> {
    if let Some(last) = milestones.last() {
        if milestones.len() > 1 {
            notes.push(format!(
                "Có {} mốc thời gian: hạn hoàn thành lấy mốc muộn nhất ({}).",
                milestones.len(),
                last.reason
            ));
        }
        return Some(last.clone());
    }
    if let Some(p) = parent
        && let Some(d) = &p.due
        && d.kind != DueKind::Default
    {
        return Some(ProposedDue {
            date: d.date,
            reason: format!("theo mục {}: {}", p.number, d.reason),
            kind: DueKind::Inherited,
        });
    }
    let year = ctx.year?;
    let date = ctx.opts.default_due.in_year(year)?;
    Some(ProposedDue {
        date,
        reason: format!("trong năm {year}"),
        kind: DueKind::Default,
    })
}

fn confidence(units: &[ProposedUnit], year: Option<i32>, due_notes: bool) -> ConfidenceLevel {
    let lead = units.iter().find(|u| u.role == Role::ChuTri);
    match lead.map(|u| u.source) {
        None | Some(UnitSource::Assignment) => ConfidenceLevel::Low,
        _ if year.is_none() => ConfidenceLevel::Low,
        Some(UnitSource::Mentioned) => ConfidenceLevel::Medium,
        _ if due_notes => ConfidenceLevel::Medium,
        _ => ConfidenceLevel::High,
    }
}

fn assignment(number: String, node: &Node) -> Assignment {
    let text = full_text(node);
    let k = fold(&text);
    let kind = if [
        "xay dung ke hoach",
        "ban hanh ke hoach",
        "xay dung chuong trinh",
    ]
    .iter()
    .any(|w| k.contains(w))
    {
        AssignmentKind::BuildOwnPlan
    } else if ["theo doi", "don doc"].iter().any(|w| k.contains(w)) {
        AssignmentKind::FollowUp
    } else {
        AssignmentKind::Other
    };
    let found = actors::detect(&text, &[]);
    let mut units: Vec<ProposedUnit> = Vec::new();
    for (i, h) in found.leading.iter().enumerate() {
        // Everyone asked to build a plan leads their own plan.
        let role = if i == 0 || kind == AssignmentKind::BuildOwnPlan {
            Role::ChuTri
        } else {
            Role::PhoiHop
        };
        push_unit(&mut units, unit(h, role, UnitSource::Named));
    }
    for h in &found.cooperating {
        push_unit(&mut units, unit(h, Role::PhoiHop, UnitSource::Named));
    }
    Assignment {
        number,
        text,
        kind,
        units,
        span: node.span.into(),
    }
}

fn derived_task(a: &Assignment, p: &PlanProposal, ctx: &Ctx) -> Option<ProposedTask> {
    let (kind, title) = match a.kind {
        AssignmentKind::BuildOwnPlan => (
            TaskKind::BuildOwnPlan,
            match &p.trich_yeu {
                Some(t) => format!(
                    "Xây dựng kế hoạch {} của cấp, ngành, cơ quan, đơn vị",
                    lower_first(t)
                ),
                None => "Xây dựng kế hoạch thực hiện của cấp, ngành, cơ quan, đơn vị".to_owned(),
            },
        ),
        AssignmentKind::FollowUp => (
            TaskKind::FollowUp,
            "Theo dõi, đôn đốc, hướng dẫn và báo cáo việc thực hiện kế hoạch".to_owned(),
        ),
        AssignmentKind::Other => return None,
    };
    let cites = citations::extract(&a.text);
    let mut notes = Vec::new();
    let symbols = symbols_of(&cites, &mut notes);
    let raw_mask: Vec<(usize, usize)> = cites.iter().map(|c| (c.start, c.end)).collect();
    let mut scan = due::scan(&a.text, ctx.year, ctx.opts, &raw_mask);
    notes.extend(scan.notes.iter().cloned());
    if kind == TaskKind::FollowUp
        && let Some(y) = ctx.year
    {
        let k = fold(&a.text);
        let mut add = |md: due::MonthDay, reason: String, kind: DueKind| {
            if let Some(date) = md.in_year(y)
                && !scan.milestones.iter().any(|m| m.date == date)
            {
                scan.milestones.push(ProposedDue { date, reason, kind });
            }
        };
        if k.contains("so ket") {
            add(
                ctx.opts.mid_year_report,
                format!("sơ kết 6 tháng năm {y} (mục {})", a.number),
                DueKind::MidYear,
            );
        }
        if k.contains("tong ket") {
            add(
                ctx.opts.year_end_report,
                format!("tổng kết năm {y} (mục {})", a.number),
                DueKind::YearEnd,
            );
        }
        scan.milestones.sort_by_key(|m| m.date);
    }
    let due = pick_due(&scan.milestones, None, ctx, &mut notes);
    if kind == TaskKind::BuildOwnPlan {
        notes.push(
            "Mỗi đơn vị được giao tự xây dựng kế hoạch của mình nên đều là đơn vị chủ trì."
                .to_owned(),
        );
        if scan.milestones.is_empty() {
            notes.push(
                "Văn bản không ghi hạn xây dựng kế hoạch: nên đặt hạn sớm (ví dụ trong quý I)."
                    .to_owned(),
            );
        }
    }
    if a.units.is_empty() {
        notes.push("Chưa xác định được đơn vị được giao: cần phân công.".to_owned());
    }
    let level = if a.units.is_empty() || ctx.year.is_none() {
        ConfidenceLevel::Low
    } else {
        ConfidenceLevel::Medium
    };
    let (part, section) = match a.number.rsplit_once('.') {
        Some((p, s)) => (p.to_owned(), Some(s.to_owned())),
        None => (String::new(), Some(a.number.clone())),
    };
    Some(ProposedTask {
        number: a.number.clone(),
        part,
        section,
        level: TaskLevel::Section,
        kind,
        title,
        text: a.text.clone(),
        parent_number: None,
        citations: symbols,
        responsible: a.units.clone(),
        due,
        milestones: scan.milestones,
        confidence: Confidence { level, notes },
        span: a.span,
    })
}

/// The year of the plan and where it came from.
fn find_year(doc: &Document, text: &str, given: Option<i32>) -> (Option<i32>, String) {
    if let Some(y) = given {
        return (Some(y), "do người dùng nhập".to_owned());
    }
    if let Some(t) = &doc.trich_yeu {
        let k = fold(&t.text);
        if let Some((a, b)) = year_range(&k) {
            return (
                None,
                format!("kế hoạch nhiều năm ({a} - {b}) theo trích yếu: cần nhập năm"),
            );
        }
        if let Some(y) = last_nam_year(&k) {
            return (Some(y), format!("theo trích yếu “{}”", t.text));
        }
    }
    let pre = fold(&doc.preamble_text());
    if let Some(at) = pre.find("ke hoach")
        && let Some(y) = pre
            .get(at..(at + 120).min(pre.len()))
            .and_then(first_nam_year)
    {
        return (Some(y), "theo phần căn cứ của văn bản".to_owned());
    }
    // A file the parser could not read a trích yếu from still names its year near the top.
    let head: String = text.chars().take(400).collect();
    if let Some(y) = first_nam_year(&fold(&head)) {
        return (Some(y), "theo phần đầu văn bản".to_owned());
    }
    (None, "không xác định được năm của kế hoạch".to_owned())
}

fn nam_years(k: &str) -> impl Iterator<Item = i32> + '_ {
    k.match_indices("nam ").filter_map(move |(i, _)| {
        let rest = &k[i + 4..];
        let n = rest.bytes().take_while(u8::is_ascii_digit).count();
        (n == 4).then(|| rest[..4].parse().ok()).flatten()
    })
}

fn first_nam_year(k: &str) -> Option<i32> {
    nam_years(k).next()
}

fn last_nam_year(k: &str) -> Option<i32> {
    nam_years(k).last()
}

/// "2021 - 2025" or "2021-2025" in folded text.
fn year_range(k: &str) -> Option<(i32, i32)> {
    let b = k.as_bytes();
    (0..b.len()).find_map(|i| {
        let four = |j: usize| {
            let s = k.get(j..j + 4)?;
            let ok = s.bytes().all(|c| c.is_ascii_digit())
                && b.get(j + 4).is_none_or(|c| !c.is_ascii_digit())
                && (j == 0 || !b[j - 1].is_ascii_digit());
            ok.then(|| s.parse::<i32>().ok()).flatten()
        };
        let a = four(i)?;
        let rest = k.get(i + 4..)?;
        let dash = rest
            .strip_prefix(" - ")
            .map(|_| 3)
            .or_else(|| rest.strip_prefix('-').map(|_| 1))?;
        let y = four(i + 4 + dash)?;
        (y > a && y - a <= 10).then_some((a, y))
    })
}

/// "KẾ HOẠCH" → "Kế hoạch".
fn sentence_case(s: &str) -> String {
    let lower = s.to_lowercase();
    let mut c = lower.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// "Công tác dân vận" → "công tác dân vận", but a proper name ("Hồ Chí Minh") stays: the first
/// letter is lowered only when the second word is in lower case.
fn lower_first(s: &str) -> String {
    let mut words = s.split_whitespace();
    let first = words.next().unwrap_or_default();
    let second_lower = words
        .next()
        .and_then(|w| w.chars().next())
        .is_some_and(char::is_lowercase);
    let first_is_acronym = first.chars().filter(|c| c.is_uppercase()).count() > 1;
    if !second_lower || first_is_acronym {
        return s.to_owned();
    }
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// First sentence, or the first [`TITLE_MAX_CHARS`] characters cut at a word boundary and
/// ended with "…".
pub fn short_title(text: &str) -> String {
    let text = text.lines().next().unwrap_or_default().trim();
    let mut sentence = text;
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    for (n, &(i, c)) in chars.iter().enumerate() {
        let next_is_space = chars.get(n + 1).is_none_or(|&(_, c)| c.is_whitespace());
        let prev_dot = n > 0 && chars[n - 1].1 == '.';
        let next_dot = chars.get(n + 1).is_some_and(|&(_, c)| c == '.');
        if matches!(c, '.' | '!' | '?') && next_is_space && !prev_dot && !next_dot {
            sentence = &text[..i];
            break;
        }
    }
    if sentence.chars().count() <= TITLE_MAX_CHARS {
        return sentence.trim().to_owned();
    }
    let cut_at = sentence
        .char_indices()
        .nth(TITLE_MAX_CHARS)
        .map_or(sentence.len(), |(i, _)| i);
    let head = &sentence[..cut_at];
    // Cut before the word that straddles the limit.
    let head = match head.rfind(' ') {
        Some(sp) if !sentence[cut_at..].starts_with(' ') => &head[..sp],
        _ => head,
    };
    let mut out = head
        .trim_end_matches(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | ':' | '-' | '–'))
        .to_owned();
    let open = out.matches('“').count();
    let close = out.matches('”').count();
    if open > close {
        out.push('”');
    }
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_titles() {
        assert_eq!(short_title("Làm việc A. Làm việc B."), "Làm việc A");
        assert_eq!(short_title("Không có dấu chấm"), "Không có dấu chấm");
        let long = "từ ".repeat(60);
        let t = short_title(&long);
        assert!(t.ends_with('…'));
        assert!(t.chars().count() <= TITLE_MAX_CHARS + 1);
        assert!(!t.contains("  "));
        assert_eq!(
            short_title("Xem cơ sở... rồi làm. Sau đó"),
            "Xem cơ sở... rồi làm"
        );
    }

    #[test]
    fn names() {
        assert_eq!(sentence_case("KẾ HOẠCH"), "Kế hoạch");
        assert_eq!(
            lower_first("Công tác dân vận năm 2024"),
            "công tác dân vận năm 2024"
        );
        assert_eq!(lower_first("Hồ Chí Minh"), "Hồ Chí Minh");
        assert_eq!(year_range("giai doan 2021 - 2025"), Some((2021, 2025)));
        assert_eq!(year_range("nam 2024"), None);
    }
}
