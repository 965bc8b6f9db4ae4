//! Announcements ("Thông báo", issue 14) as readers and editors see them: the
//! block on every page, expiry through the background round, the department's
//! notices reaching exactly the schools addressed, the archive and the back
//! office. Both backends (EDUPORTAL_TEST_DATABASE_URL for PostgreSQL).

mod common;

use axum::http::StatusCode;
use common::{Desk, Page, TestApp, add_user, now};
use domain::Role;

const SO: &str = "localhost";
const LQD: &str = "lqd.localhost";
const NGUYENDU: &str = "nguyendu.localhost";

impl Desk<'_> {
    /// The notice form (multipart: it carries files).
    async fn post(&self, path: &str, form: &[(&str, &str)]) -> Page {
        self.upload(path, form, &[]).await
    }

    async fn upload(&self, path: &str, form: &[(&str, &str)], files: &[(&str, &[u8])]) -> Page {
        let csrf = self.get("/quan-tri/thong-bao/moi").await.field("csrf");
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(form);
        let (content_type, body) = common::multipart(&all, files);
        self.app
            .post_bytes(
                self.host,
                path,
                &content_type,
                body,
                &[("cookie", &self.cookie), ("x-forwarded-for", "10.1.1.1")],
            )
            .await
    }
}

fn local(at: i64) -> String {
    vntext::format_datetime(at)
}

/// The notices in a page's side block "Thông báo".
fn block(page: &Page) -> String {
    page.body
        .split("id=\"khoi-thong-bao\"")
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .unwrap_or("")
        .to_owned()
}

#[tokio::test]
async fn a_notice_shows_in_the_block_on_every_page_pinned_first() {
    let app = TestApp::demo().await;
    add_user(&app, "bientap", "lqd", Role::Editor).await;
    let desk = Desk::open(&app, LQD, "bientap").await;
    let start = local(now() - 3600);
    let res = desk
        .post(
            "/quan-tri/thong-bao/moi",
            &[
                ("title", "Lịch kiểm tra học kỳ I"),
                (
                    "body",
                    "<p>Học sinh xem lịch <script>x()</script>kiểm tra.</p>",
                ),
                ("starts", &start),
                ("expires", ""),
                ("audience", "site"),
                ("published", "1"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    desk.post(
        "/quan-tri/thong-bao/moi",
        &[
            ("title", "Nghỉ học do bão số 5"),
            ("body", "<p>Toàn trường nghỉ.</p>"),
            ("starts", &local(now() - 7200)),
            ("audience", "site"),
            ("pinned", "1"),
            ("published", "1"),
        ],
    )
    .await;
    for path in ["/", "/tim-kiem?q=abc", "/thong-bao"] {
        let page = app.get(LQD, path).await;
        let b = block(&page);
        let pinned = b.find("Nghỉ học do bão số 5").expect("the pinned notice");
        let other = b.find("Lịch kiểm tra học kỳ I").expect("the other notice");
        assert!(pinned < other, "pinned first on {path}: {b}");
        assert!(b.contains("Ghim"));
    }
    // Another site's pages do not show them.
    assert!(
        !app.get(SO, "/")
            .await
            .body
            .contains("Lịch kiểm tra học kỳ I")
    );
    // Its page, sanitised.
    let archive = app.get(LQD, "/thong-bao").await;
    let href = archive
        .body
        .split("href=\"/thong-bao/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let page = app.get(LQD, &format!("/thong-bao/{href}")).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("<h1 class=\"page-title\">");
    page.assert_lacks("<script>x()");
    // Search finds it (toneless), as a notice.
    let found = app.get(LQD, "/tim-kiem?q=lich+kiem+tra+hoc+ky").await;
    assert!(
        found.body.contains(&format!(
            "<h2 class=\"search-title\"><a href=\"/thong-bao/{href}\">"
        )),
        "{}",
        found.body
    );
    // A notice that starts later is not shown yet, nor is a draft.
    desk.post(
        "/quan-tri/thong-bao/moi",
        &[
            ("title", "Thông báo tuần sau"),
            ("starts", &local(now() + 7 * 86_400)),
            ("audience", "site"),
            ("published", "1"),
        ],
    )
    .await;
    desk.post(
        "/quan-tri/thong-bao/moi",
        &[
            ("title", "Bản nháp chưa đăng"),
            ("starts", &start),
            ("audience", "site"),
        ],
    )
    .await;
    let home = app.get(LQD, "/").await;
    assert!(!block(&home).contains("Thông báo tuần sau"));
    assert!(!block(&home).contains("Bản nháp chưa đăng"));
    assert!(
        !app.get(LQD, "/thong-bao")
            .await
            .body
            .contains("Bản nháp chưa đăng")
    );
}

#[tokio::test]
async fn an_expired_notice_leaves_the_block_through_the_background_round() {
    let app = TestApp::demo().await;
    add_user(&app, "bientap", "lqd", Role::Editor).await;
    let desk = Desk::open(&app, LQD, "bientap").await;
    let res = desk
        .post(
            "/quan-tri/thong-bao/moi",
            &[
                ("title", "Thu học phí đến hết tuần"),
                ("starts", &local(now() - 3600)),
                ("expires", &local(now() + 86_400)),
                ("audience", "site"),
                ("published", "1"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let first = app.get(LQD, "/").await;
    assert!(block(&first).contains("Thu học phí đến hết tuần"));
    // The clock passes the expiry (the row is moved, nothing else: no content
    // change, no version bump).
    sqlx::query("UPDATE notices SET expires_at = $1 WHERE title = $2")
        .bind(now() - 1)
        .bind("Thu học phí đến hết tuần")
        .execute(app.store.db_write())
        .await
        .unwrap();
    // The background round notices it and moves the site's content version, so
    // the cached home page is made again without it.
    let version = |v: Vec<(domain::SiteId, i64)>| v.iter().map(|(_, n)| n).sum::<i64>();
    let before = version(app.store.content_versions().await.unwrap());
    app.state.tick().await.unwrap();
    assert!(version(app.store.content_versions().await.unwrap()) > before);
    let after = app.get(LQD, "/").await;
    assert_eq!(after.status, StatusCode::OK);
    assert!(
        !after.body.contains("Thu học phí đến hết tuần"),
        "{}",
        block(&after)
    );
    // It stays in the archive, marked expired;
    let archive = app.get(LQD, "/thong-bao").await;
    archive.assert_contains("Thu học phí đến hết tuần");
    archive.assert_contains("Đã hết hạn");
    // A second round changes nothing more.
    let settled = version(app.store.content_versions().await.unwrap());
    app.state.tick().await.unwrap();
    assert_eq!(
        version(app.store.content_versions().await.unwrap()),
        settled
    );
}

#[tokio::test]
async fn a_notice_to_one_kind_of_school_reaches_exactly_those_schools() {
    let app = TestApp::demo().await;
    add_user(&app, "so_bientap", "so", Role::Editor).await;
    add_user(&app, "lqd_bientap", "lqd", Role::Editor).await;
    let desk = Desk::open(&app, SO, "so_bientap").await;
    // The department's form offers the schools.
    let form = desk.get("/quan-tri/thong-bao/moi").await;
    form.assert_contains("value=\"kind:thcs\"");
    form.assert_contains("value=\"all\"");
    let res = desk
        .post(
            "/quan-tri/thong-bao/moi",
            &[
                ("title", "Tập huấn chương trình THCS mới"),
                ("body", "<p>Các trường THCS cử giáo viên dự.</p>"),
                ("starts", &local(now() - 60)),
                ("audience", "kind:thcs"),
                ("published", "1"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    // The lower-secondary school shows it, marked as the department's.
    let nd = app.get(NGUYENDU, "/").await;
    let b = block(&nd);
    assert!(b.contains("Tập huấn chương trình THCS mới"), "{b}");
    assert!(b.contains("Từ Sở Giáo dục và Đào tạo tỉnh Bình An"), "{b}");
    // The upper-secondary school does not; the department shows its own, unmarked.
    assert!(
        !app.get(LQD, "/")
            .await
            .body
            .contains("Tập huấn chương trình THCS mới")
    );
    let so = block(&app.get(SO, "/").await);
    assert!(so.contains("Tập huấn chương trình THCS mới"));
    assert!(!so.contains("Từ Sở"));
    // Its page answers on the school addressed, not on the other.
    let href = b
        .split("href=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let page = app.get(NGUYENDU, &href).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Các trường THCS cử giáo viên dự.");
    page.assert_contains("Từ Sở Giáo dục và Đào tạo tỉnh Bình An");
    assert_eq!(app.get(LQD, &href).await.status, StatusCode::NOT_FOUND);
    assert!(
        app.get(NGUYENDU, "/thong-bao")
            .await
            .body
            .contains("Tập huấn chương trình THCS mới")
    );

    // To every school: both schools.
    desk.post(
        "/quan-tri/thong-bao/moi",
        &[
            ("title", "Lịch thi học sinh giỏi cấp tỉnh"),
            ("starts", &local(now() - 60)),
            ("audience", "all"),
            ("published", "1"),
        ],
    )
    .await;
    for host in [LQD, NGUYENDU] {
        assert!(
            block(&app.get(host, "/").await).contains("Lịch nghỉ Tết Nguyên đán"),
            "{host}"
        );
    }

    // A school may not address others: refused with the form kept.
    let school = Desk::open(&app, LQD, "lqd_bientap").await;
    let form = school.get("/quan-tri/thong-bao/moi").await;
    form.assert_lacks("value=\"kind:thcs\"");
    let res = school
        .post(
            "/quan-tri/thong-bao/moi",
            &[
                ("title", "Gửi các trường khác"),
                ("starts", &local(now())),
                ("audience", "all"),
                ("published", "1"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Chỉ trang của Sở GD&#38;ĐT mới gửi được thông báo đến các trường.");
    res.assert_contains("value=\"Gửi các trường khác\"");
}

#[tokio::test]
async fn the_back_office_checks_roles_tokens_dates_and_sites() {
    let app = TestApp::demo().await;
    add_user(&app, "phongvien", "lqd", Role::Writer).await;
    add_user(&app, "bientap", "lqd", Role::Editor).await;
    add_user(&app, "nd_bientap", "nguyendu", Role::Editor).await;
    // A writer is refused.
    let writer = Desk::open(&app, LQD, "phongvien").await;
    let page = writer.get("/quan-tri/thong-bao").await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    page.assert_contains(
        "Chỉ biên tập viên và quản trị viên của trang này mới đăng được thông báo.",
    );
    let desk = Desk::open(&app, LQD, "bientap").await;
    // A wrong token is refused.
    let (content_type, body) = common::multipart(
        &[("csrf", "sai"), ("title", "X"), ("audience", "site")],
        &[],
    );
    let res = app
        .post_bytes(
            LQD,
            "/quan-tri/thong-bao/moi",
            &content_type,
            body,
            &[("cookie", &desk.cookie)],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    // An expiry before the start, a date that is no date: 422, the form as typed.
    let res = desk
        .post(
            "/quan-tri/thong-bao/moi",
            &[
                ("title", "Họp phụ huynh"),
                ("starts", "20/11/2026 08:00"),
                ("expires", "19/11/2026 08:00"),
                ("audience", "site"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Ngày hết hạn phải sau ngày bắt đầu hiển thị.");
    res.assert_contains("value=\"Họp phụ huynh\"");
    res.assert_contains("value=\"19/11/2026 08:00\"");
    let res = desk
        .post(
            "/quan-tri/thong-bao/moi",
            &[
                ("title", "Họp"),
                ("starts", "32/13/2026"),
                ("audience", "site"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Ngày bắt đầu “32/13/2026” không đọc được");
    // Saved, edited, listed; another site's editor gets 404 for its id.
    desk.post(
        "/quan-tri/thong-bao/moi",
        &[
            ("title", "Họp phụ huynh"),
            ("starts", &local(now() - 60)),
            ("audience", "site"),
            ("published", "1"),
        ],
    )
    .await;
    let list = desk.get("/quan-tri/thong-bao").await;
    list.assert_contains("Họp phụ huynh");
    list.assert_contains("Đang hiện");
    let edit = list
        .body
        .split("href=\"/quan-tri/thong-bao/")
        .filter_map(|s| s.split('"').next())
        .find(|s| s.chars().all(|c| c.is_ascii_digit()))
        .unwrap()
        .to_owned();
    let path = format!("/quan-tri/thong-bao/{edit}");
    let form = desk.get(&path).await;
    let revision = form.field("revision");
    let res = desk
        .post(
            &path,
            &[
                ("action", "luu"),
                ("revision", &revision),
                ("title", "Họp phụ huynh đầu năm"),
                ("starts", &local(now() - 60)),
                ("audience", "site"),
                ("published", "1"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert!(block(&app.get(LQD, "/").await).contains("Họp phụ huynh đầu năm"));
    // The same old revision again: someone saved since.
    let res = desk
        .post(
            &path,
            &[
                ("action", "luu"),
                ("revision", &revision),
                ("title", "Bản cũ"),
                ("starts", &local(now() - 60)),
                ("audience", "site"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    let other = Desk::open(&app, NGUYENDU, "nd_bientap").await;
    assert_eq!(other.get(&path).await.status, StatusCode::NOT_FOUND);
    // Deleted: gone from the block and the archive.
    let res = desk.post(&path, &[("action", "xoa")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(
        !app.get(LQD, "/thong-bao")
            .await
            .body
            .contains("Họp phụ huynh đầu năm")
    );
}

#[tokio::test]
async fn the_archive_varies_by_its_page_only_and_the_comment_form_is_never_kept() {
    let app = TestApp::demo().await;
    let plain = app.get(SO, "/thong-bao").await;
    assert_eq!(plain.status, StatusCode::OK);
    assert!(plain.headers.get("etag").is_some(), "the archive is kept");
    plain.assert_contains("Thu nhận hồ sơ thi giáo viên dạy giỏi cấp tỉnh");
    plain.assert_contains("Đã hết hạn");
    let kept = app.state.cache.len();
    let filtered = app.get(SO, "/thong-bao?loai=1").await;
    assert_eq!(filtered.status, StatusCode::OK);
    assert!(filtered.headers.get("etag").is_none(), "answered fresh");
    assert_eq!(app.state.cache.len(), kept, "and never stored");
    assert_eq!(
        app.get(SO, "/thong-bao?trang=2").await.status,
        StatusCode::NOT_FOUND
    );
    // The demo's draft: its page is kept; its form (a fresh challenge each time) never.
    let list = app.get(SO, "/du-thao").await;
    let href = list
        .body
        .split("href=\"/du-thao/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let page = app.get(SO, &format!("/du-thao/{href}")).await;
    assert!(page.headers.get("etag").is_some());
    page.assert_contains("Ban soạn thảo tiếp thu, sẽ bổ sung vào Điều 3.");
    let first = app.get(SO, &format!("/du-thao/{href}/gop-y")).await;
    let second = app.get(SO, &format!("/du-thao/{href}/gop-y")).await;
    assert_eq!(first.headers["cache-control"], "no-store");
    assert!(first.headers.get("etag").is_none());
    assert_ne!(first.field("thu_thach"), second.field("thu_thach"));
}

#[tokio::test]
async fn the_feed_is_valid_rss_of_the_current_notices_and_the_sitemap_lists_the_archive() {
    let app = TestApp::demo().await;
    add_user(&app, "bientap", "lqd", Role::Editor).await;
    let desk = Desk::open(&app, LQD, "bientap").await;
    for (title, starts, expires) in [
        (
            "Lịch thi học kỳ I & lịch nghỉ Tết",
            now() - 3600,
            local(now() + 86_400),
        ),
        ("Thu học phí tháng 11", now() - 7200, local(now() + 86_400)),
        ("Thông báo tuần sau", now() + 7 * 86_400, String::new()),
    ] {
        let res = desk
            .post(
                "/quan-tri/thong-bao/moi",
                &[
                    ("title", title),
                    ("body", "<p>Phụ huynh <b>lưu ý</b> &amp; theo dõi.</p>"),
                    ("starts", &local(starts)),
                    ("expires", &expires),
                    ("audience", "site"),
                    ("published", "1"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    }
    // The clock passes one expiry.
    sqlx::query("UPDATE notices SET expires_at = $1 WHERE title = $2")
        .bind(now() - 1)
        .bind("Thu học phí tháng 11")
        .execute(app.store.db_write())
        .await
        .unwrap();

    let rss = app.get(LQD, "/thong-bao/rss.xml").await;
    assert_eq!(rss.status, StatusCode::OK);
    assert!(
        rss.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/rss+xml")
    );
    let doc = roxmltree::Document::parse(&rss.body).expect("the feed is well-formed XML");
    let channel = doc
        .descendants()
        .find(|n| n.has_tag_name("channel"))
        .expect("a channel");
    let text = |n: roxmltree::Node<'_, '_>, tag: &str| {
        n.children()
            .find(|c| c.has_tag_name(tag))
            .and_then(|c| c.text())
            .unwrap_or_default()
            .to_owned()
    };
    assert_eq!(text(channel, "link"), "http://lqd.localhost/thong-bao");
    let items: Vec<(String, String, String)> = channel
        .children()
        .filter(|n| n.has_tag_name("item"))
        .map(|n| (text(n, "title"), text(n, "link"), text(n, "description")))
        .collect();
    let titles: Vec<&str> = items.iter().map(|(t, _, _)| t.as_str()).collect();
    assert!(
        titles.contains(&"Lịch thi học kỳ I & lịch nghỉ Tết"),
        "{titles:?}"
    );
    assert!(
        !titles.contains(&"Thu học phí tháng 11"),
        "expired: {titles:?}"
    );
    assert!(
        !titles.contains(&"Thông báo tuần sau"),
        "not started: {titles:?}"
    );
    let (_, link, description) = items
        .iter()
        .find(|(t, _, _)| t.starts_with("Lịch thi"))
        .unwrap();
    assert!(
        link.starts_with("http://lqd.localhost/thong-bao/"),
        "{link}"
    );
    assert_eq!(description, "Phụ huynh lưu ý & theo dõi.");
    // The link leads to the notice.
    let path = link.trim_start_matches("http://lqd.localhost");
    let page = app.get(LQD, path).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Lịch thi học kỳ I &#38; lịch nghỉ Tết");

    // The sitemap: the archive and every notice readers may open, expired too.
    let map = app.get(LQD, "/thong-bao/sitemap.xml").await;
    assert_eq!(map.status, StatusCode::OK);
    let doc = roxmltree::Document::parse(&map.body).expect("the sitemap is well-formed XML");
    let locs: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("loc"))
        .filter_map(|n| n.text())
        .collect();
    assert_eq!(locs[0], "http://lqd.localhost/thong-bao");
    assert!(locs.contains(&link.as_str()), "{locs:?}");
    assert!(
        locs.iter().any(|l| l.contains("thu-hoc-phi-thang-11")),
        "{locs:?}"
    );
    assert!(!locs.iter().any(|l| l.contains("tuan-sau")), "{locs:?}");
    // Robots and the RSS page name them.
    app.get(LQD, "/robots.txt")
        .await
        .assert_contains("Sitemap: http://lqd.localhost/thong-bao/sitemap.xml");
    app.get(LQD, "/rss")
        .await
        .assert_contains("http://lqd.localhost/thong-bao/rss.xml");
}

#[tokio::test]
async fn a_notice_carries_an_uploaded_pdf_and_a_picture_is_refused_with_the_form_kept() {
    let app = TestApp::demo().await;
    add_user(&app, "bientap", "lqd", Role::Editor).await;
    let desk = Desk::open(&app, LQD, "bientap").await;
    let start = local(now() - 3600);
    let fields = [
        ("title", "Lịch họp phụ huynh học kỳ I"),
        ("body", "<p>Họp lúc 8 giờ sáng Chủ nhật.</p>"),
        ("starts", start.as_str()),
        ("audience", "site"),
        ("published", "1"),
    ];
    // A picture is no attachment: refused, the form as typed, nothing saved.
    let png = media::testdata::png(8, 8, false);
    let res = desk
        .upload("/quan-tri/thong-bao/moi", &fields, &[("anh.png", &png)])
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    res.assert_contains(
        "anh.png: thông báo chỉ đính kèm tệp PDF, Word (DOC, DOCX) hoặc Excel (XLS, XLSX).",
    );
    res.assert_contains("value=\"Lịch họp phụ huynh học kỳ I\"");
    res.assert_contains("Họp lúc 8 giờ sáng Chủ nhật.");
    res.assert_contains(&format!("value=\"{start}\""));
    res.assert_contains("enctype=\"multipart/form-data\"");
    app.get(LQD, "/thong-bao")
        .await
        .assert_lacks("Lịch họp phụ huynh học kỳ I");

    // With a PDF: saved, linked from the notice's page, downloaded as sent.
    let pdf = media::testdata::pdf();
    let res = desk
        .upload(
            "/quan-tri/thong-bao/moi",
            &fields,
            &[("lich-hop.pdf", &pdf)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let archive = app.get(LQD, "/thong-bao").await;
    let href = archive
        .body
        .split("href=\"/thong-bao/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let page = app.get(LQD, &format!("/thong-bao/{href}")).await;
    page.assert_contains("Lịch họp phụ huynh học kỳ I");
    let file = page
        .body
        .split("<ul class=\"attachments\"><li><a href=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a link to the file")
        .to_owned();
    page.assert_contains(">lich-hop.pdf</a>");
    let got = app.get(LQD, &file).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.bytes, pdf);
    // The edit form has it chosen; saving as it is keeps it.
    let list = desk.get("/quan-tri/thong-bao").await;
    let edit = list
        .body
        .split("Lịch họp phụ huynh học kỳ I")
        .next()
        .and_then(|s| s.rsplit("href=\"/quan-tri/thong-bao/").next())
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let form = desk.get(&format!("/quan-tri/thong-bao/{edit}")).await;
    form.assert_contains("lich-hop.pdf");
    let chosen = form
        .body
        .split("name=\"tep\" type=\"checkbox\" value=\"")
        .skip(1)
        .find(|s| s.split('>').next().unwrap().contains("checked"))
        .and_then(|s| s.split('"').next())
        .expect("the file chosen")
        .to_owned();
    let mut again = fields.to_vec();
    again.push(("tep", &chosen));
    again.push(("revision", "1"));
    let res = desk
        .post(&format!("/quan-tri/thong-bao/{edit}"), &again)
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    app.get(LQD, &format!("/thong-bao/{href}"))
        .await
        .assert_contains(">lich-hop.pdf</a>");
}

#[tokio::test]
async fn a_notice_keeps_its_revisions_and_an_editor_restores_one() {
    let app = TestApp::demo().await;
    add_user(&app, "bientap", "lqd", Role::Editor).await;
    let desk = Desk::open(&app, LQD, "bientap").await;
    let start = local(now() - 3600);
    let res = desk
        .post(
            "/quan-tri/thong-bao/moi",
            &[
                ("title", "Lịch họp hội đồng sư phạm"),
                ("body", "<p>Họp lúc 14 giờ tại phòng hội đồng.</p>"),
                ("starts", &start),
                ("audience", "site"),
                ("published", "1"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let list = desk.get("/quan-tri/thong-bao").await;
    let id = list
        .body
        .split("Lịch họp hội đồng sư phạm")
        .next()
        .and_then(|s| s.rsplit("href=\"/quan-tri/thong-bao/").next())
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let edit = format!("/quan-tri/thong-bao/{id}");
    desk.get(&edit)
        .await
        .assert_contains(&format!("href=\"{edit}/phien-ban\""));
    let res = desk
        .post(
            &edit,
            &[
                ("title", "Lịch họp hội đồng sư phạm tháng 12"),
                ("body", "<p>Họp lúc 15 giờ tại phòng hội đồng.</p>"),
                ("starts", &start),
                ("audience", "site"),
                ("published", "1"),
                ("revision", "1"),
                ("action", "luu"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);

    let history = desk.get(&format!("{edit}/phien-ban")).await;
    assert_eq!(history.status, StatusCode::OK);
    history.assert_contains("Phiên bản 2</a>");
    history.assert_contains("Phiên bản 1</a>");
    history.assert_contains("Phiên bản 2 so với phiên bản 1");
    history.assert_contains("<ins>15</ins>");
    history.assert_contains("<del>14</del>");

    // Revision 1 restored: a new revision with its text.
    let res = app
        .post_form(
            LQD,
            &format!("{edit}/phien-ban/1/khoi-phuc"),
            &[("csrf", &history.field("csrf")), ("revision", "2")],
            &[("cookie", &desk.cookie)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let archive = app.get(LQD, "/thong-bao").await;
    archive.assert_contains(">Lịch họp hội đồng sư phạm</a>");
    archive.assert_lacks("tháng 12");
    let history = desk.get(&format!("{edit}/phien-ban")).await;
    history.assert_contains("Phiên bản 3</a>");
    history.assert_contains("khôi phục phiên bản 1");
    // A stale restore (opened at revision 2) saves nothing.
    let res = app
        .post_form(
            LQD,
            &format!("{edit}/phien-ban/2/khoi-phuc"),
            &[("csrf", &history.field("csrf")), ("revision", "2")],
            &[("cookie", &desk.cookie)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(
        res.location().ends_with("/phien-ban?xem=2"),
        "{}",
        res.location()
    );
    desk.get(&format!("{edit}/phien-ban"))
        .await
        .assert_lacks("Phiên bản 4</a>");
}
