use crate::accounts::{unit_id, user_on};
use crate::day;
use danvan_db::authz::Role;
use danvan_db::both_backends;
use danvan_db::identity::IdentityKey;
use danvan_db::reception::{self, NewDialogue, NewSession};
use danvan_db::testing::{Backend, fresh};
use danvan_db::voice::{self, NewCase};
use danvan_db::{Actor, DbError};
use danvan_domain::reception::Host;

fn session(host: &'static str, on: &str) -> NewSession<'static> {
    NewSession {
        host,
        host_name: "Lương Văn Chủ",
        held_on: day(on),
        place: "Trụ sở UBND xã",
        visitors: "",
        summary: "",
    }
}

async fn reception_days_are_checked_against_the_legal_minimum(b: Backend) {
    let t = fresh(b).await;
    let c = &t.db.conn;
    let loc_binh = unit_id(c, "06529").await;
    let (uid, scope) = user_on(c, "canbo.a", "06529", Role::Specialist).await;
    let (_, other) = user_on(c, "canbo.b", "06613", Role::Specialist).await;
    let actor = Actor {
        user_id: Some(uid),
        username: "canbo.a".into(),
        ip: None,
    };
    // The chair receives on three of the five weeks of March 2026; the secretary once.
    for on in ["2026-03-05", "2026-03-12", "2026-03-19"] {
        reception::create_session(c, &scope, &actor, loc_binh, session("chu_tich_xa", on))
            .await
            .unwrap();
    }
    let mut held = session("bi_thu_xa", "2026-03-20");
    held.visitors = "Ông Hoàng Văn A, bà Lộc Thị B (thôn Nà Mò)";
    held.summary = "Kiến nghị sửa cầu treo";
    let held = reception::create_session(c, &scope, &actor, loc_binh, held)
        .await
        .unwrap();

    let (days, checks) = reception::month(c, &scope, loc_binh, 2026, 3)
        .await
        .unwrap();
    assert_eq!(days.len(), 4);
    let chair = checks
        .iter()
        .find(|h| h.host == Host::CommuneChair)
        .unwrap();
    assert!(chair.shortfall.as_deref().unwrap().contains("23/03–29/03"));
    let secretary = checks
        .iter()
        .find(|h| h.host == Host::CommuneSecretary)
        .unwrap();
    assert!(
        secretary
            .shortfall
            .as_deref()
            .unwrap()
            .contains("cần ít nhất 2")
    );

    // A petition raised at the session is linked to it.
    let (case, _) = voice::submit(
        c,
        Some(&scope),
        &actor,
        &IdentityKey::generate(),
        NewCase {
            kind: "kien_nghi",
            topic: "ha_tang",
            channel: "desk",
            title: "Sửa cầu treo Nà Mò",
            body: "Cầu treo xuống cấp, đề nghị sửa trước mùa mưa.",
            citizen_name: "Hoàng Văn A",
            citizen_contact: "",
            place_unit_id: loc_binh,
            received_on: day("2026-03-20"),
            submission_key: None,
            reception_session_id: Some(held.id),
            attachments: None,
        },
    )
    .await
    .unwrap();
    let (s, cases) = reception::session(c, &scope, held.id).await.unwrap();
    assert_eq!(
        s.visitors.as_deref(),
        Some("Ông Hoàng Văn A, bà Lộc Thị B (thôn Nà Mò)")
    );
    assert_eq!(
        cases,
        vec![(
            case.id,
            "Sửa cầu treo Nà Mò".to_string(),
            "received".to_string()
        )]
    );

    // Scope and input: another commune neither reads nor writes; unknown host refused.
    assert!(matches!(
        reception::month(c, &other, loc_binh, 2026, 3).await,
        Err(DbError::Forbidden)
    ));
    assert!(matches!(
        reception::session(c, &other, held.id).await,
        Err(DbError::NotFound(_))
    ));
    assert!(matches!(
        reception::create_session(c, &scope, &actor, loc_binh, session("ai_do", "2026-03-26"))
            .await,
        Err(DbError::Invalid(_))
    ));
    assert!(matches!(
        reception::month(c, &scope, loc_binh, 2026, 13).await,
        Err(DbError::Invalid(_))
    ));
}
both_backends!(
    reception_minimum,
    reception_days_are_checked_against_the_legal_minimum
);

async fn dialogue_promises_become_public_commitments(b: Backend) {
    let t = fresh(b).await;
    let c = &t.db.conn;
    let loc_binh = unit_id(c, "06529").await;
    let (uid, scope) = user_on(c, "canbo.a", "06529", Role::Specialist).await;
    let (_, viewer) = user_on(c, "xem.a", "06529", Role::Viewer).await;
    let actor = Actor {
        user_id: Some(uid),
        username: "canbo.a".into(),
        ip: None,
    };
    let d = reception::create_dialogue(
        c,
        &scope,
        &actor,
        loc_binh,
        NewDialogue {
            held_on: day("2026-03-10"),
            place: "Nhà văn hóa thôn Nà Mò",
            host_name: "Chủ tịch UBND xã",
            participants: "60 hộ dân thôn Nà Mò",
            questions: "Khi nào sửa đường? Nước sạch?",
            answers: "Xã sẽ sửa đường trước 30/6.",
        },
    )
    .await
    .unwrap();
    let promise = reception::add_commitment(
        c,
        &scope,
        &actor,
        d.id,
        "Sửa đường liên thôn Nà Mò",
        "UBND xã Lộc Bình",
        day("2026-06-30"),
    )
    .await
    .unwrap();
    reception::add_commitment(
        c,
        &scope,
        &actor,
        d.id,
        "Khảo sát nước sạch",
        "Cán bộ địa chính",
        day("2026-04-01"),
    )
    .await
    .unwrap();
    assert!(matches!(
        reception::add_commitment(c, &scope, &actor, d.id, "x", "y", day("2026-03-01")).await,
        Err(DbError::Invalid(_))
    ));
    assert!(matches!(
        reception::add_commitment(c, &viewer, &actor, d.id, "x", "y", day("2026-04-01")).await,
        Err(DbError::Forbidden)
    ));

    let list = reception::public_commitments(c, day("2026-05-01"))
        .await
        .unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].content, "Khảo sát nước sạch");
    assert!(list[0].overdue && !list[1].overdue);
    assert_eq!(list[1].unit, "Xã Lộc Bình");

    reception::fulfil(
        c,
        &scope,
        &actor,
        promise.id,
        "Đã rải nhựa 1,2 km ngày 20/6.",
    )
    .await
    .unwrap();
    assert!(matches!(
        reception::fulfil(c, &scope, &actor, promise.id, "lần nữa").await,
        Err(DbError::Conflict(_))
    ));
    let list = reception::public_commitments(c, day("2026-07-01"))
        .await
        .unwrap();
    let done = list.iter().find(|p| p.done).unwrap();
    assert_eq!(
        done.result.as_deref(),
        Some("Đã rải nhựa 1,2 km ngày 20/6.")
    );
    assert!(!done.overdue);
    let (_, items) = reception::dialogue(c, &scope, d.id).await.unwrap();
    assert_eq!(items.len(), 2);
}
both_backends!(dialogues, dialogue_promises_become_public_commitments);
