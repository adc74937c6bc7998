//! Contest hot paths: the draw at attempt start (goal G1: thousands of starts per second) and
//! the ranking at round close (goal G7: 2 M attempts by 1 M people in ≤ 10 s, aim < 2 s).
//!
//! Run: `cargo bench -p danvan-domain --bench contest`. Synthetic data comes from a fixed-seed
//! SplitMix64, so every run ranks the same round.

use std::collections::HashSet;
use std::sync::LazyLock;

use chrono::NaiveDate;
use danvan_domain::contest::{
    AttemptResult, ContestantInfo, DrawnAttempt, Gender, Question, QuestionOption, Ranking,
    RoundSettings, RoundStats, Stratum, draw, rank, stats,
};

fn main() {
    divan::main();
}

const PEOPLE: u64 = 1_000_000;
const ATTEMPTS: usize = 2_000_000;

struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// 2 M attempts by 1 M people, shuffled, most scoring high as in real rounds.
static ATTEMPT_DATA: LazyLock<Vec<AttemptResult>> = LazyLock::new(|| {
    let mut rng = SplitMix(2024);
    let week_start_ms: i64 = 1_717_376_400_000;
    (0..ATTEMPTS)
        .map(|i| {
            let contestant_id = rng.below(PEOPLE) as i64 + 1;
            let correct = (20 - rng.below(64).min(rng.below(64)).min(20)) as u16;
            let started_at_ms = week_start_ms + rng.below(7 * 86_400_000) as i64;
            let duration_ms = 30_000 + rng.below(570_000);
            AttemptResult {
                attempt_id: i as i64 + 1,
                contestant_id,
                correct,
                total: 20,
                prediction: (rng.below(10) > 0).then(|| rng.below(600_000) as i64),
                duration_ms,
                started_at_ms,
                submitted_at_ms: started_at_ms + duration_ms as i64,
                excluded: rng.below(10_000) == 0,
                eligible: rng.below(1_000) != 0,
            }
        })
        .collect()
});

static PROFILES: LazyLock<Vec<ContestantInfo>> = LazyLock::new(|| {
    let mut rng = SplitMix(7);
    let base = NaiveDate::from_ymd_opt(1950, 1, 1).unwrap_or_default();
    (1..=PEOPLE as i64)
        .map(|contestant_id| ContestantInfo {
            contestant_id,
            unit_id: Some(rng.below(500) as i64),
            commune_id: Some(rng.below(2_000) as i64),
            gender: [Gender::Nam, Gender::Nu, Gender::Khac][rng.below(3) as usize],
            birth_date: base + chrono::Days::new(rng.below(60 * 365)),
            group: Some(
                ["Cán bộ", "Đảng viên", "Học sinh", "Nhân dân"][rng.below(4) as usize].to_owned(),
            ),
        })
        .collect()
});

static BANK: LazyLock<Vec<Question>> = LazyLock::new(|| {
    (0..1_000i64)
        .map(|id| Question {
            id,
            text: format!("Câu hỏi số {id}"),
            options: (0..4)
                .map(|o| QuestionOption {
                    id: id * 10 + o,
                    text: format!("Phương án {o}"),
                })
                .collect(),
            correct_option: id * 10,
            topic: Some(["Lịch sử", "Pháp luật", "Dân vận"][(id % 3) as usize].to_owned()),
            difficulty: Some((id % 3 + 1) as u8),
        })
        .collect()
});

#[divan::bench(sample_count = 5, sample_size = 1)]
fn rank_2m_attempts_1m_people() -> Ranking {
    rank(divan::black_box(&ATTEMPT_DATA), &DEFAULT_SETTINGS)
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn stats_2m_attempts_1m_people() -> RoundStats {
    let round_date = NaiveDate::from_ymd_opt(2024, 6, 10).unwrap_or_default();
    stats(divan::black_box(&ATTEMPT_DATA), &PROFILES, round_date)
}

static DEFAULT_SETTINGS: LazyLock<RoundSettings> = LazyLock::new(RoundSettings::default);

#[divan::bench]
fn draw_20_of_1000() -> Option<DrawnAttempt> {
    draw(
        &BANK,
        &DEFAULT_SETTINGS,
        divan::black_box(12_345),
        &HashSet::new(),
    )
    .ok()
}

#[divan::bench]
fn draw_20_of_1000_with_140_seen() -> Option<DrawnAttempt> {
    static SEEN: LazyLock<HashSet<i64>> = LazyLock::new(|| (0..140).map(|i| i * 7).collect());
    draw(&BANK, &DEFAULT_SETTINGS, divan::black_box(12_345), &SEEN).ok()
}

static STRATIFIED: LazyLock<RoundSettings> = LazyLock::new(|| {
    let stratum = |topic: &str, count| Stratum {
        topic: Some(topic.to_owned()),
        difficulty: None,
        count,
    };
    RoundSettings {
        stratify: vec![
            stratum("Lịch sử", 7),
            stratum("Pháp luật", 8),
            stratum("Dân vận", 5),
        ],
        ..RoundSettings::default()
    }
});

#[divan::bench]
fn draw_20_of_1000_stratified() -> Option<DrawnAttempt> {
    draw(
        &BANK,
        &STRATIFIED,
        divan::black_box(12_345),
        &HashSet::new(),
    )
    .ok()
}
