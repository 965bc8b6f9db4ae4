//! Compressed answers: which encoding a reader takes, and bodies compressed in br
//! and gzip. The page cache compresses a page once when it keeps it, the assets
//! are compressed once at start (at the highest settings), and the front door
//! compresses what neither holds (search, exam results, the back office) as it
//! goes out, at settings quick enough for every request.

use axum::body::Body;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use bytes::Bytes;
use std::io::Write;

/// Which encoding the reader takes, best first: br, gzip, none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Encoding {
    Br,
    Gzip,
    Identity,
}

impl Encoding {
    /// The `Content-Encoding` value, none for identity.
    pub(crate) fn header(self) -> Option<&'static str> {
        match self {
            Encoding::Br => Some("br"),
            Encoding::Gzip => Some("gzip"),
            Encoding::Identity => None,
        }
    }
}

/// The best encoding the request's `Accept-Encoding` allows.
pub(crate) fn accepted(headers: &HeaderMap) -> Encoding {
    choose(headers, &[Encoding::Br, Encoding::Gzip])
}

/// The encoding for an answer compressed as it goes out: gzip before br. At
/// the quick settings such answers get, br comes out no smaller than gzip for
/// a page of 15 KB (3.891 against 3.878 bytes for the department's home) while
/// costing about twice the time, most of it in setting up its encoder; br stays
/// for what is compressed once and kept.
pub(crate) fn accepted_live(headers: &HeaderMap) -> Encoding {
    choose(headers, &[Encoding::Gzip, Encoding::Br])
}

/// The first of `preference` that the request's `Accept-Encoding` takes.
fn choose(headers: &HeaderMap, preference: &[Encoding]) -> Encoding {
    let Some(value) = headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
    else {
        return Encoding::Identity;
    };
    let takes = |name: &str| {
        value.split(',').any(|part| {
            let mut it = part.split(';');
            let coding = it.next().unwrap_or("").trim();
            let refused = it.any(|p| {
                let p = p.trim().replace(' ', "");
                p == "q=0" || p == "q=0.0" || p == "q=0.00" || p == "q=0.000"
            });
            coding.eq_ignore_ascii_case(name) && !refused
        })
    };
    preference
        .iter()
        .copied()
        .find(|e| e.header().is_some_and(takes))
        .unwrap_or(Encoding::Identity)
}

/// How hard to compress: the cost is paid once for what is kept, on every
/// request for what is not.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Effort {
    gzip: u32,
    brotli: i32,
}

/// For the assets, compressed once at start.
pub(crate) const ONCE: Effort = Effort {
    gzip: 9,
    brotli: 11,
};
/// For pages the cache keeps (once a minute at most per page).
pub(crate) const KEPT: Effort = Effort { gzip: 6, brotli: 6 };
/// For answers made afresh on every request.
pub(crate) const LIVE: Effort = Effort { gzip: 5, brotli: 4 };

/// Bodies smaller than this gain nothing from compression.
pub(crate) const MIN_BYTES: usize = 1024;
/// Answers larger than this are passed on as they are (files stream).
const MAX_LIVE_BYTES: u64 = 4 * 1024 * 1024;

/// `body` in one encoding; `None` for identity, a small body, or a failure.
pub(crate) fn compress_as(body: &[u8], encoding: Encoding, effort: Effort) -> Option<Bytes> {
    if body.len() < MIN_BYTES {
        return None;
    }
    match encoding {
        Encoding::Identity => None,
        Encoding::Gzip => {
            let mut gz =
                flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(effort.gzip));
            gz.write_all(body)
                .and_then(|_| gz.finish())
                .ok()
                .map(Bytes::from)
        }
        Encoding::Br => {
            let mut out = Vec::new();
            let params = brotli::enc::BrotliEncoderParams {
                quality: effort.brotli,
                lgwin: 22,
                ..Default::default()
            };
            brotli::BrotliCompress(&mut &body[..], &mut out, &params)
                .ok()
                .map(|_| Bytes::from(out))
        }
    }
}

/// `body` in gzip and in br, for answers kept to be served many times.
pub(crate) fn compress(body: &[u8], effort: Effort) -> (Option<Bytes>, Option<Bytes>) {
    (
        compress_as(body, Encoding::Gzip, effort),
        compress_as(body, Encoding::Br, effort),
    )
}

/// Whether answers of this type shrink when compressed (text, not images).
pub(crate) fn compressible(content_type: &str) -> bool {
    let t = content_type.trim_start();
    t.starts_with("text/")
        || [
            "application/json",
            "application/xml",
            "application/rss+xml",
            "application/ld+json",
            "application/manifest+json",
            "image/svg+xml",
        ]
        .iter()
        .any(|p| t.starts_with(p))
}

/// Compresses an answer made afresh, as it goes out, when the reader takes an
/// encoding and the answer is text of a known size worth compressing. Files
/// (which can be asked for by ranges), answers already encoded and HEAD answers
/// pass unchanged.
pub(crate) async fn compress_live(encoding: Encoding, head: bool, res: Response) -> Response {
    let h = res.headers();
    let status = res.status();
    if head
        || status == StatusCode::NO_CONTENT
        || status == StatusCode::NOT_MODIFIED
        || status == StatusCode::PARTIAL_CONTENT
        || h.contains_key(header::CONTENT_ENCODING)
        || h.contains_key(header::ACCEPT_RANGES)
        || !h
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(compressible)
    {
        return res;
    }
    let Some(size) = axum::body::HttpBody::size_hint(res.body()).exact() else {
        return res;
    };
    if size < MIN_BYTES as u64 || size > MAX_LIVE_BYTES {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    // Whether compressed or not, the answer depends on Accept-Encoding.
    parts
        .headers
        .append(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    let Ok(identity) = axum::body::to_bytes(body, MAX_LIVE_BYTES as usize).await else {
        return Response::from_parts(parts, Body::empty());
    };
    let Some(name) = encoding.header() else {
        return Response::from_parts(parts, Body::from(identity));
    };
    match compress_as(&identity, encoding, LIVE) {
        Some(packed) => {
            parts.headers.remove(header::CONTENT_LENGTH);
            // A validator of the plain body no longer names these bytes.
            if let Some(etag) = parts.headers.get(header::ETAG).cloned()
                && let Ok(s) = etag.to_str()
                && !s.starts_with("W/")
                && let Ok(weak) = HeaderValue::from_str(&format!("W/{s}"))
            {
                parts.headers.insert(header::ETAG, weak);
            }
            parts
                .headers
                .insert(header::CONTENT_ENCODING, HeaderValue::from_static(name));
            Response::from_parts(parts, Body::from(packed))
        }
        None => Response::from_parts(parts, Body::from(identity)),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use axum::response::{Html, IntoResponse};

    /// A header map from pairs, for tests.
    pub(crate) fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn encodings_are_negotiated() {
        assert_eq!(
            accepted(&headers(&[("accept-encoding", "gzip, deflate, br, zstd")])),
            Encoding::Br
        );
        assert_eq!(
            accepted(&headers(&[("accept-encoding", "gzip")])),
            Encoding::Gzip
        );
        assert_eq!(
            accepted(&headers(&[("accept-encoding", "br;q=0, gzip;q=0.8")])),
            Encoding::Gzip
        );
        assert_eq!(accepted(&headers(&[])), Encoding::Identity);
    }

    #[test]
    fn answers_made_afresh_take_gzip_before_br() {
        let live = |v: &str| accepted_live(&headers(&[("accept-encoding", v)]));
        assert_eq!(live("gzip, deflate, br, zstd"), Encoding::Gzip);
        assert_eq!(live("br"), Encoding::Br);
        assert_eq!(live("br, gzip;q=0"), Encoding::Br);
        assert_eq!(live("identity"), Encoding::Identity);
        assert_eq!(accepted_live(&headers(&[])), Encoding::Identity);
    }

    fn gunzip(b: &[u8]) -> String {
        let mut out = String::new();
        std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(b), &mut out).unwrap();
        out
    }

    fn unbrotli(b: &[u8]) -> String {
        let mut out = Vec::new();
        brotli::BrotliDecompress(&mut &b[..], &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn compression_round_trips_at_every_effort() {
        let body = "Tin giáo dục ".repeat(500);
        for effort in [ONCE, KEPT, LIVE] {
            let (gzip, br) = compress(body.as_bytes(), effort);
            assert_eq!(gunzip(&gzip.unwrap()), body);
            assert_eq!(unbrotli(&br.unwrap()), body);
        }
        assert_eq!(compress("ngắn".as_bytes(), KEPT), (None, None));
    }

    async fn body_of(res: Response) -> Bytes {
        axum::body::to_bytes(res.into_body(), usize::MAX)
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn live_pages_go_out_compressed_when_large_enough() {
        let page = format!("<p>{}</p>", "Kết quả thi tuyển sinh lớp 10. ".repeat(100));
        let res = compress_live(Encoding::Br, false, Html(page.clone()).into_response()).await;
        assert_eq!(res.headers()[header::CONTENT_ENCODING], "br");
        assert_eq!(res.headers()[header::VARY], "Accept-Encoding");
        let packed = body_of(res).await;
        assert!(packed.len() < page.len() / 4);
        assert_eq!(unbrotli(&packed), page);

        let res = compress_live(Encoding::Gzip, false, Html(page.clone()).into_response()).await;
        assert_eq!(gunzip(&body_of(res).await), page);

        // A reader who takes no encoding gets the page as it is.
        let res = compress_live(
            Encoding::Identity,
            false,
            Html(page.clone()).into_response(),
        )
        .await;
        assert!(!res.headers().contains_key(header::CONTENT_ENCODING));
        assert_eq!(body_of(res).await, page.as_bytes());

        // Small pages, images and HEAD answers are left alone.
        let res = compress_live(Encoding::Br, false, Html("<p>ngắn</p>").into_response()).await;
        assert!(!res.headers().contains_key(header::CONTENT_ENCODING));
        let image = ([(header::CONTENT_TYPE, "image/png")], vec![0u8; 5000]).into_response();
        let res = compress_live(Encoding::Br, false, image).await;
        assert!(!res.headers().contains_key(header::CONTENT_ENCODING));
        let res = compress_live(Encoding::Br, true, Html(page).into_response()).await;
        assert!(!res.headers().contains_key(header::CONTENT_ENCODING));
    }
}
