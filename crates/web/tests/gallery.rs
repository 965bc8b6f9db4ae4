//! Photo albums and video clips (issue 15), through the real router and database
//! (SQLite, or PostgreSQL when EDUPORTAL_TEST_DATABASE_URL is set): the order of
//! an album's photos after reordering and after a restart, a refused photo in a
//! batch, the workflow, an MP4's length and size, Range requests, and a YouTube
//! clip whose page names no third party before a click.

mod common;

use axum::http::StatusCode;
use common::{Page, TestApp, add_user, multipart, request, session};
use domain::Role;
use media::testdata;

const LQD: &str = "lqd.localhost";

/// A signed-in person on the LQĐ site, with a role there.
struct Editor<'a> {
    app: &'a TestApp,
    cookie: String,
}

impl<'a> Editor<'a> {
    async fn new(app: &'a TestApp, username: &str, role: Role) -> Editor<'a> {
        add_user(app, username, "lqd", role).await;
        Editor {
            app,
            cookie: session(app, LQD, username).await,
        }
    }

    async fn get(&self, path: &str) -> Page {
        self.app
            .get_with(LQD, path, &[("cookie", &self.cookie)])
            .await
    }

    async fn csrf(&self) -> String {
        self.get("/quan-tri/thu-vien-anh").await.field("csrf")
    }

    async fn post(&self, path: &str, form: &[(&str, &str)]) -> Page {
        let csrf = self.csrf().await;
        let mut fields = vec![("csrf", csrf.as_str())];
        fields.extend_from_slice(form);
        self.app
            .post_form(LQD, path, &fields, &[("cookie", &self.cookie)])
            .await
    }

    /// Creates an album; its id.
    async fn album(&self, title: &str) -> i64 {
        let res = self
            .post(
                "/quan-tri/thu-vien-anh",
                &[
                    ("title", title),
                    ("held_on", "20/11/2026"),
                    ("description", ""),
                ],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
        res.location()
            .trim_start_matches("/quan-tri/thu-vien-anh/")
            .split('?')
            .next()
            .unwrap()
            .parse()
            .unwrap()
    }

    /// Uploads files to an album in one request, as the form without script does.
    async fn upload(&self, album: i64, files: &[(&str, &[u8])], json: bool) -> Page {
        let csrf = self.csrf().await;
        let (content_type, body) = multipart(&[("csrf", &csrf)], files);
        let mut headers = vec![("cookie", self.cookie.as_str())];
        if json {
            headers.push(("accept", "application/json"));
        }
        self.app
            .post_bytes(
                LQD,
                &format!("/quan-tri/thu-vien-anh/{album}/anh"),
                &content_type,
                body,
                &headers,
            )
            .await
    }

    /// The media ids of an album's photos, in the editor's order.
    async fn photo_ids(&self, album: i64) -> Vec<String> {
        let page = self.get(&format!("/quan-tri/thu-vien-anh/{album}")).await;
        page.body
            .split("data-media=\"")
            .skip(1)
            .map(|s| s.split('"').next().unwrap().to_owned())
            .collect()
    }

    /// Saves the album's form with a workflow action.
    async fn act(&self, album: i64, action: &str, title: &str) -> Page {
        let form = self.get(&format!("/quan-tri/thu-vien-anh/{album}")).await;
        let revision = form.field("revision");
        self.post(
            &format!("/quan-tri/thu-vien-anh/{album}"),
            &[
                ("action", action),
                ("revision", &revision),
                ("title", title),
                ("held_on", "20/11/2026"),
                ("description", "Ảnh do Đoàn trường chụp."),
            ],
        )
        .await
    }
}

/// The captions of a public album page, in the order shown.
fn captions(page: &Page) -> Vec<String> {
    page.body
        .split("data-caption=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn an_album_keeps_its_order_after_reordering_and_after_a_restart() {
    let app = TestApp::demo().await;
    let ed = Editor::new(&app, "bientap.album", Role::Editor).await;
    let album = ed.album("Hội trại 26/3").await;
    for (name, w) in [("a.jpg", 640), ("b.jpg", 700), ("c.jpg", 760)] {
        let res = ed
            .upload(album, &[(name, &testdata::noisy_jpeg(w, 480))], true)
            .await;
        assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    }
    let ids = ed.photo_ids(album).await;
    assert_eq!(ids.len(), 3);
    for (id, caption) in ids.iter().zip(["Ảnh A", "Ảnh B", "Ảnh C"]) {
        let res = ed
            .post(
                &format!("/quan-tri/thu-vien-anh/{album}/anh/{id}"),
                &[("action", "chu-thich"), ("caption", caption)],
            )
            .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    }
    // "Xuống" on the first photo (the keyboard's way): B A C.
    ed.post(
        &format!("/quan-tri/thu-vien-anh/{album}/anh/{}", ids[0]),
        &[("action", "xuong")],
    )
    .await;
    // A drag sends the whole order: C B A.
    let order = format!("{},{},{}", ids[2], ids[1], ids[0]);
    let res = ed
        .post(
            &format!("/quan-tri/thu-vien-anh/{album}/thu-tu"),
            &[("order", &order)],
        )
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    // An order that leaves a photo out is refused.
    let res = ed
        .post(
            &format!("/quan-tri/thu-vien-anh/{album}/thu-tu"),
            &[("order", &ids[0])],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    // Not public until published.
    assert_eq!(
        app.get(LQD, "/thu-vien-anh/hoi-trai-26-3").await.status,
        StatusCode::NOT_FOUND
    );
    let res = ed.act(album, "dang", "Hội trại 26/3").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);

    let page = app.get(LQD, "/thu-vien-anh/hoi-trai-26-3").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(captions(&page), ["Ảnh C", "Ảnh B", "Ảnh A"]);
    page.assert_contains("\"@type\":\"ImageGallery\"");
    page.assert_contains("<meta property=\"og:title\" content=\"Hội trại 26/3\">");
    page.assert_contains("sizes=\"(max-width: 600px) 50vw, 260px\"");
    page.assert_contains("<time datetime=\"2026-11-20\">20/11/2026</time> · 3 ảnh");
    // Without the script, each photo is its own page.
    let first = app.get(LQD, "/thu-vien-anh/hoi-trai-26-3/anh/1").await;
    first.assert_contains("<h1 class=\"page-title\">Ảnh 1/3</h1><p>Ảnh C</p>");
    first.assert_contains("href=\"/thu-vien-anh/hoi-trai-26-3/anh/2\" rel=\"next\"");
    assert_eq!(
        app.get(LQD, "/thu-vien-anh/hoi-trai-26-3/anh/4")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    // The list shows it.
    app.get(LQD, "/thu-vien-anh")
        .await
        .assert_contains("href=\"/thu-vien-anh/hoi-trai-26-3\"");

    // A restart on the same database: the same order.
    app.state.shutdown().await;
    let (fresh, _state) = app.another_instance().await;
    let again = request(&fresh, LQD, "/thu-vien-anh/hoi-trai-26-3", &[]).await;
    assert_eq!(captions(&again), ["Ảnh C", "Ảnh B", "Ảnh A"]);

    // Revisions: created, then published.
    let history = ed
        .get(&format!("/quan-tri/thu-vien-anh/{album}/phien-ban"))
        .await;
    history.assert_contains("tạo album");
    history.assert_contains("đăng album ảnh");
}

#[tokio::test]
async fn a_refused_photo_does_not_stop_the_others() {
    let app = TestApp::demo().await;
    let ed = Editor::new(&app, "bientap.lo", Role::Editor).await;
    let album = ed.album("Ngày hội đọc sách").await;
    let html = b"<html><script>alert(1)</script></html>".as_slice();
    let res = ed
        .upload(
            album,
            &[
                ("mot.jpg", &testdata::noisy_jpeg(800, 600)),
                ("trang-web.jpg", html),
                ("hai.png", &testdata::png(300, 200, false)),
            ],
            false,
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.assert_contains("Các ảnh sau chưa được thêm:");
    res.assert_contains(
        "<li>trang-web.jpg: Tệp này là trang HTML; hệ thống không nhận loại tệp này.</li>",
    );
    res.assert_contains("Đã thêm 2 ảnh.");
    assert_eq!(ed.photo_ids(album).await.len(), 2);

    // The script's way: one file a request, answered in JSON.
    let res = ed.upload(album, &[("rong.jpg", b"")], true).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let answer: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(answer["refused"][0]["name"], "rong.jpg");
    assert_eq!(
        answer["refused"][0]["reason"],
        "Tệp rỗng, không có nội dung để tải lên."
    );
    let res = ed
        .upload(album, &[("ba.jpg", &testdata::jpeg(640, 480))], true)
        .await;
    let answer: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(answer["done"][0]["name"], "ba.jpg", "{answer}");
    assert_eq!(ed.photo_ids(album).await.len(), 3);
}

#[tokio::test]
async fn a_photo_over_the_limit_is_named_with_its_size_while_the_others_go_in() {
    const MB: usize = 1 << 20;
    let app = TestApp::demo_with(|o| o.media_limits.image_bytes = MB as u64).await;
    let ed = Editor::new(&app, "bientap.lo", Role::Editor).await;
    let album = ed.album("Hội khoẻ Phù Đổng").await;
    // A camera photo of 1,5 MB, over the 1 MB limit, between two that fit.
    let mut big = testdata::jpeg(64, 48);
    big.resize(MB + MB / 2, 0);
    let res = ed
        .upload(
            album,
            &[
                ("mot.jpg", &testdata::jpeg(640, 480)),
                ("may-anh.jpg", &big),
                ("hai.png", &testdata::png(300, 200, false)),
            ],
            false,
        )
        .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    res.assert_contains(
        "<li>may-anh.jpg: Tệp quá lớn: 1,5 MB; giới hạn cho loại này là 1 MB. Hãy thu nhỏ ảnh rồi tải lên lại.</li>",
    );
    res.assert_contains("Đã thêm 2 ảnh.");
    // The form says the limit it holds to.
    res.assert_contains("tối đa 1 MB mỗi ảnh");
    assert_eq!(ed.photo_ids(album).await.len(), 2);

    // The script's way names it too.
    let res = ed.upload(album, &[("may-anh.jpg", &big)], true).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    let answer: serde_json::Value = serde_json::from_str(&res.body).unwrap();
    assert_eq!(answer["refused"][0]["name"], "may-anh.jpg");
    assert_eq!(
        answer["refused"][0]["reason"],
        "Tệp quá lớn: 1,5 MB; giới hạn cho loại này là 1 MB. Hãy thu nhỏ ảnh rồi tải lên lại."
    );

    // A form heavier than 50 photos at the limit (51 MB here) is refused whole,
    // and the page says why and what to do.
    let filler = vec![0u8; MB - 1000];
    let mut files: Vec<(String, &[u8])> = Vec::new();
    let first = testdata::jpeg(320, 240);
    files.push(("dau.jpg".to_owned(), &first));
    for i in 0..60 {
        files.push((format!("trong-{i:02}.jpg"), &filler));
    }
    let named: Vec<(&str, &[u8])> = files.iter().map(|(n, b)| (n.as_str(), *b)).collect();
    let res = ed.upload(album, &named, false).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    res.assert_contains(
        "Lần gửi này quá lớn nên chưa tệp nào được nhận. Hãy chọn ít tệp hơn mỗi lần (hoặc thu nhỏ tệp) rồi gửi lại.",
    );
    assert_eq!(ed.photo_ids(album).await.len(), 2);
}

#[tokio::test]
async fn albums_follow_the_articles_workflow() {
    let app = TestApp::demo().await;
    let writer = Editor::new(&app, "phongvien.album", Role::Writer).await;
    let album = writer.album("Văn nghệ chào mừng 20/11").await;
    let form = writer.get(&format!("/quan-tri/thu-vien-anh/{album}")).await;
    form.assert_contains(">Gửi duyệt</button>");
    form.assert_lacks(">Đăng album</button>");
    let res = writer.act(album, "dang", "Văn nghệ chào mừng 20/11").await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Bạn không có quyền làm việc này với album ảnh.");
    // What was typed stays.
    res.assert_contains("value=\"Văn nghệ chào mừng 20/11\"");
    let res = writer
        .act(album, "gui-duyet", "Văn nghệ chào mừng 20/11")
        .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    // Submitted: the writer may no longer add photos.
    let res = writer
        .upload(album, &[("x.jpg", &testdata::jpeg(64, 64))], false)
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    // A bad date comes back with the form as typed.
    let res = writer
        .post(
            "/quan-tri/thu-vien-anh",
            &[("title", "Tham quan bảo tàng"), ("held_on", "31/02/2026")],
        )
        .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("Ngày “31/02/2026” không đúng");
    res.assert_contains("value=\"Tham quan bảo tàng\"");
    // Another site's album is not found.
    let other = Editor::new(&app, "bientap.khac", Role::Editor).await;
    let res = app
        .get_with(
            "nguyendu.localhost",
            &format!("/quan-tri/thu-vien-anh/{album}"),
            &[("cookie", &other.cookie)],
        )
        .await;
    assert_ne!(res.status, StatusCode::OK);
}

/// A multipart body with named file fields.
fn form_with_files(fields: &[(&str, &str)], files: &[(&str, &str, &[u8])]) -> (String, Vec<u8>) {
    let boundary = "----gallery-test-41b7";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
            )
            .as_bytes(),
        );
    }
    for (field, file_name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--{boundary}\r\nContent-Disposition: form-data; name=\"{field}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn post_clip(
    ed: &Editor<'_>,
    fields: &[(&str, &str)],
    files: &[(&str, &str, &[u8])],
) -> Page {
    let csrf = ed.get("/quan-tri/video").await.field("csrf");
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    let (content_type, body) = form_with_files(&all, files);
    ed.app
        .post_bytes(
            LQD,
            "/quan-tri/video",
            &content_type,
            body,
            &[("cookie", &ed.cookie)],
        )
        .await
}

#[tokio::test]
async fn an_mp4_clip_shows_its_length_and_size_and_seeks_with_ranges() {
    let app = TestApp::demo().await;
    let ed = Editor::new(&app, "bientap.video", Role::Editor).await;
    let mp4 = testdata::mp4(320, 180, 3);
    let vtt = "WEBVTT\n\n00:00.000 --> 00:02.000\nXin chào các em\n";
    let res = post_clip(
        &ed,
        &[
            ("title", "Lễ khai giảng năm học mới"),
            ("held_on", "05/09/2026"),
            ("description", "Toàn cảnh buổi lễ."),
            ("featured", "1"),
            ("published", "1"),
            ("action", "luu"),
        ],
        &[
            ("tep_video", "khai-giang.mp4", &mp4),
            ("tep_anh", "bia.png", &testdata::png(640, 360, false)),
            ("tep_phu_de", "loi-thoai.vtt", vtt.as_bytes()),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = app.get(LQD, "/video/le-khai-giang-nam-hoc-moi").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.assert_contains("Thời lượng 0:03");
    page.assert_contains(
        "<video controls preload=\"metadata\" width=\"320\" height=\"180\" poster=\"/media/",
    );
    page.assert_contains("<track kind=\"captions\" src=\"/media/");
    page.assert_contains("<meta property=\"og:type\" content=\"video.other\">");
    app.get(LQD, "/video")
        .await
        .assert_contains("href=\"/video/le-khai-giang-nam-hoc-moi\"");

    // The file answers a Range request with 206 and exactly those bytes.
    let src = page
        .body
        .split("<source src=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_owned();
    let part = app.get_with(LQD, &src, &[("range", "bytes=4-11")]).await;
    assert_eq!(part.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(part.bytes, &mp4[4..12]);
    assert_eq!(part.bytes, b"ftypisom");
    assert_eq!(
        part.headers["content-range"],
        format!("bytes 4-11/{}", mp4.len()).as_str()
    );
    let tail = app
        .get_with(
            LQD,
            &src,
            &[("range", &format!("bytes={}-", mp4.len() - 16))],
        )
        .await;
    assert_eq!(tail.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(tail.bytes, &mp4[mp4.len() - 16..]);

    // A broken MP4 is refused by name, the form kept as typed.
    let res = post_clip(
        &ed,
        &[
            ("title", "Video hỏng"),
            ("held_on", "06/09/2026"),
            ("action", "luu"),
        ],
        &[("tep_video", "hong.mp4", &mp4[..60])],
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("hong.mp4: ");
    res.assert_contains("value=\"Video hỏng\"");
}

#[tokio::test]
async fn a_youtube_clip_names_no_third_party_before_a_click() {
    let app = TestApp::demo().await;
    let ed = Editor::new(&app, "bientap.yt", Role::Editor).await;
    let res = post_clip(
        &ed,
        &[
            ("title", "Hội thi Rung chuông vàng"),
            ("held_on", "12/10/2026"),
            ("url", "https://www.youtube.com/watch?v=dQw4w9WgXcQ"),
            ("published", "1"),
            ("action", "luu"),
        ],
        &[("tep_anh", "bia.jpg", &testdata::jpeg(640, 360))],
    )
    .await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let page = app.get(LQD, "/video/hoi-thi-rung-chuong-vang").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page.assert_contains("data-youtube=\"dQw4w9WgXcQ\"");
    page.assert_contains("href=\"/video/hoi-thi-rung-chuong-vang?phat=1\"");
    for third_party in [
        "youtube.com",
        "youtube-nocookie",
        "youtu.be",
        "ytimg",
        "googlevideo",
        "<iframe",
    ] {
        page.assert_lacks(third_party);
    }
    // Everything the page loads is the site's own.
    for attr in ["src=\"", "srcset=\"", "poster=\""] {
        for value in page.body.split(attr).skip(1) {
            let value = value.split('"').next().unwrap();
            assert!(!value.contains("//"), "{attr}{value}");
        }
    }
    // Pressed (without the script): the privacy-enhanced player.
    let playing = app.get(LQD, "/video/hoi-thi-rung-chuong-vang?phat=1").await;
    playing.assert_contains(
        "<iframe src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?autoplay=1&#38;rel=0\"",
    );
    assert!(
        playing.headers["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("frame-src https://www.youtube-nocookie.com")
    );
    // An address that is no YouTube or Facebook video is refused, the form kept.
    let res = post_clip(
        &ed,
        &[
            ("title", "Video lạ"),
            ("held_on", "12/10/2026"),
            ("url", "https://example.com/video.mp4"),
            ("action", "luu"),
        ],
        &[],
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("không phải video YouTube hoặc Facebook");
    res.assert_contains("value=\"Video lạ\"");
    // A writer may not manage clips.
    let writer = Editor::new(&app, "phongvien.video", Role::Writer).await;
    assert_eq!(
        writer.get("/quan-tri/video").await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn the_demo_album_and_clip_show_in_their_home_blocks() {
    let app = TestApp::demo().await;
    let album = app
        .get(LQD, "/thu-vien-anh/hoat-dong-thang-11-nam-2026")
        .await;
    assert_eq!(album.status, StatusCode::OK, "{}", album.body);
    assert_eq!(captions(&album).len(), 6);
    assert_eq!(captions(&album)[0], "Học sinh xếp hàng chào cờ đầu tuần");
    // Not on the home page until the site's administrators add the blocks.
    let home = app.get(LQD, "/").await;
    home.assert_lacks("Hình ảnh hoạt động");
    let site = app
        .store
        .sites()
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.key == "lqd")
        .unwrap()
        .id;
    let stored = app.store.home_blocks(site).await.unwrap();
    let mut list = stored.items.unwrap_or_default();
    for kind in ["video-clip", "hinh-anh-hoat-dong"] {
        list.insert(
            0,
            domain::HomeBlock {
                kind: kind.into(),
                setting: String::new(),
            },
        );
    }
    app.store
        .save_home_blocks(
            site,
            stored.revision,
            Some(&list),
            None,
            String::new(),
            common::now(),
        )
        .await
        .unwrap();
    app.state.content_changed().await.unwrap();
    let home = app.get(LQD, "/").await;
    home.assert_contains("<h2 id=\"hinh-anh-hoat-dong\" class=\"block-title\"><a href=\"/thu-vien-anh\">Hình ảnh hoạt động</a></h2>");
    home.assert_contains("href=\"/thu-vien-anh/hoat-dong-thang-11-nam-2026\"");
    home.assert_contains(
        "<h2 id=\"video-clip\" class=\"block-title\"><a href=\"/video\">Video clip</a></h2>",
    );
    home.assert_contains("Video mẫu: phim hoạt hình ngắn Big Buck Bunny");
    home.assert_lacks("youtube");
    // The block comes before the others, as arranged.
    let at = |s: &str| home.body.find(s).unwrap();
    assert!(at("id=\"hinh-anh-hoat-dong\"") < at("id=\"video-clip\""));
}
