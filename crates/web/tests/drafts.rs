//! Drafts open for public comment (issue 14): the period as the page says it and
//! as the server enforces it, the comment form's guard (challenge, honeypot, limit
//! per address), moderation, the XLSX export read back and the summary report.
//! Both backends (EDUPORTAL_TEST_DATABASE_URL for PostgreSQL).

mod common;

use axum::http::StatusCode;
use common::{Desk, Page, TestApp, add_user, now};
use domain::Role;
use sha2::{Digest, Sha256};

const LQD: &str = "lqd.localhost";

const BODY: &str = "<p>Căn cứ Luật Giáo dục…</p><p><strong>Điều 1.</strong> Phạm vi điều chỉnh</p>\
    <p>Quy định này áp dụng cho…</p><p>Điều 2. Thời gian dạy thêm</p><p>Không quá hai buổi.</p>";

/// The demo, with a cheap proof of work and a small limit per address.
async fn app() -> TestApp {
    TestApp::demo_with(|o| {
        o.spam.pow_bits = 8;
        o.spam.posts_per_hour = 60;
        o.spam.burst = 6;
    })
    .await
}

fn local(at: i64) -> String {
    vntext::format_datetime(at)
}

impl Desk<'_> {
    async fn post(&self, path: &str, form: &[(&str, &str)]) -> Page {
        let csrf = self.get("/quan-tri/du-thao/moi").await.field("csrf");
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(form);
        self.app
            .post_form(
                self.host,
                path,
                &all,
                &[("cookie", &self.cookie), ("x-forwarded-for", "10.1.1.1")],
            )
            .await
    }

    /// A form that carries files (the draft's and the report's): multipart.
    async fn upload(&self, path: &str, form: &[(&str, &str)], files: &[(&str, &[u8])]) -> Page {
        let csrf = self.get("/quan-tri/du-thao/moi").await.field("csrf");
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

/// Makes a draft through the back office; its id.
async fn new_draft(desk: &Desk<'_>, title: &str, opens: i64, closes: i64) -> i64 {
    let res = desk
        .upload(
            "/quan-tri/du-thao/moi",
            &[
                ("title", title),
                ("number", "Dự thảo lần 2"),
                ("summary", "Quy định về dạy thêm, học thêm."),
                ("body", BODY),
                ("opens", &local(opens)),
                ("closes", &local(closes)),
                ("action", "dang"),
            ],
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let list = desk.get("/quan-tri/du-thao").await;
    let cut = list.body.split(title).next().unwrap();
    cut.rsplit("/quan-tri/du-thao/")
        .next()
        .and_then(|s| s.split('"').next())
        .unwrap()
        .parse()
        .unwrap()
}

/// The number the page's script would find.
fn solve(token: &str, bits: u32) -> String {
    (0u64..)
        .find(|n| {
            let h = Sha256::digest(format!("{token}:{n}").as_bytes());
            let mut zeros = 0;
            for b in h {
                if b == 0 {
                    zeros += 8;
                } else {
                    zeros += b.leading_zeros();
                    break;
                }
            }
            zeros >= bits
        })
        .unwrap()
        .to_string()
}

/// The answer to the page's sum ("Bảy cộng năm bằng bao nhiêu?").
fn sum_of(page: &Page) -> String {
    const DIGITS: [&str; 10] = [
        "không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín",
    ];
    let q = page
        .body
        .split("Câu hỏi kiểm tra: ")
        .nth(1)
        .and_then(|s| s.split(" bằng bao nhiêu?").next())
        .unwrap()
        .to_lowercase();
    let n: Vec<usize> = q
        .split(" cộng ")
        .map(|w| DIGITS.iter().position(|d| *d == w.trim()).unwrap())
        .collect();
    (n[0] + n[1]).to_string()
}

/// Sends a comment from `ip` through the form's page: `guard` fills the guard's
/// fields from the form page.
async fn comment(
    app: &TestApp,
    slug: &str,
    ip: &str,
    fields: &[(&str, &str)],
    guard: impl Fn(&Page) -> Vec<(&'static str, String)>,
) -> Page {
    let form = app.get(LQD, &format!("/du-thao/{slug}/gop-y")).await;
    assert_eq!(form.status, StatusCode::OK);
    assert_eq!(form.headers["cache-control"], "no-store");
    let extra = guard(&form);
    let mut all: Vec<(&str, &str)> = fields.to_vec();
    for (k, v) in &extra {
        all.push((k, v.as_str()));
    }
    app.post_form(
        LQD,
        &format!("/du-thao/{slug}/gop-y"),
        &all,
        &[("x-forwarded-for", ip)],
    )
    .await
}

fn solved(page: &Page) -> Vec<(&'static str, String)> {
    let token = page.field("thu_thach");
    vec![("loi_giai", solve(&token, 8)), ("thu_thach", token)]
}

const COMMENT: [(&str, &str); 5] = [
    ("name", "Trần Thị Góp Ý"),
    ("email", "gopy@example.vn"),
    ("organisation", "Hội Cha mẹ học sinh"),
    ("article", "2"),
    ("body", "Đề nghị ghi rõ số buổi mỗi tuần."),
];

#[tokio::test]
async fn the_period_shows_and_is_enforced_on_the_server() {
    let app = app().await;
    add_user(&app, "bientap", "lqd", Role::Editor).await;
    let desk = Desk::open(&app, LQD, "bientap").await;
    let t = now();
    new_draft(
        &desk,
        "Quy định dạy thêm học thêm",
        t - 86_400,
        t + 10 * 86_400 - 60,
    )
    .await;
    new_draft(
        &desk,
        "Quy chế thi đua sắp tới",
        t + 86_400,
        t + 30 * 86_400,
    )
    .await;
    new_draft(&desk, "Nội quy đã lấy ý kiến", t - 30 * 86_400, t - 86_400).await;
    let list = app.get(LQD, "/du-thao").await;
    list.assert_contains("Đang lấy ý kiến (còn 10 ngày)");
    list.assert_contains("Chưa đến thời hạn");
    list.assert_contains("Hết hạn lấy ý kiến");
    let page = app.get(LQD, "/du-thao/quy-dinh-day-them-hoc-them").await;
    assert_eq!(page.status, StatusCode::OK);
    page.assert_contains("Đang lấy ý kiến (còn 10 ngày)");
    page.assert_contains("id=\"dieu-2\"");
    page.assert_contains("/du-thao/quy-dinh-day-them-hoc-them/gop-y?dieu=2");
    page.assert_contains("Dự thảo lần 2");
    // Search finds the draft, typed without tone marks.
    let found = app.get(LQD, "/tim-kiem?q=quy+dinh+day+them").await;
    found.assert_contains(
        "<h2 class=\"search-title\"><a href=\"/du-thao/quy-dinh-day-them-hoc-them\">",
    );
    // The form of a draft not open shows no form…
    for slug in ["quy-che-thi-dua-sap-toi", "noi-quy-da-lay-y-kien"] {
        let form = app.get(LQD, &format!("/du-thao/{slug}/gop-y")).await;
        form.assert_lacks("name=\"thu_thach\"");
        form.assert_contains("không nhận góp ý");
    }
    // …and a post made anyway, with a good challenge, is refused by the server.
    for (slug, why) in [
        (
            "quy-che-thi-dua-sap-toi",
            "Dự thảo chưa đến thời hạn lấy ý kiến",
        ),
        ("noi-quy-da-lay-y-kien", "Dự thảo đã hết hạn lấy ý kiến"),
    ] {
        let token = app
            .get(LQD, "/du-thao/quy-dinh-day-them-hoc-them/gop-y")
            .await
            .field("thu_thach");
        let work = solve(&token, 8);
        let mut form: Vec<(&str, &str)> = COMMENT.to_vec();
        form[3] = ("article", "");
        form.push(("thu_thach", &token));
        form.push(("loi_giai", &work));
        let res = app
            .post_form(
                LQD,
                &format!("/du-thao/{slug}/gop-y"),
                &form,
                &[("x-forwarded-for", "10.2.2.2")],
            )
            .await;
        assert_eq!(res.status, StatusCode::CONFLICT, "{slug}");
        res.assert_contains(why);
    }
    // Nothing was stored for them.
    let admin = desk.get("/quan-tri/du-thao").await;
    assert_eq!(admin.body.matches("chờ duyệt").count(), 0, "{}", admin.body);
}

#[tokio::test]
async fn the_challenge_honeypot_and_limit_are_enforced_on_the_server() {
    let app = app().await;
    add_user(&app, "bientap", "lqd", Role::Editor).await;
    let desk = Desk::open(&app, LQD, "bientap").await;
    let t = now();
    new_draft(&desk, "Quy định dạy thêm học thêm", t - 60, t + 86_400).await;
    let slug = "quy-dinh-day-them-hoc-them";
    // No work and no answer: refused, the form kept.
    let res = comment(&app, slug, "10.3.0.1", &COMMENT, |p| {
        vec![("thu_thach", p.field("thu_thach"))]
    })
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Câu trả lời của câu hỏi kiểm tra chưa đúng");
    res.assert_contains("value=\"Trần Thị Góp Ý\"");
    res.assert_contains("Đề nghị ghi rõ số buổi mỗi tuần.</textarea>");
    // A forged token.
    let res = comment(&app, slug, "10.3.0.1", &COMMENT, |p| {
        let token = format!("9{}", p.field("thu_thach"));
        vec![("loi_giai", solve(&token, 8)), ("thu_thach", token)]
    })
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Mã kiểm tra chống thư rác đã hết hạn hoặc đã được dùng");
    // The honeypot filled.
    let res = comment(&app, slug, "10.3.0.2", &COMMENT, |p| {
        let mut f = solved(p);
        f.push(("trang_web", "http://quang-cao.example".into()));
        f
    })
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Biểu mẫu có một ô ẩn");
    // Without JavaScript: the sum answered.
    let res = comment(&app, slug, "10.3.0.3", &COMMENT, |p| {
        vec![("thu_thach", p.field("thu_thach")), ("tra_loi", sum_of(p))]
    })
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    // With the script's work; then the same token again is refused.
    let form = app.get(LQD, &format!("/du-thao/{slug}/gop-y")).await;
    let token = form.field("thu_thach");
    let work = solve(&token, 8);
    let mut fields: Vec<(&str, &str)> = COMMENT.to_vec();
    fields.push(("thu_thach", &token));
    fields.push(("loi_giai", &work));
    let path = format!("/du-thao/{slug}/gop-y");
    let res = app
        .post_form(LQD, &path, &fields, &[("x-forwarded-for", "10.3.0.4")])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(res.location(), format!("{path}?da-gui=1"));
    let thanks = app.get(LQD, res.location()).await;
    thanks.assert_contains("Cảm ơn bạn đã góp ý");
    let again = app
        .post_form(LQD, &path, &fields, &[("x-forwarded-for", "10.3.0.4")])
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    again.assert_contains("đã hết hạn hoặc đã được dùng");
    // Bad fields: the comment's own checks, the form kept.
    let mut bad: Vec<(&str, &str)> = COMMENT.to_vec();
    bad[1] = ("email", "khong-phai-thu");
    bad[3] = ("article", "9");
    let res = comment(&app, slug, "10.3.0.5", &bad, solved).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Địa chỉ thư điện tử “khong-phai-thu” không hợp lệ");
    res.assert_contains("Dự thảo không có Điều 9");
    // The limit per address: six posts in a row from one address, then 429,
    // whatever the post; another address still gets through.
    for i in 0..6 {
        let res = comment(&app, slug, "10.4.4.4", &COMMENT, solved).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "post {i}");
    }
    let res = comment(&app, slug, "10.4.4.4", &COMMENT, solved).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    res.assert_contains("Bạn đã gửi quá nhiều lần từ địa chỉ này");
    let res = comment(&app, slug, "10.4.4.5", &COMMENT, solved).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    // Two comments per accepted post: 1 (sum) + 1 (work) + 6 + 1 = 9, all waiting.
    let admin = desk.get("/quan-tri/du-thao").await;
    admin.assert_contains("9 chờ duyệt");
}

#[tokio::test]
async fn editors_moderate_then_export_and_attach_the_report() {
    let app = app().await;
    add_user(&app, "bientap", "lqd", Role::Editor).await;
    add_user(&app, "phongvien", "lqd", Role::Writer).await;
    let desk = Desk::open(&app, LQD, "bientap").await;
    let t = now();
    let id = new_draft(&desk, "Quy định dạy thêm học thêm", t - 60, t + 86_400).await;
    let slug = "quy-dinh-day-them-hoc-them";
    let res = comment(&app, slug, "10.5.0.1", &COMMENT, solved).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let mut whole: Vec<(&str, &str)> = COMMENT.to_vec();
    whole[0] = ("name", "Lê Văn Toàn Bộ");
    whole[2] = ("organisation", "");
    whole[3] = ("article", "");
    whole[4] = ("body", "=1+1 Nên lùi thời điểm áp dụng.");
    comment(&app, slug, "10.5.0.2", &whole, solved).await;
    // Held: readers do not see it yet.
    let page = app.get(LQD, &format!("/du-thao/{slug}")).await;
    page.assert_lacks("Đề nghị ghi rõ số buổi mỗi tuần.");
    page.assert_contains("Ý kiến góp ý (0)");
    // A writer may open the draft (the workflow) but not moderate: no comment
    // shown to them, and a moderation refused.
    let writer = Desk::open(&app, LQD, "phongvien").await;
    let seen = writer.get(&format!("/quan-tri/du-thao/{id}")).await;
    assert_eq!(seen.status, StatusCode::OK);
    seen.assert_lacks("gopy@example.vn");
    seen.assert_lacks("id=\"gop-y-");
    let csrf = seen.field("csrf");
    let refused = app
        .post_form(
            LQD,
            &format!("/quan-tri/du-thao/{id}/y-kien/1"),
            &[("csrf", &csrf), ("action", "dang")],
            &[("cookie", &writer.cookie)],
        )
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    // The editor publishes the first and answers it; hides the second.
    let edit = desk.get(&format!("/quan-tri/du-thao/{id}")).await;
    edit.assert_contains("gopy@example.vn");
    let ids: Vec<String> = edit
        .body
        .split("id=\"gop-y-")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_owned())
        .collect();
    assert_eq!(ids.len(), 2);
    let moderate = |c: &str| format!("/quan-tri/du-thao/{id}/y-kien/{c}");
    let res = desk.post(&moderate(&ids[0]), &[("action", "dang")]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    desk.post(
        &moderate(&ids[0]),
        &[("action", "tra-loi"), ("answer", "Ban soạn thảo tiếp thu.")],
    )
    .await;
    desk.post(&moderate(&ids[1]), &[("action", "an")]).await;
    let page = app.get(LQD, &format!("/du-thao/{slug}")).await;
    page.assert_contains("Ý kiến góp ý (1)");
    page.assert_contains("Đề nghị ghi rõ số buổi mỗi tuần.");
    page.assert_contains("Trần Thị Góp Ý");
    page.assert_contains("Điều 2");
    page.assert_contains("Ban soạn thảo tiếp thu.");
    page.assert_lacks("gopy@example.vn");
    page.assert_lacks("Nên lùi thời điểm áp dụng.");
    // A wrong token is refused.
    let res = app
        .post_form(
            LQD,
            &moderate(&ids[1]),
            &[("csrf", "sai"), ("action", "dang")],
            &[("cookie", &desk.cookie)],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);

    // No export nor report before the period ends.
    let xlsx = desk
        .get(&format!("/quan-tri/du-thao/{id}/y-kien.xlsx"))
        .await;
    assert_eq!(xlsx.status, StatusCode::CONFLICT);
    // The period ends.
    sqlx::query("UPDATE drafts SET closes_at = $1 WHERE id = $2")
        .bind(now() - 1)
        .bind(id)
        .execute(app.store.db_write())
        .await
        .unwrap();
    let xlsx = desk
        .get(&format!("/quan-tri/du-thao/{id}/y-kien.xlsx"))
        .await;
    assert_eq!(xlsx.status, StatusCode::OK);
    assert_eq!(
        xlsx.headers["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    use calamine::{Data, Reader, Xlsx};
    let mut book: Xlsx<_> = Xlsx::new(std::io::Cursor::new(xlsx.bytes.clone())).unwrap();
    let sheet = book.worksheet_range("Góp ý").unwrap();
    let s = |r: u32, c: u32| match sheet.get_value((r, c)) {
        Some(Data::String(s)) => s.clone(),
        Some(Data::Float(f)) => f.to_string(),
        other => format!("{other:?}"),
    };
    assert_eq!(s(0, 0), "Quy định dạy thêm học thêm");
    assert_eq!(s(3, 2), "Họ và tên");
    assert_eq!(s(3, 6), "Nội dung góp ý");
    assert_eq!(
        sheet.height(),
        6,
        "title, period, blank, header, two comments"
    );
    assert_eq!(s(4, 0), "1");
    assert_eq!(s(4, 2), "Trần Thị Góp Ý");
    assert_eq!(s(4, 3), "gopy@example.vn");
    assert_eq!(s(4, 4), "Hội Cha mẹ học sinh");
    assert_eq!(s(4, 5), "Điều 2");
    assert_eq!(s(4, 7), "Đã đăng");
    assert_eq!(s(4, 8), "Ban soạn thảo tiếp thu.");
    assert_eq!(s(5, 2), "Lê Văn Toàn Bộ");
    assert_eq!(s(5, 5), "Toàn bộ dự thảo");
    // Written as text, never as a formula.
    assert_eq!(s(5, 6), "=1+1 Nên lùi thời điểm áp dụng.");
    assert_eq!(s(5, 7), "Đã ẩn");
    assert!(matches!(sheet.get_value((4, 1)), Some(Data::DateTime(_))));

    // The summary report, attached to the draft.
    let empty = desk
        .upload(
            &format!("/quan-tri/du-thao/{id}/bao-cao"),
            &[("report", "")],
            &[],
        )
        .await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    empty.assert_contains("Hãy viết báo cáo tổng hợp");
    let res = desk
        .upload(
            &format!("/quan-tri/du-thao/{id}/bao-cao"),
            &[("report", "<p>Nhận 2 ý kiến; tiếp thu 1.</p>")],
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = app.get(LQD, &format!("/du-thao/{slug}")).await;
    page.assert_contains("Hết hạn lấy ý kiến");
    page.assert_contains("Báo cáo tổng hợp ý kiến");
    page.assert_contains("Nhận 2 ý kiến; tiếp thu 1.");
}

#[tokio::test]
async fn the_draft_form_keeps_what_was_typed() {
    let app = app().await;
    add_user(&app, "bientap", "lqd", Role::Editor).await;
    let desk = Desk::open(&app, LQD, "bientap").await;
    let res = desk
        .upload(
            "/quan-tri/du-thao/moi",
            &[
                ("title", "Quy định mới"),
                ("body", BODY),
                ("opens", "10/12/2026 08:00"),
                ("closes", "01/12/2026 08:00"),
            ],
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Ngày kết thúc lấy ý kiến phải sau ngày bắt đầu.");
    res.assert_contains("value=\"Quy định mới\"");
    res.assert_contains("value=\"01/12/2026 08:00\"");
    add_user(&app, "nd", "nguyendu", Role::Editor).await;
    let id = new_draft(
        &desk,
        "Quy định dạy thêm học thêm",
        now() - 60,
        now() + 86_400,
    )
    .await;
    let nd = Desk::open(&app, "nguyendu.localhost", "nd").await;
    assert_eq!(
        nd.get(&format!("/quan-tri/du-thao/{id}")).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        app.get("nguyendu.localhost", "/du-thao/quy-dinh-day-them-hoc-them")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

/// The href of the first file of an attachment list after `after` on a page.
fn file_link(page: &Page, after: &str) -> String {
    page.body
        .split(after)
        .nth(1)
        .and_then(|s| s.split("<ul class=\"attachments\"><li><a href=\"").nth(1))
        .and_then(|s| s.split('"').next())
        .unwrap_or_else(|| panic!("no file after {after}: {}", page.body))
        .to_owned()
}

#[tokio::test]
async fn the_draft_and_its_report_carry_uploaded_files() {
    let app = app().await;
    add_user(&app, "bientap", "lqd", Role::Editor).await;
    let desk = Desk::open(&app, LQD, "bientap").await;
    let (opens, closes) = (local(now() - 60), local(now() + 86_400));
    let fields = [
        ("title", "Quy chế thi đua năm học mới"),
        ("summary", "Dự thảo quy chế thi đua."),
        ("body", BODY),
        ("opens", opens.as_str()),
        ("closes", closes.as_str()),
        ("action", "dang"),
    ];
    // A picture is no draft file: refused, the form as typed, nothing saved.
    let png = media::testdata::png(8, 8, false);
    let res = desk
        .upload("/quan-tri/du-thao/moi", &fields, &[("so-do.png", &png)])
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    res.assert_contains(
        "so-do.png: dự thảo chỉ đính kèm tệp PDF, Word (DOC, DOCX) hoặc Excel (XLS, XLSX).",
    );
    res.assert_contains("value=\"Quy chế thi đua năm học mới\"");
    res.assert_contains("Dự thảo quy chế thi đua.");
    desk.get("/quan-tri/du-thao")
        .await
        .assert_lacks("Quy chế thi đua năm học mới");

    // The draft's own file, uploaded with the form, downloaded as sent.
    let pdf = media::testdata::pdf();
    let res = desk
        .upload("/quan-tri/du-thao/moi", &fields, &[("du-thao.pdf", &pdf)])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let public = app.get(LQD, "/du-thao").await;
    let href = public
        .body
        .split("Quy chế thi đua năm học mới")
        .next()
        .and_then(|s| s.rsplit("href=\"/du-thao/").next())
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let page = app.get(LQD, &format!("/du-thao/{href}")).await;
    page.assert_contains(">du-thao.pdf</a>");
    let got = app.get(LQD, &file_link(&page, "Tệp dự thảo")).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.bytes, pdf);

    // After the period, the summary report's file uploaded with its form.
    sqlx::query("UPDATE drafts SET closes_at = $1 WHERE title = $2")
        .bind(now() - 1)
        .bind("Quy chế thi đua năm học mới")
        .execute(app.store.db_write())
        .await
        .unwrap();
    let list = desk.get("/quan-tri/du-thao").await;
    let id = list
        .body
        .split("Quy chế thi đua năm học mới")
        .next()
        .and_then(|s| s.rsplit("/quan-tri/du-thao/").next())
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let report = format!("/quan-tri/du-thao/{id}/bao-cao");
    let bad = desk
        .upload(
            &report,
            &[("report", "<p>Tổng hợp.</p>")],
            &[("anh.png", &png)],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", bad.body);
    bad.assert_contains("anh.png: dự thảo chỉ đính kèm tệp PDF");
    bad.assert_contains("&#60;p&#62;Tổng hợp.&#60;/p&#62;");
    let mut summary = b"%PDF-1.4\n% bao cao tong hop\n".to_vec();
    summary.extend_from_slice(&pdf[9..]);
    let res = desk
        .upload(
            &report,
            &[("report", "")],
            &[("bao-cao-tong-hop.pdf", &summary)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = app.get(LQD, &format!("/du-thao/{href}")).await;
    page.assert_contains("Báo cáo tổng hợp ý kiến");
    page.assert_contains(">bao-cao-tong-hop.pdf</a>");
    let got = app
        .get(LQD, &file_link(&page, "id=\"bao-cao-tong-hop\""))
        .await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(got.bytes, summary);
}

#[tokio::test]
async fn a_writer_submits_an_editor_publishes_and_a_revision_is_restored() {
    let app = app().await;
    add_user(&app, "phongvien", "lqd", Role::Writer).await;
    add_user(&app, "bientap", "lqd", Role::Editor).await;
    let writer = Desk::open(&app, LQD, "phongvien").await;
    let editor = Desk::open(&app, LQD, "bientap").await;
    let (opens, closes) = (local(now() - 60), local(now() + 86_400));
    let title = "Quy định nề nếp học đường";
    let fields = |summary: &'static str, action: &'static str, revision: &'static str| {
        vec![
            ("title", title),
            ("summary", summary),
            ("body", BODY),
            ("opens", opens.as_str()),
            ("closes", closes.as_str()),
            ("action", action),
            ("revision", revision),
        ]
    };
    // A writer is offered no publishing, and the server refuses it anyway.
    let form = writer.get("/quan-tri/du-thao/moi").await;
    assert_eq!(form.status, StatusCode::OK);
    form.assert_contains("value=\"gui-duyet\"");
    form.assert_lacks("value=\"dang\"");
    let res = writer
        .upload(
            "/quan-tri/du-thao/moi",
            &fields("Dự thảo quy định.", "dang", ""),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    res.assert_contains("Bạn không có quyền làm việc này với dự thảo.");
    res.assert_lacks("bài viết");
    res.assert_contains(&format!("value=\"{title}\""));
    // Sent to an editor: not public yet.
    let res = writer
        .upload(
            "/quan-tri/du-thao/moi",
            &fields("Dự thảo quy định.", "gui-duyet", ""),
            &[],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    app.get(LQD, "/du-thao").await.assert_lacks(title);
    let list = writer.get("/quan-tri/du-thao").await;
    list.assert_contains("Chờ duyệt");
    let id = list
        .body
        .split(title)
        .next()
        .and_then(|s| s.rsplit("/quan-tri/du-thao/").next())
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let edit = format!("/quan-tri/du-thao/{id}");
    // The writer can no longer change it.
    let res = writer
        .upload(&edit, &fields("Sửa lén.", "luu", "1"), &[])
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    res.assert_contains("Dự thảo đã gửi duyệt hoặc đã đăng; chỉ biên tập viên mới sửa được.");
    // The editor edits and publishes it.
    let page = editor.get(&edit).await;
    page.assert_contains("Chờ duyệt");
    page.assert_contains("value=\"dang\"");
    let res = editor
        .upload(&edit, &fields("Bản đã biên tập.", "dang", "1"), &[])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let public = app.get(LQD, "/du-thao").await;
    let href = public
        .body
        .split(title)
        .next()
        .and_then(|s| s.rsplit("href=\"/du-thao/").next())
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let path = format!("/du-thao/{href}");
    app.get(LQD, &path)
        .await
        .assert_contains("Bản đã biên tập.");

    // The history compares revisions; the editor restores the first.
    let history = editor.get(&format!("{edit}/phien-ban")).await;
    assert_eq!(history.status, StatusCode::OK);
    history.assert_contains("Phiên bản 2 so với phiên bản 1");
    history.assert_contains("gửi duyệt dự thảo");
    history.assert_contains("đăng dự thảo");
    let res = app
        .post_form(
            LQD,
            &format!("{edit}/phien-ban/1/khoi-phuc"),
            &[("csrf", &history.field("csrf")), ("revision", "2")],
            &[("cookie", &editor.cookie)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = app.get(LQD, &path).await;
    assert_eq!(page.status, StatusCode::OK, "still published");
    page.assert_contains("Dự thảo quy định.");
    page.assert_lacks("Bản đã biên tập.");
    editor
        .get(&format!("{edit}/phien-ban"))
        .await
        .assert_contains("khôi phục phiên bản 1");

    // Withdrawn: readers no longer find it.
    let res = editor
        .upload(&edit, &fields("Dự thảo quy định.", "go-bai", "3"), &[])
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(app.get(LQD, &path).await.status, StatusCode::NOT_FOUND);
    editor
        .get("/quan-tri/du-thao")
        .await
        .assert_contains("Đã gỡ");
}
