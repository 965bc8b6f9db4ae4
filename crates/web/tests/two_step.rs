//! Two-step login with an authenticator app: enrolment, the login's second step,
//! codes and backup codes that work once, the lockout, turning it off, CSRF.
//! Codes are computed here from the secret the page shows, at the current time.

mod common;

use axum::http::StatusCode;
use common::{PASSWORD, Page, TestApp, add_user, log_in, now, session};
use domain::Role;
use web::codes::{base32_decode, code_at, step_at};

const SO: &str = "localhost";
const PAGE: &str = "/quan-tri/xac-thuc-hai-buoc";
const CODE_PAGE: &str = "/quan-tri/dang-nhap/ma-xac-thuc";

/// An enrolled authenticator, as the test's "phone" holds it.
struct Phone {
    key: Vec<u8>,
    /// The step whose code confirmed the enrolment.
    enrolled_at: i64,
    backup_codes: Vec<String>,
}

impl Phone {
    /// The code `offset` steps after the one used to enrol.
    fn code(&self, offset: i64) -> String {
        code_at(&self.key, self.enrolled_at + offset)
    }
}

/// A six-digit code that is none of the codes the server accepts now.
fn wrong_code(key: &[u8]) -> String {
    let step = step_at(now());
    let valid: Vec<String> = (step - 2..=step + 2).map(|s| code_at(key, s)).collect();
    ["000000", "111111", "222222", "333333", "444444", "555555"]
        .into_iter()
        .find(|c| !valid.iter().any(|v| v == c))
        .unwrap()
        .to_owned()
}

fn backup_codes_on(page: &Page) -> Vec<String> {
    page.body
        .split("<ul class=\"totp-codes\">")
        .nth(1)
        .map(|list| {
            list.split("</ul>")
                .next()
                .unwrap()
                .split("<li><code>")
                .skip(1)
                .map(|s| s.split('<').next().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

async fn post(app: &TestApp, cookie: &str, form: &[(&str, &str)]) -> Page {
    app.post_form(SO, PAGE, form, &[("cookie", cookie)]).await
}

/// Turns two-step login on for the session's user, checking each step on the way:
/// a wrong code first (refused, the enrolment kept), then the right one.
async fn enrol(app: &TestApp, cookie: &str) -> Phone {
    let status = app.get_with(SO, PAGE, &[("cookie", cookie)]).await;
    assert_eq!(status.status, StatusCode::OK);
    assert_eq!(status.headers["cache-control"], "no-store");
    status.assert_contains("<strong>Đang tắt.</strong>");
    let csrf = status.field("csrf");

    let started = post(app, cookie, &[("csrf", &csrf), ("action", "start")]).await;
    assert_eq!(started.status, StatusCode::OK);
    started.assert_contains("<svg class=\"totp-qr\" role=\"img\"");
    started.assert_contains("href=\"otpauth://totp/");
    started.assert_contains("&#38;issuer=");
    let grouped = started
        .body
        .split("<code class=\"totp-secret\">")
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(grouped.split(' ').count(), 8, "{grouped}");
    assert!(grouped.split(' ').all(|g| g.len() == 4), "{grouped}");
    let key = base32_decode(&grouped).unwrap();
    assert_eq!(key.len(), 20);

    let wrong = post(
        app,
        cookie,
        &[
            ("csrf", &csrf),
            ("action", "confirm"),
            ("code", &wrong_code(&key)),
        ],
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    wrong.assert_contains("Mã xác nhận không đúng.");
    // The enrolment is still there, with the same secret.
    wrong.assert_contains(&format!("<code class=\"totp-secret\">{grouped}</code>"));
    wrong.assert_contains("name=\"action\" value=\"confirm\"");

    let step = step_at(now());
    let right = post(
        app,
        cookie,
        &[
            ("csrf", &csrf),
            ("action", "confirm"),
            ("code", &code_at(&key, step)),
        ],
    )
    .await;
    assert_eq!(right.status, StatusCode::OK, "{}", right.body);
    right.assert_contains("Đã bật xác thực hai bước.");
    right.assert_contains("<strong>Đang bật.</strong>");
    right.assert_lacks("totp-secret");
    let backup_codes = backup_codes_on(&right);
    assert_eq!(backup_codes.len(), 10, "{}", right.body);
    Phone {
        key,
        // The server may have been a step ahead; either way this step is used.
        enrolled_at: step,
        backup_codes,
    }
}

/// Logs in with the password and returns the pending cookie and the code form's token.
async fn first_step(app: &TestApp, username: &str) -> (String, String) {
    let res = log_in(app, SO, username, PASSWORD).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(res.location(), CODE_PAGE);
    assert!(res.set_cookie("ep_phien").is_none(), "no session yet");
    let cookie = format!("ep_xacthuc={}", res.set_cookie("ep_xacthuc").unwrap());
    let form = app.get_with(SO, CODE_PAGE, &[("cookie", &cookie)]).await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(form.headers["cache-control"], "no-store");
    form.assert_contains("Mã xác thực hoặc mã dự phòng");
    (cookie, form.field("csrf"))
}

async fn second_step(app: &TestApp, cookie: &str, csrf: &str, code: &str) -> Page {
    app.post_form(
        SO,
        CODE_PAGE,
        &[("csrf", csrf), ("code", code)],
        &[("cookie", cookie), ("x-forwarded-for", "10.9.9.9")],
    )
    .await
}

fn session_of(res: &Page) -> String {
    format!("ep_phien={}", res.set_cookie("ep_phien").unwrap())
}

#[tokio::test]
async fn enrolling_shows_a_qr_code_and_the_backup_codes_once() {
    let app = TestApp::demo().await;
    add_user(&app, "lan.nguyen", "so", Role::Admin).await;
    let s = session(&app, SO, "lan.nguyen").await;
    let dash = app.get_with(SO, "/quan-tri", &[("cookie", &s)]).await;
    dash.assert_contains("<a href=\"/quan-tri/xac-thuc-hai-buoc\">Xác thực hai bước</a>");

    let phone = enrol(&app, &s).await;
    assert!(phone.backup_codes.iter().all(|c| c.len() == 11));
    let again = app.get_with(SO, PAGE, &[("cookie", &s)]).await;
    again.assert_contains("Còn 10 mã dự phòng chưa dùng.");
    for code in &phone.backup_codes {
        again.assert_lacks(code);
    }
    // Starting over while it is on is refused: it must be turned off first.
    let restart = post(
        &app,
        &s,
        &[("csrf", &again.field("csrf")), ("action", "start")],
    )
    .await;
    assert_eq!(restart.status, StatusCode::CONFLICT);
    restart.assert_lacks("totp-secret");
    let dash = app.get_with(SO, "/quan-tri", &[("cookie", &s)]).await;
    dash.assert_contains("<td>lan.nguyen</td><td>bật xác thực hai bước</td>");
}

#[tokio::test]
async fn login_asks_for_the_code_and_a_code_works_once() {
    let app = TestApp::demo().await;
    add_user(&app, "lan.nguyen", "so", Role::Admin).await;
    let s = session(&app, SO, "lan.nguyen").await;
    let phone = enrol(&app, &s).await;

    let res = log_in(&app, SO, "lan.nguyen", PASSWORD).await;
    let line = res.set_cookie_line("ep_xacthuc").unwrap();
    assert!(
        line.contains("HttpOnly") && line.contains("SameSite=Lax") && line.contains("Path=/"),
        "{line}"
    );
    assert!(line.contains("Max-Age=300"), "{line}");
    // The pending login is no session.
    let pending = format!("ep_xacthuc={}", res.set_cookie("ep_xacthuc").unwrap());
    let dash = app.get_with(SO, "/quan-tri", &[("cookie", &pending)]).await;
    assert_eq!(dash.status, StatusCode::SEE_OTHER);

    let (cookie, csrf) = first_step(&app, "lan.nguyen").await;
    let wrong = second_step(&app, &cookie, &csrf, &wrong_code(&phone.key)).await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    wrong.assert_contains("Mã xác thực không đúng hoặc đã được dùng.");
    assert!(wrong.set_cookie("ep_phien").is_none());
    // The code that confirmed the enrolment is spent.
    let spent = second_step(&app, &cookie, &csrf, &phone.code(0)).await;
    assert_eq!(spent.status, StatusCode::UNAUTHORIZED);

    let code = phone.code(1);
    let right = second_step(&app, &cookie, &csrf, &code).await;
    assert_eq!(right.status, StatusCode::SEE_OTHER, "{}", right.body);
    assert_eq!(right.location(), "/quan-tri");
    assert_eq!(right.set_cookie("ep_xacthuc").as_deref(), Some(""));
    let dash = app
        .get_with(SO, "/quan-tri", &[("cookie", &session_of(&right))])
        .await;
    assert_eq!(dash.status, StatusCode::OK);
    dash.assert_contains("<td>lan.nguyen</td><td>đăng nhập</td>");
    dash.assert_contains("<td>lan.nguyen</td><td>mã xác thực sai</td>");

    // The pending login was used up with the session.
    let reuse = second_step(&app, &cookie, &csrf, &code).await;
    assert_eq!(reuse.status, StatusCode::SEE_OTHER);
    assert_eq!(reuse.location(), "/quan-tri/dang-nhap");
    assert!(reuse.set_cookie("ep_phien").is_none());
    // The same code in a new login: refused.
    let (cookie, csrf) = first_step(&app, "lan.nguyen").await;
    let replay = second_step(&app, &cookie, &csrf, &code).await;
    assert_eq!(replay.status, StatusCode::UNAUTHORIZED);
    replay.assert_contains("đã được dùng");
    assert!(replay.set_cookie("ep_phien").is_none());
}

#[tokio::test]
async fn wrong_codes_count_towards_the_lockout() {
    let app = TestApp::demo().await;
    add_user(&app, "lan.nguyen", "so", Role::Editor).await;
    let s = session(&app, SO, "lan.nguyen").await;
    let phone = enrol(&app, &s).await;
    let (cookie, csrf) = first_step(&app, "lan.nguyen").await;
    for _ in 0..5 {
        let res = second_step(&app, &cookie, &csrf, &wrong_code(&phone.key)).await;
        assert_eq!(res.status, StatusCode::UNAUTHORIZED);
    }
    // Even the right code is refused now, and so is the password.
    let locked = second_step(&app, &cookie, &csrf, &phone.code(1)).await;
    assert_eq!(locked.status, StatusCode::TOO_MANY_REQUESTS);
    locked.assert_contains("tạm bị khóa. Vui lòng thử lại sau 15 phút.");
    assert!(locked.set_cookie("ep_phien").is_none());
    let again = log_in(&app, SO, "lan.nguyen", PASSWORD).await;
    assert_eq!(again.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(again.set_cookie("ep_xacthuc").is_none());
}

#[tokio::test]
async fn a_backup_code_works_once() {
    let app = TestApp::demo().await;
    add_user(&app, "lan.nguyen", "so", Role::Writer).await;
    let s = session(&app, SO, "lan.nguyen").await;
    let phone = enrol(&app, &s).await;

    // Through the login form of a page that asked for it: the code page keeps the way.
    let (form_cookie, form_csrf) = common::login_form(&app, SO).await;
    let res = app
        .post_form(
            SO,
            "/quan-tri/dang-nhap?tiep=%2Fquan-tri%2Fbai-viet",
            &[
                ("csrf", &form_csrf),
                ("username", "lan.nguyen"),
                ("password", PASSWORD),
            ],
            &[("cookie", &form_cookie)],
        )
        .await;
    assert_eq!(
        res.location(),
        "/quan-tri/dang-nhap/ma-xac-thuc?tiep=%2Fquan-tri%2Fbai-viet"
    );
    let cookie = format!("ep_xacthuc={}", res.set_cookie("ep_xacthuc").unwrap());
    let form = app
        .get_with(SO, res.location(), &[("cookie", &cookie)])
        .await;
    form.assert_contains("action=\"/quan-tri/dang-nhap/ma-xac-thuc?tiep=%2Fquan-tri%2Fbai-viet\"");
    // Typed in capitals with a space instead of the dash: the same code.
    let typed = phone.backup_codes[3].to_uppercase().replace('-', " ");
    let used = app
        .post_form(
            SO,
            "/quan-tri/dang-nhap/ma-xac-thuc?tiep=%2Fquan-tri%2Fbai-viet",
            &[("csrf", &form.field("csrf")), ("code", &typed)],
            &[("cookie", &cookie)],
        )
        .await;
    assert_eq!(used.status, StatusCode::SEE_OTHER, "{}", used.body);
    assert_eq!(used.location(), "/quan-tri/bai-viet");
    let mine = session_of(&used);

    let (cookie, csrf) = first_step(&app, "lan.nguyen").await;
    let twice = second_step(&app, &cookie, &csrf, &phone.backup_codes[3]).await;
    assert_eq!(twice.status, StatusCode::UNAUTHORIZED);
    let other = second_step(&app, &cookie, &csrf, &phone.backup_codes[7]).await;
    assert_eq!(other.status, StatusCode::SEE_OTHER);
    let status = app.get_with(SO, PAGE, &[("cookie", &mine)]).await;
    status.assert_contains("Còn 8 mã dự phòng chưa dùng.");
}

#[tokio::test]
async fn turning_it_off_needs_the_password() {
    let app = TestApp::demo().await;
    add_user(&app, "lan.nguyen", "so", Role::Admin).await;
    let s = session(&app, SO, "lan.nguyen").await;
    enrol(&app, &s).await;
    let csrf = app
        .get_with(SO, PAGE, &[("cookie", &s)])
        .await
        .field("csrf");

    let wrong = post(
        &app,
        &s,
        &[
            ("csrf", &csrf),
            ("action", "disable"),
            ("password", "sai mật khẩu"),
        ],
    )
    .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    wrong.assert_contains("Mật khẩu hiện tại không đúng. Xác thực hai bước vẫn đang bật.");
    wrong.assert_contains("<strong>Đang bật.</strong>");
    assert_eq!(
        log_in(&app, SO, "lan.nguyen", PASSWORD).await.location(),
        CODE_PAGE,
        "still on"
    );

    let off = post(
        &app,
        &s,
        &[
            ("csrf", &csrf),
            ("action", "disable"),
            ("password", PASSWORD),
        ],
    )
    .await;
    assert_eq!(off.status, StatusCode::OK);
    off.assert_contains("Đã tắt xác thực hai bước.");
    off.assert_contains("<strong>Đang tắt.</strong>");
    let res = log_in(&app, SO, "lan.nguyen", PASSWORD).await;
    assert_eq!(res.location(), "/quan-tri");
    let dash = app
        .get_with(SO, "/quan-tri", &[("cookie", &session_of(&res))])
        .await;
    dash.assert_contains("<td>lan.nguyen</td><td>tắt xác thực hai bước</td>");
}

#[tokio::test]
async fn two_step_forms_need_their_csrf_token() {
    let app = TestApp::demo().await;
    add_user(&app, "lan.nguyen", "so", Role::Editor).await;
    let s = session(&app, SO, "lan.nguyen").await;
    for form in [
        vec![("action", "start")],
        vec![("csrf", "sai"), ("action", "start")],
    ] {
        let res = post(&app, &s, &form).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        res.assert_contains("Biểu mẫu đã hết hạn hoặc không hợp lệ.");
    }
    app.get_with(SO, PAGE, &[("cookie", &s)])
        .await
        .assert_contains("<strong>Đang tắt.</strong>");

    let phone = enrol(&app, &s).await;
    let off = post(&app, &s, &[("action", "disable"), ("password", PASSWORD)]).await;
    assert_eq!(off.status, StatusCode::FORBIDDEN);
    app.get_with(SO, PAGE, &[("cookie", &s)])
        .await
        .assert_contains("<strong>Đang bật.</strong>");

    let (cookie, csrf) = first_step(&app, "lan.nguyen").await;
    for token in ["", "sai"] {
        let res = second_step(&app, &cookie, token, &phone.code(1)).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        assert!(res.set_cookie("ep_phien").is_none());
    }
    // A code page without its pending login goes back to the password.
    let lost = second_step(&app, "ep_xacthuc=abc", &csrf, &phone.code(1)).await;
    assert_eq!(lost.status, StatusCode::SEE_OTHER);
    assert_eq!(lost.location(), "/quan-tri/dang-nhap");
    // The refusals spent neither the pending login nor the code.
    let ok = second_step(&app, &cookie, &csrf, &phone.code(1)).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    assert!(ok.set_cookie("ep_phien").is_some());
}
