//! A province sets itself up (issue 13): the super-administrator's units and sites,
//! hosts (one main, the others 301 to it; one site per host), suspension, the
//! directory of portals, and who may do any of it.

mod common;

use axum::http::StatusCode;
use common::{PASSWORD, TestApp, add_user, request, session};
use domain::Role;

const SO: &str = "localhost";

/// A super-administrator's session on the department's site.
async fn super_session(app: &TestApp) -> String {
    app.store
        .create_user(
            "qt.tinh",
            "Quản trị Sở",
            &web::auth::hash_password(PASSWORD),
            true,
            0,
        )
        .await
        .unwrap();
    session(app, SO, "qt.tinh").await
}

/// The CSRF token of a back-office page.
async fn csrf(app: &TestApp, path: &str, cookie: &str) -> String {
    let page = app.get_with(SO, path, &[("cookie", cookie)]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.field("csrf")
}

/// Creates a unit through the form; the page answered.
async fn create(app: &TestApp, cookie: &str, fields: &[(&str, &str)]) -> common::Page {
    let token = csrf(app, "/quan-tri/don-vi/moi", cookie).await;
    let mut form = vec![("csrf", token.as_str())];
    form.extend_from_slice(fields);
    app.post_form(SO, "/quan-tri/don-vi/moi", &form, &[("cookie", cookie)])
        .await
}

/// The id of a unit, by key.
async fn unit_id(app: &TestApp, key: &str) -> i64 {
    app.store
        .units()
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.key == key)
        .unwrap_or_else(|| panic!("unit {key}"))
        .id
        .0
}

/// Posts the unit page's form with `action`.
async fn save(app: &TestApp, cookie: &str, id: i64, fields: &[(&str, &str)]) -> common::Page {
    let path = format!("/quan-tri/don-vi/{id}");
    let token = csrf(app, &path, cookie).await;
    let mut form = vec![("csrf", token.as_str())];
    form.extend_from_slice(fields);
    app.post_form(SO, &path, &form, &[("cookie", cookie)]).await
}

#[tokio::test]
async fn a_super_administrator_creates_a_school_whose_host_answers_at_once() {
    let app = TestApp::demo().await;
    let cookie = super_session(&app).await;
    let list = app
        .get_with(SO, "/quan-tri/don-vi", &[("cookie", &cookie)])
        .await;
    list.assert_contains("Trường THCS Nguyễn Du");
    list.assert_contains("Phường Lê Lợi");

    let parent = unit_id(&app, "phuong-le-loi").await.to_string();
    let made = create(
        &app,
        &cookie,
        &[
            ("name", "Trường Tiểu học Võ Thị Sáu"),
            ("key", ""),
            ("kind", "tieu-hoc"),
            ("parent", &parent),
            ("hosts", "th-vothisau.localhost\nwww.th-vothisau.localhost"),
            ("redirect", "1"),
            ("admin_username", "qt.vothisau"),
            ("admin_name", "Lê Thị Hoa"),
        ],
    )
    .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    made.assert_contains("Đã tạo đơn vị “Trường Tiểu học Võ Thị Sáu”");
    made.assert_contains("qt.vothisau");
    let password = made
        .body
        .split("class=\"password-once\">")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .expect("the first password, shown once")
        .to_owned();

    // The school's host answers with its own site, which can publish at once.
    let home = app.get("th-vothisau.localhost", "/").await;
    assert_eq!(home.status, StatusCode::OK);
    home.assert_contains("Trường Tiểu học Võ Thị Sáu");
    home.assert_contains("Tin hoạt động");
    // The other host sends readers to the main one, path and query kept.
    let other = app.get("www.th-vothisau.localhost", "/tim-kiem?q=a").await;
    assert_eq!(other.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(
        other.location(),
        "http://th-vothisau.localhost/tim-kiem?q=a"
    );

    // Its administrator signs in on it with the password shown once.
    let login = common::log_in(&app, "th-vothisau.localhost", "qt.vothisau", &password).await;
    assert_eq!(login.status, StatusCode::SEE_OTHER, "{}", login.body);

    // The unit hangs under the commune; the audit log says who made it.
    let unit = app
        .store
        .units()
        .await
        .unwrap()
        .into_iter()
        .find(|u| u.key == "truong-tieu-hoc-vo-thi-sau")
        .expect("the key is made from the name");
    assert_eq!(unit.parent.map(|p| p.0), Some(parent.parse().unwrap()));
    let audit = app
        .get_with(SO, "/quan-tri/nhat-ky", &[("cookie", &cookie)])
        .await;
    audit.assert_contains("tạo đơn vị và trang");

    // A second instance picks the new site up without a restart.
    let (other_router, other_state) = app.another_instance().await;
    other_state.content_changed().await.unwrap();
    let there = request(&other_router, "th-vothisau.localhost", "/", &[]).await;
    there.assert_contains("Trường Tiểu học Võ Thị Sáu");
}

#[tokio::test]
async fn a_duplicate_or_malformed_host_is_refused_and_the_form_keeps_what_was_typed() {
    let app = TestApp::demo().await;
    let cookie = super_session(&app).await;
    let refused = create(
        &app,
        &cookie,
        &[
            ("name", "Trường THPT Trần Phú"),
            ("key", "thpt-tran-phu"),
            ("kind", "thpt"),
            ("parent", ""),
            ("hosts", "lqd.localhost\nhttp://tranphu.vn/tin"),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains(
        "Tên miền “lqd.localhost” đang thuộc trang “Trường THPT Chuyên Lê Quý Đôn”",
    );
    refused.assert_contains("không hợp lệ");
    refused.assert_contains("value=\"Trường THPT Trần Phú\"");
    refused.assert_contains("thpt-tran-phu");
    assert!(
        !app.store
            .units()
            .await
            .unwrap()
            .iter()
            .any(|u| u.key == "thpt-tran-phu"),
        "nothing was made"
    );
    // A key that is taken, a kind that is missing.
    let refused = create(
        &app,
        &cookie,
        &[
            ("name", "Trường khác"),
            ("key", "lqd"),
            ("kind", ""),
            ("hosts", ""),
        ],
    )
    .await;
    refused.assert_contains("Mã “lqd” đã có đơn vị dùng.");
    refused.assert_contains("Chưa ghi loại đơn vị");
    // An international name is kept in punycode, as browsers send it.
    let made = create(
        &app,
        &cookie,
        &[
            ("name", "Trường Mầm non Sơn Ca"),
            ("kind", "mam-non"),
            ("hosts", "mầmnon-sơnca.vn"),
        ],
    )
    .await;
    assert_eq!(made.status, StatusCode::OK, "{}", made.body);
    let app = app.reload().await;
    let site = app
        .store
        .sites()
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.settings.name == "Trường Mầm non Sơn Ca")
        .unwrap();
    assert!(site.hosts[0].starts_with("xn--"), "{:?}", site.hosts);
}

#[tokio::test]
async fn a_host_moves_from_one_site_to_another() {
    let app = TestApp::demo().await;
    let cookie = super_session(&app).await;
    let lqd = unit_id(&app, "lqd").await;
    let nguyendu = unit_id(&app, "nguyendu").await;
    // Give the school a second host, then move it to the other school.
    let saved = save(
        &app,
        &cookie,
        lqd,
        &[
            ("action", "ten-mien"),
            ("hosts", "lqd.localhost\nchung.localhost"),
        ],
    )
    .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    app.get("chung.localhost", "/")
        .await
        .assert_contains("Trường THPT Chuyên Lê Quý Đôn");
    // Taken: refused, naming its site.
    let refused = save(
        &app,
        &cookie,
        nguyendu,
        &[
            ("action", "ten-mien"),
            ("hosts", "nguyendu.localhost\nchung.localhost"),
        ],
    )
    .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("đang thuộc trang “Trường THPT Chuyên Lê Quý Đôn”");
    refused.assert_contains("chung.localhost");
    // Released from the first site, taken by the second.
    save(
        &app,
        &cookie,
        lqd,
        &[("action", "ten-mien"), ("hosts", "lqd.localhost")],
    )
    .await;
    let moved = save(
        &app,
        &cookie,
        nguyendu,
        &[
            ("action", "ten-mien"),
            ("hosts", "nguyendu.localhost\nchung.localhost"),
        ],
    )
    .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER, "{}", moved.body);
    app.get("chung.localhost", "/")
        .await
        .assert_contains("Trường THCS Nguyễn Du");
    // No redirect was asked for: both hosts answer.
    assert_eq!(app.get("chung.localhost", "/").await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_suspended_site_answers_a_calm_page_and_keeps_its_data() {
    let app = TestApp::demo().await;
    let cookie = super_session(&app).await;
    let lqd = unit_id(&app, "lqd").await;
    let before = app.get("lqd.localhost", "/").await;
    assert_eq!(before.status, StatusCode::OK);
    let done = save(&app, &cookie, lqd, &[("action", "tam-ngung")]).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    for path in ["/", "/tin-tuc/thong-bao", "/quan-tri", "/khong-co"] {
        let page = app.get("lqd.localhost", path).await;
        assert_eq!(page.status, StatusCode::SERVICE_UNAVAILABLE, "{path}");
        page.assert_contains("Trường THPT Chuyên Lê Quý Đôn tạm ngừng hoạt động");
        assert_eq!(page.headers["cache-control"], "no-store");
    }
    let json = app.get("lqd.localhost", "/thong-ke.json").await;
    assert_eq!(json.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        json.headers["content-type"]
            .to_str()
            .unwrap()
            .contains("json")
    );
    assert!(json.body.contains("site_suspended"));
    // The other sites are untouched; the directory leaves it out.
    assert_eq!(
        app.get("nguyendu.localhost", "/").await.status,
        StatusCode::OK
    );
    app.get(SO, "/cong-thanh-phan")
        .await
        .assert_lacks("<span class=\"directory-host\">lqd.localhost</span>");
    // Resumed: everything is back as it was.
    save(&app, &cookie, lqd, &[("action", "mo-lai")]).await;
    let after = app.get("lqd.localhost", "/").await;
    assert_eq!(after.status, StatusCode::OK);
    after.assert_contains("Trường THPT Chuyên Lê Quý Đôn");
    assert_eq!(card_count(&after), card_count(&before));
}

fn card_count(page: &common::Page) -> usize {
    page.body.matches("class=\"card").count()
}

#[tokio::test]
async fn only_a_super_administrator_sees_or_changes_units_sites_and_hosts() {
    let app = TestApp::demo().await;
    add_user(&app, "qt.lqd", "lqd", Role::Admin).await;
    add_user(&app, "qt.so", "so", Role::Admin).await;
    let lqd = unit_id(&app, "lqd").await;
    for (host, user) in [("lqd.localhost", "qt.lqd"), (SO, "qt.so")] {
        let cookie = session(&app, host, user).await;
        for path in [
            "/quan-tri/don-vi".to_owned(),
            "/quan-tri/don-vi/moi".to_owned(),
            format!("/quan-tri/don-vi/{lqd}"),
        ] {
            let page = app.get_with(host, &path, &[("cookie", &cookie)]).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "{user} {path}");
            page.assert_contains("Chỉ quản trị hệ thống của Sở");
        }
        let dash = app
            .get_with(host, "/quan-tri", &[("cookie", &cookie)])
            .await;
        dash.assert_lacks("href=\"/quan-tri/don-vi\"");
        let token = dash.field("csrf");
        let post = app
            .post_form(
                host,
                &format!("/quan-tri/don-vi/{lqd}"),
                &[("csrf", &token), ("action", "tam-ngung")],
                &[("cookie", &cookie)],
            )
            .await;
        assert_eq!(post.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(app.get("lqd.localhost", "/").await.status, StatusCode::OK);
}

#[tokio::test]
async fn units_are_found_without_tone_marks_and_listed_in_the_directory() {
    let app = TestApp::demo().await;
    let cookie = super_session(&app).await;
    let found = app
        .get_with(
            SO,
            "/quan-tri/don-vi?q=truong+thcs+nguyen",
            &[("cookie", &cookie)],
        )
        .await;
    found.assert_contains("Trường THCS Nguyễn Du");
    found.assert_lacks("Trường Tiểu học Kim Đồng");
    found.assert_contains("Có <strong>1</strong> đơn vị.");
    let kind = app
        .get_with(
            SO,
            "/quan-tri/don-vi?loai=xa-phuong",
            &[("cookie", &cookie)],
        )
        .await;
    kind.assert_contains("Phường Lê Lợi");
    kind.assert_contains("Xã Tân Phú");
    kind.assert_lacks("Trường THCS Nguyễn Du");

    let dir = app.get(SO, "/cong-thanh-phan").await;
    assert_eq!(dir.status, StatusCode::OK);
    dir.assert_contains("<h1 class=\"page-title\">Cổng thành phần</h1>");
    dir.assert_contains("href=\"http://lqd.localhost/\">Trường THPT Chuyên Lê Quý Đôn</a>");
    dir.assert_contains("Trường THCS Nguyễn Du");
    dir.assert_contains("· Phường Lê Lợi");
    // Units without a site are not portals.
    dir.assert_lacks("Kim Đồng");
    app.get(SO, "/")
        .await
        .assert_contains("href=\"/cong-thanh-phan\"");
}

#[tokio::test]
async fn the_department_gathers_its_schools_news_by_kind_and_commune() {
    let app = TestApp::demo().await;
    let all = app.get(SO, "/tin-cac-don-vi").await;
    assert_eq!(all.status, StatusCode::OK);
    all.assert_contains("<h1 class=\"page-title\">Tin từ các đơn vị</h1>");
    all.assert_contains("href=\"http://lqd.localhost/\">Trường THPT Chuyên Lê Quý Đôn</a>");
    all.assert_contains("href=\"http://nguyendu.localhost/\">Trường THCS Nguyễn Du</a>");
    all.assert_contains("href=\"http://lqd.localhost/tin-tuc/");
    // 42 articles each: 84 in all, 20 a page.
    all.assert_contains("84 tin.");
    all.assert_contains("href=\"/tin-cac-don-vi?trang=2\"");
    let thpt = app.get(SO, "/tin-cac-don-vi?loai=thpt").await;
    thpt.assert_contains("42 tin.");
    thpt.assert_lacks("http://nguyendu.localhost/tin-tuc/");
    let commune = app.get(SO, "/tin-cac-don-vi?xa=phuong-le-loi").await;
    commune.assert_contains("42 tin.");
    commune.assert_contains("<option value=\"phuong-le-loi\" selected>Phường Lê Lợi</option>");
    commune.assert_lacks("http://lqd.localhost/tin-tuc/");
    // The department's home shows the newest of them in its own block.
    let home = app.get(SO, "/").await;
    home.assert_contains("<h2 id=\"tin-don-vi\" class=\"block-title\"><a href=\"/tin-cac-don-vi\">Tin từ các đơn vị</a></h2>");
    home.assert_contains("href=\"//lqd.localhost/\">Trường THPT Chuyên Lê Quý Đôn</a>");
    // A school's home has no such block.
    app.get("lqd.localhost", "/")
        .await
        .assert_lacks("Tin từ các đơn vị</a></h2>");
    let none = app.get(SO, "/tin-cac-don-vi?xa=xa-tan-phu").await;
    none.assert_contains("Chưa có tin nào từ các đơn vị theo bộ lọc này.");
    // A school has no units under it.
    app.get("lqd.localhost", "/tin-cac-don-vi")
        .await
        .assert_contains("0 tin.");
    // A suspended school's news leave the list.
    let cookie = super_session(&app).await;
    let lqd = unit_id(&app, "lqd").await;
    save(&app, &cookie, lqd, &[("action", "tam-ngung")]).await;
    let after = app.get(SO, "/tin-cac-don-vi?loai=thpt").await;
    after.assert_contains("0 tin.");
}
