//! Emulation and commendation (issue 17), as the people who use it see it: the
//! department launches a movement and follows who registered; schools register by
//! form and by sheet (all or nothing, every bad row named) and send proposals that
//! move through their statuses, each move made by its side only and seen by both;
//! decisions go public with names, positions and units, never a date of birth.

mod common;

use axum::http::StatusCode;
use common::{Page, TestApp, add_user, multipart, session};
use domain::Role;
use rust_xlsxwriter::Workbook;

const SO: &str = "localhost";
const LQD: &str = "lqd.localhost";
const ND: &str = "nguyendu.localhost";

/// A signed-in person on a host.
struct Person<'a> {
    app: &'a TestApp,
    host: &'static str,
    cookie: String,
}

impl<'a> Person<'a> {
    async fn new(
        app: &'a TestApp,
        host: &'static str,
        username: &str,
        site: &str,
        role: Role,
    ) -> Person<'a> {
        add_user(app, username, site, role).await;
        Person {
            app,
            host,
            cookie: session(app, host, username).await,
        }
    }

    async fn get(&self, path: &str) -> Page {
        self.app
            .get_with(self.host, path, &[("cookie", &self.cookie)])
            .await
    }

    /// The session's form token, from the overview.
    async fn csrf(&self) -> String {
        let page = self.get("/quan-tri/thi-dua").await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        page.field("csrf")
    }

    async fn post(&self, path: &str, fields: &[(&str, &str)]) -> Page {
        let token = self.csrf().await;
        let mut form = vec![("csrf", token.as_str())];
        form.extend_from_slice(fields);
        self.app
            .post_form(self.host, path, &form, &[("cookie", &self.cookie)])
            .await
    }

    async fn upload(&self, path: &str, name: &str, bytes: &[u8]) -> Page {
        let token = self.csrf().await;
        let (ct, body) = multipart(&[("csrf", &token)], &[(name, bytes)]);
        self.app
            .post_bytes(self.host, path, &ct, body, &[("cookie", &self.cookie)])
            .await
    }
}

/// The id at the end of a redirect's location.
fn id_of(page: &Page) -> String {
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    page.location().rsplit('/').next().unwrap().to_owned()
}

async fn launch(so: &Person<'_>, name: &str) -> String {
    let made = so
        .post(
            "/quan-tri/thi-dua/phong-trao",
            &[
                ("name", name),
                ("slogan", "Dạy tốt – Học tốt"),
                ("kind", "hang-nam"),
                ("school_year", "2026-2027"),
                ("decision_number", "1200/QĐ-SGDĐT"),
                ("decision_date", "05/09/2026"),
                ("deadline", "30/09/2026"),
                ("content", "Thi đua dạy tốt, học tốt."),
            ],
        )
        .await;
    id_of(&made)
}

fn sheet(rows: &[[&str; 6]]) -> Vec<u8> {
    let mut book = Workbook::new();
    let ws = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write(r as u32, c as u16, *v).unwrap();
        }
    }
    book.save_to_buffer().unwrap()
}

const HEAD: [&str; 6] = [
    "Loại",
    "Danh hiệu",
    "Họ tên",
    "Ngày sinh",
    "Chức vụ",
    "Đơn vị",
];

#[tokio::test]
async fn a_school_registers_by_form_and_by_sheet_all_or_nothing() {
    let app = TestApp::demo().await;
    let so = Person::new(&app, SO, "td.so", "so", Role::Emulation).await;
    let lqd = Person::new(&app, LQD, "qt.lqd", "lqd", Role::Admin).await;
    let id = launch(
        &so,
        "Phong trào thi đua Dạy tốt – Học tốt năm học 2026-2027",
    )
    .await;
    let path = format!("/quan-tri/thi-dua/phong-trao/{id}");

    // By form: a person without a date of birth comes back as typed.
    let bad = lqd
        .post(
            &format!("{path}/dang-ky"),
            &[
                ("kind", "ca-nhan"),
                ("title", "Chiến sĩ thi đua cơ sở"),
                ("full_name", "Trần Thị Hồng Nhung"),
                ("birth_date", "31/02/1985"),
                ("position", "Giáo viên"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.assert_contains("Ngày sinh “31/02/1985” không đúng");
    bad.assert_contains("value=\"Trần Thị Hồng Nhung\"");
    let good = lqd
        .post(
            &format!("{path}/dang-ky"),
            &[
                ("kind", "ca-nhan"),
                ("title", "Chiến sĩ thi đua cơ sở"),
                ("full_name", "Trần Thị Hồng Nhung"),
                ("birth_date", "12/03/1985"),
                ("position", "Giáo viên"),
            ],
        )
        .await;
    assert_eq!(good.status, StatusCode::SEE_OTHER, "{}", good.body);

    // By sheet: two bad rows, each named with its line; nothing is kept.
    let bytes = sheet(&[
        HEAD,
        [
            "Cá nhân",
            "Lao động tiên tiến",
            "Lê Văn Tám",
            "02/01/1990",
            "Giáo viên",
            "",
        ],
        [
            "Cá nhân",
            "Anh hùng",
            "Phạm Thu Hà",
            "03/04/1991",
            "Giáo viên",
            "",
        ],
        ["Cá nhân", "Lao động tiên tiến", "", "", "", ""],
        [
            "Tập thể",
            "Tập thể lao động xuất sắc",
            "Tổ Toán – Tin",
            "",
            "",
            "",
        ],
    ]);
    let refused = lqd
        .upload(&format!("{path}/nhap"), "dang-ky.xlsx", &bytes)
        .await;
    assert_eq!(
        refused.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        refused.body
    );
    refused.assert_contains("Chưa nhập dòng nào");
    refused.assert_contains("Dòng 3: danh hiệu “Anh hùng” không có trong danh mục");
    refused.assert_contains("Dòng 4: chưa có họ tên; chưa có ngày sinh.");
    refused.assert_lacks("Dòng 2:");
    let page = lqd.get(&path).await;
    page.assert_lacks("Lê Văn Tám");

    let bytes = sheet(&[
        HEAD,
        [
            "Cá nhân",
            "lao dong tien tien",
            "Lê Văn Tám",
            "02/01/1990",
            "Giáo viên",
            "",
        ],
        [
            "Tập thể",
            "Tập thể lao động xuất sắc",
            "Tổ Toán – Tin",
            "",
            "",
            "",
        ],
    ]);
    let kept = lqd
        .upload(&format!("{path}/nhap"), "dang-ky.xlsx", &bytes)
        .await;
    assert_eq!(kept.status, StatusCode::SEE_OTHER, "{}", kept.body);
    let page = lqd.get(&path).await;
    page.assert_contains("Lê Văn Tám");
    page.assert_contains("Lao động tiên tiến");
    page.assert_contains("Tổ Toán – Tin");
    page.assert_contains("02/01/1990");
    page.assert_contains("Trần Thị Hồng Nhung");
}

#[tokio::test]
async fn the_department_sets_a_deadline_and_sees_who_has_not_registered() {
    let app = TestApp::demo().await;
    let so = Person::new(&app, SO, "td.so", "so", Role::Emulation).await;
    let lqd = Person::new(&app, LQD, "qt.lqd", "lqd", Role::Admin).await;
    let id = launch(&so, "Phong trào Trường học hạnh phúc").await;
    let path = format!("/quan-tri/thi-dua/phong-trao/{id}");
    let set = so
        .post(&format!("{path}/han"), &[("deadline", "15/10/2026")])
        .await;
    assert_eq!(set.status, StatusCode::SEE_OTHER, "{}", set.body);

    let before = so.get(&path).await;
    before.assert_contains("15/10/2026");
    let missing = before.body.split("id=\"chua-dang-ky\"").nth(1).unwrap();
    let missing = missing.split("</section>").next().unwrap();
    assert!(
        missing.contains("Trường THPT Chuyên Lê Quý Đôn"),
        "{missing}"
    );
    assert!(missing.contains("Trường THCS Nguyễn Du"), "{missing}");
    assert!(missing.contains("Trường Tiểu học Kim Đồng"), "{missing}");

    lqd.post(
        &format!("{path}/dang-ky"),
        &[("kind", "tap-the"), ("title", "Tập thể lao động tiên tiến")],
    )
    .await;
    let after = so.get(&path).await;
    let missing = after.body.split("id=\"chua-dang-ky\"").nth(1).unwrap();
    let missing = missing.split("</section>").next().unwrap();
    assert!(!missing.contains("Lê Quý Đôn"), "{missing}");
    assert!(missing.contains("Trường THCS Nguyễn Du"), "{missing}");
    let registered = after.body.split("id=\"da-dang-ky\"").nth(1).unwrap();
    assert!(registered.contains("Trường THPT Chuyên Lê Quý Đôn: 1 dòng"));
    // The school sees the deadline on its overview.
    let overview = lqd.get("/quan-tri/thi-dua").await;
    overview.assert_contains("15/10/2026");
    overview.assert_contains("Đã đăng ký 1 dòng");
}

/// A school's proposal with two teachers, sent; its id.
async fn sent_proposal(lqd: &Person<'_>) -> String {
    let made = lqd
        .post(
            "/quan-tri/thi-dua/de-nghi",
            &[
                ("title", "Đề nghị khen thưởng năm học 2025-2026"),
                ("form", "Bằng khen"),
                ("level", "Giám đốc Sở Giáo dục và Đào tạo"),
            ],
        )
        .await;
    let id = id_of(&made);
    for (name, birth) in [
        ("Nguyễn Thị Thu Hằng", "12/03/1985"),
        ("Đỗ Minh Khôi", "07/11/1979"),
    ] {
        let added = lqd
            .post(
                &format!("/quan-tri/thi-dua/de-nghi/{id}/nguoi"),
                &[
                    ("kind", "ca-nhan"),
                    ("full_name", name),
                    ("birth_date", birth),
                    ("position", "Giáo viên"),
                    ("achievement", "Giáo viên dạy giỏi cấp tỉnh hai năm liền."),
                ],
            )
            .await;
        assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    }
    let sent = lqd
        .post(
            &format!("/quan-tri/thi-dua/de-nghi/{id}/chuyen"),
            &[("action", "gui"), ("note", "")],
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.body);
    id
}

async fn move_to(p: &Person<'_>, id: &str, action: &str, note: &str) -> Page {
    p.post(
        &format!("/quan-tri/thi-dua/de-nghi/{id}/chuyen"),
        &[("action", action), ("note", note)],
    )
    .await
}

#[tokio::test]
async fn every_move_of_a_proposal_is_made_by_its_side_and_seen_by_both() {
    let app = TestApp::demo().await;
    let so = Person::new(&app, SO, "td.so", "so", Role::Emulation).await;
    let lqd = Person::new(&app, LQD, "qt.lqd", "lqd", Role::Admin).await;

    // A draft is the school's alone.
    let made = lqd
        .post(
            "/quan-tri/thi-dua/de-nghi",
            &[
                ("title", "Đề nghị nháp"),
                ("form", "Bằng khen"),
                ("level", "Chủ tịch Ủy ban nhân dân tỉnh"),
            ],
        )
        .await;
    let draft = id_of(&made);
    let empty = move_to(&lqd, &draft, "gui", "").await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    empty.assert_contains("Đề nghị chưa có cá nhân hay tập thể nào");
    so.get("/quan-tri/thi-dua/de-nghi")
        .await
        .assert_lacks("Đề nghị nháp");
    assert_eq!(
        so.get(&format!("/quan-tri/thi-dua/de-nghi/{draft}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let id = sent_proposal(&lqd).await;
    let path = format!("/quan-tri/thi-dua/de-nghi/{id}");
    let list = so.get("/quan-tri/thi-dua/de-nghi").await;
    list.assert_contains("Đề nghị khen thưởng năm học 2025-2026");
    list.assert_contains("Trường THPT Chuyên Lê Quý Đôn");
    list.assert_contains("Đã gửi");

    // The school cannot receive its own proposal; the department cannot send.
    let wrong = move_to(&lqd, &id, "tiep-nhan", "").await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    wrong.assert_contains("Việc này do bộ phận thi đua của Sở làm, không phải bạn.");
    // A return needs its reason.
    let bare = move_to(&so, &id, "tra-lai", " ").await;
    assert_eq!(bare.status, StatusCode::UNPROCESSABLE_ENTITY);
    bare.assert_contains("Vui lòng ghi lý do trả lại");
    let back = move_to(&so, &id, "tra-lai", "Thiếu biên bản họp hội đồng thi đua.").await;
    assert_eq!(back.status, StatusCode::SEE_OTHER, "{}", back.body);
    let seen = lqd.get(&path).await;
    seen.assert_contains("<dd class=\"proposal-status\">Trả lại</dd>");
    seen.assert_contains("Thiếu biên bản họp hội đồng thi đua.");
    seen.assert_contains("Nguyễn Văn Thử");
    // The school corrects and sends again; the department takes it through.
    assert_eq!(
        move_to(&lqd, &id, "gui", "Đã bổ sung biên bản.")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        move_to(&so, &id, "khen-thuong", "").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    for action in ["tiep-nhan", "xet"] {
        let moved = move_to(&so, &id, action, "").await;
        assert_eq!(
            moved.status,
            StatusCode::SEE_OTHER,
            "{action}: {}",
            moved.body
        );
    }
    let reviewing = so.get(&path).await;
    reviewing.assert_contains("Đang xét");
    let entries: Vec<String> = reviewing
        .body
        .split("name=\"ket-qua-")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_owned())
        .collect();
    assert_eq!(entries.len(), 2, "{}", reviewing.body);
    let k0 = format!("ket-qua-{}", entries[0]);
    let k1 = format!("ket-qua-{}", entries[1]);
    let saved = so
        .post(&format!("{path}/ket-qua"), &[(&k0, "khen"), (&k1, "khen")])
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        move_to(&so, &id, "khen-thuong", "Hội đồng thống nhất.")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    for side in [&so, &lqd] {
        let page = side.get(&path).await;
        page.assert_contains("<dd class=\"proposal-status\">Đã khen thưởng</dd>");
        for step in [
            "Nháp",
            "Đã gửi",
            "Trả lại",
            "Đã tiếp nhận",
            "Đang xét",
            "Đã khen thưởng",
        ] {
            page.assert_contains(&format!("<strong>{step}</strong>"));
        }
        page.assert_contains("Hội đồng thống nhất.");
    }
    // Nothing moves after the end.
    assert_eq!(
        move_to(&so, &id, "tra-lai", "x").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

#[tokio::test]
async fn only_the_departments_emulation_people_and_the_school_itself_see_a_proposal() {
    let app = TestApp::demo().await;
    let lqd = Person::new(&app, LQD, "qt.lqd", "lqd", Role::Admin).await;
    let nd = Person::new(&app, ND, "qt.nd", "nguyendu", Role::Admin).await;
    let id = sent_proposal(&lqd).await;
    let other = nd.get(&format!("/quan-tri/thi-dua/de-nghi/{id}")).await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    other.assert_contains("Đề nghị này là của đơn vị khác");
    let moved = nd
        .post(
            &format!("/quan-tri/thi-dua/de-nghi/{id}/chuyen"),
            &[("action", "gui")],
        )
        .await;
    assert_eq!(moved.status, StatusCode::FORBIDDEN);
    nd.get("/quan-tri/thi-dua/de-nghi")
        .await
        .assert_contains("Chưa có đề nghị nào.");

    // The department's plain administrator and a school's writer have no desk here.
    add_user(&app, "qt.so", "so", Role::Admin).await;
    let admin = session(&app, SO, "qt.so").await;
    let refused = app
        .get_with(SO, "/quan-tri/thi-dua/de-nghi", &[("cookie", &admin)])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    refused.assert_contains("Thi đua – Khen thưởng");
    add_user(&app, "pv.lqd", "lqd", Role::Writer).await;
    let writer = session(&app, LQD, "pv.lqd").await;
    let refused = app
        .get_with(
            LQD,
            &format!("/quan-tri/thi-dua/de-nghi/{id}"),
            &[("cookie", &writer)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_published_decision_shows_its_people_on_both_sites_without_birth_dates() {
    let app = TestApp::demo().await;
    let so = Person::new(&app, SO, "td.so", "so", Role::Emulation).await;
    let lqd = Person::new(&app, LQD, "qt.lqd", "lqd", Role::Admin).await;
    let id = sent_proposal(&lqd).await;
    for action in ["tiep-nhan", "xet", "khen-thuong"] {
        assert_eq!(
            move_to(&so, &id, action, "").await.status,
            StatusCode::SEE_OTHER
        );
    }
    let form = so
        .get(&format!("/quan-tri/thi-dua/quyet-dinh?de-nghi={id}"))
        .await;
    form.assert_contains(
        "selected>Trường THPT Chuyên Lê Quý Đôn – Đề nghị khen thưởng năm học 2025-2026",
    );
    let bad = so
        .post(
            "/quan-tri/thi-dua/quyet-dinh",
            &[
                ("number", ""),
                ("decided_on", "32/11/2026"),
                ("level", "Giám đốc Sở Giáo dục và Đào tạo"),
                ("form", "Bằng khen"),
                ("proposal", &id),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.assert_contains("Vui lòng nhập số quyết định.");
    bad.assert_contains("Ngày quyết định “32/11/2026” không đúng");
    let made = so
        .post(
            "/quan-tri/thi-dua/quyet-dinh",
            &[
                ("number", "1520/QĐ-SGDĐT"),
                ("decided_on", "20/11/2026"),
                ("level", "Giám đốc Sở Giáo dục và Đào tạo"),
                ("form", "Bằng khen"),
                ("proposal", &id),
            ],
        )
        .await;
    let decision = id_of(&made);
    let page = so
        .get(&format!("/quan-tri/thi-dua/quyet-dinh/{decision}"))
        .await;
    page.assert_contains("Nguyễn Thị Thu Hằng");
    page.assert_contains("Đỗ Minh Khôi");
    page.assert_contains("Chưa công bố");

    // Not yet public.
    let public = app.get(SO, "/thi-dua-khen-thuong").await;
    assert_eq!(public.status, StatusCode::OK);
    public.assert_lacks("Nguyễn Thị Thu Hằng");
    let published = so
        .post(
            &format!("/quan-tri/thi-dua/quyet-dinh/{decision}/cong-bo"),
            &[],
        )
        .await;
    assert_eq!(
        published.status,
        StatusCode::SEE_OTHER,
        "{}",
        published.body
    );

    for host in [SO, LQD] {
        let page = app.get(host, "/thi-dua-khen-thuong").await;
        page.assert_contains("Nguyễn Thị Thu Hằng");
        page.assert_contains("Đỗ Minh Khôi");
        page.assert_contains("1520/QĐ-SGDĐT, 20/11/2026");
        page.assert_lacks("12/03/1985");
        page.assert_lacks("1985-03-12");
    }
    // Another school's page shows its own people only.
    app.get(ND, "/thi-dua-khen-thuong")
        .await
        .assert_lacks("Nguyễn Thị Thu Hằng");
    // Searched without tone marks, and by filters.
    let found = app
        .get(SO, "/thi-dua-khen-thuong?q=nguyen%20thi%20thu%20hang")
        .await;
    found.assert_contains("Nguyễn Thị Thu Hằng");
    found.assert_lacks("Đỗ Minh Khôi");
    let by_year = app
        .get(
            SO,
            "/thi-dua-khen-thuong?nam=2026&hinh-thuc=B%E1%BA%B1ng%20khen&don-vi=lqd",
        )
        .await;
    by_year.assert_contains("Đỗ Minh Khôi");
    app.get(SO, "/thi-dua-khen-thuong?nam=2019")
        .await
        .assert_lacks("Đỗ Minh Khôi");
    // A person's entry: name, position, unit; never the date of birth.
    let link = found
        .body
        .split("href=\"/thi-dua-khen-thuong/khen/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let entry = app
        .get(LQD, &format!("/thi-dua-khen-thuong/khen/{link}"))
        .await;
    assert_eq!(entry.status, StatusCode::OK);
    entry.assert_contains("Giáo viên");
    entry.assert_contains("Trường THPT Chuyên Lê Quý Đôn");
    entry.assert_lacks("1985");
    assert_eq!(
        app.get(ND, &format!("/thi-dua-khen-thuong/khen/{link}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

fn read_sheet(bytes: &[u8]) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let name = book.sheet_names()[0].clone();
    let range = book.worksheet_range(&name).unwrap();
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

#[tokio::test]
async fn the_exports_read_back_as_spreadsheets() {
    let app = TestApp::demo().await;
    let so = Person::new(&app, SO, "td.so", "so", Role::Emulation).await;
    let lqd = Person::new(&app, LQD, "qt.lqd", "lqd", Role::Admin).await;
    let id = sent_proposal(&lqd).await;
    assert_eq!(
        move_to(&so, &id, "tiep-nhan", "").await.status,
        StatusCode::SEE_OTHER
    );
    let xlsx = so
        .get("/quan-tri/thi-dua/de-nghi.xlsx?trang-thai=da-tiep-nhan")
        .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert_eq!(
        xlsx.headers["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let rows = read_sheet(&xlsx.bytes);
    assert_eq!(rows[0][1], "Đơn vị đề nghị");
    assert_eq!(rows.len(), 3, "{rows:?}");
    assert_eq!(rows[1][7], "Nguyễn Thị Thu Hằng");
    assert_eq!(rows[1][8], "12/03/1985");
    assert_eq!(rows[2][7], "Đỗ Minh Khôi");
    assert_eq!(rows[1][5], "Đã tiếp nhận");
    let none = so
        .get("/quan-tri/thi-dua/de-nghi.xlsx?trang-thai=dang-xet")
        .await;
    assert_eq!(read_sheet(&none.bytes).len(), 1, "the header only");

    // The "Dân vận khéo" registry: registered by a school, recognised by the department.
    let made = lqd
        .post(
            "/quan-tri/thi-dua/dan-van-kheo",
            &[
                ("name", "Góc học tập cho em"),
                ("field", "Văn hoá – xã hội"),
                ("year", "2026"),
                ("description", "Dựng góc học tập cho học sinh khó khăn."),
            ],
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    app.get(SO, "/dan-van-kheo")
        .await
        .assert_lacks("Góc học tập cho em");
    let list = so.get("/quan-tri/thi-dua/dan-van-kheo").await;
    let row = list
        .body
        .split("<tr>")
        .find(|r| r.contains("Góc học tập cho em"))
        .unwrap();
    let model = row
        .split("/quan-tri/thi-dua/dan-van-kheo/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let ok = so
        .post(
            &format!("/quan-tri/thi-dua/dan-van-kheo/{model}/cong-nhan"),
            &[("level", "Giám đốc Sở Giáo dục và Đào tạo")],
        )
        .await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let public = app
        .get(
            ND,
            "/dan-van-kheo?linh-vuc=V%C4%83n%20ho%C3%A1%20%E2%80%93%20x%C3%A3%20h%E1%BB%99i",
        )
        .await;
    public.assert_contains("Góc học tập cho em");
    let xlsx = app.get(SO, "/dan-van-kheo.xlsx?q=goc%20hoc%20tap").await;
    assert_eq!(xlsx.status, StatusCode::OK);
    let rows = read_sheet(&xlsx.bytes);
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert_eq!(rows[1][1], "Trường THPT Chuyên Lê Quý Đôn");
    assert_eq!(rows[1][2], "Góc học tập cho em");
    assert_eq!(rows[1][5], "Giám đốc Sở Giáo dục và Đào tạo");
}

#[tokio::test]
async fn a_movements_page_lists_the_articles_tagged_with_it() {
    let app = TestApp::demo().await;
    let so = Person::new(&app, SO, "td.so", "so", Role::Emulation).await;
    let id = launch(&so, "Phong trào Xây dựng trường học xanh").await;
    let home = app.get(SO, "/").await;
    let href = home
        .body
        .split(" class=\"card-title\"><a href=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let article = app.get(SO, &href).await;
    let title = article
        .body
        .split("<h1")
        .nth(1)
        .unwrap()
        .split('>')
        .nth(1)
        .unwrap()
        .split('<')
        .next()
        .unwrap()
        .trim()
        .to_owned();
    let page = app
        .get(SO, &format!("/thi-dua-khen-thuong/phong-trao/{id}"))
        .await;
    page.assert_contains("Phong trào Xây dựng trường học xanh");
    page.assert_contains("Dạy tốt – Học tốt");
    page.assert_contains("1200/QĐ-SGDĐT ngày 05/09/2026");
    page.assert_contains("Chưa có bài viết nào.");
    let tagged = so
        .post(
            &format!("/quan-tri/thi-dua/phong-trao/{id}/bai-viet"),
            &[("article", &href)],
        )
        .await;
    assert_eq!(tagged.status, StatusCode::SEE_OTHER, "{}", tagged.body);
    let page = app
        .get(SO, &format!("/thi-dua-khen-thuong/phong-trao/{id}"))
        .await;
    page.assert_contains(&format!("<a href=\"{href}\">{title}</a>"));
    let unknown = so
        .post(
            &format!("/quan-tri/thi-dua/phong-trao/{id}/bai-viet"),
            &[("article", "/tin-tuc/khong-co/bai-khong-co")],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_demo_province_has_a_movement_a_decision_its_stories_and_five_models() {
    let app = TestApp::demo().await;
    let page = app.get(SO, "/thi-dua-khen-thuong").await;
    page.assert_contains("Hoàng Thị Mai Anh");
    page.assert_contains("Tổ Toán – Tin");
    page.assert_contains("1402/QĐ-SGDĐT, 28/07/2026");
    page.assert_contains(
        "Phong trào thi đua “Đổi mới, sáng tạo trong dạy và học” năm học 2026–2027",
    );
    page.assert_lacks("1982");
    // The story is linked from the entry, and the entry from the story.
    let story = page
        .body
        .split("class=\"story-link\" href=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    let story = format!("/tin-tuc/{}", story.split("/tin-tuc/").nth(1).unwrap());
    let article = app.get(SO, &story).await;
    assert_eq!(article.status, StatusCode::OK);
    article.assert_contains("Gương điển hình tiên tiến: <a href=\"/thi-dua-khen-thuong/khen/");
    article.assert_contains(">Hoàng Thị Mai Anh</a>");
    // A school's page shows its own people only.
    let nd = app.get(ND, "/thi-dua-khen-thuong").await;
    nd.assert_contains("Lương Thị Hải Yến");
    nd.assert_lacks("Hoàng Thị Mai Anh");
    // The registry of models, filtered without tone marks.
    app.get(SO, "/dan-van-kheo")
        .await
        .assert_contains("5 mô hình được công nhận.");
    let found = app.get(LQD, "/dan-van-kheo?q=tu%20sach").await;
    found.assert_contains("Tủ sách nhân ái");
    found.assert_contains("1 mô hình được công nhận.");
    // The movement's page lists the article that launched it.
    let movement = page
        .body
        .split("href=\"/thi-dua-khen-thuong/phong-trao/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    app.get(SO, &format!("/thi-dua-khen-thuong/phong-trao/{movement}"))
        .await
        .assert_contains("Phát động phong trào thi đua năm học 2026–2027");
}

#[tokio::test]
async fn the_department_reminds_the_units_that_have_not_registered() {
    let app = TestApp::demo().await;
    let so = Person::new(&app, SO, "td.so", "so", Role::Emulation).await;
    let lqd = Person::new(&app, LQD, "qt.lqd", "lqd", Role::Admin).await;
    let id = launch(&so, "Phong trào Nhà giáo tận tâm").await;
    lqd.post(
        &format!("/quan-tri/thi-dua/phong-trao/{id}/dang-ky"),
        &[("kind", "tap-the"), ("title", "Tập thể lao động tiên tiến")],
    )
    .await;
    let sent = so
        .post(&format!("/quan-tri/thi-dua/phong-trao/{id}/nhac"), &[])
        .await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    sent.assert_contains("Đã đưa 1 thư nhắc vào hàng gửi.");
    sent.assert_contains("Trường Tiểu học Kim Đồng");
    // Nguyễn Du has a site with an address; Lê Quý Đôn registered, so is not reminded.
    let mails = app
        .store
        .mail_to("thcsnguyendu.hoathuan@binhan.edu.vn")
        .await
        .unwrap();
    assert_eq!(mails.len(), 1);
    assert!(
        mails[0].0.subject.contains("Phong trào Nhà giáo tận tâm"),
        "{:?}",
        mails[0].0
    );
    assert!(
        mails[0].0.body.contains("hạn đăng ký 30/09/2026"),
        "{:?}",
        mails[0].0
    );
    assert!(
        app.store
            .mail_to("thptchuyenlqd@binhan.edu.vn")
            .await
            .unwrap()
            .is_empty()
    );
}

/// The smallest PDF a reader opens.
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

#[tokio::test]
async fn files_go_with_a_movement_a_proposal_and_a_decision_judged_by_their_bytes() {
    let app = TestApp::demo().await;
    let so = Person::new(&app, SO, "td.so", "so", Role::Emulation).await;
    let lqd = Person::new(&app, LQD, "qt.lqd", "lqd", Role::Admin).await;
    let id = launch(&so, "Phong trào Chuyển đổi số").await;
    let kept = so
        .upload(
            &format!("/quan-tri/thi-dua/phong-trao/{id}/tep"),
            "quyet-dinh-phat-dong.pdf",
            PDF,
        )
        .await;
    assert_eq!(kept.status, StatusCode::SEE_OTHER, "{}", kept.body);
    app.get(SO, &format!("/thi-dua-khen-thuong/phong-trao/{id}"))
        .await
        .assert_contains("Tệp đính kèm: <a href=\"/media/");
    // A school cannot attach to the department's movement.
    let refused = lqd
        .upload(
            &format!("/quan-tri/thi-dua/phong-trao/{id}/tep"),
            "x.pdf",
            PDF,
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // A proposal's dossier: a program dressed as a PDF is refused.
    let made = lqd
        .post(
            "/quan-tri/thi-dua/de-nghi",
            &[
                ("title", "Đề nghị có hồ sơ"),
                ("form", "Giấy khen"),
                ("level", "Hiệu trưởng"),
            ],
        )
        .await;
    let p = id_of(&made);
    let bad = lqd
        .upload(
            &format!("/quan-tri/thi-dua/de-nghi/{p}/tep"),
            "to-trinh.pdf",
            b"MZ\x90\x00not a pdf at all",
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    let good = lqd
        .upload(
            &format!("/quan-tri/thi-dua/de-nghi/{p}/tep"),
            "to-trinh.pdf",
            PDF,
        )
        .await;
    assert_eq!(good.status, StatusCode::SEE_OTHER, "{}", good.body);
    lqd.get(&format!("/quan-tri/thi-dua/de-nghi/{p}"))
        .await
        .assert_contains("to-trinh.pdf</a>");
}

#[tokio::test]
async fn a_form_without_the_sessions_token_is_refused() {
    let app = TestApp::demo().await;
    let so = Person::new(&app, SO, "td.so", "so", Role::Emulation).await;
    let res = app
        .post_form(
            SO,
            "/quan-tri/thi-dua/phong-trao",
            &[
                ("csrf", "sai"),
                ("name", "Phong trào giả"),
                ("kind", "hang-nam"),
            ],
            &[("cookie", &so.cookie)],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    res.assert_contains("Biểu mẫu đã hết hạn");
    so.get("/quan-tri/thi-dua")
        .await
        .assert_lacks("Phong trào giả");
    // The public pages answer without a session, the back office does not.
    assert_eq!(
        app.get(SO, "/thi-dua-khen-thuong").await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get(SO, "/quan-tri/thi-dua").await.status,
        StatusCode::SEE_OTHER
    );
}

/// The value of the checkbox whose label is `label` (a parent unit's id).
fn parent_choice(page: &Page, label: &str) -> String {
    let before = page
        .body
        .split(&format!("\">{label}</label>"))
        .next()
        .unwrap();
    before.rsplit("for=\"pv-cha-").next().unwrap().to_owned()
}

/// The part of a page between an element's id and the end of its section.
fn section<'p>(page: &'p Page, id: &str) -> &'p str {
    let after = page.body.split(&format!("id=\"{id}\"")).nth(1).unwrap();
    after.split("</section>").next().unwrap()
}

#[tokio::test]
async fn a_movement_scoped_to_a_parent_reaches_exactly_the_units_under_it() {
    let app = TestApp::demo().await;
    let so = Person::new(&app, SO, "td.so", "so", Role::Emulation).await;
    let lqd = Person::new(&app, LQD, "qt.lqd", "lqd", Role::Admin).await;
    let nd = Person::new(&app, ND, "qt.nd", "nguyendu", Role::Admin).await;
    let home = so.get("/quan-tri/thi-dua").await;
    let le_loi = parent_choice(&home, "Phường Lê Lợi");
    // The department is the whole sector, not a choice; a school has nothing under it.
    home.assert_lacks("\">Sở Giáo dục và Đào tạo tỉnh Bình An</label>");
    home.assert_lacks("\">Trường THPT Chuyên Lê Quý Đôn</label>");
    let made = so
        .post(
            "/quan-tri/thi-dua/phong-trao",
            &[
                ("name", "Phong trào Phường Lê Lợi đọc sách"),
                ("kind", "theo-dot"),
                ("parent", &le_loi),
                ("deadline", "30/10/2026"),
            ],
        )
        .await;
    let id = id_of(&made);
    let path = format!("/quan-tri/thi-dua/phong-trao/{id}");
    let page = so.get(&path).await;
    page.assert_contains("Các đơn vị thuộc Phường Lê Lợi");
    // Under the ward, at any depth: its two schools, and no one else.
    let missing = section(&page, "chua-dang-ky");
    assert!(missing.contains("Trường THCS Nguyễn Du"), "{missing}");
    assert!(missing.contains("Trường Tiểu học Kim Đồng"), "{missing}");
    assert!(!missing.contains("Lê Quý Đôn"), "{missing}");
    assert!(!missing.contains("Hoa Sen"), "{missing}");
    // A school outside does not see it, nor may it register.
    lqd.get("/quan-tri/thi-dua")
        .await
        .assert_lacks("Phường Lê Lợi đọc sách");
    assert_eq!(lqd.get(&path).await.status, StatusCode::NOT_FOUND);
    let refused = lqd
        .post(
            &format!("{path}/dang-ky"),
            &[("kind", "tap-the"), ("title", "Tập thể lao động tiên tiến")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    // A school under it registers.
    nd.get("/quan-tri/thi-dua")
        .await
        .assert_contains("Phường Lê Lợi đọc sách");
    let kept = nd
        .post(
            &format!("{path}/dang-ky"),
            &[("kind", "tap-the"), ("title", "Tập thể lao động tiên tiến")],
        )
        .await;
    assert_eq!(kept.status, StatusCode::SEE_OTHER, "{}", kept.body);
    // Reminders follow the scope: only Kim Đồng is left, and it has no site.
    let sent = so.post(&format!("{path}/nhac"), &[]).await;
    assert_eq!(sent.status, StatusCode::OK, "{}", sent.body);
    sent.assert_contains("Đã đưa 0 thư nhắc vào hàng gửi.");
    sent.assert_contains(
        "Không gửi được cho (chưa có trang hoặc địa chỉ thư điện tử): Trường Tiểu học Kim Đồng.",
    );
    assert!(
        app.store
            .mail_to("thptchuyenlqd@binhan.edu.vn")
            .await
            .unwrap()
            .is_empty()
    );

    // Kinds and parents narrow together: primary schools under the ward.
    let edited = so
        .post(
            &format!("{path}/sua"),
            &[
                ("name", "Phong trào Phường Lê Lợi đọc sách"),
                ("kind", "theo-dot"),
                ("parent", &le_loi),
                ("scope", "tieu-hoc"),
            ],
        )
        .await;
    assert_eq!(edited.status, StatusCode::SEE_OTHER, "{}", edited.body);
    let page = so.get(&path).await;
    page.assert_contains("Trường tiểu học thuộc Phường Lê Lợi");
    let missing = section(&page, "chua-dang-ky");
    assert!(missing.contains("Kim Đồng"), "{missing}");
    assert!(!missing.contains("Nguyễn Du"), "{missing}");
    assert_eq!(nd.get(&path).await.status, StatusCode::NOT_FOUND);
}

/// The audit log has `action` by `who`.
async fn assert_audited(app: &TestApp, who: &str, action: &str) {
    let log = app.store.audit_entries(50).await.unwrap();
    assert!(
        log.iter().any(|(_, by, a, _)| by == who && a == action),
        "{action}: {log:?}"
    );
}

/// The id in the first `?sua=` link of a page.
fn edit_link(page: &Page) -> String {
    page.body
        .split("href=\"?sua=")
        .nth(1)
        .unwrap()
        .split('#')
        .next()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn a_movement_and_a_registration_are_edited_and_deleted_by_their_owners_only() {
    let app = TestApp::demo().await;
    let so = Person::new(&app, SO, "td.so", "so", Role::Emulation).await;
    let lqd = Person::new(&app, LQD, "qt.lqd", "lqd", Role::Admin).await;
    let nd = Person::new(&app, ND, "qt.nd", "nguyendu", Role::Admin).await;
    let id = launch(&so, "Phong trào Dạy tốt").await;
    let path = format!("/quan-tri/thi-dua/phong-trao/{id}");

    // The department edits its movement; the form comes back filled in.
    let form = so.get(&format!("{path}/sua")).await;
    assert_eq!(form.status, StatusCode::OK);
    form.assert_contains("value=\"Phong trào Dạy tốt\"");
    form.assert_contains("value=\"30/09/2026\"");
    let bad = so
        .post(
            &format!("{path}/sua"),
            &[("name", "Phong trào Dạy tốt – Học tốt"), ("kind", "")],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.assert_contains("Vui lòng chọn loại phong trào.");
    bad.assert_contains("value=\"Phong trào Dạy tốt – Học tốt\"");
    let saved = so
        .post(
            &format!("{path}/sua"),
            &[
                ("name", "Phong trào Dạy tốt – Học tốt"),
                ("kind", "hang-nam"),
                ("deadline", "20/10/2026"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = so.get(&path).await;
    page.assert_contains("Phong trào Dạy tốt – Học tốt");
    page.assert_contains("20/10/2026");
    // A school edits and deletes no movement.
    assert_eq!(
        lqd.get(&format!("{path}/sua")).await.status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        lqd.post(&format!("{path}/xoa"), &[]).await.status,
        StatusCode::FORBIDDEN
    );

    // A school's registration line: edited and deleted by that school only.
    lqd.post(
        &format!("{path}/dang-ky"),
        &[
            ("kind", "ca-nhan"),
            ("title", "Lao động tiên tiến"),
            ("full_name", "Trần Văn Bình"),
            ("birth_date", "01/02/1980"),
            ("position", "Giáo viên"),
        ],
    )
    .await;
    let page = lqd.get(&path).await;
    let line = edit_link(&page);
    let form = lqd.get(&format!("{path}?sua={line}")).await;
    form.assert_contains("Sửa dòng đăng ký");
    form.assert_contains(&format!("action=\"/quan-tri/thi-dua/dang-ky/{line}\""));
    form.assert_contains("value=\"Trần Văn Bình\"");
    form.assert_contains("value=\"01/02/1980\"");
    let other = nd
        .post(
            &format!("/quan-tri/thi-dua/dang-ky/{line}"),
            &[("kind", "ca-nhan"), ("title", "Lao động tiên tiến")],
        )
        .await;
    assert_eq!(other.status, StatusCode::FORBIDDEN);
    other.assert_contains("Dòng đăng ký này là của đơn vị khác");
    assert_eq!(
        nd.post(&format!("/quan-tri/thi-dua/dang-ky/{line}/xoa"), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        so.post(&format!("/quan-tri/thi-dua/dang-ky/{line}/xoa"), &[])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    let bad = lqd
        .post(
            &format!("/quan-tri/thi-dua/dang-ky/{line}"),
            &[
                ("kind", "ca-nhan"),
                ("title", "Anh hùng"),
                ("full_name", "Trần Văn Bình An"),
                ("birth_date", "01/02/1980"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.assert_contains("Danh hiệu “Anh hùng” không có trong danh mục");
    bad.assert_contains("value=\"Trần Văn Bình An\"");
    let fixed = lqd
        .post(
            &format!("/quan-tri/thi-dua/dang-ky/{line}"),
            &[
                ("kind", "ca-nhan"),
                ("title", "Chiến sĩ thi đua cơ sở"),
                ("full_name", "Trần Văn Bình An"),
                ("birth_date", "01/02/1980"),
                ("position", "Tổ trưởng"),
            ],
        )
        .await;
    assert_eq!(fixed.status, StatusCode::SEE_OTHER, "{}", fixed.body);
    let page = so.get(&path).await;
    page.assert_contains("Trần Văn Bình An");
    page.assert_contains("Chiến sĩ thi đua cơ sở");
    let gone = lqd
        .post(&format!("/quan-tri/thi-dua/dang-ky/{line}/xoa"), &[])
        .await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER);
    let page = so.get(&path).await;
    page.assert_lacks("Trần Văn Bình An");
    assert!(section(&page, "chua-dang-ky").contains("Lê Quý Đôn"));
    assert_audited(&app, "qt.lqd", "xoá dòng đăng ký thi đua").await;

    // The department deletes the movement: gone from lists and its public page.
    let deleted = so.post(&format!("{path}/xoa"), &[]).await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    so.get("/quan-tri/thi-dua")
        .await
        .assert_lacks("Phong trào Dạy tốt – Học tốt");
    assert_eq!(
        app.get(SO, &format!("/thi-dua-khen-thuong/phong-trao/{id}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    assert_audited(&app, "td.so", "xoá phong trào thi đua").await;
}

#[tokio::test]
async fn a_proposal_is_edited_and_deleted_by_its_school_while_draft_or_returned() {
    let app = TestApp::demo().await;
    let so = Person::new(&app, SO, "td.so", "so", Role::Emulation).await;
    let lqd = Person::new(&app, LQD, "qt.lqd", "lqd", Role::Admin).await;
    let nd = Person::new(&app, ND, "qt.nd", "nguyendu", Role::Admin).await;
    let made = lqd
        .post(
            "/quan-tri/thi-dua/de-nghi",
            &[
                ("title", "Đề nghị khen giáo viên giỏi"),
                ("form", "Giấy khen"),
                ("level", "Giám đốc Sở Giáo dục và Đào tạo"),
            ],
        )
        .await;
    let id = id_of(&made);
    let path = format!("/quan-tri/thi-dua/de-nghi/{id}");
    lqd.post(
        &format!("{path}/nguoi"),
        &[
            ("kind", "ca-nhan"),
            ("full_name", "Phan Thị Lan"),
            ("birth_date", "09/09/1988"),
            ("position", "Giáo viên"),
            ("achievement", "Giáo viên dạy giỏi cấp tỉnh."),
        ],
    )
    .await;
    // The header: kept as typed when wrong, saved when right.
    let bad = lqd
        .post(
            &format!("{path}/sua"),
            &[
                ("title", "Đề nghị khen năm học 2025–2026"),
                ("form", "Bội tinh"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.assert_contains("Vui lòng chọn hình thức khen thưởng đề nghị.");
    bad.assert_contains("value=\"Đề nghị khen năm học 2025–2026\"");
    let saved = lqd
        .post(
            &format!("{path}/sua"),
            &[
                ("title", "Đề nghị khen năm học 2025–2026"),
                ("form", "Bằng khen"),
                ("level", "Chủ tịch Ủy ban nhân dân tỉnh"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = lqd.get(&path).await;
    page.assert_contains("<h1 class=\"page-title\">Đề nghị khen năm học 2025–2026</h1>");
    page.assert_contains("Chủ tịch Ủy ban nhân dân tỉnh");
    // A person: corrected, then taken out.
    let entry = edit_link(&page);
    let form = lqd.get(&format!("{path}?sua={entry}")).await;
    form.assert_contains("value=\"Phan Thị Lan\"");
    form.assert_contains("value=\"09/09/1988\"");
    let fixed = lqd
        .post(
            &format!("{path}/nguoi/{entry}"),
            &[
                ("kind", "ca-nhan"),
                ("full_name", "Phan Thị Ngọc Lan"),
                ("birth_date", "09/09/1988"),
                ("position", "Tổ phó chuyên môn"),
                ("achievement", "Giáo viên dạy giỏi cấp tỉnh hai năm liền."),
            ],
        )
        .await;
    assert_eq!(fixed.status, StatusCode::SEE_OTHER, "{}", fixed.body);
    lqd.get(&path).await.assert_contains("Phan Thị Ngọc Lan");
    // Another school: refused on each.
    for (to, fields) in [
        (format!("{path}/sua"), vec![("title", "Của tôi")]),
        (format!("{path}/xoa"), vec![]),
        (format!("{path}/nguoi/{entry}"), vec![("full_name", "X")]),
        (format!("{path}/nguoi/{entry}/xoa"), vec![]),
    ] {
        let refused = nd.post(&to, &fields).await;
        assert_eq!(refused.status, StatusCode::FORBIDDEN, "{to}");
        refused.assert_contains("Đề nghị này là của đơn vị khác");
    }
    // The department edits no school's proposal.
    assert_eq!(
        so.post(&format!("{path}/xoa"), &[]).await.status,
        StatusCode::FORBIDDEN
    );
    let out = lqd.post(&format!("{path}/nguoi/{entry}/xoa"), &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    lqd.get(&path).await.assert_lacks("Phan Thị Ngọc Lan");
    lqd.post(
        &format!("{path}/nguoi"),
        &[
            ("kind", "tap-the"),
            ("full_name", "Tổ Ngữ văn"),
            ("achievement", "Tập thể lao động xuất sắc."),
        ],
    )
    .await;

    // Sent, it is no longer the school's to change.
    assert_eq!(
        move_to(&lqd, &id, "gui", "").await.status,
        StatusCode::SEE_OTHER
    );
    let late = lqd
        .post(&format!("{path}/sua"), &[("title", "Đổi tên muộn")])
        .await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
    late.assert_contains("chỉ sửa, xoá được khi còn là nháp hoặc bị trả lại");
    assert_eq!(
        lqd.post(&format!("{path}/xoa"), &[]).await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    lqd.get(&path).await.assert_lacks("href=\"?sua=");
    // Returned with a reason, the school may delete it.
    assert_eq!(
        move_to(&so, &id, "tra-lai", "Thiếu biên bản họp hội đồng.")
            .await
            .status,
        StatusCode::SEE_OTHER
    );
    let gone = lqd.post(&format!("{path}/xoa"), &[]).await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER, "{}", gone.body);
    assert_eq!(lqd.get(&path).await.status, StatusCode::NOT_FOUND);
    lqd.get("/quan-tri/thi-dua/de-nghi")
        .await
        .assert_lacks("Đề nghị khen năm học 2025–2026");
    assert_audited(&app, "qt.lqd", "xoá đề nghị khen thưởng").await;
    assert_audited(&app, "qt.lqd", "sửa người trong đề nghị khen thưởng").await;
}

#[tokio::test]
async fn a_decision_is_edited_withdrawn_and_deleted_and_search_follows() {
    let app = TestApp::demo().await;
    let so = Person::new(&app, SO, "td.so", "so", Role::Emulation).await;
    let lqd = Person::new(&app, LQD, "qt.lqd", "lqd", Role::Admin).await;
    let id = sent_proposal(&lqd).await;
    for action in ["tiep-nhan", "xet", "khen-thuong"] {
        assert_eq!(
            move_to(&so, &id, action, "").await.status,
            StatusCode::SEE_OTHER
        );
    }
    let made = so
        .post(
            "/quan-tri/thi-dua/quyet-dinh",
            &[
                ("number", "1777/QĐ-SGDĐT"),
                ("decided_on", "25/11/2026"),
                ("level", "Giám đốc Sở Giáo dục và Đào tạo"),
                ("form", "Bằng khen"),
                ("proposal", &id),
            ],
        )
        .await;
    let decision = id_of(&made);
    let path = format!("/quan-tri/thi-dua/quyet-dinh/{decision}");
    // Not public: neither on the list nor in search.
    app.get(SO, "/tim-kiem?q=nguyen%20thi%20thu%20hang")
        .await
        .assert_lacks("1777/QĐ-SGDĐT");
    assert_eq!(
        so.post(&format!("{path}/cong-bo"), &[]).await.status,
        StatusCode::SEE_OTHER
    );
    // Found in the site's search without tone marks: number, form and level,
    // the people; never a date of birth. The result opens the decision's list.
    let found = app.get(SO, "/tim-kiem?q=nguyen%20thi%20thu%20hang").await;
    assert_eq!(found.status, StatusCode::OK);
    let plain = found.body.replace("<mark>", "").replace("</mark>", "");
    assert!(
        plain.contains("Quyết định 1777/QĐ-SGDĐT — Bằng khen của Giám đốc Sở Giáo dục và Đào tạo"),
        "{plain}"
    );
    assert!(plain.contains("Nguyễn Thị Thu Hằng"), "{plain}");
    found.assert_lacks("12/03/1985");
    found.assert_lacks("1985-03-12");
    let href = format!("/thi-dua-khen-thuong?quyet-dinh={decision}");
    found.assert_contains(&href.replace('&', "&amp;"));
    let list = app.get(SO, &href).await;
    list.assert_contains("Nguyễn Thị Thu Hằng");
    list.assert_contains("Đỗ Minh Khôi");
    list.assert_lacks("Hoàng Thị Mai Anh");
    app.get(SO, "/tim-kiem?q=1777").await.assert_contains(&href);

    // Edited: the number everywhere, the people as they were, plus one typed.
    let form = so.get(&format!("{path}/sua")).await;
    form.assert_contains("value=\"1777/QĐ-SGDĐT\"");
    form.assert_contains("value=\"25/11/2026\"");
    let bad = so
        .post(
            &format!("{path}/sua"),
            &[
                ("number", "1778/QĐ-SGDĐT"),
                ("decided_on", "31/11/2026"),
                ("level", "Giám đốc Sở Giáo dục và Đào tạo"),
                ("form", "Bằng khen"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.assert_contains("Ngày quyết định “31/11/2026” không đúng");
    bad.assert_contains("value=\"1778/QĐ-SGDĐT\"");
    let saved = so
        .post(
            &format!("{path}/sua"),
            &[
                ("number", "1778/QĐ-SGDĐT"),
                ("decided_on", "26/11/2026"),
                ("level", "Giám đốc Sở Giáo dục và Đào tạo"),
                ("form", "Bằng khen"),
                (
                    "people",
                    "Võ Thanh Tùng; Giáo viên; Trường THPT Chuyên Lê Quý Đôn",
                ),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let public = app.get(LQD, "/thi-dua-khen-thuong").await;
    public.assert_contains("1778/QĐ-SGDĐT, 26/11/2026");
    public.assert_contains("Võ Thanh Tùng");
    public.assert_lacks("1777/QĐ-SGDĐT");
    app.get(SO, "/tim-kiem?q=vo%20thanh%20tung")
        .await
        .assert_contains("1778/QĐ-SGDĐT");
    // One person taken out.
    let page = so.get(&path).await;
    let khoi = page
        .body
        .split("aria-label=\"Bỏ Đỗ Minh Khôi khỏi quyết định\"")
        .next()
        .unwrap()
        .rsplit("name=\"awardee\" value=\"")
        .next()
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let out = so
        .post(&format!("{path}/bo-nguoi"), &[("awardee", &khoi)])
        .await;
    assert_eq!(out.status, StatusCode::SEE_OTHER, "{}", out.body);
    app.get(SO, "/thi-dua-khen-thuong")
        .await
        .assert_lacks("Đỗ Minh Khôi");

    // Another school's administrator has no hand on the department's decision.
    for to in ["thu-hoi", "xoa", "sua"] {
        let refused = lqd.post(&format!("{path}/{to}"), &[]).await;
        assert_eq!(refused.status, StatusCode::NOT_FOUND, "{to}");
    }

    // Withdrawn: off the public pages (cached ones too) and search at once.
    app.get(SO, "/thi-dua-khen-thuong")
        .await
        .assert_contains("Nguyễn Thị Thu Hằng");
    let withdrawn = so.post(&format!("{path}/thu-hoi"), &[]).await;
    assert_eq!(withdrawn.status, StatusCode::SEE_OTHER);
    for host in [SO, LQD] {
        app.get(host, "/thi-dua-khen-thuong")
            .await
            .assert_lacks("Nguyễn Thị Thu Hằng");
    }
    app.get(SO, "/tim-kiem?q=nguyen%20thi%20thu%20hang")
        .await
        .assert_lacks("1778/QĐ-SGDĐT");
    let page = so.get(&path).await;
    page.assert_contains("Chưa công bố");
    page.assert_contains("Công bố quyết định");
    assert_audited(&app, "td.so", "thu hồi công bố quyết định khen thưởng").await;

    // Published again, then deleted: gone from everywhere.
    so.post(&format!("{path}/cong-bo"), &[]).await;
    app.get(SO, "/tim-kiem?q=1778").await.assert_contains(&href);
    let deleted = so.post(&format!("{path}/xoa"), &[]).await;
    assert_eq!(deleted.status, StatusCode::SEE_OTHER);
    app.get(SO, "/thi-dua-khen-thuong")
        .await
        .assert_lacks("Nguyễn Thị Thu Hằng");
    app.get(SO, "/tim-kiem?q=1778").await.assert_lacks(&href);
    assert_eq!(so.get(&path).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_small_forms_come_back_with_the_message_and_what_was_typed() {
    let app = TestApp::demo().await;
    let so = Person::new(&app, SO, "td.so", "so", Role::Emulation).await;
    let lqd = Person::new(&app, LQD, "qt.lqd", "lqd", Role::Admin).await;
    let id = launch(&so, "Phong trào Trường học thân thiện").await;
    let path = format!("/quan-tri/thi-dua/phong-trao/{id}");

    let late = so
        .post(&format!("{path}/han"), &[("deadline", "31/02/2026")])
        .await;
    assert_eq!(late.status, StatusCode::UNPROCESSABLE_ENTITY);
    late.assert_contains("Hạn đăng ký “31/02/2026” không đúng");
    late.assert_contains("value=\"31/02/2026\"");
    late.assert_contains("<h1 class=\"page-title\">Phong trào Trường học thân thiện</h1>");

    let unknown = so
        .post(
            &format!("{path}/bai-viet"),
            &[("article", "/tin-tuc/khong-co/bai-khong-co")],
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);
    unknown.assert_contains("Không tìm thấy bài viết “/tin-tuc/khong-co/bai-khong-co”");
    unknown.assert_contains("value=\"/tin-tuc/khong-co/bai-khong-co\"");

    let empty = so
        .post(
            "/quan-tri/thi-dua/danh-muc",
            &[("kind", "hinh-thuc"), ("name", "  ")],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    empty.assert_contains("Vui lòng chọn loại và nhập tên mục cần thêm vào danh mục.");
    let twice = so
        .post(
            "/quan-tri/thi-dua/danh-muc",
            &[("kind", "hinh-thuc"), ("name", "Bằng khen")],
        )
        .await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    twice.assert_contains("“Bằng khen” đã có trong danh mục.");
    twice.assert_contains(
        "id=\"them-hinh-thuc\" name=\"name\" maxlength=\"200\" value=\"Bằng khen\"",
    );

    let nothing = so
        .upload(&format!("/quan-tri/thi-dua/phong-trao/{id}/tep"), "", b"")
        .await;
    assert_eq!(nothing.status, StatusCode::UNPROCESSABLE_ENTITY);
    nothing.assert_contains("Vui lòng chọn tệp.");

    // A decision's story: an unknown article comes back beside its person.
    let made = so
        .post(
            "/quan-tri/thi-dua/quyet-dinh",
            &[
                ("number", "1900/QĐ-SGDĐT"),
                ("decided_on", "01/12/2026"),
                ("level", "Giám đốc Sở Giáo dục và Đào tạo"),
                ("form", "Giấy khen"),
                ("people", "Lý Thị Hoa; Giáo viên; Trường THCS Nguyễn Du"),
            ],
        )
        .await;
    let decision = id_of(&made);
    let page = so
        .get(&format!("/quan-tri/thi-dua/quyet-dinh/{decision}"))
        .await;
    let awardee = page
        .body
        .split("name=\"awardee\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let story = so
        .post(
            &format!("/quan-tri/thi-dua/quyet-dinh/{decision}/guong"),
            &[("awardee", &awardee), ("article", "bai-khong-co")],
        )
        .await;
    assert_eq!(story.status, StatusCode::UNPROCESSABLE_ENTITY);
    story.assert_contains("Không tìm thấy bài viết “bai-khong-co”");
    story.assert_contains(&format!(
        "id=\"guong-{awardee}\" name=\"article\" maxlength=\"300\" value=\"bai-khong-co\""
    ));

    // A proposal's move without a known action keeps the note.
    let made = lqd
        .post(
            "/quan-tri/thi-dua/de-nghi",
            &[
                ("title", "Đề nghị thử"),
                ("form", "Giấy khen"),
                ("level", "Hiệu trưởng"),
            ],
        )
        .await;
    let pid = id_of(&made);
    let odd = move_to(&lqd, &pid, "bay-len", "Ghi chú đã gõ").await;
    assert_eq!(odd.status, StatusCode::UNPROCESSABLE_ENTITY);
    odd.assert_contains("Không rõ việc cần làm");
    odd.assert_contains(">Ghi chú đã gõ</textarea>");

    // A model's level outside the catalogue.
    let dvk = so.get("/quan-tri/thi-dua/dan-van-kheo").await;
    let model = dvk
        .body
        .split("/quan-tri/thi-dua/dan-van-kheo/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let refused = so
        .post(
            &format!("/quan-tri/thi-dua/dan-van-kheo/{model}/cong-nhan"),
            &[("level", "Cấp vũ trụ")],
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("Cấp công nhận “Cấp vũ trụ” không có trong danh mục");
}
