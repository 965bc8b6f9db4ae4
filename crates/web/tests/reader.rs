//! Reader features: counters that stay true behind the cache, news by date, feeds,
//! sitemap, link previews, and the page cache itself (ETag, 304, compression,
//! invalidation). Same backends as pages.rs.

mod common;

use axum::http::StatusCode;
use common::{Page, TestApp, at, card_links, now, request, site_and_category};
use domain::{NewArticle, SafeHtml};

const SO: &str = "localhost";
const CHROME: &str = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";
const GOOGLEBOT: &str = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)";

/// The first article link of a category page.
async fn newest_article(app: &TestApp, category: &str) -> String {
    let page = app.get(SO, &format!("/tin-tuc/{category}")).await;
    card_links(&page)
        .into_iter()
        .next()
        .expect("an article in the category")
}

fn live(page: &Page, what: &str) -> String {
    page.body
        .split(&format!("data-live=\"{what}\""))
        .nth(1)
        .and_then(|s| s.split('>').nth(1))
        .and_then(|s| s.split('<').next())
        .unwrap_or_else(|| panic!("no live figure {what}"))
        .to_owned()
}

fn article_id(page: &Page) -> String {
    page.body
        .split("data-article=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned()
}

async fn figures(app: &TestApp, query: &str) -> serde_json::Value {
    let res = app.get(SO, &format!("/thong-ke.json{query}")).await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.headers["cache-control"], "no-store");
    serde_json::from_str(&res.body).unwrap()
}

fn as_reader(ip: &'static str) -> [(&'static str, &'static str); 2] {
    [("user-agent", CHROME), ("x-forwarded-for", ip)]
}

#[tokio::test]
async fn views_count_once_per_reader_and_not_for_bots() {
    let app = TestApp::demo().await;
    let path = newest_article(&app, "tin-giao-duc").await;
    let first = app.get_with(SO, &path, &as_reader("10.0.0.1")).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(
        live(&first, "views"),
        "0",
        "the first reader sees the count before their own view"
    );
    let id = article_id(&first);
    // The same reader again, within 30 minutes: still one view.
    app.get_with(SO, &path, &as_reader("10.0.0.1")).await;
    let f = figures(&app, &format!("?bai={id}")).await;
    assert_eq!(f["views"], 1);
    // Another reader, and a crawler.
    app.get_with(SO, &path, &as_reader("10.0.0.2")).await;
    app.get_with(
        SO,
        &path,
        &[
            ("user-agent", GOOGLEBOT),
            ("x-forwarded-for", "66.249.66.1"),
        ],
    )
    .await;
    let f = figures(&app, &format!("?bai={id}")).await;
    assert_eq!(f["views"], 2);
    assert_eq!(f["online"], 2);
    assert_eq!(f["today"], 2);
    assert_eq!(f["total"], 2);
    // The page itself (from the cache now) still shows the live figure to a new reader.
    let third = app.get_with(SO, &path, &as_reader("10.0.0.3")).await;
    assert_eq!(
        third.headers.get("etag"),
        first.headers.get("etag"),
        "served from the cache"
    );

    // Bots are tallied apart once flushed.
    app.state.tick().await.unwrap();
    let today = vntext::local_iso_date(now());
    let history = app
        .store
        .daily_history(app.store.sites().await.unwrap()[0].id, &today, &today)
        .await
        .unwrap();
    assert_eq!(history.len(), 1);
    // Bots: Googlebot, and the test's own request without a User-Agent (scripts are not people).
    assert_eq!((history[0].visits, history[0].bot_hits), (3, 2));
    assert!(history[0].page_views >= 4);
}

#[tokio::test]
async fn counts_survive_a_restart_and_instances_add_up() {
    let app = TestApp::demo().await;
    let path = newest_article(&app, "khao-thi").await;
    let page = app.get_with(SO, &path, &as_reader("10.0.1.1")).await;
    let id = article_id(&page);
    app.get_with(SO, &path, &as_reader("10.0.1.2")).await;

    // A second instance on the same database counts its own readers.
    let (other, other_state) = app.another_instance().await;
    request(&other, SO, &path, &as_reader("10.0.1.3")).await;
    request(&other, SO, &path, &as_reader("10.0.1.4")).await;
    request(&other, SO, &path, &as_reader("10.0.1.5")).await;

    // Both stop (as on SIGTERM): what they counted is written, and adds up.
    app.state.shutdown().await;
    other_state.shutdown().await;

    // A restart on the same database: the figures are all there.
    let (fresh, _state) = app.another_instance().await;
    let res = request(&fresh, SO, &format!("/thong-ke.json?bai={id}"), &[]).await;
    let f: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(f["views"], 5, "{f}");
    assert_eq!(f["total"], 5, "{f}");
    assert_eq!(f["today"], 5, "{f}");
    // Flushing twice adds nothing twice.
    app.state.shutdown().await;
    let res = request(&fresh, SO, &format!("/thong-ke.json?bai={id}"), &[]).await;
    let f: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(f["views"], 5, "{f}");
}

#[tokio::test]
async fn checking_a_feed_is_not_a_visit() {
    let app = TestApp::demo().await;
    let feed = app.get_with(SO, "/rss.xml", &as_reader("10.0.2.1")).await;
    let etag = feed.headers["etag"].to_str().unwrap().to_owned();
    let again = app
        .get_with(
            SO,
            "/rss.xml",
            &[
                ("user-agent", CHROME),
                ("x-forwarded-for", "10.0.2.2"),
                ("if-none-match", &etag),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    let f = figures(&app, "").await;
    assert_eq!(
        (f["today"].as_i64(), f["online"].as_i64()),
        (Some(0), Some(0)),
        "{f}"
    );
    // A page revalidated by a reader who has it still counts.
    let page = app.get_with(SO, "/", &as_reader("10.0.2.3")).await;
    let etag = page.headers["etag"].to_str().unwrap().to_owned();
    let again = app
        .get_with(
            SO,
            "/",
            &[
                ("user-agent", CHROME),
                ("x-forwarded-for", "10.0.2.4"),
                ("if-none-match", &etag),
            ],
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert_eq!(figures(&app, "").await["today"], 2);
}

#[tokio::test]
async fn query_strings_do_not_make_new_cache_entries() {
    let app = TestApp::demo().await;
    let base = app.get(SO, "/tin-tuc/tin-giao-duc").await;
    let etag = base.headers["etag"].to_str().unwrap().to_owned();
    let n = app.state.cache.len();
    // What the key reads the same as no query (tracking keys no handler reads,
    // page 1 however written) is the same entry.
    for q in [
        "?trang=1",
        "?trang=abc",
        "?utm_source=zalo",
        "?fbclid=x&trang=1",
    ] {
        let p = app.get(SO, &format!("/tin-tuc/tin-giao-duc{q}")).await;
        assert_eq!(p.headers["etag"].to_str().unwrap(), etag, "{q}");
    }
    // A key the cache does not know may change the page: rendered, never kept.
    for q in ["?a=1", "?trang=2&x=y"] {
        let p = app.get(SO, &format!("/tin-tuc/tin-giao-duc{q}")).await;
        assert_eq!(p.status, StatusCode::OK, "{q}");
        assert!(p.headers.get("etag").is_none(), "{q}: not from the cache");
    }
    assert_eq!(app.state.cache.len(), n);
    let second = app.get(SO, "/tin-tuc/tin-giao-duc?trang=2").await;
    assert_ne!(second.headers["etag"].to_str().unwrap(), etag);
    assert_eq!(app.state.cache.len(), n + 1);
}

#[tokio::test]
async fn the_figures_endpoint_answers_only_for_its_site() {
    let app = TestApp::demo().await;
    let path = newest_article(&app, "tin-giao-duc").await;
    let id = article_id(&app.get(SO, &path).await);
    let f = figures(&app, "").await;
    assert!(f.get("views").is_none());
    for key in ["online", "today", "total"] {
        assert!(f[key].is_i64(), "{key} in {f}");
    }
    // The department's article asked for on a school's host: no views given.
    let other = app
        .get("lqd.localhost", &format!("/thong-ke.json?bai={id}"))
        .await;
    let f: serde_json::Value = serde_json::from_str(&other.body).unwrap();
    assert!(f.get("views").is_none(), "{f}");
    let junk = figures(&app, "?bai=abc").await;
    assert!(junk.get("views").is_none());
}

#[tokio::test]
async fn cached_pages_answer_304_and_compressed_and_change_with_content() {
    let app = TestApp::demo().await;
    let home = app.get(SO, "/").await;
    let etag = home.headers["etag"].to_str().unwrap().to_owned();
    assert_eq!(home.headers["vary"], "Accept-Encoding");
    let again = app.get_with(SO, "/", &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());

    let br = app
        .get_with(SO, "/", &[("accept-encoding", "gzip, br")])
        .await;
    assert_eq!(br.headers["content-encoding"], "br");
    let mut plain = Vec::new();
    brotli::BrotliDecompress(&mut &br.bytes[..], &mut plain).unwrap();
    assert_eq!(String::from_utf8(plain).unwrap(), home.body);
    let gz = app.get_with(SO, "/", &[("accept-encoding", "gzip")]).await;
    assert_eq!(gz.headers["content-encoding"], "gzip");

    // A new article: until the change is noticed the cached page is served as it was;
    // once noticed (the server checks every few seconds), the page is new.
    let (site, cat) = site_and_category(&app, "so", "tin-giao-duc").await;
    let a = NewArticle::new(
        site,
        cat,
        "Thông báo mới nhất về lịch thi",
        "Sapo.",
        SafeHtml::sanitize("<p>Nội dung.</p>"),
        now() - 60,
    );
    app.store.create_article(&a, now()).await.unwrap();
    app.get(SO, "/")
        .await
        .assert_lacks("Thông báo mới nhất về lịch thi");
    app.state.tick().await.unwrap();
    let fresh = app.get(SO, "/").await;
    fresh.assert_contains("Thông báo mới nhất về lịch thi");
    assert_ne!(fresh.headers["etag"].to_str().unwrap(), etag);
    let stale = app.get_with(SO, "/", &[("if-none-match", &etag)]).await;
    assert_eq!(stale.status, StatusCode::OK);
}

#[tokio::test]
async fn news_by_date_lists_the_day_and_links_neighbouring_days() {
    let app = TestApp::demo().await;
    let (site, cat) = site_and_category(&app, "so", "van-phong").await;
    for (title, when) in [
        ("Tin ngày đầu năm", "2024-01-02 08:00"),
        ("Tin sáng ngày giữa", "2024-01-10 07:30"),
        ("Tin chiều ngày giữa", "2024-01-10 23:45"),
        ("Tin ngày cuối", "2024-01-20 09:00"),
    ] {
        let a = NewArticle::new(
            site,
            cat,
            title,
            "",
            SafeHtml::sanitize("<p>x</p>"),
            at(when),
        );
        app.store.create_article(&a, 0).await.unwrap();
    }
    let day = app.get(SO, "/tin-theo-ngay/2024-01-10").await;
    assert_eq!(day.status, StatusCode::OK);
    day.assert_contains("<h1 class=\"page-title\">Tin ngày 10/01/2024</h1>");
    day.assert_contains("Tin sáng ngày giữa");
    day.assert_contains("Tin chiều ngày giữa");
    day.assert_lacks("Tin ngày đầu năm</a>");
    day.assert_contains(
        "href=\"/tin-theo-ngay/2024-01-02\" rel=\"prev\">« Ngày có tin trước (02/01/2024)</a>",
    );
    day.assert_contains(
        "href=\"/tin-theo-ngay/2024-01-20\" rel=\"next\">Ngày có tin sau (20/01/2024) »</a>",
    );
    // The date box shows the day the site's way, whatever the browser's language.
    day.assert_contains(
        "type=\"text\" name=\"ngay\" value=\"10/01/2024\" placeholder=\"dd/mm/yyyy\"",
    );

    let empty = app.get(SO, "/tin-theo-ngay/2024-01-15").await;
    assert_eq!(empty.status, StatusCode::OK);
    empty.assert_contains("Không có tin nào được đăng trong ngày 15/01/2024.");
    empty.assert_contains("href=\"/tin-theo-ngay/2024-01-10\" rel=\"prev\"");

    // Typed as dd/mm/yyyy (or as a number pad types it), or an old link's yyyy-mm-dd.
    for typed in [
        "10/01/2024",
        "10%2F01%2F2024",
        "10012024",
        "10-01-2024",
        "2024-01-10",
    ] {
        let picked = app.get(SO, &format!("/tin-theo-ngay?ngay={typed}")).await;
        assert_eq!(picked.status, StatusCode::SEE_OTHER, "{typed}");
        assert_eq!(picked.location(), "/tin-theo-ngay/2024-01-10", "{typed}");
    }
    let bad = app.get(SO, "/tin-theo-ngay?ngay=31/02/2024").await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    bad.assert_contains(
        "<p class=\"form-error\" role=\"alert\">Không đọc được ngày bạn nhập. Mời bạn nhập lại theo dạng ngày/tháng/năm, ví dụ 05/09/2026.</p>",
    );
    bad.assert_contains("value=\"31/02/2024\"");
    bad.assert_contains("aria-invalid=\"true\"");
    let none = app.get(SO, "/tin-theo-ngay?ngay=").await;
    none.assert_contains("Mời bạn chọn một ngày để xem tin.");
    none.assert_lacks("aria-invalid");
    assert_eq!(
        app.get(SO, "/tin-theo-ngay/2024-02-30").await.status,
        StatusCode::NOT_FOUND
    );
    // Every page carries the picker.
    app.get(SO, "/")
        .await
        .assert_contains("<form class=\"by-date\" action=\"/tin-theo-ngay\" method=\"get\">");
}

#[tokio::test]
async fn feeds_are_valid_rss() {
    let app = TestApp::demo().await;
    let rss_page = app.get(SO, "/rss").await;
    rss_page.assert_contains("http://localhost/rss.xml");
    rss_page.assert_contains("http://localhost/rss/tin-giao-duc.xml");
    for path in ["/rss.xml", "/rss/tin-giao-duc.xml"] {
        let feed = app.get(SO, path).await;
        assert_eq!(feed.status, StatusCode::OK, "{path}");
        assert_eq!(
            feed.headers["content-type"],
            "application/rss+xml; charset=utf-8"
        );
        let doc = roxmltree::Document::parse(&feed.body)
            .unwrap_or_else(|e| panic!("{path}: {e}\n{}", feed.body));
        let rss = doc.root_element();
        assert_eq!(
            (rss.tag_name().name(), rss.attribute("version")),
            ("rss", Some("2.0"))
        );
        let channel = rss.children().find(|n| n.has_tag_name("channel")).unwrap();
        let child = |n: roxmltree::Node, name: &str| {
            n.children()
                .find(|c| c.has_tag_name(name))
                .and_then(|c| c.text())
                .map(str::to_owned)
        };
        assert!(
            child(channel, "title")
                .unwrap()
                .contains("Sở Giáo dục và Đào tạo tỉnh Bình An")
        );
        assert_eq!(child(channel, "language").as_deref(), Some("vi"));
        let items: Vec<_> = channel
            .children()
            .filter(|n| n.has_tag_name("item"))
            .collect();
        assert!(items.len() >= 10, "{path}: {} items", items.len());
        for item in &items {
            let link = child(*item, "link").unwrap();
            assert!(link.starts_with("http://localhost/tin-tuc/"), "{link}");
            assert!(!child(*item, "title").unwrap().is_empty());
            let date = child(*item, "pubDate").unwrap();
            assert!(date.ends_with("+0700"), "{date}");
        }
        if path.contains("tin-giao-duc") {
            assert!(
                items
                    .iter()
                    .all(|i| child(*i, "category").as_deref() == Some("Tin giáo dục"))
            );
        }
    }
    assert_eq!(
        app.get(SO, "/rss/khong-co.xml").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn sitemap_paginates_and_robots_points_to_it() {
    // The test app puts 30 articles in a sitemap file; the department has more.
    let app = TestApp::demo().await;
    let index = app.get(SO, "/sitemap.xml").await;
    let doc = roxmltree::Document::parse(&index.body).unwrap();
    assert_eq!(doc.root_element().tag_name().name(), "sitemapindex");
    let locs: Vec<_> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(
        locs,
        [
            "http://localhost/sitemap/1.xml",
            "http://localhost/sitemap/2.xml"
        ]
    );
    let mut urls = Vec::new();
    for n in 1..=2 {
        let page = app.get(SO, &format!("/sitemap/{n}.xml")).await;
        let doc = roxmltree::Document::parse(&page.body).unwrap();
        assert_eq!(doc.root_element().tag_name().name(), "urlset");
        urls.extend(
            doc.descendants()
                .filter(|n| n.has_tag_name("loc"))
                .filter_map(|n| n.text().map(str::to_owned)),
        );
    }
    let articles = urls.iter().filter(|u| u.matches('/').count() == 5).count();
    assert_eq!(articles, 47, "every department article once");
    assert!(urls.contains(&"http://localhost/".to_owned()));
    assert!(urls.contains(&"http://localhost/tin-tuc/van-phong".to_owned()));
    assert_eq!(
        app.get(SO, "/sitemap/3.xml").await.status,
        StatusCode::NOT_FOUND
    );
    // A school with fewer articles than a sitemap file holds gets a plain urlset... of 42.
    let school = app.get("lqd.localhost", "/sitemap/1.xml").await;
    assert!(school.body.contains("http://lqd.localhost/tin-tuc/"));

    let robots = app.get(SO, "/robots.txt").await;
    assert_eq!(robots.headers["content-type"], "text/plain; charset=utf-8");
    robots.assert_contains("Sitemap: http://localhost/sitemap.xml");
    robots.assert_contains("Disallow: /quan-tri");
}

#[tokio::test]
async fn article_pages_carry_previews_canonical_and_structured_data() {
    let app = TestApp::demo().await;
    let path = newest_article(&app, "tin-giao-duc").await;
    let page = app
        .get_with(SO, &path, &[("x-forwarded-proto", "https")])
        .await;
    let url = format!("https://localhost{path}");
    page.assert_contains(&format!("<link rel=\"canonical\" href=\"{url}\">"));
    page.assert_contains(&format!("<meta property=\"og:url\" content=\"{url}\">"));
    page.assert_contains("<meta property=\"og:type\" content=\"article\">");
    page.assert_contains("<meta property=\"og:image\" content=\"https://localhost/media/demo/so/");
    page.assert_contains("<meta name=\"twitter:card\" content=\"summary_large_image\">");
    let ld = page
        .body
        .split("<script type=\"application/ld+json\">")
        .nth(1)
        .unwrap()
        .split("</script>")
        .next()
        .unwrap();
    let ld: serde_json::Value = serde_json::from_str(ld).unwrap();
    assert_eq!(ld["@type"], "NewsArticle");
    assert_eq!(ld["mainEntityOfPage"], url.as_str());
    assert!(ld["datePublished"].as_str().unwrap().ends_with("+07:00"));
    // Share without third-party scripts.
    let encoded = url.replace(':', "%3A").replace('/', "%2F");
    page.assert_contains(&format!(
        "href=\"https://www.facebook.com/sharer/sharer.php?u={encoded}\""
    ));
    page.assert_contains("data-share-zalo");
    page.assert_contains("Sao chép liên kết");
    page.assert_lacks("connect.facebook.net");
    // A hostile Host header cannot put itself into absolute URLs.
    let evil = app.get_with("x\"><script>", "/", &[]).await;
    assert_eq!(evil.status, StatusCode::OK);
    evil.assert_contains("<link rel=\"canonical\" href=\"http://localhost/\">");
    evil.assert_lacks("x\"><script>");
    let other = app.get_with("attacker.example", &path, &[]).await;
    other.assert_contains(&format!(
        "<link rel=\"canonical\" href=\"http://localhost{path}\">"
    ));
    other.assert_lacks("attacker.example");
    // Behind the trusted proxy, http and https pages are cached apart: one scheme's
    // links never reach readers of the other.
    let plain = app.get(SO, &path).await;
    plain.assert_contains(&format!(
        "<link rel=\"canonical\" href=\"http://localhost{path}\">"
    ));
}

#[tokio::test]
async fn accessibility_basics_are_on_every_page() {
    let app = TestApp::demo().await;
    let path = newest_article(&app, "tin-giao-duc").await;
    for p in [
        "/",
        "/tin-tuc/tin-giao-duc",
        path.as_str(),
        "/tin-theo-ngay/2026-09-05",
    ] {
        let page = app.get(SO, p).await;
        page.assert_contains("<html lang=\"vi\">");
        page.assert_contains("<a class=\"skip-link\" href=\"#noi-dung\">");
        page.assert_contains("<main id=\"noi-dung\"");
        // The text-size buttons, in the header (a landmark); shown by the script.
        let header = page
            .body
            .split("<header class=\"site-header\">")
            .nth(1)
            .and_then(|h| h.split("</header>").next())
            .unwrap_or_default();
        assert!(
            header.contains("role=\"group\" aria-label=\"Cỡ chữ\" data-text-sizes hidden>")
                && header.contains("aria-label=\"A+ Tăng cỡ chữ\""),
            "{p}: no text-size group in the header"
        );
        // Every image says what it shows, or is marked decorative.
        for img in page.body.split("<img ").skip(1) {
            let tag = img.split('>').next().unwrap();
            assert!(tag.contains("alt=\""), "{p}: <img {tag}>");
        }
    }
}
