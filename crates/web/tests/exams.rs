//! Exam results through the router (issue 6): files written here (an XLSX with
//! Vietnamese headers, comma decimals and an Excel date serial; CSVs with BOM and
//! ';'), the preview that saves nothing, imports of all rows or none, the embargo,
//! the date-of-birth rule, the rate limit, history across re-imports, phổ điểm, who
//! may do what, and lookups kept out of the page cache.

mod common;

use axum::http::StatusCode;
use common::{Page, TestApp, add_user, multipart, session};
use domain::Role;
use rust_xlsxwriter::Workbook;

const SO: &str = "localhost";
const LQD: &str = "lqd.localhost";
const PAST: &str = "01/01/2026 08:00";
const FUTURE: &str = "01/01/2099 08:00";

enum X {
    S(&'static str),
    N(f64),
}

fn xlsx(rows: &[Vec<X>]) -> Vec<u8> {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            match *cell {
                X::S(s) => {
                    sheet.write_string(r as u32, c as u16, s).unwrap();
                }
                X::N(n) => {
                    sheet.write_number(r as u32, c as u16, n).unwrap();
                }
            }
        }
    }
    book.save_to_buffer().unwrap()
}

/// 40427 is 6 September 2010 in Excel's serial numbers.
const SERIAL_2010_09_06: f64 = 40427.0;

/// A good results file: a title line, Vietnamese headers, comma decimals as text,
/// a date of birth as an Excel serial number, an absent mark, a column left out.
fn good_xlsx() -> Vec<u8> {
    use X::*;
    xlsx(&[
        vec![S("KẾT QUẢ THI TUYỂN SINH LỚP 10 NĂM HỌC 2026–2027")],
        vec![
            S("STT"),
            S("Số báo danh"),
            S("Họ và tên"),
            S("Ngày sinh"),
            S("Toán"),
            S("Ngữ văn"),
            S("Tiếng Anh"),
            S("Trường THCS"),
            S("Tổng điểm"),
            S("Ghi chú riêng"),
        ],
        vec![
            N(1.0),
            S("010001"),
            S("Nguyễn Thị Lan"),
            N(SERIAL_2010_09_06),
            S("8,25"),
            S("7,5"),
            N(9.0),
            S("THCS Nguyễn Du"),
            S("24,75"),
            S("x"),
        ],
        vec![
            N(2.0),
            S("010002"),
            S("Trần Văn Hùng"),
            S("12/01/2010"),
            S("V"),
            S("6"),
            S("5,5"),
            S("THCS Lê Lợi"),
            S("11,5"),
            S(""),
        ],
        vec![
            N(3.0),
            S("010003"),
            S("Lê Minh Châu"),
            S("30/04/2010"),
            S("9"),
            S("8"),
            S("7,75"),
            S("THCS Nguyễn Du"),
            S("24,75"),
            S(""),
        ],
    ])
}

/// The same with two bad rows: a score out of range and a repeated candidate number.
fn bad_xlsx() -> Vec<u8> {
    use X::*;
    xlsx(&[
        vec![
            S("SBD"),
            S("Họ và tên"),
            S("Ngày sinh"),
            S("Toán"),
            S("Ngữ văn"),
            S("Tiếng Anh"),
        ],
        vec![
            S("010001"),
            S("Nguyễn Thị Lan"),
            S("06/09/2010"),
            S("8,25"),
            S("7,5"),
            S("9"),
        ],
        vec![
            S("010002"),
            S("Trần Văn Hùng"),
            S("12/01/2010"),
            S("11"),
            S("6"),
            S("5,5"),
        ],
        vec![
            S("010001"),
            S("Lê Minh Châu"),
            S("30/04/2010"),
            S("9"),
            S("8"),
            S("7,75"),
        ],
    ])
}

/// A ';' CSV with BOM, as Excel in Vietnamese saves it.
fn bom_csv(lines: &[&str]) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    for l in lines {
        out.extend_from_slice(l.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out
}

async fn editor(app: &TestApp, host: &str, site: &str) -> String {
    let name = format!("bt.{site}");
    add_user(app, &name, site, Role::Editor).await;
    session(app, host, &name).await
}

/// Creates a session through the form; its id.
async fn create_session(
    app: &TestApp,
    host: &str,
    cookie: &str,
    name: &str,
    rule: &str,
    publish: &str,
) -> i64 {
    let form = app
        .get_with(host, "/quan-tri/ky-thi", &[("cookie", cookie)])
        .await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    form.assert_contains("SBD + ngày sinh");
    let csrf = form.field("csrf");
    let res = app
        .post_form(
            host,
            "/quan-tri/ky-thi",
            &[
                ("csrf", &csrf),
                ("ten", name),
                ("nam_hoc", "2026–2027"),
                ("loai", "tuyen-sinh-10"),
                ("quy_tac", rule),
                ("cong_bo", publish),
            ],
            &[("cookie", cookie)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    res.location().rsplit('/').next().unwrap().parse().unwrap()
}

async fn upload(
    app: &TestApp,
    host: &str,
    cookie: &str,
    id: i64,
    file_name: &str,
    bytes: &[u8],
) -> Page {
    let path = format!("/quan-tri/ky-thi/{id}");
    let csrf = app
        .get_with(host, &path, &[("cookie", cookie)])
        .await
        .field("csrf");
    let (content_type, body) = multipart(&[("csrf", &csrf)], &[(file_name, bytes)]);
    app.post_bytes(
        host,
        &format!("{path}/nhap"),
        &content_type,
        body,
        &[("cookie", cookie)],
    )
    .await
}

async fn confirm(app: &TestApp, host: &str, cookie: &str, id: i64, preview: &Page) -> Page {
    app.post_form(
        host,
        &format!("/quan-tri/ky-thi/{id}/xac-nhan"),
        &[
            ("csrf", &preview.field("csrf")),
            ("ma", &preview.field("ma")),
        ],
        &[("cookie", cookie)],
    )
    .await
}

/// Uploads and confirms; the session page shown afterwards.
async fn import(
    app: &TestApp,
    host: &str,
    cookie: &str,
    id: i64,
    file_name: &str,
    bytes: &[u8],
) -> Page {
    let preview = upload(app, host, cookie, id, file_name, bytes).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    let done = confirm(app, host, cookie, id, &preview).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    app.get_with(host, done.location(), &[("cookie", cookie)])
        .await
}

async fn set_publish(app: &TestApp, host: &str, cookie: &str, id: i64, when: &str) {
    let path = format!("/quan-tri/ky-thi/{id}");
    let csrf = app
        .get_with(host, &path, &[("cookie", cookie)])
        .await
        .field("csrf");
    let res = app
        .post_form(
            host,
            &format!("{path}/cong-bo"),
            &[("csrf", &csrf), ("cong_bo", when)],
            &[("cookie", cookie)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
}

async fn lookup(app: &TestApp, host: &str, query: &str, ip: &str) -> Page {
    app.get_with(
        host,
        &format!("/tra-cuu-diem-thi?{query}"),
        &[("x-forwarded-for", ip)],
    )
    .await
}

async fn lookup_json(
    app: &TestApp,
    host: &str,
    query: &str,
    ip: &str,
) -> (Page, serde_json::Value) {
    let page = app
        .get_with(
            host,
            &format!("/tra-cuu-diem-thi.json?{query}"),
            &[("x-forwarded-for", ip)],
        )
        .await;
    let json = serde_json::from_str(&page.body).unwrap_or(serde_json::Value::Null);
    (page, json)
}

async fn candidates_of(app: &TestApp, id: i64) -> i64 {
    app.store
        .exam_session(domain::ExamSessionId(id))
        .await
        .unwrap()
        .unwrap()
        .candidates
}

#[tokio::test]
async fn the_preview_shows_mapping_and_every_bad_row_and_saves_nothing() {
    let app = TestApp::demo().await;
    let cookie = editor(&app, SO, "so").await;
    let id = create_session(
        &app,
        SO,
        &cookie,
        "Tuyển sinh lớp 10",
        "sbd_ngay_sinh",
        PAST,
    )
    .await;

    let preview = upload(&app, SO, &cookie, id, "ket-qua.xlsx", &good_xlsx()).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    preview.assert_contains("Tệp có <strong>3</strong> dòng dữ liệu");
    preview.assert_contains("Chưa có gì được lưu.");
    // Subjects of a new session come from the headers.
    preview.assert_contains("Toán, Ngữ văn, Tiếng Anh");
    // The mapping, column by column, and the column left out.
    preview.assert_contains("<td>B</td><td>Số báo danh</td><td>Số báo danh</td>");
    preview.assert_contains("<td>D</td><td>Ngày sinh</td><td>Ngày sinh</td>");
    preview.assert_contains("<td>E</td><td>Toán</td><td>Điểm Toán</td>");
    preview.assert_contains("Các cột không dùng: STT (A).");
    // Other text columns become extra fields of the card.
    preview.assert_contains("<td>J</td><td>Ghi chú riêng</td><td>Ghi chú riêng</td>");
    // The first rows as the file has them, with their lines.
    preview.assert_contains("<td>3</td><td>1</td><td>010001</td><td>Nguyễn Thị Lan</td>");
    preview.assert_contains("Xác nhận nhập");
    assert_eq!(candidates_of(&app, id).await, 0, "a preview saves nothing");

    let bad = upload(&app, SO, &cookie, id, "loi.xlsx", &bad_xlsx()).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    bad.assert_contains("Tệp có 2 lỗi");
    bad.assert_contains("Dòng 3 (SBD 010002): Điểm Toán &#39;11&#39; ngoài thang 0–10");
    bad.assert_contains("Dòng 4 (SBD 010001): Trùng số báo danh 010001 với dòng 2");
    bad.assert_lacks("Xác nhận nhập");
    assert_eq!(candidates_of(&app, id).await, 0);
    // Nothing to look up either.
    let (res, json) = lookup_json(
        &app,
        SO,
        &format!("ky-thi={id}&sbd=010001&ngay-sinh=06/09/2010"),
        "1.1.1.1",
    )
    .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN, "{}", res.body);
    assert_eq!(json["loi"], "exam_not_published");
}

#[tokio::test]
async fn confirming_imports_every_row_and_readers_see_the_card() {
    let app = TestApp::demo().await;
    let cookie = editor(&app, SO, "so").await;
    let id = create_session(
        &app,
        SO,
        &cookie,
        "Tuyển sinh lớp 10",
        "sbd_ngay_sinh",
        PAST,
    )
    .await;
    let shown = import(&app, SO, &cookie, id, "ket-qua.xlsx", &good_xlsx()).await;
    shown.assert_contains("Đã nhập 3 thí sinh.");
    shown.assert_contains("<td class=\"exam-count\">3</td>");
    assert_eq!(candidates_of(&app, id).await, 3);

    // The Excel serial became 06/09/2010; comma decimals kept; absent is "Vắng".
    let card = lookup(
        &app,
        SO,
        &format!("ky-thi={id}&sbd=010001&ngay-sinh=06/09/2010"),
        "1.1.1.1",
    )
    .await;
    assert_eq!(card.status, StatusCode::OK);
    card.assert_contains("<dd class=\"exam-name\">Nguyễn Thị Lan</dd>");
    card.assert_contains("<dt>Ngày sinh</dt><dd>06/09/2010</dd>");
    card.assert_contains("<dt>Trường</dt><dd>THCS Nguyễn Du</dd>");
    card.assert_contains("<th scope=\"row\">Toán</th><td>8,25</td>");
    card.assert_contains("<th scope=\"row\">Ngữ văn</th><td>7,5</td>");
    card.assert_contains("Tổng điểm: <strong>24,75</strong>");
    card.assert_contains("In kết quả");
    let absent = lookup(
        &app,
        SO,
        &format!("ky-thi={id}&sbd=010002&ngay-sinh=12/01/2010"),
        "1.1.1.1",
    )
    .await;
    absent.assert_contains("<th scope=\"row\">Toán</th><td class=\"exam-absent\">Vắng</td>");

    // A phone's number pad has no "/": the eight digits are the same date.
    let typed = lookup(
        &app,
        SO,
        &format!("ky-thi={id}&sbd=010001&ngay-sinh=06092010"),
        "1.1.1.1",
    )
    .await;
    typed.assert_contains("Nguyễn Thị Lan");
    let (res, json) = lookup_json(
        &app,
        SO,
        &format!("ky-thi={id}&sbd=010001&ngay-sinh=06/09/2010"),
        "1.1.1.1",
    )
    .await;
    assert_eq!(res.status, StatusCode::OK);
    assert_eq!(res.headers["cache-control"], "no-store");
    assert_eq!(json["thi_sinh"]["ho_ten"], "Nguyễn Thị Lan");
    assert_eq!(json["thi_sinh"]["diem"][0]["diem"], 8.25);
    assert_eq!(json["thi_sinh"]["diem"][0]["hien_thi"], "8,25");

    // Create, import and publish are in the audit log.
    let actions: Vec<String> = app
        .store
        .audit_entries(50)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.2)
        .collect();
    for a in ["tạo kỳ thi", "nhập kết quả thi"] {
        assert!(actions.iter().any(|x| x == a), "{a}: {actions:?}");
    }
    set_publish(&app, SO, &cookie, id, PAST).await;
    let actions: Vec<String> = app
        .store
        .audit_entries(50)
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.2)
        .collect();
    assert!(
        actions
            .iter()
            .any(|x| x == "đặt thời điểm công bố kết quả thi")
    );
}

#[tokio::test]
async fn a_file_with_a_bad_row_imports_none() {
    let app = TestApp::demo().await;
    let cookie = editor(&app, SO, "so").await;
    let id = create_session(
        &app,
        SO,
        &cookie,
        "Tuyển sinh lớp 10",
        "sbd_ngay_sinh",
        PAST,
    )
    .await;
    import(&app, SO, &cookie, id, "ket-qua.xlsx", &good_xlsx()).await;
    let bad = upload(&app, SO, &cookie, id, "phuc-khao.xlsx", &bad_xlsx()).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    // No token to confirm with; a made-up one is refused and nothing changes.
    let res = app
        .post_form(
            SO,
            &format!("/quan-tri/ky-thi/{id}/xac-nhan"),
            &[("csrf", &bad.field("csrf")), ("ma", "khong-co")],
            &[("cookie", &cookie)],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Tệp xem trước không còn");
    assert_eq!(candidates_of(&app, id).await, 3);
    let card = lookup(
        &app,
        SO,
        &format!("ky-thi={id}&sbd=010003&ngay-sinh=30/04/2010"),
        "1.1.1.1",
    )
    .await;
    card.assert_contains("Lê Minh Châu");
    card.assert_contains("<th scope=\"row\">Toán</th><td>9</td>");
}

#[tokio::test]
async fn before_the_publish_time_nothing_is_shown() {
    let app = TestApp::demo().await;
    let cookie = editor(&app, SO, "so").await;
    let id = create_session(
        &app,
        SO,
        &cookie,
        "Tuyển sinh lớp 10",
        "sbd_ngay_sinh",
        FUTURE,
    )
    .await;
    import(&app, SO, &cookie, id, "ket-qua.xlsx", &good_xlsx()).await;
    let q = format!("ky-thi={id}&sbd=010001&ngay-sinh=06/09/2010");
    let page = lookup(&app, SO, &q, "1.1.1.1").await;
    page.assert_contains(exam::messages::NOT_PUBLISHED);
    page.assert_lacks("Nguyễn Thị Lan");
    page.assert_contains("chưa công bố");
    let (res, json) = lookup_json(&app, SO, &q, "1.1.1.1").await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert_eq!(json["loi"], "exam_not_published");
    assert_eq!(json["thong_bao"], exam::messages::NOT_PUBLISHED);
    assert!(!res.body.contains("Lan"));
    let dist = app
        .get(SO, &format!("/tra-cuu-diem-thi/{id}/pho-diem"))
        .await;
    assert_eq!(dist.status, StatusCode::NOT_FOUND);

    set_publish(&app, SO, &cookie, id, PAST).await;
    lookup(&app, SO, &q, "1.1.1.1")
        .await
        .assert_contains("Nguyễn Thị Lan");
    assert_eq!(
        app.get(SO, &format!("/tra-cuu-diem-thi/{id}/pho-diem"))
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn a_wrong_date_of_birth_reads_like_an_unknown_number() {
    let app = TestApp::demo().await;
    let cookie = editor(&app, SO, "so").await;
    let id = create_session(
        &app,
        SO,
        &cookie,
        "Tuyển sinh lớp 10",
        "sbd_ngay_sinh",
        PAST,
    )
    .await;
    import(&app, SO, &cookie, id, "ket-qua.xlsx", &good_xlsx()).await;
    let right = lookup(
        &app,
        SO,
        &format!("ky-thi={id}&sbd=010001&ngay-sinh=06/09/2010"),
        "1.1.1.1",
    )
    .await;
    right.assert_contains("Nguyễn Thị Lan");
    let wrong = lookup(
        &app,
        SO,
        &format!("ky-thi={id}&sbd=010001&ngay-sinh=07/09/2010"),
        "1.1.1.1",
    )
    .await;
    let unknown = lookup(
        &app,
        SO,
        &format!("ky-thi={id}&sbd=999999&ngay-sinh=07/09/2010"),
        "1.1.1.1",
    )
    .await;
    let missing = lookup(&app, SO, &format!("ky-thi={id}&sbd=010001"), "1.1.1.1").await;
    for p in [&wrong, &unknown, &missing] {
        assert_eq!(p.status, StatusCode::OK);
        p.assert_contains(exam::messages::NOT_FOUND_SBD_DOB);
        p.assert_lacks("Nguyễn Thị Lan");
    }
    let section = |p: &Page| {
        p.body
            .split("<div class=\"exam-message\"")
            .nth(1)
            .unwrap()
            .split("</div>")
            .next()
            .unwrap()
            .to_owned()
    };
    assert_eq!(section(&wrong), section(&unknown));
    let (a, ja) = lookup_json(
        &app,
        SO,
        &format!("ky-thi={id}&sbd=010001&ngay-sinh=07/09/2010"),
        "1.1.1.1",
    )
    .await;
    let (b, jb) = lookup_json(
        &app,
        SO,
        &format!("ky-thi={id}&sbd=999999&ngay-sinh=07/09/2010"),
        "1.1.1.1",
    )
    .await;
    assert_eq!((a.status, &ja), (b.status, &jb));
    assert_eq!(a.status, StatusCode::NOT_FOUND);

    // A session looked up by number alone asks for no date.
    let by_number = create_session(&app, SO, &cookie, "Học sinh giỏi", "sbd", PAST).await;
    import(
        &app,
        SO,
        &cookie,
        by_number,
        "hsg.csv",
        &bom_csv(&["SBD;Họ và tên;Toán", "HSG01;Phạm Gia Bảo;9,5"]),
    )
    .await;
    let card = lookup(
        &app,
        SO,
        &format!("ky-thi={by_number}&sbd=hsg01"),
        "1.1.1.1",
    )
    .await;
    card.assert_contains("Phạm Gia Bảo");
    card.assert_contains("<td>9,5</td>");
    lookup(
        &app,
        SO,
        &format!("ky-thi={by_number}&sbd=HSG02"),
        "1.1.1.1",
    )
    .await
    .assert_contains(exam::messages::NOT_FOUND_SBD);
}

#[tokio::test]
async fn too_many_lookups_from_one_address_are_asked_to_wait() {
    let app = TestApp::demo_with(|o| {
        o.exam_lookups = web::LookupLimit {
            per_minute: 6,
            burst: 3,
        }
    })
    .await;
    let cookie = editor(&app, SO, "so").await;
    let id = create_session(
        &app,
        SO,
        &cookie,
        "Tuyển sinh lớp 10",
        "sbd_ngay_sinh",
        PAST,
    )
    .await;
    import(&app, SO, &cookie, id, "ket-qua.xlsx", &good_xlsx()).await;
    let q = format!("ky-thi={id}&sbd=010001&ngay-sinh=06/09/2010");
    // The form alone costs nothing.
    for _ in 0..5 {
        assert_eq!(
            app.get_with(SO, "/tra-cuu-diem-thi", &[("x-forwarded-for", "10.0.0.1")])
                .await
                .status,
            StatusCode::OK
        );
    }
    for _ in 0..3 {
        lookup(&app, SO, &q, "10.0.0.1")
            .await
            .assert_contains("Nguyễn Thị Lan");
    }
    let slow_down = lookup(&app, SO, &q, "10.0.0.1").await;
    assert_eq!(slow_down.status, StatusCode::TOO_MANY_REQUESTS);
    let wait: u64 = slow_down.headers["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=10).contains(&wait), "{wait}");
    slow_down.assert_contains(&format!(
        "Bạn tra cứu quá nhanh; vui lòng thử lại sau {wait} giây."
    ));
    slow_down.assert_lacks("Nguyễn Thị Lan");
    let (res, json) = lookup_json(&app, SO, &q, "10.0.0.1").await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers.contains_key("retry-after"));
    assert_eq!(json["loi"], "rate_limited");
    // Another address is not affected.
    lookup(&app, SO, &q, "10.0.0.2")
        .await
        .assert_contains("Nguyễn Thị Lan");
}

#[tokio::test]
async fn a_re_import_keeps_each_candidates_history() {
    let app = TestApp::demo().await;
    let cookie = editor(&app, SO, "so").await;
    let id = create_session(
        &app,
        SO,
        &cookie,
        "Tuyển sinh lớp 10",
        "sbd_ngay_sinh",
        PAST,
    )
    .await;
    let first = bom_csv(&[
        "SBD;Họ và tên;Ngày sinh;Toán;Ngữ văn",
        "0101;Nguyễn Văn An;05/09/2010;7;6,5",
        "0102;Lê Thị Bình;12/01/2010;8;V",
        "0103;Đỗ Hữu Cường;01/02/2010;5;5",
    ]);
    import(&app, SO, &cookie, id, "dot-1.csv", &first).await;
    // After phúc khảo: An's Toán goes up, Bình sat Ngữ văn after all, Cường is
    // gone, Dung is new.
    let second = bom_csv(&[
        "SBD;Họ và tên;Ngày sinh;Toán;Ngữ văn",
        "0101;Nguyễn Văn An;05/09/2010;7,5;6,5",
        "0102;Lê Thị Bình;12/01/2010;8;4,25",
        "0104;Vũ Thị Dung;03/03/2010;6;7",
    ]);
    let shown = import(&app, SO, &cookie, id, "phuc-khao.csv", &second).await;
    shown.assert_contains(
        "Đã nhập 3 thí sinh. 4 thí sinh có kết quả thay đổi so với lần nhập trước.",
    );
    shown.assert_contains("<td>phuc-khao.csv</td><td>3</td><td>4</td><td>bt.so</td>");

    let history = app
        .get_with(
            SO,
            &format!("/quan-tri/ky-thi/{id}/lich-su?sbd=0101"),
            &[("cookie", &cookie)],
        )
        .await;
    assert_eq!(history.status, StatusCode::OK);
    history.assert_contains(
        "<td>phuc-khao.csv</td><td>bt.so</td><td>Điểm Toán</td><td>7</td><td>7,5</td>",
    );
    history.assert_contains("Hiện tại: Nguyễn Văn An – Toán: 7,5; Ngữ văn: 6,5");
    app.get_with(
        SO,
        &format!("/quan-tri/ky-thi/{id}/lich-su?sbd=0102"),
        &[("cookie", &cookie)],
    )
    .await
    .assert_contains("<td>Điểm Ngữ văn</td><td>Vắng</td><td>4,25</td>");
    app.get_with(
        SO,
        &format!("/quan-tri/ky-thi/{id}/lich-su?sbd=0103"),
        &[("cookie", &cookie)],
    )
    .await
    .assert_contains("<td>Bỏ thí sinh</td><td>Đỗ Hữu Cường</td>");
    // Readers see the new scores at once.
    lookup(
        &app,
        SO,
        &format!("ky-thi={id}&sbd=0101&ngay-sinh=05/09/2010"),
        "1.1.1.1",
    )
    .await
    .assert_contains("<th scope=\"row\">Toán</th><td>7,5</td>");
    lookup(
        &app,
        SO,
        &format!("ky-thi={id}&sbd=0103&ngay-sinh=01/02/2010"),
        "1.1.1.1",
    )
    .await
    .assert_contains(exam::messages::NOT_FOUND_SBD_DOB);
}

#[tokio::test]
async fn the_distribution_page_shows_counts_mean_and_median() {
    let app = TestApp::demo().await;
    let cookie = editor(&app, SO, "so").await;
    let id = create_session(&app, SO, &cookie, "Thi thử lớp 9", "sbd", PAST).await;
    // Toán: 5, 6, 7, 7 and one absent: mean 6,25, median 6,5.
    let file = bom_csv(&[
        "SBD;Họ và tên;Toán",
        "01;An;5",
        "02;Bình;6",
        "03;Cường;7",
        "04;Dung;7",
        "05;Em;V",
    ]);
    import(&app, SO, &cookie, id, "thi-thu.csv", &file).await;
    let page = app
        .get(SO, &format!("/tra-cuu-diem-thi/{id}/pho-diem"))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.assert_contains("Phổ điểm Thi thử lớp 9");
    page.assert_contains("Số thí sinh dự thi: <strong>4</strong>");
    page.assert_contains("Vắng thi: <strong>1</strong>");
    page.assert_contains("Điểm trung bình: <strong class=\"pho-diem-tb\">6,25</strong>");
    page.assert_contains("Trung vị: <strong class=\"pho-diem-tv\">6,5</strong>");
    page.assert_contains("<tr><td>7</td><td>2</td><td>50%</td></tr>");
    page.assert_contains("<tr><td>5</td><td>1</td><td>25%</td></tr>");
    page.assert_contains("<tr><td>6,75</td><td>0</td><td>0%</td></tr>");
    page.assert_contains("<svg");
    page.assert_contains("<title>7 điểm: 2 thí sinh</title>");
    // Public and cacheable like other pages.
    assert_ne!(page.headers.get("cache-control").unwrap(), "no-store");
}

#[tokio::test]
async fn writers_are_refused() {
    let app = TestApp::demo().await;
    add_user(&app, "gv.so", "so", Role::Writer).await;
    let cookie = session(&app, SO, "gv.so").await;
    let page = app
        .get_with(SO, "/quan-tri/ky-thi", &[("cookie", &cookie)])
        .await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    page.assert_contains("Chỉ biên tập viên và quản trị viên");
    let csrf = app
        .get_with(SO, "/quan-tri/bai-viet", &[("cookie", &cookie)])
        .await
        .field("csrf");
    let res = app
        .post_form(
            SO,
            "/quan-tri/ky-thi",
            &[("csrf", &csrf), ("ten", "Kỳ thi lạ"), ("quy_tac", "sbd")],
            &[("cookie", &cookie)],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    assert!(app.store.exam_sessions(None).await.unwrap().is_empty());
}

#[tokio::test]
async fn another_sites_session_cannot_be_reached() {
    let app = TestApp::demo().await;
    let so = editor(&app, SO, "so").await;
    let id = create_session(&app, SO, &so, "Tuyển sinh lớp 10", "sbd", PAST).await;
    import(
        &app,
        SO,
        &so,
        id,
        "k.csv",
        &bom_csv(&["SBD;Họ và tên;Toán", "0101;Nguyễn Văn An;7"]),
    )
    .await;
    lookup(&app, SO, &format!("ky-thi={id}&sbd=0101"), "1.1.1.1")
        .await
        .assert_contains("Nguyễn Văn An");

    let lqd = editor(&app, LQD, "lqd").await;
    let admin = app
        .get_with(LQD, &format!("/quan-tri/ky-thi/{id}"), &[("cookie", &lqd)])
        .await;
    assert_eq!(admin.status, StatusCode::NOT_FOUND);
    let list = app
        .get_with(LQD, "/quan-tri/ky-thi", &[("cookie", &lqd)])
        .await;
    list.assert_lacks(&format!("/quan-tri/ky-thi/{id}\""));
    let page = lookup(&app, LQD, &format!("ky-thi={id}&sbd=0101"), "1.1.1.1").await;
    page.assert_lacks("Nguyễn Văn An");
    page.assert_contains("Không tìm thấy kỳ thi đã chọn");
    let (res, json) = lookup_json(&app, LQD, &format!("ky-thi={id}&sbd=0101"), "1.1.1.1").await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);
    assert_eq!(json["loi"], "exam_session_not_found");
    assert_eq!(
        app.get(LQD, &format!("/tra-cuu-diem-thi/{id}/pho-diem"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn lookups_are_never_served_from_the_page_cache() {
    let app = TestApp::demo().await;
    let cookie = editor(&app, SO, "so").await;
    let id = create_session(&app, SO, &cookie, "Học sinh giỏi", "sbd", PAST).await;
    import(
        &app,
        SO,
        &cookie,
        id,
        "hsg.csv",
        &bom_csv(&[
            "SBD;Họ và tên;Toán",
            "A1;Nguyễn Văn An;7",
            "B2;Lê Thị Bình;8",
        ]),
    )
    .await;
    for _ in 0..2 {
        let a = lookup(&app, SO, &format!("ky-thi={id}&sbd=A1"), "1.1.1.1").await;
        let b = lookup(&app, SO, &format!("ky-thi={id}&sbd=B2"), "1.1.1.1").await;
        a.assert_contains("Nguyễn Văn An");
        a.assert_lacks("Lê Thị Bình");
        b.assert_contains("Lê Thị Bình");
        b.assert_lacks("Nguyễn Văn An");
        assert_eq!(a.headers["cache-control"], "no-store");
        assert!(!a.headers.contains_key("etag"));
    }
    // The public menu leads here.
    app.get(SO, "/")
        .await
        .assert_contains("<a href=\"/tra-cuu-diem-thi\">Tra cứu điểm thi</a>");
}

/// Issue 10, item 10: a file of headers alone never replaces a session's candidates,
/// and a re-import that removes more than half of them needs the second tick, which
/// names the count.
#[tokio::test]
async fn an_empty_file_is_refused_and_a_big_removal_needs_a_second_confirmation() {
    use X::*;
    let app = TestApp::demo().await;
    let cookie = editor(&app, SO, "so").await;
    let id = create_session(&app, SO, &cookie, "Tuyển sinh lớp 10", "sbd", PAST).await;
    import(&app, SO, &cookie, id, "ket-qua.xlsx", &good_xlsx()).await;
    assert_eq!(candidates_of(&app, id).await, 3);

    let headers = vec![
        S("Số báo danh"),
        S("Họ và tên"),
        S("Ngày sinh"),
        S("Toán"),
        S("Ngữ văn"),
        S("Tiếng Anh"),
    ];
    let empty = upload(&app, SO, &cookie, id, "rong.xlsx", &xlsx(&[headers])).await;
    assert_eq!(
        empty.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        empty.body
    );
    empty.assert_contains("Tệp không có thí sinh nào dưới dòng tiêu đề");
    empty.assert_lacks("Xác nhận nhập");
    empty.assert_lacks("Sẵn sàng nhập 0");
    let empty_csv = bom_csv(&["SBD;Họ và tên;Ngày sinh;Toán;Ngữ văn;Tiếng Anh"]);
    let empty = upload(&app, SO, &cookie, id, "rong.csv", &empty_csv).await;
    empty.assert_contains("Tệp không có thí sinh nào");
    assert_eq!(candidates_of(&app, id).await, 3);

    // One of the three numbers is left: two removed, more than half.
    let one = bom_csv(&[
        "SBD;Họ và tên;Ngày sinh;Toán;Ngữ văn;Tiếng Anh",
        "010001;Nguyễn Thị Lan;06/09/2010;9;7,5;9",
    ]);
    let preview = upload(&app, SO, &cookie, id, "mot.csv", &one).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    preview.assert_contains("sẽ xoá 2 thí sinh");
    let without = confirm(&app, SO, &cookie, id, &preview).await;
    assert_eq!(
        without.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        without.body
    );
    without.assert_contains("Lần nhập này sẽ xoá 2 trong số 3 thí sinh hiện có");
    without.assert_contains("sẽ xoá 2 thí sinh");
    assert_eq!(candidates_of(&app, id).await, 3);
    // The token survived the refusal; with the tick (the count shown) it imports.
    let with = app
        .post_form(
            SO,
            &format!("/quan-tri/ky-thi/{id}/xac-nhan"),
            &[
                ("csrf", &without.field("csrf")),
                ("ma", &without.field("ma")),
                ("dong_y_xoa", "2"),
            ],
            &[("cookie", &cookie)],
        )
        .await;
    assert_eq!(with.status, StatusCode::SEE_OTHER, "{}", with.body);
    assert_eq!(candidates_of(&app, id).await, 1);

    // Removing one of two is not more than half: no second tick.
    let two = bom_csv(&[
        "SBD;Họ và tên;Ngày sinh;Toán;Ngữ văn;Tiếng Anh",
        "010001;Nguyễn Thị Lan;06/09/2010;9;7,5;9",
        "010009;Hồ Văn Nam;01/01/2010;5;5;5",
    ]);
    import(&app, SO, &cookie, id, "hai.csv", &two).await;
    let back_to_one = upload(&app, SO, &cookie, id, "mot.csv", &one).await;
    back_to_one.assert_lacks("sẽ xoá");
}

/// Posts the preview's sheet choice.
async fn choose_sheet(app: &TestApp, cookie: &str, id: i64, preview: &Page, sheet: &str) -> Page {
    app.post_form(
        SO,
        &format!("/quan-tri/ky-thi/{id}/xem-truoc"),
        &[
            ("csrf", &preview.field("csrf")),
            ("ma", &preview.field("ma")),
            ("trang_tinh", sheet),
        ],
        &[("cookie", cookie)],
    )
    .await
}

/// A workbook whose first sheet is hidden.
fn workbook_with_hidden_first_sheet() -> Vec<u8> {
    let mut book = Workbook::new();
    let rows = |sheet: &mut rust_xlsxwriter::Worksheet, sbd: &str, name: &str| {
        for (c, h) in [
            "SBD",
            "Họ và tên",
            "Ngày sinh",
            "Toán",
            "Ngữ văn",
            "Tiếng Anh",
        ]
        .iter()
        .enumerate()
        {
            sheet.write_string(0, c as u16, *h).unwrap();
        }
        for (c, v) in [sbd, name, "06/09/2010", "8", "7", "6"].iter().enumerate() {
            sheet.write_string(1, c as u16, *v).unwrap();
        }
    };
    let hidden = book.add_worksheet().set_name("Nháp").unwrap();
    rows(hidden, "999999", "Thí Sinh Ẩn");
    hidden.set_hidden(true);
    let first = book.add_worksheet().set_name("Kết quả").unwrap();
    rows(first, "030001", "Phạm Thu Hà");
    first.set_active(true);
    let second = book.add_worksheet().set_name("Phúc khảo").unwrap();
    rows(second, "040001", "Đinh Quang Huy");
    book.save_to_buffer().unwrap()
}

/// Issue 10, item 11: the hidden first sheet is never read; the preview names the
/// sheet and lets the editor choose among the visible ones, and the choice is what
/// the confirmation imports.
#[tokio::test]
async fn a_hidden_first_sheet_is_skipped_and_another_sheet_can_be_chosen() {
    let app = TestApp::demo().await;
    let cookie = editor(&app, SO, "so").await;
    let id = create_session(&app, SO, &cookie, "Học sinh giỏi", "sbd", PAST).await;
    let book = workbook_with_hidden_first_sheet();
    let preview = upload(&app, SO, &cookie, id, "hsg.xlsx", &book).await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    preview.assert_contains("Trang tính <strong class=\"exam-sheet\">Kết quả</strong>");
    preview.assert_contains("Phạm Thu Hà");
    preview.assert_lacks("Thí Sinh Ẩn");
    preview.assert_lacks(">Nháp<");
    preview.assert_contains("<option value=\"Kết quả\" selected>Kết quả</option>");
    preview.assert_contains("<option value=\"Phúc khảo\">Phúc khảo</option>");

    let other = choose_sheet(&app, &cookie, id, &preview, "Phúc khảo").await;
    assert_eq!(other.status, StatusCode::OK, "{}", other.body);
    other.assert_contains("Trang tính <strong class=\"exam-sheet\">Phúc khảo</strong>");
    other.assert_contains("<option value=\"Phúc khảo\" selected>");
    other.assert_contains("Đinh Quang Huy");
    other.assert_contains("name=\"trang_tinh\" value=\"Phúc khảo\"");
    // Asking for the hidden sheet by name reads nothing of it.
    let hidden = choose_sheet(&app, &cookie, id, &preview, "Nháp").await;
    hidden.assert_contains("không có trang tính “Nháp” đang hiện");
    hidden.assert_lacks("Thí Sinh Ẩn");

    let done = app
        .post_form(
            SO,
            &format!("/quan-tri/ky-thi/{id}/xac-nhan"),
            &[
                ("csrf", &other.field("csrf")),
                ("ma", &other.field("ma")),
                ("trang_tinh", "Phúc khảo"),
            ],
            &[("cookie", &cookie)],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let s = app
        .store
        .exam_session(domain::ExamSessionId(id))
        .await
        .unwrap()
        .unwrap();
    let stored = app.store.exam_candidate(&s, "040001").await.unwrap();
    assert_eq!(stored.map(|c| c.name).as_deref(), Some("Đinh Quang Huy"));
    assert!(
        app.store
            .exam_candidate(&s, "030001")
            .await
            .unwrap()
            .is_none()
    );
}

/// Issue 10, items 12–14 through the back office, the same on SQLite and
/// PostgreSQL: control characters, over-long cells and stray quotes are bad rows
/// with their lines, a damaged archive is told in Vietnamese, and nothing is stored.
#[tokio::test]
async fn hostile_cells_and_damaged_files_are_refused_in_vietnamese() {
    let app = TestApp::demo().await;
    let cookie = editor(&app, SO, "so").await;
    let id = create_session(&app, SO, &cookie, "Tuyển sinh lớp 10", "sbd", PAST).await;
    let long = "Â".repeat(1 << 20);
    let nul_name = "Trần\u{0}Hùng";
    let csv = bom_csv(&[
        "SBD;Họ và tên;Toán;Trường",
        &format!("010001;{long};8;THCS"),
        &format!("010002;{nul_name};7;THCS"),
        "010003;\"Lê Lan;6;THCS",
        "010004;Đỗ Hà;6;THCS",
        "010005;Vũ An\";6;THCS",
    ]);
    let bad = upload(&app, SO, &cookie, id, "loi.csv", &csv).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    bad.assert_contains(
        "Dòng 2 (SBD 010001): Họ và tên dài 1.048.576 ký tự, quá 100 ký tự cho phép",
    );
    bad.assert_contains(
        "Dòng 3 (SBD 010002): Họ và tên có ký tự điều khiển không được phép (U+0000)",
    );
    bad.assert_contains("Dòng 4 (SBD 010003): Họ và tên có ô xuống dòng");
    bad.assert_lacks("Xác nhận nhập");
    assert!(
        bad.body.len() < 200_000,
        "the page quotes the cells: {}",
        bad.body.len()
    );

    let damaged = upload(&app, SO, &cookie, id, "hong.xlsx", b"PK\x03\x04 hong").await;
    assert_eq!(damaged.status, StatusCode::UNPROCESSABLE_ENTITY);
    damaged.assert_contains("Không đọc được tệp XLSX: tệp nén (ZIP) bên trong bị hỏng");
    damaged.assert_lacks("Zip error");
    damaged.assert_lacks("invalid");
    assert_eq!(candidates_of(&app, id).await, 0);
}
