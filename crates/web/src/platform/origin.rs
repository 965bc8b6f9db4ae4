//! The scheme and host of a site's absolute URLs (feeds, sitemaps, canonical
//! links, link previews), and what a trusted proxy says about the client.
//!
//! The host is one the site is known by: the request's own when the site claims
//! it, else the site's first host. The scheme comes from `X-Forwarded-Proto` only
//! behind a trusted proxy. So no request can put another host or scheme into a
//! page that the cache then gives to everyone.

use crate::platform::site::SiteCtx;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, header};
use std::convert::Infallible;

/// `http://host[:port]` or `https://…`: where this site's pages live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Origin(pub String);

impl Origin {
    /// An absolute URL for a path of this site.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.0)
    }

    /// The host name, lower-case, without the port.
    pub fn host(&self) -> String {
        domain::normalize_host(self.0.split_once("://").map_or(self.0.as_str(), |(_, a)| a))
    }

    /// The origin of another host of the installation (a school's site) as seen
    /// from here: this origin's scheme, and its port when it has one (a test
    /// install on :8080 links to the other sites on :8080 too).
    pub fn for_host(&self, host: &str) -> String {
        let (scheme, rest) = self.0.split_once("://").unwrap_or(("http", &self.0));
        let port = rest
            .rsplit_once(':')
            .filter(|(h, p)| {
                !h.ends_with(']') && !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())
            })
            .map_or(String::new(), |(_, p)| format!(":{p}"));
        format!("{scheme}://{host}{port}")
    }

    /// The origin for a request to `site` (see the module's note).
    pub fn of(headers: &HeaderMap, site: &SiteCtx, trust_proxy: bool) -> Origin {
        let raw = headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .unwrap_or("")
            .trim();
        let claimed = domain::normalize_host(raw);
        let host = if site.site.hosts.contains(&claimed) && is_plain_host(raw) {
            raw.to_ascii_lowercase()
        } else if let Some(first) = site.site.hosts.first() {
            first.clone()
        } else if is_plain_host(raw) {
            // A site with no host of its own (a fresh install): what was asked.
            raw.to_ascii_lowercase()
        } else {
            "localhost".to_owned()
        };
        let scheme = if trust_proxy && forwarded_proto_is_https(headers) {
            "https"
        } else {
            "http"
        };
        Origin(format!("{scheme}://{host}"))
    }
}

fn forwarded_proto_is_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"))
}

/// The client's address as the trusted proxy saw it: the last `X-Forwarded-For`
/// entry (the one the proxy added; earlier ones are the client's own say).
pub(crate) fn forwarded_client(headers: &HeaderMap) -> Option<&str> {
    headers
        .get("x-forwarded-for")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.rsplit(',').next())
        .map(str::trim)
        .filter(|v| !v.is_empty())
}

/// The front door puts the origin in the request's extensions.
impl<S: Send + Sync> FromRequestParts<S> for Origin {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<Origin>()
            .cloned()
            .unwrap_or_else(|| Origin("http://localhost".into())))
    }
}

/// A host name, IPv4/IPv6 literal and optional port: nothing that could break out
/// of a URL or an attribute.
fn is_plain_host(h: &str) -> bool {
    !h.is_empty()
        && h.len() <= 255
        && h.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b':' | b'[' | b']'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hosts_that_could_inject_are_refused() {
        assert!(is_plain_host("so.localhost:8080"));
        assert!(is_plain_host("[::1]:8080"));
        assert!(!is_plain_host("evil.com/\"><script>"));
        assert!(!is_plain_host("a b"));
        assert!(!is_plain_host(""));
    }

    #[test]
    fn origins_come_from_the_sites_own_hosts() {
        let site = SiteCtx {
            site: domain::Site {
                id: domain::SiteId(1),
                key: "so".into(),
                is_default: true,
                hosts: vec!["so.gddt.vn".into(), "www.so.gddt.vn".into()],
                settings: Default::default(),
                suspended: false,
                redirect_to_main: false,
            },
            categories: vec![],
            menu: vec![],
        };
        let headers = |host: &str, proto: Option<&str>| {
            let mut h = HeaderMap::new();
            h.insert("host", host.parse().unwrap());
            if let Some(p) = proto {
                h.insert("x-forwarded-proto", p.parse().unwrap());
            }
            h
        };
        let o = |h: &HeaderMap, trust| Origin::of(h, &site, trust).0;
        assert_eq!(
            o(&headers("WWW.so.gddt.vn:8080", None), false),
            "http://www.so.gddt.vn:8080"
        );
        assert_eq!(
            o(&headers("evil.invalid", None), false),
            "http://so.gddt.vn"
        );
        assert_eq!(
            o(&headers("so.gddt.vn", Some("https")), false),
            "http://so.gddt.vn",
            "untrusted proxy"
        );
        assert_eq!(
            o(&headers("so.gddt.vn", Some("https")), true),
            "https://so.gddt.vn"
        );
    }

    #[test]
    fn the_host_of_an_origin() {
        assert_eq!(Origin("http://127.0.0.1:41234".into()).host(), "127.0.0.1");
        assert_eq!(Origin("https://So.gddt.vn".into()).host(), "so.gddt.vn");
        assert_eq!(Origin("http://[::1]:8080".into()).host(), "[::1]");
    }

    #[test]
    fn the_proxy_adds_the_last_forwarded_entry() {
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "1.2.3.4, 10.0.0.7".parse().unwrap());
        assert_eq!(forwarded_client(&h), Some("10.0.0.7"));
    }
}
