//! Cuộc thi trắc nghiệm trực tuyến "Dân vận khéo": the rules of an online quiz contest.
//!
//! Plain functions over plain (serde) types, with no I/O and no clock: every function that needs
//! the time takes `now` (or the round's date) as an argument, and every random choice takes a
//! seed, so storage and HTTP layers can persist the seed and replay a draw exactly.
//!
//! The pieces, in the order an attempt goes through them:
//! - [`RoundSettings`]: per-round rules (questions per attempt, time limit, attempts, tie-break,
//!   prizes), checked by [`RoundSettings::validate`];
//! - [`Question`] and [`import_bank`] (CSV or .xlsx) / [`export_csv`]: the question bank;
//! - [`draw`] and [`public_questions`]: one contestant's questions, without the answer key;
//! - [`AttemptClock`]: the server-side time limit and grace period;
//! - [`score`]: counting correct answers;
//! - [`can_start`]: attempt limit, cool-down and resume;
//! - [`rank`]: the round's ranking and individual prizes at close;
//! - [`stats`] and [`collective_ranking`]: announcements and collective prizes;
//! - [`validate_registration`] and [`find_duplicates`]: registration.
//!
//! Error policy: everything a contestant or organiser can get wrong comes back as a value whose
//! `Display` is a Vietnamese sentence meant to be shown as is ([`ContestError`], [`StartRefusal`],
//! [`RowError`], [`FieldError`]). Nothing here panics on input.

mod attempts;
mod bank_file;
mod collective;
mod draw;
mod question;
mod ranking;
mod registration;
mod rng;
mod scoring;
mod settings;
mod stats;
mod table;
mod timing;

use thiserror::Error;

pub use attempts::{AttemptSummary, StartRefusal, can_start};
pub use bank_file::{export_csv, import_bank, import_csv};
pub use collective::{
    CollectiveSettings, HeadcountLine, MAX_COLLECTIVE_PRIZES, collective_over_rounds,
    parse_headcounts,
};
pub use draw::{
    DrawnAttempt, DrawnQuestion, PublicOption, PublicQuestion, check_bank, draw, public_questions,
};
pub use question::{NewQuestion, Question, QuestionOption, validate_question};
pub use ranking::{AttemptResult, RankedEntry, Ranking, rank};
pub use registration::{
    CleanRegistration, DuplicateGroup, DuplicateKeys, DuplicateKind, FieldError, Gender,
    NationalId, NationalIdKind, RegistrationFlag, RegistrationInput, RegistrationRules,
    duplicate_keys, find_duplicates, validate_registration,
};
pub use scoring::{Score, score};
pub use settings::{
    Counting, ExpiryPolicy, MAX_QUALIFIERS, PredictionTarget, PrizeTier, Qualification,
    RoundSettings, Stratum, TieKey, parse_strata, strata_text,
};
pub use stats::{
    AgeBand, Breakdown, CollectiveEntry, CollectiveFormula, CollectiveRanking, ContestantInfo,
    RoundStats, UnitTally, age_on, collective_ranking, stats, unit_tallies,
};
pub use table::{RowError, TableFileError};
pub use timing::AttemptClock;

/// Why a contest operation was refused. Messages are Vietnamese, for organisers and contestants.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ContestError {
    /// A round setting is out of range or inconsistent.
    #[error("Cấu hình vòng thi không hợp lệ: {0}")]
    InvalidSettings(String),
    /// A question of the bank breaks a rule (options, answer, texts).
    #[error("Câu hỏi {question_id} không hợp lệ: {reason}")]
    InvalidQuestion { question_id: i64, reason: String },
    /// The bank holds fewer questions than one attempt needs.
    #[error("Ngân hàng câu hỏi chỉ có {available} câu, không đủ {needed} câu cho một lượt thi")]
    BankTooSmall { needed: usize, available: usize },
    /// A stratum (topic/difficulty) holds fewer questions than it must contribute.
    #[error("Nhóm câu hỏi {stratum} chỉ còn {available} câu, không đủ {needed} câu theo cơ cấu đề")]
    StratumTooSmall {
        stratum: String,
        needed: usize,
        available: usize,
    },
    /// A drawn question is no longer in the bank (the bank changed mid-round).
    #[error("Không tìm thấy câu hỏi {0} trong ngân hàng câu hỏi của vòng thi")]
    UnknownQuestion(i64),
}
