use crate::support::{client, spawn};
use danvan_db::both_backends;
use danvan_db::testing::Backend;
use reqwest::StatusCode;

async fn admins_create_accounts_and_browse_the_log(b: Backend) {
    let app = spawn(b).await;
    let loc_binh = app.unit("06529").await;
    let dinh_lap = app.unit("06613").await;
    let admin = app.login("qt.locbinh").await;
    let lb = loc_binh.to_string();
    let res = admin
        .post_form(
            "/admin/users",
            &[
                ("username", "canbo.moi"),
                ("full_name", "Hà Thị Mới"),
                ("email", ""),
                ("password", "mat-khau-ban-dau"),
                ("unit_id", &lb),
                ("role", "specialist"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = admin.get("/admin/users").await.text().await.unwrap();
    assert!(page.contains("canbo.moi"));
    // Outside the admin's subtree: refused, and no account appears.
    let dl = dinh_lap.to_string();
    let res = admin
        .post_form(
            "/admin/users",
            &[
                ("username", "canbo.ngoai"),
                ("full_name", "Ngoài Phạm Vi"),
                ("email", ""),
                ("password", "mat-khau-ban-dau"),
                ("unit_id", &dl),
                ("role", "specialist"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // Bad input re-renders the form with a Vietnamese message.
    let res = admin
        .post_form(
            "/admin/users",
            &[
                ("username", "canbo.moi"),
                ("full_name", "Trùng Tên"),
                ("email", ""),
                ("password", "mat-khau-ban-dau"),
                ("unit_id", &lb),
                ("role", "specialist"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("đã được dùng"));
    let res = admin
        .post_form(
            "/admin/users",
            &[
                ("username", "x"),
                ("full_name", ""),
                ("email", ""),
                ("password", "1"),
                ("unit_id", ""),
                ("role", "vua"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // The new account must change its first password.
    let http = client();
    let res = app.try_login(&http, "canbo.moi", "mat-khau-ban-dau").await;
    assert_eq!(res.headers()["location"], "/account/password");
    // The log shows the creation, with who did it.
    let log = admin
        .get("/admin/audit?action=user.create")
        .await
        .text()
        .await
        .unwrap();
    assert!(log.contains("qt.locbinh") && log.contains("user.create"));
    let bad = admin.get("/admin/audit?from=hom-qua").await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    // Officials without an admin role do not reach the admin pages.
    let official = app.login("canbo.locbinh").await;
    assert_eq!(
        official.get("/admin/users").await.status(),
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        official.get("/admin/audit").await.status(),
        StatusCode::FORBIDDEN
    );
    let home = official.get("/").await.text().await.unwrap();
    assert!(
        !home.contains("/admin/users"),
        "navigation shows only what the user may use"
    );
}
both_backends!(accounts, admins_create_accounts_and_browse_the_log);

async fn province_admins_enter_the_official_holiday_schedule(b: Backend) {
    let app = spawn(b).await;
    let admin = app.login("admin").await;
    let home = admin.get("/").await.text().await.unwrap();
    for link in [
        "href=\"/plans\"",
        "href=\"/documents\"",
        "href=\"/admin/calendar\"",
    ] {
        assert!(home.contains(link), "navigation shows {link}");
    }
    let page = admin
        .get("/admin/calendar?year=2027")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("theo quy tắc mặc định"));
    let res = admin
        .post_form(
            "/admin/calendar",
            &[("year", "2027"), ("off_days", "2027-01-01 # Tết Dương lịch\n2027-02-05\n2027-02-08\n2027-02-09\n2027-02-10\n2027-02-11\n2027-02-12"), ("working_days", "2027-02-20"), ("note", "Thông báo lịch nghỉ năm 2027 (thử)")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = admin
        .get("/admin/calendar?year=2027")
        .await
        .text()
        .await
        .unwrap();
    assert!(page.contains("lịch chính thức") && page.contains("12/02/2027"));
    let bad = admin
        .post_form(
            "/admin/calendar",
            &[("year", "2027"), ("off_days", "2026-12-31")],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text().await.unwrap().contains("không thuộc năm 2027"));
    let bad = admin
        .post_form(
            "/admin/calendar",
            &[("year", "2027"), ("off_days", "mai nghỉ")],
        )
        .await;
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let unit_admin = app.login("qt.locbinh").await;
    assert_eq!(
        unit_admin.get("/admin/calendar").await.status(),
        StatusCode::FORBIDDEN
    );
    let res = unit_admin
        .post_form("/admin/calendar", &[("year", "2027"), ("off_days", "")])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // The clocks use it: 2027-02-12 is a working Friday by the built-in rules, a holiday now.
    let cal = danvan_db::calendar::work_calendar(&app.t.db.conn)
        .await
        .unwrap();
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    assert!(!cal.is_working_day(day("2027-02-12")));
    assert!(
        cal.is_working_day(day("2027-02-20")),
        "a Saturday made a working day"
    );
}
both_backends!(
    official_calendar,
    province_admins_enter_the_official_holiday_schedule
);
