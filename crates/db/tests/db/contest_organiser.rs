//! The contest's organiser side in storage: editing a round by its state (and the running
//! engine playing by the new settings at once), disqualification, headcounts and the collective
//! ranking over frozen rounds.

use crate::contest::{admin_of, person, play_once, round_with};
use chrono::{DateTime, Duration, Utc};
use danvan_db::contest::organiser::{self, RoundChange};
use danvan_db::contest::play::{self, PlayError};
use danvan_db::contest::{Engine, admin, collective};
use danvan_db::entities::audit_log;
use danvan_db::testing::{Backend, fresh};
use danvan_db::{DbError, both_backends};
use danvan_domain::contest::{
    CollectiveFormula, CollectiveSettings, PrizeTier, RoundSettings, TieKey, parse_strata,
};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

fn small() -> RoundSettings {
    RoundSettings {
        questions_per_attempt: 5,
        max_attempts: Some(1),
        prizes: vec![PrizeTier {
            name: "Giải Nhất".into(),
            count: 1,
            value_vnd: None,
        }],
        ..Default::default()
    }
}

fn change<'a>(
    name: &'a str,
    opens_at: DateTime<Utc>,
    closes_at: DateTime<Utc>,
    settings: &'a RoundSettings,
) -> RoundChange<'a> {
    RoundChange {
        name,
        opens_at,
        closes_at,
        settings,
    }
}

async fn last_audit(conn: &sea_orm::DatabaseConnection, action: &str) -> serde_json::Value {
    let row = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq(action))
        .order_by_desc(audit_log::Column::Id)
        .one(conn)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("an audit entry {action}"));
    serde_json::from_str(row.detail.as_deref().unwrap_or("null")).unwrap()
}

async fn editing_a_round_follows_its_state(backend: Backend) {
    let t = fresh(backend).await;
    let conn = &t.db.conn;
    let now = Utc::now();
    // Opens tomorrow: everything may change.
    let t0 = now + Duration::days(1);
    let (_, round_id) = round_with(conn, small(), t0).await;
    let (scope, actor) = admin_of(conn).await;
    let engine = Engine::new(t.db.clone());
    let mut edited = small();
    edited.questions_per_attempt = 6;
    edited.tie_break = vec![
        TieKey::CorrectDesc,
        TieKey::DurationAsc,
        TieKey::StartedAtAsc,
    ];
    edited.stratify = parse_strata("Không có chủ đề này: 6").unwrap();
    edited.min_correct_for_prize = Some(5);
    let saved = organiser::update_round(
        conn,
        Some(&engine),
        &scope,
        &actor,
        round_id,
        change("Tuần 1 (sửa)", t0, t0 + Duration::days(2), &edited),
        now,
    )
    .await
    .unwrap();
    assert_eq!(saved.name, "Tuần 1 (sửa)");
    let audit = last_audit(conn, "contest.round.update").await;
    assert_eq!(audit["before"]["name"], "Tuần 1");
    assert_eq!(audit["before"]["settings"]["questions_per_attempt"], 5);
    assert_eq!(audit["after"]["settings"]["questions_per_attempt"], 6);
    assert_eq!(audit["after"]["settings"]["tie_break"][2], "started_at_asc");
    // The bank has no question of that topic: organisers are told before the opening.
    let problem = organiser::bank_problem(conn, &saved)
        .await
        .unwrap()
        .unwrap();
    assert!(
        problem.contains("Không có chủ đề này") && problem.contains("0"),
        "{problem}"
    );
    edited.stratify = Vec::new();
    let bad = organiser::update_round(
        conn,
        Some(&engine),
        &scope,
        &actor,
        round_id,
        change("Tuần 1", t0 + Duration::days(3), t0, &edited),
        now,
    )
    .await;
    assert!(matches!(bad, Err(DbError::Invalid(_))), "{bad:?}");

    // Once open only fairness-neutral changes: here the round opened two days ago and closed
    // yesterday, not frozen yet.
    let t0 = now - Duration::days(2);
    let closes = t0 + Duration::days(1);
    let t2 = fresh(backend).await;
    let conn = &t2.db.conn;
    let (contest_id, round_id) = round_with(conn, small(), t0).await;
    let (scope, actor) = admin_of(conn).await;
    let engine = Engine::new(t2.db.clone());
    let reg = play::register(
        &engine,
        Some(contest_id),
        &person("Lộc Văn Sửa", "0912000123"),
        None,
        now,
    )
    .await
    .unwrap();
    let refused = play::start(&engine, &reg.token, round_id, None, now).await;
    assert!(
        matches!(refused, Err(PlayError::Conflict(ref m)) if m.contains("đã kết thúc")),
        "{refused:?}"
    );

    let base = small();
    let mut k = small();
    k.questions_per_attempt = 4;
    k.time_limit_secs = 300;
    let locked = organiser::update_round(
        conn,
        Some(&engine),
        &scope,
        &actor,
        round_id,
        change("Tuần 1", t0, closes, &k),
        now,
    )
    .await;
    match locked {
        Err(DbError::Conflict(m)) => assert!(
            m.contains("số câu hỏi mỗi lượt, thời gian làm bài") && m.contains("Vòng thi đã mở"),
            "{m}"
        ),
        other => panic!("expected a refusal, got {other:?}"),
    }
    let earlier = organiser::update_round(
        conn,
        Some(&engine),
        &scope,
        &actor,
        round_id,
        change("Tuần 1", t0, closes - Duration::hours(1), &base),
        now,
    )
    .await;
    assert!(matches!(earlier, Err(DbError::Conflict(_))), "{earlier:?}");
    let past = organiser::update_round(
        conn,
        Some(&engine),
        &scope,
        &actor,
        round_id,
        change("Tuần 1", t0, now - Duration::minutes(1), &base),
        now,
    )
    .await;
    assert!(matches!(past, Err(DbError::Invalid(_))), "{past:?}");

    // A later close, a new name, prizes and the minimum score are allowed, and this process's
    // engine plays by them at once: the start refused above is now accepted.
    let mut prizes = small();
    prizes.prizes.push(PrizeTier {
        name: "Giải Khuyến khích".into(),
        count: 3,
        value_vnd: None,
    });
    prizes.min_correct_for_prize = Some(3);
    organiser::update_round(
        conn,
        Some(&engine),
        &scope,
        &actor,
        round_id,
        change("Tuần 1 (gia hạn)", t0, now + Duration::hours(1), &prizes),
        now,
    )
    .await
    .unwrap();
    let started = play::start(&engine, &reg.token, round_id, None, now)
        .await
        .unwrap();
    assert_eq!(started.questions.len(), 5);

    // Frozen: nothing changes any more.
    let after = now + Duration::hours(1) + Duration::seconds(1);
    admin::freeze_round(conn, Some(&engine), &scope, &actor, round_id, after)
        .await
        .unwrap();
    let frozen = organiser::update_round(
        conn,
        Some(&engine),
        &scope,
        &actor,
        round_id,
        change("Tuần 1", t0, after + Duration::days(1), &prizes),
        after,
    )
    .await;
    assert!(
        matches!(frozen, Err(DbError::Conflict(ref m)) if m.contains("đã được chốt")),
        "{frozen:?}"
    );
}
both_backends!(edit_round_tests, editing_a_round_follows_its_state);

async fn a_disqualified_contestant_is_not_ranked(backend: Backend) {
    let t = fresh(backend).await;
    let conn = &t.db.conn;
    let t0 = Utc::now() - Duration::days(2);
    let (contest_id, round_id) = round_with(conn, small(), t0).await;
    let (scope, actor) = admin_of(conn).await;
    let engine = Engine::new(t.db.clone());
    let now = t0 + Duration::minutes(1);
    let mut ids = Vec::new();
    for (name, phone, correct) in [
        ("Hoàng Văn Thi Hộ", "0912777001", 5),
        ("Nông Thị Thật", "0912777002", 4),
    ] {
        let who = person(name, phone);
        ids.push(
            play_once(
                &engine,
                (contest_id, round_id),
                &who,
                correct,
                Some(0),
                now,
                30,
            )
            .await
            .contestant_id,
        );
    }
    // Found by phone (any spelling), by part of the name without diacritics, not by a stranger.
    let by_phone = organiser::find_contestants(conn, &scope, contest_id, "+84 912 777 001")
        .await
        .unwrap();
    assert_eq!(
        by_phone.iter().map(|p| p.id).collect::<Vec<_>>(),
        vec![ids[0]]
    );
    let by_name = organiser::find_contestants(conn, &scope, contest_id, "van thi ho")
        .await
        .unwrap();
    assert_eq!(
        by_name.iter().map(|p| p.id).collect::<Vec<_>>(),
        vec![ids[0]]
    );
    assert!(
        organiser::find_contestants(conn, &scope, contest_id, "Trần")
            .await
            .unwrap()
            .is_empty()
    );

    let id = ids[0];
    let dq = async |reason: Option<&str>| {
        organiser::set_disqualified(conn, &scope, &actor, contest_id, id, reason).await
    };
    let no_reason = dq(Some("  ")).await;
    assert!(
        matches!(no_reason, Err(DbError::Invalid(_))),
        "{no_reason:?}"
    );
    dq(Some("Thi hộ người khác")).await.unwrap();
    assert!(matches!(
        dq(Some("Lần nữa")).await,
        Err(DbError::Conflict(_))
    ));
    dq(None).await.unwrap();
    assert_eq!(
        last_audit(conn, "contest.contestant.reinstate").await["before"]["reason"],
        "Thi hộ người khác"
    );
    let p = dq(Some("Thi hộ người khác")).await.unwrap();
    assert!(p.disqualified);
    assert_eq!(p.disqualified_reason.as_deref(), Some("Thi hộ người khác"));
    let audit = last_audit(conn, "contest.contestant.disqualify").await;
    assert_eq!(audit["after"]["reason"], "Thi hộ người khác");
    assert_eq!(
        organiser::disqualified(conn, contest_id)
            .await
            .unwrap()
            .len(),
        1
    );

    let after = t0 + Duration::days(1) + Duration::seconds(1);
    let summary = admin::freeze_round(conn, Some(&engine), &scope, &actor, round_id, after)
        .await
        .unwrap();
    assert_eq!(summary.participants, 1);
    let lines = admin::results(conn, &scope, round_id, false).await.unwrap();
    let names: Vec<(&str, Option<&str>)> = lines
        .iter()
        .map(|l| (l.full_name.as_str(), l.prize.as_deref()))
        .collect();
    assert_eq!(names, vec![("Nông Thị Thật", Some("Giải Nhất"))]);
    // Every round is frozen: the decision can no longer change.
    let late = dq(None).await;
    assert!(matches!(late, Err(DbError::Conflict(_))), "{late:?}");
}
both_backends!(disqualify_tests, a_disqualified_contestant_is_not_ranked);

async fn collective_ranking_over_frozen_rounds(backend: Backend) {
    let t = fresh(backend).await;
    let conn = &t.db.conn;
    let t0 = Utc::now() - Duration::days(2);
    let today = Utc::now().date_naive();
    let (contest_id, round_id) = round_with(conn, small(), t0).await;
    let (scope, actor) = admin_of(conn).await;
    let engine = Engine::new(t.db.clone());
    let now = t0 + Duration::minutes(1);
    let loc_binh = danvan_db::demo::unit_by_code(conn, "06529", today)
        .await
        .unwrap()
        .id;
    let dinh_lap = danvan_db::demo::unit_by_code(conn, "06613", today)
        .await
        .unwrap()
        .id;
    let players = [
        ("Vi Văn Một", "0912888001", Some(loc_binh), 5),
        ("Vi Văn Hai", "0912888002", Some(loc_binh), 3),
        ("Hà Thị Ba", "0912888003", Some(dinh_lap), 4),
        ("Lưu Văn Bốn", "0912888004", None, 5),
    ];
    for (name, phone, unit, correct) in players {
        let mut who = person(name, phone);
        who.unit_id = unit;
        play_once(
            &engine,
            (contest_id, round_id),
            &who,
            correct,
            None,
            now,
            20,
        )
        .await;
    }
    // Headcounts by code and by name; unknown units are reported by row.
    let file = "Mã đơn vị/tên,Số người\n06529,10\nXã Không Có,5\n,3\n";
    let report =
        collective::import_headcounts(conn, &scope, &actor, contest_id, file.as_bytes(), today)
            .await
            .unwrap();
    assert_eq!(report.saved, 1);
    let rows: Vec<usize> = report.errors.iter().map(|e| e.row).collect();
    assert_eq!(rows, vec![3, 4]);
    assert!(report.errors[0].message.contains("Xã Không Có"));
    let counts = collective::headcounts(conn, contest_id).await.unwrap();
    assert_eq!(counts.len(), 1);
    assert_eq!((counts[0].unit_id, counts[0].headcount), (loc_binh, 10));

    // Nothing frozen yet: no ranking.
    let s = collective::standings(conn, &scope, contest_id)
        .await
        .unwrap();
    assert!(s.rounds.is_empty());
    assert_eq!(s.lines()[0].participants, 0);

    let after = t0 + Duration::days(1) + Duration::seconds(1);
    admin::freeze_round(conn, Some(&engine), &scope, &actor, round_id, after)
        .await
        .unwrap();
    let s = collective::standings(conn, &scope, contest_id)
        .await
        .unwrap();
    assert_eq!(s.settings.formula, CollectiveFormula::ParticipationRate);
    assert_eq!(s.rounds, vec!["Tuần 1".to_owned()]);
    let lines = s.lines();
    assert_eq!(lines.len(), 1, "rate formula: only units with a headcount");
    assert_eq!(
        (lines[0].unit.as_str(), lines[0].rate.as_str()),
        ("Xã Lộc Bình", "20,00 %")
    );
    assert!(lines[0].prize);
    assert_eq!(s.missing(), vec!["Xã Đình Lập".to_owned()]);

    collective::save_settings(
        conn,
        &scope,
        &actor,
        contest_id,
        &CollectiveSettings {
            formula: CollectiveFormula::ParticipantsPlusScore,
            prizes: 1,
            ..CollectiveSettings::default()
        },
    )
    .await
    .unwrap();
    let s = collective::standings(conn, &scope, contest_id)
        .await
        .unwrap();
    let got: Vec<(String, u64, u64, bool)> = s
        .lines()
        .into_iter()
        .map(|l| (l.unit, l.participants, l.total_correct, l.prize))
        .collect();
    assert_eq!(
        got,
        vec![
            ("Xã Lộc Bình".to_owned(), 2, 8, true),
            ("Xã Đình Lập".to_owned(), 1, 4, false)
        ]
    );
    let csv = collective::standings_csv(&s);
    assert!(csv.starts_with("\u{feff}Hạng,Đơn vị"), "{csv}");
    assert!(
        csv.contains("Xã Lộc Bình") && csv.contains("Đạt giải"),
        "{csv}"
    );
    assert_eq!(
        last_audit(conn, "contest.collective.settings").await["after"]["formula"],
        "participants_plus_score"
    );
}
both_backends!(collective_tests, collective_ranking_over_frozen_rounds);
