//! Uploads: judged by content, not name; photos turned upright and stripped of
//! their GPS position; several sizes for `srcset`; images pasted into the editor
//! become files of the site; covers on the article cards.

mod common;

use axum::http::StatusCode;
use common::{Page, TestApp, add_user, multipart, session, site_and_category};
use domain::Role;
use media::testdata;

const SO: &str = "localhost";
const LQD: &str = "lqd.localhost";

/// How many files the site's library says it has.
async fn library_count(app: &TestApp, host: &str, cookie: &str) -> i64 {
    let page = app
        .get_with(host, "/quan-tri/tep", &[("cookie", cookie)])
        .await;
    page.body
        .split("Có <strong>")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap()
        .replace('.', "")
        .parse()
        .unwrap()
}

async fn upload(app: &TestApp, host: &str, cookie: &str, files: &[(&str, &[u8])]) -> Page {
    let csrf = app
        .get_with(host, "/quan-tri/tep", &[("cookie", cookie)])
        .await
        .field("csrf");
    let (content_type, body) = multipart(&[("csrf", &csrf)], files);
    app.post_bytes(
        host,
        "/quan-tri/tep",
        &content_type,
        body,
        &[("cookie", cookie)],
    )
    .await
}

/// The paths of the files the library page links to, newest first.
fn library_files(page: &Page) -> Vec<String> {
    page.body
        .split("<p class=\"media-name\"><a href=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn files_are_judged_by_their_content_not_their_name() {
    let app = TestApp::demo().await;
    add_user(&app, "gv.so", "so", Role::Writer).await;
    let cookie = session(&app, SO, "gv.so").await;
    let before = library_count(&app, SO, &cookie).await;
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
    let html = b"\xEF\xBB\xBF  <!doctype html><html><body>Xin chao</body></html>";
    let exe = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00";
    let res = upload(
        &app,
        SO,
        &cookie,
        &[
            ("bao-cao.pdf", &testdata::png(300, 200, false)),
            ("ke-hoach.pdf", &testdata::pdf()),
            ("logo.svg", svg),
            ("trang.html", html),
            ("setup.exe", exe),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", res.body);
    res.assert_contains("Đã tải lên:");
    res.assert_contains("<li>bao-cao.pdf</li>");
    res.assert_contains("<li>ke-hoach.pdf</li>");
    res.assert_contains("Không nhận:");
    res.assert_contains(&format!("logo.svg: {}", media::Refused::Svg));
    res.assert_contains(&format!("trang.html: {}", media::Refused::Html));
    res.assert_contains(&format!("setup.exe: {}", media::Refused::Executable));
    // The PNG named .pdf is an image: shown as one, with its size, stored as PNG.
    res.assert_contains("Ảnh · ");
    res.assert_contains("300 × 200 px");
    assert_eq!(library_count(&app, SO, &cookie).await, before + 2);
    let files = library_files(&res);
    assert!(files[0].ends_with(".pdf"), "{files:?}");
    assert!(files[1].ends_with(".png"), "named by content: {files:?}");
    let png = app.get(SO, &files[1]).await;
    assert_eq!(png.status, StatusCode::OK);
    assert!(png.bytes.starts_with(b"\x89PNG"));
    let pdf = app.get(SO, &files[0]).await;
    assert!(pdf.bytes.starts_with(b"%PDF-"));
    // The audit log names what came in.
    add_user(&app, "qt.so", "so", Role::Admin).await;
    let admin = session(&app, SO, "qt.so").await;
    app.get_with(SO, "/quan-tri", &[("cookie", &admin)])
        .await
        .assert_contains("<td>gv.so</td><td>tải tệp lên</td>");
}

#[tokio::test]
async fn a_phone_photo_is_turned_upright_and_loses_its_position() {
    let app = TestApp::demo().await;
    add_user(&app, "gv.so", "so", Role::Writer).await;
    let cookie = session(&app, SO, "gv.so").await;
    let photo = testdata::jpeg_with_exif_orientation_6_and_gps(1200, 800);
    assert!(
        photo
            .windows(testdata::GPS_MARKER.len())
            .any(|w| w == testdata::GPS_MARKER)
    );
    let res = upload(&app, SO, &cookie, &[("IMG_2041.JPG", &photo)]).await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    // Rotated a quarter turn: 800 wide, 1200 high.
    res.assert_contains("800 × 1200 px");
    let files = library_files(&res);
    let stored = app.get(SO, &files[0]).await;
    assert_eq!(stored.status, StatusCode::OK);
    let decoded = image::load_from_memory(&stored.bytes).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (800, 1200));
    for needle in [testdata::GPS_MARKER, b"Exif".as_slice()] {
        assert!(
            !stored.bytes.windows(needle.len()).any(|w| w == needle),
            "metadata left in the stored photo"
        );
    }
}

#[tokio::test]
async fn too_large_a_file_is_refused_with_both_sizes() {
    let app = TestApp::demo().await;
    add_user(&app, "gv.so", "so", Role::Writer).await;
    let cookie = session(&app, SO, "gv.so").await;
    let before = library_count(&app, SO, &cookie).await;
    let mut big = testdata::pdf();
    big.resize(21 * 1_048_576, b' ');
    let res = upload(&app, SO, &cookie, &[("tai-lieu-lon.pdf", &big)]).await;
    assert_eq!(res.status, StatusCode::UNPROCESSABLE_ENTITY);
    res.assert_contains("tai-lieu-lon.pdf: Tệp quá lớn: 21 MB; giới hạn cho loại này là 20 MB.");
    assert_eq!(library_count(&app, SO, &cookie).await, before);
}

#[tokio::test]
async fn uploads_need_the_form_token_and_a_role_on_the_site() {
    let app = TestApp::demo().await;
    add_user(&app, "gv.lqd", "lqd", Role::Writer).await;
    let cookie = session(&app, LQD, "gv.lqd").await;
    let (content_type, body) = multipart(
        &[("csrf", "sai")],
        &[("a.png", &testdata::png(10, 10, false))],
    );
    let res = app
        .post_bytes(
            LQD,
            "/quan-tri/tep",
            &content_type,
            body,
            &[("cookie", &cookie)],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    // On the department's host the school's writer has no role.
    let elsewhere = app
        .get_with(SO, "/quan-tri/tep", &[("cookie", &cookie)])
        .await;
    assert_eq!(elsewhere.status, StatusCode::FORBIDDEN);
    let own = app
        .get_with(LQD, "/quan-tri/tep", &[("cookie", &cookie)])
        .await;
    assert_eq!(own.status, StatusCode::OK);
    own.assert_contains("Thư viện tệp");
}

/// The base64 of a file, as the editor puts a pasted image in the body.
fn data_url(mime: &str, bytes: &[u8]) -> String {
    use base64::Engine;
    format!(
        "data:{mime};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

#[tokio::test]
async fn a_pasted_image_becomes_a_file_with_sizes_and_a_bad_one_is_explained() {
    let app = TestApp::demo().await;
    add_user(&app, "bt.so", "so", Role::Editor).await;
    let cookie = session(&app, SO, "bt.so").await;
    let (_, cat) = site_and_category(&app, "so", "tin-giao-duc").await;
    let cat = cat.0.to_string();
    let csrf = app
        .get_with(SO, "/quan-tri/bai-viet/moi", &[("cookie", &cookie)])
        .await
        .field("csrf");
    let photo = data_url("image/jpeg", &testdata::noisy_jpeg(1800, 1000));
    let fake = data_url("image/png", b"<script>alert(1)</script>");
    let body = format!(
        r#"<p>Toàn cảnh buổi lễ:</p><p><img src="{photo}" alt="Lễ khai giảng"></p><p><img src="{fake}"></p>"#
    );
    let post = |body: String| {
        let (app, cookie, csrf, cat) = (&app, cookie.clone(), csrf.clone(), cat.clone());
        async move {
            app.post_form(
                SO,
                "/quan-tri/bai-viet/moi",
                &[
                    ("csrf", &csrf),
                    ("action", "dang"),
                    ("title", "Lễ khai giảng có ảnh dán"),
                    ("category", &cat),
                    ("body", &body),
                ],
                &[("cookie", &cookie)],
            )
            .await
        }
    };
    // The fake image is refused and nothing is published; the good one is kept,
    // already a file, in the form shown again.
    let refused = post(body).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    refused.assert_contains("Ảnh dán thứ 2 không phải ảnh JPEG, PNG, GIF hay WebP");
    refused.assert_lacks("data:image/jpeg");
    assert_eq!(
        app.get(SO, "/tin-tuc/tin-giao-duc/le-khai-giang-co-anh-dan")
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let kept = refused
        .body
        .split("name=\"body\"")
        .nth(1)
        .and_then(|s| s.split_once('>'))
        .and_then(|(_, s)| s.split("</textarea>").next())
        .unwrap()
        .replace("&#60;", "<")
        .replace("&#62;", ">")
        .replace("&#34;", "\"")
        .replace("&#38;", "&");
    assert!(kept.contains("<img src=\"/media/tai-len/so/"), "{kept}");

    let saved = post(kept).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let public = app
        .get(SO, "/tin-tuc/tin-giao-duc/le-khai-giang-co-anh-dan")
        .await;
    assert_eq!(public.status, StatusCode::OK);
    public.assert_contains("alt=\"Lễ khai giảng\" width=\"1800\" height=\"1000\" loading=\"lazy\" srcset=\"/media/tai-len/so/");
    public.assert_contains(" 480w, ");
    public.assert_contains(" 960w, ");
    public.assert_contains(" 1800w\" sizes=");
    // Each size is a real file.
    let first = public
        .body
        .split("srcset=\"")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .unwrap()
        .to_owned();
    let small = app.get(SO, &first).await;
    assert_eq!(small.status, StatusCode::OK);
    assert_eq!(image::load_from_memory(&small.bytes).unwrap().width(), 480);
}

#[tokio::test]
async fn a_chosen_cover_shows_on_the_cards_in_several_sizes() {
    let app = TestApp::demo().await;
    add_user(&app, "bt.so", "so", Role::Editor).await;
    let cookie = session(&app, SO, "bt.so").await;
    let res = upload(
        &app,
        SO,
        &cookie,
        &[("anh-bia.jpg", &testdata::noisy_jpeg(1600, 900))],
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let id = res
        .body
        .split(" · mã ")
        .nth(1)
        .and_then(|s| s.split('<').next())
        .unwrap()
        .trim()
        .to_owned();
    let form = app
        .get_with(SO, "/quan-tri/bai-viet/moi", &[("cookie", &cookie)])
        .await;
    form.assert_contains(&format!("name=\"cover\" value=\"{id}\""));
    let (_, cat) = site_and_category(&app, "so", "tin-giao-duc").await;
    let saved = app
        .post_form(
            SO,
            "/quan-tri/bai-viet/moi",
            &[
                ("csrf", &form.field("csrf")),
                ("action", "dang"),
                ("title", "Bài có ảnh đại diện"),
                ("category", &cat.0.to_string()),
                ("cover", &id),
            ],
            &[("cookie", &cookie)],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let list = app.get(SO, "/tin-tuc/tin-giao-duc").await;
    let card = list
        .body
        .split("<article class=\"card\">")
        .find(|c| c.contains("Bài có ảnh đại diện"))
        .unwrap()
        .to_owned();
    assert!(card.contains("srcset=\"/media/tai-len/so/"), "{card}");
    assert!(card.contains(" 480w, "), "{card}");
    // Another site's image is not accepted as a cover.
    let (lqd, _) = site_and_category(&app, "lqd", "thong-bao").await;
    let (theirs, _) = app
        .store
        .media_library(lqd, Some("image"), 1, 0)
        .await
        .unwrap();
    let theirs = theirs[0].media.id.0.to_string();
    let lqd_form = app
        .get_with(SO, "/quan-tri/bai-viet/moi", &[("cookie", &cookie)])
        .await;
    let bad = app
        .post_form(
            SO,
            "/quan-tri/bai-viet/moi",
            &[
                ("csrf", &lqd_form.field("csrf")),
                ("action", "luu"),
                ("title", "Ảnh của trang khác"),
                ("category", &cat.0.to_string()),
                ("cover", &theirs),
            ],
            &[("cookie", &cookie)],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    bad.assert_contains("Ảnh đại diện đã chọn không phải ảnh của trang này.");
}

#[tokio::test]
async fn gallery_photos_are_ticked_with_their_captions() {
    let app = TestApp::demo().await;
    add_user(&app, "bt.so", "so", Role::Editor).await;
    let cookie = session(&app, SO, "bt.so").await;
    let res = upload(
        &app,
        SO,
        &cookie,
        &[
            ("a.jpg", &testdata::noisy_jpeg(800, 600)),
            ("b.jpg", &testdata::noisy_jpeg(800, 600)),
        ],
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    let ids: Vec<String> = res
        .body
        .split(" · mã ")
        .skip(1)
        .take(2)
        .map(|s| s.split('<').next().unwrap().trim().to_owned())
        .collect();
    let (_, cat) = site_and_category(&app, "so", "tin-giao-duc").await;
    let form = app
        .get_with(SO, "/quan-tri/bai-viet/moi", &[("cookie", &cookie)])
        .await;
    form.assert_contains(&format!("name=\"anh-{}\"", ids[0]));
    let (first, second) = (format!("anh-{}", ids[1]), format!("anh-{}", ids[0]));
    let (c1, c2) = (
        format!("chu-thich-{}", ids[1]),
        format!("chu-thich-{}", ids[0]),
    );
    let saved = app
        .post_form(
            SO,
            "/quan-tri/bai-viet/moi",
            &[
                ("csrf", &form.field("csrf")),
                ("action", "dang"),
                ("title", "Bài có thư viện ảnh"),
                ("category", &cat.0.to_string()),
                (&first, "1"),
                (&c1, "Ảnh thứ nhất"),
                (&second, "1"),
                (&c2, "Ảnh thứ hai"),
            ],
            &[("cookie", &cookie)],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let public = app
        .get(SO, "/tin-tuc/tin-giao-duc/bai-co-thu-vien-anh")
        .await;
    public.assert_contains("<h2 id=\"thu-vien-anh\">Hình ảnh</h2>");
    public.assert_contains("<figcaption>Ảnh thứ nhất</figcaption>");
    public.assert_contains("<figcaption>Ảnh thứ hai</figcaption>");
    // The editor shows them ticked, with their captions, after the save.
    let edit = app
        .get_with(SO, saved.location(), &[("cookie", &cookie)])
        .await;
    edit.assert_contains(&format!("name=\"{first}\" value=\"1\" checked"));
    edit.assert_contains("value=\"Ảnh thứ hai\"");
}

#[tokio::test]
async fn images_stored_without_sizes_are_given_them() {
    let app = TestApp::demo().await;
    // The demo's pictures have their sizes from the start.
    assert_eq!(web::add_missing_sizes(&app.state).await.unwrap(), 0);

    // A cover from before sizes were kept: the file and a 320 px thumbnail only.
    let dir = common::media_dir().join("kiem-thu");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("anh-cu.jpg"), testdata::noisy_jpeg(1200, 675)).unwrap();
    std::fs::write(dir.join("anh-cu-nho.jpg"), testdata::noisy_jpeg(320, 180)).unwrap();
    let (site, cat) = site_and_category(&app, "so", "tin-giao-duc").await;
    let cover = app
        .store
        .create_media(
            &store::MediaInput {
                site_id: site,
                path: "kiem-thu/anh-cu.jpg".into(),
                thumb_path: Some("kiem-thu/anh-cu-nho.jpg".into()),
                mime: "image/jpeg".into(),
                width: 1200,
                height: 675,
                bytes: 1,
                kind: "image".into(),
                original_name: "anh-cu.jpg".into(),
                sizes: Vec::new(),
                uploaded_by: None,
            },
            0,
        )
        .await
        .unwrap();
    let mut a = domain::NewArticle::new(
        site,
        cat,
        "Ảnh chụp từ trước khi có các cỡ ảnh",
        "Lời dẫn.",
        domain::SafeHtml::sanitize("<p>Nội dung.</p>"),
        common::now() - 60,
    );
    a.cover = Some(cover);
    app.store.create_article(&a, common::now()).await.unwrap();
    let before = app.get(SO, "/tin-tuc/tin-giao-duc?truoc=1").await;
    before.assert_contains(r#"<img src="/media/kiem-thu/anh-cu-nho.jpg" alt="""#);

    assert_eq!(web::add_missing_sizes(&app.state).await.unwrap(), 1);
    assert_eq!(
        web::add_missing_sizes(&app.state).await.unwrap(),
        0,
        "each image once"
    );
    let after = app.get(SO, "/tin-tuc/tin-giao-duc?sau=1").await;
    after.assert_contains(
        r#"<img src="/media/kiem-thu/anh-cu-nho.jpg" srcset="/media/kiem-thu/anh-cu-nho.jpg 320w, /media/kiem-thu/anh-cu-480.jpg 480w, /media/kiem-thu/anh-cu-960.jpg 960w, /media/kiem-thu/anh-cu.jpg 1200w" sizes="#,
    );
    for (file, width) in [("anh-cu-480.jpg", 480), ("anh-cu-960.jpg", 960)] {
        assert_eq!(
            image::image_dimensions(dir.join(file)).unwrap(),
            (width, width * 9 / 16)
        );
        let served = app.get(SO, &format!("/media/kiem-thu/{file}")).await;
        assert_eq!(served.status, StatusCode::OK, "{file}");
    }
}

/// A stored file is served with the type its extension names, with Range, kept a
/// year by readers; a path that is not the store's naming is not found, whatever
/// it points at.
#[tokio::test]
async fn stored_files_are_served_with_range_and_nothing_outside_the_folder_is() {
    let app = TestApp::demo().await;
    let dir = common::media_dir().join("kiem-thu-tep");
    std::fs::create_dir_all(&dir).unwrap();
    let pdf = b"%PDF-1.4 mot van ban nho\n%%EOF\n".to_vec();
    std::fs::write(dir.join("van-ban.pdf"), &pdf).unwrap();
    std::fs::write(dir.join(".an"), b"an").unwrap();
    std::fs::write(common::media_dir().join("..").join("bi-mat.txt"), b"bi mat").unwrap();

    let whole = app.get(SO, "/media/kiem-thu-tep/van-ban.pdf").await;
    assert_eq!(whole.status, StatusCode::OK);
    assert_eq!(whole.bytes, pdf);
    assert_eq!(whole.headers["content-type"], "application/pdf");
    assert_eq!(whole.headers["accept-ranges"], "bytes");
    assert_eq!(
        whole.headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let part = app
        .get_with(
            SO,
            "/media/kiem-thu-tep/van-ban.pdf",
            &[("range", "bytes=5-7")],
        )
        .await;
    assert_eq!(part.status, StatusCode::PARTIAL_CONTENT);
    assert_eq!(part.bytes, &pdf[5..=7]);
    assert_eq!(
        part.headers["content-range"],
        format!("bytes 5-7/{}", pdf.len()).as_str()
    );
    for path in [
        "/media/kiem-thu-tep/.an",
        "/media/../bi-mat.txt",
        "/media/kiem-thu-tep/../../bi-mat.txt",
        "/media/%2e%2e/bi-mat.txt",
        "/media/kiem-thu-tep/..%2f..%2fbi-mat.txt",
        "/media/kiem-thu-tep/khong-co.pdf",
        "/media/kiem-thu-tep",
    ] {
        let res = app.get(SO, path).await;
        assert_eq!(res.status, StatusCode::NOT_FOUND, "{path}");
        assert!(!res.body.contains("bi mat"), "{path}");
    }
}
