//! The domain crate's single integration-test binary (one binary keeps linking cheap).

mod calendar;
mod citations;
mod contest;
mod deadlines;
mod document;
mod docx;
mod plans;
mod reception;
mod registry;
mod support;
mod xlsx;
