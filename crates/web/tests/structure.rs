//! How a site arranges itself (issue 13): categories (create, rename with the old
//! address answering 301, reorder, hide, sub-categories, delete by moving their
//! articles), static pages with revisions, the main menu with its dropdowns, and
//! the home page's blocks; and nobody arranges another site.

mod common;

use axum::http::StatusCode;
use common::{Desk, Page, TestApp, add_user, card_links, site_and_category};
use domain::{HomeBlock, Role};

const SO: &str = "localhost";
const LQD: &str = "lqd.localhost";
const ND: &str = "nguyendu.localhost";

/// Posting the back office's forms with the session's token.
impl Desk<'_> {
    async fn send(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let csrf = self.get("/quan-tri").await.field("csrf");
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.app
            .post_form(self.host, path, &all, &[("cookie", &self.cookie)])
            .await
    }

    /// A change of the menu, naming the revision the menu page shows.
    async fn menu(&self, fields: &[(&str, &str)]) -> Page {
        let revision = self.get("/quan-tri/menu").await.field("revision");
        let mut all = vec![("revision", revision.as_str())];
        all.extend_from_slice(fields);
        self.send("/quan-tri/menu", &all).await
    }

    /// A change of the home page's blocks, naming the revision the page shows.
    async fn home(&self, fields: &[(&str, &str)]) -> Page {
        let revision = self.get("/quan-tri/trang-chu").await.field("revision");
        let mut all = vec![("revision", revision.as_str())];
        all.extend_from_slice(fields);
        self.send("/quan-tri/trang-chu", &all).await
    }
}

/// An administrator of a demo site, signed in.
async fn admin<'a>(app: &'a TestApp, host: &'a str, key: &str) -> Desk<'a> {
    let name = format!("qt.{key}");
    add_user(app, &name, key, Role::Admin).await;
    Desk::open(app, host, &name).await
}

/// The main menu of a public page: its top-level entries as (name, href), a
/// dropdown's entries as "  name" under their item; buttons as "[name]".
fn menu(page: &Page) -> Vec<String> {
    let nav = page
        .body
        .split("<ul id=\"menu-chinh\" class=\"menu-bar\">")
        .nth(1)
        .and_then(|s| s.split("</nav>").next())
        .unwrap_or_else(|| panic!("no main menu:\n{}", page.body));
    let mut out = Vec::new();
    let mut depth = 0;
    let mut rest = nav;
    while let Some(at) = rest.find('<') {
        rest = &rest[at..];
        if rest.starts_with("<ul") {
            depth += 1;
        } else if rest.starts_with("</ul") {
            depth -= 1;
        } else if rest.starts_with("<a ") || rest.starts_with("<button") {
            let tag_end = rest.find('>').unwrap();
            let text_end = rest[tag_end..].find("</").unwrap() + tag_end;
            let text = &rest[tag_end + 1..text_end];
            let indent = if depth > 0 { "  " } else { "" };
            if rest.starts_with("<a ") {
                let href = rest
                    .split("href=\"")
                    .nth(1)
                    .unwrap()
                    .split('"')
                    .next()
                    .unwrap();
                out.push(format!("{indent}{text} {href}"));
            } else if !text.is_empty() {
                out.push(format!("{indent}[{text}]"));
            }
        }
        rest = &rest[1..];
    }
    out
}

/// The main menu of a site's home page.
async fn nav(app: &TestApp, host: &str) -> Vec<String> {
    menu(&app.get(host, "/").await)
}

/// Whether a site's menu has an entry with `text` (a name or an address).
async fn in_menu(app: &TestApp, host: &str, text: &str) -> bool {
    nav(app, host).await.iter().any(|m| m.contains(text))
}

/// A form that was taken: the browser is sent on.
#[track_caller]
fn done(res: &Page) {
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
}

#[tokio::test]
async fn categories_are_created_renamed_reordered_and_hidden() {
    let app = TestApp::demo().await;
    let nd = admin(&app, ND, "nguyendu").await;
    // A school keeps the default menu: its categories, then the exam lookup.
    assert_eq!(
        nav(&app, ND).await,
        [
            "Trang chủ /",
            "Tin hoạt động /tin-tuc/tin-hoat-dong",
            "Liên đội /tin-tuc/lien-doi",
            "Hoạt động chuyên môn /tin-tuc/chuyen-mon",
            "Cha mẹ học sinh /tin-tuc/cha-me-hoc-sinh",
            "Tra cứu điểm thi /tra-cuu-diem-thi",
            "Hỏi đáp /hoi-dap",
        ]
    );

    // A new category: last in the menu, its page describes it to search engines.
    let res = nd
        .send(
            "/quan-tri/chuyen-muc",
            &[
                ("name", "Góc  tư vấn tâm lý"),
                ("slug", ""),
                ("parent", ""),
                ("description", "Lời khuyên của tổ tư vấn tâm lý học đường."),
            ],
        )
        .await;
    done(&res);
    let list = nd.get(res.location()).await;
    list.assert_contains("Đã thêm chuyên mục “Góc tư vấn tâm lý”.");
    assert_eq!(
        nav(&app, ND).await[5],
        "Góc tư vấn tâm lý /tin-tuc/goc-tu-van-tam-ly"
    );
    let page = app.get(ND, "/tin-tuc/goc-tu-van-tam-ly").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains(
        "<meta name=\"description\" content=\"Lời khuyên của tổ tư vấn tâm lý học đường.\">",
    );
    page.assert_contains("Chuyên mục này chưa có bài viết.");

    // A name that is taken as an address is refused, with what was typed kept.
    let taken = nd
        .send(
            "/quan-tri/chuyen-muc",
            &[("name", "Liên đội mới"), ("slug", "lien-doi")],
        )
        .await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    taken.assert_contains("Đường dẫn “lien-doi” đã có chuyên mục khác dùng");
    taken.assert_contains("value=\"Liên đội mới\"");

    // Renamed, with a new address: the old one answers 301, its articles too.
    let (_, parents) = site_and_category(&app, "nguyendu", "cha-me-hoc-sinh").await;
    let old_articles = card_links(&app.get(ND, "/tin-tuc/cha-me-hoc-sinh").await);
    assert!(!old_articles.is_empty());
    let res = nd
        .send(
            &format!("/quan-tri/chuyen-muc/{parents}"),
            &[
                ("name", "Góc phụ huynh"),
                ("slug", "goc-phu-huynh"),
                ("parent", ""),
                ("description", ""),
            ],
        )
        .await;
    done(&res);
    let moved = app.get(ND, "/tin-tuc/cha-me-hoc-sinh").await;
    assert_eq!(moved.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(moved.location(), "/tin-tuc/goc-phu-huynh");
    assert_eq!(
        app.get(ND, "/tin-tuc/cha-me-hoc-sinh?trang=2")
            .await
            .location(),
        "/tin-tuc/goc-phu-huynh?trang=2"
    );
    for old in &old_articles {
        let res = app.get(ND, old).await;
        assert_eq!(res.status, StatusCode::MOVED_PERMANENTLY, "{old}");
        let new = res.location().to_owned();
        assert!(new.starts_with("/tin-tuc/goc-phu-huynh/"), "{new}");
        assert_eq!(app.get(ND, &new).await.status, StatusCode::OK, "{new}");
    }
    assert_eq!(
        nav(&app, ND).await[4],
        "Góc phụ huynh /tin-tuc/goc-phu-huynh"
    );

    // Up and down among its siblings.
    let (_, pro) = site_and_category(&app, "nguyendu", "chuyen-mon").await;
    let res = nd
        .send(
            &format!("/quan-tri/chuyen-muc/{pro}/thu-tu"),
            &[("huong", "len")],
        )
        .await;
    done(&res);
    nd.get(res.location())
        .await
        .assert_contains("Đã đổi thứ tự: “Hoạt động chuyên môn”.");
    let order = nav(&app, ND).await;
    assert_eq!(
        order[1..4],
        [
            "Tin hoạt động /tin-tuc/tin-hoat-dong",
            "Hoạt động chuyên môn /tin-tuc/chuyen-mon",
            "Liên đội /tin-tuc/lien-doi",
        ]
    );

    // Hidden from the menu, its page still open to readers.
    let (_, team) = site_and_category(&app, "nguyendu", "lien-doi").await;
    let res = nd
        .send(
            &format!("/quan-tri/chuyen-muc/{team}"),
            &[("name", "Liên đội"), ("slug", "lien-doi"), ("hidden", "1")],
        )
        .await;
    done(&res);
    assert!(!in_menu(&app, ND, "lien-doi").await);
    assert_eq!(
        app.get(ND, "/tin-tuc/lien-doi").await.status,
        StatusCode::OK
    );
    nd.get("/quan-tri/chuyen-muc")
        .await
        .assert_contains("Liên đội <span class=\"hint\">(ẩn khỏi menu)</span>");
    // The article editor still offers it.
    nd.get("/quan-tri/bai-viet/moi")
        .await
        .assert_contains(&format!("<option value=\"{team}\">Liên đội</option>"));
}

#[tokio::test]
async fn a_sub_category_sits_in_its_parents_dropdown_and_page() {
    let app = TestApp::demo().await;
    let nd = admin(&app, ND, "nguyendu").await;
    let (_, news) = site_and_category(&app, "nguyendu", "tin-hoat-dong").await;
    let (_, pro) = site_and_category(&app, "nguyendu", "chuyen-mon").await;
    let before = card_links(&app.get(ND, "/tin-tuc/chuyen-mon").await);
    assert!(!before.is_empty());
    // "Hoạt động chuyên môn" goes under "Tin hoạt động".
    let res = nd
        .send(
            &format!("/quan-tri/chuyen-muc/{pro}"),
            &[
                ("name", "Hoạt động chuyên môn"),
                ("slug", "chuyen-mon"),
                ("parent", &news.to_string()),
            ],
        )
        .await;
    done(&res);
    let home = app.get(ND, "/").await;
    assert_eq!(
        menu(&home)[1..4],
        [
            "Tin hoạt động /tin-tuc/tin-hoat-dong",
            "  Hoạt động chuyên môn /tin-tuc/chuyen-mon",
            "Liên đội /tin-tuc/lien-doi",
        ]
    );
    home.assert_contains(
        "<button type=\"button\" class=\"sub-toggle\" aria-expanded=\"false\" aria-controls=\"menu-con-0\" aria-label=\"Tin hoạt động: các mục con\" hidden></button>",
    );
    // The parent's page lists the sub-category and its articles; the
    // sub-category's page names its parent.
    let parent = app.get(ND, "/tin-tuc/tin-hoat-dong").await;
    parent.assert_contains("<nav class=\"sub-categories\" aria-label=\"Chuyên mục con của Tin hoạt động\"><ul><li><a href=\"/tin-tuc/chuyen-mon\">Hoạt động chuyên môn</a></li></ul></nav>");
    let mut all = card_links(&parent);
    let mut page = 2;
    loop {
        let next = app
            .get(ND, &format!("/tin-tuc/tin-hoat-dong?trang={page}"))
            .await;
        if next.status != StatusCode::OK {
            break;
        }
        all.extend(card_links(&next));
        page += 1;
    }
    for a in &before {
        assert!(all.contains(a), "{a} is not on the parent's pages");
    }
    app.get(ND, "/tin-tuc/chuyen-mon").await.assert_contains(
        "<li><a href=\"/tin-tuc/tin-hoat-dong\">Tin hoạt động</a></li><li><a href=\"/tin-tuc/chuyen-mon\" aria-current=\"page\">Hoạt động chuyên môn</a></li>",
    );

    // One level only: a sub-category cannot take one, nor can a parent go under another.
    let (_, team) = site_and_category(&app, "nguyendu", "lien-doi").await;
    let res = nd
        .send(
            &format!("/quan-tri/chuyen-muc/{team}"),
            &[
                ("name", "Liên đội"),
                ("slug", "lien-doi"),
                ("parent", &pro.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Chuyên mục cha phải là một chuyên mục cấp trên cùng khác của trang này.");
    let res = nd
        .send(
            &format!("/quan-tri/chuyen-muc/{news}"),
            &[
                ("name", "Tin hoạt động"),
                ("slug", "tin-hoat-dong"),
                ("parent", &team.to_string()),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains(
        "“Tin hoạt động” đang có chuyên mục con nên không thể nằm dưới chuyên mục khác",
    );
    // Nor does a parent with a sub-category go before moving it.
    let res = nd
        .send(
            &format!("/quan-tri/chuyen-muc/{news}/xoa"),
            &[("chuyen_sang", &team.to_string())],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Chuyên mục này còn chuyên mục con");
    assert_eq!(
        app.get(ND, "/tin-tuc/tin-hoat-dong").await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn deleting_a_category_moves_its_articles_and_keeps_them_reachable() {
    let app = TestApp::demo().await;
    let nd = admin(&app, ND, "nguyendu").await;
    let (_, pro) = site_and_category(&app, "nguyendu", "chuyen-mon").await;
    let (_, news) = site_and_category(&app, "nguyendu", "tin-hoat-dong").await;
    let articles = card_links(&app.get(ND, "/tin-tuc/chuyen-mon").await);
    assert!(!articles.is_empty());
    let news_before = app
        .store
        .category_article_counts(site_and_category(&app, "nguyendu", "tin-hoat-dong").await.0)
        .await
        .unwrap();
    let count = |list: &[(domain::CategoryId, i64)], c| {
        list.iter().find(|(id, _)| *id == c).map_or(0, |(_, n)| *n)
    };

    let form = nd.get(&format!("/quan-tri/chuyen-muc/{pro}/xoa")).await;
    form.assert_contains(
        "<label for=\"chuyen-sang\">Chuyển các bài viết sang chuyên mục …</label>",
    );
    // Without a category to take the articles, nothing happens.
    let res = nd
        .send(
            &format!("/quan-tri/chuyen-muc/{pro}/xoa"),
            &[("chuyen_sang", "")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Hãy chọn chuyên mục nhận các bài viết của chuyên mục này.");
    assert_eq!(
        app.get(ND, "/tin-tuc/chuyen-mon").await.status,
        StatusCode::OK
    );

    let res = nd
        .send(
            &format!("/quan-tri/chuyen-muc/{pro}/xoa"),
            &[("chuyen_sang", &news.to_string())],
        )
        .await;
    done(&res);
    nd.get(res.location())
        .await
        .assert_contains("Đã xoá chuyên mục.");
    // Every article is still there, at its new address.
    for old in &articles {
        let res = app.get(ND, old).await;
        assert_eq!(res.status, StatusCode::MOVED_PERMANENTLY, "{old}");
        assert!(
            res.location().starts_with("/tin-tuc/tin-hoat-dong/"),
            "{}",
            res.location()
        );
        let page = app.get(ND, res.location()).await;
        assert_eq!(page.status, StatusCode::OK);
        page.assert_contains("<a href=\"/tin-tuc/tin-hoat-dong\">Tin hoạt động</a>");
    }
    let after = app
        .store
        .category_article_counts(site_and_category(&app, "nguyendu", "tin-hoat-dong").await.0)
        .await
        .unwrap();
    assert_eq!(
        count(&after, news),
        count(&news_before, news) + count(&news_before, pro)
    );
    // The category's own address leads to where its articles went.
    let old = app.get(ND, "/tin-tuc/chuyen-mon").await;
    assert_eq!(old.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(old.location(), "/tin-tuc/tin-hoat-dong");
    assert!(!in_menu(&app, ND, "chuyen-mon").await);
    // The audit log says what happened.
    nd.get("/quan-tri/nhat-ky")
        .await
        .assert_contains("xoá chuyên mục");

    // A category without articles goes at once.
    let res = nd
        .send("/quan-tri/chuyen-muc", &[("name", "Tạm thời")])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let id = res
        .location()
        .split("muc=")
        .nth(1)
        .unwrap()
        .split('#')
        .next()
        .unwrap()
        .to_owned();
    let res = nd
        .send(&format!("/quan-tri/chuyen-muc/{id}/xoa"), &[])
        .await;
    done(&res);
    assert_eq!(
        app.get(ND, "/tin-tuc/tam-thoi").await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn nobody_arranges_another_site() {
    let app = TestApp::demo().await;
    let lqd = admin(&app, LQD, "lqd").await;
    // The school's session sent to the department's host: there it is nobody.
    let elsewhere = Desk {
        app: &app,
        host: SO,
        cookie: lqd.cookie.clone(),
    };
    let csrf = lqd.get("/quan-tri").await.field("csrf");
    for path in [
        "/quan-tri/chuyen-muc",
        "/quan-tri/trang",
        "/quan-tri/menu",
        "/quan-tri/trang-chu",
    ] {
        assert_eq!(
            elsewhere.get(path).await.status,
            StatusCode::FORBIDDEN,
            "{path}"
        );
    }
    for path in [
        "/quan-tri/chuyen-muc",
        "/quan-tri/trang/moi",
        "/quan-tri/menu",
        "/quan-tri/trang-chu",
    ] {
        let res = app
            .post_form(
                SO,
                path,
                &[
                    ("csrf", &csrf),
                    ("name", "Bị đổi"),
                    ("title", "Bị đổi"),
                    ("action", "mac-dinh"),
                    ("revision", "0"),
                ],
                &[("cookie", &lqd.cookie)],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "POST {path}");
    }
    // On its own host, the department's categories and pages are not found.
    let (_, so_cat) = site_and_category(&app, "so", "van-phong").await;
    let so_page = app
        .store
        .page_links(site_and_category(&app, "so", "van-phong").await.0)
        .await
        .unwrap()[0]
        .id;
    assert_eq!(
        lqd.get(&format!("/quan-tri/chuyen-muc/{so_cat}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    for (path, fields) in [
        (
            format!("/quan-tri/chuyen-muc/{so_cat}"),
            vec![("name", "Bị đổi")],
        ),
        (
            format!("/quan-tri/chuyen-muc/{so_cat}/thu-tu"),
            vec![("huong", "len")],
        ),
        (format!("/quan-tri/chuyen-muc/{so_cat}/xoa"), vec![]),
        (
            format!("/quan-tri/trang/{so_page}"),
            vec![("action", "xoa")],
        ),
    ] {
        let res = lqd.send(&path, &fields).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(
        lqd.get(&format!("/quan-tri/trang/{so_page}")).await.status,
        StatusCode::NOT_FOUND
    );
    // Nor may it be the parent of one of the school's own.
    let res = lqd
        .send(
            "/quan-tri/chuyen-muc",
            &[("name", "Con của Sở"), ("parent", &so_cat.to_string())],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    // The department's menu leads nowhere new.
    let so_home = app.get(SO, "/").await;
    so_home.assert_contains("<a href=\"/tin-tuc/van-phong\">Văn phòng</a>");
    so_home.assert_lacks("Bị đổi");
    assert_eq!(app.get(SO, "/trang/lien-he").await.status, StatusCode::OK);

    // A writer of the site itself is refused too: arranging is the administrators' work.
    add_user(&app, "gv.so", "so", Role::Writer).await;
    let writer = Desk::open(&app, SO, "gv.so").await;
    for path in [
        "/quan-tri/chuyen-muc",
        "/quan-tri/trang",
        "/quan-tri/menu",
        "/quan-tri/trang-chu",
    ] {
        let res = writer.get(path).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{path}");
        res.assert_contains("Chỉ quản trị viên của trang này mới làm được việc này.");
    }
    // And a form without the session's token changes nothing.
    let so = admin(&app, SO, "so").await;
    let res = app
        .post_form(
            SO,
            "/quan-tri/chuyen-muc",
            &[("csrf", "sai"), ("name", "Giả mạo")],
            &[("cookie", &so.cookie)],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    res.assert_contains("Biểu mẫu đã hết hạn hoặc không hợp lệ");
}

#[tokio::test]
async fn a_static_page_is_written_revised_and_restored() {
    let app = TestApp::demo().await;
    let so = admin(&app, SO, "so").await;
    // The editor is the articles' one.
    let form = so.get("/quan-tri/trang/moi").await;
    form.assert_contains("<textarea id=\"noi-dung-bai\" name=\"body\" rows=\"18\" class=\"wide editor-source\" data-editor>");
    form.assert_contains("/static/quill.");

    let res = so
        .send(
            "/quan-tri/trang/moi",
            &[
                ("action", "luu"),
                ("title", "Tuyển dụng viên chức"),
                ("slug", ""),
                ("description", "Thông báo tuyển dụng viên chức năm 2026."),
                (
                    "body",
                    "<p>Sở tuyển 40 giáo viên.</p><script>alert(1)</script>",
                ),
                ("published", "1"),
            ],
        )
        .await;
    done(&res);
    let edit_url = res.location().split('?').next().unwrap().to_owned();
    let page = app.get(SO, "/trang/tuyen-dung-vien-chuc").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("<h1 class=\"page-title\">Tuyển dụng viên chức</h1>");
    page.assert_contains("<p>Sở tuyển 40 giáo viên.</p>");
    page.assert_lacks("alert(1)");
    page.assert_contains(
        "<meta name=\"description\" content=\"Thông báo tuyển dụng viên chức năm 2026.\">",
    );
    // Public, so the page cache keeps it.
    assert!(
        page.headers
            .get("cache-control")
            .is_none_or(|v| v != "no-store")
    );

    // A second version, with a new address.
    let opened = so.get(&edit_url).await;
    let revision = opened.field("revision");
    let res = so
        .send(
            &edit_url,
            &[
                ("action", "luu"),
                ("revision", &revision),
                ("title", "Tuyển dụng viên chức năm 2026"),
                ("slug", "tuyen-dung"),
                ("description", ""),
                ("body", "<p>Sở tuyển 45 giáo viên.</p>"),
                ("published", "1"),
            ],
        )
        .await;
    done(&res);
    let old = app.get(SO, "/trang/tuyen-dung-vien-chuc").await;
    assert_eq!(old.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(old.location(), "/trang/tuyen-dung");
    app.get(SO, "/trang/tuyen-dung")
        .await
        .assert_contains("<p>Sở tuyển 45 giáo viên.</p>");

    // A save from the first version's form is refused, the text kept.
    let stale = so
        .send(
            &edit_url,
            &[
                ("action", "luu"),
                ("revision", &revision),
                ("title", "Bản cũ"),
                ("body", "<p>Sở tuyển 50 giáo viên.</p>"),
                ("published", "1"),
            ],
        )
        .await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
    stale.assert_contains("Thay đổi của bạn CHƯA được lưu");
    stale.assert_contains("value=\"Bản cũ\"");
    app.get(SO, "/trang/tuyen-dung")
        .await
        .assert_contains("45 giáo viên");

    // The history shows both versions and what changed.
    let history = so.get(&format!("{edit_url}/phien-ban")).await;
    assert_eq!(history.status, StatusCode::OK);
    history.assert_contains("Phiên bản 2 so với phiên bản 1");
    history.assert_contains(
        "<span>Sở tuyển </span><del>40</del><ins>45</ins><span> giáo viên.</span>",
    );
    history.assert_contains("Quay lại sửa trang");
    history.assert_contains("tạo trang");
    // Restoring the first one makes a third version with its text and address.
    let res = so
        .send(
            &format!("{edit_url}/phien-ban/1/khoi-phuc"),
            &[("revision", "2")],
        )
        .await;
    done(&res);
    let back = app.get(SO, "/trang/tuyen-dung-vien-chuc").await;
    assert_eq!(back.status, StatusCode::OK);
    back.assert_contains("<p>Sở tuyển 40 giáo viên.</p>");
    assert_eq!(
        app.get(SO, "/trang/tuyen-dung").await.location(),
        "/trang/tuyen-dung-vien-chuc"
    );
    so.get(&format!("{edit_url}/phien-ban"))
        .await
        .assert_contains("khôi phục phiên bản 1");

    // A draft is the back office's only; deleted, it is gone.
    let revision = so.get(&edit_url).await.field("revision");
    let res = so
        .send(
            &edit_url,
            &[
                ("action", "luu"),
                ("revision", &revision),
                ("title", "Tuyển dụng viên chức"),
                ("body", "<p>Nháp.</p>"),
            ],
        )
        .await;
    done(&res);
    assert_eq!(
        app.get(SO, "/trang/tuyen-dung-vien-chuc").await.status,
        StatusCode::NOT_FOUND
    );
    so.get("/quan-tri/trang")
        .await
        .assert_contains("Bản nháp (bạn đọc chưa thấy)");
    let res = so.send(&edit_url, &[("action", "xoa")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(so.get(&edit_url).await.status, StatusCode::NOT_FOUND);
    // A page needs a title.
    let res = so
        .send("/quan-tri/trang/moi", &[("action", "luu"), ("title", " ")])
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Vui lòng nhập tiêu đề trang.");
}

#[tokio::test]
async fn the_department_shows_its_menu_with_dropdowns() {
    let app = TestApp::demo().await;
    let home = app.get(SO, "/").await;
    assert_eq!(
        menu(&home),
        [
            "Trang chủ /",
            "Giới thiệu /trang/gioi-thieu",
            "  Lịch sử /trang/lich-su",
            "  Cơ cấu tổ chức /trang/co-cau-to-chuc",
            "  Sơ đồ cổng thông tin /trang/so-do-cong",
            "Tin tức /tin-tuc/tin-tuc-su-kien",
            "  Tin giáo dục /tin-tuc/tin-giao-duc",
            "  Tin các trường /tin-tuc/tin-cac-truong",
            "  Hoạt động của Sở /tin-tuc/hoat-dong-cua-so",
            "  Thi đua – Khen thưởng /tin-tuc/thi-dua-khen-thuong",
            "Khảo thí – Kiểm định /tin-tuc/khao-thi",
            "Văn phòng /tin-tuc/van-phong",
            "Tra cứu điểm thi /tra-cuu-diem-thi",
            "Liên hệ /trang/lien-he",
        ]
    );
    // The dropdown's button names its list; the small screens' button the menu.
    home.assert_contains("<button type=\"button\" class=\"menu-toggle\" aria-expanded=\"false\" aria-controls=\"menu-chinh\" hidden>☰ Danh mục</button>");
    home.assert_contains("aria-controls=\"menu-con-1\" aria-label=\"Tin tức: các mục con\" hidden></button>\n        <ul id=\"menu-con-1\" class=\"submenu\">");
    // A page in a dropdown marks itself and its section.
    let page = app.get(SO, "/trang/lich-su").await;
    page.assert_contains(
        "<li class=\"has-sub in-section\"><a href=\"/trang/gioi-thieu\">Giới thiệu</a>",
    );
    page.assert_contains("<li><a href=\"/trang/lich-su\" aria-current=\"page\">Lịch sử</a></li>");
    page.assert_contains("Ngành Giáo dục tỉnh Bình An hình thành");
}

#[tokio::test]
async fn an_administrator_arranges_the_menu() {
    let app = TestApp::demo().await;
    let nd = admin(&app, ND, "nguyendu").await;
    // A page to put in the menu.
    let res = nd
        .send(
            "/quan-tri/trang/moi",
            &[
                ("action", "luu"),
                ("title", "Lịch sử nhà trường"),
                ("body", "<p>Thành lập năm 1978.</p>"),
                ("published", "1"),
            ],
        )
        .await;
    done(&res);
    let page_id = res
        .location()
        .trim_start_matches("/quan-tri/trang/")
        .split('?')
        .next()
        .unwrap()
        .to_owned();
    let form = nd.get("/quan-tri/menu").await;
    form.assert_contains("Trang đang dùng menu mặc định");
    form.assert_contains(&format!(
        "<option value=\"trang|{page_id}\">Lịch sử nhà trường</option>"
    ));
    form.assert_contains("<option value=\"chuc-nang|tim-kiem\">Tìm kiếm</option>");

    // On the bar, then a link in its dropdown.
    let res = nd
        .menu(&[
            ("action", "them"),
            ("target", &format!("trang|{page_id}")),
            ("label", "Giới thiệu"),
            ("parent", ""),
        ])
        .await;
    done(&res);
    let res = nd
        .menu(&[
            ("action", "them"),
            ("target", "lien-ket|"),
            ("label", "Bộ Giáo dục và Đào tạo"),
            ("url", "https://moet.gov.vn"),
            ("parent", "6"),
        ])
        .await;
    done(&res);
    let shown = nav(&app, ND).await;
    assert_eq!(
        shown[7..],
        [
            "Giới thiệu /trang/lich-su-nha-truong",
            "  Bộ Giáo dục và Đào tạo https://moet.gov.vn",
        ],
        "{shown:?}"
    );
    // Up to the front, the link out of the dropdown and then removed.
    for at in (1..=6).rev() {
        let res = nd.menu(&[("action", "len"), ("at", &at.to_string())]).await;
        done(&res);
    }
    let shown = nav(&app, ND).await;
    assert!(shown[1].starts_with("Giới thiệu"), "{shown:?}");
    assert_eq!(shown[2], "  Bộ Giáo dục và Đào tạo https://moet.gov.vn");
    let res = nd.menu(&[("action", "ra"), ("at", "0.0")]).await;
    done(&res);
    assert_eq!(
        nav(&app, ND).await[2],
        "Bộ Giáo dục và Đào tạo https://moet.gov.vn"
    );
    let res = nd
        .menu(&[("action", "doi-ten"), ("at", "1"), ("label", "Bộ GD&ĐT")])
        .await;
    done(&res);
    app.get(ND, "/")
        .await
        .assert_contains("<a href=\"https://moet.gov.vn\">Bộ GD&#38;ĐT</a>");
    let res = nd.menu(&[("action", "xoa"), ("at", "1")]).await;
    done(&res);
    app.get(ND, "/").await.assert_lacks("moet.gov.vn\">");
    nd.get("/quan-tri/nhat-ky")
        .await
        .assert_contains("sửa menu");

    // What makes no sense is refused and explained.
    for (fields, message) in [
        (
            vec![
                ("action", "them"),
                ("target", "lien-ket|"),
                ("label", "Lạ"),
                ("url", "javascript:alert(1)"),
            ],
            "phải bắt đầu bằng http://, https:// hoặc /",
        ),
        (
            vec![("action", "them"), ("target", "nhom|"), ("label", "")],
            "Nhóm cần có tên hiển thị",
        ),
        (
            vec![("action", "them"), ("target", "trang|999999")],
            "Hãy chọn nơi mục menu dẫn đến.",
        ),
        (vec![("action", "len"), ("at", "0")], "Mục này đã ở đầu."),
        (
            vec![("action", "vao"), ("at", "0")],
            "Mục đầu tiên không có mục nào phía trên",
        ),
    ] {
        let res = nd.menu(&fields).await;
        assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{fields:?}");
        res.assert_contains(message);
    }
    // A change made from a page opened before someone else's is refused.
    let stale = nd
        .send(
            "/quan-tri/menu",
            &[("revision", "1"), ("action", "xoa"), ("at", "0")],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    stale.assert_contains("Menu vừa được người khác sửa");

    // A hidden category leaves the arranged menu too; a deleted page as well.
    let (_, team) = site_and_category(&app, "nguyendu", "lien-doi").await;
    let res = nd
        .send(
            &format!("/quan-tri/chuyen-muc/{team}"),
            &[("name", "Liên đội"), ("slug", "lien-doi"), ("hidden", "1")],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(!in_menu(&app, ND, "lien-doi").await);
    nd.get("/quan-tri/menu")
        .await
        .assert_contains("nơi mục này dẫn đến không còn");
    let res = nd
        .send(&format!("/quan-tri/trang/{page_id}"), &[("action", "xoa")])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(!in_menu(&app, ND, "Giới thiệu").await);

    // Back to the default: the categories shown, and the lookup.
    let res = nd.menu(&[("action", "mac-dinh")]).await;
    done(&res);
    assert_eq!(
        nav(&app, ND).await,
        [
            "Trang chủ /",
            "Tin hoạt động /tin-tuc/tin-hoat-dong",
            "Hoạt động chuyên môn /tin-tuc/chuyen-mon",
            "Cha mẹ học sinh /tin-tuc/cha-me-hoc-sinh",
            "Tra cứu điểm thi /tra-cuu-diem-thi",
            "Hỏi đáp /hoi-dap",
        ]
    );
}

/// The titles of the home page's blocks, in order.
fn blocks(page: &Page) -> Vec<String> {
    page.body
        .split("class=\"block-title\">")
        .skip(1)
        .map(|s| {
            let s = s.split("</h2>").next().unwrap();
            let text: String = s
                .split('<')
                .map(|p| p.split('>').next_back().unwrap())
                .collect();
            text.trim().to_owned()
        })
        .collect()
}

#[tokio::test]
async fn home_blocks_are_chosen_and_reordered() {
    let app = TestApp::demo().await;
    let nd = admin(&app, ND, "nguyendu").await;
    let before = blocks(&app.get(ND, "/").await);
    // Today's home page: the featured news, then each category.
    assert_eq!(
        before[1..],
        [
            "Tin hoạt động",
            "Liên đội",
            "Hoạt động chuyên môn",
            "Cha mẹ học sinh"
        ]
    );
    let form = nd.get("/quan-tri/trang-chu").await;
    form.assert_contains("Trang đang dùng trang chủ mặc định");
    form.assert_contains("<option value=\"moi-nhat|\">Tin mới nhất</option>");
    form.assert_contains("<option value=\"thong-ke|\">Thống kê truy cập</option>");

    // "Tin mới nhất" added, then moved to the top; a category's block taken away.
    let res = nd.home(&[("action", "them"), ("block", "moi-nhat|")]).await;
    done(&res);
    assert_eq!(
        blocks(&app.get(ND, "/").await).last().unwrap(),
        "Tin mới nhất"
    );
    // Past the default blocks: "Thời tiết" (empty here, so not shown) is the last.
    for at in (1..=6).rev() {
        let res = nd.home(&[("action", "len"), ("at", &at.to_string())]).await;
        done(&res);
    }
    let res = nd.home(&[("action", "xoa"), ("at", "3")]).await;
    done(&res);
    let res = nd.home(&[("action", "them"), ("block", "lien-ket|")]).await;
    done(&res);
    let home = app.get(ND, "/").await;
    assert_eq!(
        blocks(&home),
        [
            "Tin mới nhất",
            before[0].as_str(),
            "Tin hoạt động",
            "Hoạt động chuyên môn",
            "Cha mẹ học sinh",
            "Liên kết website"
        ]
    );
    // The block is the links feature's now: the department's shared links, with
    // their logos, opening in a new tab.
    home.assert_contains(
        "<a href=\"https://moet.gov.vn\" target=\"_blank\" rel=\"noopener\"><img src=\"/media/demo/so/lien-ket-1.png\"",
    );
    home.assert_contains("<span>Bộ Giáo dục và Đào tạo</span>");
    nd.get("/quan-tri/nhat-ky")
        .await
        .assert_contains("sắp xếp trang chủ");

    // The same block twice is refused; so is a stale list.
    let res = nd.home(&[("action", "them"), ("block", "moi-nhat|")]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Khối “Tin mới nhất” đã có trên trang chủ.");
    let res = nd
        .send(
            "/quan-tri/trang-chu",
            &[("revision", "0"), ("action", "xoa"), ("at", "0")],
        )
        .await;
    assert_eq!(res.status, StatusCode::CONFLICT);
    res.assert_contains("Trang chủ vừa được người khác sắp xếp lại");

    // A block of a kind no longer offered is skipped.
    let site = site_and_category(&app, "nguyendu", "lien-doi").await.0;
    let stored = app.store.home_blocks(site).await.unwrap();
    let mut list = stored.items.unwrap();
    list.insert(
        0,
        HomeBlock {
            kind: "album-anh".into(),
            setting: "3".into(),
        },
    );
    app.store
        .save_home_blocks(
            site,
            stored.revision,
            Some(&list),
            None,
            String::new(),
            common::now(),
        )
        .await
        .unwrap();
    app.state.content_changed().await.unwrap();
    let home = app.get(ND, "/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert_eq!(blocks(&home)[0], "Tin mới nhất");
    nd.get("/quan-tri/trang-chu")
        .await
        .assert_contains("Khối “album-anh” không còn dùng được");

    // Back to the default.
    let res = nd.home(&[("action", "mac-dinh")]).await;
    done(&res);
    assert_eq!(blocks(&app.get(ND, "/").await), before);
}
