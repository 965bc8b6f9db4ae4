//! The editorial workflow in the back office: writers write and submit, editors
//! publish, schedule, reject and unpublish; every save is a revision; a stale save
//! is refused with the text kept; nobody reaches another site's articles.

mod common;

use axum::http::StatusCode;
use common::{Desk, Page, TestApp, add_user, now, site_and_category};
use domain::{ArticleId, Role};

const SO: &str = "localhost";
const LQD: &str = "lqd.localhost";

/// Posting forms with the session and its token.
impl Desk<'_> {
    /// Posts `fields` to `path` with the CSRF token of the page at `form_page`.
    async fn post(&self, form_page: &str, path: &str, fields: &[(&str, &str)]) -> Page {
        let csrf = self.get(form_page).await.field("csrf");
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend_from_slice(fields);
        self.app
            .post_form(self.host, path, &all, &[("cookie", &self.cookie)])
            .await
    }

    /// Writes a new article; returns its id.
    async fn write(&self, category: &str, title: &str, action: &str) -> ArticleId {
        let res = self
            .post(
                "/quan-tri/bai-viet/moi",
                "/quan-tri/bai-viet/moi",
                &[
                    ("action", action),
                    ("title", title),
                    ("category", category),
                    ("summary", "Tóm tắt bài viết thử."),
                    ("body", "<p>Nội dung <b>bài viết</b> thử.</p>"),
                    ("author", "Tin: Thanh Bình"),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        let id = res
            .location()
            .trim_start_matches("/quan-tri/bai-viet/")
            .split('?')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        ArticleId(id)
    }

    /// Presses a button of an article's form, sending the form back as it is
    /// shown, with `changes` applied.
    async fn press(&self, id: ArticleId, action: &str, changes: &[(&str, &str)]) -> Page {
        let path = format!("/quan-tri/bai-viet/{id}");
        let form = self.get(&path).await;
        assert_eq!(form.status, StatusCode::OK, "{}", form.body);
        let mut fields = current_fields(&form);
        for (k, v) in changes {
            fields.retain(|(name, _)| name != k);
            fields.push(((*k).to_owned(), (*v).to_owned()));
        }
        fields.push(("action".into(), action.into()));
        let pairs: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        self.app
            .post_form(self.host, &path, &pairs, &[("cookie", &self.cookie)])
            .await
    }
}

/// The editor form's fields and their values, as a browser would send them.
fn current_fields(form: &Page) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for name in [
        "csrf",
        "revision",
        "title",
        "slug",
        "author",
        "source",
        "publish_at",
        "expires_at",
        "cover",
    ] {
        out.push((name.to_owned(), unescape(&form.field(name))));
    }
    for name in ["summary", "body"] {
        let v = form
            .body
            .split(&format!("name=\"{name}\""))
            .nth(1)
            .and_then(|s| s.split_once('>'))
            .and_then(|(_, s)| s.split("</textarea>").next())
            .unwrap_or_default();
        out.push((name.to_owned(), unescape(v)));
    }
    let category = form
        .body
        .split("name=\"category\"")
        .nth(1)
        .and_then(|s| s.split("\" selected").next())
        .and_then(|s| s.rsplit("value=\"").next())
        .unwrap_or_default();
    out.push(("category".into(), category.to_owned()));
    if form
        .body
        .contains("name=\"featured\" type=\"checkbox\" value=\"1\" checked")
    {
        out.push(("featured".into(), "1".into()));
    }
    out
}

/// Undoes the template's escaping (askama writes `&#60;` for `<` and so on).
fn unescape(s: &str) -> String {
    s.replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&#38;", "&")
}

async fn category_id(app: &TestApp, site: &str, slug: &str) -> String {
    site_and_category(app, site, slug).await.1.0.to_string()
}

#[tokio::test]
async fn a_writer_writes_and_submits_an_editor_publishes() {
    let app = TestApp::demo().await;
    add_user(&app, "gv.viet", "so", Role::Writer).await;
    add_user(&app, "bt.duyet", "so", Role::Editor).await;
    let cat = category_id(&app, "so", "tin-giao-duc").await;
    let writer = Desk::open(&app, SO, "gv.viet").await;
    let id = writer
        .write(&cat, "Hội thi giáo viên dạy giỏi cấp tỉnh 2026", "luu")
        .await;

    let draft = writer
        .get(&format!("/quan-tri/bai-viet/{id}?da-luu=luu"))
        .await;
    draft.assert_contains("Đã lưu.");
    draft.assert_contains("<strong class=\"status\">Bản nháp</strong>");
    draft.assert_contains(">Gửi duyệt</button>");
    draft.assert_lacks(">Đăng bài</button>");
    // Not on the public site.
    let public = app
        .get(
            SO,
            "/tin-tuc/tin-giao-duc/hoi-thi-giao-vien-day-gioi-cap-tinh-2026",
        )
        .await;
    assert_eq!(public.status, StatusCode::NOT_FOUND);

    // A writer's publish is refused, whatever the form says.
    let refused = writer.press(id, "dang", &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("Bạn không có quyền làm việc này với bài viết.");

    let submitted = writer.press(id, "gui-duyet", &[]).await;
    assert_eq!(
        submitted.status,
        StatusCode::SEE_OTHER,
        "{}",
        submitted.body
    );
    let page = writer.get(submitted.location()).await;
    page.assert_contains("Đã gửi bài cho biên tập viên duyệt.");
    page.assert_contains("Chờ duyệt");
    // Submitted: no longer the writer's to change.
    page.assert_contains("Bạn chỉ xem được bài này");
    let locked = writer.press(id, "luu", &[("title", "Đổi tiêu đề")]).await;
    assert_eq!(locked.status, StatusCode::UNPROCESSABLE_ENTITY);
    locked.assert_contains("chỉ biên tập viên mới sửa được");

    // The editor sees it waiting and publishes it.
    let editor = Desk::open(&app, SO, "bt.duyet").await;
    let waiting = editor.get("/quan-tri/bai-viet?trang-thai=submitted").await;
    waiting.assert_contains("Hội thi giáo viên dạy giỏi cấp tỉnh 2026");
    let published = editor.press(id, "dang", &[]).await;
    assert_eq!(
        published.status,
        StatusCode::SEE_OTHER,
        "{}",
        published.body
    );
    editor
        .get(published.location())
        .await
        .assert_contains("Đã đăng bài lên trang.");
    let public = app
        .get(
            SO,
            "/tin-tuc/tin-giao-duc/hoi-thi-giao-vien-day-gioi-cap-tinh-2026",
        )
        .await;
    assert_eq!(public.status, StatusCode::OK);
    public.assert_contains("Hội thi giáo viên dạy giỏi cấp tỉnh 2026");
    public.assert_contains("Nội dung <b>bài viết</b> thử.");
    // The home page's "Tin mới" has it too: the edit bumped the content version.
    app.get(SO, "/")
        .await
        .assert_contains("Hội thi giáo viên dạy giỏi cấp tỉnh 2026");
    // The audit log tells who did what.
    let admin_id = add_user(&app, "qt.so", "so", Role::Admin).await;
    assert!(admin_id.0 > 0);
    let admin = Desk::open(&app, SO, "qt.so").await;
    let dash = admin.get("/quan-tri").await;
    dash.assert_contains("<td>bt.duyet</td><td>đăng bài viết</td>");
    dash.assert_contains("<td>gv.viet</td><td>gửi duyệt bài viết</td>");
}

/// The byline ("Tác giả") is what the article's author wants printed, often not the
/// account's name ("Tin, ảnh: Thanh Bình", or an office): a new article starts with
/// it empty, not filled with the name of whoever opened the form.
#[tokio::test]
async fn a_new_article_starts_with_an_empty_byline() {
    let app = TestApp::demo().await;
    add_user(&app, "gv.viet", "so", Role::Writer).await;
    let writer = Desk::open(&app, SO, "gv.viet").await;
    let form = writer.get("/quan-tri/bai-viet/moi").await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    form.assert_contains("<label for=\"tac-gia\">Tác giả (dòng ghi tên)</label>");
    assert_eq!(form.field("author"), "");
    // Nor is the account's name ("Nguyễn Văn Thử") in any other field.
    form.assert_lacks("value=\"Nguyễn Văn Thử\"");

    // A byline written is kept as written.
    let cat = category_id(&app, "so", "tin-giao-duc").await;
    let id = writer
        .write(&cat, "Tập huấn giáo viên tiếng Anh", "luu")
        .await;
    let saved = writer.get(&format!("/quan-tri/bai-viet/{id}")).await;
    assert_eq!(saved.field("author"), "Tin: Thanh Bình");
}

#[tokio::test]
async fn a_rejection_needs_a_reason_and_the_writer_sees_it() {
    let app = TestApp::demo().await;
    add_user(&app, "gv.viet", "so", Role::Writer).await;
    add_user(&app, "bt.duyet", "so", Role::Editor).await;
    let cat = category_id(&app, "so", "tin-giao-duc").await;
    let writer = Desk::open(&app, SO, "gv.viet").await;
    let id = writer.write(&cat, "Bài cần sửa lại", "gui-duyet").await;
    let editor = Desk::open(&app, SO, "bt.duyet").await;

    let no_reason = editor.press(id, "tra-lai", &[]).await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    no_reason.assert_contains("Vui lòng ghi lý do trả lại");

    let rejected = editor
        .press(
            id,
            "tra-lai",
            &[("reject_reason", "Thiếu ảnh và số liệu cụ thể.")],
        )
        .await;
    assert_eq!(rejected.status, StatusCode::SEE_OTHER, "{}", rejected.body);
    let page = writer.get(&format!("/quan-tri/bai-viet/{id}")).await;
    page.assert_contains("Bị trả lại");
    page.assert_contains("Lý do bị trả lại: Thiếu ảnh và số liệu cụ thể.");
    // Back with the writer: they may edit and submit again.
    let fixed = writer
        .press(id, "gui-duyet", &[("summary", "Đã bổ sung số liệu.")])
        .await;
    assert_eq!(fixed.status, StatusCode::SEE_OTHER, "{}", fixed.body);
}

#[tokio::test]
async fn nobody_reaches_another_sites_articles() {
    let app = TestApp::demo().await;
    add_user(&app, "bt.lqd", "lqd", Role::Editor).await;
    add_user(&app, "bt.so", "so", Role::Editor).await;
    let cat = category_id(&app, "so", "tin-giao-duc").await;
    let so_editor = Desk::open(&app, SO, "bt.so").await;
    let id = so_editor.write(&cat, "Tin riêng của Sở", "luu").await;

    let lqd_editor = Desk::open(&app, LQD, "bt.lqd").await;
    // On its own host, the school's editor does not find the department's article …
    let other = lqd_editor.get(&format!("/quan-tri/bai-viet/{id}")).await;
    assert_eq!(other.status, StatusCode::NOT_FOUND);
    let csrf = lqd_editor.get("/quan-tri/bai-viet").await.field("csrf");
    let post = app
        .post_form(
            LQD,
            &format!("/quan-tri/bai-viet/{id}"),
            &[
                ("csrf", &csrf),
                ("action", "xoa"),
                ("revision", "1"),
                ("title", "x"),
            ],
            &[("cookie", &lqd_editor.cookie)],
        )
        .await;
    assert_eq!(post.status, StatusCode::NOT_FOUND);
    // … and a category of another site is not accepted in a form.
    let lqd_cat = category_id(&app, "lqd", "thong-bao").await;
    let foreign = so_editor
        .post(
            "/quan-tri/bai-viet/moi",
            "/quan-tri/bai-viet/moi",
            &[
                ("action", "luu"),
                ("title", "Sai chuyên mục"),
                ("category", &lqd_cat),
            ],
        )
        .await;
    assert_eq!(foreign.status, StatusCode::UNPROCESSABLE_ENTITY);
    foreign.assert_contains("Vui lòng chọn chuyên mục.");
    // With the department's host, the school editor's session has no role there.
    let cross = app
        .get_with(SO, "/quan-tri/bai-viet", &[("cookie", &lqd_editor.cookie)])
        .await;
    assert_eq!(cross.status, StatusCode::FORBIDDEN);
    // The article is untouched.
    let still = so_editor.get(&format!("/quan-tri/bai-viet/{id}")).await;
    still.assert_contains("Tin riêng của Sở");
}

#[tokio::test]
async fn forms_without_the_sessions_token_change_nothing() {
    let app = TestApp::demo().await;
    add_user(&app, "bt.so", "so", Role::Editor).await;
    let cat = category_id(&app, "so", "tin-giao-duc").await;
    let editor = Desk::open(&app, SO, "bt.so").await;
    let id = editor.write(&cat, "Bài có chữ ký biểu mẫu", "luu").await;
    for csrf in ["", "sai-ma"] {
        let res = app
            .post_form(
                SO,
                &format!("/quan-tri/bai-viet/{id}"),
                &[("csrf", csrf), ("action", "xoa"), ("revision", "1")],
                &[("cookie", &editor.cookie)],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
        res.assert_contains("Biểu mẫu đã hết hạn hoặc không hợp lệ");
        let res = app
            .post_form(
                SO,
                "/quan-tri/bai-viet/moi",
                &[("csrf", csrf), ("action", "luu"), ("title", "Giả mạo")],
                &[("cookie", &editor.cookie)],
            )
            .await;
        assert_eq!(res.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(
        editor.get(&format!("/quan-tri/bai-viet/{id}")).await.status,
        StatusCode::OK
    );
    editor
        .get("/quan-tri/bai-viet?q=gia+mao")
        .await
        .assert_contains("Có <strong>0</strong> bài viết.");
}

#[tokio::test]
async fn a_scheduled_article_is_published_by_the_server_at_its_time() {
    let app = TestApp::demo().await;
    add_user(&app, "bt.so", "so", Role::Editor).await;
    let cat = category_id(&app, "so", "tin-giao-duc").await;
    let editor = Desk::open(&app, SO, "bt.so").await;
    let id = editor.write(&cat, "Thông báo hẹn giờ đăng", "luu").await;
    let later = vntext::format_datetime(now() + 3 * 86_400);
    let scheduled = editor.press(id, "dang", &[("publish_at", &later)]).await;
    assert_eq!(
        scheduled.status,
        StatusCode::SEE_OTHER,
        "{}",
        scheduled.body
    );
    let page = editor.get(scheduled.location()).await;
    page.assert_contains("Đã hẹn giờ");
    page.assert_contains("Hẹn giờ đăng");
    page.assert_contains(&later);
    let path = "/tin-tuc/tin-giao-duc/thong-bao-hen-gio-dang";
    assert_eq!(app.get(SO, path).await.status, StatusCode::NOT_FOUND);
    // A round of the server's chores before the time changes nothing.
    app.state.tick().await.unwrap();
    assert_eq!(app.get(SO, path).await.status, StatusCode::NOT_FOUND);

    // The time comes: the same chores publish it, with no editor and no reader.
    store::testing::set_publish_time(&app.store, id, now() - 60)
        .await
        .unwrap();
    app.state.tick().await.unwrap();
    let public = app.get(SO, path).await;
    assert_eq!(public.status, StatusCode::OK);
    public.assert_contains("Thông báo hẹn giờ đăng");
    let after = editor.get(&format!("/quan-tri/bai-viet/{id}")).await;
    after.assert_contains("<strong class=\"status\">Đã đăng</strong>");
    let history = editor
        .get(&format!("/quan-tri/bai-viet/{id}/phien-ban"))
        .await;
    history.assert_contains("đăng bài theo lịch");

    // An expiry takes it down the same way.
    let soon = vntext::format_datetime(now() + 3600);
    let res = editor.press(id, "luu", &[("expires_at", &soon)]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    app.store.run_schedule(now() + 7200).await.unwrap();
    app.state.tick().await.unwrap();
    assert_eq!(app.get(SO, path).await.status, StatusCode::NOT_FOUND);
    editor
        .get(&format!("/quan-tri/bai-viet/{id}"))
        .await
        .assert_contains("<strong class=\"status\">Đã gỡ</strong>");
}

#[tokio::test]
async fn bad_input_is_explained_and_kept() {
    let app = TestApp::demo().await;
    add_user(&app, "bt.so", "so", Role::Editor).await;
    let cat = category_id(&app, "so", "tin-giao-duc").await;
    let editor = Desk::open(&app, SO, "bt.so").await;
    let res = editor
        .post(
            "/quan-tri/bai-viet/moi",
            "/quan-tri/bai-viet/moi",
            &[
                ("action", "dang"),
                ("title", ""),
                ("category", &cat),
                ("summary", "Tóm tắt vẫn còn"),
                ("body", "<p>Đoạn văn<script>alert(1)</script></p>"),
                ("publish_at", "31/02/2026 08:00"),
            ],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Vui lòng nhập tiêu đề bài viết.");
    res.assert_contains("Thời điểm đăng “31/02/2026 08:00” không đọc được");
    // What was typed is still there (the body as typed, escaped in the textarea).
    res.assert_contains(">Tóm tắt vẫn còn</textarea>");
    res.assert_contains("value=\"31/02/2026 08:00\"");
    res.assert_contains("&#60;p&#62;Đoạn văn");

    // A script never reaches the page.
    let id = editor
        .write(&cat, "Bài có mã độc trong nội dung", "dang")
        .await;
    let r = editor
        .press(
            id,
            "luu",
            &[(
                "body",
                "<p onclick=\"x()\">An toàn<script>alert(1)</script></p>",
            )],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let public = app
        .get(SO, "/tin-tuc/tin-giao-duc/bai-co-ma-doc-trong-noi-dung")
        .await;
    public.assert_contains("<p>An toàn</p>");
    public.assert_lacks("alert(1)");
    // Editing what readers see dates it.
    public.assert_contains("Ngày cập nhật:");
}

#[tokio::test]
async fn a_stale_save_is_refused_and_the_text_is_kept() {
    let app = TestApp::demo().await;
    let lan = app
        .store
        .create_user(
            "lan",
            "Nguyễn Thị Lan",
            &web::auth::hash_password(common::PASSWORD),
            false,
            0,
        )
        .await
        .unwrap();
    let hung = app
        .store
        .create_user(
            "hung",
            "Trần Văn Hùng",
            &web::auth::hash_password(common::PASSWORD),
            false,
            0,
        )
        .await
        .unwrap();
    let (site, _) = site_and_category(&app, "so", "tin-giao-duc").await;
    app.store.grant_role(lan, site, Role::Editor).await.unwrap();
    app.store
        .grant_role(hung, site, Role::Editor)
        .await
        .unwrap();
    let cat = category_id(&app, "so", "tin-giao-duc").await;
    let a = Desk::open(&app, SO, "lan").await;
    let b = Desk::open(&app, SO, "hung").await;
    let id = a.write(&cat, "Tổng kết năm học", "luu").await;
    let path = format!("/quan-tri/bai-viet/{id}");

    // Both open it; the second is warned that the first has it open.
    let form_a = a.get(&path).await;
    let form_b = b.get(&path).await;
    form_b.assert_contains("Nguyễn Thị Lan cũng đang mở bài này để sửa");
    let mut fields_b = current_fields(&form_b);

    // Lan saves first.
    let mut fields_a = current_fields(&form_a);
    fields_a.retain(|(k, _)| k != "title");
    fields_a.push(("title".into(), "Tổng kết năm học 2025–2026".into()));
    fields_a.push(("action".into(), "luu".into()));
    let pairs: Vec<(&str, &str)> = fields_a
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let saved = app
        .post_form(SO, &path, &pairs, &[("cookie", &a.cookie)])
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);

    // Hùng saves over the revision he opened: refused, his text kept.
    fields_b.retain(|(k, _)| k != "summary");
    fields_b.push(("summary".into(), "Tóm tắt của Hùng".into()));
    fields_b.push(("action".into(), "luu".into()));
    let pairs: Vec<(&str, &str)> = fields_b
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let stale = app
        .post_form(SO, &path, &pairs, &[("cookie", &b.cookie)])
        .await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY);
    stale.assert_contains("Nguyễn Thị Lan đã lưu bài này lúc");
    stale.assert_contains("CHƯA được lưu");
    stale.assert_contains(">Tóm tắt của Hùng</textarea>");
    let stored = a.get(&path).await;
    stored.assert_contains("value=\"Tổng kết năm học 2025–2026\"");
    stored.assert_lacks("Tóm tắt của Hùng");

    // Saving again from the refused form is a deliberate choice, and goes through.
    let mut again = current_fields(&stale);
    again.push(("action".into(), "luu".into()));
    let pairs: Vec<(&str, &str)> = again
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let second = app
        .post_form(SO, &path, &pairs, &[("cookie", &b.cookie)])
        .await;
    assert_eq!(second.status, StatusCode::SEE_OTHER, "{}", second.body);
    a.get(&path)
        .await
        .assert_contains(">Tóm tắt của Hùng</textarea>");
}

#[tokio::test]
async fn every_save_is_a_revision_and_restoring_makes_a_new_one() {
    let app = TestApp::demo().await;
    add_user(&app, "bt.so", "so", Role::Editor).await;
    let cat = category_id(&app, "so", "tin-giao-duc").await;
    let editor = Desk::open(&app, SO, "bt.so").await;
    let id = editor.write(&cat, "Khai giảng năm học mới", "dang").await;
    let r = editor
        .press(
            id,
            "luu",
            &[
                ("title", "Khai giảng năm học 2026–2027"),
                ("slug", "khai-giang-2026"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The old address answers with a redirect to the new one.
    let old = app
        .get(SO, "/tin-tuc/tin-giao-duc/khai-giang-nam-hoc-moi")
        .await;
    assert_eq!(old.status, StatusCode::MOVED_PERMANENTLY);
    assert_eq!(old.location(), "/tin-tuc/tin-giao-duc/khai-giang-2026");

    let history = editor
        .get(&format!("/quan-tri/bai-viet/{id}/phien-ban"))
        .await;
    history.assert_contains("Phiên bản 2</a>");
    history.assert_contains("Phiên bản 1</a>");
    history.assert_contains("tạo bài");
    // What revision 2 changed, word by word.
    history.assert_contains("Phiên bản 2 so với phiên bản 1");
    history.assert_contains("<del>mới</del>");
    history.assert_contains("<ins>2026–2027</ins>");

    let csrf = history.field("csrf");
    let restored = app
        .post_form(
            SO,
            &format!("/quan-tri/bai-viet/{id}/phien-ban/1/khoi-phuc"),
            &[("csrf", &csrf), ("revision", "2")],
            &[("cookie", &editor.cookie)],
        )
        .await;
    assert_eq!(restored.status, StatusCode::SEE_OTHER, "{}", restored.body);
    let form = editor.get(&format!("/quan-tri/bai-viet/{id}")).await;
    form.assert_contains("value=\"Khai giảng năm học mới\"");
    let history = editor
        .get(&format!("/quan-tri/bai-viet/{id}/phien-ban"))
        .await;
    history.assert_contains("Phiên bản 3</a>");
    history.assert_contains("khôi phục phiên bản 1");
    // Nothing was lost: revision 2 is still there.
    history.assert_contains("Phiên bản 2</a>");
    let public = app
        .get(SO, "/tin-tuc/tin-giao-duc/khai-giang-nam-hoc-moi")
        .await;
    assert_eq!(public.status, StatusCode::OK);
    public.assert_contains("Khai giảng năm học mới");
}

#[tokio::test]
async fn the_list_filters_by_title_without_tone_marks_status_and_category() {
    let app = TestApp::demo().await;
    add_user(&app, "bt.so", "so", Role::Editor).await;
    let editor = Desk::open(&app, SO, "bt.so").await;
    let found = editor.get("/quan-tri/bai-viet?q=tuyen+sinh+lop+10").await;
    found.assert_contains("Tuyển sinh lớp 10 năm học 2026–2027");
    found.assert_lacks("Tăng cường phòng, chống đuối nước");
    let with_marks = editor.get("/quan-tri/bai-viet?q=Tuy%E1%BB%83n+sinh").await;
    with_marks.assert_contains("Tuyển sinh lớp 10 năm học 2026–2027");

    let cat = category_id(&app, "so", "tin-giao-duc").await;
    let id = editor.write(&cat, "Bản nháp chưa đăng", "luu").await;
    let drafts = editor.get("/quan-tri/bai-viet?trang-thai=draft").await;
    drafts.assert_contains("Có <strong>1</strong> bài viết.");
    drafts.assert_contains(&format!("/quan-tri/bai-viet/{id}\">Bản nháp chưa đăng"));
    let published = editor.get("/quan-tri/bai-viet?trang-thai=published").await;
    published.assert_lacks("Bản nháp chưa đăng");
    // Twenty a page, with the filters kept on the pager's links.
    published.assert_contains("/quan-tri/bai-viet?trang-thai=published&#38;trang=2");

    let bad_date = editor.get("/quan-tri/bai-viet?tu-ngay=32/13/2026").await;
    bad_date.assert_contains("Ngày “32/13/2026” không đọc được");
    let range = editor
        .get("/quan-tri/bai-viet?tu-ngay=01/05/2026&den-ngay=31/05/2026&trang-thai=published")
        .await;
    range.assert_contains("Thông báo lịch tiếp công dân định kỳ của Giám đốc Sở tháng 5/2026");
    range.assert_lacks("/11/2026");
}

#[tokio::test]
async fn deleting_takes_an_article_off_for_good() {
    let app = TestApp::demo().await;
    add_user(&app, "gv.viet", "so", Role::Writer).await;
    add_user(&app, "bt.so", "so", Role::Editor).await;
    let cat = category_id(&app, "so", "tin-giao-duc").await;
    let writer = Desk::open(&app, SO, "gv.viet").await;
    let mine = writer.write(&cat, "Nháp viết nhầm", "luu").await;
    let gone = writer.press(mine, "xoa", &[]).await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER, "{}", gone.body);
    assert_eq!(
        writer
            .get(&format!("/quan-tri/bai-viet/{mine}"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );

    let editor = Desk::open(&app, SO, "bt.so").await;
    let id = editor.write(&cat, "Bài đăng rồi xoá", "dang").await;
    let path = "/tin-tuc/tin-giao-duc/bai-dang-roi-xoa";
    assert_eq!(app.get(SO, path).await.status, StatusCode::OK);
    // A writer cannot delete someone else's article.
    let refused = writer.press(id, "xoa", &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let res = editor.press(id, "xoa", &[]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(app.get(SO, path).await.status, StatusCode::NOT_FOUND);
}

/// The part of `body` after `before`, up to the next `"`.
fn attr_after(body: &str, before: &str) -> String {
    body.split(before)
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap_or_else(|| panic!("no {before} in the page"))
        .to_owned()
}

#[tokio::test]
async fn a_republished_article_follows_the_schools_edits_and_names_the_original() {
    let app = TestApp::demo().await;
    add_user(&app, "bt.lqd", "lqd", Role::Editor).await;
    add_user(&app, "bt.so", "so", Role::Editor).await;
    let school = Desk::open(&app, LQD, "bt.lqd").await;
    let cat = category_id(&app, "lqd", "thong-bao").await;
    let id = school
        .write(&cat, "Học sinh Lê Quý Đôn đoạt giải Nhất quốc gia", "dang")
        .await;

    // The department's editor finds it among the units' news and re-publishes it.
    let desk = Desk::open(&app, SO, "bt.so").await;
    let list = desk.get("/quan-tri/tin-don-vi").await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    list.assert_contains("Học sinh Lê Quý Đôn đoạt giải Nhất quốc gia");
    let row = list
        .body
        .split(&format!("name=\"bai\" value=\"{id}\""))
        .nth(1)
        .expect("a row for the school's article");
    let school_site = attr_after(row, "name=\"don_vi\" value=\"");
    let so_category = category_id(&app, "so", "tin-cac-truong").await;
    assert!(
        row.contains(&format!(
            "<option value=\"{so_category}\" selected>Tin các trường</option>"
        )),
        "the schools' category is chosen: {row}"
    );
    let done = desk
        .post(
            "/quan-tri/tin-don-vi",
            "/quan-tri/tin-don-vi",
            &[
                ("action", "dang-lai"),
                ("bai", &id.to_string()),
                ("don_vi", &school_site),
                ("chuyen_muc", &so_category),
                ("trang", "1"),
            ],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let list = desk.get(done.location()).await;
    list.assert_contains("Đã đăng lại bài lên trang của bạn.");
    let copy_path = attr_after(&list.body, "Đã đăng lại: <a href=\"");
    assert!(
        copy_path.starts_with("/tin-tuc/tin-cac-truong/"),
        "{copy_path}"
    );

    // On the department's site: in its category, with the school as source and the
    // school's page as canonical.
    let original =
        "http://lqd.localhost/tin-tuc/thong-bao/hoc-sinh-le-quy-don-doat-giai-nhat-quoc-gia";
    let copy = app.get(SO, &copy_path).await;
    assert_eq!(copy.status, StatusCode::OK);
    copy.assert_contains(
        "<h1 class=\"article-title\">Học sinh Lê Quý Đôn đoạt giải Nhất quốc gia</h1>",
    );
    copy.assert_contains(&format!("<link rel=\"canonical\" href=\"{original}\">"));
    copy.assert_contains(&format!(
        "Bài đăng lại từ trang của <a href=\"{original}\">Trường THPT Chuyên Lê Quý Đôn</a>"
    ));
    app.get(SO, "/tin-tuc/tin-cac-truong")
        .await
        .assert_contains("Học sinh Lê Quý Đôn đoạt giải Nhất quốc gia");

    // The school corrects its article: the copy shows the correction at once.
    let edited = school
        .press(
            id,
            "luu",
            &[
                ("title", "Học sinh Lê Quý Đôn đoạt hai giải Nhất quốc gia"),
                ("body", "<p>Bản đã sửa: hai giải Nhất.</p>"),
            ],
        )
        .await;
    assert_eq!(edited.status, StatusCode::SEE_OTHER, "{}", edited.body);
    let copy = app.get(SO, &copy_path).await;
    copy.assert_contains("Học sinh Lê Quý Đôn đoạt hai giải Nhất quốc gia");
    copy.assert_contains("Bản đã sửa: hai giải Nhất.");
    // The original's slug did not change with its title: the canonical still holds.
    copy.assert_contains(&format!("<link rel=\"canonical\" href=\"{original}\">"));
    app.get(SO, "/tin-tuc/tin-cac-truong")
        .await
        .assert_contains("Học sinh Lê Quý Đôn đoạt hai giải Nhất quốc gia");

    // The school takes its article down: so does the copy.
    let down = school.press(id, "go-bai", &[]).await;
    assert_eq!(down.status, StatusCode::SEE_OTHER, "{}", down.body);
    assert_eq!(app.get(SO, &copy_path).await.status, StatusCode::NOT_FOUND);

    // A school's editor has no units' news to re-publish; a writer of the department
    // may not re-publish.
    add_user(&app, "pv.so", "so", Role::Writer).await;
    let writer = Desk::open(&app, SO, "pv.so").await;
    assert_eq!(
        writer.get("/quan-tri/tin-don-vi").await.status,
        StatusCode::FORBIDDEN
    );
    school
        .get("/quan-tri/tin-don-vi")
        .await
        .assert_contains("Chưa có bài nào của các đơn vị trực thuộc.");
}

#[tokio::test]
async fn a_department_removes_a_republished_article_and_cannot_take_other_sites_articles() {
    let app = TestApp::demo().await;
    add_user(&app, "bt.so", "so", Role::Editor).await;
    let desk = Desk::open(&app, SO, "bt.so").await;
    let list = desk.get("/quan-tri/tin-don-vi").await;
    let article = attr_after(&list.body, "name=\"bai\" value=\"");
    let school_site = attr_after(&list.body, "name=\"don_vi\" value=\"");
    let so_category = category_id(&app, "so", "tin-cac-truong").await;
    let send = |action: &'static str, site: String| {
        let article = article.clone();
        let so_category = so_category.clone();
        let desk = &desk;
        async move {
            desk.post(
                "/quan-tri/tin-don-vi",
                "/quan-tri/tin-don-vi",
                &[
                    ("action", action),
                    ("bai", &article),
                    ("don_vi", &site),
                    ("chuyen_muc", &so_category),
                    ("trang", "1"),
                ],
            )
            .await
        }
    };
    // The department's own site is not one of its units: refused.
    let (so_site, _) = site_and_category(&app, "so", "tin-giao-duc").await;
    assert_eq!(
        send("dang-lai", so_site.0.to_string()).await.status,
        StatusCode::NOT_FOUND
    );
    let done = send("dang-lai", school_site.clone()).await;
    assert_eq!(done.status, StatusCode::SEE_OTHER, "{}", done.body);
    let listed = desk.get("/quan-tri/tin-don-vi").await;
    let copy_path = attr_after(&listed.body, "Đã đăng lại: <a href=\"");
    assert_eq!(app.get(SO, &copy_path).await.status, StatusCode::OK);
    // A second click changes nothing: one copy per article.
    send("dang-lai", school_site.clone()).await;
    assert_eq!(
        desk.get("/quan-tri/tin-don-vi")
            .await
            .body
            .matches("Đã đăng lại: <a href=")
            .count(),
        1
    );
    let removed = send("go", school_site).await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER, "{}", removed.body);
    desk.get(removed.location())
        .await
        .assert_contains("Đã gỡ bài đăng lại.");
    assert_eq!(app.get(SO, &copy_path).await.status, StatusCode::NOT_FOUND);
}
