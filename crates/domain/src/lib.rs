//! The pure domain of danvan: plain functions over plain types.
//!
//! Nothing in this crate touches a database, the network, the file system or the clock;
//! callers pass `today` in. That keeps every rule here easy to test, fuzz and benchmark.

pub mod calendar;
pub mod citations;
pub mod contest;
pub mod deadlines;
pub mod document;
pub mod docx;
mod ooxml;
pub mod plans;
pub mod reception;
pub mod registry;
pub mod text;
pub mod units;
pub mod xlsx;
