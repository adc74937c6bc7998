//! Statutory deadline rules: expectations computed by hand on a wall calendar.

use chrono::NaiveDate;
use danvan_domain::calendar::{WorkCalendar, parse_holidays_file};
use danvan_domain::deadlines::{
    DayUnit, DeadlineError, DueOptions, RuleSet, compute_due, extend, list_rules,
};
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

const NORMAL: DueOptions = DueOptions {
    complex: false,
    remote: false,
};
const COMPLEX: DueOptions = DueOptions {
    complex: true,
    remote: false,
};
const REMOTE: DueOptions = DueOptions {
    complex: false,
    remote: true,
};
const BOTH: DueOptions = DueOptions {
    complex: true,
    remote: true,
};

fn due(rule: &str, from: NaiveDate, opts: DueOptions) -> NaiveDate {
    compute_due(rule, from, opts, &WorkCalendar::builtin()).unwrap()
}

#[test]
fn builtin_rules_are_complete_and_valid() {
    let ids: Vec<&str> = list_rules().iter().map(|r| r.id.as_str()).collect();
    for id in [
        "khieu-nai-thu-ly",
        "khieu-nai-lan-dau",
        "khieu-nai-lan-hai",
        "to-cao-giai-quyet",
        "to-cao-xu-ly-ban-dau",
        "to-cao-thong-bao-thu-ly",
        "tiep-cong-dan-tra-loi",
        "huong-uoc-cong-nhan",
    ] {
        assert!(ids.contains(&id), "{id}");
    }
    assert!(RuleSet::new(list_rules().to_vec()).is_ok());
    let rule = RuleSet::builtin()
        .rule_for("khieu-nai-thu-ly", d(2025, 1, 1))
        .unwrap()
        .clone();
    assert_eq!(
        rule.legal_basis,
        "Luật Khiếu nại 2011 (02/2011/QH13), Điều 27"
    );
    assert_eq!(rule.unit, DayUnit::CalendarDays);
}

#[test]
fn builtin_rules_round_trip_through_json() {
    let json = RuleSet::builtin().to_json();
    assert_eq!(RuleSet::from_json(&json).unwrap(), RuleSet::builtin());
    assert!(json.contains("\"unit\": \"working_days\""));
}

#[test]
fn citizen_reception_reply_skips_weekend_and_tet_2025() {
    // Friday 24/1/2025. Off: 25–26/1 weekend, 28/1–1/2 Tết, 2/2 Sunday, 3/2 nghỉ bù.
    // Working days: 27/1 (1), 4–7/2 (2–5), 10–14/2 (6–10).
    assert_eq!(
        due("tiep-cong-dan-tra-loi", d(2025, 1, 24), NORMAL),
        d(2025, 2, 14)
    );
}

#[test]
fn holidays_file_replaces_builtin_holidays() {
    // The file lists Tết without the built-in nghỉ bù on 3/2, so 3/2 counts: one day earlier.
    let file = "# Tết Ất Tỵ\n2025-01-28\n2025-01-29 # mùng 1\n2025-01-30\n2025-01-31\n";
    let cal = WorkCalendar::with_holiday_list(parse_holidays_file(file).unwrap());
    let rules = RuleSet::builtin();
    let from = d(2025, 1, 24);
    assert_eq!(
        rules
            .compute_due("tiep-cong-dan-tra-loi", from, NORMAL, &cal)
            .unwrap(),
        d(2025, 2, 13)
    );
    // With no holidays at all only weekends are skipped.
    let bare = WorkCalendar::with_holiday_list(parse_holidays_file("").unwrap());
    assert_eq!(
        rules
            .compute_due("tiep-cong-dan-tra-loi", from, NORMAL, &bare)
            .unwrap(),
        d(2025, 2, 7)
    );
}

#[test]
fn complaint_acceptance_ending_on_sunday_rolls_to_monday() {
    // 6/3/2025 + 10 days = Sunday 16/3.
    assert_eq!(
        due("khieu-nai-thu-ly", d(2025, 3, 6), NORMAL),
        d(2025, 3, 17)
    );
    // On a working day nothing moves: 5/3 + 10 = Saturday 15/3 → Monday 17/3; 3/3 + 10 = 13/3.
    assert_eq!(
        due("khieu-nai-thu-ly", d(2025, 3, 3), NORMAL),
        d(2025, 3, 13)
    );
}

#[test]
fn first_complaint_variants() {
    let from = d(2025, 3, 3);
    assert_eq!(due("khieu-nai-lan-dau", from, NORMAL), d(2025, 4, 2));
    assert_eq!(due("khieu-nai-lan-dau", from, COMPLEX), d(2025, 4, 17));
    assert_eq!(due("khieu-nai-lan-dau", from, REMOTE), d(2025, 4, 17));
    assert_eq!(due("khieu-nai-lan-dau", from, BOTH), d(2025, 5, 2));
    // 31/3 + 30 = 30/4, a holiday, then 1/5, so Friday 2/5.
    assert_eq!(
        due("khieu-nai-lan-dau", d(2025, 3, 31), NORMAL),
        d(2025, 5, 2)
    );
}

#[test]
fn second_complaint_variants() {
    let from = d(2025, 3, 3);
    assert_eq!(due("khieu-nai-lan-hai", from, NORMAL), d(2025, 4, 17));
    assert_eq!(due("khieu-nai-lan-hai", from, COMPLEX), d(2025, 5, 2));
    assert_eq!(due("khieu-nai-lan-hai", from, REMOTE), d(2025, 5, 2));
    assert_eq!(due("khieu-nai-lan-hai", from, BOTH), d(2025, 5, 12));
}

#[test]
fn denunciation_resolution_and_its_extensions() {
    let cal = WorkCalendar::builtin();
    let rules = RuleSet::builtin();
    let from = d(2025, 6, 2);
    let id = "to-cao-giai-quyet";
    assert_eq!(due(id, from, NORMAL), d(2025, 7, 2));
    // Complexity is handled by extensions, not a longer base period.
    assert_eq!(due(id, from, COMPLEX), d(2025, 7, 2));
    let ext = |n| rules.compute_due_extended(id, from, NORMAL, n, &cal);
    assert_eq!(ext(0).unwrap(), d(2025, 7, 2));
    assert_eq!(ext(1).unwrap(), d(2025, 8, 1));
    // 90 days end on Sunday 31/8; 1/9 and 2/9 are Quốc khánh.
    assert_eq!(ext(2).unwrap(), d(2025, 9, 3));
    assert!(matches!(
        ext(3),
        Err(DeadlineError::TooManyExtensions { max: 2, .. })
    ));

    let rule = rules.rule_for(id, from).unwrap();
    assert_eq!(
        extend(d(2025, 7, 2), 30, rule, &cal).unwrap(),
        d(2025, 8, 1)
    );
    assert_eq!(
        extend(d(2025, 7, 2), 10, rule, &cal).unwrap(),
        d(2025, 7, 14)
    );
    assert!(matches!(
        extend(d(2025, 7, 2), 31, rule, &cal),
        Err(DeadlineError::ExtensionTooLong { max: 30, .. })
    ));
    let fixed = rules.rule_for("khieu-nai-thu-ly", from).unwrap();
    assert!(matches!(
        extend(d(2025, 7, 2), 5, fixed, &cal),
        Err(DeadlineError::NotExtendable { .. })
    ));
}

#[test]
fn working_day_rules() {
    let cal = WorkCalendar::builtin();
    // Friday 25/4/2025: 28, 29/4, (30/4, 1/5 off) 2, 5, 6, 7, 8/5.
    assert_eq!(
        due("to-cao-xu-ly-ban-dau", d(2025, 4, 25), NORMAL),
        d(2025, 5, 8)
    );
    let rules = RuleSet::builtin();
    let rule = rules
        .rule_for("to-cao-xu-ly-ban-dau", d(2025, 4, 25))
        .unwrap();
    // Extended to 10 working days in all.
    assert_eq!(
        extend(d(2025, 5, 8), 3, rule, &cal).unwrap(),
        d(2025, 5, 13)
    );
    assert_eq!(
        rules
            .compute_due_extended("to-cao-xu-ly-ban-dau", d(2025, 4, 25), NORMAL, 1, &cal)
            .unwrap(),
        d(2025, 5, 13)
    );
    // Thursday 28/8/2025: 29/8, (1–2/9 off) 3, 4, 5, 8/9.
    assert_eq!(
        due("to-cao-thong-bao-thu-ly", d(2025, 8, 28), NORMAL),
        d(2025, 9, 8)
    );
    // Thursday 12/2/2026: 13/2, (16–20/2 Tết Bính Ngọ) 23, 24, 25, 26/2.
    assert_eq!(
        due("huong-uoc-cong-nhan", d(2026, 2, 12), NORMAL),
        d(2026, 2, 26)
    );
}

#[test]
fn unknown_rule_and_dates_before_the_law() {
    let cal = WorkCalendar::builtin();
    let err = compute_due("khieu-nai-lan-ba", d(2025, 1, 1), NORMAL, &cal).unwrap_err();
    assert!(matches!(err, DeadlineError::UnknownRule { .. }));
    assert!(err.to_string().contains("khieu-nai-lan-ba"));
    // Luật Khiếu nại 2011 took effect on 01/7/2012.
    assert!(matches!(
        compute_due("khieu-nai-thu-ly", d(2012, 6, 30), NORMAL, &cal),
        Err(DeadlineError::NoVersionInForce { .. })
    ));
    assert!(matches!(
        compute_due("tiep-cong-dan-tra-loi", NaiveDate::MAX, NORMAL, &cal),
        Err(DeadlineError::OutOfRange)
    ));
}

const VERSIONED: &str = r#"{
  "rules": [
    {
      "id": "khieu-nai-thu-ly",
      "name": "Thụ lý giải quyết khiếu nại",
      "legal_basis": "Luật Khiếu nại 2011, Điều 27",
      "valid_to": "2026-06-30",
      "unit": "calendar_days",
      "days": 10
    },
    {
      "id": "khieu-nai-thu-ly",
      "name": "Thụ lý giải quyết khiếu nại",
      "legal_basis": "Luật Khiếu nại sửa đổi (giả định cho kiểm thử)",
      "valid_from": "2026-07-01",
      "unit": "calendar_days",
      "days": 15
    }
  ]
}"#;

#[test]
fn the_rule_version_is_chosen_by_the_from_date() {
    let rules = RuleSet::from_json(VERSIONED).unwrap();
    let cal = WorkCalendar::builtin();
    let id = "khieu-nai-thu-ly";
    // Tuesday 30/6/2026 + 10 = Friday 10/7; Wednesday 1/7/2026 + 15 = Thursday 16/7.
    assert_eq!(
        rules.compute_due(id, d(2026, 6, 30), NORMAL, &cal).unwrap(),
        d(2026, 7, 10)
    );
    assert_eq!(
        rules.compute_due(id, d(2026, 7, 1), NORMAL, &cal).unwrap(),
        d(2026, 7, 16)
    );
    assert_eq!(rules.rule_for(id, d(2027, 1, 1)).unwrap().days, 15);
}

#[test]
fn bad_rule_files_are_rejected() {
    // Two versions in force on the same day.
    let overlapping = VERSIONED.replace("2026-06-30", "2026-07-01");
    assert!(matches!(
        RuleSet::from_json(&overlapping),
        Err(DeadlineError::InvalidRules(_))
    ));
    let open_ended = VERSIONED.replace("\"valid_to\": \"2026-06-30\",", "");
    assert!(matches!(
        RuleSet::from_json(&open_ended),
        Err(DeadlineError::InvalidRules(_))
    ));
    // A misspelt field is an error, not a silently ignored setting.
    let typo = VERSIONED.replace("\"days\": 15", "\"days\": 15, \"complx_days\": 20");
    assert!(matches!(
        RuleSet::from_json(&typo),
        Err(DeadlineError::Json(_))
    ));
    let bad_unit = VERSIONED.replace("calendar_days", "ngay");
    assert!(RuleSet::from_json(&bad_unit).is_err());
    assert!(RuleSet::from_json("not json").is_err());
    // A bare array is accepted too.
    let bare = r#"[{"id":"x","name":"X","legal_basis":"-","unit":"working_days","days":3}]"#;
    assert_eq!(RuleSet::from_json(bare).unwrap().rules().len(), 1);
}

proptest! {
    #[test]
    fn every_builtin_rule_gives_a_working_day_after_from(
        days in 15_000i32..=40_000, index in 0usize..8, complex in any::<bool>(), remote in any::<bool>(),
    ) {
        // About 2014–2079.
        let from = d(1970, 1, 1) + chrono::Days::new(days as u64);
        let ids: Vec<&str> = list_rules().iter().map(|r| r.id.as_str()).collect();
        let id = ids[index % ids.len()];
        let cal = WorkCalendar::builtin();
        match compute_due(id, from, DueOptions { complex, remote }, &cal) {
            Ok(due) => {
                prop_assert!(due > from);
                prop_assert!(cal.is_working_day(due));
            }
            Err(DeadlineError::NoVersionInForce { .. }) => {}
            Err(other) => prop_assert!(false, "{other}"),
        }
    }
}
