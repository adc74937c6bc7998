//! The round form, shared by "Thêm vòng thi" and "Sửa vòng thi": every field arrives as text and
//! is read here with a Vietnamese message naming the field, so a mistyped number never meets
//! the framework's own rejection. A field left out of the form keeps its current value, which
//! is how the form of an open round shows only what may still change.

use super::vn_time;
use crate::error::AppError;
use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use danvan_db::contest::organiser::Editable;
use danvan_db::contest::vn_offset;
use danvan_domain::contest::{
    Counting, ExpiryPolicy, PredictionTarget, PrizeTier, Qualification, RoundSettings, TieKey,
    parse_strata, strata_text,
};
use serde::Deserialize;
use std::str::FromStr;

/// How many tie-break slots the form offers: every choice once.
const TIE_SLOTS: usize = TieKey::CHOICES.len();

#[derive(Deserialize, Default)]
pub struct RoundForm {
    pub csrf: String,
    name: Option<String>,
    opens_at: Option<String>,
    closes_at: Option<String>,
    questions_per_attempt: Option<String>,
    time_limit_minutes: Option<String>,
    grace_secs: Option<String>,
    max_attempts: Option<String>,
    cooldown_minutes: Option<String>,
    counting: Option<String>,
    prediction_target: Option<String>,
    tie_1: Option<String>,
    tie_2: Option<String>,
    tie_3: Option<String>,
    tie_4: Option<String>,
    tie_5: Option<String>,
    tie_6: Option<String>,
    stratify: Option<String>,
    prizes: Option<String>,
    min_correct_for_prize: Option<String>,
    on_expiry: Option<String>,
    qualify_from: Option<String>,
    qualify_top: Option<String>,
}

impl crate::auth::HasCsrf for RoundForm {
    fn csrf(&self) -> &str {
        &self.csrf
    }
}

/// A round as the form describes it.
pub struct RoundInput {
    pub name: String,
    pub opens_at: DateTime<Utc>,
    pub closes_at: DateTime<Utc>,
    pub settings: RoundSettings,
}

/// Reads a `datetime-local` value as Việt Nam time, to the second.
fn parse_vn(s: &str, what: &str) -> Result<DateTime<Utc>, AppError> {
    let s = s.trim();
    let naive = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M"))
        .map_err(|_| {
            AppError::invalid(format!(
                "{what} không hợp lệ. Dùng dạng năm-tháng-ngàyTgiờ:phút:giây, ví dụ 2024-05-06T16:00:00."
            ))
        })?;
    vn_offset()
        .from_local_datetime(&naive)
        .single()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| AppError::invalid(format!("{what} không hợp lệ.")))
}

/// A time as the `datetime-local` field shows it, in Việt Nam time.
pub fn vn_input(at: DateTime<Utc>) -> String {
    at.with_timezone(&vn_offset())
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string()
}

fn bad_number(label: &str, typed: &str) -> AppError {
    AppError::invalid(format!(
        "{label}: “{typed}” không phải là số nguyên không âm hợp lệ."
    ))
}

/// A whole number typed into `label`'s field; `current` when the field is not in the form.
fn number<T: FromStr>(value: Option<&str>, label: &str, current: T) -> Result<T, AppError> {
    match value.map(str::trim) {
        None => Ok(current),
        Some(v) => v.parse().map_err(|_| bad_number(label, v)),
    }
}

/// An optional whole number: empty means none.
fn optional_number<T: FromStr>(
    value: Option<&str>,
    label: &str,
    current: Option<T>,
) -> Result<Option<T>, AppError> {
    match value.map(str::trim) {
        None => Ok(current),
        Some("") => Ok(None),
        Some(v) => v.parse().map(Some).map_err(|_| bad_number(label, v)),
    }
}

/// Lines like "Giải Nhất: 1" (`what` names the number in messages).
pub fn parse_named_numbers(text: &str, what: &str) -> Result<Vec<(String, u32)>, AppError> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let (name, n) = line.rsplit_once(':').ok_or_else(|| {
                AppError::invalid(format!(
                    "Dòng “{line}” cần dạng “Tên giải: {what}”, ví dụ “Giải Nhất: 1”."
                ))
            })?;
            let n = n.trim().parse::<u32>().map_err(|_| {
                AppError::invalid(format!("Dòng “{line}”: {what} phải là số nguyên không âm."))
            })?;
            Ok((name.trim().to_owned(), n))
        })
        .collect()
}

fn text(v: &Option<String>) -> Option<&str> {
    v.as_deref()
}

impl RoundForm {
    fn ties(&self) -> [&Option<String>; TIE_SLOTS] {
        [
            &self.tie_1,
            &self.tie_2,
            &self.tie_3,
            &self.tie_4,
            &self.tie_5,
            &self.tie_6,
        ]
    }

    /// "Vòng chung kết": the qualifying rounds' codes ("3, 4") and how many places of each
    /// qualify. An empty list opens the round to everyone.
    fn qualification(&self, base: &RoundSettings) -> Result<Option<Qualification>, AppError> {
        let Some(from) = self.qualify_from.as_deref() else {
            return Ok(base.qualification.clone());
        };
        let from_rounds = from
            .split([',', ';', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<i64>().map_err(|_| {
                    AppError::invalid(format!(
                        "Mã vòng loại “{s}” phải là số, ví dụ “3, 4” (mã vòng có trong đường dẫn /thi/…)."
                    ))
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        if from_rounds.is_empty() {
            return Ok(None);
        }
        let top = number(
            text(&self.qualify_top),
            "Số người vào chung kết từ mỗi vòng loại",
            base.qualification.as_ref().map_or(10, |q| q.top),
        )?;
        Ok(Some(Qualification { from_rounds, top }))
    }

    /// The round the form describes, starting from `base` for fields it leaves out.
    pub fn read(&self, base: &RoundInput) -> Result<RoundInput, AppError> {
        let b = &base.settings;
        let opens_at = match text(&self.opens_at) {
            Some(v) => parse_vn(v, "Thời gian mở")?,
            None => base.opens_at,
        };
        let closes_at = match text(&self.closes_at) {
            Some(v) => parse_vn(v, "Thời gian đóng")?,
            None => base.closes_at,
        };
        let minutes: u32 = number(
            text(&self.time_limit_minutes),
            "Thời gian làm bài (phút)",
            b.time_limit_secs / 60,
        )?;
        let cooldown: u32 = number(
            text(&self.cooldown_minutes),
            "Thời gian chờ giữa hai lượt thi (phút)",
            b.cooldown_secs / 60,
        )?;
        let tie_break = if self.ties().iter().all(|t| t.is_none()) {
            b.tie_break.clone()
        } else {
            let keys = self
                .ties()
                .into_iter()
                .filter_map(|t| t.as_deref().map(str::trim).filter(|t| !t.is_empty()))
                .map(|code| {
                    TieKey::from_code(code).ok_or_else(|| {
                        AppError::invalid(format!("Tiêu chí xếp hạng “{code}” không có."))
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            if keys.is_empty() {
                return Err(AppError::invalid("Chọn ít nhất một tiêu chí xếp hạng."));
            }
            keys
        };
        let prizes = match text(&self.prizes) {
            None => b.prizes.clone(),
            Some(t) => parse_named_numbers(t, "số lượng")?
                .into_iter()
                .map(|(name, count)| PrizeTier {
                    // A tier kept by name keeps its published value.
                    value_vnd: b
                        .prizes
                        .iter()
                        .find(|p| p.name == name)
                        .and_then(|p| p.value_vnd),
                    name,
                    count,
                })
                .collect(),
        };
        let settings = RoundSettings {
            questions_per_attempt: number(
                text(&self.questions_per_attempt),
                "Số câu hỏi mỗi lượt thi",
                b.questions_per_attempt,
            )?,
            time_limit_secs: if self.time_limit_minutes.is_some() {
                minutes.saturating_mul(60)
            } else {
                b.time_limit_secs
            },
            grace_secs: number(
                text(&self.grace_secs),
                "Thời gian bù trễ mạng (giây)",
                b.grace_secs,
            )?,
            max_attempts: optional_number(
                text(&self.max_attempts),
                "Số lượt thi tối đa",
                b.max_attempts,
            )?,
            cooldown_secs: if self.cooldown_minutes.is_some() {
                cooldown.saturating_mul(60)
            } else {
                b.cooldown_secs
            },
            counting: match text(&self.counting) {
                None => b.counting,
                Some("first") => Counting::First,
                Some(_) => Counting::Best,
            },
            prediction_target: match text(&self.prediction_target) {
                None => b.prediction_target,
                Some("participants") => PredictionTarget::Participants,
                Some("attempts") => PredictionTarget::Attempts,
                Some("none") => PredictionTarget::None,
                Some(_) => PredictionTarget::AllCorrectCount,
            },
            tie_break,
            stratify: match text(&self.stratify) {
                None => b.stratify.clone(),
                Some(t) => parse_strata(t).map_err(|e| AppError::invalid(e.to_string()))?,
            },
            prizes,
            min_correct_for_prize: optional_number(
                text(&self.min_correct_for_prize),
                "Số câu đúng tối thiểu để xét giải",
                b.min_correct_for_prize,
            )?,
            on_expiry: match text(&self.on_expiry) {
                None => b.on_expiry,
                Some("abandon") => ExpiryPolicy::Abandon,
                Some(_) => ExpiryPolicy::AutoSubmit,
            },
            qualification: self.qualification(b)?,
        };
        Ok(RoundInput {
            name: self.name.clone().unwrap_or_else(|| base.name.clone()),
            opens_at,
            closes_at,
            settings,
        })
    }
}

/// One tie-break slot of the form and the key it shows selected ("" for none).
pub struct TieSlot {
    pub n: usize,
    pub selected: &'static str,
}

/// The round form's values, for "Thêm vòng thi" (defaults) or "Sửa vòng thi" (the round).
pub struct RoundFormView {
    pub action: String,
    pub submit: &'static str,
    /// Before the opening every field shows; once open only the fairness-neutral ones.
    pub all_fields: bool,
    pub name: String,
    pub opens: String,
    pub closes: String,
    pub opens_label: String,
    pub settings: RoundSettings,
    pub max_attempts: String,
    pub min_correct: String,
    pub counting: &'static str,
    pub prediction: &'static str,
    pub on_expiry: &'static str,
    pub ties: Vec<TieSlot>,
    pub tie_choices: Vec<(&'static str, &'static str)>,
    pub stratify: String,
    pub prizes: String,
    pub qualify_from: String,
    pub qualify_top: String,
}

impl RoundFormView {
    fn new(action: String, submit: &'static str, settings: RoundSettings) -> RoundFormView {
        let ties = (0..TIE_SLOTS)
            .map(|i| TieSlot {
                n: i + 1,
                selected: settings.tie_break.get(i).map_or("", |k| k.code()),
            })
            .collect();
        RoundFormView {
            action,
            submit,
            all_fields: true,
            name: String::new(),
            opens: String::new(),
            closes: String::new(),
            opens_label: String::new(),
            max_attempts: settings
                .max_attempts
                .map(|m| m.to_string())
                .unwrap_or_default(),
            min_correct: settings
                .min_correct_for_prize
                .map(|m| m.to_string())
                .unwrap_or_default(),
            counting: match settings.counting {
                Counting::Best => "best",
                Counting::First => "first",
            },
            prediction: match settings.prediction_target {
                PredictionTarget::AllCorrectCount => "all_correct_count",
                PredictionTarget::Participants => "participants",
                PredictionTarget::Attempts => "attempts",
                PredictionTarget::None => "none",
            },
            on_expiry: match settings.on_expiry {
                ExpiryPolicy::AutoSubmit => "auto_submit",
                ExpiryPolicy::Abandon => "abandon",
            },
            ties,
            tie_choices: TieKey::CHOICES
                .iter()
                .map(|k| (k.code(), k.label()))
                .collect(),
            stratify: strata_text(&settings.stratify),
            qualify_from: settings
                .qualification
                .as_ref()
                .map_or_else(String::new, |q| {
                    q.from_rounds
                        .iter()
                        .map(i64::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                }),
            qualify_top: settings
                .qualification
                .as_ref()
                .map_or_else(|| "10".into(), |q| q.top.to_string()),
            prizes: settings
                .prizes
                .iter()
                .map(|p| format!("{}: {}", p.name, p.count))
                .collect::<Vec<_>>()
                .join("\n"),
            settings,
        }
    }

    /// The empty form of a new round in `contest_id`, with the default rules.
    pub fn create(contest_id: i64) -> RoundFormView {
        RoundFormView::new(
            format!("/contests/{contest_id}/rounds"),
            "Thêm vòng thi",
            RoundSettings::default(),
        )
    }

    /// The form of an existing round, pre-filled; `None` once nothing may change.
    pub fn edit(
        round: &danvan_db::entities::contest_rounds::Model,
        settings: &RoundSettings,
        editable: Editable,
    ) -> Option<RoundFormView> {
        if editable == Editable::Nothing {
            return None;
        }
        let mut view = RoundFormView::new(
            format!("/contests/rounds/{}/settings", round.id),
            "Lưu thay đổi",
            settings.clone(),
        );
        view.all_fields = editable == Editable::All;
        view.name = round.name.clone();
        view.opens = vn_input(round.opens_at);
        view.closes = vn_input(round.closes_at);
        view.opens_label = vn_time(round.opens_at);
        Some(view)
    }
}
