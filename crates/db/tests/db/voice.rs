use crate::accounts::{unit_id, user_on};
use crate::day;
use danvan_db::audit::{self, Filter};
use danvan_db::authz::Role;
use danvan_db::both_backends;
use danvan_db::entities::voice_cases;
use danvan_db::identity::IdentityKey;
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
        reception_session_id: None,
        attachments: None,
    }
}

/// Files a case from the public form (no account), as the citizen, and expects it accepted.
async fn file(
    c: &sea_orm::DatabaseConnection,
    case: NewCase<'static>,
) -> (danvan_db::entities::voice_cases::Model, String) {
    voice::submit(c, None, &citizen(), &key(), case)
        .await
        .unwrap()
}

fn key() -> IdentityKey {
    IdentityKey::from_hex(&"ab".repeat(32)).unwrap()
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
    let (case, code) = file(c, complaint(loc_binh, "2026-03-02", None)).await;
    assert_eq!(case.status, "received");
    assert_eq!(case.handling_unit_id, loc_binh);
    assert_eq!(case.rule_id.as_deref(), Some("khieu-nai-thu-ly"));
    assert_eq!(case.due_on, Some(day("2026-03-12")));
    assert_ne!(
        case.tracking_hash, code,
        "only a hash of the code is stored"
    );

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
    let (other, _) = file(c, complaint(loc_binh, "2026-03-02", None)).await;
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

    voice::act(c, &scope, &me, case.id, Action::Start)
        .await
        .unwrap();
    let answer = "Giữ nguyên mức bồi thường; <b>hướng dẫn</b> khiếu nại lần hai.";
    voice::act(c, &scope, &me, case.id, Action::Resolve { answer })
        .await
        .unwrap();
    let view = voice::lookup(c, &code).await.unwrap();
    assert_eq!(view.status, "Đã giải quyết");
    assert_eq!(view.answer.as_deref(), Some(answer));

    // Closing twice: the second is a state conflict.
    voice::act(c, &scope, &me, case.id, Action::Close)
        .await
        .unwrap();
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
    assert!(
        log.iter()
            .any(|e| e.action == "voice.receive" && e.username == "công dân")
    );
}
both_backends!(
    complaint_flow,
    a_complaint_runs_from_receipt_to_answer_on_the_statutory_clocks
);

async fn petitions_answer_within_ten_working_days(b: Backend) {
    let t = fresh(b).await;
    let c = &t.db.conn;
    let loc_binh = unit_id(c, "06529").await;
    let mut input = complaint(loc_binh, "2026-03-02", None);
    input.kind = "kien_nghi";
    input.citizen_name = "";
    let (case, _) = voice::submit(c, None, &citizen(), &key(), input)
        .await
        .unwrap();
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
    let (late, _) = file(c, complaint(loc_binh, "2026-01-05", None)).await;
    let (fresh_case, _) = file(c, complaint(loc_binh, "2026-02-27", None)).await;
    let today = day("2026-03-01");

    let (open, total) = voice::queue(c, &own, Queue::Open, today).await.unwrap();
    assert_eq!(total, 2);
    assert_eq!(open[0].id, late.id, "the nearest deadline comes first");
    let (overdue, n) = voice::queue(c, &own, Queue::Overdue, today).await.unwrap();
    assert_eq!((n, overdue[0].id), (1, late.id));
    // The superior unit sees its communes' overdue cases: that is the escalation.
    let (up, n) = voice::queue(c, &province, Queue::Overdue, today)
        .await
        .unwrap();
    assert_eq!((n, up[0].id), (1, late.id));

    assert_eq!(
        voice::queue(c, &other, Queue::Open, today).await.unwrap().1,
        0
    );
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
    assert_eq!(
        voice::queue(c, &own, Queue::Open, today).await.unwrap().1,
        1
    );
    assert_eq!(
        voice::queue(c, &other, Queue::Open, today).await.unwrap().1,
        1
    );
}
both_backends!(scope, cases_stay_inside_the_handling_units_scope);

async fn forged_codes_replays_and_bad_input_are_refused(b: Backend) {
    let t = fresh(b).await;
    let c = &t.db.conn;
    let loc_binh = unit_id(c, "06529").await;
    let (_, code) = file(c, complaint(loc_binh, "2026-03-02", Some("form-key-1"))).await;

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
        &key(),
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
        voice::submit(c, None, &citizen(), &key(), nameless).await,
        Err(DbError::Invalid(ref m)) if m.contains("họ tên")
    ));
    let mut unknown = complaint(loc_binh, "2026-03-02", None);
    unknown.kind = "thu_khen";
    assert!(matches!(
        voice::submit(c, None, &citizen(), &key(), unknown).await,
        Err(DbError::Invalid(_))
    ));
    assert!(matches!(
        voice::submit(
            c,
            None,
            &citizen(),
            &key(),
            complaint(999_999, "2026-03-02", None)
        )
        .await,
        Err(DbError::Invalid(_))
    ));
    // A desk officer of another commune may not file for Lộc Bình.
    let (_, other) = user_on(c, "canbo.b", "06613", Role::Specialist).await;
    assert!(matches!(
        voice::submit(
            c,
            Some(&other),
            &citizen(),
            &key(),
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

async fn a_denouncers_identity_is_sealed_and_shown_only_to_the_entitled(b: Backend) {
    let t = fresh(b).await;
    let c = &t.db.conn;
    let loc_binh = unit_id(c, "06529").await;
    let (hid, handler_scope) = user_on(c, "canbo.xuly", "06529", Role::Specialist).await;
    let (vid, verifier) = user_on(c, "canbo.xacminh", "06529", Role::Specialist).await;
    let (lid, head) = user_on(c, "chutich.locbinh", "06529", Role::Leader).await;
    let (_, other_admin) = user_on(c, "qt.dinhlap", "06613", Role::UnitAdmin).await;
    let (pid, province_admin) = user_on(c, "qt.tinh", "20", Role::ProvinceAdmin).await;
    let (_, superior_leader) = user_on(c, "lanhdao.tinh", "20", Role::Leader).await;

    let mut input = complaint(loc_binh, "2026-03-02", None);
    input.kind = "to_cao";
    input.title = "Tố cáo cán bộ địa chính nhận tiền";
    input.citizen_name = "Lộc Thị Bí Mật";
    input.citizen_contact = "Thôn Khuổi Kheo, 0987 654 321";
    let (case, code) = voice::submit(c, None, &citizen(), &key(), input)
        .await
        .unwrap();
    assert!(case.protected);
    // 7 working days after Monday 2/3 for the initial handling (Điều 24).
    assert_eq!(case.rule_id.as_deref(), Some("to-cao-xu-ly-ban-dau"));
    assert_eq!(case.due_on, Some(day("2026-03-11")));

    // At rest: ciphertext only, a fresh nonce per field.
    let raw = voice_cases::Entity::find_by_id(case.id)
        .one(c)
        .await
        .unwrap()
        .unwrap();
    let stored = format!("{:?}", raw);
    assert!(!stored.contains("Bí Mật") && !stored.contains("0987"));
    assert!(raw.citizen_name.as_deref().unwrap().starts_with("enc:v1:"));
    let again = key().seal("citizen_name", "Lộc Thị Bí Mật").unwrap();
    assert_ne!(raw.citizen_name.as_deref(), Some(again.as_str()));
    // Another key cannot open it.
    assert!(
        IdentityKey::generate()
            .open("citizen_name", raw.citizen_name.as_deref().unwrap())
            .is_err()
    );

    // The specialist who accepts becomes the assigned handler.
    let me = handler(hid, "canbo.xuly");
    voice::act(
        c,
        &handler_scope,
        &me,
        case.id,
        Action::Accept {
            on: day("2026-03-05"),
            complex: true,
            remote: false,
        },
    )
    .await
    .unwrap();
    let (case, _) = voice::get(c, &handler_scope, case.id).await.unwrap();
    assert_eq!(case.rule_id.as_deref(), Some("to-cao-giai-quyet"));

    let seen = voice::identity(c, &handler_scope, &me, &key(), &case)
        .await
        .unwrap();
    assert_eq!(seen.name.as_deref(), Some("Lộc Thị Bí Mật"));
    assert_eq!(
        seen.contact.as_deref(),
        Some("Thôn Khuổi Kheo, 0987 654 321")
    );
    let by_head = voice::identity(c, &head, &handler(lid, "chutich.locbinh"), &key(), &case)
        .await
        .unwrap();
    assert_eq!(by_head.name.as_deref(), Some("Lộc Thị Bí Mật"));

    // The verifier, the province admin and a superior leader read the notice only.
    for (scope, who) in [
        (&verifier, handler(vid, "canbo.xacminh")),
        (&province_admin, handler(pid, "qt.tinh")),
        (&superior_leader, handler(pid, "lanhdao.tinh")),
    ] {
        let shown = voice::identity(c, scope, &who, &key(), &case)
            .await
            .unwrap();
        assert_eq!(shown.name.as_deref(), Some(danvan_db::identity::REDACTED));
        assert_eq!(
            shown.contact.as_deref(),
            Some(danvan_db::identity::REDACTED)
        );
    }
    // An admin of another unit does not even learn the case exists.
    assert!(matches!(
        voice::identity(c, &other_admin, &citizen(), &key(), &case).await,
        Err(DbError::NotFound(_))
    ));
    assert!(voice::get(c, &other_admin, case.id).await.is_err());

    // Tố cáo may be extended twice by ≤30 days (Điều 30), with the basis recorded.
    voice::act(
        c,
        &handler_scope,
        &me,
        case.id,
        Action::Extend {
            days: 31,
            basis: "QĐ gia hạn",
        },
    )
    .await
    .unwrap_err();
    let before = case.due_on.unwrap();
    let extended = voice::act(
        c,
        &handler_scope,
        &me,
        case.id,
        Action::Extend {
            days: 30,
            basis: "Quyết định gia hạn số 12/QĐ-UBND",
        },
    )
    .await
    .unwrap();
    assert!(extended.due_on.unwrap() >= before + chrono::Days::new(30));
    assert_eq!(extended.extensions, 1);

    // Lists, the public page and the audit log carry no identity; each reading is logged.
    let (rows, _) = voice::queue(c, &province_admin, Queue::Open, day("2026-03-06"))
        .await
        .unwrap();
    assert!(!format!("{rows:?}").contains("Bí Mật"));
    let view = voice::lookup(c, &code).await.unwrap();
    assert_eq!(view.kind, "Tố cáo");
    let (log, _) = audit::browse(c, &Filter::default(), 0).await.unwrap();
    assert!(!format!("{log:?}").contains("Bí Mật"));
    assert!(!format!("{log:?}").contains("0987"));
    let readers: Vec<&str> = log
        .iter()
        .filter(|e| e.action == "voice.identity.read")
        .map(|e| e.username.as_str())
        .collect();
    assert_eq!(readers.len(), 2);
    assert!(readers.contains(&"canbo.xuly") && readers.contains(&"chutich.locbinh"));
}
both_backends!(
    denunciation,
    a_denouncers_identity_is_sealed_and_shown_only_to_the_entitled
);

#[test]
fn the_identity_key_file_is_private_and_stable() {
    let dir = std::env::temp_dir().join(format!("danvan_key_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    // An operator key in the environment takes precedence over the file; nothing to test then.
    if std::env::var(danvan_db::identity::KEY_ENV).is_ok() {
        return;
    }
    let first = IdentityKey::load_or_create(&dir).unwrap();
    let sealed = first.seal("f", "bí mật").unwrap();
    let second = IdentityKey::load_or_create(&dir).unwrap();
    assert_eq!(second.open("f", &sealed).unwrap(), "bí mật");
    assert!(
        second.open("g", &sealed).is_err(),
        "the field name is bound"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join(danvan_db::identity::KEY_FILE))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert!(!format!("{first:?}").contains(&hex_of(&dir)));
    std::fs::remove_dir_all(&dir).unwrap();
}

fn hex_of(dir: &std::path::Path) -> String {
    std::fs::read_to_string(dir.join(danvan_db::identity::KEY_FILE)).unwrap_or_default()
}

async fn duplicates_are_linked_and_a_denunciations_clock_can_stop(b: Backend) {
    let t = fresh(b).await;
    let c = &t.db.conn;
    let loc_binh = unit_id(c, "06529").await;
    let (hid, scope) = user_on(c, "canbo.a", "06529", Role::Specialist).await;
    let (_, other) = user_on(c, "canbo.b", "06613", Role::Specialist).await;
    let me = handler(hid, "canbo.a");
    let (first, _) = file(c, complaint(loc_binh, "2026-03-02", None)).await;
    let (again, code) = file(c, complaint(loc_binh, "2026-03-04", None)).await;

    // Itself, an unknown number, or a case of another commune cannot be the original.
    for of in [again.id, 999_999] {
        assert!(matches!(
            voice::act(c, &scope, &me, again.id, Action::Duplicate { of }).await,
            Err(DbError::Invalid(_))
        ));
    }
    let dup = voice::act(c, &scope, &me, again.id, Action::Duplicate { of: first.id })
        .await
        .unwrap();
    assert_eq!(
        (dup.status.as_str(), dup.duplicate_of),
        ("closed", Some(first.id))
    );
    assert!(
        voice::lookup(c, &code)
            .await
            .unwrap()
            .answer
            .unwrap()
            .contains("02/03/2026")
    );
    assert!(
        voice::act(c, &other, &me, first.id, Action::Start)
            .await
            .is_err()
    );

    // A complaint's clock cannot be stopped here; a denunciation's can (Luật Tố cáo Điều 31).
    voice::act(
        c,
        &scope,
        &me,
        first.id,
        Action::Accept {
            on: day("2026-03-05"),
            complex: false,
            remote: false,
        },
    )
    .await
    .unwrap();
    assert!(matches!(
        voice::act(
            c,
            &scope,
            &me,
            first.id,
            Action::Pause {
                on: day("2026-03-10"),
                reason: "x"
            }
        )
        .await,
        Err(DbError::Conflict(_))
    ));
    let mut input = complaint(loc_binh, "2026-03-02", None);
    input.kind = "to_cao";
    let (den, _) = voice::submit(c, None, &citizen(), &key(), input)
        .await
        .unwrap();
    let accepted = voice::act(
        c,
        &scope,
        &me,
        den.id,
        Action::Accept {
            on: day("2026-03-05"),
            complex: false,
            remote: false,
        },
    )
    .await
    .unwrap();
    let due = accepted.due_on.unwrap();
    let paused = voice::act(
        c,
        &scope,
        &me,
        den.id,
        Action::Pause {
            on: day("2026-03-10"),
            reason: "Chờ kết quả giám định",
        },
    )
    .await
    .unwrap();
    assert_eq!(paused.status, "paused");
    // Stopped, it is still in the queue but never overdue.
    let (_, open) = voice::queue(c, &scope, Queue::Open, day("2026-12-01"))
        .await
        .unwrap();
    let (late, _) = voice::queue(c, &scope, Queue::Overdue, day("2026-12-01"))
        .await
        .unwrap();
    assert_eq!(open, 2);
    assert!(late.iter().all(|r| r.id != den.id));
    assert!(matches!(
        voice::act(
            c,
            &scope,
            &me,
            den.id,
            Action::Resume {
                on: day("2026-03-01")
            }
        )
        .await,
        Err(DbError::Invalid(_))
    ));
    let resumed = voice::act(
        c,
        &scope,
        &me,
        den.id,
        Action::Resume {
            on: day("2026-03-30"),
        },
    )
    .await
    .unwrap();
    assert_eq!(resumed.status, "in_progress");
    assert_eq!(resumed.due_on, Some(due + chrono::Days::new(20)));
}
both_backends!(
    duplicates_and_pause,
    duplicates_are_linked_and_a_denunciations_clock_can_stop
);
