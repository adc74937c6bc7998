use crate::accounts::{unit_id, user_on};
use danvan_db::audit::{self, Filter};
use danvan_db::authz::Role;
use danvan_db::both_backends;
use danvan_db::contacts::{self, ContactInput};
use danvan_db::testing::{Backend, fresh};
use danvan_db::{Actor, DbError};

fn input<'a>(name: &'a str) -> ContactInput<'a> {
    ContactInput {
        full_name: name,
        position: "Chủ tịch Ủy ban MTTQ xã",
        phone: "0912 345 678",
        email: "",
    }
}

async fn a_commune_cannot_touch_another_communes_contacts(b: Backend) {
    let t = fresh(b).await;
    let c = &t.db.conn;
    let loc_binh = unit_id(c, "06529").await;
    let (a_id, a) = user_on(c, "canbo.a", "06529", Role::Specialist).await;
    let (_, other) = user_on(c, "canbo.b", "06613", Role::Specialist).await;
    let actor_a = Actor {
        user_id: Some(a_id),
        username: "canbo.a".into(),
        ip: Some("10.0.0.1".into()),
    };
    let saved = contacts::create(c, &a, &actor_a, loc_binh, input("Hoàng Văn Tư"))
        .await
        .unwrap();
    assert_eq!(contacts::list(c, &a, loc_binh).await.unwrap().len(), 1);

    assert!(matches!(
        contacts::list(c, &other, loc_binh).await,
        Err(DbError::Forbidden)
    ));
    assert!(matches!(
        contacts::get(c, &other, saved.id).await,
        Err(DbError::NotFound(_))
    ));
    let actor_b = Actor {
        user_id: None,
        username: "canbo.b".into(),
        ip: None,
    };
    assert!(
        contacts::delete(c, &other, &actor_b, saved.id)
            .await
            .is_err()
    );
    assert!(
        contacts::update(c, &other, &actor_b, saved.id, input("Đổi Tên"))
            .await
            .is_err()
    );
    assert!(matches!(
        contacts::create(c, &other, &actor_b, loc_binh, input("Chen Vào")).await,
        Err(DbError::Forbidden)
    ));
    // Nothing changed, and the one write that happened is in the audit log with who and where.
    let still = contacts::list(c, &a, loc_binh).await.unwrap();
    assert_eq!(still.len(), 1);
    assert_eq!(still[0].full_name, "Hoàng Văn Tư");
    let (rows, _) = audit::browse(
        c,
        &Filter {
            action: Some("contact.".into()),
            ..Default::default()
        },
        0,
    )
    .await
    .unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].username, "canbo.a");
    assert_eq!(rows[0].ip.as_deref(), Some("10.0.0.1"));
    assert_eq!(rows[0].unit_id, Some(loc_binh));
}
both_backends!(
    cross_commune,
    a_commune_cannot_touch_another_communes_contacts
);

async fn viewers_read_but_do_not_write(b: Backend) {
    let t = fresh(b).await;
    let c = &t.db.conn;
    let loc_binh = unit_id(c, "06529").await;
    let (_, viewer) = user_on(c, "xem.a", "06529", Role::Viewer).await;
    assert!(
        contacts::list(c, &viewer, loc_binh)
            .await
            .unwrap()
            .is_empty()
    );
    let err = contacts::create(c, &viewer, &Actor::system(), loc_binh, input("Ai Đó"))
        .await
        .unwrap_err();
    assert!(matches!(err, DbError::Forbidden));
}
both_backends!(viewers, viewers_read_but_do_not_write);

async fn invalid_contacts_are_refused(b: Backend) {
    let t = fresh(b).await;
    let c = &t.db.conn;
    let loc_binh = unit_id(c, "06529").await;
    let (_, a) = user_on(c, "canbo.a", "06529", Role::Specialist).await;
    let cases = [
        ContactInput {
            full_name: "  ",
            position: "Chủ tịch",
            phone: "",
            email: "",
        },
        ContactInput {
            full_name: "Ai Đó",
            position: "",
            phone: "",
            email: "",
        },
        ContactInput {
            full_name: "Ai Đó",
            position: "Chủ tịch",
            phone: "abc123",
            email: "",
        },
        ContactInput {
            full_name: "Ai Đó",
            position: "Chủ tịch",
            phone: "",
            email: "khong-phai-email",
        },
    ];
    for case in cases {
        let err = contacts::create(c, &a, &Actor::system(), loc_binh, case)
            .await
            .unwrap_err();
        assert!(matches!(err, DbError::Invalid(_)), "{err}");
    }
    assert!(contacts::list(c, &a, loc_binh).await.unwrap().is_empty());
}
both_backends!(invalid_contacts, invalid_contacts_are_refused);
