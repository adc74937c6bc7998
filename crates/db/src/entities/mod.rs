//! SeaORM entities, one module per table. Relations are resolved in the feature modules with
//! explicit queries, so the entities stay plain rows.

pub mod audit_log;
pub mod citations;
pub mod contest_attempts;
pub mod contest_exclusions;
pub mod contest_questions;
pub mod contest_results;
pub mod contest_rounds;
pub mod contestants;
pub mod contests;
pub mod documents;
pub mod rate_limits;
pub mod registry_entries;
pub mod registry_relations;
pub mod reviews;
pub mod role_assignments;
pub mod sessions;
pub mod unit_contacts;
pub mod unit_event_links;
pub mod unit_events;
pub mod units;
pub mod users;
