//! The domain crate's single integration-test binary (one binary keeps linking cheap).

mod calendar;
mod deadlines;
mod support;
