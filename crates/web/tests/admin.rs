//! The back office's doors: login with lockout, CSRF on every form, roles per
//! site, password change, logout, and pages that are never cached.

mod common;

use axum::http::StatusCode;
use common::{PASSWORD, TestApp, add_user, log_in, login_form, session};
use domain::Role;

const SO: &str = "localhost";
const LQD: &str = "lqd.localhost";

#[tokio::test]
async fn logging_in_opens_the_dashboard() {
    let app = TestApp::demo().await;
    add_user(&app, "lan.nguyen", "so", Role::Admin).await;
    let res = log_in(&app, SO, "Lan.Nguyen", PASSWORD).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location(), "/quan-tri");
    let line = res.set_cookie_line("ep_phien").unwrap();
    assert!(
        line.contains("HttpOnly") && line.contains("SameSite=Lax") && line.contains("Path=/"),
        "{line}"
    );
    assert!(!line.contains("Secure"), "plain HTTP here");
    let cookie = format!("ep_phien={}", res.set_cookie("ep_phien").unwrap());
    let dash = app.get_with(SO, "/quan-tri", &[("cookie", &cookie)]).await;
    assert_eq!(dash.status, StatusCode::OK);
    dash.assert_contains("Xin chào <strong>Nguyễn Văn Thử</strong>");
    dash.assert_contains("Vai trò của bạn trên trang này: <strong>Quản trị</strong>");
    assert_eq!(dash.headers["cache-control"], "no-store");
    // The audit log shows the login.
    dash.assert_contains("<td>lan.nguyen</td><td>đăng nhập</td>");

    // Behind HTTPS the cookie is Secure.
    let (c, csrf) = login_form(&app, SO).await;
    let https = app
        .post_form(
            SO,
            "/quan-tri/dang-nhap",
            &[
                ("csrf", &csrf),
                ("username", "lan.nguyen"),
                ("password", PASSWORD),
            ],
            &[("cookie", &c), ("x-forwarded-proto", "https")],
        )
        .await;
    assert!(
        https
            .set_cookie_line("ep_phien")
            .unwrap()
            .contains("Secure")
    );
}

#[tokio::test]
async fn back_office_pages_need_a_session() {
    let app = TestApp::demo().await;
    for path in ["/quan-tri", "/quan-tri/doi-mat-khau"] {
        let res = app.get(SO, path).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{path}");
        assert!(
            res.location()
                .starts_with("/quan-tri/dang-nhap?tiep=%2Fquan-tri"),
            "{}",
            res.location()
        );
    }
    let forged = app
        .get_with(SO, "/quan-tri", &[("cookie", "ep_phien=0123456789abcdef")])
        .await;
    assert_eq!(forged.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn wrong_passwords_are_refused_calmly_and_keep_the_name() {
    let app = TestApp::demo().await;
    add_user(&app, "lan.nguyen", "so", Role::Writer).await;
    for (name, pw) in [
        ("lan.nguyen", "sai mật khẩu rồi"),
        ("khong.co.ai", PASSWORD),
    ] {
        let res = log_in(&app, SO, name, pw).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
        res.assert_contains("Tên đăng nhập hoặc mật khẩu không đúng.");
        res.assert_contains(&format!("name=\"username\" value=\"{name}\""));
        assert!(res.set_cookie("ep_phien").is_none());
    }
}

#[tokio::test]
async fn five_failures_lock_for_fifteen_minutes() {
    let app = TestApp::demo().await;
    add_user(&app, "lan.nguyen", "so", Role::Writer).await;
    for _ in 0..5 {
        assert_eq!(
            log_in(&app, SO, "lan.nguyen", "sai mật khẩu rồi")
                .await
                .status,
            StatusCode::UNAUTHORIZED
        );
    }
    let locked = log_in(&app, SO, "lan.nguyen", PASSWORD).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    locked.assert_contains("tạm bị khóa. Vui lòng thử lại sau 15 phút.");
    assert!(locked.set_cookie("ep_phien").is_none());
}

#[tokio::test]
async fn forms_without_the_right_token_are_refused() {
    let app = TestApp::demo().await;
    add_user(&app, "lan.nguyen", "so", Role::Editor).await;
    let (cookie, _) = login_form(&app, SO).await;
    for (csrf, cookie) in [
        ("", cookie.as_str()),
        ("ab".repeat(32).as_str(), cookie.as_str()),
        ("x", ""),
    ] {
        let res = app
            .post_form(
                SO,
                "/quan-tri/dang-nhap",
                &[
                    ("csrf", csrf),
                    ("username", "lan.nguyen"),
                    ("password", PASSWORD),
                ],
                &[("cookie", cookie)],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        res.assert_contains("Biểu mẫu đăng nhập đã hết hạn");
        assert!(res.set_cookie("ep_phien").is_none());
    }
    // Signed in, a logout or password change without the session's token does nothing.
    let s = session(&app, SO, "lan.nguyen").await;
    let out = app
        .post_form(
            SO,
            "/quan-tri/dang-xuat",
            &[("csrf", "sai")],
            &[("cookie", &s)],
        )
        .await;
    assert_eq!(out.status, StatusCode::FORBIDDEN);
    let change = app
        .post_form(
            SO,
            "/quan-tri/doi-mat-khau",
            &[
                ("current", PASSWORD),
                ("new_password", "mật khẩu mới dài"),
                ("confirm", "mật khẩu mới dài"),
            ],
            &[("cookie", &s)],
        )
        .await;
    assert_eq!(change.status, StatusCode::FORBIDDEN);
    assert_eq!(
        app.get_with(SO, "/quan-tri", &[("cookie", &s)])
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn roles_are_per_site() {
    let app = TestApp::demo().await;
    add_user(&app, "gv.lqd", "lqd", Role::Writer).await;
    let elsewhere = log_in(&app, SO, "gv.lqd", PASSWORD).await;
    assert_eq!(elsewhere.status, StatusCode::FORBIDDEN);
    elsewhere.assert_contains("không có quyền quản trị trang này");
    let s = session(&app, LQD, "gv.lqd").await;
    let dash = app.get_with(LQD, "/quan-tri", &[("cookie", &s)]).await;
    dash.assert_contains(
        "Vai trò của bạn trên trang này: <strong>Phóng viên/Cộng tác viên</strong>",
    );
    dash.assert_lacks("Nhật ký hoạt động");
    // The same session on the department's host has no role there.
    let there = app.get_with(SO, "/quan-tri", &[("cookie", &s)]).await;
    there.assert_contains("không có quyền trên trang này");
}

#[tokio::test]
async fn changing_the_password_ends_other_sessions() {
    let app = TestApp::demo().await;
    add_user(&app, "lan.nguyen", "so", Role::Editor).await;
    let first = session(&app, SO, "lan.nguyen").await;
    let second = session(&app, SO, "lan.nguyen").await;
    let form = app
        .get_with(SO, "/quan-tri/doi-mat-khau", &[("cookie", &second)])
        .await;
    let csrf = form.field("csrf");
    let attempt = |current: &'static str, new: &'static str, confirm: &'static str| {
        let (app, second, csrf) = (&app, second.clone(), csrf.clone());
        async move {
            app.post_form(
                SO,
                "/quan-tri/doi-mat-khau",
                &[
                    ("csrf", &csrf),
                    ("current", current),
                    ("new_password", new),
                    ("confirm", confirm),
                ],
                &[("cookie", &second)],
            )
            .await
        }
    };
    attempt("sai", "mật khẩu mới dài", "mật khẩu mới dài")
        .await
        .assert_contains("Mật khẩu hiện tại không đúng.");
    attempt(PASSWORD, "ngắn", "ngắn")
        .await
        .assert_contains("Mật khẩu phải có ít nhất 10 ký tự.");
    attempt(PASSWORD, "mật khẩu mới dài", "mật khẩu khác hẳn")
        .await
        .assert_contains("Hai lần nhập mật khẩu mới không giống nhau.");
    let done = attempt(PASSWORD, "mật khẩu mới dài", "mật khẩu mới dài").await;
    assert_eq!(done.status, StatusCode::OK);
    done.assert_contains("Đã đổi mật khẩu.");
    let fresh = format!("ep_phien={}", done.set_cookie("ep_phien").unwrap());
    assert_eq!(
        app.get_with(SO, "/quan-tri", &[("cookie", &fresh)])
            .await
            .status,
        StatusCode::OK
    );
    for old in [&first, &second] {
        assert_eq!(
            app.get_with(SO, "/quan-tri", &[("cookie", old)])
                .await
                .status,
            StatusCode::SEE_OTHER
        );
    }
    assert_eq!(
        log_in(&app, SO, "lan.nguyen", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        log_in(&app, SO, "lan.nguyen", "mật khẩu mới dài")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn logging_out_ends_the_session() {
    let app = TestApp::demo().await;
    add_user(&app, "lan.nguyen", "so", Role::Editor).await;
    let s = session(&app, SO, "lan.nguyen").await;
    let dash = app.get_with(SO, "/quan-tri", &[("cookie", &s)]).await;
    let out = app
        .post_form(
            SO,
            "/quan-tri/dang-xuat",
            &[("csrf", &dash.field("csrf"))],
            &[("cookie", &s)],
        )
        .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    assert_eq!(out.set_cookie("ep_phien").as_deref(), Some(""));
    assert_eq!(
        app.get_with(SO, "/quan-tri", &[("cookie", &s)])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn signed_in_readers_bypass_the_page_cache() {
    let app = TestApp::demo().await;
    add_user(&app, "lan.nguyen", "so", Role::Editor).await;
    let s = session(&app, SO, "lan.nguyen").await;
    assert!(
        app.get(SO, "/").await.headers.get("etag").is_some(),
        "anonymous: cached"
    );
    let page = app.get_with(SO, "/", &[("cookie", &s)]).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.headers.get("etag").is_none(),
        "signed in: rendered afresh"
    );
}

#[tokio::test]
async fn administrators_reset_the_passwords_of_their_sites_people() {
    let app = TestApp::demo().await;
    add_user(&app, "admin.so", "so", Role::Admin).await;
    add_user(&app, "gv.so", "so", Role::Writer).await;
    add_user(&app, "gv.lqd", "lqd", Role::Writer).await;
    let writer = session(&app, SO, "gv.so").await;
    let list = app
        .get_with(SO, "/quan-tri/nguoi-dung", &[("cookie", &writer)])
        .await;
    assert_eq!(
        list.status,
        StatusCode::FORBIDDEN,
        "writers do not manage people"
    );

    let admin = session(&app, SO, "admin.so").await;
    let list = app
        .get_with(SO, "/quan-tri/nguoi-dung", &[("cookie", &admin)])
        .await;
    assert_eq!(list.status, StatusCode::OK);
    list.assert_contains("<td>gv.so</td>");
    list.assert_lacks("gv.lqd");
    let csrf = list.field("csrf");

    // Someone of another site: refused, and their password still works.
    let other = app
        .post_form(
            SO,
            "/quan-tri/nguoi-dung/dat-lai-mat-khau",
            &[("csrf", &csrf), ("username", "gv.lqd")],
            &[("cookie", &admin)],
        )
        .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    assert_eq!(
        log_in(&app, LQD, "gv.lqd", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    // Without the form's token: refused.
    let forged = app
        .post_form(
            SO,
            "/quan-tri/nguoi-dung/dat-lai-mat-khau",
            &[("csrf", "x"), ("username", "gv.so")],
            &[("cookie", &admin)],
        )
        .await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    let done = app
        .post_form(
            SO,
            "/quan-tri/nguoi-dung/dat-lai-mat-khau",
            &[("csrf", &csrf), ("username", "gv.so")],
            &[("cookie", &admin)],
        )
        .await;
    assert_eq!(done.status, StatusCode::OK);
    done.assert_contains("Mật khẩu mới của gv.so (chỉ hiện lần này, hãy trao tận tay): ");
    let new_password = done
        .body
        .split("hãy trao tận tay): ")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(new_password.chars().count(), 16);
    // The writer's session ended; the old password is gone; the new one works.
    assert_eq!(
        app.get_with(SO, "/quan-tri", &[("cookie", &writer)])
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        log_in(&app, SO, "gv.so", PASSWORD).await.status,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        log_in(&app, SO, "gv.so", &new_password).await.status,
        StatusCode::SEE_OTHER
    );
}
