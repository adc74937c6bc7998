//! Plans: proposing tasks from a plan document, and explainable progress roll-ups.

use chrono::NaiveDate;
use danvan_domain::document::parse;
use danvan_domain::plans::format::percent;
use danvan_domain::plans::{
    AssignmentKind, CascadeState, ChildValue, ConfidenceLevel, DerivedProgress, DueKind, MonthDay,
    PlanProposal, ProposeOptions, ProposedTask, Role, RollupError, RollupMethod, RollupRules,
    RollupTask, TaskKind, TaskLevel, TaskStatus, UnitDerived, UnitGroup, UnitSource,
    cascade_from_tree, cascade_view, propose, propose_with, rollup_one, rollup_tree,
    unit_section_matrix,
};
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

use crate::support::seed_text;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
}

fn seed_proposal() -> PlanProposal {
    let text = seed_text();
    propose(&parse(&text), &text, None)
}

fn task<'a>(p: &'a PlanProposal, number: &str) -> &'a ProposedTask {
    p.tasks
        .iter()
        .find(|t| t.number == number)
        .unwrap_or_else(|| panic!("task {number}"))
}

fn leads(t: &ProposedTask) -> Vec<UnitGroup> {
    t.leads().map(|u| u.group).collect()
}

// -------------------------------------------------------------------------------------------
// Import of the seed plan

#[test]
fn seed_title_year_and_parts() {
    let p = seed_proposal();
    assert_eq!(p.title, "Kế hoạch công tác dân vận năm 2024");
    assert_eq!(p.trich_yeu.as_deref(), Some("Công tác dân vận năm 2024"));
    assert_eq!(p.year, Some(2024));
    assert!(p.year_reason.contains("trích yếu"));
    assert_eq!(p.symbol, None);
    assert!(p.notes.iter().any(|n| n.contains("số, ký hiệu")));
    // Part I is objectives, not tasks.
    let objectives: Vec<&str> = p.objectives.iter().map(|o| o.number.as_str()).collect();
    assert_eq!(objectives, ["I.1", "I.2"]);
    assert!(p.tasks.iter().all(|t| t.part != "I"));
}

#[test]
fn seed_part_two_numbering() {
    let p = seed_proposal();
    let part2: Vec<&ProposedTask> = p.tasks.iter().filter(|t| t.part == "II").collect();
    let sections: Vec<&str> = part2
        .iter()
        .filter(|t| t.level == TaskLevel::Section)
        .map(|t| t.number.as_str())
        .collect();
    assert_eq!(
        sections,
        ["II.1", "II.2", "II.3", "II.4", "II.5", "II.6", "II.7"]
    );
    let per_section: Vec<usize> = sections
        .iter()
        .map(|s| {
            part2
                .iter()
                .filter(|t| t.level == TaskLevel::Bullet && t.parent_number.as_deref() == Some(s))
                .count()
        })
        .collect();
    assert_eq!(per_section, [5, 6, 2, 3, 4, 5, 5]);
    assert_eq!(part2.len(), 37);
    // Document order: each section right before its bullets, bullets numbered from 1.
    let numbers: Vec<&str> = part2.iter().map(|t| t.number.as_str()).collect();
    assert_eq!(
        &numbers[..8],
        [
            "II.1", "II.1.1", "II.1.2", "II.1.3", "II.1.4", "II.1.5", "II.2", "II.2.1"
        ]
    );
    assert_eq!(numbers.last(), Some(&"II.7.5"));
    let b = task(&p, "II.1.3");
    assert_eq!(b.part, "II");
    assert_eq!(b.section.as_deref(), Some("1"));
    assert_eq!(b.parent_number.as_deref(), Some("II.1"));
    assert_eq!(task(&p, "II.1").section.as_deref(), Some("1"));
    assert!(task(&p, "II.1").parent_number.is_none());
    // Numbers are unique.
    let mut all: Vec<&str> = p.tasks.iter().map(|t| t.number.as_str()).collect();
    all.sort_unstable();
    all.dedup();
    assert_eq!(all.len(), p.tasks.len());
}

#[test]
fn seed_titles() {
    let p = seed_proposal();
    assert_eq!(
        task(&p, "II.1").title,
        "Các cấp ủy đảng tăng cường lãnh đạo, chỉ đạo công tác dân vận"
    );
    // A first sentence short enough is the title.
    assert_eq!(
        task(&p, "II.1.4").title,
        "Chỉ đạo thực hiện xây dựng và nhân rộng các mô hình, điển hình “Dân vận khéo”"
    );
    // A long first sentence is cut at a word boundary.
    let long = &task(&p, "II.1.1").title;
    assert!(long.ends_with('…'), "{long}");
    assert!(long.chars().count() <= 121);
    assert!(long.starts_with("Tiếp tục lãnh đạo, chỉ đạo quán triệt"));
    assert!(task(&p, "II.1.1").text.contains("phồn vinh, hạnh phúc"));
}

#[test]
fn seed_citations_per_task() {
    let p = seed_proposal();
    assert_eq!(
        task(&p, "II.1.1").citations,
        ["43-KL/TW", "25-NQ/TW", "593-QĐ/TU", "43-NQ/TW"]
    );
    assert_eq!(task(&p, "II.1.3").citations, ["24-CT/TU"]);
    assert!(task(&p, "II.1.2").citations.is_empty());
}

#[test]
fn seed_responsible_units() {
    let p = seed_proposal();
    assert_eq!(leads(task(&p, "II.1")), [UnitGroup::PartyCommittees]);
    assert_eq!(task(&p, "II.1").responsible[0].label, "Các cấp ủy đảng");
    assert_eq!(leads(task(&p, "II.2")), [UnitGroup::Governments]);
    assert_eq!(
        leads(task(&p, "II.5")),
        [UnitGroup::FrontAndMassOrganisations]
    );
    assert_eq!(leads(task(&p, "II.7")), [UnitGroup::MassMobilisationBoards]);

    // Bullets that name nobody inherit their section.
    let b = task(&p, "II.1.2");
    assert_eq!(leads(b), [UnitGroup::PartyCommittees]);
    assert_eq!(b.responsible[0].source, UnitSource::Inherited);
    // II.1.3 mentions "Đại hội Mặt trận Tổ quốc" only inside the cited directive.
    assert_eq!(task(&p, "II.1.3").responsible.len(), 1);
    // The issuers of a cited project are not actors.
    assert_eq!(leads(task(&p, "II.2.6")), [UnitGroup::Governments]);
    assert_eq!(task(&p, "II.2.6").responsible.len(), 1);

    let armed = task(&p, "II.2.5");
    assert!(
        armed
            .text
            .starts_with("Các đơn vị lực lượng vũ trang tăng cường phối hợp")
    );
    assert_eq!(leads(armed), [UnitGroup::ArmedForces]);
    assert_eq!(armed.responsible[0].source, UnitSource::Named);

    // "phối hợp với …" marks phối hợp.
    let coop = task(&p, "II.2.4");
    assert_eq!(leads(coop), [UnitGroup::Governments]);
    let partners: Vec<(UnitGroup, Role)> = coop
        .responsible
        .iter()
        .skip(1)
        .map(|u| (u.group, u.role))
        .collect();
    assert_eq!(
        &partners[..2],
        [
            (UnitGroup::MassMobilisationBoards, Role::PhoiHop),
            (UnitGroup::FrontAndMassOrganisations, Role::PhoiHop)
        ]
    );

    // First named leads, the rest take part.
    let list = task(&p, "II.3.1");
    let roles: Vec<(UnitGroup, Role)> =
        list.responsible.iter().map(|u| (u.group, u.role)).collect();
    assert_eq!(
        roles,
        [
            (UnitGroup::PartyCommittees, Role::ChuTri),
            (UnitGroup::Governments, Role::PhoiHop),
            (UnitGroup::FrontAndMassOrganisations, Role::PhoiHop),
            (UnitGroup::SteeringCommittees, Role::PhoiHop)
        ]
    );

    // A section that names nobody falls back on the "tổ chức thực hiện" units, flagged low.
    let none = task(&p, "II.4");
    assert!(
        none.responsible
            .iter()
            .all(|u| u.source == UnitSource::Assignment)
    );
    assert!(leads(none).contains(&UnitGroup::SubordinatePartyCommittees));
    assert_eq!(none.confidence.level, ConfidenceLevel::Low);
    assert!(none.confidence.notes.iter().any(|n| n.contains("III.1")));
}

#[test]
fn seed_due_dates() {
    let p = seed_proposal();
    let contest = task(&p, "II.1.4");
    assert!(contest.text.contains("Cuộc thi trắc nghiệm trên Internet"));
    let due = contest.due.as_ref().expect("due");
    assert_eq!((due.date, due.kind), (d(2024, 12, 31), DueKind::Default));
    assert_eq!(due.reason, "trong năm 2024");

    let xmas = task(&p, "II.4.2");
    assert!(xmas.text.contains("Lễ Giáng Sinh"));
    let due = xmas.due.as_ref().expect("due");
    assert_eq!((due.date, due.kind), (d(2024, 12, 24), DueKind::Event));
    assert!(due.reason.contains("Lễ Giáng Sinh"));

    // "báo cáo sơ kết 6 tháng, tổng kết năm": two milestones, due at the later.
    let reports = task(&p, "II.7.3");
    let ms: Vec<NaiveDate> = reports.milestones.iter().map(|m| m.date).collect();
    assert_eq!(ms, [d(2024, 6, 30), d(2024, 12, 31)]);
    assert_eq!(
        reports.due.as_ref().map(|d| d.reason.as_str()),
        Some("tổng kết năm 2024")
    );

    // A congress term is a note, not a date; a later period sets nothing.
    let congress = task(&p, "II.1.3");
    assert_eq!(
        congress.due.as_ref().map(|d| d.kind),
        Some(DueKind::Default)
    );
    assert!(congress.milestones.is_empty());
    assert!(
        congress
            .confidence
            .notes
            .iter()
            .any(|n| n.contains("nhiệm kỳ 2024 - 2029"))
    );
    let period = task(&p, "II.2.6");
    assert!(period.milestones.is_empty());
    assert!(
        period
            .confidence
            .notes
            .iter()
            .any(|n| n.contains("giai đoạn 2025 - 2030"))
    );
    // Dates inside citations are issue dates, not deadlines.
    assert!(task(&p, "II.2.1").milestones.is_empty());
    // Every task has a date with a reason.
    assert!(
        p.tasks
            .iter()
            .all(|t| t.due.as_ref().is_some_and(|d| !d.reason.is_empty()))
    );
}

#[test]
fn seed_assignments_drive_the_cascade() {
    let p = seed_proposal();
    let kinds: Vec<AssignmentKind> = p.assignments.iter().map(|a| a.kind).collect();
    assert_eq!(
        kinds,
        [AssignmentKind::BuildOwnPlan, AssignmentKind::FollowUp]
    );
    let own = task(&p, "III.1");
    assert_eq!(own.kind, TaskKind::BuildOwnPlan);
    assert_eq!(
        own.title,
        "Xây dựng kế hoạch công tác dân vận năm 2024 của cấp, ngành, cơ quan, đơn vị"
    );
    // Everyone asked to build a plan leads their own.
    assert!(own.responsible.iter().all(|u| u.role == Role::ChuTri));
    let groups: Vec<UnitGroup> = own.responsible.iter().map(|u| u.group).collect();
    assert_eq!(
        groups,
        [
            UnitGroup::PartyAdvisoryAgencies,
            UnitGroup::PartyDelegations,
            UnitGroup::SubordinatePartyCommittees,
            UnitGroup::FrontAndMassOrganisations,
            UnitGroup::AgenciesAndUnits
        ]
    );
    let follow = task(&p, "III.2");
    assert_eq!(follow.kind, TaskKind::FollowUp);
    assert_eq!(leads(follow), [UnitGroup::ProvincialMassMobilisationBoard]);
    let ms: Vec<DueKind> = follow.milestones.iter().map(|m| m.kind).collect();
    assert_eq!(ms, [DueKind::MidYear, DueKind::YearEnd]);
}

#[test]
fn seed_proposal_round_trips_through_json() {
    let p = seed_proposal();
    let json = serde_json::to_string(&p).expect("serialise");
    let back: PlanProposal = serde_json::from_str(&json).expect("deserialise");
    assert_eq!(back, p);
}

#[test]
fn given_year_overrides_the_trich_yeu() {
    let text = seed_text();
    let p = propose(&parse(&text), &text, Some(2025));
    assert_eq!(p.year, Some(2025));
    assert_eq!(
        task(&p, "II.4.2").due.as_ref().map(|d| d.date),
        Some(d(2025, 12, 24))
    );
}

// -------------------------------------------------------------------------------------------
// A hand-written plan: quarters, months, 6 tháng, cuối năm, Tết, phối hợp, NFD and Ð.

const HAND_WRITTEN: &str = "KẾ HOẠCH
Tuyên truyền, vận động Nhân dân năm 2025

Căn cứ Quyết định số 593-QĐ/TU, ngày 11/11/2021 của Ban Thường vụ Tỉnh ủy, Ban Dân vận xây dựng Kế hoạch như sau:

I. MỤC ĐÍCH, YÊU CẦU

1. Nâng cao nhận thức của cán bộ, đảng viên và Nhân dân.

II. NHIỆM VỤ TRỌNG TÂM

1. Ban Dân vận các cấp chủ trì, phối hợp với Mặt trận Tổ quốc và các tổ chức chính trị - xã hội tổ chức tuyên truyền

- Hoàn thành kế hoạch tuyên truyền trong Quý I năm 2025.
- Tổ chức hội nghị sơ kết 6 tháng đầu năm.
- Thăm hỏi, tặng quà gia đình chính sách trước Tết Nguyên đán.
- Báo cáo kết quả khảo sát trong tháng 9.
- Tổng hợp, báo cáo cuối năm.

2. Công tác phối hợp

- Các sở, ban, ngành phối hợp với UBND tỉnh hoàn thành rà soát trước ngày 15/11/2025.
- Cấp uỷ Ðảng các cấp triển khai mô hình trong Quý III/2025 và tổng kết vào tháng 10/2025.
- Thực hiện Chỉ thị số 24-CT/TU, ngày 13/7/2023 của Ban Thường vụ Tỉnh ủy.

III. TỔ CHỨC THỰC HIỆN

1. Các cấp ủy đảng, chính quyền căn cứ Kế hoạch này xây dựng kế hoạch thực hiện.

2. Giao Ban Dân vận Tỉnh ủy theo dõi, đôn đốc, báo cáo sơ kết, tổng kết.
";

fn hand_written(opts: &ProposeOptions) -> PlanProposal {
    // Decomposed marks, as some Word exports produce.
    let text: String = HAND_WRITTEN.nfd().collect();
    propose_with(&parse(&text), &text, None, opts)
}

fn due_of(p: &PlanProposal, number: &str) -> (NaiveDate, DueKind, String) {
    let due = task(p, number)
        .due
        .clone()
        .unwrap_or_else(|| panic!("due of {number}"));
    (due.date, due.kind, due.reason)
}

#[test]
fn hand_written_time_words() {
    let p = hand_written(&ProposeOptions::default());
    assert_eq!(p.year, Some(2025));
    assert_eq!(
        due_of(&p, "II.1.1"),
        (
            d(2025, 3, 31),
            DueKind::Quarter,
            "Quý I năm 2025".to_owned()
        )
    );
    assert_eq!(
        due_of(&p, "II.1.2"),
        (
            d(2025, 6, 30),
            DueKind::MidYear,
            "sơ kết 6 tháng năm 2025".to_owned()
        )
    );
    // Tết Ất Tỵ is 29/01/2025: the day before.
    let (date, kind, reason) = due_of(&p, "II.1.3");
    assert_eq!((date, kind), (d(2025, 1, 28), DueKind::Event));
    assert!(reason.contains("Ất Tỵ"), "{reason}");
    assert_eq!(
        due_of(&p, "II.1.4"),
        (
            d(2025, 9, 30),
            DueKind::Month,
            "tháng 9 năm 2025".to_owned()
        )
    );
    assert_eq!(
        due_of(&p, "II.1.5"),
        (
            d(2025, 12, 31),
            DueKind::YearEnd,
            "cuối năm 2025".to_owned()
        )
    );
    let (date, kind, reason) = due_of(&p, "II.2.1");
    assert_eq!((date, kind), (d(2025, 11, 15), DueKind::Explicit));
    assert!(reason.contains("15/11/2025"), "{reason}");
    // Quý III and tháng 10: both are milestones, the later is the due date.
    let both = task(&p, "II.2.2");
    let ms: Vec<NaiveDate> = both.milestones.iter().map(|m| m.date).collect();
    assert_eq!(ms, [d(2025, 9, 30), d(2025, 10, 31)]);
    assert_eq!(both.due.as_ref().map(|d| d.kind), Some(DueKind::Month));
    // The date of a cited directive is not a deadline.
    assert_eq!(due_of(&p, "II.2.3").1, DueKind::Default);
}

#[test]
fn hand_written_report_dates_are_options() {
    let opts = ProposeOptions {
        mid_year_report: MonthDay::new(6, 15),
        year_end_report: MonthDay::new(11, 15),
        ..ProposeOptions::default()
    };
    let p = hand_written(&opts);
    let (date, _, reason) = due_of(&p, "II.1.2");
    assert_eq!(date, d(2025, 6, 15));
    assert!(reason.contains("15/06"), "{reason}");
    assert_eq!(due_of(&p, "II.1.5").0, d(2025, 11, 15));
    // The default for tasks without time words stays the end of the year.
    assert_eq!(due_of(&p, "II.2.3").0, d(2025, 12, 31));
    assert_eq!(
        task(&p, "III.2").due.as_ref().map(|d| d.date),
        Some(d(2025, 11, 15))
    );
}

#[test]
fn hand_written_units_and_roles() {
    let p = hand_written(&ProposeOptions::default());
    let s1 = task(&p, "II.1");
    let roles: Vec<(UnitGroup, Role)> = s1.responsible.iter().map(|u| (u.group, u.role)).collect();
    assert_eq!(
        roles,
        [
            (UnitGroup::MassMobilisationBoards, Role::ChuTri),
            (UnitGroup::FrontAndMassOrganisations, Role::PhoiHop)
        ]
    );
    // Labels come back composed, whatever the input's normal form.
    assert_eq!(s1.responsible[0].label, "Ban Dân vận các cấp");
    // Bullets inherit both roles of their section.
    let b = task(&p, "II.1.1");
    assert_eq!(b.responsible.len(), 2);
    assert!(
        b.responsible
            .iter()
            .all(|u| u.source == UnitSource::Inherited)
    );

    let coop = task(&p, "II.2.1");
    let roles: Vec<(UnitGroup, Role)> =
        coop.responsible.iter().map(|u| (u.group, u.role)).collect();
    assert_eq!(
        roles,
        [
            (UnitGroup::Departments, Role::ChuTri),
            (UnitGroup::ProvincialPeoplesCommittee, Role::PhoiHop)
        ]
    );
    // Old tone placement and the eth letter still match.
    assert_eq!(leads(task(&p, "II.2.2")), [UnitGroup::PartyCommittees]);
    // Section 2 names nobody: the units of III.1 are proposed, every one leading.
    let s2 = task(&p, "II.2");
    assert_eq!(
        leads(s2),
        [UnitGroup::PartyCommittees, UnitGroup::Governments]
    );
    assert_eq!(s2.confidence.level, ConfidenceLevel::Low);
}

#[test]
fn empty_and_garbage_inputs_do_not_panic() {
    for text in [
        "",
        "\n\n",
        "KẾ HOẠCH",
        "II.\n- \n1.",
        "Quý V tháng 13 trước ngày 99/99",
    ] {
        let p = propose(&parse(text), text, None);
        assert!(p.tasks.iter().all(|t| !t.number.is_empty()));
    }
    // Without a year nothing is dated, and the reviewer is told why.
    let text = "KẾ HOẠCH\nCông tác dân vận\n\nII. NỘI DUNG\n\n1. Ban Dân vận các cấp làm báo cáo cuối năm\n";
    let p = propose(&parse(text), text, None);
    assert_eq!(p.year, None);
    let t = task(&p, "II.1");
    assert!(t.due.is_none());
    assert_eq!(t.confidence.level, ConfidenceLevel::Low);
    assert!(p.notes.iter().any(|n| n.contains("năm")));
}

// -------------------------------------------------------------------------------------------
// Roll-ups

fn t(id: i64, parent: Option<u32>, progress: u8, status: TaskStatus) -> RollupTask {
    RollupTask {
        id,
        parent,
        unit: 1,
        progress,
        status,
        weight: None,
        method: RollupMethod::Simple,
    }
}

fn weighted(mut x: RollupTask, w: Option<f64>) -> RollupTask {
    x.weight = w;
    x
}

const DANG: TaskStatus = TaskStatus::DangThucHien;

#[test]
fn simple_mean() {
    let tasks = [
        t(1, None, 0, DANG),
        t(2, Some(0), 60, DANG),
        t(3, Some(0), 100, DANG),
        t(4, Some(0), 20, DANG),
    ];
    let r = rollup_tree(&tasks, &RollupRules::default()).expect("rolls up");
    assert_eq!(r[0].progress, Some(60.0));
    assert_eq!(r[0].formula, "Bình quân: (60 + 100 + 20) / 3 = 60%");
    assert_eq!(r[1].formula, "Tiến độ báo cáo: 60%");
    assert!(
        r[0].counted
            .iter()
            .all(|c| (c.share - 1.0 / 3.0).abs() < 1e-12)
    );
}

#[test]
fn weighted_mean_with_formula() {
    let mut root = t(1, None, 0, DANG);
    root.method = RollupMethod::Weighted;
    let tasks = [
        root,
        weighted(t(2, Some(0), 60, DANG), Some(2.0)),
        weighted(t(3, Some(0), 100, DANG), Some(1.0)),
    ];
    let r = rollup_tree(&tasks, &RollupRules::default()).expect("rolls up");
    let p = r[0].progress.expect("progress");
    assert!((p - 220.0 / 3.0).abs() < 1e-9);
    assert!(
        r[0].formula
            .starts_with("Bình quân gia quyền: (2×60 + 1×100) / 3 = 73,3%"),
        "{}",
        r[0].formula
    );
    assert!(r[0].formula.contains("tỷ trọng: 2: 66,67%, 3: 33,33%"));
    assert!(r[0].warnings.is_empty());
}

#[test]
fn weights_need_not_sum_to_a_hundred() {
    let mut root = t(1, None, 0, DANG);
    root.method = RollupMethod::Weighted;
    let tasks = [
        root,
        weighted(t(2, Some(0), 40, DANG), Some(30.0)),
        weighted(t(3, Some(0), 80, DANG), Some(30.0)),
        weighted(t(4, Some(0), 100, DANG), Some(60.0)),
    ];
    let r = rollup_tree(&tasks, &RollupRules::default()).expect("rolls up");
    let shares: Vec<f64> = r[0].counted.iter().map(|c| c.share).collect();
    assert_eq!(shares, [0.25, 0.25, 0.5]);
    assert_eq!(r[0].progress, Some(80.0));
    assert!(r[0].formula.contains("/ 120 = 80%"), "{}", r[0].formula);
}

#[test]
fn missing_zero_and_negative_weights() {
    let mut root = t(1, None, 0, DANG);
    root.method = RollupMethod::Weighted;
    let tasks = [
        root,
        weighted(t(2, Some(0), 50, DANG), None),
        weighted(t(3, Some(0), 100, DANG), Some(3.0)),
        weighted(t(4, Some(0), 0, DANG), Some(0.0)),
    ];
    let r = rollup_tree(&tasks, &RollupRules::default()).expect("rolls up");
    assert_eq!(r[0].progress, Some(87.5));
    assert_eq!(r[0].counted[0].weight, 1.0);
    assert!(
        r[0].warnings
            .iter()
            .any(|w| w.contains("không có trọng số (2)"))
    );
    assert_eq!(r[0].excluded.len(), 1);
    assert_eq!(r[0].excluded[0].id, 4);
    assert!(r[0].excluded[0].reason.contains("Trọng số bằng 0"));

    let bad = [root, weighted(t(2, Some(0), 50, DANG), Some(-1.0))];
    assert_eq!(
        rollup_tree(&bad, &RollupRules::default()),
        Err(RollupError::NegativeWeight {
            id: 2,
            weight: -1.0
        })
    );
    let nan = [root, weighted(t(2, Some(0), 50, DANG), Some(f64::NAN))];
    assert_eq!(
        rollup_tree(&nan, &RollupRules::default()),
        Err(RollupError::InvalidWeight { id: 2 })
    );
}

#[test]
fn excluded_statuses_are_listed_with_reasons() {
    let tasks = [
        t(1, None, 0, DANG),
        t(2, Some(0), 50, DANG),
        t(3, Some(0), 0, TaskStatus::KhongThucHienDuoc),
    ];
    let r = rollup_tree(&tasks, &RollupRules::default()).expect("rolls up");
    assert_eq!(r[0].progress, Some(50.0));
    assert_eq!(r[0].counted.len(), 1);
    assert_eq!(r[0].excluded.len(), 1);
    assert_eq!(r[0].excluded[0].id, 3);
    assert!(r[0].excluded[0].reason.contains("Không thực hiện được"));
    // With no exclusions the same task counts as 0.
    let none = RollupRules { excluded: vec![] };
    let r = rollup_tree(&tasks, &none).expect("rolls up");
    assert_eq!(r[0].progress, Some(25.0));
}

#[test]
fn done_counts_as_full_and_reports_the_gap() {
    let tasks = [
        t(1, None, 0, DANG),
        t(2, Some(0), 80, TaskStatus::HoanThanh),
        t(3, Some(0), 40, DANG),
    ];
    let r = rollup_tree(&tasks, &RollupRules::default()).expect("rolls up");
    assert_eq!(r[0].counted[0].progress, 100.0);
    assert_eq!(r[0].progress, Some(70.0));
    assert!(
        r[0].warnings
            .iter()
            .any(|w| w.contains("Hoàn thành") && w.contains("80%"))
    );
    assert!(r[1].warnings.iter().any(|w| w.contains("80%")));
    assert_eq!(r[1].progress, Some(100.0));
}

#[test]
fn nothing_counted_is_none_not_zero() {
    let tasks = [
        t(1, None, 0, DANG),
        t(2, Some(0), 30, TaskStatus::KhongThucHienDuoc),
        t(3, None, 0, DANG),
        t(4, Some(2), 0, DANG),
        t(5, Some(3), 0, TaskStatus::KhongThucHienDuoc),
    ];
    let r = rollup_tree(&tasks, &RollupRules::default()).expect("rolls up");
    assert_eq!(r[0].progress, None);
    assert!(r[0].formula.contains("Chưa tính được"));
    // A child without progress is excluded from its parent, with the reason.
    assert_eq!(r[2].progress, None);
    assert_eq!(r[2].excluded[0].id, 4);
    assert!(r[2].excluded[0].reason.contains("Chưa có tiến độ"));
}

#[test]
fn malformed_trees_are_errors() {
    let out_of_range = [t(1, Some(7), 0, DANG)];
    assert_eq!(
        rollup_tree(&out_of_range, &RollupRules::default()),
        Err(RollupError::ParentOutOfRange { id: 1, parent: 7 })
    );
    let cycle = [
        t(1, Some(1), 0, DANG),
        t(2, Some(0), 0, DANG),
        t(3, None, 0, DANG),
    ];
    assert_eq!(
        rollup_tree(&cycle, &RollupRules::default()),
        Err(RollupError::Cycle { id: 1 })
    );
}

#[test]
fn rollup_one_matches_the_tree() {
    let root = t(1, None, 0, DANG);
    let r = rollup_one(
        &root,
        &[
            ChildValue {
                id: 2,
                status: DANG,
                weight: None,
                value: Some(30.0),
            },
            ChildValue {
                id: 3,
                status: DANG,
                weight: None,
                value: None,
            },
        ],
        &RollupRules::default(),
    );
    assert_eq!(r.progress, Some(30.0));
    assert_eq!(r.excluded.len(), 1);
}

#[test]
fn vietnamese_percent() {
    assert_eq!(percent(73.333), "73,3%");
    assert_eq!(percent(100.0), "100%");
}

// -------------------------------------------------------------------------------------------
// Cascade

#[test]
fn cascade_view_counts() {
    let dp = |progress, status| Some(DerivedProgress { progress, status });
    let v = cascade_view(&[
        UnitDerived {
            unit: 10,
            derived: None,
        },
        UnitDerived {
            unit: 11,
            derived: dp(0.0, TaskStatus::ChuaThucHien),
        },
        UnitDerived {
            unit: 12,
            derived: dp(40.0, DANG),
        },
        UnitDerived {
            unit: 13,
            derived: dp(20.0, TaskStatus::ChamTienDo),
        },
        UnitDerived {
            unit: 14,
            derived: dp(100.0, TaskStatus::HoanThanh),
        },
        UnitDerived {
            unit: 15,
            derived: dp(0.0, TaskStatus::KhongThucHienDuoc),
        },
        UnitDerived {
            unit: 16,
            derived: None,
        },
    ]);
    let c = v.counts;
    assert_eq!(
        (
            c.total,
            c.planned,
            c.not_planned,
            c.not_started,
            c.in_progress,
            c.late,
            c.done,
            c.not_feasible
        ),
        (7, 5, 2, 1, 2, 1, 1, 1)
    );
    assert_eq!(v.rows[0].state, CascadeState::NotPlanned);
    assert_eq!(
        v.rows[2].state,
        CascadeState::InProgress {
            progress: 40.0,
            late: false
        }
    );
    assert_eq!(v.rows[2].state.label_vi(), "Đang thực hiện (40%)");
    // (0 + 40 + 20 + 100) / 4: units not planned and not feasible are counted, not averaged.
    assert_eq!(v.mean_progress, Some(40.0));
    assert!(
        v.summary.starts_with("7 đơn vị: 5 đã xây dựng kế hoạch"),
        "{}",
        v.summary
    );
    assert!(v.summary.contains("2 chưa xây dựng kế hoạch"));
}

/// Province (unit 0) task with one section and one bullet; units 1–3 derive it.
fn small_cascade() -> Vec<RollupTask> {
    let mut v = vec![t(100, None, 0, DANG), t(101, Some(0), 0, DANG)];
    v[0].unit = 0;
    v[1].unit = 0;
    let derived = [
        (1, 50, DANG),
        (2, 100, TaskStatus::HoanThanh),
        (1, 30, DANG),
    ];
    for (k, (unit, p, s)) in derived.into_iter().enumerate() {
        let mut x = t(200 + k as i64, Some(1), p, s);
        x.unit = unit;
        v.push(x);
    }
    v
}

#[test]
fn cascade_from_a_rolled_up_tree() {
    let tasks = small_cascade();
    let rules = RollupRules::default();
    let r = rollup_tree(&tasks, &rules).expect("rolls up");
    let v = cascade_from_tree(&tasks, &r, 1, &[1, 2, 3], &rules);
    assert_eq!(
        v.rows[0].state,
        CascadeState::InProgress {
            progress: 40.0,
            late: false
        }
    );
    assert_eq!(v.rows[1].state, CascadeState::Done);
    assert_eq!(v.rows[2].state, CascadeState::NotPlanned);
    assert_eq!((v.counts.planned, v.counts.not_planned), (2, 1));

    let m = unit_section_matrix(&tasks, &r, &[0], &[1, 2, 3], &rules);
    let cell = |row| m.cell(row, 0).copied().unwrap_or_default();
    assert_eq!(cell(0).progress, Some(40.0));
    assert_eq!(cell(0).planned, 2);
    assert_eq!((cell(1).progress, cell(1).done), (Some(100.0), 1));
    assert_eq!((cell(2).progress, cell(2).planned), (None, 0));
    assert!(m.cell(0, 1).is_none());
}

// -------------------------------------------------------------------------------------------
// Properties

fn status_strategy() -> impl Strategy<Value = TaskStatus> {
    prop_oneof![
        Just(TaskStatus::ChuaThucHien),
        Just(TaskStatus::DangThucHien),
        Just(TaskStatus::HoanThanh),
        Just(TaskStatus::ChamTienDo),
        Just(TaskStatus::KhongThucHienDuoc),
    ]
}

proptest! {
    #[test]
    fn rollup_stays_in_range(
        nodes in prop::collection::vec(
            (any::<u8>(), status_strategy(), prop::option::of(0.0f64..1e6), any::<bool>(), any::<u32>()),
            1..60,
        )
    ) {
        // Parents always come earlier, so the tree is well formed.
        let tasks: Vec<RollupTask> = nodes
            .iter()
            .enumerate()
            .map(|(i, &(p, s, w, weighted, parent))| RollupTask {
                id: i as i64,
                parent: (i > 0 && parent % 4 != 0).then(|| parent % i as u32),
                unit: 1,
                progress: p,
                status: s,
                weight: w,
                method: if weighted { RollupMethod::Weighted } else { RollupMethod::Simple },
            })
            .collect();
        let r = rollup_tree(&tasks, &RollupRules::default()).expect("valid tree");
        for x in &r {
            if let Some(p) = x.progress {
                prop_assert!((0.0..=100.0).contains(&p), "{p}");
            }
            let total: f64 = x.counted.iter().map(|c| c.share).sum();
            prop_assert!(x.counted.is_empty() || (total - 1.0).abs() < 1e-9);
        }
    }

    #[test]
    fn equal_weights_give_the_mean(
        progress in prop::collection::vec(0u8..=100, 1..40),
        w in 0.001f64..1000.0,
    ) {
        let mut tasks = vec![RollupTask {
            id: 0,
            parent: None,
            unit: 1,
            progress: 0,
            status: DANG,
            weight: None,
            method: RollupMethod::Weighted,
        }];
        tasks.extend(progress.iter().enumerate().map(|(i, &p)| RollupTask {
            id: i as i64 + 1,
            parent: Some(0),
            unit: 1,
            progress: p,
            status: DANG,
            weight: Some(w),
            method: RollupMethod::Simple,
        }));
        let mean = progress.iter().map(|&p| f64::from(p)).sum::<f64>() / progress.len() as f64;
        let weighted = rollup_tree(&tasks, &RollupRules::default()).expect("rolls up");
        tasks[0].method = RollupMethod::Simple;
        let simple = rollup_tree(&tasks, &RollupRules::default()).expect("rolls up");
        let (a, b) = (weighted[0].progress.unwrap_or(-1.0), simple[0].progress.unwrap_or(-1.0));
        prop_assert!((a - mean).abs() < 1e-9, "{a} vs {mean}");
        prop_assert!((b - mean).abs() < 1e-9, "{b} vs {mean}");
    }
}
