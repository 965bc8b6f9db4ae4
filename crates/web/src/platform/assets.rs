//! The stylesheet and script, built into the binary. Their URLs carry a hash of
//! their content, so browsers may keep them for a year.

use axum::extract::Path;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::sync::LazyLock;

struct Asset {
    name: &'static str,
    mime: &'static str,
    body: &'static str,
}

const ASSETS: [Asset; 5] = [
    Asset {
        name: "app.css",
        mime: "text/css; charset=utf-8",
        body: include_str!("../../assets/app.css"),
    },
    Asset {
        name: "app.js",
        mime: "text/javascript; charset=utf-8",
        body: include_str!("../../assets/app.js"),
    },
    // The back office's editor: Quill (BSD-3-Clause), vendored unmodified by
    // scripts/refresh-editor.sh, and our script that mounts it.
    Asset {
        name: "quill.js",
        mime: "text/javascript; charset=utf-8",
        body: include_str!("../../assets/vendor/quill/quill.js"),
    },
    Asset {
        name: "quill.snow.css",
        mime: "text/css; charset=utf-8",
        body: include_str!("../../assets/vendor/quill/quill.snow.css"),
    },
    Asset {
        name: "admin.js",
        mime: "text/javascript; charset=utf-8",
        body: include_str!("../../assets/admin.js"),
    },
];

/// FNV-1a over bytes: a stable fingerprint (the same on every instance), for
/// cache busting and ETags, not a security hash.
pub(crate) fn fingerprint_bytes(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

fn fingerprint(s: &str) -> String {
    fingerprint_bytes(s.as_bytes())[..8].to_owned()
}

static URLS: LazyLock<Vec<(String, &'static Asset)>> = LazyLock::new(|| {
    ASSETS
        .iter()
        .map(|a| {
            let (stem, ext) = a.name.split_once('.').unwrap_or((a.name, ""));
            (format!("{stem}.{}.{ext}", fingerprint(a.body)), a)
        })
        .collect()
});

/// The hashed URL of an asset, e.g. `/static/app.3fa2c1d0.css`.
pub(crate) fn url(name: &str) -> String {
    URLS.iter()
        .find(|(_, a)| a.name == name)
        .map(|(hashed, _)| format!("/static/{hashed}"))
        .unwrap_or_else(|| format!("/static/{name}"))
}

/// Serves an asset by its hashed name (or its plain name, briefly cached).
pub(crate) async fn serve(Path(file): Path<String>) -> Response {
    if let Some((_, a)) = URLS.iter().find(|(hashed, _)| *hashed == file) {
        return (
            [
                (header::CONTENT_TYPE, a.mime),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            a.body,
        )
            .into_response();
    }
    if let Some(a) = ASSETS.iter().find(|a| a.name == file) {
        return (
            [
                (header::CONTENT_TYPE, a.mime),
                (header::CACHE_CONTROL, "public, max-age=300"),
            ],
            a.body,
        )
            .into_response();
    }
    crate::AppError::NotFound.into_response()
}

/// The stylesheets and scripts, under content-hashed names (cached a year).
pub(crate) fn routes(_state: &crate::AppState) -> crate::platform::routes::Routes {
    use crate::platform::routes::{NO_QUERY, Routes};
    Routes::new().public("/static/{file}", NO_QUERY, axum::routing::get(serve))
}
