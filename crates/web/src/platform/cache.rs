//! The page cache: anonymous GET pages kept in memory, compressed once (br, gzip)
//! when stored, answered with an ETag and 304 when the reader already has them.
//!
//! An entry is keyed by host and path with query, and remembers the site's content
//! version it was made under; any change to a site's content bumps the version, so
//! older entries are never served again. Entries also expire after a while, so that
//! articles scheduled for later appear on time.

use crate::AppState;
use crate::platform::encoding::{self, Encoding, accepted};
use crate::platform::routes::CachePolicy;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use bytes::Bytes;
use domain::SiteId;
use std::collections::HashMap;
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};
use store::Store;

/// The item a page shows, for the view counter; handlers put it in the
/// response's extensions and the cache keeps it with the page.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ViewedItem(pub crate::platform::counters::Item);

/// Marks a 304 answered for a page, so that it still counts as a visit.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RevalidatedPage;

/// How the cache behaves.
#[derive(Debug, Clone)]
pub struct CacheOptions {
    /// Off: every request renders (the benchmark's "uncached" case).
    pub enabled: bool,
    /// At most this many pages are kept.
    pub max_entries: usize,
    /// At most this many bytes of pages (all encodings) are kept.
    pub max_bytes: u64,
    /// A page is rendered again after this long, changed or not.
    pub ttl: Duration,
    /// Keep the data pages are made of (articles, lists) per content version, so
    /// that rendering a page afresh need not ask the database.
    pub data: bool,
}

impl Default for CacheOptions {
    fn default() -> Self {
        CacheOptions {
            enabled: true,
            max_entries: 20_000,
            max_bytes: 256 * 1_048_576,
            ttl: Duration::from_secs(60),
            data: true,
        }
    }
}

/// The largest page kept.
const MAX_ENTRY_BYTES: u64 = 8 * 1024 * 1024;

struct Entry {
    /// What the entry holds in memory, for the cache's byte budget.
    bytes: u64,
    site: SiteId,
    version: i64,
    created: Instant,
    content_type: HeaderValue,
    etag: HeaderValue,
    identity: Bytes,
    gzip: Option<Bytes>,
    br: Option<Bytes>,
    item: Option<crate::platform::counters::Item>,
    headers_identity: HeaderMap,
    headers_gzip: HeaderMap,
    headers_br: HeaderMap,
    headers_not_modified: HeaderMap,
}

/// The pages, and the bytes they hold.
#[derive(Default)]
struct Pages {
    map: HashMap<String, Arc<Entry>>,
    bytes: u64,
}

impl Pages {
    fn remove(&mut self, key: &str) {
        if let Some(old) = self.map.remove(key) {
            self.bytes -= old.bytes;
        }
    }

    fn retain(&mut self, mut keep: impl FnMut(&Entry) -> bool) {
        let mut bytes = 0;
        self.map.retain(|_, e| {
            let kept = keep(e);
            if kept {
                bytes += e.bytes;
            }
            kept
        });
        self.bytes = bytes;
    }
}

/// Cached pages and the content versions they are checked against.
pub struct PageCache {
    options: CacheOptions,
    pages: RwLock<Pages>,
    versions: RwLock<HashMap<SiteId, i64>>,
}

impl PageCache {
    /// An empty cache.
    pub fn new(options: CacheOptions) -> PageCache {
        PageCache {
            options,
            pages: RwLock::new(Pages::default()),
            versions: RwLock::new(HashMap::new()),
        }
    }

    /// Reads every site's content version from the store: changes made by this
    /// instance, another one, or the CLI all show up here.
    /// Whether any version changed.
    pub async fn refresh_versions(&self, store: &Store) -> Result<bool, store::Error> {
        let versions: HashMap<SiteId, i64> = store.content_versions().await?.into_iter().collect();
        let mut current = self.versions.write().unwrap_or_else(|e| e.into_inner());
        let changed = *current != versions;
        *current = versions;
        Ok(changed)
    }

    /// The sum of every site's content version.
    pub(crate) fn all_versions(&self) -> i64 {
        self.versions
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .values()
            .sum()
    }

    pub(crate) fn version(&self, site: SiteId) -> i64 {
        self.versions
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(&site)
            .copied()
            .unwrap_or(0)
    }

    fn get(&self, key: &str, site: SiteId, version: i64) -> Option<Arc<Entry>> {
        let pages = self.pages.read().unwrap_or_else(|e| e.into_inner());
        let e = pages.map.get(key)?;
        (e.site == site && e.version == version && e.created.elapsed() < self.options.ttl)
            .then(|| e.clone())
    }

    fn put(&self, key: String, entry: Arc<Entry>) {
        if entry.bytes > self.options.max_bytes {
            return;
        }
        let mut pages = self.pages.write().unwrap_or_else(|e| e.into_inner());
        pages.remove(&key);
        if pages.map.len() >= self.options.max_entries
            || pages.bytes + entry.bytes > self.options.max_bytes
        {
            // Drop what can no longer be served first; if that is not enough, start over.
            let ttl = self.options.ttl;
            let versions = self.versions.read().unwrap_or_else(|e| e.into_inner());
            pages.retain(|e| {
                e.created.elapsed() < ttl
                    && versions.get(&e.site).copied().unwrap_or(0) == e.version
            });
            if pages.map.len() >= self.options.max_entries
                || pages.bytes + entry.bytes > self.options.max_bytes
            {
                *pages = Pages::default();
            }
        }
        pages.bytes += entry.bytes;
        pages.map.insert(key, entry);
    }

    /// How many pages are held.
    pub fn len(&self) -> usize {
        self.pages
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .map
            .len()
    }

    /// How many bytes the pages held take.
    pub fn bytes(&self) -> u64 {
        self.pages.read().unwrap_or_else(|e| e.into_inner()).bytes
    }

    /// Whether the cache holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

fn etag_matches(headers: &HeaderMap, etag: &HeaderValue) -> bool {
    let Some(inm) = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let ours = etag.to_str().unwrap_or("");
    inm.split(',')
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == "*" || t == ours)
}

fn serve(entry: &Entry, req_headers: &HeaderMap) -> Response {
    // The header sets were made once, when the page was stored: a hit only copies one.
    let mut res = if etag_matches(req_headers, &entry.etag) {
        let mut r = StatusCode::NOT_MODIFIED.into_response();
        *r.headers_mut() = entry.headers_not_modified.clone();
        // A reader who already has a page still read it; a feed reader's check is not a visit.
        if entry.content_type.as_bytes().starts_with(b"text/html") {
            r.extensions_mut().insert(RevalidatedPage);
        }
        r
    } else {
        let (body, headers) = match accepted(req_headers) {
            Encoding::Br if entry.br.is_some() => (entry.br.clone(), &entry.headers_br),
            Encoding::Br | Encoding::Gzip if entry.gzip.is_some() => {
                (entry.gzip.clone(), &entry.headers_gzip)
            }
            _ => (None, &entry.headers_identity),
        };
        let mut r = Response::new(Body::from(body.unwrap_or_else(|| entry.identity.clone())));
        *r.headers_mut() = headers.clone();
        r
    };
    if let Some(a) = entry.item {
        res.extensions_mut().insert(ViewedItem(a));
    }
    res
}

/// The headers of a cached page: validators, caching rules, security headers, and
/// the content type and encoding when there is a body.
fn entry_headers(
    etag: &HeaderValue,
    content: Option<(&HeaderValue, Option<&'static str>)>,
) -> HeaderMap {
    let mut h = HeaderMap::with_capacity(10);
    h.insert(header::ETAG, etag.clone());
    h.insert(header::VARY, HeaderValue::from_static("Accept-Encoding"));
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=0, must-revalidate"),
    );
    if let Some((content_type, coding)) = content {
        h.insert(header::CONTENT_TYPE, content_type.clone());
        if let Some(c) = coding {
            h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(c));
        }
    }
    crate::platform::frontdoor::security_headers(&mut h);
    h
}

fn cacheable(res: &Response) -> bool {
    let h = res.headers();
    res.status() == StatusCode::OK
        && !h.contains_key(header::SET_COOKIE)
        && !h.contains_key(header::CONTENT_ENCODING)
        // A handler that chose its own caching (assets, live figures) is left to it.
        && !h.contains_key(header::CACHE_CONTROL)
        && h.get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|t| {
                t.starts_with("text/")
                    || t.starts_with("application/rss+xml")
                    || t.starts_with("application/xml")
            })
}

/// Query keys that only tell where a reader came from (Facebook, Zalo, Google,
/// newsletters): no handler reads them, so they neither split nor bypass the cache.
fn is_tracking(key: &str) -> bool {
    key.starts_with("utm_") || matches!(key, "fbclid" | "gclid" | "zarsrc" | "zalo_source")
}

/// The part of the key a query makes: `?k=v&…` for the route's `vary` keys in
/// their order (the page number `trang` as a number, left out on page 1), or
/// `None` when the query is not one the key can stand for: a key the route does
/// not vary by (a handler may read it), or a key given twice (handlers and key
/// could take different ones).
fn query_key(query: Option<&str>, vary: &[&str]) -> Option<String> {
    let mut values: Vec<Option<String>> = vec![None; vary.len()];
    for (k, v) in form_urlencoded::parse(query.unwrap_or("").as_bytes()) {
        match vary.iter().position(|name| *name == k) {
            Some(i) if values[i].is_none() => values[i] = Some(v.into_owned()),
            _ if is_tracking(&k) => {}
            _ => return None,
        }
    }
    let mut key = String::new();
    for (name, value) in vary.iter().zip(values) {
        let value = match (*name, value) {
            (_, None) => continue,
            ("trang", Some(v)) => match domain::PageNumber::parse(Some(&v)).0 {
                1 => continue,
                n => n.to_string(),
            },
            (_, Some(v)) => v,
        };
        key.push(if key.is_empty() { '?' } else { '&' });
        key.push_str(name);
        key.push('=');
        key.extend(form_urlencoded::byte_serialize(value.as_bytes()));
    }
    Some(key)
}

/// What the cache makes of a request.
pub(crate) enum Lookup {
    /// The page, from memory.
    Hit(Response),
    /// Not in memory: render it, then [`store`] it under this.
    Miss(Pending),
    /// Not for the cache (signed in, not a GET, cache off).
    Bypass,
}

/// A page to store once rendered.
pub(crate) struct Pending {
    key: String,
    site: SiteId,
    version: i64,
    req_headers: HeaderMap,
}

/// Looks the request up, without waiting for anything: a hit is answered before
/// the request goes any further.
pub(crate) fn lookup(
    state: &AppState,
    site: SiteId,
    origin: &crate::platform::origin::Origin,
    req: &Request,
    policy: CachePolicy,
) -> Lookup {
    let cache = &state.cache;
    let anonymous = !req.headers().contains_key(header::AUTHORIZATION)
        && !req
            .headers()
            .get_all(header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .any(|c| c.contains(crate::SESSION_COOKIE));
    let head = req.method() == Method::HEAD;
    // Only public routes are kept; personal and back-office answers never are.
    let (vary, gathered) = match policy {
        CachePolicy::Public(vary) => (vary, false),
        CachePolicy::Gathered(vary) => (vary, true),
        CachePolicy::Personal | CachePolicy::Admin => return Lookup::Bypass,
    };
    if !cache.options.enabled || !anonymous || !(req.method() == Method::GET || head) {
        return Lookup::Bypass;
    }
    // The key is the origin (a host the site is known by, and the scheme), the path
    // and the values of the query keys the route varies by, read from the query as
    // the handlers read it (decoded); a query the key cannot stand for is not
    // cached at all.
    let Some(query) = query_key(req.uri().query(), vary) else {
        return Lookup::Bypass;
    };
    let path = req.uri().path();
    // Our addresses are plain ASCII: an escaped one ("/tin-tuc/tin%2Dgiao-duc") is
    // the same page as the plain one to its handler, and must not be a new entry.
    if path.contains('%') {
        return Lookup::Bypass;
    }
    let mut key = String::with_capacity(origin.0.len() + path.len() + query.len());
    key.push_str(&origin.0);
    key.push_str(path);
    key.push_str(&query);
    // A gathered page is checked against every site's content: their sum moves
    // whenever any one of them does (versions only grow; a new site adds one).
    let version = if gathered {
        cache.all_versions()
    } else {
        cache.version(site)
    };
    if let Some(entry) = cache.get(&key, site, version) {
        return Lookup::Hit(serve(&entry, req.headers()));
    }
    // A HEAD is answered from a stored page, or rendered and never kept: its
    // answer has no body to keep.
    if head {
        return Lookup::Bypass;
    }
    Lookup::Miss(Pending {
        key,
        site,
        version,
        req_headers: req.headers().clone(),
    })
}

/// Keeps a rendered page (when it may be kept) and answers it as the cache would.
pub(crate) async fn store(state: &AppState, pending: Pending, res: Response) -> Response {
    if !cacheable(&res) {
        return res;
    }
    // Pages are small; anything huge (or of unknown size) is passed on as is.
    if axum::body::HttpBody::size_hint(res.body())
        .exact()
        .is_none_or(|n| n > MAX_ENTRY_BYTES)
    {
        return res;
    }
    let (parts, body) = res.into_parts();
    let Ok(identity) = axum::body::to_bytes(body, MAX_ENTRY_BYTES as usize).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    // Only a whole page is kept: an empty body (a page is never empty) or one
    // shorter than it said is answered once and forgotten.
    let declared = parts
        .headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if identity.is_empty() || declared.is_some_and(|n| n != identity.len()) {
        return Response::from_parts(parts, Body::from(identity));
    }
    let etag = format!(
        "\"{}\"",
        crate::platform::assets::fingerprint_bytes(&identity)
    );
    let (gzip, br) = encoding::compress(&identity, encoding::KEPT);
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .cloned()
        .unwrap_or(HeaderValue::from_static("text/html; charset=utf-8"));
    let etag = HeaderValue::from_str(&etag).unwrap_or(HeaderValue::from_static("\"0\""));
    let bytes = (identity.len()
        + gzip.as_ref().map_or(0, Bytes::len)
        + br.as_ref().map_or(0, Bytes::len)) as u64;
    let entry = Arc::new(Entry {
        bytes,
        site: pending.site,
        version: pending.version,
        created: Instant::now(),
        headers_identity: entry_headers(&etag, Some((&content_type, None))),
        headers_gzip: entry_headers(&etag, Some((&content_type, Some("gzip")))),
        headers_br: entry_headers(&etag, Some((&content_type, Some("br")))),
        headers_not_modified: entry_headers(&etag, None),
        content_type,
        etag,
        identity,
        gzip,
        br,
        item: parts.extensions.get::<ViewedItem>().map(|v| v.0),
    });
    state.cache.put(pending.key, entry.clone());
    let mut res = serve(&entry, &pending.req_headers);
    // Other headers the handler set stay on the response.
    for (name, value) in parts.headers.iter() {
        if !res.headers().contains_key(name) && name != header::CONTENT_LENGTH {
            res.headers_mut().insert(name.clone(), value.clone());
        }
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::platform::encoding::tests::headers;

    #[test]
    fn etags_match_lists_and_weak_forms() {
        let ours = HeaderValue::from_static("\"abc\"");
        assert!(etag_matches(
            &headers(&[("if-none-match", "\"x\", W/\"abc\"")]),
            &ours
        ));
        assert!(!etag_matches(
            &headers(&[("if-none-match", "\"x\"")]),
            &ours
        ));
    }
}
