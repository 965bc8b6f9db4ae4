//! The stylesheet and script, built into the binary. Their URLs carry a hash of
//! their content, so browsers may keep them for a year.

use crate::platform::encoding::{self, Encoding};
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use std::sync::LazyLock;

struct Asset {
    name: &'static str,
    mime: &'static str,
    body: &'static str,
}

const ASSETS: [Asset; 7] = [
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
    // The public forms' proof of work (platform/antispam.rs).
    Asset {
        name: "antispam.js",
        mime: "text/javascript; charset=utf-8",
        body: include_str!("../../assets/antispam.js"),
    },
    // Albums' viewer, uploads and ordering; clips' play button (issue 15).
    Asset {
        name: "gallery.js",
        mime: "text/javascript; charset=utf-8",
        body: include_str!("../../assets/gallery.js"),
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

/// Each asset's hashed name, e.g. `app.3fa2c1d0.css`, in the order of [`ASSETS`].
static HASHED: LazyLock<Vec<String>> = LazyLock::new(|| {
    ASSETS
        .iter()
        .map(|a| {
            let (stem, ext) = a.name.split_once('.').unwrap_or((a.name, ""));
            format!("{stem}.{}.{ext}", fingerprint(a.body))
        })
        .collect()
});

/// An asset as it is served: under its hashed name, compressed once.
struct Prepared {
    hashed: String,
    asset: &'static Asset,
    gzip: Option<Bytes>,
    br: Option<Bytes>,
}

/// Every asset, hashed and compressed at the highest settings (about a second
/// for all of them, once; [`prepare`] starts it when the server starts).
static PREPARED: LazyLock<Vec<Prepared>> = LazyLock::new(|| {
    ASSETS
        .iter()
        .zip(HASHED.iter())
        .map(|(a, hashed)| {
            let (gzip, br) = encoding::compress(a.body.as_bytes(), encoding::ONCE);
            Prepared {
                hashed: hashed.clone(),
                asset: a,
                gzip,
                br,
            }
        })
        .collect()
});

/// Compresses the assets in the background, so the first reader does not wait.
pub(crate) fn prepare() {
    std::thread::spawn(|| LazyLock::force(&PREPARED));
}

/// The hashed URL of an asset, e.g. `/static/app.3fa2c1d0.css`.
pub(crate) fn url(name: &str) -> String {
    ASSETS
        .iter()
        .zip(HASHED.iter())
        .find(|(a, _)| a.name == name)
        .map(|(_, hashed)| format!("/static/{hashed}"))
        .unwrap_or_else(|| format!("/static/{name}"))
}

/// Serves an asset by its hashed name (cached a year), or its plain name
/// (briefly cached), in the encoding the reader takes.
pub(crate) async fn serve(Path(file): Path<String>, headers: HeaderMap) -> Response {
    let (p, lifetime) = if let Some(p) = PREPARED.iter().find(|p| p.hashed == file) {
        (p, "public, max-age=31536000, immutable")
    } else if let Some(p) = PREPARED.iter().find(|p| p.asset.name == file) {
        (p, "public, max-age=300")
    } else {
        return crate::AppError::NotFound.into_response();
    };
    let (body, coding) = match encoding::accepted(&headers) {
        Encoding::Br if p.br.is_some() => (p.br.clone(), Some("br")),
        Encoding::Br | Encoding::Gzip if p.gzip.is_some() => (p.gzip.clone(), Some("gzip")),
        _ => (None, None),
    };
    let mut res = (
        [
            (header::CONTENT_TYPE, p.asset.mime),
            (header::CACHE_CONTROL, lifetime),
            (header::VARY, "Accept-Encoding"),
        ],
        body.unwrap_or_else(|| Bytes::from_static(p.asset.body.as_bytes())),
    )
        .into_response();
    if let Some(c) = coding {
        res.headers_mut()
            .insert(header::CONTENT_ENCODING, HeaderValue::from_static(c));
    }
    res
}

/// The stylesheets and scripts, under content-hashed names (cached a year).
pub(crate) fn routes(_state: &crate::AppState) -> crate::platform::routes::Routes {
    use crate::platform::routes::{NO_QUERY, Routes};
    prepare();
    Routes::new().public("/static/{file}", NO_QUERY, axum::routing::get(serve))
}
