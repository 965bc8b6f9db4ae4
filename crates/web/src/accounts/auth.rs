//! Passwords, tokens and sessions for the back office.
//!
//! Passwords are argon2id hashes (`domain::password`, shared with the command line). A session is a random token in an HttpOnly
//! cookie; the database keeps only the token's SHA-256, so a leaked database does
//! not open sessions. Every form carries a CSRF token: the session's own once
//! signed in, and before that (the login form) a random one that must match a
//! cookie (double submit).

use axum::http::{HeaderMap, HeaderValue, header};
use sha2::{Digest, Sha256};

pub use domain::password::{dummy_hash, generate_password, hash_password, verify_password};

/// A signed-in session lasts a working day and a half.
pub const SESSION_SECONDS: i64 = 12 * 3600;
/// The cookie that carries the login form's CSRF token before there is a session.
pub const LOGIN_CSRF_COOKIE: &str = "ep_csrf";
/// The cookie of a login whose password was right and whose two-step code is
/// still to come (see `admin::totp`).
pub const PENDING_COOKIE: &str = "ep_xacthuc";
/// How long the code may take to arrive.
pub const PENDING_SECONDS: i64 = 5 * 60;
/// Failed logins that lock an account or an address …
pub const LOCK_AFTER_FAILURES: usize = 5;
/// … within this many seconds …
pub const FAILURE_WINDOW: i64 = 5 * 60;
/// … for this long after the last failure.
pub const LOCK_SECONDS: i64 = 15 * 60;

/// 32 random bytes, hex: session tokens and CSRF tokens.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::getrandom(&mut bytes).expect("the operating system's random source");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// SHA-256 of a token, hex: what the database keeps.
pub fn token_hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Compares two tokens in time that does not depend on where they differ.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A cookie's value from the request headers.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Path=/, Secure behind HTTPS.
pub fn set_cookie(name: &str, value: &str, max_age: i64, secure: bool) -> HeaderValue {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    ))
    .unwrap_or(HeaderValue::from_static(""))
}

/// Whether the request came over HTTPS (directly or through a proxy that says so).
pub fn is_https(headers: &HeaderMap) -> bool {
    headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// Where to go after logging in: only a path of our own back office.
pub fn safe_next(raw: Option<&str>) -> String {
    match raw {
        Some(p) if p.starts_with("/quan-tri") && !p.contains("//") && !p.contains('\\') => {
            p.to_owned()
        }
        _ => "/quan-tri".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_and_verify() {
        let h = hash_password("mùa thu Hà Nội 2026");
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify_password("mùa thu Hà Nội 2026", &h));
        assert!(!verify_password("mùa thu Hà Nội 2025", &h));
        assert!(!verify_password("x", "not a hash"));
        assert_ne!(hash_password("a"), hash_password("a"), "salted");
    }

    #[test]
    fn tokens() {
        let t = random_token();
        assert_eq!(t.len(), 64);
        assert_ne!(t, random_token());
        assert_eq!(token_hash("abc").len(), 64);
        assert!(same_token("abc", "abc"));
        assert!(!same_token("abc", "abd"));
        assert!(!same_token("abc", "abcd"));
        let p = generate_password();
        assert_eq!(p.chars().count(), 16);
        assert!(!p.contains(['0', 'O', '1', 'l', 'I']));
    }

    #[test]
    fn next_pages_stay_in_the_back_office() {
        assert_eq!(
            safe_next(Some("/quan-tri/doi-mat-khau")),
            "/quan-tri/doi-mat-khau"
        );
        assert_eq!(safe_next(Some("https://evil.example/")), "/quan-tri");
        assert_eq!(safe_next(Some("/quan-tri//evil.example")), "/quan-tri");
        assert_eq!(safe_next(None), "/quan-tri");
    }
}
