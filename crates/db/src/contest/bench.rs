//! Generated rounds for the close benchmark (`danvan loadtest close`): many contestants and
//! submitted attempts written in bulk, bypassing the per-request path on purpose.

use super::admin::{NewContest, NewRound, create_contest, create_round};
use crate::authz::Scope;
use crate::entities::{
    contest_attempts, contest_results, contest_round_tallies, contest_rounds, contest_scores,
    contestants,
};
use crate::{Actor, DbResult};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use danvan_domain::contest::RoundSettings;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set, TransactionSession,
    TransactionTrait,
};

/// Rows per multi-row INSERT: 15 columns × 2,000 stays under both backends' parameter limits.
const CHUNK: usize = 2_000;

/// Creates a closed round with `people` contestants and `attempts` submitted attempts
/// (spread over the people, 20 questions each, random scores and times) and returns its id.
pub async fn generate_round<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    scope: &Scope,
    unit_id: i64,
    unit_ids: &[i64],
    people: usize,
    attempts: usize,
    now: DateTime<Utc>,
) -> DbResult<i64> {
    let actor = Actor::system();
    let contest = create_contest(
        conn,
        scope,
        &actor,
        NewContest {
            title: "Cuộc thi sinh dữ liệu đo hiệu năng",
            unit_id,
            min_age: None,
            require_national_id: false,
            require_unit: false,
        },
    )
    .await?;
    let settings = RoundSettings {
        max_attempts: None,
        ..Default::default()
    };
    let opens = now - Duration::days(7);
    let round = create_round(
        conn,
        scope,
        &actor,
        contest.id,
        NewRound {
            name: "Tuần thi đo hiệu năng",
            opens_at: opens,
            closes_at: now - Duration::seconds(1),
            settings: &settings,
        },
    )
    .await?;
    let mut rng = danvan_bench_rng(round.id as u64);
    let first_id = {
        let txn = conn.begin().await?;
        let mut batch = Vec::with_capacity(CHUNK);
        for i in 0..people {
            batch.push(contestants::ActiveModel {
                contest_id: Set(contest.id),
                token_hash: Set(format!("bench-{}-{i}", round.id)),
                full_name: Set(format!("Thí sinh {i}")),
                birth_date: Set(NaiveDate::from_ymd_opt(
                    1950 + (i % 60) as i32,
                    1 + (i % 12) as u32,
                    1 + (i % 28) as u32,
                )
                .unwrap_or_default()),
                gender: Set(["nam", "nu", "khac"][i % 3].into()),
                phone: Set(format!("09{:08}", i % 100_000_000)),
                national_id: Set(None),
                unit_id: Set(unit_ids.get(i % unit_ids.len().max(1)).copied()),
                group_name: Set(Some(
                    ["Cán bộ", "Đảng viên", "Học sinh", "Nhân dân"][i % 4].into(),
                )),
                person_key: Set(format!("bench|{i}")),
                flags: Set(None),
                disqualified: Set(false),
                ip: Set(None),
                created_at: Set(opens),
                ..Default::default()
            });
            if batch.len() == CHUNK || i + 1 == people {
                contestants::Entity::insert_many(std::mem::take(&mut batch))
                    .exec(&txn)
                    .await?;
            }
        }
        txn.commit().await?;
        // One writer inserted them in order, so the ids are consecutive from the smallest.
        contestants::Entity::find()
            .filter(contestants::Column::ContestId.eq(contest.id))
            .select_only()
            .column_as(contestants::Column::Id.min(), "min")
            .into_tuple::<Option<i64>>()
            .one(conn)
            .await?
            .flatten()
            .unwrap_or(1)
    };
    // Rows as wide as real ones: a 20-question draw and 20 saved answers, as the play path
    // stores them, so the close reads as many bytes as it would in a real round.
    let (draw, answers) = realistic_payload(&mut rng);
    let first_attempt = contest_attempts::Entity::find()
        .select_only()
        .column_as(contest_attempts::Column::Id.max(), "max")
        .into_tuple::<Option<i64>>()
        .one(conn)
        .await?
        .flatten()
        .unwrap_or(0)
        + 1;
    let txn = conn.begin().await?;
    let mut batch = Vec::with_capacity(CHUNK);
    let mut scores = Vec::with_capacity(CHUNK);
    let mut next_no = vec![0i32; people];
    for i in 0..attempts {
        let who = i % people.max(1);
        next_no[who] += 1;
        let r = next(&mut rng);
        // Most people get most answers right, as in real rounds; about 1 % are perfect.
        let correct = (20 - ((r % 10_000) as f64).sqrt() as i32 / 5).clamp(0, 20);
        let started = opens + Duration::seconds((r % 600_000) as i64);
        let ms = 30_000 + (r >> 20) % 570_000;
        let id = first_attempt + i as i64;
        let prediction = Some(((r >> 8) % 5_000) as i64);
        scores.push(contest_scores::ActiveModel {
            attempt_id: Set(id),
            round_id: Set(round.id),
            contestant_id: Set(first_id + who as i64),
            correct: Set(correct),
            total: Set(20),
            prediction: Set(prediction),
            duration_ms: Set(ms as i64),
            started_ms: Set(started.timestamp_millis()),
            submitted_ms: Set(started.timestamp_millis() + ms as i64),
        });
        batch.push(contest_attempts::ActiveModel {
            id: Set(id),
            round_id: Set(round.id),
            contestant_id: Set(first_id + who as i64),
            attempt_no: Set(next_no[who]),
            draw: Set(draw.clone()),
            started_at: Set(started),
            answers: Set(Some(answers.clone())),
            prediction: Set(prediction),
            submitted_at: Set(Some(started + Duration::milliseconds(ms as i64))),
            correct: Set(Some(correct)),
            total: Set(Some(20)),
            duration_ms: Set(Some(ms as i64)),
            ip: Set(None),
        });
        if batch.len() == CHUNK || i + 1 == attempts {
            contest_attempts::Entity::insert_many(std::mem::take(&mut batch))
                .exec(&txn)
                .await?;
            contest_scores::Entity::insert_many(std::mem::take(&mut scores))
                .exec(&txn)
                .await?;
        }
    }
    txn.commit().await?;
    Ok(round.id)
}

fn danvan_bench_rng(seed: u64) -> u64 {
    seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1
}

/// xorshift64*: reproducible and fast; quality is irrelevant for generated scores.
fn next(state: &mut u64) -> u64 {
    *state ^= *state >> 12;
    *state ^= *state << 25;
    *state ^= *state >> 27;
    state.wrapping_mul(0x2545_F491_4F6C_DD1D)
}

/// Makes a generated round closable again: drops its frozen results, so that the close can be
/// measured repeatedly on the same data without generating it again.
pub async fn clear_results<C: ConnectionTrait>(conn: &C, round_id: i64) -> DbResult<()> {
    use sea_orm::sea_query::Expr;
    contest_results::Entity::delete_many()
        .filter(contest_results::Column::RoundId.eq(round_id))
        .exec(conn)
        .await?;
    contest_round_tallies::Entity::delete_many()
        .filter(contest_round_tallies::Column::RoundId.eq(round_id))
        .exec(conn)
        .await?;
    contest_rounds::Entity::update_many()
        .col_expr(
            contest_rounds::Column::FrozenAt,
            Expr::value(Option::<DateTime<Utc>>::None),
        )
        .col_expr(
            contest_rounds::Column::Stats,
            Expr::value(Option::<String>::None),
        )
        .filter(contest_rounds::Column::Id.eq(round_id))
        .exec(conn)
        .await?;
    Ok(())
}

/// A draw of 20 questions with shuffled options and the answers to them, serialised as the
/// play path stores them.
fn realistic_payload(rng: &mut u64) -> (String, String) {
    use danvan_domain::contest::{DrawnAttempt, DrawnQuestion};
    let questions: Vec<DrawnQuestion> = (0..20)
        .map(|_| {
            let id = (next(rng) >> 33) as i64;
            DrawnQuestion {
                question_id: id,
                option_order: (0..4).map(|_| (next(rng) >> 33) as i64).collect(),
            }
        })
        .collect();
    let answers: Vec<(i64, i64)> = questions
        .iter()
        .map(|q| (q.question_id, q.option_order[0]))
        .collect();
    (
        serde_json::to_string(&DrawnAttempt { questions }).unwrap_or_default(),
        serde_json::to_string(&answers).unwrap_or_default(),
    )
}
