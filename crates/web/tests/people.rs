//! People across sites: administrators give, change and remove roles on the sites
//! they administer (a super-administrator on any site), and someone who works on
//! several sites moves from one back office to another without logging in again,
//! through a one-time hand-off.

mod common;

use axum::http::StatusCode;
use common::{PASSWORD, Page, TestApp, add_user, log_in, now, session, site_and_category};
use domain::{Role, SiteId, UserId};
use store::{AuditFilter, Handoff};

const SO: &str = "localhost";
const LQD: &str = "lqd.localhost";
const ND: &str = "nguyendu.localhost";
const PEOPLE: &str = "/quan-tri/nguoi-dung";
const SO_NAME: &str = "Sở Giáo dục và Đào tạo tỉnh Bình An";
const LQD_NAME: &str = "Trường THPT Chuyên Lê Quý Đôn";

async fn site_id(app: &TestApp, key: &str) -> SiteId {
    let slug = match key {
        "so" => "tin-giao-duc",
        "lqd" => "thong-bao",
        _ => "tin-hoat-dong",
    };
    site_and_category(app, key, slug).await.0
}

async fn roles_of(app: &TestApp, username: &str) -> Vec<(SiteId, Role)> {
    app.store
        .user_by_username(username)
        .await
        .unwrap()
        .map(|(u, _)| u.roles)
        .unwrap_or_default()
}

/// The actions and details of a site's audit entries, newest first.
async fn audit_of(app: &TestApp, site: SiteId) -> Vec<(String, String)> {
    let filter = AuditFilter {
        site: Some(site),
        ..AuditFilter::default()
    };
    app.store
        .audit_log(&filter, 50, 0)
        .await
        .unwrap()
        .0
        .into_iter()
        .map(|e| (e.action, e.detail))
        .collect()
}

/// The people page of `host` for a session, and its form token.
async fn people(app: &TestApp, host: &str, cookie: &str, query: &str) -> (Page, String) {
    let page = app
        .get_with(host, &format!("{PEOPLE}{query}"), &[("cookie", cookie)])
        .await;
    let csrf = if page.status == StatusCode::OK {
        page.field("csrf")
    } else {
        String::new()
    };
    (page, csrf)
}

async fn post(app: &TestApp, host: &str, cookie: &str, path: &str, form: &[(&str, &str)]) -> Page {
    app.post_form(
        host,
        &format!("{PEOPLE}/{path}"),
        form,
        &[("cookie", cookie), ("x-forwarded-for", "10.2.3.4")],
    )
    .await
}

/// The row of the people table for a login name.
fn row<'a>(page: &'a Page, username: &str) -> Option<&'a str> {
    page.body
        .split(&format!("<td>{username}</td>"))
        .nth(1)
        .map(|r| r.split("</tr>").next().unwrap())
}

/// The password a notice shows once, at its end.
fn shown_password(page: &Page) -> String {
    page.body
        .split("hãy trao tận tay): ")
        .nth(1)
        .unwrap_or_else(|| panic!("no password shown:\n{}", page.body))
        .split('<')
        .next()
        .unwrap()
        .to_owned()
}

async fn super_admin(app: &TestApp, username: &str) -> UserId {
    app.store
        .create_user(
            username,
            "Quản trị hệ thống",
            &web::auth::hash_password(PASSWORD),
            true,
            0,
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn a_site_administrator_adds_a_writer_to_their_site() {
    let app = TestApp::demo().await;
    add_user(&app, "admin.lqd", "lqd", Role::Admin).await;
    let lqd = site_id(&app, "lqd").await;
    let admin = session(&app, LQD, "admin.lqd").await;
    let (list, csrf) = people(&app, LQD, &admin, "").await;
    assert_eq!(list.status, StatusCode::OK);
    assert_eq!(list.headers["cache-control"], "no-store");
    list.assert_contains(&format!("Người có vai trò trên trang {LQD_NAME}"));
    list.assert_contains(&format!("Thêm người vào trang {LQD_NAME}"));
    // One site to administer: no site picker.
    list.assert_lacks("id=\"chon-trang\"");

    // A mistake: the form comes back as typed, with what is wrong.
    let typed = [
        ("csrf", csrf.as_str()),
        ("ma-trang", "lqd"),
        ("loai", "moi"),
        ("username", "Mai Trần"),
        ("full_name", "Trần Thị Mai"),
        ("vai-tro", "writer"),
    ];
    let wrong = post(&app, LQD, &admin, "them", &typed).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    wrong.assert_contains("Tên đăng nhập chỉ gồm chữ thường không dấu");
    wrong.assert_contains("value=\"Mai Trần\"");
    wrong.assert_contains("value=\"Trần Thị Mai\"");
    wrong.assert_contains("id=\"them-vai-tro-writer\" name=\"vai-tro\" value=\"writer\" checked");
    // A new account needs a name.
    let mut no_name = typed;
    no_name[3] = ("username", "mai.tran");
    no_name[4] = ("full_name", "  ");
    let wrong = post(&app, LQD, &admin, "them", &no_name).await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    wrong.assert_contains("Vui lòng nhập họ và tên.");
    wrong.assert_contains("value=\"mai.tran\"");
    assert!(roles_of(&app, "mai.tran").await.is_empty(), "nothing made");

    let mut right = typed;
    right[3] = ("username", "mai.tran");
    let added = post(&app, LQD, &admin, "them", &right).await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    added.assert_contains(&format!(
        "Đã tạo tài khoản mai.tran (Trần Thị Mai) với vai trò Phóng viên/Cộng tác viên trên trang {LQD_NAME}."
    ));
    let password = shown_password(&added);
    assert_eq!(password.chars().count(), 16, "{password}");
    let r = row(&added, "mai.tran").expect("the new person is listed");
    assert!(r.contains("<td>Phóng viên/Cộng tác viên</td>"), "{r}");
    assert_eq!(roles_of(&app, "mai.tran").await, vec![(lqd, Role::Writer)]);
    // The same name again is a mistake, not a second account.
    let again = post(&app, LQD, &admin, "them", &right).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    again.assert_contains("Tên đăng nhập “mai.tran” đã có người dùng.");

    // She logs in with the first password and is a writer there.
    let res = log_in(&app, LQD, "mai.tran", &password).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let cookie = format!("ep_phien={}", res.set_cookie("ep_phien").unwrap());
    let dash = app.get_with(LQD, "/quan-tri", &[("cookie", &cookie)]).await;
    dash.assert_contains(
        "Vai trò của bạn trên trang này: <strong>Phóng viên/Cộng tác viên</strong>",
    );

    // Audited: who, what, which site.
    let log = audit_of(&app, lqd).await;
    assert!(
        log.contains(&(
            "tạo tài khoản".into(),
            "mai.tran (Trần Thị Mai): Phóng viên/Cộng tác viên".into()
        )),
        "{log:?}"
    );
    let entry = app
        .store
        .audit_log(
            &AuditFilter {
                action: Some("tạo tài khoản".into()),
                ..AuditFilter::default()
            },
            5,
            0,
        )
        .await
        .unwrap()
        .0;
    assert_eq!(entry.len(), 1);
    assert_eq!(
        (
            entry[0].username.as_str(),
            entry[0].site,
            entry[0].ip.as_str()
        ),
        ("admin.lqd", Some(lqd), "10.2.3.4")
    );

    // A person of another school, by login name: a role here, theirs there kept.
    add_user(&app, "gv.nguyendu", "nguyendu", Role::Editor).await;
    let nd = site_id(&app, "nguyendu").await;
    let existing = post(
        &app,
        LQD,
        &admin,
        "them",
        &[
            ("csrf", &csrf),
            ("ma-trang", "lqd"),
            ("loai", "co-san"),
            ("username", "GV.NguyenDu"),
            ("vai-tro", "editor"),
        ],
    )
    .await;
    assert_eq!(existing.status, StatusCode::OK, "{}", existing.body);
    existing.assert_contains(&format!(
        "Đã cấp vai trò Biên tập viên trên trang {LQD_NAME} cho Nguyễn Văn Thử (gv.nguyendu)."
    ));
    assert_eq!(
        roles_of(&app, "gv.nguyendu").await,
        vec![(lqd, Role::Editor), (nd, Role::Editor)]
    );
    // A name that does not exist is a mistake.
    let unknown = post(
        &app,
        LQD,
        &admin,
        "them",
        &[
            ("csrf", &csrf),
            ("ma-trang", "lqd"),
            ("loai", "co-san"),
            ("username", "khong.co.ai"),
            ("vai-tro", "editor"),
        ],
    )
    .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    unknown.assert_contains("Không có tài khoản nào có tên đăng nhập “khong.co.ai”.");
    unknown.assert_contains("id=\"loai-co-san\" name=\"loai\" value=\"co-san\" checked");
}

#[tokio::test]
async fn a_site_administrator_changes_and_removes_roles_and_the_form_needs_its_token() {
    let app = TestApp::demo().await;
    add_user(&app, "admin.lqd", "lqd", Role::Admin).await;
    add_user(&app, "gv.lqd", "lqd", Role::Writer).await;
    let lqd = site_id(&app, "lqd").await;
    let admin = session(&app, LQD, "admin.lqd").await;
    let (_, csrf) = people(&app, LQD, &admin, "").await;
    let change = |token: &str, role: &'static str| {
        [
            ("csrf", token.to_owned()),
            ("ma-trang", "lqd".to_owned()),
            ("username", "gv.lqd".to_owned()),
            ("vai-tro", role.to_owned()),
        ]
    };
    let form = change("sai", "editor");
    let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let forged = post(&app, LQD, &admin, "doi-vai-tro", &refs).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);
    forged.assert_contains("Biểu mẫu đã hết hạn");
    assert_eq!(roles_of(&app, "gv.lqd").await, vec![(lqd, Role::Writer)]);

    let form = change(&csrf, "editor");
    let refs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let changed = post(&app, LQD, &admin, "doi-vai-tro", &refs).await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    changed.assert_contains(&format!(
        "Đã đổi vai trò của Nguyễn Văn Thử (gv.lqd) trên trang {LQD_NAME}: Phóng viên/Cộng tác viên → Biên tập viên."
    ));
    assert_eq!(roles_of(&app, "gv.lqd").await, vec![(lqd, Role::Editor)]);
    let r = row(&changed, "gv.lqd").unwrap();
    assert!(r.contains("<option value=\"editor\" selected>"), "{r}");

    let removed = post(
        &app,
        LQD,
        &admin,
        "go-vai-tro",
        &[("csrf", &csrf), ("ma-trang", "lqd"), ("username", "gv.lqd")],
    )
    .await;
    assert_eq!(removed.status, StatusCode::OK, "{}", removed.body);
    removed.assert_contains(&format!(
        "Đã gỡ vai trò Biên tập viên của Nguyễn Văn Thử (gv.lqd) trên trang {LQD_NAME}."
    ));
    assert!(row(&removed, "gv.lqd").is_none(), "still listed");
    assert!(roles_of(&app, "gv.lqd").await.is_empty());
    // Without a role the account cannot log in here any more.
    assert_eq!(
        log_in(&app, LQD, "gv.lqd", PASSWORD).await.status,
        StatusCode::FORBIDDEN
    );
    let log = audit_of(&app, lqd).await;
    assert!(
        log.contains(&(
            "đổi vai trò".into(),
            "gv.lqd: Phóng viên/Cộng tác viên → Biên tập viên".into()
        )),
        "{log:?}"
    );
    assert!(
        log.contains(&("gỡ vai trò".into(), "gv.lqd: Biên tập viên".into())),
        "{log:?}"
    );
    // Removing it twice: nobody by that name on the list.
    let twice = post(
        &app,
        LQD,
        &admin,
        "go-vai-tro",
        &[("csrf", &csrf), ("ma-trang", "lqd"), ("username", "gv.lqd")],
    )
    .await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    twice.assert_contains("Người này không có vai trò trên trang đã chọn.");
}

#[tokio::test]
async fn a_site_administrator_cannot_give_roles_on_another_site() {
    let app = TestApp::demo().await;
    add_user(&app, "admin.lqd", "lqd", Role::Admin).await;
    add_user(&app, "gv.so", "so", Role::Writer).await;
    let so = site_id(&app, "so").await;
    let admin = session(&app, LQD, "admin.lqd").await;
    let (_, csrf) = people(&app, LQD, &admin, "").await;

    let new_there = post(
        &app,
        LQD,
        &admin,
        "them",
        &[
            ("csrf", &csrf),
            ("ma-trang", "so"),
            ("loai", "moi"),
            ("username", "nguoi.la"),
            ("full_name", "Người Lạ"),
            ("vai-tro", "admin"),
        ],
    )
    .await;
    assert_eq!(new_there.status, StatusCode::FORBIDDEN);
    new_there.assert_contains(
        "Bạn chỉ quản lý được người dùng của những trang mà bạn là quản trị viên.",
    );
    assert!(
        app.store
            .user_by_username("nguoi.la")
            .await
            .unwrap()
            .is_none()
    );

    // Nor may they change or remove a role there, or give themselves one.
    for (path, extra) in [
        ("doi-vai-tro", ("vai-tro", "admin")),
        ("go-vai-tro", ("vai-tro", "")),
    ] {
        let res = post(
            &app,
            LQD,
            &admin,
            path,
            &[
                ("csrf", &csrf),
                ("ma-trang", "so"),
                ("username", "gv.so"),
                extra,
            ],
        )
        .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{path}");
    }
    let myself = post(
        &app,
        LQD,
        &admin,
        "them",
        &[
            ("csrf", &csrf),
            ("ma-trang", "so"),
            ("loai", "co-san"),
            ("username", "admin.lqd"),
            ("vai-tro", "admin"),
        ],
    )
    .await;
    assert_eq!(myself.status, StatusCode::FORBIDDEN);
    assert_eq!(roles_of(&app, "gv.so").await, vec![(so, Role::Writer)]);
    assert_eq!(roles_of(&app, "admin.lqd").await.len(), 1);
    // A writer of the site may not use the page at all.
    add_user(&app, "gv.lqd", "lqd", Role::Writer).await;
    let writer = session(&app, LQD, "gv.lqd").await;
    let (refused, _) = people(&app, LQD, &writer, "").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_site_administrator_sees_only_the_people_of_their_sites() {
    let app = TestApp::demo().await;
    add_user(&app, "admin.lqd", "lqd", Role::Admin).await;
    add_user(&app, "gv.lqd", "lqd", Role::Writer).await;
    add_user(&app, "gv.so", "so", Role::Writer).await;
    add_user(&app, "gv.nguyendu", "nguyendu", Role::Editor).await;
    let admin = session(&app, LQD, "admin.lqd").await;
    let (list, _) = people(&app, LQD, &admin, "").await;
    assert!(row(&list, "gv.lqd").is_some());
    assert!(row(&list, "gv.so").is_none(), "a person of the department");
    assert!(
        row(&list, "gv.nguyendu").is_none(),
        "a person of another school"
    );
    list.assert_lacks(SO_NAME);
    // Asking for another site's people by its key is refused.
    for key in ["so", "nguyendu", "khong-co"] {
        let (other, _) = people(&app, LQD, &admin, &format!("?ma-trang={key}")).await;
        assert_eq!(other.status, StatusCode::FORBIDDEN, "{key}");
        other.assert_lacks("gv.");
    }

    // Administering two schools: the picker offers exactly those two.
    let nd = site_id(&app, "nguyendu").await;
    let (me, _) = app
        .store
        .user_by_username("admin.lqd")
        .await
        .unwrap()
        .unwrap();
    app.store.grant_role(me.id, nd, Role::Admin).await.unwrap();
    let (list, _) = people(&app, LQD, &admin, "?ma-trang=nguyendu").await;
    assert_eq!(list.status, StatusCode::OK);
    list.assert_contains("<option value=\"nguyendu\" selected>Trường THCS Nguyễn Du</option>");
    list.assert_contains(&format!("<option value=\"lqd\">{LQD_NAME}</option>"));
    list.assert_lacks("<option value=\"so\"");
    assert!(row(&list, "gv.nguyendu").is_some());
    assert!(row(&list, "gv.lqd").is_none());
}

#[tokio::test]
async fn a_site_administrator_cannot_change_a_super_administrator() {
    let app = TestApp::demo().await;
    add_user(&app, "admin.so", "so", Role::Admin).await;
    let boss = super_admin(&app, "sep").await;
    let so = site_id(&app, "so").await;
    // A role of theirs on the site, as a super-administrator might have been given.
    app.store.grant_role(boss, so, Role::Writer).await.unwrap();
    let admin = session(&app, SO, "admin.so").await;
    let (list, csrf) = people(&app, SO, &admin, "").await;
    let r = row(&list, "sep").expect("a super-administrator works on every site");
    assert!(r.contains("<td>Quản trị tối cao</td>"), "{r}");
    assert!(
        !r.contains("doi-vai-tro") && !r.contains("go-vai-tro"),
        "{r}"
    );
    // Nor their own row.
    let mine = row(&list, "admin.so").unwrap();
    assert!(!mine.contains("doi-vai-tro"), "{mine}");

    for (path, form) in [
        (
            "doi-vai-tro",
            vec![("username", "sep"), ("vai-tro", "editor")],
        ),
        ("go-vai-tro", vec![("username", "sep")]),
        (
            "them",
            vec![
                ("loai", "co-san"),
                ("username", "sep"),
                ("vai-tro", "editor"),
            ],
        ),
    ] {
        let mut full = vec![("csrf", csrf.as_str()), ("ma-trang", "so")];
        full.extend(form);
        let res = post(&app, SO, &admin, path, &full).await;
        assert_eq!(res.status, StatusCode::FORBIDDEN, "{path}");
        res.assert_contains("Không thể cấp, đổi hay gỡ vai trò của quản trị tối cao");
    }
    assert_eq!(roles_of(&app, "sep").await, vec![(so, Role::Writer)]);
    // Their own role neither.
    let own = post(
        &app,
        SO,
        &admin,
        "doi-vai-tro",
        &[
            ("csrf", &csrf),
            ("ma-trang", "so"),
            ("username", "admin.so"),
            ("vai-tro", "writer"),
        ],
    )
    .await;
    assert_eq!(own.status, StatusCode::FORBIDDEN);
    own.assert_contains("Bạn không thể tự đổi hay gỡ vai trò của chính mình");
    assert_eq!(roles_of(&app, "admin.so").await, vec![(so, Role::Admin)]);
}

#[tokio::test]
async fn a_super_administrator_gives_roles_on_any_site() {
    let app = TestApp::demo().await;
    super_admin(&app, "sep").await;
    add_user(&app, "gv.so", "so", Role::Writer).await;
    let (so, nd) = (site_id(&app, "so").await, site_id(&app, "nguyendu").await);
    let boss = session(&app, SO, "sep").await;
    let (list, csrf) = people(&app, SO, &boss, "?ma-trang=nguyendu").await;
    assert_eq!(list.status, StatusCode::OK);
    // Every site in the picker, the one asked for chosen.
    list.assert_contains(&format!("<option value=\"so\">{SO_NAME}</option>"));
    list.assert_contains(&format!("<option value=\"lqd\">{LQD_NAME}</option>"));
    list.assert_contains("<option value=\"nguyendu\" selected>Trường THCS Nguyễn Du</option>");
    list.assert_contains("Người có vai trò trên trang Trường THCS Nguyễn Du");

    let added = post(
        &app,
        SO,
        &boss,
        "them",
        &[
            ("csrf", &csrf),
            ("ma-trang", "nguyendu"),
            ("loai", "co-san"),
            ("username", "gv.so"),
            ("vai-tro", "admin"),
        ],
    )
    .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    added.assert_contains("Đã cấp vai trò Quản trị trên trang Trường THCS Nguyễn Du");
    assert!(row(&added, "gv.so").is_some());
    let created = post(
        &app,
        SO,
        &boss,
        "them",
        &[
            ("csrf", &csrf),
            ("ma-trang", "nguyendu"),
            ("loai", "moi"),
            ("username", "ht.nguyendu"),
            ("full_name", "Phạm Văn Hiệu"),
            ("vai-tro", "editor"),
        ],
    )
    .await;
    assert_eq!(created.status, StatusCode::OK, "{}", created.body);
    assert_eq!(
        roles_of(&app, "ht.nguyendu").await,
        vec![(nd, Role::Editor)]
    );
    let changed = post(
        &app,
        SO,
        &boss,
        "doi-vai-tro",
        &[
            ("csrf", &csrf),
            ("ma-trang", "nguyendu"),
            ("username", "gv.so"),
            ("vai-tro", "writer"),
        ],
    )
    .await;
    assert_eq!(changed.status, StatusCode::OK, "{}", changed.body);
    assert_eq!(
        roles_of(&app, "gv.so").await,
        vec![(so, Role::Writer), (nd, Role::Writer)]
    );
    let log = audit_of(&app, nd).await;
    for action in ["cấp vai trò", "tạo tài khoản", "đổi vai trò"] {
        assert!(log.iter().any(|(a, _)| a == action), "{action}: {log:?}");
    }
    assert!(
        !audit_of(&app, so)
            .await
            .iter()
            .any(|(a, _)| a.contains("vai trò")),
        "entered under the site changed, not the one the page was on"
    );
}

// ---------------------------------------------------------------- the hand-off

/// Where a response sends the browser: (host, path and query).
fn split_location(page: &Page) -> (String, String) {
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let to = page.location();
    let rest = to.split_once("://").map(|(_, r)| r).unwrap_or(to);
    let (host, path) = rest.split_once('/').unwrap();
    (host.to_owned(), format!("/{path}"))
}

/// Runs a hand-off from `from` (signed in with `cookie`) to the site `to`, up to the
/// link with the token: (target host, link path, the target's browser cookie).
async fn handoff_link(
    app: &TestApp,
    from: &str,
    cookie: &str,
    to: &str,
) -> (String, String, String) {
    let first = app
        .get_with(
            from,
            &format!("/quan-tri/chuyen-trang?den={to}"),
            &[("cookie", cookie)],
        )
        .await;
    let (there, ask) = split_location(&first);
    assert!(ask.starts_with("/quan-tri/nhan-phien?tu="), "{ask}");
    let asked = app.get(&there, &ask).await;
    let secret = asked.set_cookie("ep_chuyen").expect("a browser secret");
    let line = asked.set_cookie_line("ep_chuyen").unwrap();
    assert!(
        line.contains("HttpOnly") && line.contains("Max-Age=120"),
        "{line}"
    );
    let (back, make) = split_location(&asked);
    assert_eq!(back, from, "back to the host of the session");
    let made = app
        .get_with(
            from,
            &make,
            &[("cookie", cookie), ("x-forwarded-for", "10.7.7.7")],
        )
        .await;
    let (target, link) = split_location(&made);
    assert_eq!(target, there);
    assert!(link.starts_with("/quan-tri/nhan-phien?ma="), "{link}");
    (target, link, format!("ep_chuyen={secret}"))
}

#[tokio::test]
async fn several_sites_are_listed_and_the_handoff_works_once_and_only_once() {
    let app = TestApp::demo().await;
    let both = add_user(&app, "lan.nguyen", "so", Role::Writer).await;
    let (so, lqd) = (site_id(&app, "so").await, site_id(&app, "lqd").await);
    app.store.grant_role(both, lqd, Role::Editor).await.unwrap();
    let cookie = session(&app, SO, "lan.nguyen").await;

    // The dashboard lists both sites with her role on each; the header links there.
    let dash = app.get_with(SO, "/quan-tri", &[("cookie", &cookie)]).await;
    dash.assert_contains("<h2 id=\"trang-ban-quan-ly-tieu-de\">Trang bạn quản lý</h2>");
    dash.assert_contains(&format!(
        "<td><a href=\"/quan-tri/chuyen-trang?den=lqd\">{LQD_NAME}</a></td><td>Biên tập viên</td>"
    ));
    dash.assert_contains(&format!(
        "<td>{SO_NAME} <span class=\"badge\">đang xem</span></td><td>Phóng viên/Cộng tác viên</td>"
    ));
    dash.assert_lacks("Trường THCS Nguyễn Du");
    dash.assert_contains("<a href=\"/quan-tri#trang-ban-quan-ly\">Trang bạn quản lý</a>");

    // No session on the school's host yet.
    let before = app.get(LQD, "/quan-tri").await;
    assert_eq!(before.status, StatusCode::SEE_OTHER);
    assert!(before.location().starts_with("/quan-tri/dang-nhap"));

    let (host, link, secret) = handoff_link(&app, SO, &cookie, "lqd").await;
    assert_eq!(host, LQD);
    let landed = app
        .get_with(
            &host,
            &link,
            &[("cookie", &secret), ("x-forwarded-for", "10.7.7.7")],
        )
        .await;
    assert_eq!(landed.status, StatusCode::SEE_OTHER, "{}", landed.body);
    assert_eq!(landed.location(), "/quan-tri");
    assert_eq!(
        landed.set_cookie("ep_chuyen").as_deref(),
        Some(""),
        "secret cleared"
    );
    let there = format!("ep_phien={}", landed.set_cookie("ep_phien").unwrap());
    let dash = app.get_with(LQD, "/quan-tri", &[("cookie", &there)]).await;
    assert_eq!(dash.status, StatusCode::OK);
    dash.assert_contains("Vai trò của bạn trên trang này: <strong>Biên tập viên</strong>");
    dash.assert_contains(&format!(
        "<td><a href=\"/quan-tri/chuyen-trang?den=so\">{SO_NAME}</a></td>"
    ));

    // Once only: the same link again is refused calmly, with a way to log in.
    let again = app.get_with(&host, &link, &[("cookie", &secret)]).await;
    assert_eq!(again.status, StatusCode::FORBIDDEN);
    again.assert_contains("Liên kết chuyển trang này đã được dùng hoặc không còn hiệu lực.");
    again.assert_contains(
        "<a class=\"button button-primary\" href=\"/quan-tri/dang-nhap\">Đăng nhập</a>",
    );
    assert!(again.set_cookie("ep_phien").is_none());
    assert_eq!(again.headers["cache-control"], "no-store");

    // Audited at both ends.
    let from_log = audit_of(&app, so).await;
    assert!(
        from_log.contains(&("chuyển sang trang khác".into(), LQD_NAME.into())),
        "{from_log:?}"
    );
    let to_log = audit_of(&app, lqd).await;
    assert!(
        to_log.contains(&("đăng nhập".into(), format!("chuyển từ trang {SO_NAME}"))),
        "{to_log:?}"
    );
}

#[tokio::test]
async fn the_handoff_keeps_the_scheme_and_port_and_counts_as_the_two_step_login() {
    let app = TestApp::demo().await;
    let both = add_user(&app, "lan.nguyen", "so", Role::Admin).await;
    let lqd = site_id(&app, "lqd").await;
    app.store.grant_role(both, lqd, Role::Writer).await.unwrap();
    let cookie = session(&app, SO, "lan.nguyen").await;
    // Two-step login turned on after she logged in here.
    app.store
        .start_totp(both, "JBSWY3DPEHPK3PXP")
        .await
        .unwrap();
    app.store.enable_totp(both, 1, &[], now()).await.unwrap();
    let direct = log_in(&app, LQD, "lan.nguyen", PASSWORD).await;
    assert_eq!(
        direct.location(),
        "/quan-tri/dang-nhap/ma-xac-thuc",
        "a code asked for"
    );

    // On 127.0.0.1:8080 behind a proxy that says HTTPS.
    let from = "127.0.0.1:8080";
    let proxy = [("cookie", cookie.as_str()), ("x-forwarded-proto", "https")];
    let first = app
        .get_with(from, "/quan-tri/chuyen-trang?den=lqd", &proxy)
        .await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    assert_eq!(
        first.location(),
        "https://lqd.localhost:8080/quan-tri/nhan-phien?tu=127.0.0.1"
    );
    let asked = app
        .get_with(
            "lqd.localhost:8080",
            "/quan-tri/nhan-phien?tu=127.0.0.1",
            &[("x-forwarded-proto", "https")],
        )
        .await;
    assert!(
        asked
            .set_cookie_line("ep_chuyen")
            .unwrap()
            .contains("Secure")
    );
    assert!(
        asked
            .location()
            .starts_with("https://127.0.0.1:8080/quan-tri/chuyen-trang?den=lqd&kiem="),
        "{}",
        asked.location()
    );
    let back = asked.location().split_once("8080").unwrap().1.to_owned();
    let made = app.get_with(from, &back, &proxy).await;
    assert!(
        made.location()
            .starts_with("https://lqd.localhost:8080/quan-tri/nhan-phien?ma="),
        "{}",
        made.location()
    );
    let link = made.location().split_once("8080").unwrap().1.to_owned();
    let secret = format!("ep_chuyen={}", asked.set_cookie("ep_chuyen").unwrap());
    let landed = app
        .get_with(
            "lqd.localhost:8080",
            &link,
            &[("cookie", &secret), ("x-forwarded-proto", "https")],
        )
        .await;
    assert_eq!(landed.status, StatusCode::SEE_OTHER, "{}", landed.body);
    assert_eq!(landed.location(), "/quan-tri", "no code asked for");
    assert!(
        landed
            .set_cookie_line("ep_phien")
            .unwrap()
            .contains("Secure")
    );

    // A host no site claims is never a place to send the browser back to.
    let elsewhere = app.get(LQD, "/quan-tri/nhan-phien?tu=evil.example").await;
    assert_eq!(elsewhere.status, StatusCode::BAD_REQUEST);
    assert!(elsewhere.location().is_empty());
    assert!(elsewhere.set_cookie("ep_chuyen").is_none());
}

#[tokio::test]
async fn a_handoff_link_works_only_in_the_browser_that_asked_for_it() {
    let app = TestApp::demo().await;
    // Login CSRF: someone makes a link for their own account and gets another
    // person's browser to open it. That browser lacks the maker's secret.
    let maker = add_user(&app, "ke.gian", "so", Role::Writer).await;
    let lqd = site_id(&app, "lqd").await;
    app.store
        .grant_role(maker, lqd, Role::Writer)
        .await
        .unwrap();
    let cookie = session(&app, SO, "ke.gian").await;
    let (host, link, secret) = handoff_link(&app, SO, &cookie, "lqd").await;
    // The other person's browser, which never went through the school's step.
    let res = app.get(&host, &link).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    res.assert_contains("chỉ dùng được trên trình duyệt đã tạo ra nó");
    assert!(res.set_cookie("ep_phien").is_none());
    // That try used the link up, even for the browser that asked for it.
    let late = app.get_with(&host, &link, &[("cookie", &secret)]).await;
    assert_eq!(late.status, StatusCode::FORBIDDEN);
    late.assert_contains("đã được dùng hoặc không còn hiệu lực");
    // A browser that has a secret of the school's, but not the one of this link.
    let (_, link, _) = handoff_link(&app, SO, &cookie, "lqd").await;
    let (_, _, other_secret) = handoff_link(&app, SO, &cookie, "lqd").await;
    let res = app
        .get_with(&host, &link, &[("cookie", &other_secret)])
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    res.assert_contains("chỉ dùng được trên trình duyệt đã tạo ra nó");
    assert!(res.set_cookie("ep_phien").is_none());
    let log = audit_of(&app, lqd).await;
    assert!(
        log.iter()
            .any(|(a, d)| a == "chuyển trang bị từ chối" && d.contains("trình duyệt")),
        "{log:?}"
    );
}

#[tokio::test]
async fn a_handoff_expires_and_is_refused_for_another_sites_host() {
    let app = TestApp::demo().await;
    let both = add_user(&app, "lan.nguyen", "so", Role::Writer).await;
    let (so, lqd, nd) = (
        site_id(&app, "so").await,
        site_id(&app, "lqd").await,
        site_id(&app, "nguyendu").await,
    );
    app.store.grant_role(both, lqd, Role::Writer).await.unwrap();
    app.store.grant_role(both, nd, Role::Writer).await.unwrap();
    let secret = "5".repeat(64);
    let browser = format!("ep_chuyen={secret}");
    let make = |token: &'static str, site: SiteId, made: i64, expires_at: i64| {
        let store = app.store.clone();
        let browser_hash = web::auth::token_hash(&secret);
        async move {
            store
                .create_handoff(
                    &web::auth::token_hash(token),
                    &Handoff {
                        user: both,
                        site,
                        from_site: Some(so),
                        browser_hash,
                        expires_at,
                    },
                    made,
                )
                .await
                .unwrap();
        }
    };
    let t = now();
    // Made 61 seconds ago, good for 60.
    make("het-han", lqd, t - 61, t - 1).await;
    let expired = app
        .get_with(
            LQD,
            "/quan-tri/nhan-phien?ma=het-han",
            &[("cookie", &browser)],
        )
        .await;
    assert_eq!(expired.status, StatusCode::FORBIDDEN);
    expired.assert_contains("Liên kết chuyển trang này đã hết hạn");
    assert!(expired.set_cookie("ep_phien").is_none());

    // A token for the school Lê Quý Đôn, brought to Nguyễn Du's host.
    make("cho-lqd", lqd, t, t + 60).await;
    let wrong_site = app
        .get_with(
            ND,
            "/quan-tri/nhan-phien?ma=cho-lqd",
            &[("cookie", &browser)],
        )
        .await;
    assert_eq!(wrong_site.status, StatusCode::FORBIDDEN);
    wrong_site.assert_contains("được tạo cho một trang khác");
    assert!(wrong_site.set_cookie("ep_phien").is_none());
    // … and it is used up: not good at Lê Quý Đôn afterwards either.
    let after = app
        .get_with(
            LQD,
            "/quan-tri/nhan-phien?ma=cho-lqd",
            &[("cookie", &browser)],
        )
        .await;
    assert_eq!(after.status, StatusCode::FORBIDDEN);

    // The same made right works, which shows the refusals above were for their reasons.
    make("dung", lqd, t, t + 60).await;
    let right = app
        .get_with(LQD, "/quan-tri/nhan-phien?ma=dung", &[("cookie", &browser)])
        .await;
    assert_eq!(right.status, StatusCode::SEE_OTHER, "{}", right.body);
    assert!(right.set_cookie("ep_phien").is_some());
}

#[tokio::test]
async fn a_handoff_is_refused_to_someone_without_a_role_there_or_disabled() {
    let app = TestApp::demo().await;
    let lan = add_user(&app, "lan.nguyen", "so", Role::Writer).await;
    let lqd = site_id(&app, "lqd").await;
    let cookie = session(&app, SO, "lan.nguyen").await;
    // No role at the school: no list, and the switch is refused on the spot.
    let dash = app.get_with(SO, "/quan-tri", &[("cookie", &cookie)]).await;
    dash.assert_lacks("Trang bạn quản lý");
    let refused = app
        .get_with(SO, "/quan-tri/chuyen-trang?den=lqd", &[("cookie", &cookie)])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    refused.assert_contains(&format!("Bạn chưa có vai trò trên trang {LQD_NAME}"));
    refused.assert_contains("href=\"/quan-tri\">Về bảng điều khiển</a>");
    let unknown = app
        .get_with(
            SO,
            "/quan-tri/chuyen-trang?den=khong-co",
            &[("cookie", &cookie)],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    unknown.assert_contains("Không có trang nào mang mã này");
    // Without a session: to the login page, as every back-office page.
    let anonymous = app.get(SO, "/quan-tri/chuyen-trang?den=lqd").await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(anonymous.location().starts_with("/quan-tri/dang-nhap"));

    // A role given, a link made, the role taken away before the link is used.
    app.store.grant_role(lan, lqd, Role::Writer).await.unwrap();
    let (host, link, secret) = handoff_link(&app, SO, &cookie, "lqd").await;
    add_user(&app, "admin.lqd", "lqd", Role::Admin).await;
    let admin = session(&app, LQD, "admin.lqd").await;
    let (_, csrf) = people(&app, LQD, &admin, "").await;
    let removed = post(
        &app,
        LQD,
        &admin,
        "go-vai-tro",
        &[
            ("csrf", &csrf),
            ("ma-trang", "lqd"),
            ("username", "lan.nguyen"),
        ],
    )
    .await;
    assert_eq!(removed.status, StatusCode::OK);
    let res = app.get_with(&host, &link, &[("cookie", &secret)]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    res.assert_contains("Tài khoản của bạn không có quyền quản trị trang này.");
    assert!(res.set_cookie("ep_phien").is_none());

    // A disabled account: refused too.
    app.store.grant_role(lan, lqd, Role::Writer).await.unwrap();
    let (host, link, secret) = handoff_link(&app, SO, &cookie, "lqd").await;
    store::testing::set_user_active(&app.store, lan, false)
        .await
        .unwrap();
    let res = app.get_with(&host, &link, &[("cookie", &secret)]).await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    res.assert_contains("Tài khoản của bạn đã bị khóa.");
    assert!(res.set_cookie("ep_phien").is_none());
}

#[tokio::test]
async fn a_suspended_site_is_listed_without_a_way_in() {
    let app = TestApp::demo().await;
    let lan = add_user(&app, "lan.nguyen", "so", Role::Writer).await;
    let nd = site_id(&app, "nguyendu").await;
    app.store.grant_role(lan, nd, Role::Editor).await.unwrap();
    let note = store::AuditNote {
        user: None,
        action: "",
        ip: "",
    };
    app.store
        .set_site_suspended(nd, true, note, now())
        .await
        .unwrap();
    app.state.sites.reload(&app.store).await.unwrap();
    let cookie = session(&app, SO, "lan.nguyen").await;
    let dash = app.get_with(SO, "/quan-tri", &[("cookie", &cookie)]).await;
    dash.assert_contains(
        "<td>Trường THCS Nguyễn Du <span class=\"badge\">tạm ngừng hoạt động</span></td><td>Biên tập viên</td>",
    );
    dash.assert_lacks("chuyen-trang?den=nguyendu");
    let refused = app
        .get_with(
            SO,
            "/quan-tri/chuyen-trang?den=nguyendu",
            &[("cookie", &cookie)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    refused.assert_contains("Trang Trường THCS Nguyễn Du đang tạm ngừng hoạt động.");
}
