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
    /// The host names the site answers, lower-case, without port.
    pub hosts: Vec<String>,
    /// What the pages show: name, identity, links.
    pub settings: SiteSettings,
}

/// A link in the "Liên kết website" block.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WebLink {
    /// Text shown.
    pub title: String,
    /// Where it goes.
    pub url: String,
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
    /// Links to the sector's systems and other sites.
    pub links: Vec<WebLink>,
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
    fn hosts_are_normalised() {
        assert_eq!(normalize_host("So.Localhost:8080"), "so.localhost");
        assert_eq!(normalize_host("example.edu.vn."), "example.edu.vn");
        assert_eq!(normalize_host("[::1]:8080"), "[::1]");
        assert_eq!(normalize_host("127.0.0.1"), "127.0.0.1");
    }

    #[test]
    fn settings_tolerate_missing_keys() {
        let s: SiteSettings = serde_json::from_str(r#"{"name":"Trường THCS"}"#).unwrap();
        assert_eq!(s.name, "Trường THCS");
        assert!(s.links.is_empty());
    }
}
