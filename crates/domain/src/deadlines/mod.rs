//! Thời hạn: statutory deadlines as versioned data.
//!
//! Every deadline is a [`DeadlineRule`]: plain data with an id, a legal basis and a period of
//! validity, so that when a law changes (Luật 136/2025/QH15 amends the complaint, denunciation
//! and citizen-reception laws from 01/7/2026) the new figures become a new version of the rule
//! in a JSON file, with no code change. [`RuleSet::builtin`] is the default set.
//!
//! Counting follows the usual reading of Bộ luật Dân sự 2015 (Điều 147–148): the period starts
//! the day after the triggering event; a period in calendar days whose last day is a day off
//! ends on the next working day; a period in working days skips days off as it goes.

mod builtin;

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::calendar::WorkCalendar;

/// How a rule's days are counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayUnit {
    /// Ngày (lịch): every day counts; if the last day is a day off, the deadline moves to the
    /// next working day.
    CalendarDays,
    /// Ngày làm việc: only working days count.
    WorkingDays,
}

/// Gia hạn: how far a deadline may be extended, each extension decided in writing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtensionPolicy {
    /// The most days one extension may add, in the rule's unit.
    pub days: u32,
    /// The most extensions allowed.
    pub max_count: u8,
    /// When each extension applies, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One version of a statutory deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeadlineRule {
    /// Stable identifier shared by all versions, e.g. `khieu-nai-lan-dau`.
    pub id: String,
    /// Vietnamese name for people.
    pub name: String,
    /// The legal text the figures come from, e.g. "Luật Khiếu nại 2011, Điều 27".
    pub legal_basis: String,
    /// First triggering date this version applies to; open-ended when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_from: Option<NaiveDate>,
    /// Last triggering date this version applies to (inclusive); open-ended when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub valid_to: Option<NaiveDate>,
    /// How the days are counted.
    pub unit: DayUnit,
    /// The normal length.
    pub days: u32,
    /// Length for a complex case (vụ việc phức tạp), if different.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complex_days: Option<u32>,
    /// Length in remote, hard-to-reach areas (vùng sâu, vùng xa), if different.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remote_days: Option<u32>,
    /// Length for a complex case in a remote area, if different.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub complex_remote_days: Option<u32>,
    /// Extensions allowed, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extension: Option<ExtensionPolicy>,
    /// Caveats, e.g. figures still to be checked against the consolidated text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Facts of a case that change a deadline's length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DueOptions {
    /// Vụ việc phức tạp.
    pub complex: bool,
    /// Vùng sâu, vùng xa, đi lại khó khăn.
    pub remote: bool,
}

/// Why a deadline cannot be computed. Messages are Vietnamese because they reach people.
#[derive(Debug, Error)]
pub enum DeadlineError {
    #[error("Không có quy tắc thời hạn \"{id}\"")]
    UnknownRule { id: String },
    #[error("Quy tắc thời hạn \"{id}\" không có phiên bản áp dụng cho ngày {date}")]
    NoVersionInForce { id: String, date: NaiveDate },
    #[error("Thời hạn \"{id}\" không được gia hạn")]
    NotExtendable { id: String },
    #[error("Thời hạn \"{id}\" chỉ được gia hạn tối đa {max} lần (yêu cầu {requested})")]
    TooManyExtensions { id: String, requested: u8, max: u8 },
    #[error("Mỗi lần gia hạn thời hạn \"{id}\" tối đa {max} ngày (yêu cầu {requested})")]
    ExtensionTooLong {
        id: String,
        requested: u32,
        max: u32,
    },
    #[error("Ngày đến hạn nằm ngoài phạm vi lịch")]
    OutOfRange,
    #[error("Bộ quy tắc thời hạn không hợp lệ: {0}")]
    InvalidRules(String),
    #[error("Không đọc được bộ quy tắc thời hạn (JSON): {0}")]
    Json(#[from] serde_json::Error),
}

impl DeadlineRule {
    /// Whether this version applies to an event on `date`.
    pub fn is_valid_on(&self, date: NaiveDate) -> bool {
        self.valid_from.is_none_or(|from| from <= date) && self.valid_to.is_none_or(|to| date <= to)
    }

    /// The length that applies to a case. A variant the rule does not define falls back to the
    /// closest one it does: complex + remote → the longer of complex and remote → normal.
    pub fn length(&self, opts: DueOptions) -> u32 {
        match (opts.complex, opts.remote) {
            (false, false) => self.days,
            (true, false) => self.complex_days.unwrap_or(self.days),
            (false, true) => self.remote_days.unwrap_or(self.days),
            (true, true) => self.complex_remote_days.unwrap_or_else(|| {
                self.complex_days
                    .unwrap_or(self.days)
                    .max(self.remote_days.unwrap_or(self.days))
            }),
        }
    }

    /// The deadline for an event on `from`, counting starts the next day.
    pub fn due_from(
        &self,
        from: NaiveDate,
        opts: DueOptions,
        cal: &WorkCalendar,
    ) -> Result<NaiveDate, DeadlineError> {
        count(self.unit, from, self.length(opts), cal)
    }

    /// The deadline after `extensions` extensions of the full allowed length each.
    pub fn due_from_extended(
        &self,
        from: NaiveDate,
        opts: DueOptions,
        extensions: u8,
        cal: &WorkCalendar,
    ) -> Result<NaiveDate, DeadlineError> {
        let extra = if extensions == 0 {
            0
        } else {
            let policy = self.extension_policy()?;
            if extensions > policy.max_count {
                return Err(DeadlineError::TooManyExtensions {
                    id: self.id.clone(),
                    requested: extensions,
                    max: policy.max_count,
                });
            }
            policy.days.saturating_mul(u32::from(extensions))
        };
        // Counting the whole period at once keeps a calendar-day period from being rolled
        // forward twice (once at the original end, once at the extended end).
        count(
            self.unit,
            from,
            self.length(opts).saturating_add(extra),
            cal,
        )
    }

    fn extension_policy(&self) -> Result<&ExtensionPolicy, DeadlineError> {
        self.extension
            .as_ref()
            .ok_or_else(|| DeadlineError::NotExtendable {
                id: self.id.clone(),
            })
    }

    fn validate(&self) -> Result<(), String> {
        if self.id.trim().is_empty() {
            return Err("có quy tắc thiếu mã (id)".to_owned());
        }
        if let (Some(from), Some(to)) = (self.valid_from, self.valid_to)
            && from > to
        {
            return Err(format!(
                "quy tắc \"{}\": ngày bắt đầu hiệu lực {from} sau ngày hết hiệu lực {to}",
                self.id
            ));
        }
        if let Some(policy) = &self.extension
            && (policy.days == 0 || policy.max_count == 0)
        {
            return Err(format!(
                "quy tắc \"{}\": gia hạn phải có số ngày và số lần lớn hơn 0",
                self.id
            ));
        }
        Ok(())
    }
}

/// Counts `days` in `unit` after `from`.
fn count(
    unit: DayUnit,
    from: NaiveDate,
    days: u32,
    cal: &WorkCalendar,
) -> Result<NaiveDate, DeadlineError> {
    let due = match unit {
        DayUnit::CalendarDays => from
            .checked_add_days(Days::new(u64::from(days)))
            .and_then(|end| cal.next_working_day_on_or_after(end)),
        DayUnit::WorkingDays => cal.add_working_days(from, days),
    };
    due.ok_or(DeadlineError::OutOfRange)
}

/// Extends a deadline `due` by `extension_days` in the rule's unit (gia hạn), checking the
/// length against the rule. The caller tracks how many extensions were already granted.
pub fn extend(
    due: NaiveDate,
    extension_days: u32,
    rule: &DeadlineRule,
    cal: &WorkCalendar,
) -> Result<NaiveDate, DeadlineError> {
    let policy = rule.extension_policy()?;
    if extension_days > policy.days {
        return Err(DeadlineError::ExtensionTooLong {
            id: rule.id.clone(),
            requested: extension_days,
            max: policy.days,
        });
    }
    count(rule.unit, due, extension_days, cal)
}

/// A validated set of rules: every version of every deadline the system knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleSet {
    rules: Vec<DeadlineRule>,
}

/// The JSON file shape: either a bare array of rules or `{"rules": [...]}`.
#[derive(Deserialize)]
#[serde(untagged)]
enum RuleFile {
    Bare(Vec<DeadlineRule>),
    Wrapped { rules: Vec<DeadlineRule> },
}

impl RuleSet {
    /// Checks the rules: ids present, validity periods ordered, extensions sensible, and no two
    /// versions of one id in force on the same day.
    pub fn new(rules: Vec<DeadlineRule>) -> Result<Self, DeadlineError> {
        let mut by_id: BTreeMap<&str, Vec<&DeadlineRule>> = BTreeMap::new();
        for rule in &rules {
            rule.validate().map_err(DeadlineError::InvalidRules)?;
            by_id.entry(rule.id.as_str()).or_default().push(rule);
        }
        for (id, mut versions) in by_id {
            versions.sort_by_key(|r| r.valid_from);
            for pair in versions.windows(2) {
                let overlaps = match (pair[0].valid_to, pair[1].valid_from) {
                    (Some(end), Some(start)) => start <= end,
                    _ => true,
                };
                if overlaps {
                    return Err(DeadlineError::InvalidRules(format!(
                        "quy tắc \"{id}\" có hai phiên bản cùng hiệu lực một ngày"
                    )));
                }
            }
        }
        Ok(Self { rules })
    }

    /// The rules shipped with danvan (see the notes on each for figures still to verify).
    pub fn builtin() -> Self {
        Self {
            rules: builtin::rules(),
        }
    }

    /// Loads rules from JSON text: an array of rules or an object with a `rules` array.
    pub fn from_json(text: &str) -> Result<Self, DeadlineError> {
        let rules = match serde_json::from_str::<RuleFile>(text)? {
            RuleFile::Bare(rules) | RuleFile::Wrapped { rules } => rules,
        };
        Self::new(rules)
    }

    /// The set as pretty JSON `{"rules": [...]}`, a starting point for an edited file.
    pub fn to_json(&self) -> String {
        // Serialising plain structs with string keys cannot fail; fall back to an empty set
        // rather than panic should that ever change.
        serde_json::to_string_pretty(self).unwrap_or_else(|_| "{\"rules\": []}".to_owned())
    }

    /// Every version of every rule, in file order.
    pub fn rules(&self) -> &[DeadlineRule] {
        &self.rules
    }

    /// The version of rule `id` in force for an event on `date`.
    pub fn rule_for(&self, id: &str, date: NaiveDate) -> Result<&DeadlineRule, DeadlineError> {
        let mut known = false;
        for rule in self.rules.iter().filter(|r| r.id == id) {
            known = true;
            if rule.is_valid_on(date) {
                return Ok(rule);
            }
        }
        Err(if known {
            DeadlineError::NoVersionInForce {
                id: id.to_owned(),
                date,
            }
        } else {
            DeadlineError::UnknownRule { id: id.to_owned() }
        })
    }

    /// The deadline of rule `rule_id` for an event on `from`; the version is chosen by `from`.
    pub fn compute_due(
        &self,
        rule_id: &str,
        from: NaiveDate,
        opts: DueOptions,
        cal: &WorkCalendar,
    ) -> Result<NaiveDate, DeadlineError> {
        self.rule_for(rule_id, from)?.due_from(from, opts, cal)
    }

    /// As [`RuleSet::compute_due`], after `extensions` full-length extensions.
    pub fn compute_due_extended(
        &self,
        rule_id: &str,
        from: NaiveDate,
        opts: DueOptions,
        extensions: u8,
        cal: &WorkCalendar,
    ) -> Result<NaiveDate, DeadlineError> {
        self.rule_for(rule_id, from)?
            .due_from_extended(from, opts, extensions, cal)
    }
}

/// The built-in rule set, built once.
pub fn builtin_rules() -> &'static RuleSet {
    static RULES: OnceLock<RuleSet> = OnceLock::new();
    RULES.get_or_init(RuleSet::builtin)
}

/// Every version of every built-in rule.
pub fn list_rules() -> &'static [DeadlineRule] {
    builtin_rules().rules()
}

/// The deadline of built-in rule `rule_id` for an event on `from`.
pub fn compute_due(
    rule_id: &str,
    from: NaiveDate,
    opts: DueOptions,
    cal: &WorkCalendar,
) -> Result<NaiveDate, DeadlineError> {
    builtin_rules().compute_due(rule_id, from, opts, cal)
}
