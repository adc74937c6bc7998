use crate::support::{DEMO_PASSWORD, client, csrf_in, spawn};
use danvan_db::both_backends;
use danvan_db::testing::Backend;
use reqwest::StatusCode;

async fn sign_in_sets_a_safe_cookie_and_sign_out_ends_it(b: Backend) {
    let app = spawn(b).await;
    let http = client();
    let res = app.try_login(&http, "canbo.locbinh", DEMO_PASSWORD).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|v| v.starts_with("danvan_session="))
        .unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let home = http.get(app.url("/")).send().await.unwrap();
    assert_eq!(home.status(), StatusCode::OK);
    let html = home.text().await.unwrap();
    assert!(html.contains("Xã Lộc Bình"), "home lists the user's unit");
    // Sign out needs the CSRF token: without it nothing happens.
    let res = http
        .post(app.url("/logout"))
        .form(&[("csrf", "sai")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        http.get(app.url("/")).send().await.unwrap().status(),
        StatusCode::OK
    );
    let res = http
        .post(app.url("/logout"))
        .form(&[("csrf", csrf_in(&html).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let after = http.get(app.url("/")).send().await.unwrap();
    assert_eq!(after.status(), StatusCode::SEE_OTHER);
    assert_eq!(after.headers()["location"], "/login?next=/");
}
both_backends!(sign_in_out, sign_in_sets_a_safe_cookie_and_sign_out_ends_it);

async fn wrong_passwords_are_throttled(b: Backend) {
    let app = spawn(b).await;
    let http = client();
    for _ in 0..5 {
        let res = app.try_login(&http, "admin", "mat-khau-sai-roi").await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        assert!(
            res.text()
                .await
                .unwrap()
                .contains("Tên đăng nhập hoặc mật khẩu không đúng.")
        );
    }
    // Even the right password is refused while the account is throttled.
    let res = app.try_login(&http, "admin", DEMO_PASSWORD).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.text().await.unwrap().contains("thử lại sau"));
    // Another account from the same address is not locked out by it.
    let res = app.try_login(&http, "canbo.dinhlap", DEMO_PASSWORD).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}
both_backends!(throttle, wrong_passwords_are_throttled);

async fn sign_in_without_the_form_token_is_refused(b: Backend) {
    let app = spawn(b).await;
    let res = client()
        .post(app.url("/login"))
        .form(&[
            ("username", "admin"),
            ("password", DEMO_PASSWORD),
            ("csrf", "gia-mao"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("Phiên làm việc đã hết hạn")
    );
    let res = client()
        .post(app.url("/login"))
        .body("khong-phai-form")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
}
both_backends!(login_csrf, sign_in_without_the_form_token_is_refused);

async fn changing_the_password(b: Backend) {
    let app = spawn(b).await;
    let s = app.login("canbo.dinhlap").await;
    let res = s
        .post_form(
            "/account/password",
            &[
                ("current", DEMO_PASSWORD),
                ("new_password", "ngan"),
                ("confirm", "ngan"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("ít nhất 10 ký tự"));
    let new = "mat-khau-moi-2026";
    let res = s
        .post_form(
            "/account/password",
            &[
                ("current", DEMO_PASSWORD),
                ("new_password", new),
                ("confirm", new),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = app
        .try_login(&client(), "canbo.dinhlap", DEMO_PASSWORD)
        .await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let res = app.try_login(&client(), "canbo.dinhlap", new).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
}
both_backends!(password_change, changing_the_password);

async fn redirects_after_sign_in_stay_on_this_site(b: Backend) {
    let app = spawn(b).await;
    let http = client();
    let page = http
        .get(app.url("/login?next=//evil.example/x"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains("name=\"next\" value=\"/\""),
        "an off-site target is replaced by /"
    );
}
both_backends!(open_redirect, redirects_after_sign_in_stay_on_this_site);
