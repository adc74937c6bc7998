use crate::accounts::{unit_id, user_on};
use danvan_db::Actor;
use danvan_db::audit::{self, Entry, Filter};
use danvan_db::authz::{Permission, Role};
use danvan_db::both_backends;
use danvan_db::testing::{Backend, fresh};

async fn unit_admins_browse_their_subtree_only(b: Backend) {
    let t = fresh(b).await;
    let c = &t.db.conn;
    let loc_binh = unit_id(c, "06529").await;
    let dinh_lap = unit_id(c, "06613").await;
    let actor = Actor {
        user_id: None,
        username: "nguoi.thu".into(),
        ip: None,
    };
    for (unit, action) in [(loc_binh, "x.lb"), (dinh_lap, "x.dl")] {
        audit::record(
            c,
            &actor,
            Entry {
                action,
                entity: "unit",
                entity_id: None,
                unit_id: Some(unit),
                detail: None,
            },
        )
        .await
        .unwrap();
    }
    let (_, admin) = user_on(c, "qt.lb", "06529", Role::UnitAdmin).await;
    let filter = Filter {
        units: Some(admin.units_for(Permission::Administer)),
        action: Some("x.".into()),
        ..Default::default()
    };
    let (rows, total) = audit::browse(c, &filter, 0).await.unwrap();
    assert_eq!(total, 1);
    assert_eq!(rows[0].action, "x.lb");
    let by_user = Filter {
        username: Some("nguoi.thu".into()),
        ..Default::default()
    };
    assert_eq!(audit::browse(c, &by_user, 0).await.unwrap().1, 2);
    let by_day = Filter {
        to: Some(crate::day("2000-01-01")),
        ..Default::default()
    };
    assert_eq!(audit::browse(c, &by_day, 0).await.unwrap().1, 0);
}
both_backends!(audit_scope, unit_admins_browse_their_subtree_only);
