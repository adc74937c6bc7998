//! Per-round rules: what an organiser configures for one tuần thi / đợt thi.

use serde::{Deserialize, Serialize};

use super::ContestError;

/// The most questions one attempt may have; real contests use 5–30.
pub const MAX_QUESTIONS: u16 = 100;
/// The longest time limit, in seconds (2 h; real contests use 10–45 min).
pub const MAX_TIME_LIMIT_SECS: u32 = 7_200;
/// The longest latency grace, in seconds: more than a minute is extra time, not latency.
pub const MAX_GRACE_SECS: u32 = 60;
/// The longest cool-down between attempts (one week, the usual length of a round).
pub const MAX_COOLDOWN_SECS: u32 = 7 * 24 * 3_600;
/// The most prizes a round may hand out, to bound work and catch typing mistakes.
pub const MAX_PRIZES: u64 = 100_000;

/// Which of a contestant's attempts counts for the ranking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Counting {
    /// The best attempt by the round's tie-break key ("công nhận kết quả tốt nhất").
    #[default]
    Best,
    /// The first attempt started, whatever came after.
    First,
}

/// What the prediction question (câu hỏi dự đoán / câu hỏi phụ) asks contestants to guess.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PredictionTarget {
    /// Số người trả lời đúng tất cả các câu hỏi.
    #[default]
    AllCorrectCount,
    /// Số người dự thi.
    Participants,
    /// Số lượt dự thi.
    Attempts,
    /// No prediction question: the prediction key ties everyone.
    None,
}

/// One key of the ranking order (tiêu chí xếp hạng), applied in the configured order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TieKey {
    /// More correct answers first.
    CorrectDesc,
    /// Prediction closer to the actual value first; no prediction comes last.
    PredictionErrorAsc,
    /// Shorter completion time first.
    DurationAsc,
    /// Earlier submission first.
    SubmittedAtAsc,
    /// Earlier start ("thời điểm đăng nhập dự thi") first.
    StartedAtAsc,
    /// More perfect attempts in the round first.
    PerfectAttemptsDesc,
    /// Lower contestant id first: always applied last so the order is total and reproducible.
    ContestantIdAsc,
}

impl TieKey {
    /// Number of distinct keys: the length of a precomputed sort key.
    pub const COUNT: usize = 7;

    /// The keys an organiser chooses from, in the order the form lists them
    /// ([`TieKey::ContestantIdAsc`] is always applied last and is not a choice).
    pub const CHOICES: [TieKey; 6] = [
        TieKey::CorrectDesc,
        TieKey::PredictionErrorAsc,
        TieKey::DurationAsc,
        TieKey::SubmittedAtAsc,
        TieKey::StartedAtAsc,
        TieKey::PerfectAttemptsDesc,
    ];

    /// The stored name (as in the settings JSON), used as the form value.
    pub fn code(self) -> &'static str {
        match self {
            TieKey::CorrectDesc => "correct_desc",
            TieKey::PredictionErrorAsc => "prediction_error_asc",
            TieKey::DurationAsc => "duration_asc",
            TieKey::SubmittedAtAsc => "submitted_at_asc",
            TieKey::StartedAtAsc => "started_at_asc",
            TieKey::PerfectAttemptsDesc => "perfect_attempts_desc",
            TieKey::ContestantIdAsc => "contestant_id_asc",
        }
    }

    /// The key with this [`TieKey::code`].
    pub fn from_code(code: &str) -> Option<TieKey> {
        Self::CHOICES
            .into_iter()
            .chain([TieKey::ContestantIdAsc])
            .find(|k| k.code() == code)
    }

    /// Vietnamese label, as organisers write the rule.
    pub fn label(self) -> &'static str {
        match self {
            TieKey::CorrectDesc => "Số câu trả lời đúng (nhiều hơn xếp trên)",
            TieKey::PredictionErrorAsc => "Độ chênh lệch câu dự đoán (ít hơn xếp trên)",
            TieKey::DurationAsc => "Thời gian làm bài (ngắn hơn xếp trên)",
            TieKey::SubmittedAtAsc => "Thời điểm nộp bài (sớm hơn xếp trên)",
            TieKey::StartedAtAsc => "Thời điểm bắt đầu làm bài (sớm hơn xếp trên)",
            TieKey::PerfectAttemptsDesc => "Số lượt trả lời đúng tất cả (nhiều hơn xếp trên)",
            TieKey::ContestantIdAsc => "Thứ tự đăng ký (sớm hơn xếp trên)",
        }
    }

    /// Default order, as VCNet and most contests write it.
    pub fn default_order() -> Vec<TieKey> {
        vec![
            TieKey::CorrectDesc,
            TieKey::PredictionErrorAsc,
            TieKey::DurationAsc,
            TieKey::SubmittedAtAsc,
        ]
    }
}

/// Part of a stratified draw: `count` questions matching the topic and/or difficulty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Stratum {
    /// Chủ đề; `None` matches any topic.
    #[serde(default)]
    pub topic: Option<String>,
    /// Độ khó; `None` matches any difficulty.
    #[serde(default)]
    pub difficulty: Option<u8>,
    /// How many questions this stratum contributes.
    pub count: u16,
}

impl Stratum {
    /// A short Vietnamese label for messages, e.g. `(chủ đề "Lịch sử", độ khó 2)`.
    pub fn label(&self) -> String {
        match (&self.topic, self.difficulty) {
            (Some(t), Some(d)) => format!("(chủ đề \"{t}\", độ khó {d})"),
            (Some(t), None) => format!("(chủ đề \"{t}\")"),
            (None, Some(d)) => format!("(độ khó {d})"),
            (None, None) => "(mọi câu hỏi)".to_owned(),
        }
    }
}

/// Parses a stratified draw written one stratum a line, as organisers type it:
/// `Lịch sử, 2: 5` (topic, difficulty: count), `Lịch sử: 5` (any difficulty) or `*, 2: 5`
/// (any topic). Blank lines are skipped. A topic may hold commas: only a whole number after
/// the last comma is read as the difficulty.
pub fn parse_strata(text: &str) -> Result<Vec<Stratum>, ContestError> {
    let bad = |line: &str, why: &str| {
        ContestError::InvalidSettings(format!(
            "dòng cơ cấu đề “{line}” {why}; ghi dạng “Chủ đề, độ khó: số câu”, ví dụ “Lịch sử, 2: 5”"
        ))
    };
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|line| {
            let (left, count) = line
                .rsplit_once(':')
                .ok_or_else(|| bad(line, "thiếu dấu hai chấm trước số câu"))?;
            let count: u16 = count
                .trim()
                .parse()
                .map_err(|_| bad(line, "có số câu không phải số nguyên"))?;
            let (topic, difficulty) = match left.rsplit_once(',') {
                Some((t, d)) if d.trim().parse::<u8>().is_ok() => {
                    let d: u8 = d.trim().parse().unwrap_or_default();
                    if !(1..=super::question::MAX_DIFFICULTY).contains(&d) {
                        return Err(bad(line, "có độ khó ngoài khoảng 1–5"));
                    }
                    (t.trim(), Some(d))
                }
                _ => (left.trim(), None),
            };
            let topic = match topic {
                "" | "*" => None,
                t => Some(crate::text::normalize(t)),
            };
            Ok(Stratum {
                topic,
                difficulty,
                count,
            })
        })
        .collect()
}

/// Writes strata back in the form [`parse_strata`] reads.
pub fn strata_text(strata: &[Stratum]) -> String {
    strata
        .iter()
        .map(|s| {
            let topic = s.topic.as_deref().unwrap_or("*");
            match s.difficulty {
                Some(d) => format!("{topic}, {d}: {}", s.count),
                None => format!("{topic}: {}", s.count),
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// One prize tier of a round, e.g. 1 × "Giải Nhất" of 5,000,000 VND.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrizeTier {
    /// Name shown to people, e.g. "Giải Nhất".
    pub name: String,
    /// How many prizes of this tier.
    pub count: u32,
    /// Value in VND, when published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value_vnd: Option<u64>,
}

/// The most qualifiers a final round may take from each earlier round: frozen results keep the
/// top 1,000 places.
pub const MAX_QUALIFIERS: u32 = 1_000;

/// Vòng chung kết: a round open only to the best places of earlier rounds of the same contest
/// (the Cảnh sát biển "thi Tháng" beside the weekly rounds).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Qualification {
    /// The rounds whose frozen rankings qualify people.
    pub from_rounds: Vec<i64>,
    /// The best `top` places of each of those rounds qualify; people on the exclusion list
    /// never do.
    pub top: u32,
}

/// What happens to an attempt that is still open when its time (plus grace) runs out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExpiryPolicy {
    /// Submit automatically with the saved answers (Moodle `autosubmit`).
    #[default]
    AutoSubmit,
    /// Do not count it (Moodle `autoabandon`).
    Abandon,
}

/// Rules of one round (tuần thi / đợt thi). Missing JSON fields take the defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RoundSettings {
    /// K: questions per attempt.
    pub questions_per_attempt: u16,
    /// Time limit of one attempt, in seconds.
    pub time_limit_secs: u32,
    /// Latency grace after the limit during which answers are still accepted, in seconds.
    pub grace_secs: u32,
    /// Most attempts per person in the round; `None` is unlimited.
    pub max_attempts: Option<u16>,
    /// Minimum wait between the end of one attempt and the start of the next, in seconds.
    pub cooldown_secs: u32,
    /// Which attempt counts.
    pub counting: Counting,
    /// What the prediction question asks for.
    pub prediction_target: PredictionTarget,
    /// Ranking order; [`TieKey::ContestantIdAsc`] is appended when absent.
    pub tie_break: Vec<TieKey>,
    /// Stratified draw; empty draws from the whole bank.
    pub stratify: Vec<Stratum>,
    /// Individual prizes, best tier first.
    pub prizes: Vec<PrizeTier>,
    /// Prizes only for at least this many correct answers (e.g. K for "full score only").
    pub min_correct_for_prize: Option<u16>,
    /// What happens to an attempt left open past its time.
    pub on_expiry: ExpiryPolicy,
    /// Only for the qualifiers of earlier rounds (a final); `None` is open to everyone.
    pub qualification: Option<Qualification>,
}

impl Default for RoundSettings {
    /// The most common shape: 20 questions, 10 minutes, 3 s grace, 7 attempts, the best counts,
    /// predict the all-correct count, and the Ban Tuyên giáo và Dân vận TW prize table.
    fn default() -> Self {
        let tier = |name: &str, count, value| PrizeTier {
            name: name.to_owned(),
            count,
            value_vnd: Some(value),
        };
        RoundSettings {
            questions_per_attempt: 20,
            time_limit_secs: 600,
            grace_secs: 3,
            max_attempts: Some(7),
            cooldown_secs: 0,
            counting: Counting::Best,
            prediction_target: PredictionTarget::AllCorrectCount,
            tie_break: TieKey::default_order(),
            stratify: Vec::new(),
            prizes: vec![
                tier("Giải Nhất", 1, 5_000_000),
                tier("Giải Nhì", 2, 3_000_000),
                tier("Giải Ba", 3, 2_000_000),
                tier("Giải Khuyến khích", 10, 1_000_000),
            ],
            min_correct_for_prize: None,
            on_expiry: ExpiryPolicy::AutoSubmit,
            qualification: None,
        }
    }
}

impl RoundSettings {
    /// Checks ranges and consistency; the message says what to fix, in Vietnamese.
    pub fn validate(&self) -> Result<(), ContestError> {
        let bad = |msg: String| Err(ContestError::InvalidSettings(msg));
        let k = self.questions_per_attempt;
        if !(1..=MAX_QUESTIONS).contains(&k) {
            return bad(format!(
                "số câu hỏi mỗi lượt thi phải từ 1 đến {MAX_QUESTIONS} (đang là {k})"
            ));
        }
        if !(1..=MAX_TIME_LIMIT_SECS).contains(&self.time_limit_secs) {
            return bad(format!(
                "thời gian làm bài phải từ 1 đến {MAX_TIME_LIMIT_SECS} giây (đang là {})",
                self.time_limit_secs
            ));
        }
        if self.grace_secs > MAX_GRACE_SECS {
            return bad(format!(
                "thời gian gia hạn nộp bài tối đa {MAX_GRACE_SECS} giây (đang là {})",
                self.grace_secs
            ));
        }
        if self.max_attempts == Some(0) {
            return bad(
                "số lượt thi tối đa phải từ 1 trở lên (bỏ trống nếu không giới hạn)".into(),
            );
        }
        if self.cooldown_secs > MAX_COOLDOWN_SECS {
            return bad(format!(
                "thời gian chờ giữa hai lượt thi tối đa {MAX_COOLDOWN_SECS} giây (7 ngày)"
            ));
        }
        for (i, key) in self.tie_break.iter().enumerate() {
            if self.tie_break[..i].contains(key) {
                return bad("tiêu chí xếp hạng bị lặp lại".into());
            }
        }
        self.validate_strata()?;
        self.validate_qualification()?;
        self.validate_prizes()
    }

    fn validate_qualification(&self) -> Result<(), ContestError> {
        let Some(q) = &self.qualification else {
            return Ok(());
        };
        let bad = |msg: String| Err(ContestError::InvalidSettings(msg));
        if q.from_rounds.is_empty() {
            return bad("vòng chung kết cần ít nhất một vòng loại".into());
        }
        for (i, r) in q.from_rounds.iter().enumerate() {
            if q.from_rounds[..i].contains(r) {
                return bad(format!("vòng loại {r} được chọn hai lần"));
            }
        }
        if !(1..=MAX_QUALIFIERS).contains(&q.top) {
            return bad(format!(
                "số người vào chung kết từ mỗi vòng loại phải từ 1 đến {MAX_QUALIFIERS} (đang là {})",
                q.top
            ));
        }
        Ok(())
    }

    fn validate_strata(&self) -> Result<(), ContestError> {
        if self.stratify.is_empty() {
            return Ok(());
        }
        let bad = |msg: String| Err(ContestError::InvalidSettings(msg));
        let mut sum: u32 = 0;
        for (i, s) in self.stratify.iter().enumerate() {
            if s.count == 0 {
                return bad(format!("nhóm câu hỏi {} phải có ít nhất 1 câu", s.label()));
            }
            if s.topic.as_deref().is_some_and(|t| t.trim().is_empty()) {
                return bad("chủ đề của nhóm câu hỏi không được để trống".into());
            }
            if self.stratify[..i]
                .iter()
                .any(|o| o.topic == s.topic && o.difficulty == s.difficulty)
            {
                return bad(format!("nhóm câu hỏi {} bị khai báo hai lần", s.label()));
            }
            sum += u32::from(s.count);
        }
        if sum != u32::from(self.questions_per_attempt) {
            return bad(format!(
                "tổng số câu của các nhóm ({sum}) phải bằng số câu mỗi lượt thi ({})",
                self.questions_per_attempt
            ));
        }
        Ok(())
    }

    fn validate_prizes(&self) -> Result<(), ContestError> {
        let bad = |msg: String| Err(ContestError::InvalidSettings(msg));
        let mut total: u64 = 0;
        for (i, p) in self.prizes.iter().enumerate() {
            if p.name.trim().is_empty() {
                return bad("tên giải không được để trống".into());
            }
            if p.count == 0 {
                return bad(format!("số lượng \"{}\" phải từ 1 trở lên", p.name));
            }
            if self.prizes[..i]
                .iter()
                .any(|o| o.name.trim() == p.name.trim())
            {
                return bad(format!("giải \"{}\" bị khai báo hai lần", p.name));
            }
            total += u64::from(p.count);
        }
        if total > MAX_PRIZES {
            return bad(format!(
                "tổng số giải tối đa {MAX_PRIZES} (đang là {total})"
            ));
        }
        if let Some(min) = self.min_correct_for_prize
            && min > self.questions_per_attempt
        {
            return bad(format!(
                "số câu đúng tối thiểu để xét giải ({min}) lớn hơn số câu mỗi lượt thi ({})",
                self.questions_per_attempt
            ));
        }
        Ok(())
    }

    /// The ranking keys actually applied: the configured ones, without duplicates, then
    /// [`TieKey::ContestantIdAsc`] so no two contestants ever compare equal.
    pub fn effective_tie_break(&self) -> Vec<TieKey> {
        let mut keys: Vec<TieKey> = Vec::with_capacity(TieKey::COUNT);
        for &k in &self.tie_break {
            if !keys.contains(&k) {
                keys.push(k);
            }
        }
        if !keys.contains(&TieKey::ContestantIdAsc) {
            keys.push(TieKey::ContestantIdAsc);
        }
        keys
    }

    /// Total number of individual prizes.
    pub fn prize_total(&self) -> u64 {
        self.prizes.iter().map(|p| u64::from(p.count)).sum()
    }
}
