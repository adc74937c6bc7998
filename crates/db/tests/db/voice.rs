use crate::accounts::{unit_id, user_on};
use crate::day;
use danvan_db::audit::{self, Filter};
use danvan_db::authz::Role;
use danvan_db::both_backends;
use danvan_db::entities::voice_cases;
use danvan_db::testing::{Backend, fresh};
use danvan_db::voice::{self, Action, NewCase, Queue};
use danvan_db::{Actor, DbError};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};

fn citizen() -> Actor {
    Actor {
        user_id: None,
        username: "công dân".into(),
        ip: Some("203.0.113.9".into()),
    }
}

fn complaint(place: i64, received: &str, key: Option<&'static str>) -> NewCase<'static> {
    NewCase {
        kind: "khieu_nai_lan_dau",
        topic: "dat_dai",
        channel: "web",
        title: "Khiếu nại quyết định thu hồi đất",
        body: "Gia đình tôi không đồng ý với mức bồi thường khi thu hồi đất ruộng.",
        citizen_name: "Hoàng Văn Tư",
        citizen_contact: "Thôn Nà Mò, 0912 000 111",
        place_unit_id: place,
        received_on: day(received),
        submission_key: key,
    }
}

fn handler(id: i64, name: &str) -> Actor {
    Actor {
        user_id: Some(id),
        username: name.into(),
        ip: None,
    }
}

async fn cases(c: &DatabaseConnection) -> u64 {
    voice_cases::Entity::find().count(c).await.unwrap()
}

// 06529 Xã Lộc Bình, 06613 Xã Đình Lập, 20 the province.
async fn a_complaint_runs_from_receipt_to_answer_on_the_statutory_clocks(b: Backend) {
    let t = fresh(b).await;
    let c = &t.db.conn;
    let loc_binh = unit_id(c, "06529").await;
    let (hid, scope) = user_on(c, "canbo.a", "06529", Role::Specialist).await;
    let me = handler(hid, "canbo.a");

    // Monday 2/3/2026: thụ lý within 10 calendar days (Luật Khiếu nại Điều 27).
    let (case, code) = voice::submit(c, None, &citizen(), complaint(loc_binh, "2026-03-02", None))
        .await
        .unwrap();
    assert_eq!(case.status, "received");
    assert_eq!(case.handling_unit_id, loc_binh);
    assert_eq!(case.rule_id.as_deref(), Some("khieu-nai-thu-ly"));
    assert_eq!(case.due_on, Some(day("2026-03-12")));
    assert_ne!(case.tracking_hash, code, "only a hash of the code is stored");

    // The citizen may type the code in lower case, with or without the dashes.
    let typed = code.replace('-', " ").to_lowercase();
    let view = voice::lookup(c, &typed).await.unwrap();
    assert_eq!(view.status, "Đã tiếp nhận");
    assert!(view.answer.is_none());

    // Accepted Thursday 5/3: 30 days end Saturday 4/4, which rolls to Monday 6/4.
    let accepted = voice::act(
        c,
        &scope,
        &me,
        case.id,
        Action::Accept {
            on: day("2026-03-05"),
            complex: false,
            remote: false,
        },
    )
    .await
    .unwrap();
    assert_eq!(accepted.rule_id.as_deref(), Some("khieu-nai-lan-dau"));
    assert_eq!(accepted.due_on, Some(day("2026-04-06")));
    assert!(accepted.rule_version.is_some());
    assert_eq!(accepted.assigned_to, Some(hid));

    // A complex case in a remote area gets 60 days instead (Điều 28).
    let (other, _) = voice::submit(c, None, &citizen(), complaint(loc_binh, "2026-03-02", None))
        .await
        .unwrap();
    let slow = voice::act(
        c,
        &scope,
        &me,
        other.id,
        Action::Accept {
            on: day("2026-03-05"),
            complex: true,
            remote: true,
        },
    )
    .await
    .unwrap();
    assert_eq!(slow.due_on, Some(day("2026-05-04")));

    // Complaints have no gia hạn in the rules: a clear refusal, nothing changed.
    let err = voice::act(
        c,
        &scope,
        &me,
        case.id,
        Action::Extend {
            days: 10,
            basis: "Quyết định số 1/QĐ",
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(err, DbError::Invalid(ref m) if m.contains("không được gia hạn")));

    voice::act(c, &scope, &me, case.id, Action::Start).await.unwrap();
    let answer = "Giữ nguyên mức bồi thường; <b>hướng dẫn</b> khiếu nại lần hai.";
    voice::act(c, &scope, &me, case.id, Action::Resolve { answer })
        .await
        .unwrap();
    let view = voice::lookup(c, &code).await.unwrap();
    assert_eq!(view.status, "Đã giải quyết");
    assert_eq!(view.answer.as_deref(), Some(answer));

    // Closing twice: the second is a state conflict.
    voice::act(c, &scope, &me, case.id, Action::Close).await.unwrap();
    assert!(matches!(
        voice::act(c, &scope, &me, case.id, Action::Close).await,
        Err(DbError::Conflict(_))
    ));

    let (_, steps) = voice::get(c, &scope, case.id).await.unwrap();
    let actions: Vec<&str> = steps.iter().map(|s| s.action.as_str()).collect();
    assert_eq!(actions, ["receive", "accept", "start", "resolve", "close"]);
    let (log, _) = audit::browse(
        c,
        &Filter {
            action: Some("voice.".into()),
            ..Default::default()
        },
        0,
    )
    .await
    .unwrap();
    assert!(log.iter().any(|e| e.action == "voice.resolve"
        && e.username == "canbo.a"
        && e.entity_id.as_deref() == Some(&case.id.to_string()[..])));
    assert!(log.iter().any(|e| e.action == "voice.receive" && e.username == "công dân"));
}
both_backends!(complaint_flow, a_complaint_runs_from_receipt_to_answer_on_the_statutory_clocks);

async fn petitions_answer_within_ten_working_days(b: Backend) {
    let t = fresh(b).await;
    let c = &t.db.conn;
    let loc_binh = unit_id(c, "06529").await;
    let mut input = complaint(loc_binh, "2026-03-02", None);
    input.kind = "kien_nghi";
    input.citizen_name = "";
    let (case, _) = voice::submit(c, None, &citizen(), input).await.unwrap();
    assert_eq!(case.rule_id.as_deref(), Some("tiep-cong-dan-tra-loi"));
    // Ten working days after Monday 2/3: Monday 16/3.
    assert_eq!(case.due_on, Some(day("2026-03-16")));
    assert!(case.citizen_name.is_none(), "a petition may be anonymous");
}
both_backends!(petition_clock, petitions_answer_within_ten_working_days);

async fn cases_stay_inside_the_handling_units_scope(b: Backend) {
    let t = fresh(b).await;
    let c = &t.db.conn;
    let loc_binh = unit_id(c, "06529").await;
    let dinh_lap = unit_id(c, "06613").await;
    let (_, own) = user_on(c, "canbo.a", "06529", Role::Specialist).await;
    let (oid, other) = user_on(c, "canbo.b", "06613", Role::Specialist).await;
    let (_, viewer) = user_on(c, "xem.a", "06529", Role::Viewer).await;
    let (_, province) = user_on(c, "lanhdao.tinh", "20", Role::Leader).await;

    // Received in January, never accepted: overdue on 1/3.
    let (late, _) = voice::submit(c, None, &citizen(), complaint(loc_binh, "2026-01-05", None))
        .await
        .unwrap();
    let (fresh_case, _) =
        voice::submit(c, None, &citizen(), complaint(loc_binh, "2026-02-27", None))
            .await
            .unwrap();
    let today = day("2026-03-01");

    let (open, total) = voice::queue(c, &own, Queue::Open, today).await.unwrap();
    assert_eq!(total, 2);
    assert_eq!(open[0].id, late.id, "the nearest deadline comes first");
    let (overdue, n) = voice::queue(c, &own, Queue::Overdue, today).await.unwrap();
    assert_eq!((n, overdue[0].id), (1, late.id));
    // The superior unit sees its communes' overdue cases: that is the escalation.
    let (up, n) = voice::queue(c, &province, Queue::Overdue, today).await.unwrap();
    assert_eq!((n, up[0].id), (1, late.id));

    assert_eq!(voice::queue(c, &other, Queue::Open, today).await.unwrap().1, 0);
    assert!(matches!(
        voice::get(c, &other, late.id).await,
        Err(DbError::NotFound(_))
    ));
    assert!(
        voice::act(c, &other, &handler(oid, "canbo.b"), late.id, Action::Start)
            .await
            .is_err()
    );
    // A viewer reads but cannot move the case.
    assert!(voice::get(c, &viewer, late.id).await.is_ok());
    assert!(matches!(
        voice::act(
            c,
            &viewer,
            &citizen(),
            fresh_case.id,
            Action::Refuse { reason: "x" }
        )
        .await,
        Err(DbError::Forbidden)
    ));

    // Transfer to Đình Lập with a reason: the case moves to their queue and out of ours.
    assert!(matches!(
        voice::act(
            c,
            &own,
            &citizen(),
            fresh_case.id,
            Action::Transfer {
                to_unit: dinh_lap,
                reason: "  "
            }
        )
        .await,
        Err(DbError::Invalid(_))
    ));
    voice::act(
        c,
        &own,
        &citizen(),
        fresh_case.id,
        Action::Transfer {
            to_unit: dinh_lap,
            reason: "Đất thuộc địa giới xã Đình Lập",
        },
    )
    .await
    .unwrap();
    assert_eq!(voice::queue(c, &own, Queue::Open, today).await.unwrap().1, 1);
    assert_eq!(voice::queue(c, &other, Queue::Open, today).await.unwrap().1, 1);
}
both_backends!(scope, cases_stay_inside_the_handling_units_scope);

async fn forged_codes_replays_and_bad_input_are_refused(b: Backend) {
    let t = fresh(b).await;
    let c = &t.db.conn;
    let loc_binh = unit_id(c, "06529").await;
    let (_, code) = voice::submit(
        c,
        None,
        &citizen(),
        complaint(loc_binh, "2026-03-02", Some("form-key-1")),
    )
    .await
    .unwrap();

    // Forged: well-formed but unknown, one symbol changed, malformed, empty.
    let mut flipped: Vec<char> = code.chars().collect();
    flipped[0] = if flipped[0] == 'A' { 'B' } else { 'A' };
    let flipped: String = flipped.into_iter().collect();
    for forged in [
        voice::new_tracking_code(),
        flipped,
        "' OR 1=1 --".to_string(),
        String::new(),
        format!("{code}X"),
    ] {
        assert!(
            matches!(voice::lookup(c, &forged).await, Err(DbError::NotFound(_))),
            "{forged} must not find a case"
        );
    }

    // A replayed form creates nothing.
    let err = voice::submit(
        c,
        None,
        &citizen(),
        complaint(loc_binh, "2026-03-02", Some("form-key-1")),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, DbError::Conflict(ref m) if m.contains("đã được gửi")));
    assert_eq!(cases(c).await, 1);

    // A complaint must name the complainant; an unknown kind or place is refused.
    let mut nameless = complaint(loc_binh, "2026-03-02", None);
    nameless.citizen_name = " ";
    assert!(matches!(
        voice::submit(c, None, &citizen(), nameless).await,
        Err(DbError::Invalid(ref m)) if m.contains("họ tên")
    ));
    let mut denunciation = complaint(loc_binh, "2026-03-02", None);
    denunciation.kind = "to_cao";
    assert!(matches!(
        voice::submit(c, None, &citizen(), denunciation).await,
        Err(DbError::Invalid(_))
    ));
    assert!(matches!(
        voice::submit(c, None, &citizen(), complaint(999_999, "2026-03-02", None)).await,
        Err(DbError::Invalid(_))
    ));
    // A desk officer of another commune may not file for Lộc Bình.
    let (_, other) = user_on(c, "canbo.b", "06613", Role::Specialist).await;
    assert!(matches!(
        voice::submit(
            c,
            Some(&other),
            &citizen(),
            complaint(loc_binh, "2026-03-02", None)
        )
        .await,
        Err(DbError::Forbidden)
    ));
    assert_eq!(cases(c).await, 1);

    // Two codes never collide in practice and are 16 symbols of the unambiguous alphabet.
    let a = voice::new_tracking_code();
    assert_ne!(a, voice::new_tracking_code());
    assert_eq!(voice::normalise_code(&a).map(|s| s.len()), Some(16));
}
both_backends!(bad_input, forged_codes_replays_and_bad_input_are_refused);
