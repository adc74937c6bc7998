//! Lunar calendar, working-day calendar and holidays file.

use chrono::{Datelike, NaiveDate, Weekday};
use danvan_domain::calendar::lunar::SUPPORTED_YEARS;
use danvan_domain::calendar::{
    Compensation, LunarDate, NationalDayExtra, WorkCalendar, from_lunar, parse_holidays_file,
    to_lunar,
};
use proptest::prelude::*;

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn lunar(day: u8, month: u8, year: i32, leap: bool) -> LunarDate {
    LunarDate {
        day,
        month,
        year,
        leap,
    }
}

/// Tết Nguyên đán as observed in Việt Nam.
const TET: &[(i32, u32, u32)] = &[
    (1968, 1, 29), // Mậu Thân: the North had just moved to UTC+7; China's was 30/1.
    (1985, 1, 21), // China: 20/2/1985.
    (2000, 2, 5),
    (2001, 1, 24),
    (2002, 2, 12),
    (2003, 2, 1),
    (2004, 1, 22),
    (2005, 2, 9),
    (2006, 1, 29),
    (2007, 2, 17), // China: 18/2/2007.
    (2008, 2, 7),
    (2009, 1, 26),
    (2010, 2, 14),
    (2011, 2, 3),
    (2012, 1, 23),
    (2013, 2, 10),
    (2014, 1, 31),
    (2015, 2, 19),
    (2016, 2, 8),
    (2017, 1, 28),
    (2018, 2, 16),
    (2019, 2, 5),
    (2020, 1, 25),
    (2021, 2, 12),
    (2022, 2, 1),
    (2023, 1, 22),
    (2024, 2, 10),
    (2025, 1, 29),
    (2026, 2, 17),
];

#[test]
fn tet_dates_match_the_vietnamese_calendar() {
    for &(y, m, day) in TET {
        let tet = d(y, m, day);
        assert_eq!(to_lunar(tet), lunar(1, 1, y, false), "Tết {y}");
        assert_eq!(from_lunar(1, 1, y, false), Some(tet), "Tết {y}");
        let eve = to_lunar(tet.pred_opt().unwrap());
        assert_eq!(
            (eve.month, eve.year, eve.leap),
            (12, y - 1, false),
            "giao thừa {y}"
        );
        assert!(eve.day == 29 || eve.day == 30, "giao thừa {y}");
    }
}

#[test]
fn every_tet_in_range_falls_between_21_january_and_20_february() {
    let mut leap_years = 0;
    for year in SUPPORTED_YEARS {
        let tet = from_lunar(1, 1, year, false).unwrap();
        assert!(
            d(year, 1, 21) <= tet && tet <= d(year, 2, 20),
            "Tết {year}: {tet}"
        );
        let next = from_lunar(1, 1, year + 1, false).unwrap();
        let length = (next - tet).num_days();
        assert!(
            matches!(length, 353..=355 | 383..=385),
            "{year}: {length} days"
        );
        if length > 370 {
            leap_years += 1;
        }
    }
    // Seven leap years in every nineteen (the Metonic cycle): 300 years give about 110.
    assert!((108..=113).contains(&leap_years), "{leap_years}");
}

#[test]
fn leap_months() {
    // 2023: tháng 2 nhuận; 2020: tháng 4 nhuận; 2025: tháng 6 nhuận; 2033: tháng 11 nhuận.
    for (start, month, year) in [
        (d(2023, 3, 22), 2, 2023),
        (d(2020, 5, 23), 4, 2020),
        (d(2025, 7, 25), 6, 2025),
        (d(2033, 12, 22), 11, 2033),
    ] {
        assert_eq!(to_lunar(start), lunar(1, month, year, true));
        assert_eq!(from_lunar(1, month, year, true), Some(start));
        let before = to_lunar(start.pred_opt().unwrap());
        assert_eq!((before.month, before.leap), (month, false));
        assert!(from_lunar(1, month, year, false).unwrap() < start);
    }
    // A leap flag on a month that is not the leap month, or in a year without one.
    assert_eq!(from_lunar(1, 3, 2023, true), None);
    assert_eq!(from_lunar(1, 2, 2024, true), None);
}

#[test]
fn gio_to_hung_vuong() {
    for (date, year) in [
        (d(2021, 4, 21), 2021),
        (d(2022, 4, 10), 2022),
        (d(2023, 4, 29), 2023),
        (d(2024, 4, 18), 2024),
        (d(2025, 4, 7), 2025),
        (d(2026, 4, 26), 2026),
    ] {
        assert_eq!(from_lunar(10, 3, year, false), Some(date));
        assert_eq!(to_lunar(date), lunar(10, 3, year, false));
    }
}

#[test]
fn lunar_year_ends_before_tet_in_january() {
    // 30 tháng Chạp of the year that began on Tết 2023.
    assert_eq!(to_lunar(d(2024, 2, 9)), lunar(30, 12, 2023, false));
    // 2024's last month had 29 days, so there is no 30/12/2024.
    assert_eq!(to_lunar(d(2025, 1, 28)), lunar(29, 12, 2024, false));
    assert_eq!(from_lunar(30, 12, 2024, false), None);
}

#[test]
fn lunar_input_out_of_shape_is_none() {
    assert_eq!(from_lunar(0, 1, 2025, false), None);
    assert_eq!(from_lunar(31, 1, 2025, false), None);
    assert_eq!(from_lunar(1, 0, 2025, false), None);
    assert_eq!(from_lunar(1, 13, 2025, false), None);
}

#[test]
fn lunar_date_serialises_for_the_cli() {
    let json = serde_json::to_string(&to_lunar(d(2025, 1, 29))).unwrap();
    assert_eq!(json, r#"{"day":1,"month":1,"year":2025,"leap":false}"#);
}

fn supported_date() -> impl Strategy<Value = NaiveDate> {
    let first = d(*SUPPORTED_YEARS.start(), 1, 1).num_days_from_ce();
    let last = d(*SUPPORTED_YEARS.end(), 12, 31).num_days_from_ce();
    (first..=last).prop_map(|n| NaiveDate::from_num_days_from_ce_opt(n).unwrap())
}

proptest! {
    #[test]
    fn gregorian_lunar_round_trip(date in supported_date()) {
        let l = to_lunar(date);
        prop_assert!((1..=30).contains(&l.day) && (1..=12).contains(&l.month));
        prop_assert_eq!(from_lunar(l.day, l.month, l.year, l.leap), Some(date));
        // Days advance one by one within a month.
        let next = to_lunar(date.succ_opt().unwrap());
        prop_assert!(next.day == l.day + 1 || next.day == 1);
    }

    #[test]
    fn lunar_input_never_panics_and_round_trips(
        day in any::<u8>(), month in any::<u8>(), year in 1890i32..2210, leap in any::<bool>(),
    ) {
        if let Some(date) = from_lunar(day, month, year, leap) {
            prop_assert_eq!(to_lunar(date), lunar(day, month, year, leap));
        }
    }

    #[test]
    fn any_input_never_panics(
        days in NaiveDate::MIN.num_days_from_ce()..=NaiveDate::MAX.num_days_from_ce(),
        day in any::<u8>(),
        month in any::<u8>(),
        year in any::<i32>(),
        leap in any::<bool>(),
    ) {
        if let Some(date) = NaiveDate::from_num_days_from_ce_opt(days) {
            let _ = to_lunar(date);
            let _ = WorkCalendar::builtin().is_working_day(date);
        }
        let _ = from_lunar(day, month, year, leap);
    }

    #[test]
    fn add_working_days_counts_exactly(date in supported_date(), n in 0u32..40) {
        let cal = WorkCalendar::builtin();
        let due = cal.add_working_days(date, n).unwrap();
        let mut counted = 0;
        let mut day = date;
        while day < due {
            day = day.succ_opt().unwrap();
            if cal.is_working_day(day) {
                counted += 1;
            }
        }
        prop_assert_eq!(counted, n);
        prop_assert!(n == 0 || cal.is_working_day(due));
    }
}

fn names(cal: &WorkCalendar, year: i32) -> Vec<(NaiveDate, String)> {
    cal.holidays_in(year)
}

#[test]
fn builtin_holidays_2025() {
    let cal = WorkCalendar::builtin();
    let dates: Vec<NaiveDate> = names(&cal, 2025).into_iter().map(|(d, _)| d).collect();
    assert_eq!(
        dates,
        vec![
            d(2025, 1, 1),
            d(2025, 1, 28),
            d(2025, 1, 29),
            d(2025, 1, 30),
            d(2025, 1, 31),
            d(2025, 2, 1), // mùng 4 on a Saturday…
            d(2025, 2, 3), // …given back on Monday.
            d(2025, 4, 7),
            d(2025, 4, 30),
            d(2025, 5, 1),
            d(2025, 9, 1),
            d(2025, 9, 2),
        ]
    );
    let all = names(&cal, 2025);
    assert_eq!(all[7].1, "Giỗ Tổ Hùng Vương (10/3 âm lịch)");
    assert!(all[6].1.starts_with("Nghỉ bù Tết Âm lịch"));
    assert!(!cal.is_working_day(d(2025, 2, 3)));
    assert!(cal.is_working_day(d(2025, 1, 27)));
}

#[test]
fn weekend_holidays_are_given_back_after_the_whole_break() {
    let cal = WorkCalendar::builtin();
    // Tết 2024 fell on a Saturday: 9/2–13/2 off, Saturday and Sunday given back on 14/2 and 15/2.
    for day in 9..=15 {
        assert!(!cal.is_working_day(d(2024, 2, day)), "{day}/2/2024");
    }
    assert!(cal.is_working_day(d(2024, 2, 16)));
    // 1/1/2022 was a Saturday: nghỉ bù on Monday 3/1.
    assert!(!cal.is_working_day(d(2022, 1, 3)));
    // Giỗ Tổ 2026 is a Sunday: nghỉ bù on Monday 27/4.
    assert!(!cal.is_working_day(d(2026, 4, 27)));
    assert!(cal.is_working_day(d(2026, 4, 28)));

    let no_compensation = WorkCalendar::builtin().with_compensation(Compensation::None);
    assert!(no_compensation.is_working_day(d(2022, 1, 3)));
}

#[test]
fn national_day_pairing_is_a_setting() {
    let before = WorkCalendar::builtin();
    let after = WorkCalendar::builtin().with_national_day_extra(NationalDayExtra::After);
    // 2025: 2/9 is a Tuesday.
    assert!(!before.is_working_day(d(2025, 9, 1)));
    assert!(before.is_working_day(d(2025, 9, 3)));
    assert!(after.is_working_day(d(2025, 9, 1)));
    assert!(!after.is_working_day(d(2025, 9, 3)));
    // 2023: 2/9 a Saturday, 1/9 Friday: given back on Monday 4/9.
    assert!(!before.is_working_day(d(2023, 9, 4)));
}

#[test]
fn official_schedule_takes_precedence_for_its_year() {
    // Tết Ất Tỵ 2025 as announced: Monday 27/1 to Friday 31/1 off, Monday 3/2 worked.
    let off: Vec<NaiveDate> = [d(2025, 1, 1)]
        .into_iter()
        .chain((27..=31).map(|day| d(2025, 1, day)))
        .chain([d(2025, 4, 7), d(2025, 4, 30), d(2025, 5, 1), d(2025, 5, 2)])
        .chain([d(2025, 9, 1), d(2025, 9, 2)])
        .collect();
    let cal = WorkCalendar::builtin().with_official_schedule(2025, off, vec![d(2025, 4, 26)]);
    assert!(!cal.is_working_day(d(2025, 1, 27)));
    assert!(cal.is_working_day(d(2025, 2, 3)));
    assert!(!cal.is_working_day(d(2025, 5, 2)));
    assert!(
        cal.is_working_day(d(2025, 4, 26)),
        "a Saturday swapped into a working day"
    );
    assert!(!cal.is_working_day(d(2025, 4, 27)), "Sunday stays off");
    // Names come from the built-in rules where they match.
    let hol = cal.holidays_in(2025);
    assert_eq!(hol.len(), 12);
    assert_eq!(hol[0].1, "Tết Dương lịch");
    assert_eq!(
        hol[1],
        (d(2025, 1, 27), "Nghỉ theo lịch chính thức".to_owned())
    );
    // Other years keep the built-in rules.
    assert!(!cal.is_working_day(d(2026, 2, 16)));
}

#[test]
fn holiday_list_replaces_builtin_rules() {
    let cal = WorkCalendar::with_holiday_list(vec![d(2025, 3, 5)]);
    assert!(!cal.is_working_day(d(2025, 3, 5)));
    assert!(
        cal.is_working_day(d(2025, 1, 1)),
        "built-in Tết Dương lịch no longer applies"
    );
    assert!(!cal.is_working_day(d(2025, 3, 8)), "weekends stay off");
    assert_eq!(cal.holidays_in(2025).len(), 1);
    assert!(cal.holidays_in(2024).is_empty());
}

#[test]
fn add_working_days_over_tet_2025() {
    let cal = WorkCalendar::builtin();
    let friday = d(2025, 1, 24);
    assert_eq!(friday.weekday(), Weekday::Fri);
    assert_eq!(cal.add_working_days(friday, 0), Some(friday));
    assert_eq!(cal.add_working_days(friday, 1), Some(d(2025, 1, 27)));
    assert_eq!(cal.add_working_days(friday, 2), Some(d(2025, 2, 4)));
    assert_eq!(cal.add_working_days(friday, 10), Some(d(2025, 2, 14)));
    assert_eq!(cal.add_working_days(NaiveDate::MAX, 1), None);
    assert_eq!(
        cal.next_working_day_on_or_after(d(2025, 1, 28)),
        Some(d(2025, 2, 4))
    );
    // Across a year boundary.
    assert_eq!(
        cal.add_working_days(d(2025, 12, 31), 1),
        Some(d(2026, 1, 2))
    );
}

#[test]
fn holidays_file_parses_comments_and_blank_lines() {
    let text = "\u{feff}# Lịch nghỉ 2025\n\n2025-01-27\n2025-01-28   # 29 Tết\r\n  2025-01-27\n#2025-01-29\n2025-09-01\n";
    assert_eq!(
        parse_holidays_file(text).unwrap(),
        vec![d(2025, 1, 27), d(2025, 1, 28), d(2025, 9, 1)]
    );
    assert_eq!(parse_holidays_file("").unwrap(), vec![]);
}

#[test]
fn holidays_file_reports_the_bad_line_in_vietnamese() {
    for (text, line, bad) in [
        ("2025-01-01\n\n2025-02-30\n", 3, "2025-02-30"),
        ("2025-1-1\n", 1, "2025-1-1"),
        ("# ok\n01/05/2025 # Quốc tế Lao động\n", 2, "01/05/2025"),
        ("2025-01-01 2025-01-02\n", 1, "2025-01-01 2025-01-02"),
    ] {
        let err = parse_holidays_file(text).unwrap_err();
        assert_eq!(err.line, line, "{text:?}");
        assert_eq!(err.text, bad);
        let message = err.to_string();
        assert!(message.contains(&format!("dòng {line}")), "{message}");
        assert!(message.contains("không phải ngày hợp lệ"), "{message}");
    }
}

proptest! {
    #[test]
    fn holidays_file_parser_never_panics(text in "\\PC*") {
        let _ = parse_holidays_file(&text);
    }
}
