use crate::day;
use danvan_db::accounts::{self, NewUser};
use danvan_db::authz::{Permission, Role, Scope};
use danvan_db::both_backends;
use danvan_db::demo::unit_by_code;
use danvan_db::testing::{Backend, fresh};
use danvan_db::{Actor, DbError};
use sea_orm::DatabaseConnection;

pub const PASSWORD: &str = "mat-khau-thu-nghiem";

/// Creates an account with one role on the unit with `code` valid on 2026-01-01.
pub async fn user_on(
    conn: &DatabaseConnection,
    username: &str,
    code: &str,
    role: Role,
) -> (i64, Scope) {
    let unit = unit_by_code(conn, code, day("2026-01-01")).await.unwrap();
    let user = accounts::create_user_unchecked(
        conn,
        &Actor::system(),
        NewUser {
            username,
            full_name: "Người Thử",
            email: None,
            password: PASSWORD,
            must_change_password: false,
        },
        Some(unit.id),
    )
    .await
    .unwrap();
    accounts::assign_role_unchecked(conn, &Actor::system(), user.id, unit.id, role)
        .await
        .unwrap();
    (user.id, Scope::load(conn, user.id).await.unwrap())
}

pub async fn unit_id(conn: &DatabaseConnection, code: &str) -> i64 {
    unit_by_code(conn, code, day("2026-01-01"))
        .await
        .unwrap()
        .id
}

// 06529 Xã Lộc Bình, 06613 Xã Đình Lập, 20 the province.
async fn roles_hold_on_the_subtree_only(b: Backend) {
    let t = fresh(b).await;
    let c = &t.db.conn;
    let loc_binh = unit_id(c, "06529").await;
    let dinh_lap = unit_id(c, "06613").await;
    let province = unit_id(c, "20").await;
    let (_, commune) = user_on(c, "canbo.a", "06529", Role::Specialist).await;
    assert!(commune.allows(Permission::Read, loc_binh));
    assert!(commune.allows(Permission::Write, loc_binh));
    assert!(!commune.allows(Permission::Approve, loc_binh));
    assert!(
        !commune.allows(Permission::Read, dinh_lap),
        "another commune is out of scope"
    );
    assert!(
        !commune.allows(Permission::Read, province),
        "a role does not reach upwards"
    );
    let (_, viewer) = user_on(c, "xem.a", "06529", Role::Viewer).await;
    assert!(viewer.allows(Permission::Read, loc_binh));
    assert!(!viewer.allows(Permission::Write, loc_binh));
    let (_, admin) = user_on(c, "qt.tinh", "20", Role::ProvinceAdmin).await;
    assert!(admin.is_province_admin());
    assert!(admin.allows(Permission::Write, dinh_lap));
    assert!(admin.allows(Permission::ManageReference, province));
    assert!(!commune.allows(Permission::ManageReference, loc_binh));
}
both_backends!(subtree_scope, roles_hold_on_the_subtree_only);

async fn unit_admins_grant_only_inside_their_subtree(b: Backend) {
    let t = fresh(b).await;
    let c = &t.db.conn;
    let dinh_lap = unit_id(c, "06613").await;
    let loc_binh = unit_id(c, "06529").await;
    let (_, unit_admin) = user_on(c, "qt.a", "06529", Role::UnitAdmin).await;
    let actor = Actor::system();
    let new = || NewUser {
        username: "moi.a",
        full_name: "Cán Bộ Mới",
        email: None,
        password: PASSWORD,
        must_change_password: true,
    };
    let err = accounts::create_user(c, &unit_admin, &actor, new(), dinh_lap, Role::Specialist)
        .await
        .unwrap_err();
    assert!(matches!(err, DbError::Forbidden));
    let err = accounts::create_user(c, &unit_admin, &actor, new(), loc_binh, Role::ProvinceAdmin)
        .await
        .unwrap_err();
    assert!(
        matches!(err, DbError::Forbidden),
        "only a province admin makes province admins"
    );
    let user = accounts::create_user(c, &unit_admin, &actor, new(), loc_binh, Role::Specialist)
        .await
        .unwrap();
    assert!(user.must_change_password);
    let listed = accounts::list_users(c, &unit_admin).await.unwrap();
    assert!(listed.iter().any(|u| u.user.username == "moi.a"));
    let (_, other_admin) = user_on(c, "qt.b", "06613", Role::UnitAdmin).await;
    let listed = accounts::list_users(c, &other_admin).await.unwrap();
    assert!(
        !listed.iter().any(|u| u.user.username == "moi.a"),
        "admins see only their subtree's accounts"
    );
}
both_backends!(grants, unit_admins_grant_only_inside_their_subtree);

async fn passwords_are_argon2id_and_checked(b: Backend) {
    let t = fresh(b).await;
    let c = &t.db.conn;
    let (id, _) = user_on(c, "canbo.pw", "06529", Role::Specialist).await;
    let user = accounts::find_user(c, id).await.unwrap();
    assert!(user.password_hash.starts_with("$argon2id$"));
    assert!(
        accounts::authenticate(c, "canbo.pw", PASSWORD)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        accounts::authenticate(c, "CANBO.PW ", PASSWORD)
            .await
            .unwrap()
            .is_some(),
        "usernames are case-insensitive"
    );
    assert!(
        accounts::authenticate(c, "canbo.pw", "sai-mat-khau-roi")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        accounts::authenticate(c, "khong.co", PASSWORD)
            .await
            .unwrap()
            .is_none()
    );

    let actor = Actor::system();
    let err = accounts::change_password(c, &actor, id, "sai-mat-khau-roi", "mat-khau-moi-dai", "x")
        .await
        .unwrap_err();
    assert!(
        matches!(err, DbError::Invalid(ref m) if m.contains("hiện tại")),
        "{err}"
    );
    let err = accounts::change_password(c, &actor, id, PASSWORD, "ngan", "x")
        .await
        .unwrap_err();
    assert!(
        matches!(err, DbError::Invalid(ref m) if m.contains("ít nhất")),
        "{err}"
    );
    accounts::change_password(c, &actor, id, PASSWORD, "mat-khau-moi-dai", "x")
        .await
        .unwrap();
    assert!(
        accounts::authenticate(c, "canbo.pw", PASSWORD)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        accounts::authenticate(c, "canbo.pw", "mat-khau-moi-dai")
            .await
            .unwrap()
            .is_some()
    );
}
both_backends!(passwords, passwords_are_argon2id_and_checked);

async fn bad_account_input_is_refused_in_vietnamese(b: Backend) {
    let t = fresh(b).await;
    let c = &t.db.conn;
    user_on(c, "trung.ten", "06529", Role::Viewer).await;
    let actor = Actor::system();
    let dup = accounts::create_user_unchecked(
        c,
        &actor,
        NewUser {
            username: "Trung.Ten",
            full_name: "Ai Đó",
            email: None,
            password: PASSWORD,
            must_change_password: false,
        },
        None,
    )
    .await
    .unwrap_err();
    assert!(
        matches!(dup, DbError::Conflict(ref m) if m.contains("đã được dùng")),
        "{dup}"
    );
    for bad in ["a", "có dấu", "x y", "<script>"] {
        let err = accounts::create_user_unchecked(
            c,
            &actor,
            NewUser {
                username: bad,
                full_name: "Ai Đó",
                email: None,
                password: PASSWORD,
                must_change_password: false,
            },
            None,
        )
        .await
        .unwrap_err();
        assert!(matches!(err, DbError::Invalid(_)), "{bad}: {err}");
    }
    assert_eq!(
        accounts::count_users(c).await.unwrap(),
        1,
        "nothing was half-created"
    );
}
both_backends!(account_input, bad_account_input_is_refused_in_vietnamese);
