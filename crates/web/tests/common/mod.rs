//! `TestApp`: the real router over a fresh database of its own, driven in-process.
#![allow(
    dead_code,
    reason = "each test binary uses its own part of these helpers"
)]

use axum::Router;
use axum::body::Body;
use axum::http::{HeaderMap, Request, StatusCode};
use http_body_util::BodyExt;
use std::path::PathBuf;
use store::Store;
use tower::ServiceExt;
use web::{AppState, WebOptions};

pub struct TestApp {
    pub router: Router,
    pub store: Store,
    pub state: AppState,
    _dir: tempfile::TempDir,
}

pub struct Page {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    pub bytes: Vec<u8>,
}

impl Page {
    /// Panics with the page when `needle` is missing: a failing test shows what the user saw.
    #[track_caller]
    pub fn assert_contains(&self, needle: &str) {
        assert!(
            self.body.contains(needle),
            "expected {needle:?} on the page (status {}):\n{}",
            self.status,
            self.body
        );
    }

    /// The page's own content, without the side column (whose block "Văn bản
    /// mới" links documents on every page).
    pub fn main_content(&self) -> &str {
        let start = self.body.find("<main").unwrap_or(0);
        let end = self.body.find("</main>").unwrap_or(self.body.len());
        &self.body[start..end]
    }

    #[track_caller]
    pub fn assert_lacks(&self, needle: &str) {
        assert!(
            !self.body.contains(needle),
            "did not expect {needle:?} on the page:\n{}",
            self.body
        );
    }

    pub fn location(&self) -> &str {
        self.headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }
}

/// Demo pictures are deterministic, so every test shares one folder of them.
pub fn media_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("demo-media")
}

/// A time after every demo article: 2026-11-25 00:00 in Vietnam.
pub const DEMO_NOW: i64 = 1_795_539_600;

impl TestApp {
    /// The demo province.
    pub async fn demo() -> TestApp {
        let app = TestApp::empty().await;
        demo::load_if_empty(&app.store, &media_dir(), DEMO_NOW, 8080)
            .await
            .expect("demo loads");
        app.reload().await
    }

    /// The demo province, with options changed by `change`.
    pub async fn demo_with(change: impl FnOnce(&mut WebOptions)) -> TestApp {
        let app = TestApp::empty_with(change).await;
        demo::load_if_empty(&app.store, &media_dir(), DEMO_NOW, 8080)
            .await
            .expect("demo loads");
        app.reload().await
    }

    /// No site at all.
    pub async fn empty() -> TestApp {
        TestApp::empty_with(|_| {}).await
    }

    /// No site at all, with options changed by `change`.
    pub async fn empty_with(change: impl FnOnce(&mut WebOptions)) -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let store = store::testing::fresh_store(dir.path())
            .await
            .expect("test database");
        let mut options = WebOptions {
            sitemap_page_size: 30,
            // Tests tell visitors apart by X-Forwarded-For.
            trust_forwarded_for: true,
            ..WebOptions::new(media_dir())
        };
        change(&mut options);
        let state = AppState::new(store.clone(), options).await.unwrap();
        TestApp {
            router: web::router(state.clone()),
            store,
            state,
            _dir: dir,
        }
    }

    /// A second instance of the application on the same database, as a second
    /// server behind a load balancer would be.
    pub async fn another_instance(&self) -> (Router, AppState) {
        let state = AppState::new(
            self.store.clone(),
            WebOptions {
                trust_forwarded_for: true,
                ..WebOptions::new(media_dir())
            },
        )
        .await
        .unwrap();
        (web::router(state.clone()), state)
    }

    /// Reads sites again after the test changed them.
    pub async fn reload(self) -> TestApp {
        self.state.sites.reload(&self.store).await.unwrap();
        // What the server's background round does every second: the search index
        // takes in the outbox (the demo's articles, here).
        self.state.content_changed().await.unwrap();
        self
    }

    pub async fn get(&self, host: &str, path: &str) -> Page {
        self.get_with(host, path, &[]).await
    }

    /// A GET with extra headers (User-Agent, X-Forwarded-For, If-None-Match …).
    pub async fn get_with(&self, host: &str, path: &str, headers: &[(&str, &str)]) -> Page {
        request(&self.router, host, path, headers).await
    }
}

impl TestApp {
    /// A POST of a form, with cookies and extra headers.
    pub async fn post_form(
        &self,
        host: &str,
        path: &str,
        form: &[(&str, &str)],
        headers: &[(&str, &str)],
    ) -> Page {
        let body: Vec<String> = form
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        let mut req = Request::post(path)
            .header("host", host)
            .header("content-type", "application/x-www-form-urlencoded");
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let req = req.body(Body::from(body.join("&"))).unwrap();
        let res = self.router.clone().oneshot(req).await.unwrap();
        page_of(res).await
    }
}

impl TestApp {
    /// A POST of raw bytes (a multipart form, say), with cookies and extra headers.
    pub async fn post_bytes(
        &self,
        host: &str,
        path: &str,
        content_type: &str,
        body: Vec<u8>,
        headers: &[(&str, &str)],
    ) -> Page {
        let mut req = Request::post(path)
            .header("host", host)
            .header("content-type", content_type);
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        let res = self
            .router
            .clone()
            .oneshot(req.body(Body::from(body)).unwrap())
            .await
            .unwrap();
        page_of(res).await
    }
}

/// A `multipart/form-data` body: text fields, then files as (name, bytes).
/// Returns the content type (with its boundary) and the body.
pub fn multipart(fields: &[(&str, &str)], files: &[(&str, &[u8])]) -> (String, Vec<u8>) {
    let named: Vec<(&str, &str, &[u8])> = files.iter().map(|(n, b)| ("tep", *n, *b)).collect();
    multipart_named(fields, &named)
}

/// A `multipart/form-data` body whose files have field names of their own:
/// (field, file name, bytes).
pub fn multipart_named(
    fields: &[(&str, &str)],
    files: &[(&str, &str, &[u8])],
) -> (String, Vec<u8>) {
    let boundary = "----eduportal-test-7f3a9c";
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

fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

impl Page {
    /// The value of a cookie this response sets, if any.
    pub fn set_cookie(&self, name: &str) -> Option<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&format!("{name}=")))
            .map(|v| v.split(';').next().unwrap()[name.len() + 1..].to_owned())
    }

    /// The full Set-Cookie line for a cookie.
    pub fn set_cookie_line(&self, name: &str) -> Option<String> {
        self.headers
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with(&format!("{name}=")))
            .map(str::to_owned)
    }

    /// The value of a hidden form field.
    pub fn field(&self, name: &str) -> String {
        self.body
            .split(&format!("name=\"{name}\" value=\""))
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap_or_else(|| panic!("no field {name}:\n{}", self.body))
            .to_owned()
    }
}

async fn page_of(res: axum::response::Response) -> Page {
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.unwrap().to_bytes();
    Page {
        status,
        headers,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        bytes: bytes.to_vec(),
    }
}

/// A GET through any router of the application.
pub async fn request(router: &Router, host: &str, path: &str, headers: &[(&str, &str)]) -> Page {
    let mut req = Request::get(path).header("host", host);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let req = req.body(Body::empty()).unwrap();
    page_of(router.clone().oneshot(req).await.unwrap()).await
}

/// A UTC time from a Vietnamese wall-clock time ("YYYY-MM-DD HH:MM").
pub fn at(local: &str) -> i64 {
    vntext::parse_local_datetime(local).unwrap()
}

/// Now, UTC seconds.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// The href of every article card on a list page, in order.
pub fn card_links(page: &Page) -> Vec<String> {
    page.body
        .split(" class=\"card-title\"><a href=\"")
        .skip(1)
        .map(|s| s.split('"').next().unwrap().to_owned())
        .collect()
}

/// A demo site's id and one of its categories' id, by key and slug.
pub async fn site_and_category(
    app: &TestApp,
    key: &str,
    category: &str,
) -> (domain::SiteId, domain::CategoryId) {
    let site = app
        .store
        .sites()
        .await
        .unwrap()
        .into_iter()
        .find(|s| s.key == key)
        .unwrap()
        .id;
    let cat = app
        .store
        .category_by_slug(site, category)
        .await
        .unwrap()
        .unwrap();
    (site, cat.id)
}

/// The password every test account gets.
pub const PASSWORD: &str = "mùa thu Hà Nội 2026";

/// Makes an account with a role on a demo site (by key: so, lqd, nguyendu); its id.
pub async fn add_user(
    app: &TestApp,
    username: &str,
    site_key: &str,
    role: domain::Role,
) -> domain::UserId {
    let (site, _) = site_and_category(
        app,
        site_key,
        match site_key {
            "so" => "tin-giao-duc",
            "lqd" => "thong-bao",
            _ => "tin-hoat-dong",
        },
    )
    .await;
    let id = app
        .store
        .create_user(
            username,
            "Nguyễn Văn Thử",
            &web::auth::hash_password(PASSWORD),
            false,
            0,
        )
        .await
        .unwrap();
    app.store.grant_role(id, site, role).await.unwrap();
    id
}

/// The login form and the cookie that goes with it.
pub async fn login_form(app: &TestApp, host: &str) -> (String, String) {
    let page = app.get(host, "/quan-tri/dang-nhap").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(page.headers["cache-control"], "no-store");
    let cookie = page.set_cookie("ep_csrf").expect("a form token cookie");
    let field = page.field("csrf");
    assert_eq!(cookie, field);
    (format!("ep_csrf={cookie}"), field)
}

pub async fn log_in(app: &TestApp, host: &str, username: &str, password: &str) -> Page {
    let (cookie, csrf) = login_form(app, host).await;
    app.post_form(
        host,
        "/quan-tri/dang-nhap",
        &[
            ("csrf", &csrf),
            ("username", username),
            ("password", password),
        ],
        &[("cookie", &cookie), ("x-forwarded-for", "10.9.9.9")],
    )
    .await
}

/// A signed-in person on a host. Each test file adds the ways it posts forms.
pub struct Desk<'a> {
    pub app: &'a TestApp,
    pub host: &'a str,
    pub cookie: String,
}

impl<'a> Desk<'a> {
    pub async fn open(app: &'a TestApp, host: &'a str, username: &str) -> Desk<'a> {
        Desk {
            app,
            host,
            cookie: session(app, host, username).await,
        }
    }

    pub async fn get(&self, path: &str) -> Page {
        self.app
            .get_with(self.host, path, &[("cookie", &self.cookie)])
            .await
    }
}

/// Logs in and returns the session cookie header value.
pub async fn session(app: &TestApp, host: &str, username: &str) -> String {
    let res = log_in(app, host, username, PASSWORD).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    format!("ep_phien={}", res.set_cookie("ep_phien").unwrap())
}
