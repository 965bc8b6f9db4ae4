//! Holes found by attacking the portal (issue 10), each kept shut by a test: HEAD
//! and odd queries against the page cache, huge page numbers, one site's
//! administrator reaching into another site, a burst of logins racing the lockout,
//! and a search index that cannot write.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use common::{PASSWORD, TestApp, add_user, log_in, login_form, now, session, site_and_category};
use domain::{NewArticle, Role, SafeHtml};
use http_body_util::BodyExt;
use std::sync::atomic::Ordering;
use tower::ServiceExt;

const SO: &str = "localhost";
const LQD: &str = "lqd.localhost";

/// A request with any method; (status, body bytes).
async fn send(app: &TestApp, method: &str, path: &str) -> (StatusCode, Vec<u8>) {
    let req = Request::builder()
        .method(method)
        .uri(path)
        .header("host", SO)
        .body(Body::empty())
        .unwrap();
    let res = app.router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    (
        status,
        res.into_body().collect().await.unwrap().to_bytes().to_vec(),
    )
}

async fn publish_one(app: &TestApp, title: &str) -> i64 {
    let (site, cat) = site_and_category(app, "so", "tin-giao-duc").await;
    let a = NewArticle::new(
        site,
        cat,
        title,
        "Sapo.",
        SafeHtml::sanitize("<p>Nội dung bài viết.</p>"),
        now() - 60,
    );
    app.store.create_article(&a, now()).await.unwrap().0
}

#[tokio::test]
async fn a_head_request_never_leaves_an_empty_page_in_the_cache() {
    let app = TestApp::demo().await;
    for path in ["/", "/tin-tuc/tin-giao-duc", "/rss.xml", "/sitemap.xml"] {
        // Right after a change, before any GET: the HEAD renders the page first.
        publish_one(&app, &format!("Bài mới cho {path}")).await;
        app.state.tick().await.unwrap();
        let (status, _) = send(&app, "HEAD", path).await;
        assert_eq!(status, StatusCode::OK, "HEAD {path}");
        let page = app.get(SO, path).await;
        assert_eq!(page.status, StatusCode::OK, "GET {path}");
        assert!(
            page.bytes.len() > 200,
            "GET {path} after a HEAD has the whole page, not {} bytes",
            page.bytes.len()
        );
        // And a HEAD of a cached page is answered from it, leaving it whole.
        let (status, _) = send(&app, "HEAD", path).await;
        assert_eq!(status, StatusCode::OK);
        let again = app.get(SO, path).await;
        assert_eq!(again.bytes, page.bytes, "{path}");
        assert!(again.headers.get("etag").is_some(), "{path} from the cache");
    }
}

#[tokio::test]
async fn the_cache_key_reads_the_query_as_the_page_does() {
    let app = TestApp::demo().await;
    let first = app.get(SO, "/tin-tuc/tin-giao-duc").await;
    let second = app.get(SO, "/tin-tuc/tin-giao-duc?trang=2").await;
    assert_ne!(first.body, second.body);
    // The same page, spelled differently: page 2 every time, never page 1.
    for q in ["?tr%61ng=2", "?trang=%32", "?trang=2&fbclid=abc"] {
        let p = app.get(SO, &format!("/tin-tuc/tin-giao-duc{q}")).await;
        assert_eq!(p.status, StatusCode::OK, "{q}");
        assert_eq!(p.body, second.body, "{q} shows page 2");
    }
    // A key given twice: answered as the handler reads it, never stored.
    let n = app.state.cache.len();
    let twice = app.get(SO, "/tin-tuc/tin-giao-duc?trang=1&trang=2").await;
    assert!(twice.headers.get("etag").is_none(), "not from the cache");
    assert_eq!(app.state.cache.len(), n);
    // An escaped path is the same page to its handler: answered, never a new entry.
    let escaped = app.get(SO, "/tin-tuc/tin%2Dgiao%2Dduc").await;
    assert_eq!(escaped.status, StatusCode::OK);
    assert!(escaped.headers.get("etag").is_none());
    assert_eq!(app.state.cache.len(), n);
    // Page 1 is still page 1 for the next reader.
    let again = app.get(SO, "/tin-tuc/tin-giao-duc").await;
    assert_eq!(again.body, first.body);
}

#[tokio::test]
async fn huge_page_numbers_are_not_found_and_fill_nothing() {
    let app = TestApp::demo().await;
    assert_eq!(
        app.get(SO, "/tin-tuc/tin-giao-duc").await.status,
        StatusCode::OK
    );
    let n = app.state.cache.len();
    for path in [
        "/sitemap/9223372036854775807.xml",
        "/sitemap/4611686018427387904.xml",
        "/sitemap/99999999999999999999.xml",
        "/sitemap/01.xml",
        "/sitemap/+1.xml",
        "/tin-tuc/tin-giao-duc?trang=4294967295",
    ] {
        let (status, _) = send(&app, "GET", path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    // Past what a page number can be: read as page 1, the entry already kept.
    let (status, _) = send(&app, "GET", "/tin-tuc/tin-giao-duc?trang=99999999999999").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(app.state.cache.len(), n, "no page was kept for them");
}

#[tokio::test]
async fn the_page_cache_keeps_to_its_byte_budget() {
    let app = TestApp::demo_with(|o| o.cache.max_bytes = 64 * 1024).await;
    for path in [
        "/",
        "/tin-tuc/tin-giao-duc",
        "/tin-tuc/tin-giao-duc?trang=2",
        "/tin-tuc/hoat-dong-cua-so",
        "/tin-tuc/thi-dua-khen-thuong",
        "/tin-tuc/khao-thi",
        "/rss.xml",
        "/sitemap.xml",
    ] {
        assert_eq!(app.get(SO, path).await.status, StatusCode::OK, "{path}");
        assert!(
            app.state.cache.bytes() <= 64 * 1024,
            "{} bytes after {path}",
            app.state.cache.bytes()
        );
    }
    assert!(!app.state.cache.is_empty());
}

#[tokio::test]
async fn a_site_administrator_cannot_reset_an_administrator_of_another_site() {
    let app = TestApp::demo().await;
    add_user(&app, "admin.so", "so", Role::Admin).await;
    // A teacher of the department who administers a school's site too.
    let both = add_user(&app, "admin.lqd", "lqd", Role::Admin).await;
    let (so, _) = site_and_category(&app, "so", "tin-giao-duc").await;
    app.store.grant_role(both, so, Role::Writer).await.unwrap();
    let boss = app
        .store
        .create_user(
            "sep",
            "Quản trị tối cao",
            &web::auth::hash_password(PASSWORD),
            true,
            0,
        )
        .await
        .unwrap();
    assert!(boss.0 > 0);

    let admin = session(&app, SO, "admin.so").await;
    let list = app
        .get_with(SO, "/quan-tri/nguoi-dung", &[("cookie", &admin)])
        .await;
    let csrf = list.field("csrf");
    for target in ["admin.lqd", "sep"] {
        let res = app
            .post_form(
                SO,
                "/quan-tri/nguoi-dung/dat-lai-mat-khau",
                &[("csrf", &csrf), ("username", target)],
                &[("cookie", &admin)],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{target}");
        res.assert_lacks("Mật khẩu mới");
    }
    // Their passwords still work.
    assert_eq!(
        log_in(&app, LQD, "admin.lqd", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        log_in(&app, SO, "sep", PASSWORD).await.status,
        StatusCode::SEE_OTHER
    );
    // The page offers no reset button for them.
    let list = app
        .get_with(SO, "/quan-tri/nguoi-dung", &[("cookie", &admin)])
        .await;
    let row = list.body.split("<td>admin.lqd</td>").nth(1).unwrap();
    let row = row.split("</tr>").next().unwrap();
    assert!(!row.contains("dat-lai-mat-khau"), "{row}");
}

/// Sends `count` wrong logins at once: (statuses of the answers).
async fn burst(
    app: &TestApp,
    count: usize,
    name: impl Fn(usize) -> String,
    ip: impl Fn(usize) -> String,
) -> Vec<StatusCode> {
    let (cookie, csrf) = login_form(app, SO).await;
    let mut tasks = Vec::new();
    for i in 0..count {
        let body = format!("csrf={csrf}&username={}&password=sai", name(i));
        let req = Request::post("/quan-tri/dang-nhap")
            .header("host", SO)
            .header("content-type", "application/x-www-form-urlencoded")
            .header("cookie", &cookie)
            .header("x-forwarded-for", ip(i))
            .body(Body::from(body))
            .unwrap();
        tasks.push(tokio::spawn(app.router.clone().oneshot(req)));
    }
    let mut statuses = Vec::new();
    for t in tasks {
        statuses.push(t.await.unwrap().unwrap().status());
    }
    statuses
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_burst_of_logins_gets_five_password_checks_and_no_more() {
    let app = TestApp::demo().await;
    add_user(&app, "lan.nguyen", "so", Role::Writer).await;
    // One name from forty addresses at once.
    let statuses = burst(&app, 40, |_| "lan.nguyen".into(), |i| format!("10.1.0.{i}")).await;
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    let locked = statuses
        .iter()
        .filter(|s| **s == StatusCode::TOO_MANY_REQUESTS)
        .count();
    assert_eq!((checked, locked), (5, 35), "{statuses:?}");
    // Forty names from one address at once.
    let statuses = burst(&app, 40, |i| format!("khach{i}"), |_| "10.2.0.1".into()).await;
    let checked = statuses
        .iter()
        .filter(|s| **s == StatusCode::UNAUTHORIZED)
        .count();
    assert_eq!(checked, 5, "{statuses:?}");
}

#[tokio::test]
async fn a_search_index_that_cannot_write_loses_nothing_and_says_so() {
    let app = TestApp::demo().await;
    let disk = search::faulty::FaultyDirectory::default();
    let full = disk.full();
    let searcher =
        web::search::Searcher::from_index(search::SearchIndex::open_in_directory(disk).unwrap());
    searcher
        .catch_up(&app.store, &app.state.sites)
        .await
        .unwrap();
    let before = searcher.index().num_docs();
    assert!(before > 100);
    let healthy = searcher.health(&app.store).await.unwrap();
    assert_eq!((healthy.pending, healthy.failing_since), (0, None));

    // The disk fills up; two articles are published.
    full.store(true, Ordering::SeqCst);
    let first = publish_one(&app, "Hội thi giáo viên dạy giỏi cấp tỉnh Bình An").await;
    assert!(
        searcher
            .catch_up(&app.store, &app.state.sites)
            .await
            .is_err()
    );
    let second = publish_one(&app, "Khai mạc hội khỏe Phù Đổng toàn tỉnh").await;
    // Tried again only after a pause, not on every round.
    assert_eq!(
        searcher
            .catch_up(&app.store, &app.state.sites)
            .await
            .unwrap(),
        0
    );
    let behind = searcher.health(&app.store).await.unwrap();
    assert_eq!(behind.pending, 2);
    assert!(behind.failing_since.is_some());
    assert_eq!(searcher.index().num_docs(), before);

    // Space again: once the pause is over, both articles are found.
    full.store(false, Ordering::SeqCst);
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    searcher
        .catch_up(&app.store, &app.state.sites)
        .await
        .unwrap();
    assert_eq!(searcher.index().num_docs(), before + 2);
    for (id, words) in [(first, "giao vien day gioi"), (second, "hội khỏe phù đổng")] {
        let found = searcher.index().search(&search::Query::new(words)).unwrap();
        assert!(found.hits.iter().any(|h| h.id == id), "{words}");
    }
    let healthy = searcher.health(&app.store).await.unwrap();
    assert_eq!((healthy.pending, healthy.failing_since), (0, None));
}

#[tokio::test]
async fn healthz_tells_whether_the_search_index_is_current() {
    let app = TestApp::demo().await;
    let h: serde_json::Value = serde_json::from_str(&app.get(SO, "/healthz").await.body).unwrap();
    assert_eq!(h["status"], "ok");
    assert_eq!(h["search"]["state"], "ok", "{h}");
    publish_one(&app, "Bài chưa vào chỉ mục").await;
    let h: serde_json::Value = serde_json::from_str(&app.get(SO, "/healthz").await.body).unwrap();
    assert_eq!(h["search"]["state"], "behind", "{h}");
    assert_eq!(h["search"]["pending"], 1, "{h}");
}
