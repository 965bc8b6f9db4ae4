//! The import of existing documents (issue 14) at /quan-tri/van-ban/nhap: a sheet
//! and a ZIP of files, previewed with nothing saved, then imported all or none;
//! every bad row named with its line; a ZIP entry leading out of its folder
//! refused. And the text layer of attached PDFs: a word only inside a PDF finds
//! its document, a scanned PDF is found by its fields and its page says so.
//! Through the real router, on SQLite or PostgreSQL.

mod common;

use axum::http::StatusCode;
use common::{Page, TestApp, add_user, multipart_named as form, session};
use domain::{Role, SiteId, TermList};
use media::testdata;

const SO: &str = "localhost";
const SCAN_NOTE: &str =
    "Tệp PDF này là bản quét, không có lớp chữ: chỉ tìm được văn bản theo các trường thông tin.";

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

/// Uploads a sheet (and a ZIP) to the import's preview.
async fn upload(
    app: &TestApp,
    cookie: &str,
    sheet: (&str, &[u8]),
    zip: Option<&[u8]>,
    status: &str,
) -> Page {
    let page = app
        .get_with(SO, "/quan-tri/van-ban/nhap", &[("cookie", cookie)])
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let csrf = page.field("csrf");
    let mut files: Vec<(&str, &str, &[u8])> = vec![("bang", sheet.0, sheet.1)];
    if let Some(z) = zip {
        files.push(("zip", "tep.zip", z));
    }
    let (content_type, body) = form(&[("csrf", &csrf), ("trang_thai", status)], &files);
    app.post_bytes(
        SO,
        "/quan-tri/van-ban/nhap",
        &content_type,
        body,
        &[("cookie", cookie)],
    )
    .await
}

/// How many documents the site has, whatever their state.
async fn count(app: &TestApp, site: SiteId) -> i64 {
    app.store
        .admin_documents(site, None, "", 1, 0)
        .await
        .unwrap()
        .1
}

/// The good sheet: an XLSX with a header row under a title, Vietnamese headers,
/// an Excel date and text dates, several fields, a replacement within the sheet.
fn good_sheet() -> Vec<u8> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet
        .write(0, 0, "DANH MỤC VĂN BẢN CỦA SỞ GIÁO DỤC VÀ ĐÀO TẠO")
        .unwrap();
    let heads = [
        "Số/ký hiệu",
        "Trích yếu",
        "Loại văn bản",
        "Cơ quan ban hành",
        "Ngày ban hành",
        "Người ký",
        "Chức vụ",
        "Lĩnh vực",
        "Ngày hiệu lực",
        "Ngày hết hiệu lực",
        "Thay thế",
        "Nội dung",
        "Tệp",
    ];
    for (c, h) in heads.iter().enumerate() {
        sheet.write(2, c as u16, *h).unwrap();
    }
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let rows: [[&str; 13]; 3] = [
        [
            "88/KH-SGDĐT",
            "Kế hoạch tổ chức hội thi giáo viên dạy giỏi cấp tỉnh",
            "Kế hoạch",
            "Sở Giáo dục và Đào tạo",
            "",
            "Trần Văn Minh",
            "Phó Giám đốc",
            "Giáo dục trung học; Nhà giáo",
            "",
            "",
            "",
            "Hội thi tổ chức tại Trường THPT Chuyên.",
            "ke-hoach-88.pdf",
        ],
        [
            "1201/SGDĐT-VP",
            "Về việc tuyên dương học sinh đạt giải quốc gia",
            "Công văn",
            "Sở Giáo dục và Đào tạo",
            "05/09/2025",
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "scan/cong-van-1201.pdf; bang-diem.xlsx",
        ],
        [
            "99/KH-SGDĐT",
            "Chương trình hội thi giáo viên dạy giỏi (thay thế kế hoạch 88)",
            "Chương trình",
            "Sở Giáo dục và Đào tạo",
            "10/10/2025",
            "",
            "",
            "Nhà giáo",
            "15/10/2025",
            "",
            "88/kh-sgddt",
            "",
            "",
        ],
    ];
    for (r, row) in rows.iter().enumerate() {
        let line = 3 + r as u32;
        for (c, v) in row.iter().enumerate() {
            sheet.write(line, c as u16, *v).unwrap();
        }
    }
    // The first row's issue date as a spreadsheet date: 2025-08-20 is serial 45889.
    sheet
        .write_number_with_format(3, 4, 45889.0, &date)
        .unwrap();
    book.save_to_buffer().unwrap()
}

fn good_zip() -> Vec<u8> {
    let with_text =
        testdata::pdf_with_text("Ban tổ chức gồm thầy Lương Thế Vinh và cô Hoàng Xuân Quỳnh");
    let scan = testdata::pdf();
    let xlsx = {
        let mut book = rust_xlsxwriter::Workbook::new();
        book.add_worksheet().write(0, 0, "Điểm").unwrap();
        book.save_to_buffer().unwrap()
    };
    testdata::zip(&[
        ("ke-hoach-88.pdf", &with_text),
        ("scan/cong-van-1201.pdf", &scan),
        ("bang-diem.xlsx", &xlsx),
    ])
}

#[tokio::test]
async fn a_good_sheet_and_zip_are_previewed_then_imported_with_their_files() {
    let app = TestApp::demo().await;
    let so = site_id(&app, "so").await;
    add_user(&app, "bt.so", "so", Role::Editor).await;
    add_user(&app, "gv.so", "so", Role::Writer).await;
    let editor = session(&app, SO, "bt.so").await;
    let writer = session(&app, SO, "gv.so").await;
    // Writers do not import: publishing is an editor's.
    let refused = app
        .get_with(SO, "/quan-tri/van-ban/nhap", &[("cookie", &writer)])
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let before = count(&app, so).await;

    let sheet = good_sheet();
    let zip = good_zip();
    let preview = upload(&app, &editor, ("van-ban.xlsx", &sheet), Some(&zip), "dang").await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert_eq!(preview.headers["cache-control"], "no-store");
    preview.assert_contains("Tệp có <strong>3</strong> dòng văn bản, <strong>3</strong> dòng hợp lệ, <strong>3</strong> tệp đính kèm được nêu.");
    preview.assert_contains("Chưa có gì được lưu.");
    // Names the lists lack are listed; the demo's "Kế hoạch" is there already.
    preview.assert_contains("<li>Loại văn bản: Chương trình</li>");
    preview.assert_lacks("Loại văn bản: Kế hoạch");
    preview.assert_contains("<li>Người ký: Trần Văn Minh</li>");
    preview.assert_contains("<li>Lĩnh vực: Giáo dục trung học</li>");
    preview.assert_contains("<li>Lĩnh vực: Nhà giáo</li>");
    preview.assert_lacks("Loại văn bản: Công văn");
    // The first rows, with the Excel date read as a date.
    preview.assert_contains("<td>4</td><td>88/KH-SGDĐT</td>");
    preview.assert_contains("<td>20/08/2025</td>");
    preview.assert_contains("Sẵn sàng nhập <strong>3</strong> văn bản và đăng ngay.");
    // Nothing saved yet.
    assert_eq!(count(&app, so).await, before);
    let listed = app.get(SO, "/van-ban").await;
    listed.assert_lacks("88/KH-SGDĐT");

    let csrf = preview.field("csrf");
    let token = preview.field("ma");
    let done = app
        .post_form(
            SO,
            "/quan-tri/van-ban/nhap/xac-nhan",
            &[("csrf", &csrf), ("ma", &token)],
            &[("cookie", &editor)],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    assert_eq!(done.location(), "/quan-tri/van-ban?da-nhap=3");
    let list = app
        .get_with(SO, done.location(), &[("cookie", &editor)])
        .await;
    list.assert_contains("Đã nhập 3 văn bản.");
    assert_eq!(count(&app, so).await, before + 3);
    // The same token does not import twice.
    let again = app
        .post_form(
            SO,
            "/quan-tri/van-ban/nhap/xac-nhan",
            &[("csrf", &csrf), ("ma", &token)],
            &[("cookie", &editor)],
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    again.assert_contains("Bản xem trước không còn");
    assert_eq!(count(&app, so).await, before + 3);

    // Published, with every field, and the replacement chain both ways.
    let listed = app.get(SO, "/van-ban").await;
    listed.assert_contains("88/KH-SGDĐT");
    listed.assert_contains("1201/SGDĐT-VP");
    let slug = |page: &Page, number: &str| {
        let at = page.body.find(&format!(">{number}</a>")).unwrap();
        let href = page.body[..at].rfind("href=\"/van-ban/").unwrap();
        let s = &page.body[href + "href=\"".len()..];
        s[..s.find('"').unwrap()].to_owned()
    };
    let first = app.get(SO, &slug(&listed, "88/KH-SGDĐT")).await;
    first.assert_contains("Trần Văn Minh (Phó Giám đốc)");
    first.assert_contains("20/08/2025");
    first.assert_contains("Bị thay thế");
    first.assert_contains("99/KH-SGDĐT");
    first.assert_contains("Hội thi tổ chức tại Trường THPT Chuyên.");
    first.assert_lacks(SCAN_NOTE);
    // Its PDF downloads as it was in the ZIP.
    let link = first
        .body
        .split("href=\"")
        .find(|s| s.contains("/tep/"))
        .unwrap();
    let link = &link[..link.find('"').unwrap()];
    let file = app.get(SO, link).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(
        file.bytes,
        testdata::pdf_with_text("Ban tổ chức gồm thầy Lương Thế Vinh và cô Hoàng Xuân Quỳnh")
    );
    // The scanned PDF's page says it is found by its fields only; the spreadsheet
    // came along.
    let second = app.get(SO, &slug(&listed, "1201/SGDĐT-VP")).await;
    second.assert_contains(SCAN_NOTE);
    second.assert_contains("Tải về bang-diem.xlsx");
    second.assert_contains("Tải về cong-van-1201.pdf");

    // PDF text: a name only inside the PDF finds the document, with marks or not.
    for q in [
        "L%C6%B0%C6%A1ng%20Th%E1%BA%BF%20Vinh",
        "luong%20the%20vinh",
        "hoang%20xuan%20quynh",
    ] {
        let found = app.get(SO, &format!("/tim-kiem?q={q}")).await;
        let plain = found.body.replace("<mark>", "").replace("</mark>", "");
        assert!(
            plain.contains("88/KH-SGDĐT — Kế hoạch tổ chức hội thi"),
            "q={q}: {plain}"
        );
    }
    // The scan is found by its fields.
    let found = app.get(SO, "/tim-kiem?q=tuyen%20duong%20hoc%20sinh").await;
    found.assert_contains("1201/SGDĐT-VP");
}

#[tokio::test]
async fn every_bad_row_is_named_with_its_line_and_nothing_is_imported() {
    let app = TestApp::demo().await;
    let so = site_id(&app, "so").await;
    add_user(&app, "bt.so", "so", Role::Editor).await;
    let editor = session(&app, SO, "bt.so").await;
    // A document the site has already.
    let good = good_sheet();
    let zip = good_zip();
    let first = upload(&app, &editor, ("van-ban.xlsx", &good), Some(&zip), "nhap").await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    first.assert_contains("Sẵn sàng nhập <strong>3</strong> văn bản ở trạng thái nháp.");
    let done = app
        .post_form(
            SO,
            "/quan-tri/van-ban/nhap/xac-nhan",
            &[("csrf", &first.field("csrf")), ("ma", &first.field("ma"))],
            &[("cookie", &editor)],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    // Drafts: readers do not see them.
    app.get(SO, "/van-ban").await.assert_lacks("88/KH-SGDĐT");
    let before = count(&app, so).await;

    let csv = "\u{feff}Số/ký hiệu,Trích yếu,Loại văn bản,Cơ quan ban hành,Ngày ban hành,Ngày có hiệu lực,Thay thế,Tệp\n\
        1/TB-SGDĐT,Thông báo lịch nghỉ Tết,Tờ trình,Sở GDĐT,02/01/2026,,,tot.pdf\n\
        2/TB-SGDĐT,,Tờ trình,Sở GDĐT,02/01/2026,,,\n\
        3/TB-SGDĐT,Thông báo ba,Tờ trình,Sở GDĐT,31/02/2026,,,\n\
        4/TB-SGDĐT,Thông báo bốn,Tờ trình,Sở GDĐT,10/01/2026,09/01/2026,,\n\
        1/tb-sgdđt,Thông báo trùng số,Tờ trình,Sở GDĐT,02/01/2026,,,\n\
        88/KH-SGDĐT,Đã có trên trang,Kế hoạch,Sở GDĐT,02/01/2026,,,\n\
        7/TB-SGDĐT,Thông báo bảy,Tờ trình,Sở GDĐT,02/01/2026,,,khong-co.pdf\n\
        8/TB-SGDĐT,Thông báo tám,Tờ trình,Sở GDĐT,02/01/2026,,,gia.pdf\n\
        9/TB-SGDĐT,Thông báo chín,Tờ trình,Sở GDĐT,02/01/2026,,123/XYZ,\n\
        10/TB-SGDĐT,Thông báo mười,,Sở GDĐT,02/01/2026,,,\n";
    let zip = testdata::zip(&[
        ("tot.pdf", &testdata::pdf()),
        ("gia.pdf", b"This is plain text, not a PDF at all."),
    ]);
    let page = upload(
        &app,
        &editor,
        ("loi.csv", csv.as_bytes()),
        Some(&zip),
        "dang",
    )
    .await;
    assert_eq!(
        page.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        page.body
    );
    page.assert_contains("Tệp có <strong>10</strong> dòng văn bản, <strong>1</strong> dòng hợp lệ");
    page.assert_contains("nhập tất cả hoặc không dòng nào");
    page.assert_contains("<li>Dòng 3: Vui lòng nhập trích yếu văn bản.</li>");
    page.assert_contains("<li>Dòng 4: Ngày ban hành “31/02/2026” không phải ngày hợp lệ");
    page.assert_contains(
        "<li>Dòng 5: Ngày có hiệu lực (09/01/2026) không thể trước ngày ban hành (10/01/2026).</li>",
    );
    page.assert_contains("<li>Dòng 6: Số/ký hiệu “1/tb-sgdđt” trùng với dòng 2.</li>");
    page.assert_contains("<li>Dòng 7: Số/ký hiệu “88/KH-SGDĐT” đã có trên trang.</li>");
    page.assert_contains("<li>Dòng 8: Tệp “khong-co.pdf” không có trong tệp ZIP “tep.zip”.</li>");
    page.assert_contains("<li>Dòng 9: Tệp “gia.pdf”:");
    page.assert_contains(
        "<li>Dòng 10: Văn bản bị thay thế “123/XYZ” không có trên trang hay trong tệp.</li>",
    );
    page.assert_contains("<li>Dòng 11: Chưa ghi loại văn bản.</li>");
    page.assert_lacks("Dòng 2:");
    // No confirmation offered, nothing saved, no list gained a name.
    page.assert_lacks("Xác nhận nhập");
    assert_eq!(count(&app, so).await, before);
    let types = app.store.document_terms(so, TermList::Type).await.unwrap();
    assert!(types.iter().all(|t| t.name != "Tờ trình"), "{types:?}");

    // A sheet without the needed columns says which.
    let page = upload(
        &app,
        &editor,
        ("thieu.csv", "Số ký hiệu,Trích yếu\n1/A,Một\n".as_bytes()),
        None,
        "dang",
    )
    .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    page.assert_contains("Dòng 1: thiếu cột “Loại văn bản”.");
}

#[tokio::test]
async fn a_zip_entry_leading_out_of_its_folder_is_refused_whole() {
    let app = TestApp::demo().await;
    let so = site_id(&app, "so").await;
    add_user(&app, "bt.so", "so", Role::Editor).await;
    let editor = session(&app, SO, "bt.so").await;
    let before = count(&app, so).await;
    let csv = "Số/ký hiệu,Trích yếu,Loại văn bản,Cơ quan ban hành,Ngày ban hành,Tệp\n\
        5/QĐ-SGDĐT,Quyết định năm,Quyết định,Sở GDĐT,02/01/2026,a.pdf\n";
    for evil in [
        "../../etc/cron.d/x.pdf",
        "/tmp/x.pdf",
        "van-ban/../../x.pdf",
    ] {
        let zip = testdata::zip(&[("a.pdf", &testdata::pdf()), (evil, &testdata::pdf())]);
        let page = upload(
            &app,
            &editor,
            ("qd.csv", csv.as_bytes()),
            Some(&zip),
            "dang",
        )
        .await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{evil}");
        page.assert_contains(&format!(
            "có mục “{evil}” trỏ ra ngoài thư mục (có “..” hoặc là đường dẫn tuyệt đối); không nhập gì cả."
        ));
        page.assert_lacks("Xác nhận nhập");
    }
    assert_eq!(count(&app, so).await, before);
}

#[tokio::test]
async fn a_pdf_uploaded_with_the_form_is_searchable_by_its_text() {
    let app = TestApp::demo().await;
    let so = site_id(&app, "so").await;
    let kind = app
        .store
        .add_document_term(so, TermList::Type, "Thông tư", "", None, common::now())
        .await
        .unwrap();
    let issuer = app
        .store
        .add_document_term(
            so,
            TermList::Issuer,
            "Bộ Giáo dục và Đào tạo",
            "",
            None,
            common::now(),
        )
        .await
        .unwrap();
    add_user(&app, "bt.so", "so", Role::Editor).await;
    let editor = session(&app, SO, "bt.so").await;
    let page = app
        .get_with(SO, "/quan-tri/van-ban/moi", &[("cookie", &editor)])
        .await;
    let csrf = page.field("csrf");
    let pdf =
        testdata::pdf_with_text("Điều 3. Giáo viên trường Phổ thông Dân tộc nội trú Khe Sanh");
    let (kind, issuer) = (kind.to_string(), issuer.to_string());
    let (content_type, body) = form(
        &[
            ("csrf", &csrf),
            ("action", "dang"),
            ("number", "31/2026/TT-BGDĐT"),
            ("summary", "Quy định chế độ làm việc của giáo viên"),
            ("kind", &kind),
            ("issuer", &issuer),
            ("issued_on", "01/12/2026"),
        ],
        &[("tep", "thong-tu-31.pdf", &pdf)],
    );
    let saved = app
        .post_bytes(
            SO,
            "/quan-tri/van-ban/moi",
            &content_type,
            body,
            &[("cookie", &editor)],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    for q in [
        "Khe%20Sanh",
        "khe%20sanh%20noi%20tru",
        "dan%20toc%20noi%20tru",
    ] {
        let found = app.get(SO, &format!("/tim-kiem?q={q}")).await;
        let plain = found.body.replace("<mark>", "").replace("</mark>", "");
        assert!(plain.contains("31/2026/TT-BGDĐT"), "q={q}: {plain}");
    }
    // The words are the PDF's: its fields alone do not have them.
    let d = app
        .store
        .admin_documents(so, None, "31/2026", 1, 0)
        .await
        .unwrap()
        .0;
    assert!(!vntext::fold_lower(&d[0].summary).contains("khe sanh"));
    // (The side block "Văn bản mới" lists it on every page: only the results count.)
    let found = app.get(SO, "/tim-kiem?q=zzyzx").await;
    assert!(
        !found.main_content().contains("31/2026/TT-BGDĐT"),
        "{}",
        found.main_content()
    );
}
