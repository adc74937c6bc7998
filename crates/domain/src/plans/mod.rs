//! Plans (kế hoạch): turning a plan document into proposed tasks, and explainable progress
//! roll-ups over the tasks of a plan and of the plans derived from it by lower units.
//!
//! Pure functions over serde types: storage, screens and exports build on them. No clock:
//! the plan year and report dates are passed in.
//!
//! # Task numbering
//!
//! A task's number is built from the document's own labels, so a reader finds it in the text:
//! - a section: part numeral, ".", the section label as written: `II.1`, `II.1.2` (section
//!   "1.2" of part II); without parts, the label alone (`1`, `1.2`);
//! - an item of a section (a "- " bullet, a "+ " line at that level, an unmarked paragraph or
//!   a table), counted from 1 in document order: `II.1.3` is the third item of II.1;
//! - a lettered point keeps its letter: `II.1.a`; bullets inside it count on: `II.1.a.2`;
//! - items that sit beside numbered sub-sections take a dash, so they cannot collide with the
//!   sub-sections' numbers: `II.1.-2` is the second bullet of II.1 when II.1 also has 1.1, 1.2;
//!   the same goes for items directly in a part next to its sections (`II.-1`), while items
//!   of a part that has no sections are `II.1`, `II.2`…;
//! - tasks derived from "tổ chức thực hiện" keep that item's number: `III.1`, `III.2`.
//!
//! Numbers are unique within one proposal and stable as long as the document is.

mod actors;
mod cascade;
mod due;
mod folded;
pub mod format;
pub mod import;
pub mod rollup;

pub use actors::{ProposedUnit, Role, UnitGroup, UnitSource};
pub use cascade::{
    CascadeCounts, CascadeRow, CascadeState, CascadeView, DerivedProgress, UnitDerived,
    cascade_from_tree, cascade_view,
};
pub use due::{DueKind, MonthDay, ProposeOptions, ProposedDue};
pub use import::{
    Assignment, AssignmentKind, Confidence, ConfidenceLevel, PlanItem, PlanProposal, ProposedTask,
    Span, TaskKind, TaskLevel, propose, propose_with,
};
pub use rollup::{
    ChildValue, CountedItem, ExcludedItem, MatrixCell, Rollup, RollupError, RollupMethod,
    RollupRules, RollupTask, TaskStatus, UnitSectionMatrix, rollup_one, rollup_tree,
    unit_section_matrix,
};
