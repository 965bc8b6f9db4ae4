//! Official documents ("Văn bản", issue 14): validity computed for the day, the
//! date rules, the replaces / replaced-by chain, the department's documents on a
//! school's site, the workflow with files, downloads with Range, the filters and
//! the page cache. Through the real router, on SQLite or PostgreSQL.

mod common;

use axum::http::StatusCode;
use common::{Page, TestApp, add_user, card_links, multipart, now, session};
use domain::{ArticleStatus, DocumentDraft, DocumentId, Role, SafeHtml, SiteId, TermList};
use media::testdata;
use store::DocumentWrite;

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

/// A site's lists: (type, issuer, signer, field) ids.
async fn lists(app: &TestApp, site: SiteId) -> (i64, i64, i64, i64) {
    let add = |list: TermList, name: &'static str, detail: &'static str| {
        let store = app.store.clone();
        async move {
            store
                .add_document_term(site, list, name, detail, None, now())
                .await
                .unwrap()
        }
    };
    (
        add(TermList::Type, "Thông tư", "").await,
        add(TermList::Issuer, "Bộ Giáo dục và Đào tạo", "").await,
        add(TermList::Signer, "Nguyễn Đông Phong", "Thứ trưởng").await,
        add(TermList::Field, "Giáo dục trung học", "").await,
    )
}

/// Writes a published document straight into the store.
async fn publish(
    app: &TestApp,
    site: SiteId,
    terms: (i64, i64, i64, i64),
    number: &str,
    summary: &str,
    dates: (&str, Option<&str>, Option<&str>),
    replaces: Option<DocumentId>,
) -> DocumentId {
    let draft = DocumentDraft {
        number: number.into(),
        summary: summary.into(),
        kind_id: terms.0,
        issuer_id: terms.1,
        signer_id: Some(terms.2),
        field_ids: vec![terms.3],
        replaces,
        body: SafeHtml::sanitize("<p>Nội dung văn bản.</p>"),
        ..DocumentDraft::default()
    };
    let dates = domain::DocumentDates {
        issued_on: dates.0.into(),
        effective_on: dates.1.map(Into::into),
        expires_on: dates.2.map(Into::into),
    };
    let write = DocumentWrite {
        site,
        draft: &draft,
        dates: &dates,
        status: ArticleStatus::Published,
        published_at: now() - 60,
        reject_reason: "",
        files: &[],
        by: None,
        note: "nhập văn bản",
        ip: "",
    };
    let id = app.store.create_document(&write, now()).await.unwrap();
    app.state.content_changed().await.unwrap();
    id
}

/// The numbers of the documents a list page shows, in order.
fn numbers(page: &Page) -> Vec<String> {
    page.body
        .split("<tr><td><a href=\"")
        .skip(1)
        .map(|s| {
            let s = &s[s.find('>').unwrap() + 1..];
            s[..s.find('<').unwrap()].to_owned()
        })
        .collect()
}

/// The first list of a page (before "Văn bản cấp trên" or the other sections).
fn main_numbers(page: &Page) -> Vec<String> {
    let cut = page
        .body
        .find("id=\"van-ban-cap-tren\"")
        .unwrap_or(page.body.len());
    numbers(&Page {
        status: page.status,
        headers: page.headers.clone(),
        body: page.body[..cut].to_owned(),
        bytes: Vec::new(),
    })
}

#[tokio::test]
async fn validity_is_computed_for_the_day_and_the_chain_shows_both_ways() {
    let app = TestApp::demo().await;
    let so = site_id(&app, "so").await;
    let t = lists(&app, so).await;
    let old = publish(
        &app,
        so,
        t,
        "01/2020/TT-BGDĐT",
        "Quy định cũ về dạy thêm",
        ("2020-01-01", None, None),
        None,
    )
    .await;
    publish(
        &app,
        so,
        t,
        "29/2024/TT-BGDĐT",
        "Quy định mới về dạy thêm, học thêm",
        ("2024-12-30", Some("2025-02-14"), None),
        Some(old),
    )
    .await;
    publish(
        &app,
        so,
        t,
        "05/2098/TT-BGDĐT",
        "Quy định áp dụng về sau",
        ("2098-01-01", Some("2099-01-01"), None),
        None,
    )
    .await;
    publish(
        &app,
        so,
        t,
        "07/2019/TT-BGDĐT",
        "Quy định đã hết hạn",
        ("2019-01-01", None, Some("2021-01-01")),
        None,
    )
    .await;

    let list = app.get(SO, &format!("/van-ban?loai={}", t.0)).await;
    assert_eq!(list.status, StatusCode::OK);
    list.assert_contains("<th scope=\"col\">Tình trạng</th>");
    assert_eq!(
        main_numbers(&list),
        [
            "05/2098/TT-BGDĐT",
            "29/2024/TT-BGDĐT",
            "01/2020/TT-BGDĐT",
            "07/2019/TT-BGDĐT"
        ],
        "newest issue date first"
    );
    for (status, expected) in [
        ("con-hieu-luc", "29/2024/TT-BGDĐT"),
        ("chua-co-hieu-luc", "05/2098/TT-BGDĐT"),
        ("het-hieu-luc", "07/2019/TT-BGDĐT"),
        ("bi-thay-the", "01/2020/TT-BGDĐT"),
    ] {
        let page = app
            .get(SO, &format!("/van-ban?loai={}&tinh-trang={status}", t.0))
            .await;
        assert_eq!(main_numbers(&page), [expected], "{status}");
    }
    let page = app
        .get(
            SO,
            &format!("/van-ban?loai={}&tinh-trang=chua-co-hieu-luc", t.0),
        )
        .await;
    page.assert_contains("Chưa có hiệu lực</span>");

    // The chain, both ways.
    let newer = app
        .get(
            SO,
            "/van-ban/29-2024-tt-bgddt-quy-dinh-moi-ve-day-them-hoc-them",
        )
        .await;
    assert_eq!(newer.status, StatusCode::OK);
    newer.assert_contains("<h2 id=\"thay-the-cho\">Văn bản này thay thế</h2>");
    newer.assert_contains(
        "href=\"/van-ban/01-2020-tt-bgddt-quy-dinh-cu-ve-day-them\">01/2020/TT-BGDĐT</a>",
    );
    newer.assert_contains("Còn hiệu lực</span>");
    newer.assert_contains("<th scope=\"row\">Ngày có hiệu lực</th><td>14/02/2025</td>");
    newer.assert_contains("Nguyễn Đông Phong (Thứ trưởng)");
    let older = app
        .get(SO, "/van-ban/01-2020-tt-bgddt-quy-dinh-cu-ve-day-them")
        .await;
    older.assert_contains("<h2 id=\"bi-thay-the-boi\">Bị thay thế bởi</h2>");
    older.assert_contains(
        "href=\"/van-ban/29-2024-tt-bgddt-quy-dinh-moi-ve-day-them-hoc-them\">29/2024/TT-BGDĐT</a>",
    );
    older.assert_contains("Bị thay thế</span>");
    older.assert_contains("<h2 id=\"cung-loai\">Văn bản cùng loại</h2>");
    older.assert_contains("<h2 id=\"cung-co-quan\">Văn bản cùng cơ quan ban hành</h2>");
    // Print.
    let print = app
        .get(
            SO,
            "/van-ban/01-2020-tt-bgddt-quy-dinh-cu-ve-day-them/ban-in",
        )
        .await;
    assert_eq!(print.status, StatusCode::OK);
    print.assert_contains("/van-ban/01-2020-tt-bgddt-quy-dinh-cu-ve-day-them</p>");
    print.assert_contains("<th scope=\"row\">Số/ký hiệu</th><td>01/2020/TT-BGDĐT</td>");
}

#[tokio::test]
async fn numbers_are_found_as_typed_and_by_their_digits_and_summaries_without_marks() {
    let app = TestApp::demo().await;
    let so = site_id(&app, "so").await;
    let t = lists(&app, so).await;
    publish(
        &app,
        so,
        t,
        "15/2025/TT-BGDĐT",
        "Ban hành Quy định về dạy thêm, học thêm",
        ("2025-06-01", None, None),
        None,
    )
    .await;
    publish(
        &app,
        so,
        t,
        "1737/CT-BGDĐT",
        "Chỉ thị về nhiệm vụ năm học",
        ("2025-08-01", None, None),
        None,
    )
    .await;
    for q in [
        "15%2F2025%2FTT-BGD%C4%90T",
        "152025",
        "day%20them%20hoc%20them",
        "d%E1%BA%A1y%20th%C3%AAm",
    ] {
        let page = app.get(SO, &format!("/van-ban?q={q}")).await;
        assert_eq!(main_numbers(&page), ["15/2025/TT-BGDĐT"], "q={q}");
    }
    let page = app.get(SO, "/van-ban?q=1737").await;
    assert_eq!(main_numbers(&page), ["1737/CT-BGDĐT"]);
    // Filters by year, date range and type are GET parameters.
    let page = app.get(SO, "/van-ban?nam=2025&tu-ngay=15/07/2025").await;
    assert_eq!(main_numbers(&page), ["1737/CT-BGDĐT"]);
    page.assert_contains("value=\"15/07/2025\"");
    let page = app
        .get(SO, &format!("/van-ban?loai={}&sap-xep=ngay-dang", t.0))
        .await;
    assert_eq!(main_numbers(&page).len(), 2);
    let page = app.get(SO, "/van-ban?tu-ngay=31/02/2025").await;
    page.assert_contains("Từ ngày “31/02/2025” không phải ngày hợp lệ");
}

#[tokio::test]
async fn two_filters_never_share_a_cached_page() {
    let app = TestApp::demo().await;
    let so = site_id(&app, "so").await;
    let t = lists(&app, so).await;
    let other_type = app
        .store
        .add_document_term(so, TermList::Type, "Tờ trình", "", None, now())
        .await
        .unwrap();
    publish(
        &app,
        so,
        t,
        "15/2025/TT-BGDĐT",
        "Thông tư về dạy thêm",
        ("2025-06-01", None, None),
        None,
    )
    .await;
    let first = app.get(SO, &format!("/van-ban?loai={}", t.0)).await;
    assert!(
        first.headers.get("etag").is_some(),
        "a filtered list is kept"
    );
    let kept = app.state.cache.len();
    let second = app.get(SO, &format!("/van-ban?loai={other_type}")).await;
    assert!(second.headers.get("etag").is_some());
    assert_ne!(first.headers["etag"], second.headers["etag"]);
    assert_eq!(main_numbers(&first), ["15/2025/TT-BGDĐT"]);
    assert!(main_numbers(&second).is_empty(), "{}", second.body);
    assert_eq!(app.state.cache.len(), kept + 1, "kept apart");
    // Asked again, each filter gets its own page.
    let again = app.get(SO, &format!("/van-ban?loai={}", t.0)).await;
    assert_eq!(again.headers["etag"], first.headers["etag"]);
    assert_eq!(main_numbers(&again), ["15/2025/TT-BGDĐT"]);
    // A key the list does not read is answered fresh and never kept.
    let odd = app.get(SO, "/van-ban?la=1").await;
    assert!(odd.headers.get("etag").is_none());
}

#[tokio::test]
async fn department_documents_show_on_a_school_site_unless_it_hides_them() {
    let app = TestApp::demo().await;
    let so = site_id(&app, "so").await;
    let lqd = site_id(&app, "lqd").await;
    let t = lists(&app, so).await;
    publish(
        &app,
        so,
        t,
        "1737/CT-BGDĐT",
        "Chỉ thị về nhiệm vụ năm học",
        ("2026-12-05", None, None),
        None,
    )
    .await;
    let tl = lists(&app, lqd).await;
    publish(
        &app,
        lqd,
        tl,
        "12/KH-LQĐ",
        "Kế hoạch năm học của trường",
        ("2025-09-01", None, None),
        None,
    )
    .await;

    let page = app.get(LQD, "/van-ban").await;
    assert_eq!(main_numbers(&page), ["12/KH-LQĐ"], "the school's own list");
    page.assert_contains("<h2 id=\"van-ban-cap-tren\">Văn bản cấp trên</h2>");
    page.assert_contains("1737/CT-BGDĐT");
    page.assert_contains("/van-ban/1737-ct-bgddt-chi-thi-ve-nhiem-vu-nam-hoc\">1737/CT-BGDĐT</a>");
    // The department's own list has no such block.
    let page = app.get(SO, "/van-ban").await;
    page.assert_lacks("Văn bản cấp trên");

    // The school's administrator hides it.
    add_user(&app, "qt.lqd", "lqd", Role::Admin).await;
    let cookie = session(&app, LQD, "qt.lqd").await;
    let form = app
        .get_with(LQD, "/quan-tri/van-ban/danh-muc", &[("cookie", &cookie)])
        .await;
    form.assert_contains("Ẩn văn bản của Sở");
    let res = app
        .post_form(
            LQD,
            "/quan-tri/van-ban/danh-muc",
            &[
                ("csrf", &form.field("csrf")),
                ("action", "cap-tren"),
                ("hide_upper", "1"),
            ],
            &[("cookie", &cookie)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = app.get(LQD, "/van-ban").await;
    page.assert_lacks("Văn bản cấp trên");
    page.assert_lacks("1737/CT-BGDĐT");
    assert_eq!(main_numbers(&page), ["12/KH-LQĐ"]);
}

fn has(text: &str, needle: &str) {
    assert!(text.contains(needle), "{needle:?} not in {text}");
}

/// The side block "Văn bản mới" of a page, or "" when the page has none.
fn side_block(page: &Page) -> String {
    page.body
        .split("id=\"khoi-van-ban-moi\"")
        .nth(1)
        .and_then(|s| s.split("</section>").next())
        .unwrap_or("")
        .to_owned()
}

#[tokio::test]
async fn the_side_block_shows_the_department_s_newest_on_a_school_s_pages_unless_hidden() {
    let app = TestApp::demo().await;
    let so = site_id(&app, "so").await;
    let lqd = site_id(&app, "lqd").await;
    let t = lists(&app, so).await;
    let today = vntext::local_iso_date(now());
    publish(
        &app,
        so,
        t,
        "99/CĐ-SGDĐT",
        "Công điện về phòng, chống bão số 15",
        (&today, None, None),
        None,
    )
    .await;
    let tl = lists(&app, lqd).await;
    let yesterday = vntext::local_iso_date(now() - 86_400);
    publish(
        &app,
        lqd,
        tl,
        "12/KH-LQĐ",
        "Kế hoạch năm học của trường",
        (&yesterday, None, None),
        None,
    )
    .await;
    // An article page of the school.
    let home = app.get(LQD, "/").await;
    let article = card_links(&home).into_iter().next().expect("an article");
    let page = app.get(LQD, &article).await;
    assert_eq!(page.status, StatusCode::OK);
    let side = side_block(&page);
    has(&side, "Văn bản mới");
    has(
        &side,
        "<a href=\"//localhost/van-ban/99-cd-sgddt-cong-dien-ve-phong-chong-bao-so-15\">99/CĐ-SGDĐT</a> Công điện về phòng, chống bão số 15",
    );
    has(&side, "Từ Sở Giáo dục");
    has(&side, ">12/KH-LQĐ</a> Kế hoạch năm học của trường");
    // Newest issued first: the department's document of today above the school's.
    assert!(side.find("99/CĐ-SGDĐT").unwrap() < side.find("12/KH-LQĐ").unwrap());
    // The department's own pages list it, as its own.
    let so_page = app.get(SO, "/thong-bao").await;
    let so_side = side_block(&so_page);
    has(
        &so_side,
        "<a href=\"/van-ban/99-cd-sgddt-cong-dien-ve-phong-chong-bao-so-15\">",
    );
    assert!(
        !so_side.contains("12/KH-LQĐ"),
        "a school's documents stay on its site"
    );

    // The school hides "Văn bản cấp trên": its block keeps its own only.
    add_user(&app, "qt.lqd", "lqd", Role::Admin).await;
    let cookie = session(&app, LQD, "qt.lqd").await;
    let post = |fields: Vec<(&'static str, &'static str)>| {
        let app = &app;
        let cookie = cookie.clone();
        async move {
            let form = app
                .get_with(LQD, "/quan-tri/van-ban/danh-muc", &[("cookie", &cookie)])
                .await;
            let csrf = form.field("csrf");
            let mut all = vec![("csrf", csrf.as_str())];
            all.extend(fields);
            app.post_form(
                LQD,
                "/quan-tri/van-ban/danh-muc",
                &all,
                &[("cookie", &cookie)],
            )
            .await
        }
    };
    let res = post(vec![("action", "cap-tren"), ("hide_upper", "1")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let side = side_block(&app.get(LQD, &article).await);
    assert!(!side.contains("99/CĐ-SGDĐT"), "{side}");
    has(&side, "12/KH-LQĐ");

    // The administrator turns the block off, then on again.
    let form = app
        .get_with(LQD, "/quan-tri/van-ban/danh-muc", &[("cookie", &cookie)])
        .await;
    form.assert_contains("name=\"show_side\" type=\"checkbox\" value=\"1\" checked>");
    let res = post(vec![("action", "khoi-ben")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = app.get(LQD, &article).await;
    page.assert_lacks("id=\"khoi-van-ban-moi\"");
    let res = post(vec![("action", "khoi-ben"), ("show_side", "1")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    has(&side_block(&app.get(LQD, &article).await), "12/KH-LQĐ");
}

/// A department document saved later reaches the schools' cached pages: their
/// content versions move with the department's documents.
#[tokio::test]
async fn a_new_department_document_reaches_the_school_s_cached_pages() {
    let app = TestApp::demo().await;
    let so = site_id(&app, "so").await;
    let home = app.get(LQD, "/").await;
    let article = card_links(&home).into_iter().next().expect("an article");
    let before = app.get(LQD, &article).await;
    assert!(!side_block(&before).contains("77/KH-SGDĐT"));
    // Cached now.
    assert!(!side_block(&app.get(LQD, &article).await).contains("77/KH-SGDĐT"));
    let t = lists(&app, so).await;
    let today = vntext::local_iso_date(now());
    publish(
        &app,
        so,
        t,
        "77/KH-SGDĐT",
        "Kế hoạch kiểm tra cuối học kỳ I",
        (&today, None, None),
        None,
    )
    .await;
    has(&side_block(&app.get(LQD, &article).await), "77/KH-SGDĐT");
}

/// Posts the document form (multipart) as `cookie`.
async fn post_document(
    app: &TestApp,
    host: &str,
    path: &str,
    cookie: &str,
    fields: &[(&str, &str)],
    files: &[(&str, &[u8])],
) -> Page {
    let (content_type, body) = multipart(fields, files);
    app.post_bytes(host, path, &content_type, body, &[("cookie", cookie)])
        .await
}

#[tokio::test]
async fn an_editor_registers_a_document_with_a_pdf_and_readers_download_it() {
    let app = TestApp::demo().await;
    let so = site_id(&app, "so").await;
    let t = lists(&app, so).await;
    add_user(&app, "bt.so", "so", Role::Editor).await;
    add_user(&app, "gv.so", "so", Role::Writer).await;
    let editor = session(&app, SO, "bt.so").await;
    let writer = session(&app, SO, "gv.so").await;
    let form = app
        .get_with(SO, "/quan-tri/van-ban/moi", &[("cookie", &editor)])
        .await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(form.headers["cache-control"], "no-store");
    let csrf = form.field("csrf");
    let kind = t.0.to_string();
    let issuer = t.1.to_string();
    let field = t.3.to_string();
    let pdf = testdata::pdf();
    let fields = |csrf: &str, action: &'static str, effective: &'static str| {
        vec![
            ("csrf".to_owned(), csrf.to_owned()),
            ("action".to_owned(), action.to_owned()),
            ("number".to_owned(), "15/2025/TT-BGDĐT".to_owned()),
            (
                "summary".to_owned(),
                "Ban hành Quy định về dạy thêm, học thêm".to_owned(),
            ),
            ("kind".to_owned(), kind.clone()),
            ("issuer".to_owned(), issuer.clone()),
            ("field".to_owned(), field.clone()),
            ("issued_on".to_owned(), "30/12/2025".to_owned()),
            ("effective_on".to_owned(), effective.to_owned()),
        ]
    };
    // The date rules: refused in Vietnamese, the form keeps what was typed.
    let bad = fields(&csrf, "dang", "29/12/2025");
    let bad: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let res = post_document(&app, SO, "/quan-tri/van-ban/moi", &editor, &bad, &[]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains(
        "Ngày có hiệu lực (29/12/2025) không thể trước ngày ban hành (30/12/2025).",
    );
    res.assert_contains("value=\"15/2025/TT-BGDĐT\"");
    res.assert_contains(">Ban hành Quy định về dạy thêm, học thêm</textarea>");
    res.assert_contains("value=\"29/12/2025\"");
    let bad = vec![
        ("csrf", csrf.as_str()),
        ("action", "luu"),
        ("number", "15/2025/TT-BGDĐT"),
        ("summary", "Ban hành Quy định"),
        ("kind", kind.as_str()),
        ("issuer", issuer.as_str()),
        ("issued_on", "30/12/2025"),
        ("effective_on", "14/02/2026"),
        ("expires_on", "01/02/2026"),
    ];
    let res = post_document(&app, SO, "/quan-tri/van-ban/moi", &editor, &bad, &[]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains(
        "Ngày hết hiệu lực (01/02/2026) không thể trước ngày có hiệu lực (14/02/2026).",
    );

    // A file that is not a PDF, Word or Excel file is refused.
    let good = fields(&csrf, "dang", "14/02/2099");
    let good: Vec<(&str, &str)> = good.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let png = testdata::png(4, 4, false);
    let res = post_document(
        &app,
        SO,
        "/quan-tri/van-ban/moi",
        &editor,
        &good,
        &[("anh.png", &png)],
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains(
        "anh.png: văn bản chỉ đính kèm tệp PDF, Word (DOC, DOCX) hoặc Excel (XLS, XLSX).",
    );

    // A wrong token is refused.
    let mut forged = good.clone();
    forged[0] = ("csrf", "gia-mao");
    let res = post_document(
        &app,
        SO,
        "/quan-tri/van-ban/moi",
        &editor,
        &forged,
        &[("tt15.pdf", &pdf)],
    )
    .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);

    // A writer may not publish.
    let writer_csrf = app
        .get_with(SO, "/quan-tri/van-ban/moi", &[("cookie", &writer)])
        .await
        .field("csrf");
    let mut by_writer = good.clone();
    by_writer[0] = ("csrf", writer_csrf.as_str());
    let res = post_document(
        &app,
        SO,
        "/quan-tri/van-ban/moi",
        &writer,
        &by_writer,
        &[("tt15.pdf", &pdf)],
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Bạn không có quyền làm việc này");
    res.assert_contains("Giữ tệp tt15.pdf");

    // The editor publishes it with its PDF.
    let res = post_document(
        &app,
        SO,
        "/quan-tri/van-ban/moi",
        &editor,
        &good,
        &[("tt15.pdf", &pdf)],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let edit_url = res.location().split('?').next().unwrap().to_owned();
    let edit = app
        .get_with(SO, res.location(), &[("cookie", &editor)])
        .await;
    edit.assert_contains("Đã lưu. Bạn đọc đã thấy văn bản.");

    let list = app.get(SO, &format!("/van-ban?loai={kind}")).await;
    assert_eq!(main_numbers(&list), ["15/2025/TT-BGDĐT"]);
    let slug = "/van-ban/15-2025-tt-bgddt-ban-hanh-quy-dinh-ve-day-them-hoc-them";
    let page = app.get(SO, slug).await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("<object class=\"doc-pdf\" data=\"/media/");
    page.assert_contains("type=\"application/pdf\"");
    page.assert_contains("Tải về tt15.pdf");
    page.assert_contains("Chưa có hiệu lực</span>");
    page.assert_contains("<th scope=\"row\">Lĩnh vực</th><td>Giáo dục trung học</td>");
    let download = page
        .body
        .split("href=\"")
        .find(|s| s.starts_with(&format!("{slug}/tep/")))
        .map(|s| s.split('"').next().unwrap().to_owned())
        .expect("a download link");
    let whole = app.get(SO, &download).await;
    assert_eq!(whole.status, StatusCode::OK, "{download} {}", whole.body);
    assert_eq!(whole.bytes, pdf);
    assert!(
        whole.headers["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment; filename=\"15-2025-tt-bgddt.pdf\""),
        "{:?}",
        whole.headers["content-disposition"]
    );
    assert_eq!(whole.headers["content-type"], "application/pdf");
    let part = app.get_with(SO, &download, &[("range", "bytes=0-7")]).await;
    assert_eq!(part.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(part.bytes, &pdf[..8]);
    assert_eq!(
        part.headers["content-range"],
        format!("bytes 0-7/{}", pdf.len()).as_str()
    );
    assert_eq!(part.headers["content-type"], "application/pdf");
    // The last bytes (a viewer reads a PDF's end first).
    let tail = app.get_with(SO, &download, &[("range", "bytes=-5")]).await;
    assert_eq!(tail.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(tail.bytes, &pdf[pdf.len() - 5..]);
    // Past the end: 416 with the size; several ranges, or a stale copy (If-Range):
    // the whole file.
    let past = app
        .get_with(
            SO,
            &download,
            &[("range", &format!("bytes={}-", pdf.len() + 10))],
        )
        .await;
    assert_eq!(past.status, StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(
        past.headers["content-range"],
        format!("bytes */{}", pdf.len()).as_str()
    );
    let several = app
        .get_with(SO, &download, &[("range", "bytes=0-1, 4-5")])
        .await;
    assert_eq!(several.status, StatusCode::OK);
    assert_eq!(several.bytes, pdf);
    let etag = whole.headers["etag"].to_str().unwrap().to_owned();
    let stale = app
        .get_with(
            SO,
            &download,
            &[("range", "bytes=0-7"), ("if-range", "\"autre\"")],
        )
        .await;
    assert_eq!(stale.status, StatusCode::OK);
    assert_eq!(stale.bytes, pdf);
    let same = app
        .get_with(
            SO,
            &download,
            &[("range", "bytes=0-7"), ("if-range", &etag)],
        )
        .await;
    assert_eq!(same.status, StatusCode::PARTIAL_CONTENT);
    // The reader's copy is current: 304, no body.
    let unchanged = app
        .get_with(SO, &download, &[("if-none-match", &etag)])
        .await;
    assert_eq!(unchanged.status, StatusCode::NOT_MODIFIED);
    assert!(unchanged.bytes.is_empty());
    // HEAD: the size, no body.
    let head = tower::ServiceExt::oneshot(
        app.router.clone(),
        axum::http::Request::head(&download)
            .header("host", SO)
            .body(axum::body::Body::empty())
            .unwrap(),
    )
    .await
    .unwrap();
    assert_eq!(head.status(), StatusCode::OK);
    assert_eq!(
        head.headers()["content-length"],
        pdf.len().to_string().as_str()
    );
    let body = http_body_util::BodyExt::collect(head.into_body())
        .await
        .unwrap()
        .to_bytes();
    assert!(body.is_empty());
    assert_eq!(
        app.get(SO, &format!("{slug}/tep/999999")).await.status,
        StatusCode::NOT_FOUND
    );

    // Another site's id is not found there.
    add_user(&app, "bt.lqd", "lqd", Role::Editor).await;
    let other = session(&app, LQD, "bt.lqd").await;
    let res = app.get_with(LQD, &edit_url, &[("cookie", &other)]).await;
    assert_eq!(res.status, StatusCode::NOT_FOUND);

    // Replacing the file: the old one stays named in the revision history.
    let edit = app.get_with(SO, &edit_url, &[("cookie", &editor)]).await;
    let mut save = good.clone();
    let edit_csrf = edit.field("csrf");
    let revision = edit.field("revision");
    save[0] = ("csrf", edit_csrf.as_str());
    save[1] = ("action", "luu");
    save.push(("revision", revision.as_str()));
    let res = post_document(
        &app,
        SO,
        &edit_url,
        &editor,
        &save,
        &[("tt15-ban-sua.pdf", &pdf)],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = app.get(SO, slug).await;
    page.assert_contains("Tải về tt15-ban-sua.pdf");
    page.assert_lacks("Tải về tt15.pdf");
    let history = app
        .get_with(SO, &format!("{edit_url}/phien-ban"), &[("cookie", &editor)])
        .await;
    assert_eq!(history.status, StatusCode::OK);
    history.assert_contains("Tệp đính kèm");
    history.assert_contains("tt15.pdf");
    history.assert_contains("tt15-ban-sua.pdf");
    let first = app
        .get_with(
            SO,
            &format!("{edit_url}/phien-ban?xem=1"),
            &[("cookie", &editor)],
        )
        .await;
    first.assert_contains("tt15.pdf (tai-len/");

    // Withdrawn: readers no longer see it.
    let edit = app.get_with(SO, &edit_url, &[("cookie", &editor)]).await;
    let mut withdraw = good.clone();
    let edit_csrf = edit.field("csrf");
    let revision = edit.field("revision");
    withdraw[0] = ("csrf", edit_csrf.as_str());
    withdraw[1] = ("action", "go-bai");
    withdraw.push(("revision", revision.as_str()));
    let keep = edit
        .body
        .split("name=\"keep\" type=\"checkbox\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    withdraw.push(("keep", keep.as_str()));
    let res = post_document(&app, SO, &edit_url, &editor, &withdraw, &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(app.get(SO, slug).await.status, StatusCode::NOT_FOUND);
    let list = app.get(SO, &format!("/van-ban?loai={kind}")).await;
    assert!(main_numbers(&list).is_empty());
}

#[tokio::test]
async fn administrators_keep_the_lists_and_writers_may_not() {
    let app = TestApp::demo().await;
    add_user(&app, "qt.so", "so", Role::Admin).await;
    add_user(&app, "gv.so", "so", Role::Writer).await;
    let admin = session(&app, SO, "qt.so").await;
    let writer = session(&app, SO, "gv.so").await;
    let res = app
        .get_with(SO, "/quan-tri/van-ban/danh-muc", &[("cookie", &writer)])
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    res.assert_contains("Chỉ quản trị viên của trang này mới sửa được danh mục");
    let page = app
        .get_with(SO, "/quan-tri/van-ban/danh-muc", &[("cookie", &admin)])
        .await;
    let csrf = page.field("csrf");
    let add = |list: &'static str, name: &'static str| {
        let csrf = csrf.clone();
        let admin = admin.clone();
        let app = &app;
        async move {
            app.post_form(
                SO,
                "/quan-tri/van-ban/danh-muc",
                &[
                    ("csrf", &csrf),
                    ("action", "them"),
                    ("list", list),
                    ("name", name),
                ],
                &[("cookie", &admin)],
            )
            .await
        }
    };
    assert_eq!(add("loai", "Tờ trình").await.status, StatusCode::SEE_OTHER);
    assert_eq!(
        add("co-quan", "Sở Nội vụ").await.status,
        StatusCode::SEE_OTHER
    );
    let twice = add("loai", "Tờ trình").await;
    assert_eq!(twice.status, StatusCode::UNPROCESSABLE_ENTITY);
    twice.assert_contains("“Tờ trình” đã có trong “Loại văn bản”.");
    let page = app
        .get_with(SO, "/quan-tri/van-ban/danh-muc", &[("cookie", &admin)])
        .await;
    page.assert_contains("Tờ trình");
    page.assert_contains("Sở Nội vụ");
    // The public filter offers them.
    let list = app.get(SO, "/van-ban?nam=1990").await;
    list.assert_contains(">Tờ trình</option>");
    list.assert_contains("Không có văn bản nào");
}

#[tokio::test]
async fn the_feed_the_sitemap_and_the_home_block_list_the_documents() {
    let app = TestApp::demo().await;
    let so = site_id(&app, "so").await;
    let t = lists(&app, so).await;
    publish(
        &app,
        so,
        t,
        "1737/CT-BGDĐT",
        "Chỉ thị về nhiệm vụ năm học",
        ("2026-12-05", None, None),
        None,
    )
    .await;
    let rss = app.get(SO, "/van-ban/rss.xml").await;
    assert_eq!(rss.status, StatusCode::OK);
    assert!(
        rss.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/rss+xml")
    );
    rss.assert_contains("<title>Thông tư 1737/CT-BGDĐT</title>");
    rss.assert_contains("/van-ban/1737-ct-bgddt-chi-thi-ve-nhiem-vu-nam-hoc</link>");
    let map = app.get(SO, "/van-ban/sitemap.xml").await;
    assert_eq!(map.status, StatusCode::OK);
    map.assert_contains("/van-ban/1737-ct-bgddt-chi-thi-ve-nhiem-vu-nam-hoc</loc><lastmod>");

    // The block, once the site puts it on its home page.
    let home = app.get(SO, "/").await;
    home.assert_lacks("id=\"van-ban-moi\"");
    let current = app.store.home_blocks(so).await.unwrap();
    let mut blocks = vec![domain::HomeBlock {
        kind: "van-ban-moi".into(),
        setting: String::new(),
    }];
    blocks.extend(current.items.unwrap_or_default());
    app.store
        .save_home_blocks(
            so,
            current.revision,
            Some(&blocks),
            None,
            String::new(),
            now(),
        )
        .await
        .unwrap();
    app.state.content_changed().await.unwrap();
    let home = app.get(SO, "/").await;
    home.assert_contains(
        "<h2 id=\"van-ban-moi\" class=\"block-title\"><a href=\"/van-ban\">Văn bản mới</a></h2>",
    );
    home.assert_contains(">1737/CT-BGDĐT</a> Chỉ thị về nhiệm vụ năm học");
}

#[tokio::test]
async fn search_finds_a_document_by_its_number_its_digits_and_its_summary_without_marks() {
    let app = TestApp::demo().await;
    let so = site_id(&app, "so").await;
    let t = lists(&app, so).await;
    publish(
        &app,
        so,
        t,
        "4321/CT-BGDĐT",
        "Về nhiệm vụ trọng tâm bồi dưỡng giáo viên năm học 2026-2027",
        ("2026-08-01", None, None),
        None,
    )
    .await;
    for q in [
        "4321%2FCT-BGD%C4%90T",
        "4321",
        "nhiem%20vu%20trong%20tam%20boi%20duong",
        "nhieemj%20vuj%20trongj%20taam",
    ] {
        let page = app.get(SO, &format!("/tim-kiem?q={q}")).await;
        assert_eq!(page.status, StatusCode::OK, "q={q}");
        // The result links to the document, shows its number and its type.
        page.assert_contains("href=\"/van-ban/");
        let plain = page.body.replace("<mark>", "").replace("</mark>", "");
        assert!(
            plain.contains("4321/CT-BGDĐT — Về nhiệm vụ trọng tâm"),
            "q={q}: {plain}"
        );
        page.assert_contains("Thông tư");
    }
    // Withdrawn from the public, it leaves search.
    let page = app.get(SO, "/tim-kiem?q=4321").await;
    let url = page.body.split("href=\"/van-ban/").nth(1).unwrap();
    let slug = &url[..url.find('"').unwrap()];
    let id = app
        .store
        .public_document(so, slug, now())
        .await
        .unwrap()
        .unwrap()
        .id;
    app.store
        .delete_document(
            so,
            id,
            store::AuditNote {
                user: None,
                action: "xoá văn bản",
                ip: "",
            },
            now(),
        )
        .await
        .unwrap();
    app.state.content_changed().await.unwrap();
    let page = app.get(SO, "/tim-kiem?q=4321").await;
    assert!(
        !Page::main_content(&page).contains("href=\"/van-ban/"),
        "{}",
        page.body
    );
}

#[tokio::test]
async fn a_scheduled_document_is_searchable_once_the_round_publishes_it() {
    let app = TestApp::demo().await;
    let so = site_id(&app, "so").await;
    let t = lists(&app, so).await;
    let draft = DocumentDraft {
        number: "8642/SGDĐT-VP".into(),
        summary: "Về lịch công tác tháng tới của Sở".into(),
        kind_id: t.0,
        issuer_id: t.1,
        ..DocumentDraft::default()
    };
    let dates = domain::DocumentDates {
        issued_on: "2026-11-02".into(),
        effective_on: None,
        expires_on: None,
    };
    let write = DocumentWrite {
        site: so,
        draft: &draft,
        dates: &dates,
        status: ArticleStatus::Scheduled,
        published_at: now() + 1,
        reject_reason: "",
        files: &[],
        by: None,
        note: "hẹn giờ đăng",
        ip: "",
    };
    app.store.create_document(&write, now()).await.unwrap();
    app.state.content_changed().await.unwrap();
    let page = app.get(SO, "/tim-kiem?q=8642").await;
    assert!(
        !Page::main_content(&page).contains("href=\"/van-ban/"),
        "not yet"
    );
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let sites = app.store.publish_due_documents(now()).await.unwrap();
    assert_eq!(sites, [so]);
    app.state.content_changed().await.unwrap();
    let page = app.get(SO, "/tim-kiem?q=8642").await;
    page.assert_contains("href=\"/van-ban/8642-sgddt-vp");
    // Once only.
    assert!(
        app.store
            .publish_due_documents(now())
            .await
            .unwrap()
            .is_empty()
    );
}

/// Writes a published document of type `kind` straight into the store, without
/// telling the instance (no content change picked up, the search index not fed).
async fn write_quietly(
    app: &TestApp,
    site: SiteId,
    terms: (i64, i64, i64, i64),
    kind: i64,
    number: &str,
    summary: &str,
    issued_on: &str,
) {
    let draft = DocumentDraft {
        number: number.into(),
        summary: summary.into(),
        kind_id: kind,
        issuer_id: terms.1,
        field_ids: vec![terms.3],
        ..DocumentDraft::default()
    };
    let dates = domain::DocumentDates {
        issued_on: issued_on.into(),
        effective_on: None,
        expires_on: None,
    };
    write_dated(app, site, &draft, &dates).await;
}

/// A published document written straight to the store, with its dates.
async fn write_dated(
    app: &TestApp,
    site: SiteId,
    draft: &DocumentDraft,
    dates: &domain::DocumentDates,
) {
    let write = DocumentWrite {
        site,
        draft,
        dates,
        status: ArticleStatus::Published,
        published_at: now() - 60,
        reject_reason: "",
        files: &[],
        by: None,
        note: "nhập văn bản",
        ip: "",
    };
    app.store.create_document(&write, now()).await.unwrap();
}

#[tokio::test]
async fn words_and_digits_are_looked_up_in_the_search_index_with_the_other_filters() {
    let app = TestApp::demo().await;
    let so = site_id(&app, "so").await;
    let t = lists(&app, so).await;
    let letter = app
        .store
        .add_document_term(so, TermList::Type, "Tờ trình", "", None, now())
        .await
        .unwrap();
    publish(
        &app,
        so,
        t,
        "15/2025/TT-BGDĐT",
        "Ban hành Quy định về dạy thêm, học thêm",
        ("2025-06-01", None, None),
        None,
    )
    .await;
    write_quietly(
        &app,
        so,
        t,
        letter,
        "1520/SGDĐT-VP",
        "Về việc dạy thêm trong hè",
        "2025-07-01",
    )
    .await;
    write_quietly(
        &app,
        so,
        t,
        letter,
        "1600/SGDĐT-VP",
        "Về kỳ thi tốt nghiệp trung học phổ thông",
        "2025-07-02",
    )
    .await;
    write_quietly(
        &app,
        so,
        t,
        letter,
        "1601/SGDĐT-VP",
        "Về phòng chống thiên tai",
        "2025-07-03",
    )
    .await;
    // Written a moment ago and the round has not run: the list brings the index
    // up to date before it trusts it.
    for (q, expected) in [
        ("day%20them", &["1520/SGDĐT-VP", "15/2025/TT-BGDĐT"][..]),
        (
            "D%E1%BA%A0Y%20TH%C3%8AM",
            &["1520/SGDĐT-VP", "15/2025/TT-BGDĐT"],
        ),
        ("day%20them%2C%20hoc%20them", &["15/2025/TT-BGDĐT"]),
        ("15%2F2025%2FTT-BGD%C4%90T", &["15/2025/TT-BGDĐT"]),
        ("tt-bgddt", &["15/2025/TT-BGDĐT"]),
        ("152025", &["15/2025/TT-BGDĐT"]),
        ("1520", &["1520/SGDĐT-VP"]),
        // Whole syllables: "thi" is not the start of "thiên".
        ("thi", &["1600/SGDĐT-VP"]),
        ("thien%20tai", &["1601/SGDĐT-VP"]),
        ("khong%20co%20dau", &[]),
    ] {
        // This test's issuer only: the demo's documents have words of their own.
        let page = app
            .get(SO, &format!("/van-ban?q={q}&co-quan={}", t.1))
            .await;
        assert_eq!(page.status, StatusCode::OK, "q={q}");
        assert_eq!(main_numbers(&page), expected, "q={q}");
        page.assert_contains(&format!(
            "Có <strong>{}</strong> văn bản phù hợp.",
            expected.len()
        ));
    }
    // Words and a type; words and another type; and the order by posting.
    let page = app
        .get(SO, &format!("/van-ban?q=day%20them&loai={}", t.0))
        .await;
    assert_eq!(main_numbers(&page), ["15/2025/TT-BGDĐT"]);
    page.assert_contains("Có <strong>1</strong> văn bản phù hợp.");
    let page = app
        .get(SO, &format!("/van-ban?q=day%20them&loai={letter}"))
        .await;
    assert_eq!(main_numbers(&page), ["1520/SGDĐT-VP"]);
    let page = app
        .get(
            SO,
            &format!("/van-ban?q=day%20them&loai={letter}&tinh-trang=con-hieu-luc&nam=2025"),
        )
        .await;
    assert_eq!(main_numbers(&page), ["1520/SGDĐT-VP"]);
    let page = app
        .get(
            SO,
            &format!("/van-ban?q=day%20them&loai={letter}&tinh-trang=het-hieu-luc"),
        )
        .await;
    assert!(main_numbers(&page).is_empty(), "{}", page.body);
    let page = app.get(SO, "/van-ban?q=tt-bgddt&nam=2024").await;
    assert!(main_numbers(&page).is_empty());
    // Another site's documents are not found on this one.
    let page = app.get(LQD, "/van-ban?q=day%20them").await;
    assert!(main_numbers(&page).is_empty(), "{}", page.body);
}

#[tokio::test]
async fn the_words_pages_and_their_count_follow_each_change() {
    let app = TestApp::demo().await;
    let so = site_id(&app, "so").await;
    let t = lists(&app, so).await;
    for n in 1..=22 {
        write_quietly(
            &app,
            so,
            t,
            t.0,
            &format!("{n}/KH-SGDĐT"),
            "Kế hoạch khuyến học, khuyến tài",
            &format!("2025-01-{n:02}"),
        )
        .await;
    }
    app.state.content_changed().await.unwrap();
    let first = app.get(SO, "/van-ban?q=khuyen%20tai").await;
    first.assert_contains("Có <strong>22</strong> văn bản phù hợp.");
    let numbers = main_numbers(&first);
    assert_eq!(numbers.len(), 20);
    assert_eq!(numbers[0], "22/KH-SGDĐT", "newest issue first");
    let second = app.get(SO, "/van-ban?q=khuyen%20tai&trang=2").await;
    assert_eq!(main_numbers(&second), ["2/KH-SGDĐT", "1/KH-SGDĐT"]);
    second.assert_contains("Có <strong>22</strong> văn bản phù hợp.");
    let by_posting = app
        .get(SO, "/van-ban?q=khuyen%20tai&sap-xep=ngay-dang&trang=2")
        .await;
    by_posting.assert_contains("Có <strong>22</strong> văn bản phù hợp.");
    // One more: the count kept for the list is the content version's, not the day's.
    write_quietly(
        &app,
        so,
        t,
        t.0,
        "23/KH-SGDĐT",
        "Kế hoạch khuyến học, khuyến tài",
        "2025-01-23",
    )
    .await;
    app.state.content_changed().await.unwrap();
    let again = app.get(SO, "/van-ban?q=khuyen%20tai&trang=2").await;
    again.assert_contains("Có <strong>23</strong> văn bản phù hợp.");
    assert_eq!(
        main_numbers(&again),
        ["3/KH-SGDĐT", "2/KH-SGDĐT", "1/KH-SGDĐT"]
    );
}

/// Many documents with the same words, most recent issue first by creation
/// reversed: the index pages and counts them (words and the narrowings it holds
/// as tags), and the database checks validity on its matches a growing slice at
/// a time, past the first hundred.
#[tokio::test]
async fn the_index_pages_many_matches_and_the_database_checks_the_rest_in_order() {
    let app = TestApp::demo().await;
    let so = site_id(&app, "so").await;
    let t = lists(&app, so).await;
    for n in 1..=110_usize {
        // n = 1 issued last; the two written last (109, 110) issued first, and expired.
        let day = 110 - n;
        let draft = DocumentDraft {
            number: format!("{n}/HH-SGDĐT"),
            summary: "Kế hoạch khuyến học, khuyến tài".into(),
            kind_id: t.0,
            issuer_id: t.1,
            field_ids: vec![t.3],
            ..DocumentDraft::default()
        };
        let dates = domain::DocumentDates {
            issued_on: format!("2024-{:02}-{:02}", day / 28 + 1, day % 28 + 1),
            effective_on: None,
            expires_on: (n > 108).then(|| "2025-01-01".to_owned()),
        };
        write_dated(&app, so, &draft, &dates).await;
    }
    app.state.content_changed().await.unwrap();
    let number = |n: usize| format!("{n}/HH-SGDĐT");
    let numbers = |range: std::ops::RangeInclusive<usize>| range.map(number).collect::<Vec<_>>();
    // Words and tags (type, issuer): the index's page, by issue date then by posting.
    let list = format!("/van-ban?q=khuyen%20tai&loai={}&co-quan={}", t.0, t.1);
    let first = app.get(SO, &list).await;
    first.assert_contains("Có <strong>110</strong> văn bản phù hợp.");
    assert_eq!(main_numbers(&first), numbers(1..=20));
    let last = app.get(SO, &format!("{list}&trang=6")).await;
    last.assert_contains("Có <strong>110</strong> văn bản phù hợp.");
    assert_eq!(main_numbers(&last), numbers(101..=110));
    let posted = app
        .get(SO, &format!("{list}&sap-xep=ngay-dang&trang=6"))
        .await;
    assert_eq!(
        main_numbers(&posted),
        (1..=10).rev().map(number).collect::<Vec<_>>()
    );
    // A tag the documents do not hold: none.
    let none = app
        .get(
            SO,
            &format!("/van-ban?q=khuyen%20tai&co-quan={}&nam=2023", t.1),
        )
        .await;
    assert!(main_numbers(&none).is_empty(), "{}", none.body);
    none.assert_contains("Có <strong>0</strong> văn bản phù hợp.");
    // Validity is the database's: the two expired are the last of the matches.
    let expired = app
        .get(
            SO,
            &format!(
                "/van-ban?q=khuyen%20tai&co-quan={}&tinh-trang=het-hieu-luc",
                t.1
            ),
        )
        .await;
    assert_eq!(main_numbers(&expired), numbers(109..=110));
    expired.assert_contains("Có <strong>2</strong> văn bản phù hợp.");
    let in_force = app
        .get(
            SO,
            &format!(
                "/van-ban?q=khuyen%20tai&co-quan={}&tinh-trang=con-hieu-luc&trang=6",
                t.1
            ),
        )
        .await;
    in_force.assert_contains("Có <strong>108</strong> văn bản phù hợp.");
    assert_eq!(main_numbers(&in_force), numbers(101..=108));
}

#[tokio::test]
async fn validity_turns_at_midnight_and_cached_pages_follow() {
    let app = TestApp::demo().await;
    let so = site_id(&app, "so").await;
    let lqd = site_id(&app, "lqd").await;
    let t = lists(&app, so).await;
    let today = vntext::local_iso_date(now());
    let yesterday = vntext::local_iso_date(now() - 86_400);
    publish(
        &app,
        so,
        t,
        "31/2026/TT-BGDĐT",
        "Quy định hết hiệu lực hôm nay",
        ("2020-01-01", None, Some(&today)),
        None,
    )
    .await;
    // Yesterday's round was the last one: the list was made and kept then.
    sqlx::query("UPDATE document_clock SET day = $1")
        .bind(&yesterday)
        .execute(app.store.db_write())
        .await
        .unwrap();
    let versions = |app: &TestApp| {
        let store = app.store.clone();
        async move {
            let all = store.content_versions().await.unwrap();
            let of = |s: SiteId| all.iter().find(|(id, _)| *id == s).unwrap().1;
            (of(so), of(lqd))
        }
    };
    let list = app.get(SO, &format!("/van-ban?loai={}", t.0)).await;
    list.assert_contains("Hết hiệu lực</span>");
    let before = versions(&app).await;
    // The first round of the day moves the department's version and every
    // school's (they show its documents): the pages are made again.
    app.state.tick().await.unwrap();
    let after = versions(&app).await;
    assert!(after.0 > before.0, "{before:?} {after:?}");
    assert!(after.1 > before.1, "{before:?} {after:?}");
    // Once a day, whichever instance gets there first.
    assert!(
        app.store
            .document_day_turn(&today, now())
            .await
            .unwrap()
            .is_empty()
    );
    app.state.tick().await.unwrap();
    assert_eq!(versions(&app).await, after);
    // A day with nothing turning moves nothing.
    sqlx::query("UPDATE document_clock SET day = $1")
        .bind(&today)
        .execute(app.store.db_write())
        .await
        .unwrap();
    let tomorrow = vntext::local_iso_date(now() + 86_400);
    let turned = app.store.document_day_turn(&tomorrow, now()).await.unwrap();
    assert!(
        !turned.contains(&so),
        "nothing of the department's turns tomorrow: {turned:?}"
    );
}
