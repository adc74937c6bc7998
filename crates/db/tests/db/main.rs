//! Storage tests: every test body runs on SQLite and on PostgreSQL.

mod accounts;
mod audit;
mod backup;
mod contacts;
mod contest;
mod contest_organiser;
mod plans;
mod reception;
mod sessions;
mod units;
mod voice;

use chrono::NaiveDate;

pub fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("valid test date")
}
