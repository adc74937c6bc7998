//! Web tests: the real server on a free port, driven over HTTP and in headless Chromium, on
//! SQLite and PostgreSQL.

mod admin;
mod auth;
mod browser;
mod contest;
mod contest_organiser;
mod documents;
mod plans;
mod scope;
mod support;
mod units;
mod voice;
