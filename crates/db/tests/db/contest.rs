//! The contest's storage: registration, starts under concurrency, autosave, durable submission
//! (a second submission is a conflict), freezing with exclusions and prizes, bank imports.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use danvan_db::authz::Scope;
use danvan_db::contest::play::{self, PlayError};
use danvan_db::contest::{Engine, admin, publication};
use danvan_db::entities::{contest_attempts, users};
use danvan_db::testing::{Backend, fresh};
use danvan_db::{Actor, both_backends};
use danvan_domain::contest::{Gender, RegistrationInput, RoundSettings};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use std::sync::Arc;

pub(crate) fn person(name: &str, phone: &str) -> RegistrationInput {
    RegistrationInput {
        full_name: name.into(),
        birth_date: NaiveDate::from_ymd_opt(1990, 5, 17).unwrap(),
        gender: Gender::Nu,
        phone: phone.into(),
        national_id: None,
        unit_id: None,
        group: None,
    }
}

pub(crate) async fn admin_of(conn: &sea_orm::DatabaseConnection) -> (Scope, Actor) {
    let u = users::Entity::find()
        .filter(users::Column::Username.eq("admin"))
        .one(conn)
        .await
        .unwrap()
        .unwrap();
    let scope = Scope::load(conn, u.id).await.unwrap();
    let actor = Actor {
        user_id: Some(u.id),
        username: u.username,
        ip: None,
    };
    (scope, actor)
}

/// A contest with one round open in [t0, t0 + 1 day), a bank of 30 questions, 5 per attempt.
pub(crate) async fn round_with(
    conn: &sea_orm::DatabaseConnection,
    settings: RoundSettings,
    t0: DateTime<Utc>,
) -> (i64, i64) {
    danvan_db::demo::load(conn, t0.date_naive()).await.unwrap();
    let (scope, actor) = admin_of(conn).await;
    let province = danvan_db::demo::unit_by_code(conn, "20", t0.date_naive())
        .await
        .unwrap();
    let contest = admin::create_contest(
        conn,
        &scope,
        &actor,
        admin::NewContest {
            title: "Cuộc thi thử",
            unit_id: province.id,
            min_age: Some(14),
            require_national_id: false,
            require_unit: false,
        },
    )
    .await
    .unwrap();
    let round = admin::create_round(
        conn,
        &scope,
        &actor,
        contest.id,
        admin::NewRound {
            name: "Tuần 1",
            opens_at: t0,
            closes_at: t0 + Duration::days(1),
            settings: &settings,
        },
    )
    .await
    .unwrap();
    let mut csv = String::from("cau_hoi,phuong_an_a,phuong_an_b,phuong_an_c,dap_an\n");
    for i in 0..30 {
        csv.push_str(&format!("Câu hỏi số {i}?,Đúng {i},Sai {i},Sai nữa {i},A\n"));
    }
    // Two bad rows: each is reported with its spreadsheet row, the good rows still go in.
    csv.push_str("Thiếu đáp án?,X,Y,Z,\nSai đáp án?,X,Y,Z,E\n");
    let report = admin::import_questions(
        conn,
        &scope,
        &actor,
        round.id,
        csv.as_bytes(),
        t0 - Duration::hours(1),
    )
    .await
    .unwrap();
    assert_eq!(report.added, 30);
    assert_eq!(
        report.errors.iter().map(|e| e.row).collect::<Vec<_>>(),
        vec![32, 33]
    );
    (contest.id, round.id)
}

fn small() -> RoundSettings {
    RoundSettings {
        questions_per_attempt: 5,
        max_attempts: Some(2),
        ..Default::default()
    }
}

pub(crate) fn correct_answers(engine: &Engine, started: &play::StartedAttempt) -> Vec<(i64, i64)> {
    // The test knows the key from the stored bank; the contestant never sees it.
    let bank = futures_lite(engine.bank(started.round_id)).unwrap();
    started
        .questions
        .iter()
        .map(|q| (q.id, bank.question(q.id).unwrap().correct_option))
        .collect()
}

/// Registers `who`, starts at `at` and submits `correct` right answers `secs` later; returns
/// the contestant id.
pub(crate) async fn play_once(
    engine: &Engine,
    (contest_id, round_id): (i64, i64),
    who: &RegistrationInput,
    correct: usize,
    prediction: Option<i64>,
    at: DateTime<Utc>,
    secs: i64,
) -> play::Registered {
    let r = play::register(engine, Some(contest_id), who, None, at)
        .await
        .unwrap();
    let s = play::start(engine, &r.token, round_id, None, at)
        .await
        .unwrap();
    let mut key = correct_answers(engine, &s);
    key.truncate(correct);
    play::submit(
        engine,
        &r.token,
        s.attempt_id,
        &key,
        prediction,
        at + Duration::seconds(secs),
    )
    .await
    .unwrap();
    r
}

fn futures_lite<F: std::future::Future>(f: F) -> F::Output {
    tokio::task::block_in_place(|| tokio::runtime::Handle::current().block_on(f))
}

async fn play_round(backend: Backend) {
    let t = fresh(backend).await;
    let t0 = Utc::now() - Duration::hours(1);
    let (contest_id, round_id) = round_with(&t.db.conn, small(), t0).await;
    let engine = Engine::new(t.db.clone());
    let now = t0 + Duration::minutes(5);

    // Under the minimum age: a field error in Vietnamese, nothing stored.
    let mut child = person("Lò Văn Nhỏ", "0912000001");
    child.birth_date = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    match play::register(&engine, Some(contest_id), &child, None, now).await {
        Err(PlayError::Fields(f)) => assert_eq!(f[0].field, "birth_date"),
        other => panic!("expected a field error, got {other:?}"),
    }

    let reg = play::register(
        &engine,
        Some(contest_id),
        &person("Hoàng Thị Mai", "0912345678"),
        None,
        now,
    )
    .await
    .unwrap();
    assert_eq!(reg.token.len(), 64);
    let started = play::start(&engine, &reg.token, round_id, None, now)
        .await
        .unwrap();
    assert_eq!(started.questions.len(), 5);
    assert!(started.questions.iter().all(|q| q.options.len() == 3));
    let json = serde_json::to_string(&started).unwrap();
    assert!(!json.contains("correct"), "the answer key leaked: {json}");

    // Refreshing resumes the same attempt with what was autosaved.
    let key = correct_answers(&engine, &started);
    play::save_answers(&engine, &reg.token, started.attempt_id, &key[..2], now)
        .await
        .unwrap();
    let again = play::start(&engine, &reg.token, round_id, None, now)
        .await
        .unwrap();
    assert_eq!(again.attempt_id, started.attempt_id);
    assert!(again.resumed);
    assert_eq!(again.saved, key[..2].to_vec());

    // Another contestant's token cannot touch the attempt.
    let other = play::register(
        &engine,
        Some(contest_id),
        &person("Nông Văn Bình", "0987654321"),
        None,
        now,
    )
    .await
    .unwrap();
    assert!(matches!(
        play::submit(
            &engine,
            &other.token,
            started.attempt_id,
            &key,
            Some(3),
            now
        )
        .await,
        Err(PlayError::Db(danvan_db::DbError::NotFound(_)))
    ));

    let mut answers = key.clone();
    answers[4].1 += 1; // one wrong answer
    let done = play::submit(
        &engine,
        &reg.token,
        started.attempt_id,
        &answers,
        Some(3),
        now + Duration::seconds(42),
    )
    .await
    .unwrap();
    assert_eq!((done.correct, done.total), (4, 5));
    assert_eq!(
        done.duration_ms,
        42_000 + (now - started.started_at).num_milliseconds()
    );
    let second = play::submit(&engine, &reg.token, started.attempt_id, &key, Some(3), now).await;
    assert!(matches!(second, Err(PlayError::Conflict(_))), "{second:?}");

    // A fresh engine (as after a restart) still refuses the second submission.
    let restarted = Engine::new(t.db.clone());
    let third = play::submit(
        &restarted,
        &reg.token,
        started.attempt_id,
        &key,
        Some(3),
        now,
    )
    .await;
    assert!(matches!(third, Err(PlayError::Conflict(_))), "{third:?}");

    // Second and last attempt, then the limit.
    let s2 = play::start(&engine, &reg.token, round_id, None, now)
        .await
        .unwrap();
    assert_ne!(s2.attempt_id, started.attempt_id);
    play::submit(&engine, &reg.token, s2.attempt_id, &[], None, now)
        .await
        .unwrap();
    let limit = play::start(&engine, &reg.token, round_id, None, now).await;
    match limit {
        Err(PlayError::Conflict(m)) => assert!(m.contains("hết 2 lượt"), "{m}"),
        other => panic!("expected the attempt limit, got {other:?}"),
    }

    // Late submission: refused, and the attempt is submitted with what was saved in time.
    let s3 = play::start(&engine, &other.token, round_id, None, now)
        .await
        .unwrap();
    let key3 = correct_answers(&engine, &s3);
    play::save_answers(&engine, &other.token, s3.attempt_id, &key3[..3], now)
        .await
        .unwrap();
    let late = now + Duration::seconds(600 + 4);
    let r = play::submit(&engine, &other.token, s3.attempt_id, &key3, None, late).await;
    match r {
        Err(PlayError::Conflict(m)) => assert!(m.contains("đúng 3/5"), "{m}"),
        other => panic!("expected a late refusal, got {other:?}"),
    }
    let row = contest_attempts::Entity::find_by_id(s3.attempt_id)
        .one(&t.db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.correct, Some(3));
    assert_eq!(row.duration_ms, Some(600_000));
}
both_backends!(play_round_tests, play_round);

async fn concurrent_starts_never_exceed_the_limit(backend: Backend) {
    let t = fresh(backend).await;
    let t0 = Utc::now() - Duration::hours(1);
    let settings = RoundSettings {
        questions_per_attempt: 5,
        max_attempts: Some(1),
        ..Default::default()
    };
    let (contest_id, round_id) = round_with(&t.db.conn, settings, t0).await;
    let engine = Arc::new(Engine::new(t.db.clone()));
    let now = t0 + Duration::minutes(1);
    let mut tokens = Vec::new();
    for i in 0..10 {
        let r = play::register(
            &engine,
            Some(contest_id),
            &person("Vi Thị Hoa", &format!("09120000{i:02}")),
            None,
            now,
        )
        .await
        .unwrap();
        tokens.push(r.token);
    }
    let mut tasks = Vec::new();
    for token in &tokens {
        for _ in 0..8 {
            let (engine, token) = (engine.clone(), token.clone());
            tasks.push(tokio::spawn(async move {
                let started = play::start(&engine, &token, round_id, None, now).await;
                match started {
                    Ok(s) => {
                        // Whoever got the attempt submits at once, so later starts meet the limit.
                        let _ = play::submit(&engine, &token, s.attempt_id, &[], None, now).await;
                        true
                    }
                    Err(PlayError::Conflict(_)) => false,
                    Err(e) => panic!("unexpected error {e:?}"),
                }
            }));
        }
    }
    for task in tasks {
        task.await.unwrap();
    }
    let rows = contest_attempts::Entity::find()
        .filter(contest_attempts::Column::RoundId.eq(round_id))
        .count(&t.db.conn)
        .await
        .unwrap();
    assert_eq!(rows, 10, "exactly one attempt per contestant");
}
both_backends!(
    concurrent_start_tests,
    concurrent_starts_never_exceed_the_limit
);

async fn freeze_ranks_awards_and_excludes(backend: Backend) {
    let t = fresh(backend).await;
    let t0 = Utc::now() - Duration::days(2);
    let settings = RoundSettings {
        questions_per_attempt: 5,
        max_attempts: Some(1),
        prizes: vec![
            danvan_domain::contest::PrizeTier {
                name: "Giải Nhất".into(),
                count: 1,
                value_vnd: None,
            },
            danvan_domain::contest::PrizeTier {
                name: "Giải Nhì".into(),
                count: 1,
                value_vnd: None,
            },
        ],
        ..Default::default()
    };
    let (contest_id, round_id) = round_with(&t.db.conn, settings, t0).await;
    let (scope, actor) = admin_of(&t.db.conn).await;
    let engine = Engine::new(t.db.clone());
    let now = t0 + Duration::minutes(1);

    // The organiser (excluded) is fastest and perfect; she is listed but wins nothing.
    admin::add_exclusion(
        &t.db.conn,
        &scope,
        &actor,
        contest_id,
        "+84 912 111 111",
        "Ban Tổ chức",
    )
    .await
    .unwrap();
    let dup = admin::add_exclusion(&t.db.conn, &scope, &actor, contest_id, "0912111111", "").await;
    assert!(matches!(dup, Err(danvan_db::DbError::Conflict(_))));
    let players = [
        ("Lương Thị Tổ Chức", "0912111111", 5, 10),
        ("Hà Văn An", "0912222222", 5, 20),
        ("Đinh Thị Bích", "0912333333", 4, 5),
    ];
    for (name, phone, correct, secs) in players {
        let who = person(name, phone);
        play_once(
            &engine,
            (contest_id, round_id),
            &who,
            correct,
            Some(1),
            now,
            secs,
        )
        .await;
    }
    // One attempt left open with two saved answers is submitted by the freeze.
    let r = play::register(
        &engine,
        Some(contest_id),
        &person("Chu Văn Muộn", "0912444444"),
        None,
        now,
    )
    .await
    .unwrap();
    let s = play::start(&engine, &r.token, round_id, None, now)
        .await
        .unwrap();
    let key = correct_answers(&engine, &s);
    play::save_answers(&engine, &r.token, s.attempt_id, &key[..2], now)
        .await
        .unwrap();

    let unfrozen = publication::announce_round(&t.db.conn, &scope, &actor, round_id, now).await;
    assert!(
        matches!(unfrozen, Err(danvan_db::DbError::Conflict(_))),
        "nothing to announce before the freeze"
    );
    let early = admin::freeze_round(&t.db.conn, Some(&engine), &scope, &actor, round_id, now).await;
    assert!(
        matches!(early, Err(danvan_db::DbError::Conflict(_))),
        "not before close"
    );
    let after = t0 + Duration::days(1) + Duration::seconds(1);
    let summary = admin::freeze_round(&t.db.conn, Some(&engine), &scope, &actor, round_id, after)
        .await
        .unwrap();
    // The organiser on the exclusion list counts neither for the target nor in the statistics.
    assert_eq!(summary.participants, 3);
    assert_eq!(summary.stats.participants, 3);
    assert_eq!(summary.auto_submitted, 1);
    assert_eq!(summary.prize_winners, 2);
    assert_eq!(
        summary
            .stats
            .by_gender
            .iter()
            .map(|b| b.participants)
            .sum::<u64>(),
        3
    );
    let again =
        admin::freeze_round(&t.db.conn, Some(&engine), &scope, &actor, round_id, after).await;
    assert!(matches!(again, Err(danvan_db::DbError::Conflict(_))));

    let lines = admin::results(&t.db.conn, &scope, round_id, false)
        .await
        .unwrap();
    let names: Vec<(&str, Option<&str>)> = lines
        .iter()
        .map(|l| (l.full_name.as_str(), l.prize.as_deref()))
        .collect();
    assert_eq!(
        names,
        vec![
            ("Lương Thị Tổ Chức", None),
            ("Hà Văn An", Some("Giải Nhất")),
            ("Đinh Thị Bích", Some("Giải Nhì")),
            ("Chu Văn Muộn", None),
        ]
    );
    assert!(lines[0].excluded);
    let csv = admin::winners_csv(
        &admin::results(&t.db.conn, &scope, round_id, true)
            .await
            .unwrap(),
    );
    assert!(
        csv.contains("Hà Văn An") && !csv.contains("Lương Thị Tổ Chức"),
        "{csv}"
    );

    // Published results: nothing until the organisers announce, then the winners by name and
    // unit, and the round's figures.
    assert!(
        publication::published(&t.db.conn, round_id)
            .await
            .unwrap()
            .is_none()
    );
    publication::announce_round(&t.db.conn, &scope, &actor, round_id, after)
        .await
        .unwrap();
    let twice = publication::announce_round(&t.db.conn, &scope, &actor, round_id, after).await;
    assert!(matches!(twice, Err(danvan_db::DbError::Conflict(_))));
    let published = publication::published(&t.db.conn, round_id)
        .await
        .unwrap()
        .unwrap();
    let winners: Vec<(&str, &str)> = published
        .winners
        .iter()
        .map(|w| (w.full_name.as_str(), w.prize.as_str()))
        .collect();
    assert_eq!(
        winners,
        vec![("Hà Văn An", "Giải Nhất"), ("Đinh Thị Bích", "Giải Nhì")]
    );
    assert_eq!(published.summary.stats.participants, 3);

    // After the freeze nothing can be submitted any more.
    let late = play::start(&engine, &r.token, round_id, None, after).await;
    assert!(matches!(late, Err(PlayError::Conflict(_))));

    // The bank of an opened round cannot change.
    let import =
        admin::import_questions(&t.db.conn, &scope, &actor, round_id, b"cau_hoi\n", now).await;
    assert!(matches!(import, Err(danvan_db::DbError::Conflict(_))));
}
both_backends!(freeze_tests, freeze_ranks_awards_and_excludes);

async fn demo_contest_is_open_with_a_big_bank(backend: Backend) {
    let t = fresh(backend).await;
    let now = Utc::now();
    danvan_db::demo::load(&t.db.conn, now.date_naive())
        .await
        .unwrap();
    let round = danvan_db::demo::load_contest(&t.db.conn, now)
        .await
        .unwrap();
    assert_eq!(
        danvan_db::demo::load_contest(&t.db.conn, now)
            .await
            .unwrap(),
        round,
        "idempotent"
    );
    assert!(admin::question_count(&t.db.conn, round).await.unwrap() >= 200);
    let engine = Engine::new(t.db.clone());
    let reg = play::register(
        &engine,
        None,
        &person("Triệu Văn Dũng", "0912555555"),
        None,
        now,
    )
    .await
    .unwrap();
    let s = play::start(&engine, &reg.token, round, None, now)
        .await
        .unwrap();
    assert_eq!(s.questions.len(), 20);
}
both_backends!(demo_contest_tests, demo_contest_is_open_with_a_big_bank);

/// A freeze whose process died after claiming the round (frozen_at set, no results) blocks
/// other organisers only for the takeover window; then the round can be frozen again.
async fn interrupted_freeze_can_be_taken_over(backend: Backend) {
    use danvan_db::entities::contest_rounds;
    use sea_orm::{ActiveModelTrait, Set};
    let t = fresh(backend).await;
    let t0 = Utc::now() - Duration::days(2);
    let (contest_id, round_id) = round_with(&t.db.conn, small(), t0).await;
    let (scope, actor) = admin_of(&t.db.conn).await;
    let engine = Engine::new(t.db.clone());
    let now = t0 + Duration::minutes(1);
    let who = person("Nông Văn Chốt", "0913555555");
    let r = play_once(&engine, (contest_id, round_id), &who, 5, None, now, 41).await;
    // The close reads a narrow copy of the score; its instants are the attempt's to the ms.
    let a = contest_attempts::Entity::find()
        .filter(contest_attempts::Column::ContestantId.eq(r.contestant_id))
        .one(&t.db.conn)
        .await
        .unwrap()
        .unwrap();
    let score = danvan_db::entities::contest_scores::Entity::find_by_id(a.id)
        .one(&t.db.conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(score.started_ms, a.started_at.timestamp_millis());
    assert_eq!(
        Some(score.submitted_ms),
        a.submitted_at.map(|t| t.timestamp_millis())
    );
    assert_eq!(score.submitted_ms - score.started_ms, 41_000);
    assert_eq!((score.correct, score.duration_ms), (5, 41_000));

    let crashed_at = t0 + Duration::days(1) + Duration::seconds(5);
    contest_rounds::ActiveModel {
        id: Set(round_id),
        frozen_at: Set(Some(crashed_at)),
        ..Default::default()
    }
    .update(&t.db.conn)
    .await
    .unwrap();
    let soon = crashed_at + Duration::minutes(1);
    let busy = admin::freeze_round(&t.db.conn, Some(&engine), &scope, &actor, round_id, soon).await;
    match busy {
        Err(danvan_db::DbError::Conflict(m)) => assert!(m.contains("đang được chốt"), "{m}"),
        other => panic!("expected a conflict, got {other:?}"),
    }
    let results = admin::results(&t.db.conn, &scope, round_id, false).await;
    assert!(
        matches!(results, Err(danvan_db::DbError::Conflict(_))),
        "no results before the freeze finished"
    );
    let later = crashed_at + Duration::seconds(admin::FREEZE_TAKEOVER_SECS + 1);
    let summary = admin::freeze_round(&t.db.conn, Some(&engine), &scope, &actor, round_id, later)
        .await
        .unwrap();
    assert_eq!(summary.participants, 1);
    let lines = admin::results(&t.db.conn, &scope, round_id, false)
        .await
        .unwrap();
    assert_eq!(lines.len(), 1);
    assert_eq!(lines[0].duration_ms, 41_000);
}
both_backends!(
    interrupted_freeze_tests,
    interrupted_freeze_can_be_taken_over
);

/// Vòng chung kết: only the best places of a frozen qualifying round may start; a qualifying
/// round must belong to the same contest.
async fn final_round_takes_the_qualifiers_only(backend: Backend) {
    use danvan_domain::contest::Qualification;
    let t = fresh(backend).await;
    let t0 = Utc::now() - Duration::days(3);
    let settings = RoundSettings {
        max_attempts: Some(1),
        ..small()
    };
    let (contest_id, heat) = round_with(&t.db.conn, settings, t0).await;
    let (scope, actor) = admin_of(&t.db.conn).await;
    let engine = Engine::new(t.db.clone());
    let now = t0 + Duration::minutes(1);
    let mut tokens = Vec::new();
    for (name, phone, correct) in [
        ("Vi Thị Nhất", "0914000001", 5),
        ("Lộc Văn Nhì", "0914000002", 3),
    ] {
        let who = person(name, phone);
        let r = play_once(&engine, (contest_id, heat), &who, correct, Some(1), now, 0).await;
        tokens.push(r.token);
    }
    let closed = t0 + Duration::days(1) + Duration::seconds(1);
    admin::freeze_round(&t.db.conn, Some(&engine), &scope, &actor, heat, closed)
        .await
        .unwrap();

    let final_settings = RoundSettings {
        qualification: Some(Qualification {
            from_rounds: vec![heat],
            top: 1,
        }),
        ..small()
    };
    let opens = Utc::now() + Duration::seconds(2);
    let new_round = |settings| admin::NewRound {
        name: "Chung kết",
        opens_at: opens,
        closes_at: opens + Duration::days(1),
        settings,
    };
    let final_round = admin::create_round(
        &t.db.conn,
        &scope,
        &actor,
        contest_id,
        new_round(&final_settings),
    )
    .await
    .unwrap();
    let mut csv = String::from("cau_hoi,phuong_an_a,phuong_an_b,phuong_an_c,dap_an\n");
    for i in 0..10 {
        csv.push_str(&format!("Câu chung kết {i}?,Đúng,Sai,Sai nữa,A\n"));
    }
    let bank = admin::import_questions(
        &t.db.conn,
        &scope,
        &actor,
        final_round.id,
        csv.as_bytes(),
        Utc::now(),
    )
    .await
    .unwrap();
    assert_eq!(bank.added, 10);
    let now = opens + Duration::seconds(1);
    let first = play::start(&engine, &tokens[0], final_round.id, None, now).await;
    let second = play::start(&engine, &tokens[1], final_round.id, None, now).await;
    assert!(first.is_ok(), "the first place qualifies: {first:?}");
    match second {
        Err(PlayError::Conflict(m)) => assert!(m.contains("chung kết"), "{m}"),
        other => panic!("the second place does not qualify: {other:?}"),
    }

    // A round of another contest cannot qualify anyone here.
    let elsewhere = RoundSettings {
        qualification: Some(Qualification {
            from_rounds: vec![final_round.id + 1_000],
            top: 1,
        }),
        ..small()
    };
    let refused = admin::create_round(
        &t.db.conn,
        &scope,
        &actor,
        contest_id,
        new_round(&elsewhere),
    )
    .await;
    assert!(
        matches!(refused, Err(danvan_db::DbError::Invalid(_))),
        "{refused:?}"
    );
}
both_backends!(final_round_tests, final_round_takes_the_qualifiers_only);
