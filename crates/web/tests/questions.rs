//! Citizens' questions (issue 16), end to end through the real router and a real
//! database (SQLite, or PostgreSQL when EDUPORTAL_TEST_DATABASE_URL is set): the
//! public form and its refusals, the tracking code, the office's handling,
//! forwarding between sites, deadlines, the public list, votes, the rating, spam
//! pruning and the mail queue against a real SMTP listener.

mod common;

use axum::http::StatusCode;
use common::{Desk, Page, TestApp, add_user, now};
use domain::Role;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::sync::Mutex;

const SO: &str = "localhost";

/// The demo, with the anti-spam proof of work at zero bits (any answer solves
/// it; the challenge's token is still needed, once) and a generous limit, so
/// that tests post as quickly as they like. The guard itself is tested below.
async fn demo() -> TestApp {
    TestApp::demo_with(|o| {
        o.spam.pow_bits = 0;
        o.spam.burst = 1000;
    })
    .await
}

/// Every post of the public form comes from its own address unless a test says.
static NEXT_ADDRESS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
const LQD: &str = "lqd.localhost";

/// The form's fields, all right.
fn good_question(email: &str, title: &str, publish: bool) -> Vec<(&'static str, String)> {
    let mut f = vec![
        ("danh_xung", "Chị".to_owned()),
        ("ho_ten", "Nguyễn Thị Lan".to_owned()),
        ("email", email.to_owned()),
        ("dien_thoai", "0912 345 678".to_owned()),
        ("dia_chi", "12 Lê Lợi, phường Hòa Bình".to_owned()),
        ("tieu_de", title.to_owned()),
        (
            "noi_dung",
            "Xin hỏi hồ sơ tuyển sinh lớp 10 gồm những giấy tờ gì?".to_owned(),
        ),
        ("linh_vuc", "tuyen-sinh".to_owned()),
    ];
    if publish {
        f.push(("cong_khai", "1".to_owned()));
    }
    f
}

/// Posts the public form as a browser does: the form's page first (its token
/// cookie), then the form.
async fn ask(app: &TestApp, host: &str, fields: &[(&str, String)]) -> Page {
    let n = NEXT_ADDRESS.fetch_add(1, Ordering::Relaxed);
    ask_from(
        app,
        host,
        fields,
        &format!("10.1.{}.{}", n / 250, n % 250),
        "0",
    )
    .await
}

/// The form's page, then the form with the challenge's token and `work` as the
/// proof of work, from `address`.
async fn ask_from(
    app: &TestApp,
    host: &str,
    fields: &[(&str, String)],
    address: &str,
    work: &str,
) -> Page {
    let form = app.get(host, "/hoi-dap/gui-cau-hoi").await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(form.headers["cache-control"], "no-store");
    let cookie = format!("ep_csrf={}", form.set_cookie("ep_csrf").unwrap());
    let csrf = form.field("csrf");
    let token = form.field("thu_thach");
    let mut all: Vec<(&str, &str)> = vec![
        ("csrf", csrf.as_str()),
        ("thu_thach", token.as_str()),
        ("loi_giai", work),
        ("trang_web", ""),
    ];
    all.extend(fields.iter().map(|(k, v)| (*k, v.as_str())));
    app.post_form(
        host,
        "/hoi-dap/gui-cau-hoi",
        &all,
        &[("cookie", &cookie), ("x-forwarded-for", address)],
    )
    .await
}

/// Sends a good question; its tracking code.
async fn ask_ok(app: &TestApp, host: &str, email: &str, title: &str, publish: bool) -> String {
    let res = ask(app, host, &good_question(email, title, publish)).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let code = res.location().split("ma=").nth(1).unwrap().to_owned();
    let sent = app.get(host, res.location()).await;
    sent.assert_contains(&code);
    sent.assert_contains("Mã tra cứu");
    code
}

async fn lookup(app: &TestApp, host: &str, code: &str, email: &str) -> Page {
    let form = app.get(host, "/hoi-dap/tra-cuu").await;
    let cookie = format!("ep_csrf={}", form.set_cookie("ep_csrf").unwrap());
    let csrf = form.field("csrf");
    app.post_form(
        host,
        "/hoi-dap/tra-cuu",
        &[("csrf", &csrf), ("ma", code), ("email", email)],
        &[("cookie", &cookie)],
    )
    .await
}

/// The id of a question in the office, by its code.
async fn question_id(app: &TestApp, key: &str, code: &str) -> i64 {
    let site = site_id(app, key).await;
    app.store
        .question_inbox(site, None, 1000, 0)
        .await
        .unwrap()
        .into_iter()
        .find(|r| r.code == code)
        .unwrap()
        .id
        .0
}

/// Questions the department received in the test (the demo's answered ones aside).
async fn asked(app: &TestApp) -> usize {
    let site = site_id(app, "so").await;
    app.store
        .question_inbox(site, None, 1000, 0)
        .await
        .unwrap()
        .iter()
        .filter(|r| !r.code.starts_with("HD-DEMO"))
        .count()
}

async fn site_id(app: &TestApp, key: &str) -> domain::SiteId {
    app.store
        .sites()
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.key == key)
        .unwrap()
        .id
}

async fn post(desk: &Desk<'_>, path: &str, fields: &[(&str, &str)]) -> Page {
    let csrf = desk.get("/quan-tri/hoi-dap").await.field("csrf");
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    desk.app
        .post_form(desk.host, path, &all, &[("cookie", &desk.cookie)])
        .await
}

/// Assign to `who`, answer as `who`, approve as the editor.
async fn answer_and_approve(editor: &Desk<'_>, staff: &Desk<'_>, who: domain::UserId, id: i64) {
    let res = post(
        editor,
        &format!("/quan-tri/hoi-dap/{id}/giao"),
        &[("nguoi", &who.0.to_string()), ("han", "5")],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let res = post(
        staff,
        &format!("/quan-tri/hoi-dap/{id}/tra-loi"),
        &[
            (
                "body",
                "<p>Hồ sơ gồm đơn dự tuyển và học bạ THCS.</p><script>alert(1)</script>",
            ),
            ("action", "gui"),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let res = post(
        editor,
        &format!("/quan-tri/hoi-dap/{id}/duyet"),
        &[("hien_ten", "1")],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
}

#[tokio::test]
async fn every_refusal_keeps_what_was_typed() {
    let app = demo().await;
    // Nothing at all.
    let res = ask(&app, SO, &[]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    for m in [
        "Vui lòng nhập họ tên.",
        "Vui lòng nhập địa chỉ e-mail để nhận trả lời.",
        "Vui lòng nhập tiêu đề câu hỏi.",
        "Vui lòng nhập nội dung câu hỏi.",
        "Vui lòng chọn lĩnh vực của câu hỏi.",
    ] {
        res.assert_contains(m);
    }
    // One mistake at a time: the rest of the form comes back as typed.
    let cases: [(&str, &str, &str); 4] = [
        ("email", "lan@", "Địa chỉ e-mail “lan@” chưa đúng"),
        ("dien_thoai", "12ab", "Số điện thoại “12ab” chưa đúng"),
        ("linh_vuc", "khong-co", "Vui lòng chọn lĩnh vực"),
        ("tieu_de", "", "Vui lòng nhập tiêu đề câu hỏi."),
    ];
    for (field, value, message) in cases {
        let mut f = good_question("lan@example.vn", "Hồ sơ tuyển sinh lớp 10", true);
        for (k, v) in f.iter_mut() {
            if *k == field {
                *v = value.to_owned();
            }
        }
        let res = ask(&app, SO, &f).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        res.assert_contains(message);
        res.assert_contains("value=\"Nguyễn Thị Lan\"");
        res.assert_contains("Xin hỏi hồ sơ tuyển sinh lớp 10 gồm những giấy tờ gì?</textarea>");
        res.assert_contains("value=\"12 Lê Lợi, phường Hòa Bình\"");
        res.assert_contains("name=\"cong_khai\" type=\"checkbox\" value=\"1\" checked");
    }
    // A form without its token cookie is refused, and still keeps what was typed.
    let form = app.get(SO, "/hoi-dap/gui-cau-hoi").await;
    let csrf = form.field("csrf");
    let token = form.field("thu_thach");
    let mut fields: Vec<(&str, &str)> =
        vec![("csrf", &csrf), ("thu_thach", &token), ("loi_giai", "0")];
    let good = good_question("lan@example.vn", "Hồ sơ tuyển sinh lớp 10", false);
    fields.extend(good.iter().map(|(k, v)| (*k, v.as_str())));
    let res = app
        .post_form(SO, "/hoi-dap/gui-cau-hoi", &fields, &[])
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    res.assert_contains("Biểu mẫu đã hết hạn");
    res.assert_contains("value=\"Nguyễn Thị Lan\"");
    // Nothing was recorded.
    assert_eq!(asked(&app).await, 0);
}

#[tokio::test]
async fn the_tracking_code_with_a_wrong_email_shows_nothing() {
    let app = demo().await;
    let code = ask_ok(&app, SO, "Lan@Example.vn", "Học phí lớp 6", false).await;
    let right = lookup(&app, SO, &code, "lan@example.vn").await;
    assert_eq!(right.status, StatusCode::OK);
    right.assert_contains("Học phí lớp 6");
    right.assert_contains("Đã tiếp nhận, đang chờ phân công");
    // Lower case and spaces in the code are forgiven.
    let typed = lookup(
        &app,
        SO,
        &code.to_lowercase().replace('-', " "),
        "LAN@example.vn",
    )
    .await;
    typed.assert_contains("Học phí lớp 6");
    let wrong = lookup(&app, SO, &code, "someone@example.vn").await;
    assert_eq!(wrong.status, StatusCode::NOT_FOUND);
    wrong.assert_lacks("Học phí lớp 6");
    wrong.assert_contains("Không tìm thấy câu hỏi nào có mã tra cứu và e-mail này.");
    // Another site does not know the code.
    let elsewhere = lookup(&app, LQD, &code, "lan@example.vn").await;
    elsewhere.assert_lacks("Học phí lớp 6");
    // The page after sending and the status page are never cached.
    let sent = app.get(SO, &format!("/hoi-dap/da-gui?ma={code}")).await;
    assert_eq!(sent.headers["cache-control"], "no-store");
}

#[tokio::test]
async fn assigned_answered_approved_then_public_and_mailed() {
    let app = demo().await;
    add_user(&app, "bientap", "so", Role::Editor).await;
    let staff_id = add_user(&app, "canbo", "so", Role::Writer).await;
    let editor = Desk::open(&app, SO, "bientap").await;
    let staff = Desk::open(&app, SO, "canbo").await;
    let open = ask_ok(&app, SO, "lan@example.vn", "Hồ sơ tuyển sinh lớp 10", true).await;
    let private = ask_ok(&app, SO, "hoa@example.vn", "Chuyển trường cho con", false).await;
    let unanswered = ask_ok(&app, SO, "minh@example.vn", "Lương giáo viên mới", true).await;
    let open_id = question_id(&app, "so", &open).await;
    let private_id = question_id(&app, "so", &private).await;
    let unanswered_id = question_id(&app, "so", &unanswered).await;

    // A writer may not assign.
    let refused = post(
        &staff,
        &format!("/quan-tri/hoi-dap/{open_id}/giao"),
        &[("nguoi", &staff_id.0.to_string()), ("han", "5")],
    )
    .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // A wrong token is refused.
    let res = app
        .post_form(
            SO,
            &format!("/quan-tri/hoi-dap/{open_id}/giao"),
            &[
                ("csrf", "sai"),
                ("nguoi", &staff_id.0.to_string()),
                ("han", "5"),
            ],
            &[("cookie", &editor.cookie)],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    // A wrong date comes back with a Vietnamese message.
    let res = post(
        &editor,
        &format!("/quan-tri/hoi-dap/{open_id}/giao"),
        &[
            ("nguoi", &staff_id.0.to_string()),
            ("han", "ngay"),
            ("ngay", "31/02/2027"),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Ngày “31/02/2027” chưa đúng");

    answer_and_approve(&editor, &staff, staff_id, open_id).await;
    answer_and_approve(&editor, &staff, staff_id, private_id).await;

    // The office's page says who did what.
    let page = editor.get(&format!("/quan-tri/hoi-dap/{open_id}")).await;
    page.assert_contains("Giao cho Nguyễn Văn Thử, hạn trả lời");
    page.assert_contains("Gửi câu trả lời chờ duyệt");
    page.assert_contains("Duyệt và công bố câu trả lời");

    // Only answered questions the asker allowed are public, names shortened.
    let list = app.get(SO, "/hoi-dap").await;
    list.assert_contains("Hồ sơ tuyển sinh lớp 10");
    list.assert_contains("Chị N.T.L., phường Hòa Bình");
    list.assert_lacks("Nguyễn Thị Lan");
    list.assert_lacks("Chuyển trường cho con");
    list.assert_lacks("Lương giáo viên mới");
    let shown = app.get(SO, &format!("/hoi-dap/{open_id}")).await;
    assert_eq!(shown.status, StatusCode::OK);
    shown.assert_contains("Hồ sơ gồm đơn dự tuyển và học bạ THCS.");
    shown.assert_lacks("<script>alert(1)");
    shown.assert_contains("Nguyễn Văn Thử – Sở Giáo dục và Đào tạo tỉnh Bình An");
    shown.assert_contains("Câu trả lời này có hữu ích không?");
    assert_eq!(
        app.get(SO, &format!("/hoi-dap/{private_id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get(SO, &format!("/hoi-dap/{unanswered_id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // Another site does not show it.
    assert_eq!(
        app.get(LQD, &format!("/hoi-dap/{open_id}")).await.status,
        StatusCode::NOT_FOUND
    );
    // Filters: field and words (without tones).
    app.get(SO, "/hoi-dap?linh-vuc=hoc-phi")
        .await
        .assert_lacks("Hồ sơ tuyển sinh lớp 10");
    app.get(SO, "/hoi-dap?tu-khoa=hoc+ba")
        .await
        .assert_contains("Hồ sơ tuyển sinh lớp 10");
    app.get(SO, "/hoi-dap?tu-khoa=xyzzy+qwerty")
        .await
        .assert_contains("Không có câu hỏi nào khớp");

    // The asker sees the answer with the code, even the private one.
    let status = lookup(&app, SO, &private, "hoa@example.vn").await;
    status.assert_contains("Đã trả lời");
    status.assert_contains("Hồ sơ gồm đơn dự tuyển và học bạ THCS.");
    // And gets an e-mail, queued (no [mail] here: waiting, and the dashboard says so).
    let mails = app.store.mail_to("lan@example.vn").await.unwrap();
    assert_eq!(mails.len(), 1);
    assert!(!mails[0].1);
    assert!(mails[0].0.body.contains(&open), "{}", mails[0].0.body);
    assert!(
        mails[0]
            .0
            .body
            .contains("Hồ sơ gồm đơn dự tuyển và học bạ THCS.")
    );
    let dashboard = editor.get("/quan-tri").await;
    dashboard.assert_contains("Chưa cấu hình máy chủ thư ([mail]): không e-mail nào được gửi");

    // "Hữu ích?" once per reader.
    let vote = |cookie: &'static str, value: &'static str| {
        let app = &app;
        async move {
            app.post_form(
                SO,
                &format!("/hoi-dap/{open_id}/huu-ich"),
                &[("huu_ich", value)],
                &[("cookie", cookie)],
            )
            .await
        }
    };
    let first = vote(
        "ep_doc_gia=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "co",
    )
    .await;
    first.assert_contains("Cảm ơn bạn đã cho biết ý kiến");
    let again = vote(
        "ep_doc_gia=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "khong",
    )
    .await;
    again.assert_contains("mỗi người đọc chỉ đánh giá một lần");
    vote(
        "ep_doc_gia=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
        "khong",
    )
    .await;
    let office = editor.get(&format!("/quan-tri/hoi-dap/{open_id}")).await;
    office.assert_contains("Có: 1 · Không: 1");
    // A vote posted from another site is refused.
    let cross = app
        .post_form(
            SO,
            &format!("/hoi-dap/{open_id}/huu-ich"),
            &[("huu_ich", "co")],
            &[
                ("origin", "https://evil.example"),
                ("sec-fetch-site", "cross-site"),
            ],
        )
        .await;
    assert_eq!(cross.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn forwarded_between_sites_in_both_histories_and_to_the_asker() {
    let app = demo().await;
    add_user(&app, "bientap", "so", Role::Editor).await;
    add_user(&app, "bt.lqd", "lqd", Role::Editor).await;
    let editor = Desk::open(&app, SO, "bientap").await;
    let school = Desk::open(&app, LQD, "bt.lqd").await;
    let code = ask_ok(&app, SO, "lan@example.vn", "Lịch học thêm của trường", true).await;
    let id = question_id(&app, "so", &code).await;
    // A note is required.
    let res = post(
        &editor,
        &format!("/quan-tri/hoi-dap/{id}/chuyen"),
        &[("den", "lqd"), ("ghi_chu", "")],
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Vui lòng ghi lý do chuyển");
    let res = post(
        &editor,
        &format!("/quan-tri/hoi-dap/{id}/chuyen"),
        &[("den", "lqd"), ("ghi_chu", "Việc của nhà trường")],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let here = editor.get(&format!("/quan-tri/hoi-dap/{id}")).await;
    here.assert_contains("Đã chuyển đến Trường THPT Chuyên Lê Quý Đôn");
    here.assert_contains("Việc của nhà trường");
    here.assert_contains("Đã đóng");
    // The school's inbox has it, with where it came from.
    let inbox = school.get("/quan-tri/hoi-dap").await;
    inbox.assert_contains("Lịch học thêm của trường");
    let there_id = app
        .store
        .question_inbox(site_id(&app, "lqd").await, None, 1000, 0)
        .await
        .unwrap()[0]
        .id
        .0;
    let there = school.get(&format!("/quan-tri/hoi-dap/{there_id}")).await;
    there.assert_contains("Nhận chuyển từ Sở Giáo dục và Đào tạo tỉnh Bình An");
    there.assert_contains("Việc của nhà trường");
    // The department's editors cannot open the school's copy from their site.
    assert_eq!(
        editor
            .get(&format!("/quan-tri/hoi-dap/{there_id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The asker, with the code the department gave.
    let status = lookup(&app, SO, &code, "lan@example.vn").await;
    status.assert_contains("Đã chuyển đến Trường THPT Chuyên Lê Quý Đôn");
}

#[tokio::test]
async fn deadline_counts_and_reminders() {
    let app = demo().await;
    add_user(&app, "bientap", "so", Role::Editor).await;
    let staff_id = add_user(&app, "canbo", "so", Role::Writer).await;
    let editor = Desk::open(&app, SO, "bientap").await;
    let staff = Desk::open(&app, SO, "canbo").await;
    let due = ask_ok(&app, SO, "a@example.vn", "Hạn hôm nay", false).await;
    let late = ask_ok(&app, SO, "b@example.vn", "Đã quá hạn", false).await;
    let due_id = question_id(&app, "so", &due).await;
    let late_id = question_id(&app, "so", &late).await;
    let today = vntext::format_date(now());
    let res = post(
        &editor,
        &format!("/quan-tri/hoi-dap/{due_id}/giao"),
        &[
            ("nguoi", &staff_id.0.to_string()),
            ("han", "ngay"),
            ("ngay", &today),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    // A deadline ten days back, as a question left too long would have.
    let site = site_id(&app, "so").await;
    app.store
        .assign_question(
            store::QuestionAct {
                site,
                id: domain::QuestionId(late_id),
                by: staff_id,
                ip: "",
                now: now(),
            },
            staff_id,
            vntext::local_day(now()) - 10,
            "Giao cho Nguyễn Văn Thử",
        )
        .await
        .unwrap();
    let dashboard = editor.get("/quan-tri").await;
    dashboard.assert_contains("Sắp đến hạn: <strong>1</strong>");
    dashboard.assert_contains("Quá hạn: <strong>1</strong>");
    let inbox = editor.get("/quan-tri/hoi-dap").await;
    inbox.assert_contains("Sắp đến hạn: 1");
    inbox.assert_contains("Quá hạn: 1");
    inbox.assert_contains("quá hạn");
    // Reminders: the holder of the one due, the editors for the late one, once a day.
    let res = post(
        &staff,
        "/quan-tri/hoi-dap/email-nhac-viec",
        &[("email", "canbo@so.vn")],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let res = post(
        &editor,
        "/quan-tri/hoi-dap/email-nhac-viec",
        &[("email", "bientap@so.vn")],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    // On a working day (a Monday) so that reminders go out.
    let monday = next_monday(now());
    web::questions::remind(&app.state, monday).await.unwrap();
    let holder = app.store.mail_to("canbo@so.vn").await.unwrap();
    let editors = app.store.mail_to("bientap@so.vn").await.unwrap();
    assert!(
        holder.iter().any(|(m, _)| m.subject.contains(&due))
            || editors.iter().any(|(m, _)| m.subject.contains(&due)),
        "{holder:?} {editors:?}"
    );
    assert!(
        editors
            .iter()
            .any(|(m, _)| m.subject.starts_with("Quá hạn") && m.subject.contains(&late))
    );
    let count = app.store.mail_to("bientap@so.vn").await.unwrap().len();
    web::questions::remind(&app.state, monday + 60)
        .await
        .unwrap();
    assert_eq!(
        app.store.mail_to("bientap@so.vn").await.unwrap().len(),
        count
    );
}

/// 10:00 in Vietnam on the next Monday after `t` that is not a holiday.
fn next_monday(t: i64) -> i64 {
    let cal = domain::calendar::Calendar::shipped();
    let mut day = vntext::local_day(t) + 1;
    while (day + 3).rem_euclid(7) != 0 || !cal.is_working(day) {
        day += 1;
    }
    common::at(&format!("{} 10:00", domain::calendar::iso_of(day)))
}

#[tokio::test]
async fn spam_is_kept_thirty_days_then_pruned() {
    let app = demo().await;
    add_user(&app, "bientap", "so", Role::Editor).await;
    let editor = Desk::open(&app, SO, "bientap").await;
    let code = ask_ok(&app, SO, "spam@example.vn", "Quảng cáo vay tiền", true).await;
    let id = question_id(&app, "so", &code).await;
    let res = post(&editor, &format!("/quan-tri/hoi-dap/{id}/thu-rac"), &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let inbox = editor.get("/quan-tri/hoi-dap").await;
    inbox.assert_lacks("Quảng cáo vay tiền");
    editor
        .get("/quan-tri/hoi-dap?trang-thai=spam")
        .await
        .assert_contains("Quảng cáo vay tiền");
    assert_eq!(
        web::questions::prune_spam(&app.state, now() + 29 * 86_400)
            .await
            .unwrap(),
        0
    );
    editor
        .get(&format!("/quan-tri/hoi-dap/{id}"))
        .await
        .assert_contains("Thư rác");
    assert_eq!(
        web::questions::prune_spam(&app.state, now() + 31 * 86_400)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        editor.get(&format!("/quan-tri/hoi-dap/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn the_rating_is_stored_without_a_visitor_id() {
    let app = demo().await;
    add_user(&app, "bientap", "so", Role::Editor).await;
    let editor = Desk::open(&app, SO, "bientap").await;
    // The form is in every page's footer.
    let home = app.get(SO, "/").await;
    home.assert_contains("Đánh giá mức độ hài lòng");
    home.assert_contains("action=\"/danh-gia-hai-long\"");
    let none = app
        .post_form(SO, "/danh-gia-hai-long", &[("gop_y", "hay")], &[])
        .await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    none.assert_contains("Vui lòng chọn mức hài lòng");
    for (score, comment) in [("4", "Trang dễ tìm thông tin"), ("5", "")] {
        let res = app
            .post_form(
                SO,
                "/danh-gia-hai-long",
                &[("diem", score), ("gop_y", comment)],
                &[
                    ("x-forwarded-for", "10.20.30.40"),
                    ("cookie", "ep_doc_gia=cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc"),
                    ("user-agent", "Mozilla/5.0 (Thử nghiệm)"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
        res.assert_contains("Cảm ơn bạn đã đánh giá");
    }
    let columns = app.store.rating_columns().await.unwrap();
    assert_eq!(
        columns,
        ["id", "site_id", "score", "comment", "month", "created_day"]
    );
    let page = editor.get("/quan-tri/hoi-dap/danh-gia").await;
    page.assert_contains("4,50");
    page.assert_contains("Trang dễ tìm thông tin");
    page.assert_lacks("10.20.30.40");
    let xlsx = editor.get("/quan-tri/hoi-dap/danh-gia.xlsx").await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert!(xlsx.bytes.starts_with(b"PK"));
    // The report by month and field.
    ask_ok(&app, SO, "a@example.vn", "Một câu hỏi", false).await;
    let report = editor.get("/quan-tri/hoi-dap/bao-cao").await;
    report.assert_contains("Tuyển sinh");
    report.assert_contains("<svg");
    let xlsx = editor.get("/quan-tri/hoi-dap/bao-cao.xlsx").await;
    assert!(xlsx.bytes.starts_with(b"PK"));
}

#[tokio::test]
async fn a_site_edits_its_days_off() {
    let app = demo().await;
    add_user(&app, "quantri.so", "so", Role::Admin).await;
    add_user(&app, "bientap", "so", Role::Editor).await;
    let admin = Desk::open(&app, SO, "quantri.so").await;
    let page = admin.get("/quan-tri/hoi-dap/ngay-nghi?nam=2027").await;
    page.assert_contains("Tết Nguyên đán (mùng 1)");
    page.assert_contains("06/02/2027");
    let res = post(
        &admin,
        "/quan-tri/hoi-dap/ngay-nghi",
        &[("ngay", "31/02/2027"), ("ten", "Sai"), ("loai", "nghi")],
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Ngày “31/02/2027” chưa đúng");
    let res = post(
        &admin,
        "/quan-tri/hoi-dap/ngay-nghi",
        &[
            ("ngay", "10/02/2027"),
            ("ten", "Nghỉ thêm Tết"),
            ("loai", "nghi"),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    admin
        .get("/quan-tri/hoi-dap/ngay-nghi?nam=2027")
        .await
        .assert_contains("Nghỉ thêm Tết");
    let cal = web_calendar(&app).await;
    assert!(!cal.is_working(domain::calendar::day_of(2027, 2, 10)));
    // Editors may not change the calendar.
    let editor = Desk::open(&app, SO, "bientap").await;
    assert_eq!(
        editor.get("/quan-tri/hoi-dap/ngay-nghi").await.status,
        StatusCode::FORBIDDEN
    );
}

async fn web_calendar(app: &TestApp) -> domain::calendar::Calendar {
    let site = site_id(app, "so").await;
    domain::calendar::Calendar::with_edits(&app.store.holiday_edits(site).await.unwrap())
}

/// A tiny SMTP server: enough of RFC 5321 for lettre. While `fail` is set it
/// answers MAIL FROM with a temporary failure; messages accepted are kept.
async fn smtp_server(fail: Arc<AtomicBool>, kept: Arc<Mutex<Vec<String>>>) -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    tokio::spawn(async move {
        while let Ok((socket, _)) = listener.accept().await {
            let fail = fail.clone();
            let kept = kept.clone();
            tokio::spawn(async move {
                let (read, mut write) = socket.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 thu.localhost ESMTP\r\n").await;
                let mut in_data = false;
                let mut message = String::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    if in_data {
                        if line == "." {
                            in_data = false;
                            kept.lock().await.push(std::mem::take(&mut message));
                            let _ = write.write_all(b"250 2.0.0 queued\r\n").await;
                        } else {
                            message.push_str(&line);
                            message.push('\n');
                        }
                        continue;
                    }
                    let upper = line.to_ascii_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        b"250 thu.localhost\r\n"
                    } else if upper.starts_with("MAIL FROM") && fail.load(Ordering::SeqCst) {
                        b"451 4.3.0 Tam thoi khong nhan thu\r\n"
                    } else if upper.starts_with("DATA") {
                        in_data = true;
                        b"354 go ahead\r\n"
                    } else if upper.starts_with("QUIT") {
                        let _ = write.write_all(b"221 2.0.0 bye\r\n").await;
                        break;
                    } else {
                        b"250 2.0.0 OK\r\n"
                    };
                    if write.write_all(reply).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    port
}

#[tokio::test]
async fn the_mail_queue_retries_after_an_smtp_failure() {
    let fail = Arc::new(AtomicBool::new(true));
    let kept = Arc::new(Mutex::new(Vec::new()));
    let port = smtp_server(fail.clone(), kept.clone()).await;
    let app = TestApp::demo_with(|o| {
        o.spam.pow_bits = 0;
        o.mail = Some(web::MailOptions {
            host: "127.0.0.1".into(),
            port,
            tls: web::MailTls::None,
            user: String::new(),
            password: String::new(),
            from: "Sở GD&ĐT Bình An <noreply@so.localhost>".into(),
        });
    })
    .await;
    add_user(&app, "bientap", "so", Role::Editor).await;
    let staff_id = add_user(&app, "canbo", "so", Role::Writer).await;
    let editor = Desk::open(&app, SO, "bientap").await;
    let staff = Desk::open(&app, SO, "canbo").await;
    let code = ask_ok(&app, SO, "lan@example.vn", "Hồ sơ tuyển sinh lớp 10", true).await;
    let id = question_id(&app, "so", &code).await;
    answer_and_approve(&editor, &staff, staff_id, id).await;
    editor
        .get("/quan-tri")
        .await
        .assert_lacks("Chưa cấu hình máy chủ thư");

    let t = now();
    // The server refuses: nothing sent, the e-mail kept with its error.
    assert_eq!(web::send_queued_mail(&app.state, t).await, 0);
    let mails = app.store.mail_to("lan@example.vn").await.unwrap();
    assert_eq!(mails.len(), 1);
    assert!(!mails[0].1, "not sent");
    assert_eq!(mails[0].0.attempts, 1);
    assert!(
        mails[0].0.last_error.contains("451"),
        "{}",
        mails[0].0.last_error
    );
    assert!(kept.lock().await.is_empty());
    // The server is back; the e-mail waits for its pause (a minute) first.
    fail.store(false, Ordering::SeqCst);
    assert_eq!(web::send_queued_mail(&app.state, t + 30).await, 0);
    assert_eq!(web::send_queued_mail(&app.state, t + 61).await, 1);
    let mails = app.store.mail_to("lan@example.vn").await.unwrap();
    assert!(mails[0].1, "sent");
    let kept = kept.lock().await;
    assert_eq!(kept.len(), 1);
    assert!(kept[0].contains("To: lan@example.vn"), "{}", kept[0]);
    assert!(
        kept[0].contains(&code) || kept[0].contains("=?utf-8?"),
        "{}",
        kept[0]
    );
    // Sent once: nothing more goes out.
    drop(kept);
    assert_eq!(web::send_queued_mail(&app.state, t + 4000).await, 0);
}

/// A number `n` such that SHA-256 of `token:n` starts with `bits` zero bits, as
/// the page's script finds it.
fn solve(token: &str, bits: u32) -> String {
    use sha2::{Digest, Sha256};
    (0u64..)
        .find(|n| {
            let hash = Sha256::digest(format!("{token}:{n}").as_bytes());
            let mut zeros = 0;
            for b in hash {
                if b == 0 {
                    zeros += 8;
                } else {
                    zeros += b.leading_zeros();
                    break;
                }
            }
            zeros >= bits
        })
        .unwrap()
        .to_string()
}

#[tokio::test]
async fn the_challenge_is_enforced_on_the_server() {
    let app = TestApp::demo_with(|o| {
        o.spam.pow_bits = 12;
        o.spam.burst = 1000;
    })
    .await;
    let good = good_question("lan@example.vn", "Hồ sơ tuyển sinh lớp 10", true);
    let form = app.get(SO, "/hoi-dap/gui-cau-hoi").await;
    form.assert_contains("name=\"thu_thach\"");
    form.assert_contains("name=\"trang_web\"");
    let cookie = format!("ep_csrf={}", form.set_cookie("ep_csrf").unwrap());
    let csrf = form.field("csrf");
    let token = form.field("thu_thach");
    let post = |extra: Vec<(&'static str, String)>| {
        let app = &app;
        let cookie = cookie.clone();
        let csrf = csrf.clone();
        let good = good.clone();
        async move {
            let mut all: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
            all.extend(extra.iter().map(|(k, v)| (*k, v.as_str())));
            all.extend(good.iter().map(|(k, v)| (*k, v.as_str())));
            app.post_form(
                SO,
                "/hoi-dap/gui-cau-hoi",
                &all,
                &[("cookie", &cookie), ("x-forwarded-for", "10.7.7.7")],
            )
            .await
        }
    };
    // No challenge at all (a script posting the fields straight).
    let res = post(vec![]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Mã kiểm tra chống thư rác đã hết hạn hoặc đã được dùng.");
    res.assert_contains("value=\"Nguyễn Thị Lan\"");
    // The honeypot filled.
    let form = app.get(SO, "/hoi-dap/gui-cau-hoi").await;
    let res = post(vec![
        ("thu_thach", form.field("thu_thach")),
        ("loi_giai", solve(&form.field("thu_thach"), 12)),
        ("trang_web", "http://quang-cao.example".into()),
    ])
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("ô ẩn");
    // A wrong proof of work and no answer to the sum.
    let res = post(vec![("thu_thach", token.clone()), ("loi_giai", "1".into())]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Câu trả lời của câu hỏi kiểm tra chưa đúng.");
    // Solved: through.
    let form = app.get(SO, "/hoi-dap/gui-cau-hoi").await;
    let fresh = form.field("thu_thach");
    let work = solve(&fresh, 12);
    let res = post(vec![
        ("thu_thach", fresh.clone()),
        ("loi_giai", work.clone()),
    ])
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    // The same token again: refused.
    let res = post(vec![("thu_thach", fresh), ("loi_giai", work)]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(asked(&app).await, 1);
}

#[tokio::test]
async fn the_limit_per_address() {
    let app = TestApp::demo_with(|o| {
        o.spam.pow_bits = 0;
        o.spam.burst = 3;
        o.spam.posts_per_hour = 3;
    })
    .await;
    let mut through = 0;
    let mut refused = 0;
    for i in 0..6 {
        let q = good_question("lan@example.vn", &format!("Câu hỏi số {i}"), false);
        let res = ask_from(&app, SO, &q, "10.9.8.7", "0").await;
        match res.status {
            StatusCode::SEE_OTHER => through += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                res.assert_contains("Bạn đã gửi quá nhiều lần từ địa chỉ này.");
                res.assert_contains(&format!("value=\"Câu hỏi số {i}\""));
                refused += 1;
            }
            s => panic!("{s}: {}", res.body),
        }
    }
    assert_eq!((through, refused), (3, 3));
    // Another address is not held back.
    let q = good_question("minh@example.vn", "Từ địa chỉ khác", false);
    assert_eq!(
        ask_from(&app, SO, &q, "10.9.8.8", "0").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(asked(&app).await, 4);
}

/// The form as a browser sends it with a file chosen: multipart, the file after
/// the text fields and before the challenge's.
async fn ask_with_file(
    app: &TestApp,
    host: &str,
    fields: &[(&str, String)],
    file_name: &str,
    bytes: &[u8],
) -> Page {
    let form = app.get(host, "/hoi-dap/gui-cau-hoi").await;
    form.assert_contains("enctype=\"multipart/form-data\"");
    form.assert_contains("Tệp đính kèm");
    let cookie = format!("ep_csrf={}", form.set_cookie("ep_csrf").unwrap());
    let csrf = form.field("csrf");
    let token = form.field("thu_thach");
    let mut all: Vec<(&str, &str)> = vec![("csrf", csrf.as_str())];
    all.extend(fields.iter().map(|(k, v)| (*k, v.as_str())));
    all.extend([
        ("thu_thach", token.as_str()),
        ("loi_giai", "0"),
        ("trang_web", ""),
    ]);
    let (content_type, body) = common::multipart(&all, &[(file_name, bytes)]);
    let n = NEXT_ADDRESS.fetch_add(1, Ordering::Relaxed);
    let address = format!("10.2.{}.{}", n / 250, n % 250);
    app.post_bytes(
        host,
        "/hoi-dap/gui-cau-hoi",
        &content_type,
        body,
        &[("cookie", &cookie), ("x-forwarded-for", &address)],
    )
    .await
}

#[tokio::test]
async fn an_attached_pdf_reaches_the_office_only() {
    let app = demo().await;
    add_user(&app, "bientap", "so", Role::Editor).await;
    add_user(&app, "bt.lqd", "lqd", Role::Editor).await;
    let editor = Desk::open(&app, SO, "bientap").await;
    let school = Desk::open(&app, LQD, "bt.lqd").await;
    let pdf = media::testdata::pdf();
    let res = ask_with_file(
        &app,
        SO,
        &good_question("lan@example.vn", "Hồ sơ chuyển trường kèm giấy tờ", true),
        "Giấy xác nhận cư trú.pdf",
        &pdf,
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let code = res.location().split("ma=").nth(1).unwrap().to_owned();
    let id = question_id(&app, "so", &code).await;
    // The office sees the file on the question's page and downloads it.
    let page = editor.get(&format!("/quan-tri/hoi-dap/{id}")).await;
    page.assert_contains("Giấy xác nhận cư trú.pdf");
    page.assert_contains(&format!("/quan-tri/hoi-dap/{id}/tep"));
    let file = editor.get(&format!("/quan-tri/hoi-dap/{id}/tep")).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.bytes, pdf);
    assert_eq!(file.headers["content-type"], "application/pdf");
    assert_eq!(file.headers["x-content-type-options"], "nosniff");
    let disposition = file.headers["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with("attachment; filename=\"giay-xac-nhan-cu-tru.pdf\""),
        "{disposition}"
    );
    assert!(
        disposition.contains("filename*=UTF-8''Gi%E1%BA%A5y"),
        "{disposition}"
    );
    // A visitor gets no file: not signed in, nor from the public pages.
    let anonymous = app.get(SO, &format!("/quan-tri/hoi-dap/{id}/tep")).await;
    assert_ne!(anonymous.status, StatusCode::OK);
    assert_ne!(anonymous.bytes, pdf);
    let status = lookup(&app, SO, &code, "lan@example.vn").await;
    assert_eq!(status.status, StatusCode::OK);
    status.assert_lacks("/tep");
    status.assert_lacks("Giấy xác nhận cư trú");
    // Nor the staff of another site, from theirs.
    let other = school.get(&format!("/quan-tri/hoi-dap/{id}/tep")).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    assert_ne!(other.bytes, pdf);
    // Forwarded, the file goes with the question.
    let res = post(
        &editor,
        &format!("/quan-tri/hoi-dap/{id}/chuyen"),
        &[("den", "lqd"), ("ghi_chu", "Học sinh của trường")],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let there = app
        .store
        .question_inbox(site_id(&app, "lqd").await, None, 1000, 0)
        .await
        .unwrap()[0]
        .id
        .0;
    school
        .get(&format!("/quan-tri/hoi-dap/{there}"))
        .await
        .assert_contains("Giấy xác nhận cư trú.pdf");
    let file = school.get(&format!("/quan-tri/hoi-dap/{there}/tep")).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.bytes, pdf);
    // The school attaches it to its answer: a site file, linked from the draft.
    let res = post(
        &school,
        &format!("/quan-tri/hoi-dap/{there}/dinh-kem-tra-loi"),
        &[],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = school
        .get(&format!("/quan-tri/hoi-dap/{there}?da=dinh-kem"))
        .await;
    page.assert_contains("Đã đính kèm tệp của người hỏi");
    let draft = app
        .store
        .question(site_id(&app, "lqd").await, domain::QuestionId(there))
        .await
        .unwrap()
        .unwrap()
        .answer;
    let link = draft
        .as_str()
        .split("Tệp đính kèm: <a href=\"")
        .nth(1)
        .expect("a link in the answer's draft")
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    assert!(
        link.starts_with("/media/tai-len/") && link.ends_with(".pdf"),
        "{link}"
    );
    assert_eq!(app.get(LQD, &link).await.bytes, pdf);
    // A question without a file has none to download.
    let plain = ask_ok(&app, SO, "an@example.vn", "Không kèm tệp", false).await;
    let plain = question_id(&app, "so", &plain).await;
    assert_eq!(
        editor
            .get(&format!("/quan-tri/hoi-dap/{plain}/tep"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn a_program_named_pdf_is_refused_and_the_form_kept() {
    let app = demo().await;
    let before = asked(&app).await;
    // A Windows program ("MZ") renamed to look like a PDF.
    let mut exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff".to_vec();
    exe.extend(std::iter::repeat_n(0u8, 200));
    let res = ask_with_file(
        &app,
        SO,
        &good_question("lan@example.vn", "Học phí năm học mới", true),
        "hoc-phi.pdf",
        &exe,
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    res.assert_contains("Câu hỏi chưa được gửi");
    res.assert_contains("Tệp “hoc-phi.pdf” không được nhận");
    res.assert_contains("chương trình chạy được");
    res.assert_contains("Vui lòng chọn lại tệp");
    // What was typed is there again.
    res.assert_contains("value=\"Học phí năm học mới\"");
    res.assert_contains("value=\"Nguyễn Thị Lan\"");
    res.assert_contains("Xin hỏi hồ sơ tuyển sinh lớp 10 gồm những giấy tờ gì?");
    assert_eq!(asked(&app).await, before);
    // A good file with a mistake elsewhere: the mistake, and a word to pick the file again.
    let mut fields = good_question("lan@example.vn", "", true);
    fields.retain(|(k, _)| *k != "tieu_de");
    let res = ask_with_file(
        &app,
        SO,
        &fields,
        "anh.png",
        &media::testdata::png(20, 20, false),
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    res.assert_contains("Tệp “anh.png” chưa được lưu");
    assert_eq!(asked(&app).await, before);
}

#[tokio::test]
async fn the_inbox_comes_in_pages_with_counts_per_tab() {
    let app = demo().await;
    add_user(&app, "bientap", "so", Role::Editor).await;
    let editor = Desk::open(&app, SO, "bientap").await;
    let site = site_id(&app, "so").await;
    let start = now() - 86_400 * 40;
    let draft = |i: usize| domain::QuestionDraft {
        salutation: String::new(),
        name: "Trần Văn Bình".into(),
        email: "binh@example.vn".into(),
        phone: String::new(),
        address: String::new(),
        title: format!("Câu hỏi số {i:02}"),
        body: "Nội dung".into(),
        field: "tuyen-sinh".into(),
        may_publish: false,
    };
    for i in 1..=45 {
        app.store
            .create_question(
                site,
                &draft(i),
                None,
                &format!("HD-TEST-{i:04}"),
                20_000 + i as i64,
                start + i as i64 * 60,
            )
            .await
            .unwrap();
    }
    let new_here = app
        .store
        .question_status_counts(site)
        .await
        .unwrap()
        .into_iter()
        .find(|(s, _)| *s == domain::QuestionStatus::New)
        .map_or(0, |(_, n)| n);
    let tab = editor.get("/quan-tri/hoi-dap?trang-thai=new").await;
    assert_eq!(tab.status, StatusCode::OK);
    tab.assert_contains(&format!("Mới ({new_here})"));
    // Newest first: page 1 has the last ones, not the first.
    tab.assert_contains("Câu hỏi số 45");
    tab.assert_lacks("Câu hỏi số 01<");
    tab.assert_contains(&format!("Câu hỏi 1–30 / {new_here}"));
    tab.assert_contains("/quan-tri/hoi-dap?trang-thai=new&#38;trang=2");
    let second = editor.get("/quan-tri/hoi-dap?trang-thai=new&trang=2").await;
    assert_eq!(second.status, StatusCode::OK);
    second.assert_contains(&format!("Câu hỏi 31–{new_here} / {new_here}"));
    second.assert_contains("Câu hỏi số 01<");
    second.assert_lacks("Câu hỏi số 45");
    second.assert_contains("aria-current=\"page\">2<");
    // Past the last page.
    assert_eq!(
        editor
            .get("/quan-tri/hoi-dap?trang-thai=new&trang=9")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}
