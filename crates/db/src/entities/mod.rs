//! SeaORM entities, one module per table. Relations are resolved in the feature modules with
//! explicit queries, so the entities stay plain rows.

pub mod api_keys;
pub mod audit_log;
pub mod citations;
pub mod commitments;
pub mod contest_attempts;
pub mod contest_exclusions;
pub mod contest_questions;
pub mod contest_results;
pub mod contest_rounds;
pub mod contestants;
pub mod contests;
pub mod dialogues;
pub mod documents;
pub mod mail_outbox;
pub mod notifications;
pub mod official_calendars;
pub mod plan_recipients;
pub mod plan_tasks;
pub mod plans;
pub mod rate_limits;
pub mod reception_sessions;
pub mod registry_entries;
pub mod registry_relations;
pub mod reviews;
pub mod role_assignments;
pub mod sessions;
pub mod task_events;
pub mod unit_contacts;
pub mod unit_event_links;
pub mod unit_events;
pub mod units;
pub mod users;
pub mod voice_attachments;
pub mod voice_case_steps;
pub mod voice_cases;
