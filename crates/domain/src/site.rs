//! Sites and their settings: one installation serves a department and its schools,
//! each on its own host name.

use crate::SiteId;
use serde::{Deserialize, Serialize};

/// A site of the installation, chosen by the request's Host.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    /// Id.
    pub id: SiteId,
    /// Short stable key used by the CLI and the demo ("so", "lqd").
    pub key: String,
    /// Whether this site answers hosts that no site claims.
    pub is_default: bool,
    /// The host names the site answers, lower-case, without port; the first is
    /// its main address, used in links.
    pub hosts: Vec<String>,
    /// What the pages show: name, identity, links.
    pub settings: SiteSettings,
    /// Suspended: every page answers "tạm ngừng hoạt động" (503); data is kept.
    pub suspended: bool,
    /// The other hosts answer 301 to the main one.
    pub redirect_to_main: bool,
}

impl Site {
    /// The host links and redirects use: the first of its hosts.
    pub fn main_host(&self) -> Option<&str> {
        self.hosts.first().map(String::as_str)
    }
}

/// What a site shows about itself, including the identity that Decree 42/2022/NĐ-CP
/// asks a state portal to print in its footer.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct SiteSettings {
    /// Full name, e.g. "Sở Giáo dục và Đào tạo tỉnh Bình An".
    pub name: String,
    /// A line under the name, e.g. "Cổng thông tin điện tử".
    pub tagline: String,
    /// URL of the logo image.
    pub logo_url: Option<String>,
    /// URL of the banner image behind the header.
    pub banner_url: Option<String>,
    /// The media row the logo was chosen from in the back office, if it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub logo_media_id: Option<i64>,
    /// The media row the banner was chosen from in the back office, if it was.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub banner_media_id: Option<i64>,
    /// Cơ quan chủ quản: the governing agency.
    pub governing_agency: String,
    /// Cơ quan quản lý / đơn vị vận hành: the agency that manages the portal.
    pub managing_agency: String,
    /// Postal address.
    pub address: String,
    /// Phone.
    pub phone: String,
    /// Fax.
    pub fax: String,
    /// E-mail.
    pub email: String,
    /// Người chịu trách nhiệm nội dung: the person responsible for content.
    pub responsible_person: String,
    /// Licence for the portal (giấy phép), when it has one.
    pub licence: Option<String>,
    /// A trust badge's link (e.g. the national trust network), when the site has one.
    pub trust_badge_url: Option<String>,
    /// The badge's image URL.
    pub trust_badge_image: Option<String>,
}

/// Longest site name accepted, in characters.
pub const MAX_SITE_NAME_CHARS: usize = 200;

impl SiteSettings {
    /// What is wrong with these settings, as Vietnamese messages for the form
    /// (empty when they may be saved). Text is expected already cleaned
    /// (`vntext::clean_line`).
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.name.is_empty() {
            out.push("Vui lòng nhập tên trang (tên cơ quan hoặc nhà trường).".to_owned());
        } else if self.name.chars().count() > MAX_SITE_NAME_CHARS {
            out.push(format!(
                "Tên trang dài quá {MAX_SITE_NAME_CHARS} ký tự; hãy rút gọn."
            ));
        }
        if !self.email.is_empty() && !is_email(&self.email) {
            out.push(format!(
                "Thư điện tử “{}” không đúng dạng; ví dụ đúng: vanphong@binhan.edu.vn.",
                self.email
            ));
        }
        for (value, what) in [(&self.phone, "Điện thoại"), (&self.fax, "Fax")] {
            if !value.is_empty() && !is_phone(value) {
                out.push(format!(
                    "{what} “{value}” chỉ được gồm chữ số, dấu cách và các dấu + ( ) . -"
                ));
            }
        }
        if let Some(url) = &self.trust_badge_url
            && !is_web_url(url)
        {
            out.push(format!(
                "Liên kết chứng nhận tín nhiệm mạng “{url}” phải bắt đầu bằng http:// hoặc https://."
            ));
        }
        out
    }
}

/// A plausible e-mail address: one `@`, something before it, a dotted domain after,
/// no spaces. Whether it receives mail is not for a form to decide.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.contains('@')
        && !s
            .chars()
            .any(|c| c.is_whitespace() || matches!(c, '<' | '>' | ',' | ';' | '"'))
        && domain.contains('.')
        && domain.split('.').all(|label| {
            !label.is_empty()
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label.chars().all(|c| c.is_alphanumeric() || c == '-')
        })
}

fn is_phone(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '(' | ')' | '.' | '-'))
}

/// An absolute `http://` or `https://` address with a host.
pub fn is_web_url(s: &str) -> bool {
    let lower = s.to_ascii_lowercase();
    let rest = lower
        .strip_prefix("https://")
        .or_else(|| lower.strip_prefix("http://"));
    rest.is_some_and(|r| {
        let host = r.split(['/', '?', '#']).next().unwrap_or("");
        !host.is_empty() && !s.chars().any(char::is_whitespace)
    })
}

/// A path on the same site ("/tin-tuc/thong-bao"), not a protocol-relative `//host`.
pub fn is_local_path(s: &str) -> bool {
    s.starts_with('/') && !s.starts_with("//") && !s.chars().any(char::is_whitespace)
}

/// A host name as a site may claim it: lower-case ASCII, with an international
/// name ("trường-lêlợi.edu.vn") in its punycode form ("xn--…"), which is how the
/// Host header carries it. Refused with a Vietnamese message: a scheme, a port, a
/// path, spaces, or a name that is not a valid domain. `localhost` and IPv4
/// addresses are accepted (for a first install reached by address).
pub fn check_host(input: &str) -> Result<String, String> {
    let typed = input.trim();
    if typed.is_empty() {
        return Err("Tên miền không được để trống.".to_owned());
    }
    let bad = || {
        format!(
            "Tên miền “{typed}” không hợp lệ: chỉ ghi tên, không có http://, cổng hay đường dẫn; ví dụ thpt-leloi.binhan.edu.vn."
        )
    };
    if typed.contains("://")
        || typed.contains(['/', ':', '?', '#', '@', '\\'])
        || typed.chars().any(char::is_whitespace)
    {
        return Err(bad());
    }
    let name = typed.trim_end_matches('.');
    if name.parse::<std::net::Ipv4Addr>().is_ok() {
        return Ok(name.to_owned());
    }
    let ascii = idna::domain_to_ascii_strict(name).map_err(|_| bad())?;
    if ascii.is_empty() || ascii.len() > 253 {
        return Err(bad());
    }
    let labels_ok = ascii.split('.').all(|l| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
    });
    // A name of numbers alone is an address, and a wrong one.
    let all_digits = ascii.bytes().all(|b| b.is_ascii_digit() || b == b'.');
    if !labels_ok || all_digits {
        return Err(bad());
    }
    Ok(ascii)
}

/// Lower-cases a Host header value and strips its port and a trailing dot.
pub fn normalize_host(host: &str) -> String {
    let host = host.trim();
    let without_port = if host.starts_with('[') {
        // An IPv6 literal: keep the brackets, drop the port after them.
        host.split_inclusive(']').next().unwrap_or(host)
    } else {
        host.split(':').next().unwrap_or(host)
    };
    without_port.trim_end_matches('.').to_ascii_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names_are_checked_and_kept_in_punycode() {
        assert_eq!(
            check_host(" THPT-LeLoi.BinhAn.edu.vn. ").unwrap(),
            "thpt-leloi.binhan.edu.vn"
        );
        assert_eq!(check_host("localhost").unwrap(), "localhost");
        assert_eq!(check_host("127.0.0.1").unwrap(), "127.0.0.1");
        let idn = check_host("Lêlợi.vn").unwrap();
        assert!(idn.starts_with("xn--") && idn.ends_with(".vn"), "{idn}");
        for bad in [
            "",
            "http://a.vn",
            "a.vn:8080",
            "a.vn/tin",
            "a b.vn",
            "-a.vn",
            "a..vn",
            "a_b.vn",
            "999.1.1.1",
        ] {
            assert!(check_host(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn hosts_are_normalised() {
        assert_eq!(normalize_host("So.Localhost:8080"), "so.localhost");
        assert_eq!(normalize_host("example.edu.vn."), "example.edu.vn");
        assert_eq!(normalize_host("[::1]:8080"), "[::1]");
        assert_eq!(normalize_host("127.0.0.1"), "127.0.0.1");
    }

    #[test]
    fn settings_problems_are_told_in_vietnamese() {
        let ok = SiteSettings {
            name: "Trường THCS Nguyễn Du".into(),
            email: "thcs.nguyendu@binhan.edu.vn".into(),
            phone: "(0251) 3.822.123".into(),
            trust_badge_url: Some("https://tinnhiemmang.vn/danh-ba-tin-nhiem".into()),
            ..SiteSettings::default()
        };
        assert!(ok.problems().is_empty(), "{:?}", ok.problems());
        let bad = SiteSettings {
            name: String::new(),
            email: "vanphong@".into(),
            fax: "gọi ngay".into(),
            trust_badge_url: Some("javascript:alert(1)".into()),
            ..ok
        };
        let problems = bad.problems();
        assert_eq!(problems.len(), 4, "{problems:?}");
        assert!(problems[0].contains("tên trang"));
        assert!(problems[1].contains("“vanphong@”"));
        assert!(problems[2].starts_with("Fax"));
        assert!(problems[3].contains("“javascript:alert(1)”"));
    }

    #[test]
    fn emails_and_urls() {
        assert!(is_email("a.b@so.binhan.edu.vn"));
        for bad in ["a@b", "@b.vn", "a b@c.vn", "a@b..vn", "a@@b.vn", "a@-b.vn"] {
            assert!(!is_email(bad), "{bad}");
        }
        assert!(is_web_url("https://moet.gov.vn/"));
        assert!(!is_web_url("https://"));
        assert!(!is_web_url("ftp://x.vn"));
        assert!(!is_local_path("//evil.example"));
    }

    #[test]
    fn settings_tolerate_missing_keys() {
        let s: SiteSettings = serde_json::from_str(r#"{"name":"Trường THCS"}"#).unwrap();
        assert_eq!(s.name, "Trường THCS");
        // Sites saved before issue 15 kept their links here; they are ignored now.
        let old: SiteSettings =
            serde_json::from_str(r#"{"name":"Trường","links":[{"title":"A","url":"/"}]}"#).unwrap();
        assert_eq!(old.name, "Trường");
    }
}
