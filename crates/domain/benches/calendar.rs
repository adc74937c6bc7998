//! How fast the lunar conversion and working-day counting are: deadline lists compute many
//! due dates per page, each needing a year's lunar holidays.

use chrono::NaiveDate;
use danvan_domain::calendar::{WorkCalendar, from_lunar, to_lunar};
use danvan_domain::deadlines::{DueOptions, compute_due};

fn main() {
    divan::main();
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

#[divan::bench]
fn gregorian_to_lunar() -> danvan_domain::calendar::LunarDate {
    to_lunar(divan::black_box(date(2025, 7, 25)))
}

#[divan::bench]
fn lunar_to_gregorian() -> Option<NaiveDate> {
    from_lunar(divan::black_box(10), 3, 2025, false)
}

#[divan::bench]
fn ten_working_days_over_tet() -> Option<NaiveDate> {
    let cal = WorkCalendar::builtin();
    cal.add_working_days(divan::black_box(date(2025, 1, 24)), 10)
}

#[divan::bench]
fn denunciation_deadline() -> Option<NaiveDate> {
    let cal = WorkCalendar::builtin();
    compute_due(
        "to-cao-giai-quyet",
        divan::black_box(date(2025, 6, 2)),
        DueOptions::default(),
        &cal,
    )
    .ok()
}
