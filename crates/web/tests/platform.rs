//! The shared core's promises (issue 11): a public route's cache varies only by
//! the query keys it declares, and every back-office action goes through the role
//! and CSRF extractors, whose refusals look as they always did.

mod common;

use axum::http::StatusCode;
use common::{TestApp, add_user, multipart, session};
use domain::Role;

const SO: &str = "localhost";

#[tokio::test]
async fn a_query_key_a_route_does_not_declare_is_answered_fresh_and_never_kept() {
    let app = TestApp::demo().await;
    let plain = app.get(SO, "/tin-tuc/tin-giao-duc").await;
    assert!(
        plain.headers.get("etag").is_some(),
        "the plain page is kept"
    );
    let kept = app.state.cache.len();
    // A filter the category page does not know (a documents list would read it).
    let filtered = app.get(SO, "/tin-tuc/tin-giao-duc?loai=1").await;
    assert_eq!(filtered.status, StatusCode::OK);
    assert!(
        filtered.headers.get("etag").is_none(),
        "answered fresh, not from the cache"
    );
    assert_eq!(app.state.cache.len(), kept, "and never stored");
    // The page kept for no query is still the one every other reader gets, and
    // the filtered answer is never served to another query.
    let again = app.get(SO, "/tin-tuc/tin-giao-duc").await;
    assert_eq!(again.headers["etag"], plain.headers["etag"]);
    let other = app.get(SO, "/tin-tuc/tin-giao-duc?loai=2").await;
    assert!(other.headers.get("etag").is_none());
    // A personal route is never kept and says no-store, whatever its query.
    let lookup = app.get(SO, "/tra-cuu-diem-thi").await;
    assert_eq!(lookup.headers["cache-control"], "no-store");
    assert!(lookup.headers.get("etag").is_none());
}

#[tokio::test]
async fn roles_and_tokens_are_checked_by_the_extractors_with_the_same_refusals() {
    let app = TestApp::demo().await;
    add_user(&app, "gv.so", "so", Role::Writer).await;
    add_user(&app, "bt.so", "so", Role::Editor).await;
    let writer = session(&app, SO, "gv.so").await;
    let editor = session(&app, SO, "bt.so").await;
    let token = |cookie: &str| {
        let cookie = cookie.to_owned();
        let app = &app;
        async move {
            app.get_with(SO, "/quan-tri/bai-viet", &[("cookie", &cookie)])
                .await
                .field("csrf")
        }
    };
    let writer_token = token(&writer).await;
    let editor_token = token(&editor).await;

    // A writer on an editor's action: refused with the feature's own words.
    let res = app
        .post_form(
            SO,
            "/quan-tri/ky-thi",
            &[
                ("csrf", &writer_token),
                ("ten", "Kỳ thi lạ"),
                ("quy_tac", "sbd"),
            ],
            &[("cookie", &writer)],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    res.assert_contains("<h1>Không được phép</h1>");
    res.assert_contains("Chỉ biên tập viên và quản trị viên của trang mới quản lý kỳ thi");
    assert_eq!(res.headers["cache-control"], "no-store");
    // A writer on an administrator's page.
    let res = app
        .get_with(SO, "/quan-tri/cai-dat", &[("cookie", &writer)])
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    res.assert_contains("Chỉ quản trị viên của trang này mới xem và sửa được phần cài đặt.");

    // The editor, with a wrong token: refused before anything is done.
    let before = app.store.exam_sessions(None).await.unwrap().len();
    let res = app
        .post_form(
            SO,
            "/quan-tri/ky-thi",
            &[
                ("csrf", &writer_token),
                ("ten", "Kỳ thi lạ"),
                ("quy_tac", "sbd"),
            ],
            &[("cookie", &editor)],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    res.assert_contains(
        "Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang rồi thử lại.",
    );
    assert_eq!(app.store.exam_sessions(None).await.unwrap().len(), before);
    // An upload whose first field is not the session's token: no file is read.
    let (content_type, body) = multipart(&[("csrf", "sai")], &[("tep", b"SBD,Ho ten\n1,A\n")]);
    let res = app
        .post_bytes(
            SO,
            "/quan-tri/tep",
            &content_type,
            body,
            &[("cookie", &editor)],
        )
        .await;
    assert_eq!(res.status, StatusCode::FORBIDDEN);
    res.assert_contains("Biểu mẫu đã hết hạn hoặc không hợp lệ.");
    // With the right token, the same action goes through.
    let res = app
        .post_form(
            SO,
            "/quan-tri/ky-thi",
            &[
                ("csrf", &editor_token),
                ("ten", "Kỳ thi thử"),
                ("nam_hoc", "2026-2027"),
                ("loai", "khac"),
                ("quy_tac", "sbd"),
            ],
            &[("cookie", &editor)],
        )
        .await;
    assert!(
        res.status == StatusCode::SEE_OTHER || res.status == StatusCode::OK,
        "{}: {}",
        res.status,
        res.body
    );
    assert_eq!(
        app.store.exam_sessions(None).await.unwrap().len(),
        before + 1
    );
    // Without a session: to the login page, as before.
    let res = app.get(SO, "/quan-tri/ky-thi").await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert!(res.location().starts_with("/quan-tri/dang-nhap?tiep="));
}

/// A response body in the encoding it says it has, decoded.
fn decoded(page: &common::Page) -> Vec<u8> {
    let mut out = Vec::new();
    match page
        .headers
        .get("content-encoding")
        .map(|v| v.to_str().unwrap())
    {
        Some("br") => brotli::BrotliDecompress(&mut &page.bytes[..], &mut out).unwrap(),
        Some("gzip") => {
            std::io::Read::read_to_end(
                &mut flate2::read::GzDecoder::new(&page.bytes[..]),
                &mut out,
            )
            .unwrap();
        }
        None => out.clone_from(&page.bytes),
        Some(other) => panic!("unexpected encoding {other}"),
    }
    out
}

/// The address of a linked asset on a page, e.g. `/static/app.3fa2c1d0.css`.
fn asset_url(page: &common::Page, stem: &str) -> String {
    let start = page
        .body
        .find(&format!("/static/{stem}."))
        .unwrap_or_else(|| panic!("{stem} is linked from the page"));
    page.body[start..].split('"').next().unwrap().to_owned()
}

#[tokio::test]
async fn every_site_serves_its_logo_as_its_icon_and_a_manifest_with_its_name() {
    let app = TestApp::demo().await;
    let home = app.get(SO, "/").await;
    home.assert_contains(r#"<link rel="icon" href="/favicon.ico""#);
    home.assert_contains(r#"<link rel="apple-touch-icon" href="/apple-touch-icon.png">"#);
    home.assert_contains(r#"<link rel="manifest" href="/manifest.webmanifest">"#);

    let ico = app.get(SO, "/favicon.ico").await;
    assert_eq!(ico.status, StatusCode::OK);
    assert_eq!(ico.headers["content-type"], "image/x-icon");
    let img = image::load_from_memory_with_format(&ico.bytes, image::ImageFormat::Ico).unwrap();
    assert_eq!((img.width(), img.height()), (48, 48));

    // Drawn from each site's own logo: the department's and a school's differ,
    // and neither is the plain emblem a site without a logo gets.
    let touch = |bytes: &[u8]| image::load_from_memory(bytes).unwrap().to_rgba8();
    let so = touch(&app.get(SO, "/apple-touch-icon.png").await.bytes);
    let school = touch(
        &app.get("lqd.localhost", "/apple-touch-icon.png")
            .await
            .bytes,
    );
    assert_eq!(so.dimensions(), (180, 180));
    assert_ne!(so.as_raw(), school.as_raw(), "each site its own logo");
    let emblem_red = image::Rgba([0xc8, 0x10, 0x2e, 0xff]);
    assert_ne!(so.get_pixel(2, 2), &emblem_red);

    let mut settings = app.state.sites.for_host(SO).unwrap().site.settings.clone();
    settings.logo_url = None;
    settings.name = "Trường Trung học phổ thông Lê Lợi".to_owned();
    app.store
        .create_site(
            "leloi",
            false,
            &["leloi.localhost".to_owned()],
            &settings,
            0,
        )
        .await
        .unwrap();
    let app = app.reload().await;
    let plain = touch(
        &app.get("leloi.localhost", "/apple-touch-icon.png")
            .await
            .bytes,
    );
    assert_eq!(plain.get_pixel(2, 2), &emblem_red, "no logo: the emblem");

    let manifest = app.get("leloi.localhost", "/manifest.webmanifest").await;
    assert!(
        manifest.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/manifest+json")
    );
    let m: serde_json::Value = serde_json::from_str(&manifest.body).unwrap();
    assert_eq!(m["name"], "Trường Trung học phổ thông Lê Lợi");
    assert_eq!(m["short_name"], "THPT Lê Lợi");
    assert_eq!(m["lang"], "vi");
    for icon in m["icons"].as_array().unwrap() {
        let src = icon["src"].as_str().unwrap();
        let size: u32 = icon["sizes"]
            .as_str()
            .unwrap()
            .split('x')
            .next()
            .unwrap()
            .parse()
            .unwrap();
        let page = app.get("leloi.localhost", src).await;
        assert_eq!(page.status, StatusCode::OK, "{src}");
        assert_eq!(image::load_from_memory(&page.bytes).unwrap().width(), size);
    }
}

#[tokio::test]
async fn assets_and_pages_not_kept_arrive_compressed() {
    let app = TestApp::demo().await;
    let home = app.get(SO, "/").await;
    for (stem, coding) in [("app", "br"), ("quill", "br"), ("app", "gzip")] {
        // The editor's script is linked from the back office only; its plain
        // name answers too.
        let url = if stem == "quill" {
            "/static/quill.js".to_owned()
        } else {
            asset_url(&home, stem)
        };
        let plain = app.get(SO, &url).await;
        let packed = app.get_with(SO, &url, &[("accept-encoding", coding)]).await;
        assert_eq!(packed.headers["content-encoding"], coding, "{url}");
        assert_eq!(packed.headers["vary"], "Accept-Encoding");
        assert!(packed.bytes.len() * 3 < plain.bytes.len(), "{url} shrinks");
        assert_eq!(decoded(&packed), plain.bytes, "{url}");
    }
    // Search and exam lookup answer afresh every time (never kept), compressed:
    // in gzip when the reader takes it (as quick and as small as br at the
    // settings of answers made afresh), else in br.
    for path in ["/tim-kiem?q=giao+duc", "/tra-cuu-diem-thi"] {
        let plain = app.get(SO, path).await;
        assert!(plain.headers.get("content-encoding").is_none());
        for (accept, coding) in [("gzip, deflate, br", "gzip"), ("br", "br")] {
            let packed = app.get_with(SO, path, &[("accept-encoding", accept)]).await;
            assert_eq!(packed.status, StatusCode::OK, "{path}");
            assert_eq!(packed.headers["content-encoding"], coding, "{path}");
            let text = String::from_utf8(decoded(&packed)).unwrap();
            assert!(text.contains("</html>"), "{path}");
            assert!(packed.bytes.len() * 2 < plain.bytes.len(), "{path}");
        }
    }
}

#[tokio::test]
async fn uploaded_files_may_be_kept_a_year_and_missing_ones_not_at_all() {
    let app = TestApp::demo().await;
    let logo = app
        .state
        .sites
        .for_host(SO)
        .unwrap()
        .site
        .settings
        .logo_url
        .clone()
        .unwrap();
    let found = app.get(SO, &logo).await;
    assert_eq!(found.status, StatusCode::OK);
    assert_eq!(
        found.headers["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let missing = app.get(SO, "/media/khong-co.png").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(
        missing
            .headers
            .get("cache-control")
            .is_none_or(|v| !v.to_str().unwrap().contains("immutable"))
    );
}
