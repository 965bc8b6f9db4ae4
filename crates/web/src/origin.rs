//! The scheme and host a request came in on, for absolute URLs (feeds, sitemaps,
//! canonical links, link previews).

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use std::convert::Infallible;

/// `http://host[:port]` or `https://…` as the reader typed it.
#[derive(Debug, Clone)]
pub(crate) struct Origin(pub String);

impl Origin {
    /// An absolute URL for a path of this site.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.0)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Origin {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .filter(|h| is_plain_host(h))
            .unwrap_or("localhost");
        // A TLS-terminating proxy says so; only the two known values are taken.
        let scheme = match parts
            .headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
        {
            Some("https") => "https",
            _ => "http",
        };
        Ok(Origin(format!("{scheme}://{}", host.to_ascii_lowercase())))
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
    use super::is_plain_host;

    #[test]
    fn hosts_that_could_inject_are_refused() {
        assert!(is_plain_host("so.localhost:8080"));
        assert!(is_plain_host("[::1]:8080"));
        assert!(!is_plain_host("evil.com/\"><script>"));
        assert!(!is_plain_host("a b"));
        assert!(!is_plain_host(""));
    }
}
