//! Files of the media folder answered as they are stored, with Range (a PDF
//! viewer seeks through a document in small ranges; a broken download resumes),
//! conditional requests and HEAD.
//!
//! The request's own task opens the file, reads its size and time, and reads a
//! range of up to [`READ_AT_ONCE`] at once; a larger body
//! is left to tower-http's `ServeFile`, which streams it from blocking threads.
//! (`ServeFile` hands each of these steps to a blocking thread: at a viewer's
//! 64 KB ranges it answered about half as many requests a second as nginx
//! serving the same file.)

use crate::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use std::fs::File;
use std::io::{Read as _, Seek, SeekFrom};
use std::ops::RangeInclusive;
use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};
use tower::ServiceExt;

/// Bodies up to this size are read in one go; larger ones stream.
pub(crate) const READ_AT_ONCE: u64 = 256 << 10;

/// What a request asks of a file, read from its headers.
#[derive(Debug, Default)]
struct Asked {
    head: bool,
    range: Option<String>,
    if_range: Option<String>,
    if_none_match: Option<String>,
    if_modified_since: Option<SystemTime>,
}

impl Asked {
    fn of(method: &Method, headers: &HeaderMap) -> Asked {
        let text = |name: header::HeaderName| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        Asked {
            head: method == Method::HEAD,
            range: text(header::RANGE),
            if_range: text(header::IF_RANGE),
            if_none_match: text(header::IF_NONE_MATCH),
            if_modified_since: text(header::IF_MODIFIED_SINCE)
                .and_then(|d| httpdate::parse_http_date(&d).ok()),
        }
    }
}

/// What the blocking task found and read.
enum Found {
    Missing,
    /// Over [`READ_AT_ONCE`]: streamed.
    Large,
    NotModified {
        etag: String,
        modified: String,
    },
    Unsatisfiable {
        len: u64,
    },
    Body {
        /// `Some` for a 206.
        range: Option<RangeInclusive<u64>>,
        len: u64,
        etag: String,
        modified: String,
        body: Read,
    },
}

enum Read {
    Nothing,
    Bytes(Vec<u8>),
}

/// The file at `path` (under the media folder: the caller chose it from the
/// store, never from the request) as `mime`, answering the request's Range and
/// conditions. Not found when the file is gone.
pub(crate) async fn serve(path: PathBuf, mime: &str, req: Request) -> Result<Response, AppError> {
    let asked = Asked::of(req.method(), req.headers());
    // On this thread, as nginx reads its files in its event loop: opening, a
    // look at the size and one read of at most `READ_AT_ONCE` from the page cache
    // take microseconds; a handoff to a blocking thread cost more than them all.
    let found = find(&path, &asked).map_err(|e| AppError::Internal(e.to_string()))?;
    let mut res = match found {
        Found::Missing => return Err(AppError::NotFound),
        Found::Large => {
            let mut res = tower_http::services::ServeFile::new(&path)
                .oneshot(req)
                .await
                .map_err(|e| AppError::Internal(e.to_string()))?
                .into_response();
            if res.status() == StatusCode::NOT_FOUND {
                return Err(AppError::NotFound);
            }
            if res.status().is_success() {
                put(&mut res, header::CONTENT_TYPE, mime);
            }
            return Ok(res);
        }
        Found::NotModified { etag, modified } => {
            let mut res = StatusCode::NOT_MODIFIED.into_response();
            put(&mut res, header::ETAG, &etag);
            put(&mut res, header::LAST_MODIFIED, &modified);
            res
        }
        Found::Unsatisfiable { len } => {
            let mut res = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
            put(&mut res, header::CONTENT_RANGE, &format!("bytes */{len}"));
            res
        }
        Found::Body {
            range,
            len,
            etag,
            modified,
            body,
        } => {
            let (status, length) = match &range {
                Some(r) => (StatusCode::PARTIAL_CONTENT, r.end() - r.start() + 1),
                None => (StatusCode::OK, len),
            };
            let body = match body {
                Read::Nothing => Body::empty(),
                Read::Bytes(bytes) => Body::from(bytes),
            };
            let mut res = Response::new(body);
            *res.status_mut() = status;
            put(&mut res, header::CONTENT_TYPE, mime);
            put(&mut res, header::CONTENT_LENGTH, &length.to_string());
            if let Some(r) = range {
                put(
                    &mut res,
                    header::CONTENT_RANGE,
                    &format!("bytes {}-{}/{len}", r.start(), r.end()),
                );
            }
            put(&mut res, header::ETAG, &etag);
            put(&mut res, header::LAST_MODIFIED, &modified);
            res
        }
    };
    put(&mut res, header::ACCEPT_RANGES, "bytes");
    Ok(res)
}

fn put(res: &mut Response, name: header::HeaderName, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        res.headers_mut().insert(name, v);
    }
}

/// Open, look, read.
fn find(path: &std::path::Path, asked: &Asked) -> std::io::Result<Found> {
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Found::Missing),
        Err(e) => return Err(e),
    };
    let meta = file.metadata()?;
    if !meta.is_file() {
        return Ok(Found::Missing);
    }
    let len = meta.len();
    let modified_at = meta.modified().unwrap_or(UNIX_EPOCH);
    let modified = httpdate::fmt_http_date(modified_at);
    let seconds = modified_at
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let etag = format!("\"{len:x}-{seconds:x}\"");
    // Unchanged since the reader's copy (the tag first, then the date).
    let unchanged = match (&asked.if_none_match, asked.if_modified_since) {
        (Some(tags), _) => tags
            .split(',')
            .map(|t| t.trim().trim_start_matches("W/"))
            .any(|t| t == etag || t == "*"),
        (None, Some(since)) => {
            modified_at
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_secs())
                .unwrap_or(0)
                <= since
                    .duration_since(UNIX_EPOCH)
                    .map(|d| d.as_secs())
                    .unwrap_or(0)
        }
        (None, None) => false,
    };
    if unchanged {
        return Ok(Found::NotModified { etag, modified });
    }
    // A Range counts only if the reader's copy is this one (If-Range); one range
    // is answered, several (rare, and allowed to be ignored) get the whole file,
    // as does a Range that is not one at all.
    let range_applies = asked
        .if_range
        .as_ref()
        .is_none_or(|v| *v == etag || *v == modified);
    let mut range = None;
    if let Some(r) = asked.range.as_deref().filter(|_| range_applies)
        && let Ok(parsed) = http_range_header::parse_range_header(r)
    {
        match parsed.validate(len) {
            Ok(ranges) if ranges.len() == 1 && len > 0 => {
                if ranges[0].start() >= &len {
                    return Ok(Found::Unsatisfiable { len });
                }
                range = ranges.into_iter().next();
            }
            Ok(_) => {}
            Err(_) => return Ok(Found::Unsatisfiable { len }),
        }
    }
    let (start, length) = match &range {
        Some(r) => (*r.start(), r.end() - r.start() + 1),
        None => (0, len),
    };
    let body = if asked.head || length == 0 {
        Read::Nothing
    } else if length <= READ_AT_ONCE {
        // Read into spare capacity: zeroing the buffer first cost as much as a
        // tenth of the answer.
        let mut bytes = Vec::with_capacity(usize::try_from(length).unwrap_or(0));
        let mut file = file;
        file.seek(SeekFrom::Start(start))?;
        file.take(length).read_to_end(&mut bytes)?;
        if u64::try_from(bytes.len()) != Ok(length) {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        Read::Bytes(bytes)
    } else {
        return Ok(Found::Large);
    };
    Ok(Found::Body {
        range,
        len,
        etag,
        modified,
        body,
    })
}
