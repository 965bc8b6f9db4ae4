//! Site settings, the audit log with its exports, and the dashboard: what a site's
//! administrators change shows on the public site at once; nobody else changes it;
//! the log is filtered and exported as the page shows it; the dashboard's chart
//! carries the stored figures.

mod common;

use axum::http::StatusCode;
use common::{Desk, Page, TestApp, add_user, at, now, site_and_category};
use domain::{Role, SiteId};
use store::{CountDeltas, DailyDelta, MediaInput};

const SO: &str = "localhost";
const LQD: &str = "lqd.localhost";

/// Posting forms with the session and its token.
impl Desk<'_> {
    async fn post(&self, path: &str, fields: &[(String, String)]) -> Page {
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        self.app
            .post_form(self.host, path, &pairs, &[("cookie", &self.cookie)])
            .await
    }

    /// Sends the settings form back as a browser would, with `changes` applied.
    async fn save_settings(&self, changes: &[(&str, &str)]) -> Page {
        let form = self.get("/quan-tri/cai-dat").await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        let mut fields = form_fields(&form);
        for (k, v) in changes {
            fields.retain(|(name, _)| name != k);
            fields.push(((*k).to_owned(), (*v).to_owned()));
        }
        self.post("/quan-tri/cai-dat", &fields).await
    }
}

/// Every field of the page's forms that a browser would send: inputs with their
/// values, radio buttons only when checked.
fn form_fields(page: &Page) -> Vec<(String, String)> {
    let attr = |tag: &str, name: &str| -> Option<String> {
        let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
        Some(unescape(&tag[start..][..tag[start..].find('"')?]))
    };
    page.body
        .split("<input")
        .skip(1)
        .filter_map(|rest| {
            let tag = &rest[..rest.find('>')?];
            let name = attr(tag, "name")?;
            let kind = attr(tag, "type").unwrap_or_default();
            if kind == "radio" && !tag.contains(" checked") {
                return None;
            }
            Some((name, attr(tag, "value").unwrap_or_default()))
        })
        // The logout form's token is the same one.
        .fold(Vec::new(), |mut out, (k, v)| {
            if !out.iter().any(|(name, _)| *name == k) {
                out.push((k, v));
            }
            out
        })
}

/// Undoes the template's escaping.
fn unescape(s: &str) -> String {
    s.replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#38;", "&")
}

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

async fn stored_name(app: &TestApp, key: &str) -> String {
    let id = site_id(app, key).await;
    app.store.site(id).await.unwrap().unwrap().settings.name
}

#[tokio::test]
async fn an_admin_renames_the_site_and_the_public_pages_show_it_at_once() {
    let app = TestApp::demo().await;
    add_user(&app, "qt.lqd", "lqd", Role::Admin).await;
    // The home page is in the page cache before the change.
    let before = app.get(LQD, "/").await;
    before.assert_contains("<span class=\"site-name\">Trường THPT Chuyên Lê Quý Đôn</span>");
    let etag = before.headers["etag"].clone();
    assert_eq!(app.get(LQD, "/").await.headers["etag"], etag, "cached");

    let admin = Desk::open(&app, LQD, "qt.lqd").await;
    let form = admin.get("/quan-tri/cai-dat").await;
    form.assert_contains("value=\"Trường THPT Chuyên Lê Quý Đôn\"");
    form.assert_contains("name=\"csrf\"");
    let res = admin
        .save_settings(&[
            // Typed with combining marks, as some keyboards send it.
            (
                "name",
                "Tru\u{031B}o\u{031B}\u{0300}ng THPT Chuyên Lê Quý Đôn  tỉnh Bình An",
            ),
            ("address", "Số 12 đường Trần Phú, phường Phú Lợi"),
            ("phone", "(0251) 3.822.999"),
        ])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(res.location(), "/quan-tri/cai-dat?da-luu=1");
    let done = admin.get(res.location()).await;
    done.assert_contains("Đã lưu cài đặt.");
    done.assert_contains("value=\"Trường THPT Chuyên Lê Quý Đôn tỉnh Bình An\"");

    let home = app.get(LQD, "/").await;
    // At once: no background round has run, the page is no longer the cached one.
    assert_ne!(home.headers["etag"], etag);
    home.assert_contains(
        "<span class=\"site-name\">Trường THPT Chuyên Lê Quý Đôn tỉnh Bình An</span>",
    );
    home.assert_contains("<li>Địa chỉ: Số 12 đường Trần Phú, phường Phú Lợi</li>");
    home.assert_contains("<li>Điện thoại: (0251) 3.822.999</li>");
    // What was not touched stays: the logo drawn by the demo, the other sites.
    home.assert_contains("src=\"/media/demo/lqd/logo.png\"");
    assert_eq!(
        stored_name(&app, "so").await,
        "Sở Giáo dục và Đào tạo tỉnh Bình An"
    );
    // Stored in NFC.
    assert_eq!(
        stored_name(&app, "lqd").await,
        "Trường THPT Chuyên Lê Quý Đôn tỉnh Bình An"
    );
    // The audit log has it.
    let log = admin.get("/quan-tri/nhat-ky").await;
    log.assert_contains("<td>sửa cài đặt trang</td><td>đổi tên trang, địa chỉ, điện thoại</td>");
}

#[tokio::test]
async fn the_logo_is_chosen_from_the_sites_own_images() {
    let app = TestApp::demo().await;
    add_user(&app, "qt.so", "so", Role::Admin).await;
    let image = |site, path: &str| MediaInput {
        site_id: site,
        path: path.into(),
        thumb_path: None,
        mime: "image/png".into(),
        width: 400,
        height: 120,
        bytes: 1,
        kind: "image".into(),
        original_name: String::new(),
        sizes: Vec::new(),
        uploaded_by: None,
    };
    let so = site_id(&app, "so").await;
    let lqd = site_id(&app, "lqd").await;
    let ours = app
        .store
        .create_media(&image(so, "so/logo-moi.png"), now())
        .await
        .unwrap();
    let theirs = app
        .store
        .create_media(&image(lqd, "lqd/logo-khac.png"), now())
        .await
        .unwrap();
    let admin = Desk::open(&app, SO, "qt.so").await;
    let form = admin.get("/quan-tri/cai-dat").await;
    form.assert_contains(&format!("name=\"logo\" value=\"{ours}\""));
    form.assert_lacks(&format!("name=\"logo\" value=\"{theirs}\""));

    // Another site's image, whatever the form says, is refused.
    let refused = admin.save_settings(&[("logo", &theirs.to_string())]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("Ảnh đã chọn làm logo không có trong thư viện ảnh của trang này");

    let res = admin.save_settings(&[("logo", &ours.to_string())]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let home = app.get(SO, "/").await;
    home.assert_contains("<img class=\"site-logo\" src=\"/media/so/logo-moi.png\"");
    // The choice shows as chosen when the form opens again.
    admin
        .get("/quan-tri/cai-dat")
        .await
        .assert_contains(&format!("name=\"logo\" value=\"{ours}\" checked"));

    // "Không dùng logo" removes it.
    let res = admin.save_settings(&[("logo", "")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    app.get(SO, "/").await.assert_lacks("class=\"site-logo\"");
}

#[tokio::test]
async fn writers_and_editors_are_refused() {
    let app = TestApp::demo().await;
    add_user(&app, "gv.viet", "so", Role::Writer).await;
    add_user(&app, "bt.duyet", "so", Role::Editor).await;
    for who in ["gv.viet", "bt.duyet"] {
        let desk = Desk::open(&app, SO, who).await;
        for path in [
            "/quan-tri/cai-dat",
            "/quan-tri/nhat-ky",
            "/quan-tri/nhat-ky.csv",
            "/quan-tri/nhat-ky.xlsx",
        ] {
            let page = desk.get(path).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{who} {path}");
            page.assert_contains("Chỉ quản trị viên của trang này");
        }
        // The nav offers the links; the pages refuse.
        let dash = desk.get("/quan-tri").await;
        dash.assert_contains("<a href=\"/quan-tri/cai-dat\">Cài đặt</a>");
        let csrf = dash.field("csrf");
        let res = desk
            .post(
                "/quan-tri/cai-dat",
                &[
                    ("csrf".into(), csrf),
                    ("name".into(), "Tên do người viết đặt".into()),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        res.assert_contains("Chỉ quản trị viên của trang này mới xem và sửa được phần cài đặt.");
    }
    assert_eq!(
        stored_name(&app, "so").await,
        "Sở Giáo dục và Đào tạo tỉnh Bình An"
    );
}

#[tokio::test]
async fn an_admin_of_one_site_cannot_change_another() {
    let app = TestApp::demo().await;
    add_user(&app, "qt.lqd", "lqd", Role::Admin).await;
    let own = Desk::open(&app, LQD, "qt.lqd").await;
    let form = own.get("/quan-tri/cai-dat").await;
    let fields = form_fields(&form);
    // The same session and token, sent to the department's host: the host decides
    // the site, and there this person is nobody.
    let elsewhere = Desk {
        app: &app,
        host: SO,
        cookie: own.cookie.clone(),
    };
    let page = elsewhere.get("/quan-tri/cai-dat").await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let mut changed: Vec<(String, String)> =
        fields.into_iter().filter(|(k, _)| k != "name").collect();
    changed.push(("name".into(), "Bị đổi tên".into()));
    let res = elsewhere.post("/quan-tri/cai-dat", &changed).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(
        stored_name(&app, "so").await,
        "Sở Giáo dục và Đào tạo tỉnh Bình An"
    );
}

#[tokio::test]
async fn a_form_without_its_token_is_refused() {
    let app = TestApp::demo().await;
    add_user(&app, "qt.so", "so", Role::Admin).await;
    let admin = Desk::open(&app, SO, "qt.so").await;
    for csrf in [None, Some("0123456789abcdef0123456789abcdef")] {
        let mut fields = form_fields(&admin.get("/quan-tri/cai-dat").await);
        fields.retain(|(k, _)| k != "csrf" && k != "name");
        if let Some(token) = csrf {
            fields.push(("csrf".into(), token.into()));
        }
        fields.push(("name".into(), "Tên giả mạo".into()));
        let res = admin.post("/quan-tri/cai-dat", &fields).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        res.assert_contains("Biểu mẫu đã hết hạn hoặc không hợp lệ");
    }
    assert_eq!(
        stored_name(&app, "so").await,
        "Sở Giáo dục và Đào tạo tỉnh Bình An"
    );
}

#[tokio::test]
async fn bad_input_is_explained_and_what_was_typed_is_kept() {
    let app = TestApp::demo().await;
    add_user(&app, "qt.so", "so", Role::Admin).await;
    let admin = Desk::open(&app, SO, "qt.so").await;
    let res = admin
        .save_settings(&[
            ("name", "   "),
            ("tagline", "Cổng thông tin mới của Sở"),
            ("email", "vanphong@"),
        ])
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Chưa lưu được, vui lòng sửa:");
    res.assert_contains("Vui lòng nhập tên trang");
    res.assert_contains("Thư điện tử “vanphong@” không đúng dạng");
    // The form comes back as typed.
    res.assert_contains("name=\"tagline\" value=\"Cổng thông tin mới của Sở\"");
    res.assert_contains("name=\"email\" value=\"vanphong@\"");
    res.assert_contains("name=\"name\" value=\"\"");
    // Nothing was saved.
    assert_eq!(
        stored_name(&app, "so").await,
        "Sở Giáo dục và Đào tạo tỉnh Bình An"
    );
    app.get(SO, "/")
        .await
        .assert_lacks("Cổng thông tin mới của Sở");
}

/// Audit entries at known times: two people of the department, one of a school.
async fn seed_log(app: &TestApp) -> (i64, i64) {
    let lan = add_user(app, "lan.nguyen", "so", Role::Editor).await;
    let minh = add_user(app, "minh.tran", "so", Role::Writer).await;
    let lqd_user = add_user(app, "gv.lqd", "lqd", Role::Writer).await;
    let so = site_id(app, "so").await;
    let lqd = site_id(app, "lqd").await;
    for (site, user, action, detail, when) in [
        (
            so,
            lan,
            "đăng bài viết",
            "#1 Khai giảng năm học",
            "2026-10-10 08:00",
        ),
        (
            so,
            lan,
            "đăng bài viết",
            "#2 Hội thi, \"giáo viên\" giỏi",
            "2026-10-15 09:30",
        ),
        (
            so,
            minh,
            "gửi duyệt",
            "#3 Tin tuyển sinh",
            "2026-10-15 10:00",
        ),
        (so, lan, "đăng bài viết", "#4 Tổng kết", "2026-10-20 14:00"),
        (
            lqd,
            lqd_user,
            "đăng bài viết",
            "#5 Bài của trường khác",
            "2026-10-15 11:00",
        ),
    ] {
        app.store
            .audit(Some(site), Some(user), action, detail, "10.0.0.7", at(when))
            .await
            .unwrap();
    }
    (lan.0, minh.0)
}

#[tokio::test]
async fn the_audit_log_filters_by_person_and_days() {
    let app = TestApp::demo().await;
    add_user(&app, "qt.so", "so", Role::Admin).await;
    let (lan, _) = seed_log(&app).await;
    let admin = Desk::open(&app, SO, "qt.so").await;
    let all = admin.get("/quan-tri/nhat-ky").await;
    assert_eq!(all.status, StatusCode::OK);
    // Newest first; the school's entry is not the department's to see.
    let pos = |needle: &str| all.body.find(needle).unwrap_or_else(|| panic!("{needle}"));
    assert!(pos("#4 Tổng kết") < pos("#3 Tin tuyển sinh"));
    assert!(pos("#3 Tin tuyển sinh") < pos("#1 Khai giảng"));
    all.assert_lacks("Bài của trường khác");
    all.assert_contains("<option value=\"gửi duyệt\">gửi duyệt</option>");

    let path =
        format!("/quan-tri/nhat-ky?nguoi-dung={lan}&tu-ngay=11/10/2026&den-ngay=20%2F10%2F2026");
    let some = admin.get(&path).await;
    assert_eq!(some.status, StatusCode::OK);
    assert_eq!(
        some.body.matches("<tr class=\"audit-row\">").count(),
        2,
        "{}",
        some.body
    );
    some.assert_contains("<td>15/10/2026 09:30</td>");
    some.assert_contains("#4 Tổng kết");
    some.assert_lacks("#1 Khai giảng");
    some.assert_lacks("Tin tuyển sinh");
    some.assert_contains("Có <strong>2</strong> mục");
    some.assert_contains(&format!(
        "<option value=\"{lan}\" selected>lan.nguyen (Nguyễn Văn Thử)</option>"
    ));
    some.assert_contains("value=\"11/10/2026\"");
    // The export links carry the same filters.
    some.assert_contains(&format!(
        "href=\"/quan-tri/nhat-ky.csv?nguoi-dung={lan}&#38;tu-ngay=11%2F10%2F2026&#38;den-ngay=20%2F10%2F2026\""
    ));

    let bad = admin.get("/quan-tri/nhat-ky?tu-ngay=31/02/2026").await;
    bad.assert_contains("Ngày “31/02/2026” không đọc được");

    // A super-administrator sees every site's entries.
    app.store
        .create_user(
            "sieu.qt",
            "Quản trị tối cao",
            &web::auth::hash_password(common::PASSWORD),
            true,
            0,
        )
        .await
        .unwrap();
    let sup = Desk::open(&app, SO, "sieu.qt").await;
    let every = sup.get("/quan-tri/nhat-ky").await;
    every.assert_contains("Bài của trường khác");
    every.assert_contains("<td>Trường THPT Chuyên Lê Quý Đôn</td>");
}

#[tokio::test]
async fn the_audit_log_exports_the_filtered_entries() {
    let app = TestApp::demo().await;
    add_user(&app, "qt.so", "so", Role::Admin).await;
    let (lan, _) = seed_log(&app).await;
    let admin = Desk::open(&app, SO, "qt.so").await;
    let query = format!("nguoi-dung={lan}&tu-ngay=11/10/2026&den-ngay=20/10/2026");

    let csv = admin.get(&format!("/quan-tri/nhat-ky.csv?{query}")).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.headers["content-type"], "text/csv; charset=utf-8");
    let disposition = csv.headers["content-disposition"].to_str().unwrap();
    let today = vntext::local_iso_date(now());
    assert_eq!(
        disposition,
        format!("attachment; filename=\"nhat-ky-{today}.csv\"")
    );
    assert_eq!(&csv.bytes[..3], b"\xEF\xBB\xBF", "a UTF-8 byte-order mark");
    let text = std::str::from_utf8(&csv.bytes[3..]).unwrap();
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(
        lines,
        [
            "Thời gian,Tên đăng nhập,Họ và tên,Trang,Việc,Chi tiết,Địa chỉ IP",
            "20/10/2026 14:00,lan.nguyen,Nguyễn Văn Thử,Sở Giáo dục và Đào tạo tỉnh Bình An,đăng bài viết,#4 Tổng kết,10.0.0.7",
            "15/10/2026 09:30,lan.nguyen,Nguyễn Văn Thử,Sở Giáo dục và Đào tạo tỉnh Bình An,đăng bài viết,\"#2 Hội thi, \"\"giáo viên\"\" giỏi\",10.0.0.7",
        ]
    );

    // Unfiltered, the export still holds only the department's entries.
    let everything = admin.get("/quan-tri/nhat-ky.csv").await;
    assert!(everything.body.contains("#1 Khai giảng năm học"));
    assert!(!everything.body.contains("Bài của trường khác"));

    let xlsx = admin.get(&format!("/quan-tri/nhat-ky.xlsx?{query}")).await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert_eq!(
        xlsx.headers["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert_eq!(
        xlsx.headers["content-disposition"].to_str().unwrap(),
        format!("attachment; filename=\"nhat-ky-{today}.xlsx\"")
    );
    assert_eq!(&xlsx.bytes[..2], b"PK", "a zip file, as .xlsx files are");
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(xlsx.bytes.clone())).unwrap();
    let sheet = book.worksheet_range("Nhật ký").unwrap();
    assert_eq!(sheet.height(), 3, "the header and the two filtered rows");
    assert_eq!(
        sheet.get_value((0, 0)),
        Some(&Data::String("Thời gian".into()))
    );
    assert_eq!(
        sheet.get_value((2, 5)),
        Some(&Data::String("#2 Hội thi, \"giáo viên\" giỏi".into()))
    );
    assert_eq!(
        sheet.get_value((1, 4)),
        Some(&Data::String("đăng bài viết".into()))
    );
    // The time is a real date: 20/10/2026 14:00 in Vietnam.
    let Some(Data::DateTime(t)) = sheet.get_value((1, 0)) else {
        panic!("no date in A2: {:?}", sheet.get_value((1, 0)));
    };
    // Days since 1899-12-30: 2026-10-20 is 46315; 14:00 is 7/12 of a day.
    assert!(
        (t.as_f64() - (46_315.0 + 14.0 / 24.0)).abs() < 1e-6,
        "{t:?}"
    );
}

#[tokio::test]
async fn the_dashboard_shows_waiting_articles_and_the_visits_of_30_days() {
    let app = TestApp::demo().await;
    add_user(&app, "gv.viet", "so", Role::Writer).await;
    add_user(&app, "bt.duyet", "so", Role::Editor).await;
    let writer = Desk::open(&app, SO, "gv.viet").await;
    let (_, category) = site_and_category(&app, "so", "tin-giao-duc").await;
    let csrf = writer.get("/quan-tri/bai-viet/moi").await.field("csrf");
    let res = writer
        .post(
            "/quan-tri/bai-viet/moi",
            &[
                ("csrf".into(), csrf),
                ("action".into(), "gui-duyet".into()),
                (
                    "title".into(),
                    "Kế hoạch ôn thi tốt nghiệp THPT 2027".into(),
                ),
                ("category".into(), category.to_string()),
                ("summary".into(), "Tóm tắt.".into()),
                ("body".into(), "<p>Nội dung.</p>".into()),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let article = res.location().split('?').next().unwrap().to_owned();

    // Visits through the counters' own path to the store.
    let so = site_id(&app, "so").await;
    let today = vntext::local_day(now());
    let day = |back: i64| vntext::iso_date_of_day(today - back);
    let short = |back: i64| vntext::format_iso_date(&day(back)).unwrap()[..5].to_owned();
    let delta = |back: i64, visits, page_views| DailyDelta {
        site: so,
        day: day(back),
        visits,
        page_views,
        bot_hits: 7,
    };
    app.store
        .add_counts(&CountDeltas {
            views: Vec::new(),
            daily: vec![
                delta(0, 1_234, 5_678),
                delta(2, 300, 900),
                // Older than the chart's 30 days: not drawn, not counted.
                delta(30, 99_999, 99_999),
            ],
        })
        .await
        .unwrap();
    // The same day counted again adds up.
    app.store
        .add_counts(&CountDeltas {
            views: Vec::new(),
            daily: vec![delta(2, 200, 100)],
        })
        .await
        .unwrap();

    let editor = Desk::open(&app, SO, "bt.duyet").await;
    let dash = editor.get("/quan-tri").await;
    assert_eq!(dash.status, StatusCode::OK);
    dash.assert_contains("<h2 id=\"cho-duyet\">Bài chờ duyệt (1)</h2>");
    dash.assert_contains(&format!(
        "<a href=\"{article}\">Kế hoạch ôn thi tốt nghiệp THPT 2027</a>"
    ));
    dash.assert_contains("<h2 id=\"moi-dang\">Mới đăng</h2>");
    // The chart: an accessible SVG and the same figures in a table.
    dash.assert_contains("<svg class=\"chart-svg\"");
    dash.assert_contains("role=\"img\" aria-labelledby=\"bieu-do-ten bieu-do-mo-ta\"");
    dash.assert_contains(
        "<title id=\"bieu-do-ten\">Lượt truy cập và lượt xem trang trong 30 ngày qua</title>",
    );
    dash.assert_contains("tổng 1.734 lượt truy cập và 6.678 lượt xem trang.");
    dash.assert_contains(&format!("<title>{}: 1.234 lượt truy cập</title>", short(0)));
    dash.assert_contains(&format!(
        "<title>{}: 5.678 lượt xem trang</title>",
        short(0)
    ));
    dash.assert_contains(&format!(
        "<tr><th scope=\"row\">{}</th><td>1.234</td><td>5.678</td></tr>",
        short(0)
    ));
    dash.assert_contains(&format!(
        "<tr><th scope=\"row\">{}</th><td>500</td><td>1.000</td></tr>",
        short(2)
    ));
    dash.assert_contains(&format!(
        "<tr><th scope=\"row\">{}</th><td>0</td><td>0</td></tr>",
        short(1)
    ));
    // Well-formed SVG: 30 bars of each series.
    let svg = &dash.body[dash.body.find("<svg").unwrap()..];
    let svg = &svg[..svg.find("</svg>").unwrap() + 6];
    let svg = svg.replace("<svg ", "<svg xmlns=\"http://www.w3.org/2000/svg\" ");
    let doc = roxmltree::Document::parse(&svg).expect("the chart parses as XML");
    let bars = |class: &str| {
        doc.descendants()
            .find(|n| n.attribute("class") == Some(class))
            .unwrap()
            .children()
            .filter(|n| n.has_tag_name("rect"))
            .count()
    };
    assert_eq!((bars("chart-visits"), bars("chart-views")), (30, 30));
    dash.assert_lacks("99.999");
    assert_eq!(dash.body.matches("<tr><th scope=\"row\">").count(), 30);
    // The tallest bar (5.678 page views) reaches the axis's top, 4 steps of 2.000.
    dash.assert_contains(">8.000</text>");

    // A writer sees the chart and what was published, but approves nothing.
    let mine = writer.get("/quan-tri").await;
    mine.assert_lacks("Bài chờ duyệt");
    mine.assert_contains("Mới đăng");
    mine.assert_contains("<svg class=\"chart-svg\"");
}

#[tokio::test]
async fn the_audit_log_names_the_command_line_as_who() {
    let app = TestApp::demo().await;
    add_user(&app, "qt.so", "so", Role::Admin).await;
    let (site, _) = common::site_and_category(&app, "so", "tin-giao-duc").await;
    app.store
        .audit(
            Some(site),
            None,
            "nhập kết quả thi (dòng lệnh)",
            "#9 Kỳ thi thử",
            store::COMMAND_LINE,
            common::now(),
        )
        .await
        .unwrap();
    let admin = Desk::open(&app, SO, "qt.so").await;
    let page = admin.get("/quan-tri/nhat-ky").await;
    let row = page
        .body
        .split("<tr class=\"audit-row\">")
        .find(|r| r.contains("#9 Kỳ thi thử"))
        .expect("the entry is listed");
    assert!(
        row.contains("<span class=\"audit-user\">dòng lệnh</span>"),
        "{row}"
    );
    let csv = admin.get("/quan-tri/nhat-ky.csv").await;
    assert!(csv.body.contains(",dòng lệnh,"), "{}", csv.body);
}
