//! What readers see on the public pages, end to end through the real router and
//! a real database (SQLite, or PostgreSQL when EDUPORTAL_TEST_DATABASE_URL is set).

mod common;

use axum::http::StatusCode;
use common::{Page, TestApp, at, card_links, now, site_and_category};
use domain::{ArticleId, NewArticle, SafeHtml, SiteId};

const SO: &str = "localhost";
const LQD: &str = "lqd.localhost";

async fn site_id(app: &TestApp, key: &str) -> SiteId {
    app.store
        .sites()
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.key == key)
        .unwrap()
        .id
}

/// Writes an article into a demo category and returns its id.
async fn add_article(
    app: &TestApp,
    key: &str,
    category: &str,
    title: &str,
    body: &str,
    published: i64,
) -> ArticleId {
    let (site, cat) = site_and_category(app, key, category).await;
    let mut a = NewArticle::new(
        site,
        cat,
        title,
        "Lời dẫn của bài.",
        SafeHtml::sanitize(body),
        published,
    );
    a.author = "Tin, ảnh: Kiểm Thử".into();
    app.store.create_article(&a, published).await.unwrap()
}

/// The dates of the cards, as shown.
fn card_dates(page: &Page) -> Vec<String> {
    page.body
        .split("<p class=\"meta\"><time datetime=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn home_shows_identity_menu_featured_and_categories() {
    let app = TestApp::demo().await;
    let page = app.get(SO, "/").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("<html lang=\"vi\">");
    page.assert_contains("<span class=\"site-name\">Sở Giáo dục và Đào tạo tỉnh Bình An</span>");
    page.assert_contains("src=\"/media/demo/so/logo.png\"");
    page.assert_contains("src=\"/media/demo/so/banner.jpg\"");
    for menu in [
        "Tin giáo dục",
        "Hoạt động của Sở",
        "Thi đua – Khen thưởng",
        "Khảo thí – Kiểm định",
        "Văn phòng",
    ] {
        page.assert_contains(&format!("\">{menu}</a></li>"));
    }
    page.assert_contains(">Tin nổi bật</h2>");
    page.assert_contains("Cơ quan chủ quản: Ủy ban nhân dân tỉnh Bình An");
    page.assert_contains("Cơ quan quản lý: Sở Giáo dục và Đào tạo tỉnh Bình An");
    page.assert_contains("Điện thoại: 0270 3822 123");
    page.assert_contains("Fax: 0270 3822 456");
    page.assert_contains("Chịu trách nhiệm nội dung: Ông Trần Minh Khoa");
    page.assert_contains("Giấy phép số 05/GP-TTĐT");
    page.assert_contains("href=\"https://tinnhiemmang.vn\"");
    page.assert_contains(">Liên kết website</h2>");
}

#[tokio::test]
async fn each_host_gets_its_own_site_and_unknown_hosts_the_default() {
    let app = TestApp::demo().await;
    let school = app.get("LQD.localhost:8080", "/").await;
    school.assert_contains("<span class=\"site-name\">Trường THPT Chuyên Lê Quý Đôn</span>");
    school.assert_contains("href=\"/tin-tuc/thanh-tich\"");
    school.assert_lacks("Tin giáo dục");
    let other = app.get("nguyendu.localhost", "/").await;
    other.assert_contains("<span class=\"site-name\">Trường THCS Nguyễn Du</span>");
    let unknown = app.get("khong-ai-biet.example", "/").await;
    unknown.assert_contains("<span class=\"site-name\">Sở Giáo dục và Đào tạo tỉnh Bình An</span>");

    // A school's article is not reachable through the department's host.
    let id = add_article(
        &app,
        "lqd",
        "thanh-tich",
        "Học sinh đoạt huy chương vàng",
        "<p>Tin vui.</p>",
        at("2026-11-24 08:00"),
    )
    .await;
    assert!(id.0 > 0);
    assert_eq!(
        app.get(LQD, "/tin-tuc/thanh-tich/hoc-sinh-doat-huy-chuong-vang")
            .await
            .status,
        StatusCode::OK
    );
    assert_eq!(
        app.get(SO, "/tin-tuc/thanh-tich/hoc-sinh-doat-huy-chuong-vang")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn category_pages_paginate_newest_first() {
    let app = TestApp::demo().await;
    // Enough articles for three pages, whatever the demo holds.
    for i in 1..=25 {
        add_article(
            &app,
            "so",
            "van-phong",
            &format!("Thông báo số {i} của Văn phòng"),
            "<p>Nội dung.</p>",
            at("2026-01-01 08:00") + i * 86_400,
        )
        .await;
    }
    let first = app.get(SO, "/tin-tuc/van-phong").await;
    assert_eq!(first.status, StatusCode::OK);
    first.assert_contains("<h1 class=\"page-title\">Văn phòng</h1>");
    assert_eq!(card_links(&first).len(), 10);
    let dates = card_dates(&first);
    let mut sorted = dates.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(dates, sorted, "newest first");
    first.assert_contains(">Trang sau</a>");
    first.assert_contains(">Trang cuối</a>");
    first.assert_lacks(">Trang đầu</a>");
    first.assert_contains("<span aria-current=\"page\">1</span>");
    first.assert_contains("href=\"/tin-tuc/van-phong?trang=2\"");

    let second = app.get(SO, "/tin-tuc/van-phong?trang=2").await;
    second.assert_contains(
        "<h1 class=\"page-title\">Văn phòng <span class=\"page-no\">– Trang 2</span></h1>",
    );
    second.assert_contains("<a href=\"/tin-tuc/van-phong\" aria-label=\"Trang đầu\">Trang đầu</a>");
    let overlap: Vec<_> = card_links(&second)
        .into_iter()
        .filter(|l| card_links(&first).contains(l))
        .collect();
    assert!(overlap.is_empty(), "page 2 repeats {overlap:?}");

    // The last page link leads to a page without "Trang sau".
    let last_href = first
        .body
        .split("aria-label=\"Trang cuối (trang ")
        .nth(1)
        .unwrap()
        .split(')')
        .next()
        .unwrap()
        .to_owned();
    let last = app
        .get(SO, &format!("/tin-tuc/van-phong?trang={last_href}"))
        .await;
    assert_eq!(last.status, StatusCode::OK);
    last.assert_lacks(">Trang sau</a>");
    assert!(!card_links(&last).is_empty());

    let past = app.get(SO, "/tin-tuc/van-phong?trang=999").await;
    assert_eq!(past.status, StatusCode::NOT_FOUND);
    past.assert_contains("Không tìm thấy trang");
    // A mangled page number still shows the first page.
    assert_eq!(
        card_links(&app.get(SO, "/tin-tuc/van-phong?trang=abc").await),
        card_links(&first)
    );
}

#[tokio::test]
async fn article_page_shows_everything_a_reader_expects() {
    let app = TestApp::demo().await;
    let (site, cat) = site_and_category(&app, "so", "tin-giao-duc").await;
    // A photo for the figure and the gallery, taken from the demo's own media.
    let cover = app
        .store
        .create_media(
            &store::MediaInput {
                site_id: site,
                path: "demo/so/logo.png".into(),
                thumb_path: None,
                mime: "image/png".into(),
                width: 120,
                height: 120,
                bytes: 1,
                kind: "image".into(),
                original_name: "logo.png".into(),
                sizes: Vec::new(),
                uploaded_by: None,
            },
            0,
        )
        .await
        .unwrap();
    let body = r#"<p>Sáng 24/11, Sở tổ chức hội nghị.</p><figure><img src="/media/demo/so/logo.png" alt="Toàn cảnh"><figcaption>Toàn cảnh hội nghị</figcaption></figure><script>alert('x')</script><p onclick="x()">Hết.</p>"#;
    let mut a = NewArticle::new(
        site,
        cat,
        "Hội nghị tổng kết công tác thi đua năm học",
        "Sở GD&ĐT tổng kết.",
        SafeHtml::sanitize(body),
        at("2026-11-24 09:05"),
    );
    a.author = "Tin, ảnh: Thanh Bình".into();
    a.source = Some("Văn phòng Sở".into());
    a.updated_at = Some(at("2026-11-24 16:40"));
    a.gallery = vec![
        (cover, "Đại biểu dự hội nghị".into()),
        (cover, "Trao bằng khen".into()),
    ];
    app.store.create_article(&a, 0).await.unwrap();

    let page = app
        .get(
            SO,
            "/tin-tuc/tin-giao-duc/hoi-nghi-tong-ket-cong-tac-thi-dua-nam-hoc",
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("<title>Hội nghị tổng kết công tác thi đua năm học – Sở Giáo dục và Đào tạo tỉnh Bình An</title>");
    page.assert_contains("<li><a href=\"/\">Trang chủ</a></li><li><a href=\"/tin-tuc/tin-giao-duc\">Tin giáo dục</a></li>");
    page.assert_contains(
        "<h1 class=\"article-title\">Hội nghị tổng kết công tác thi đua năm học</h1>",
    );
    page.assert_contains(
        "<time datetime=\"2026-11-24T09:05:00+07:00\">Thứ Ba, 24/11/2026 09:05</time>",
    );
    page.assert_contains(
        "Ngày cập nhật: <time datetime=\"2026-11-24T16:40:00+07:00\">24/11/2026 16:40</time>",
    );
    page.assert_contains("<p class=\"sapo\">Sở GD&#38;ĐT tổng kết.</p>");
    page.assert_contains("<figcaption>Toàn cảnh hội nghị</figcaption>");
    page.assert_contains("<p class=\"byline\">Tin, ảnh: Thanh Bình <span class=\"byline-source\">(Văn phòng Sở)</span></p>");
    page.assert_contains("alt=\"Đại biểu dự hội nghị\"");
    page.assert_contains("<figcaption>Trao bằng khen</figcaption>");
    page.assert_contains(
        "<a class=\"button\" href=\"/tin-tuc/tin-giao-duc\" data-back>Quay lại</a>",
    );
    page.assert_contains(
        "href=\"/tin-tuc/tin-giao-duc/hoi-nghi-tong-ket-cong-tac-thi-dua-nam-hoc/in\"",
    );
    page.assert_contains(">Các tin liên quan</h2>");
    page.assert_lacks("alert(");
    page.assert_lacks("onclick");
    page.assert_contains("<p>Hết.</p>");
}

/// The "Các tin liên quan" section of an article page.
fn related_section(page: &Page) -> &str {
    let after = page
        .body
        .split("id=\"tin-lien-quan\"")
        .nth(1)
        .expect("related section");
    after.split("</section>").next().unwrap()
}

#[tokio::test]
async fn related_news_are_older_articles_of_the_category_paginated() {
    let app = TestApp::demo().await;
    let base = at("2025-01-01 08:00");
    for i in 1..=12 {
        add_article(
            &app,
            "lqd",
            "thong-bao",
            &format!("Thông báo lịch học tuần {i}"),
            "<p>Lịch học.</p>",
            base + i * 86_400,
        )
        .await;
    }
    // The demo's articles are all newer, so the ones older than week 12 are ours.
    let page = app
        .get(LQD, "/tin-tuc/thong-bao/thong-bao-lich-hoc-tuan-12")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let related = related_section(&page);
    assert!(related.contains("Thông báo lịch học tuần 11</a> <time datetime=\"2025-01-12T08:00:00+07:00\">(12/01/2025)</time>"), "{related}");
    assert!(
        !related.contains("tuần 12<"),
        "an article is not related to itself"
    );
    assert!(!related.contains("tuần 3<"), "only 8 a page");
    assert!(
        related.contains(
            "href=\"/tin-tuc/thong-bao/thong-bao-lich-hoc-tuan-12?trang=2#tin-lien-quan\""
        ),
        "{related}"
    );

    let second = app
        .get(LQD, "/tin-tuc/thong-bao/thong-bao-lich-hoc-tuan-12?trang=2")
        .await;
    let related = related_section(&second);
    assert!(
        related.contains("Thông báo lịch học tuần 3</a>"),
        "{related}"
    );
    assert!(
        related.contains("Thông báo lịch học tuần 1</a>"),
        "{related}"
    );
    assert!(!related.contains("tuần 4</a>"), "{related}");
    assert!(related.contains(">Trang đầu</a>"));
}

#[tokio::test]
async fn print_view_has_the_content_without_the_chrome() {
    let app = TestApp::demo().await;
    add_article(
        &app,
        "so",
        "van-phong",
        "Lịch tiếp công dân tháng 12",
        "<p>Giám đốc Sở tiếp công dân.</p>",
        at("2026-11-24 07:30"),
    )
    .await;
    let page = app
        .get(SO, "/tin-tuc/van-phong/lich-tiep-cong-dan-thang-12/in")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("<h1 class=\"article-title\">Lịch tiếp công dân tháng 12</h1>");
    page.assert_contains("<p>Giám đốc Sở tiếp công dân.</p>");
    page.assert_contains("Tin, ảnh: Kiểm Thử");
    page.assert_contains("In trang này");
    page.assert_contains(
        "Địa chỉ bài viết: http://localhost/tin-tuc/van-phong/lich-tiep-cong-dan-thang-12",
    );
    page.assert_lacks("main-nav");
    page.assert_lacks("site-footer");
    page.assert_lacks("Các tin liên quan");
}

#[tokio::test]
async fn a_changed_slug_redirects_permanently() {
    let app = TestApp::demo().await;
    let id = add_article(
        &app,
        "so",
        "khao-thi",
        "Lịch thi tuyển sinh lớp 10",
        "<p>Lịch thi.</p>",
        at("2026-11-20 10:00"),
    )
    .await;
    let site = site_id(&app, "so").await;
    app.store
        .change_article_slug(site, id, "lich-thi-tuyen-sinh-lop-10-nam-hoc-2027-2028")
        .await
        .unwrap();

    let old = app
        .get(SO, "/tin-tuc/khao-thi/lich-thi-tuyen-sinh-lop-10")
        .await;
    assert_eq!(old.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(
        old.location(),
        "/tin-tuc/khao-thi/lich-thi-tuyen-sinh-lop-10-nam-hoc-2027-2028"
    );
    let old_print = app
        .get(SO, "/tin-tuc/khao-thi/lich-thi-tuyen-sinh-lop-10/in")
        .await;
    assert_eq!(
        old_print.location(),
        "/tin-tuc/khao-thi/lich-thi-tuyen-sinh-lop-10-nam-hoc-2027-2028/in"
    );
    // The right slug under the wrong category leads to the right place too.
    let wrong_cat = app
        .get(
            SO,
            "/tin-tuc/van-phong/lich-thi-tuyen-sinh-lop-10-nam-hoc-2027-2028",
        )
        .await;
    assert_eq!(
        wrong_cat.location(),
        "/tin-tuc/khao-thi/lich-thi-tuyen-sinh-lop-10-nam-hoc-2027-2028"
    );
    let new = app
        .get(
            SO,
            "/tin-tuc/khao-thi/lich-thi-tuyen-sinh-lop-10-nam-hoc-2027-2028",
        )
        .await;
    assert_eq!(new.status, StatusCode::OK);
}

#[tokio::test]
async fn articles_not_yet_public_are_invisible() {
    let app = TestApp::demo().await;
    let tomorrow = now() + 86_400;
    add_article(
        &app,
        "so",
        "tin-giao-duc",
        "Bài hẹn giờ đăng ngày mai",
        "<p>Chưa tới giờ.</p>",
        tomorrow,
    )
    .await;
    assert_eq!(
        app.get(SO, "/tin-tuc/tin-giao-duc/bai-hen-gio-dang-ngay-mai")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    app.get(SO, "/tin-tuc/tin-giao-duc")
        .await
        .assert_lacks("Bài hẹn giờ đăng ngày mai");
    app.get(SO, "/")
        .await
        .assert_lacks("Bài hẹn giờ đăng ngày mai");
}

#[tokio::test]
async fn unknown_addresses_get_a_vietnamese_404_in_the_site_layout() {
    let app = TestApp::demo().await;
    for path in [
        "/khong-co-trang-nay",
        "/tin-tuc/khong-co",
        "/tin-tuc/tin-giao-duc/khong-co-bai",
    ] {
        let page = app.get(LQD, path).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        page.assert_contains("<h1 class=\"page-title\">Không tìm thấy trang</h1>");
        page.assert_contains("<span class=\"site-name\">Trường THPT Chuyên Lê Quý Đôn</span>");
        page.assert_contains("<html lang=\"vi\">");
    }
}

#[tokio::test]
async fn a_failure_shows_a_calm_500_without_details() {
    let app = TestApp::demo().await;
    app.store.close().await;
    let page = app.get(SO, "/").await;
    assert_eq!(page.status, StatusCode::INTERNAL_SERVER_ERROR);
    page.assert_contains("Hệ thống đang gặp sự cố");
    page.assert_contains("<span class=\"site-name\">Sở Giáo dục và Đào tạo tỉnh Bình An</span>");
    for leak in ["pool", "sqlx", "database", "closed", "panic", "Error"] {
        page.assert_lacks(leak);
    }
    let health = app.get(SO, "/healthz").await;
    assert_eq!(health.status, StatusCode::SERVICE_UNAVAILABLE);
}

#[tokio::test]
async fn health_and_media_and_assets_answer() {
    let app = TestApp::demo().await;
    let health = app.get(SO, "/healthz").await;
    assert_eq!(health.status, StatusCode::OK);
    for page in [
        &health,
        &app.get(SO, "/").await,
        &app.get(SO, "/khong-co").await,
    ] {
        let csp = page.headers["content-security-policy"].to_str().unwrap();
        assert!(csp.contains("script-src 'self'"), "{csp}");
        assert_eq!(page.headers["x-content-type-options"], "nosniff");
    }
    let h: serde_json::Value = serde_json::from_str(&health.body).unwrap();
    assert_eq!(h["status"], "ok", "{h}");
    assert_eq!(h["search"]["state"], "ok", "{h}");
    let logo = app.get(SO, "/media/demo/so/logo.png").await;
    assert_eq!(logo.status, StatusCode::OK);
    assert_eq!(logo.headers["content-type"], "image/png");
    let home = app.get(SO, "/").await;
    let css = home
        .body
        .split("<link rel=\"stylesheet\" href=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let sheet = app.get(SO, css).await;
    assert_eq!(sheet.status, StatusCode::OK);
    assert!(
        sheet.headers["cache-control"]
            .to_str()
            .unwrap()
            .contains("immutable")
    );
    assert!(sheet.body.contains(".site-header"));
}

#[tokio::test]
async fn decomposed_vietnamese_is_stored_composed() {
    let app = TestApp::demo().await;
    // "Khai giảng" typed with combining marks, as some Mac and phone keyboards send it.
    add_article(
        &app,
        "so",
        "tin-giao-duc",
        "Khai gia\u{309}ng na\u{306}m ho\u{323}c mơ\u{301}i",
        "<p>Vie\u{323}\u{302}t Nam</p>",
        at("2026-11-24 10:00"),
    )
    .await;
    let page = app
        .get(SO, "/tin-tuc/tin-giao-duc/khai-giang-nam-hoc-moi")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("<h1 class=\"article-title\">Khai giảng năm học mới</h1>");
    page.assert_contains("<p>Việt Nam</p>");
}

#[tokio::test]
async fn an_installation_without_demo_content_still_answers() {
    let app = TestApp::empty().await;
    let site = app
        .store
        .create_site(
            "truong",
            true,
            &["truong.example".into()],
            &domain::SiteSettings {
                name: "Trường Mầm non Hoa Sen".into(),
                ..Default::default()
            },
            0,
        )
        .await
        .unwrap();
    assert!(site.0 > 0);
    let app = app.reload().await;
    let page = app.get("truong.example", "/").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Trường Mầm non Hoa Sen");
    page.assert_contains("Trang chủ chưa có nội dung nào.");
}

#[tokio::test]
async fn demo_loads_only_into_an_empty_database() {
    let app = TestApp::demo().await;
    let again = demo::load_if_empty(&app.store, &common::media_dir(), 0, 8080)
        .await
        .unwrap();
    assert!(again.is_empty());
    let sites = app.store.sites().await.unwrap();
    assert_eq!(sites.len(), 3);
    for s in &sites {
        let cats = app.store.categories(s.id).await.unwrap();
        assert!(cats.len() >= 3, "{} has {} categories", s.key, cats.len());
        let mut total = 0;
        for c in &cats {
            total += app
                .store
                .category_articles(s.id, c.id, now(), 1, 0)
                .await
                .unwrap()
                .total;
        }
        assert!(total >= 40, "{} has {total} articles", s.key);
    }
}

/// Hashed asset names change with every stylesheet edit, and live counters with every
/// request; snapshots pin the page, not them.
fn without_asset_hashes(html: &str) -> String {
    let html = without_live_figures(html);
    let html = html.as_str();
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("/static/app.") {
        let (head, tail) = rest.split_at(i + "/static/app.".len());
        out.push_str(head);
        let hash_len = tail.find('.').unwrap_or(0);
        out.push_str("HASH");
        rest = &tail[hash_len..];
    }
    out.push_str(rest);
    out
}

fn without_live_figures(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("data-live=\"") {
        let (head, tail) = rest.split_at(i);
        out.push_str(head);
        let close = tail.find('>').unwrap_or(0) + 1;
        out.push_str(&tail[..close]);
        out.push('N');
        let after = &tail[close..];
        rest = &after[after.find('<').unwrap_or(0)..];
    }
    out.push_str(rest);
    out
}

#[tokio::test]
async fn snapshots_of_the_demo_pages() {
    let app = TestApp::demo().await;
    let home = app.get(SO, "/").await;
    assert_eq!(home.status, StatusCode::OK);
    insta::assert_snapshot!("home", without_asset_hashes(&home.body));

    let category = app.get(SO, "/tin-tuc/tin-giao-duc").await;
    assert_eq!(category.status, StatusCode::OK);
    insta::assert_snapshot!("category", without_asset_hashes(&category.body));

    let newest = card_links(&category)
        .into_iter()
        .next()
        .expect("a demo article");
    let article = app.get(SO, &newest).await;
    assert_eq!(article.status, StatusCode::OK);
    insta::assert_snapshot!("article", without_asset_hashes(&article.body));

    let print = app.get(SO, &format!("{newest}/in")).await;
    assert_eq!(print.status, StatusCode::OK);
    insta::assert_snapshot!("print", without_asset_hashes(&print.body));
}
