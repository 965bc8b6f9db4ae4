//! Image links ("Liên kết website", "Ảnh liên kết"): the department's shared set on
//! every school's site with the school's own, links only inside their dates, the
//! back office (logo upload, dates, order, hiding a shared link), and who may.

mod common;

use axum::http::StatusCode;
use common::{Desk, Page, TestApp, add_user, multipart, now};
use domain::Role;

const SO: &str = "localhost";
const LQD: &str = "lqd.localhost";
const ND: &str = "nguyendu.localhost";

/// The side block of a page: the links' names in order.
fn side_links(page: &Page) -> Vec<String> {
    let Some(start) = page.body.find("<section class=\"side-block links-side\"") else {
        return Vec::new();
    };
    let block = &page.body[start..];
    let block = &block[..block.find("</section>").unwrap()];
    block
        .split("<span>")
        .skip(1)
        .map(|s| s[..s.find("</span>").unwrap()].to_owned())
        .collect()
}

fn png(width: u32, height: u32) -> Vec<u8> {
    let img = image::RgbImage::from_pixel(width, height, image::Rgb([10, 90, 160]));
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

impl Desk<'_> {
    /// Sends the link form (multipart, the token first) with `fields` and a logo.
    async fn send_link(&self, path: &str, fields: &[(&str, &str)], logo: Option<&[u8]>) -> Page {
        let csrf = self.get("/quan-tri/lien-ket/moi").await.field("csrf");
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        let files: Vec<(&str, &[u8])> = logo.map(|b| ("logo.png", b)).into_iter().collect();
        let (ct, body) = multipart(&all, &files);
        self.app
            .post_bytes(self.host, path, &ct, body, &[("cookie", &self.cookie)])
            .await
    }

    /// Presses a button of the list.
    async fn act(&self, action: &str, id: i64) -> Page {
        let csrf = self.get("/quan-tri/lien-ket").await.field("csrf");
        self.app
            .post_form(
                self.host,
                "/quan-tri/lien-ket",
                &[("csrf", &csrf), ("action", action), ("id", &id.to_string())],
                &[("cookie", &self.cookie)],
            )
            .await
    }
}

async fn site_id(app: &TestApp, key: &str) -> domain::SiteId {
    app.state.sites.by_key(key).unwrap().site.id
}

#[tokio::test]
async fn the_departments_shared_links_show_on_every_school_before_its_own() {
    let app = TestApp::demo().await;
    let shared = [
        "Bộ Giáo dục và Đào tạo",
        "Cổng Dịch vụ công quốc gia",
        "Cơ sở dữ liệu ngành Giáo dục",
        "Ủy ban nhân dân tỉnh Bình An",
    ];
    let so = app.get(SO, "/").await;
    assert_eq!(
        side_links(&so),
        [
            &shared[..],
            &["Trường THPT Chuyên Lê Quý Đôn", "Trường THCS Nguyễn Du"]
        ]
        .concat()
    );
    for host in [LQD, ND] {
        let page = app.get(host, "/").await;
        assert_eq!(
            side_links(&page),
            [&shared[..], &["Sở Giáo dục và Đào tạo tỉnh Bình An"]].concat(),
            "{host}"
        );
        // Logos, in a new tab without a handle on this page.
        page.assert_contains(
            "<a href=\"https://dichvucong.gov.vn\" target=\"_blank\" rel=\"noopener\"><img src=\"/media/demo/so/lien-ket-2.png\"",
        );
        // The band above the footer: the logos with their names.
        page.assert_contains("<section class=\"link-band\" aria-labelledby=\"anh-lien-ket\">");
        page.assert_contains("<span>Ủy ban nhân dân tỉnh Bình An</span>");
        // The department's own links to the schools are its own.
        page.assert_lacks("http://nguyendu.localhost:8080/");
    }
}

#[tokio::test]
async fn links_show_only_inside_their_dates() {
    let app = TestApp::demo().await;
    add_user(&app, "qt.lqd", "lqd", Role::Admin).await;
    let admin = Desk::open(&app, LQD, "qt.lqd").await;
    let day = 86_400;
    let date = |t: i64| vntext::format_date(t);
    let logo = png(240, 80);
    for (title, from, until) in [
        ("Tuyển sinh đầu cấp", date(now() + 3 * day), String::new()),
        ("Hội khoẻ Phù Đổng", String::new(), date(now() - 2 * day)),
        ("Thi học sinh giỏi", date(now() - day), date(now() + day)),
    ] {
        let res = admin
            .send_link(
                "/quan-tri/lien-ket/moi",
                &[
                    ("title", title),
                    ("url", "https://thi.binhan.edu.vn"),
                    ("tu_ngay", &from),
                    ("den_ngay", &until),
                ],
                Some(&logo),
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    }
    let list = admin.get("/quan-tri/lien-ket").await;
    list.assert_contains("Chưa đến ngày hiện");
    list.assert_contains("Đã hết hạn (không hiện)");
    list.assert_contains(&format!("Đến hết {}", date(now() - 2 * day)));
    let shown = side_links(&app.get(LQD, "/").await);
    assert!(shown.contains(&"Thi học sinh giỏi".to_owned()), "{shown:?}");
    assert!(
        !shown.contains(&"Tuyển sinh đầu cấp".to_owned()),
        "{shown:?}"
    );
    assert!(
        !shown.contains(&"Hội khoẻ Phù Đổng".to_owned()),
        "{shown:?}"
    );
    // The uploaded logo went through the media library (re-encoded, with sizes).
    let page = app.get(LQD, "/").await;
    page.assert_contains("<img src=\"/media/tai-len/lqd/");
    // Another school does not get a school's own links.
    assert!(!side_links(&app.get(ND, "/").await).contains(&"Thi học sinh giỏi".to_owned()));
}

#[tokio::test]
async fn the_back_office_orders_hides_and_refuses() {
    let app = TestApp::demo().await;
    add_user(&app, "qt.nd", "nguyendu", Role::Admin).await;
    add_user(&app, "bt.nd", "nguyendu", Role::Editor).await;
    let admin = Desk::open(&app, ND, "qt.nd").await;

    // Bad input comes back as typed, with what is wrong, in Vietnamese.
    let res = admin
        .send_link(
            "/quan-tri/lien-ket/moi",
            &[
                ("title", "Thư viện số"),
                ("url", "javascript:alert(1)"),
                ("tu_ngay", "31/02/2026"),
            ],
            Some(b"not an image at all"),
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Địa chỉ “javascript:alert(1)” phải là một địa chỉ web");
    res.assert_contains("Ngày bắt đầu hiện “31/02/2026” không phải một ngày");
    res.assert_contains("Logo “logo.png” không dùng được");
    res.assert_contains("value=\"Thư viện số\"");
    res.assert_contains("value=\"31/02/2026\"");

    for (title, url) in [
        ("Thư viện số", "https://thuvien.binhan.edu.vn"),
        ("Hồ sơ học sinh", "https://hocba.binhan.edu.vn"),
    ] {
        let res = admin
            .send_link(
                "/quan-tri/lien-ket/moi",
                &[("title", title), ("url", url)],
                None,
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    }
    let nd = site_id(&app, "nguyendu").await;
    let own = app.store.site_links(nd).await.unwrap();
    let titles: Vec<&str> = own.iter().map(|l| l.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "Sở Giáo dục và Đào tạo tỉnh Bình An",
            "Thư viện số",
            "Hồ sơ học sinh"
        ]
    );
    // Up: "Hồ sơ học sinh" before "Thư viện số".
    let res = admin.act("len", own[2].id).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let shown = side_links(&app.get(ND, "/").await);
    let at = |t: &str| shown.iter().position(|s| s == t).unwrap();
    assert!(at("Hồ sơ học sinh") < at("Thư viện số"), "{shown:?}");

    // Hiding a shared link: gone here, still on the other school.
    let given = app
        .store
        .site_links(site_id(&app, "so").await)
        .await
        .unwrap();
    let moet = given
        .iter()
        .find(|l| l.url == "https://moet.gov.vn")
        .unwrap();
    let res = admin.act("an", moet.id).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert!(!side_links(&app.get(ND, "/").await).contains(&"Bộ Giáo dục và Đào tạo".to_owned()));
    assert!(side_links(&app.get(LQD, "/").await).contains(&"Bộ Giáo dục và Đào tạo".to_owned()));
    admin
        .get("/quan-tri/lien-ket")
        .await
        .assert_contains("Đang ẩn");
    // A school's own link cannot be "hidden" as if it were given.
    assert_eq!(
        admin.act("an", own[1].id).await.status,
        StatusCode::NOT_FOUND
    );
    // Another site's link is not this site's to move, edit or delete.
    assert_eq!(
        admin.act("xoa", moet.id).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        admin
            .get(&format!("/quan-tri/lien-ket/{}", moet.id))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    // Delete.
    let res = admin.act("xoa", own[1].id).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(!side_links(&app.get(ND, "/").await).contains(&"Thư viện số".to_owned()));
    let log = admin.get("/quan-tri/nhat-ky").await;
    log.assert_contains("xoá liên kết");
    log.assert_contains("ẩn liên kết dùng chung");

    // An editor is not an administrator; a form with a wrong token is refused.
    let editor = Desk::open(&app, ND, "bt.nd").await;
    let res = editor.get("/quan-tri/lien-ket").await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    res.assert_contains("Chỉ quản trị viên của trang này mới xem và sửa được liên kết website.");
    let res = app
        .post_form(
            ND,
            "/quan-tri/lien-ket",
            &[
                ("csrf", "sai"),
                ("action", "xoa"),
                ("id", &own[0].id.to_string()),
            ],
            &[("cookie", &admin.cookie)],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(app.store.site_links(nd).await.unwrap().len(), 2);
}

#[tokio::test]
async fn a_shared_link_changed_by_the_department_shows_on_the_schools_at_once() {
    let app = TestApp::demo().await;
    add_user(&app, "qt.so", "so", Role::Admin).await;
    let admin = Desk::open(&app, SO, "qt.so").await;
    // Cached before the change.
    let before = app.get(LQD, "/").await;
    assert_eq!(
        app.get(LQD, "/").await.headers["etag"],
        before.headers["etag"]
    );
    let res = admin
        .send_link(
            "/quan-tri/lien-ket/moi",
            &[
                ("title", "Hệ thống học trực tuyến"),
                ("url", "https://hoctructuyen.binhan.edu.vn"),
                ("shared", "1"),
            ],
            None,
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let after = app.get(LQD, "/").await;
    assert!(side_links(&after).contains(&"Hệ thống học trực tuyến".to_owned()));
}
