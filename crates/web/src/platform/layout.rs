//! The page around every page: the layout (header, menu, side blocks, footer
//! identity), the back office's chrome, pictures, the pager, select options and
//! the error page, as view models: rows turned into ready-to-print strings
//! (dates in Vietnamese time, URLs), so templates hold no logic beyond loops and
//! conditions.

use crate::AppState;
use crate::platform::menu::NavItem;
use crate::platform::parts::Place;
use crate::platform::site::SiteCtx;
use askama::Template;
use domain::{MediaRef, Pager, SiteSettings};

/// What the layout around every page shows.
pub(crate) struct Layout {
    pub page_title: String,
    pub site_name: String,
    pub tagline: String,
    pub logo_url: Option<String>,
    pub banner_url: Option<String>,
    pub menu: Vec<MenuLink>,
    pub home_active: bool,
    pub identity: SiteSettings,
    /// The features' side blocks and footer bands (`Parts::page_part`), as HTML.
    pub side_top_parts: Vec<String>,
    pub side_parts: Vec<String>,
    pub footer_parts: Vec<String>,
    pub description: String,
    pub css_url: String,
    pub js_url: String,
    /// The page's own address, for `<link rel="canonical">`.
    pub canonical: Option<String>,
    /// Link-preview tags (Zalo, Facebook, Twitter).
    pub preview: Option<Preview>,
    /// JSON-LD for search engines, already safe to place in a `<script>` element.
    pub json_ld: Option<String>,
    /// The date box's value as the site writes dates, `dd/mm/yyyy` (empty: none
    /// chosen). Pages do not show today's date, so that a cached page stays right
    /// across midnight.
    pub date_value: String,
    /// The date box holds something that is no date (its page says why).
    pub date_invalid: bool,
    /// What the header's search box shows (the query, on the search page).
    pub search_value: String,
    /// "Đang online", "Hôm nay", "Tổng truy cập" when the page was rendered; the
    /// page's script refreshes them, so a cached page does not freeze them.
    pub online: String,
    pub today_visits: String,
    pub total_visits: String,
}

/// What a link pasted into Zalo or Facebook shows.
pub(crate) struct Preview {
    pub kind: &'static str,
    pub title: String,
    pub description: String,
    pub url: String,
    pub image: Option<String>,
    pub published_iso: Option<String>,
    pub modified_iso: Option<String>,
}

/// An item of the main menu as a page shows it.
pub(crate) struct MenuLink {
    pub name: String,
    /// None: a heading that only opens its dropdown.
    pub url: Option<String>,
    /// This page.
    pub active: bool,
    /// This page is in its dropdown.
    pub in_section: bool,
    /// The id of its dropdown's list.
    pub sub_id: String,
    pub children: Vec<MenuLink>,
}

impl MenuLink {
    fn new(item: &NavItem, id: String, active: Option<&str>) -> MenuLink {
        let children: Vec<MenuLink> = item
            .children
            .iter()
            .enumerate()
            .map(|(i, c)| MenuLink::new(c, format!("{id}-{i}"), active))
            .collect();
        MenuLink {
            name: item.label.clone(),
            active: item.url.is_some() && item.url.as_deref() == active,
            in_section: children.iter().any(|c| c.active),
            url: item.url.clone(),
            sub_id: id,
            children,
        }
    }
}

impl Layout {
    /// The layout of `site` for a page titled `title`; `active` is the path of the
    /// menu entry to mark (`Some("/")` for the home page).
    pub fn new(
        state: &AppState,
        site: Option<&SiteCtx>,
        title: &str,
        active: Option<&str>,
    ) -> Layout {
        let figures = site
            .map(|s| state.counters.figures(s.site.id, crate::now()))
            .unwrap_or_default();
        let settings = site.map(|s| s.site.settings.clone()).unwrap_or_default();
        let site_name = if settings.name.is_empty() {
            "Cổng thông tin điện tử".to_owned()
        } else {
            settings.name.clone()
        };
        let page_title = if title.is_empty() || title == site_name {
            site_name.clone()
        } else {
            format!("{title} – {site_name}")
        };
        Layout {
            page_title,
            tagline: settings.tagline.clone(),
            logo_url: settings.logo_url.clone(),
            banner_url: settings.banner_url.clone(),
            menu: site
                .map(|s| {
                    s.menu
                        .iter()
                        .enumerate()
                        .map(|(i, item)| MenuLink::new(item, format!("menu-con-{i}"), active))
                        .collect()
                })
                .unwrap_or_default(),
            home_active: active == Some("/"),
            side_top_parts: site
                .map(|s| state.page_parts(Place::SideTop, s))
                .unwrap_or_default(),
            side_parts: site
                .map(|s| state.page_parts(Place::Side, s))
                .unwrap_or_default(),
            footer_parts: site
                .map(|s| state.page_parts(Place::Footer, s))
                .unwrap_or_default(),
            description: if settings.tagline.is_empty() {
                site_name.clone()
            } else {
                format!("{} {}", settings.tagline, site_name)
            },
            identity: settings,
            site_name,
            css_url: crate::platform::assets::url("app.css"),
            js_url: crate::platform::assets::url("app.js"),
            canonical: None,
            preview: None,
            json_ld: None,
            date_value: String::new(),
            date_invalid: false,
            search_value: String::new(),
            online: vntext::format_number(figures.online),
            today_visits: vntext::format_number(figures.today),
            total_visits: vntext::format_number(figures.total),
        }
    }

    /// Sets the canonical address (absolute).
    pub fn canonical(mut self, url: String) -> Layout {
        self.canonical = Some(url);
        self
    }
}

/// JSON for a `<script type="application/ld+json">` element: `</` cannot end the element early.
pub(crate) fn json_for_script(value: &serde_json::Value) -> String {
    // Outside string literals JSON has none of these; inside, the escapes mean the same.
    value
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

/// An image as a template prints it.
pub(crate) struct Img {
    pub src: String,
    pub full: String,
    pub width: i64,
    pub height: i64,
    /// The stored sizes, for `srcset` (empty for images without them).
    pub srcset: String,
}

impl Img {
    pub fn thumb(m: &MediaRef) -> Img {
        let stored = m
            .sizes
            .iter()
            .find(|s| Some(&s.path) == m.thumb_path.as_ref());
        let (width, height) = match (stored, &m.thumb_path) {
            (Some(s), _) => (s.width, s.height),
            // A thumbnail of unknown size keeps the picture's frame at 320 px.
            (None, Some(_)) => (320, 320 * m.height / m.width.max(1)),
            (None, None) => (m.width, m.height),
        };
        Img {
            src: m.thumb_url(),
            full: m.url(),
            width,
            height,
            srcset: m.srcset(m.main_mime()),
        }
    }
}

/// A machine-readable time for `<time datetime>`, in Vietnamese time with offset.
pub(crate) fn iso(unix: i64) -> String {
    vntext::local(unix)
        .strftime("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

/// One link of the pagination bar.
pub(crate) struct PageLink {
    pub label: String,
    pub href: String,
    pub current: bool,
    pub aria: String,
}

/// The pagination bar: "Trang đầu 1 2 3 4 5 Trang sau Trang cuối".
pub(crate) struct PagerView {
    pub links: Vec<PageLink>,
}

impl PagerView {
    /// Links for `pager` on `base` (a path); `anchor` is appended (e.g. "#tin-lien-quan").
    pub fn new(pager: &Pager, base: &str, anchor: &str) -> Option<PagerView> {
        if !pager.has_pages() {
            return None;
        }
        // A base that has a query string already (filters) gets `&trang=`.
        let sep = if base.contains('?') { '&' } else { '?' };
        let href = |n: u32| {
            if n == 1 {
                format!("{base}{anchor}")
            } else {
                format!("{base}{sep}trang={n}{anchor}")
            }
        };
        let mut links = Vec::new();
        if pager.current > 1 {
            links.push(PageLink {
                label: "Trang đầu".into(),
                href: href(1),
                current: false,
                aria: "Trang đầu".into(),
            });
        }
        for &n in &pager.window {
            links.push(PageLink {
                label: n.to_string(),
                href: href(n),
                current: n == pager.current,
                aria: format!("Trang {n}"),
            });
        }
        if pager.current < pager.last {
            links.push(PageLink {
                label: "Trang sau".into(),
                href: href(pager.current + 1),
                current: false,
                aria: "Trang sau".into(),
            });
            links.push(PageLink {
                label: "Trang cuối".into(),
                href: href(pager.last),
                current: false,
                aria: format!("Trang cuối (trang {})", pager.last),
            });
        }
        Some(PagerView { links })
    }
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
pub(crate) fn percent_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[derive(Template)]
#[template(path = "platform/error.html")]
pub(crate) struct ErrorTemplate {
    pub layout: Layout,
    pub title: &'static str,
    pub message: &'static str,
    pub status: u16,
}

/// RFC 2822 time, as RSS wants it, in Vietnamese time.
pub(crate) fn rfc2822(unix: i64) -> String {
    vntext::local(unix)
        .strftime("%a, %d %b %Y %H:%M:%S %z")
        .to_string()
}

/// W3C datetime for sitemaps.
pub(crate) fn w3c(unix: i64) -> String {
    iso(unix)
}

/// What the back office's layout shows around every page.
pub(crate) struct AdminChrome {
    pub title: String,
    pub site_name: String,
    pub css_url: String,
    /// The signed-in user's login name; none on the login page.
    pub user_name: Option<String>,
    /// A super-administrator (who manages units and sites).
    pub is_super: bool,
    pub csrf: String,
    /// Whether the signed-in person works on more than one site: the header then
    /// links to the list of them ("Trang bạn quản lý" on the dashboard).
    pub many_sites: bool,
    /// Extra stylesheets and scripts (the editor's), by URL. The stylesheets are
    /// linked before app.css, so that our rules (the editor's Vietnamese labels
    /// among them) win over a vendored stylesheet's rules of equal specificity.
    pub styles: Vec<String>,
    pub scripts: Vec<String>,
}

impl AdminChrome {
    /// The chrome of a page titled `title` on `site` for a signed-in `session`.
    pub fn new(
        title: &str,
        site: &crate::platform::site::SiteCtx,
        session: &store::SessionInfo,
    ) -> AdminChrome {
        AdminChrome {
            title: title.to_owned(),
            site_name: site.site.settings.name.clone(),
            css_url: crate::platform::assets::url("app.css"),
            user_name: Some(session.user.username.clone()),
            is_super: session.user.is_super,
            csrf: session.csrf_token.clone(),
            many_sites: works_on_many_sites(&session.user),
            styles: Vec::new(),
            scripts: Vec::new(),
        }
    }

    /// With the rich-text editor (Quill and `admin.js`), which takes over every
    /// `textarea[data-editor]` of the page (`platform/rich_text.html`).
    pub fn with_editor(mut self) -> AdminChrome {
        self.styles
            .push(crate::platform::assets::url("quill.snow.css"));
        self.scripts.push(crate::platform::assets::url("quill.js"));
        self.scripts.push(crate::platform::assets::url("admin.js"));
        self
    }
}

/// Whether `user` works on more than one site (a super-administrator works on all).
pub(crate) fn works_on_many_sites(user: &domain::User) -> bool {
    user.is_super || user.roles.len() > 1
}

/// An `<option>` of a `<select>`.
pub(crate) struct SelectOption {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

impl SelectOption {
    /// An option, selected when its value is `current`.
    pub fn new(value: String, label: String, current: &str) -> SelectOption {
        SelectOption {
            selected: value == current,
            value,
            label,
        }
    }
}
