//! The shared core's promises (issue 11): a public route's cache varies only by
//! the query keys it declares, and every back-office action goes through the role
//! and CSRF extractors, whose refusals look as they always did.

mod common;

use axum::http::StatusCode;
use common::{TestApp, add_user, multipart, session};
use domain::Role;

const SO: &str = "localhost";

#[tokio::test]
async fn a_query_key_a_route_does_not_declare_is_answered_fresh_and_never_kept() {
    let app = TestApp::demo().await;
    let plain = app.get(SO, "/tin-tuc/tin-giao-duc").await;
    assert!(
        plain.headers.get("etag").is_some(),
        "the plain page is kept"
    );
    let kept = app.state.cache.len();
    // A filter the category page does not know (a documents list would read it).
    let filtered = app.get(SO, "/tin-tuc/tin-giao-duc?loai=1").await;
    assert_eq!(filtered.status, StatusCode::OK);
    assert!(
        filtered.headers.get("etag").is_none(),
        "answered fresh, not from the cache"
    );
    assert_eq!(app.state.cache.len(), kept, "and never stored");
    // The page kept for no query is still the one every other reader gets, and
    // the filtered answer is never served to another query.
    let again = app.get(SO, "/tin-tuc/tin-giao-duc").await;
    assert_eq!(again.headers["etag"], plain.headers["etag"]);
    let other = app.get(SO, "/tin-tuc/tin-giao-duc?loai=2").await;
    assert!(other.headers.get("etag").is_none());
    // A personal route is never kept and says no-store, whatever its query.
    let lookup = app.get(SO, "/tra-cuu-diem-thi").await;
    assert_eq!(lookup.headers["cache-control"], "no-store");
    assert!(lookup.headers.get("etag").is_none());
}

#[tokio::test]
async fn roles_and_tokens_are_checked_by_the_extractors_with_the_same_refusals() {
    let app = TestApp::demo().await;
    add_user(&app, "gv.so", "so", Role::Writer).await;
    add_user(&app, "bt.so", "so", Role::Editor).await;
    let writer = session(&app, SO, "gv.so").await;
    let editor = session(&app, SO, "bt.so").await;
    let token = |cookie: &str| {
        let cookie = cookie.to_owned();
        let app = &app;
        async move {
            app.get_with(SO, "/quan-tri/bai-viet", &[("cookie", &cookie)])
                .await
                .field("csrf")
        }
    };
    let writer_token = token(&writer).await;
    let editor_token = token(&editor).await;

    // A writer on an editor's action: refused with the feature's own words.
    let res = app
        .post_form(
            SO,
            "/quan-tri/ky-thi",
            &[
                ("csrf", &writer_token),
                ("ten", "Kỳ thi lạ"),
                ("quy_tac", "sbd"),
            ],
            &[("cookie", &writer)],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    res.assert_contains("<h1>Không được phép</h1>");
    res.assert_contains("Chỉ biên tập viên và quản trị viên của trang mới quản lý kỳ thi");
    assert_eq!(res.headers["cache-control"], "no-store");
    // A writer on an administrator's page.
    let res = app
        .get_with(SO, "/quan-tri/cai-dat", &[("cookie", &writer)])
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    res.assert_contains("Chỉ quản trị viên của trang này mới xem và sửa được phần cài đặt.");

    // The editor, with a wrong token: refused before anything is done.
    let before = app.store.exam_sessions(None).await.unwrap().len();
    let res = app
        .post_form(
            SO,
            "/quan-tri/ky-thi",
            &[
                ("csrf", &writer_token),
                ("ten", "Kỳ thi lạ"),
                ("quy_tac", "sbd"),
            ],
            &[("cookie", &editor)],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    res.assert_contains(
        "Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang rồi thử lại.",
    );
    assert_eq!(app.store.exam_sessions(None).await.unwrap().len(), before);
    // An upload whose first field is not the session's token: no file is read.
    let (content_type, body) = multipart(&[("csrf", "sai")], &[("tep", b"SBD,Ho ten\n1,A\n")]);
    let res = app
        .post_bytes(
            SO,
            "/quan-tri/tep",
            &content_type,
            body,
            &[("cookie", &editor)],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    res.assert_contains("Biểu mẫu đã hết hạn hoặc không hợp lệ.");
    // With the right token, the same action goes through.
    let res = app
        .post_form(
            SO,
            "/quan-tri/ky-thi",
            &[
                ("csrf", &editor_token),
                ("ten", "Kỳ thi thử"),
                ("nam_hoc", "2026-2027"),
                ("loai", "khac"),
                ("quy_tac", "sbd"),
            ],
            &[("cookie", &editor)],
        )
        .await;
    assert!(
        res.status == StatusCode::SEE_OTHER || res.status == StatusCode::OK,
        "{}: {}",
        res.status,
        res.body
    );
    assert_eq!(
        app.store.exam_sessions(None).await.unwrap().len(),
        before + 1
    );
    // Without a session: to the login page, as before.
    let res = app.get(SO, "/quan-tri/ky-thi").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(res.location().starts_with("/quan-tri/dang-nhap?tiep="));
}
