//! The demo province: a department and two schools, each on its own host, with
//! articles written by the team and photos generated on the spot. The department
//! also has sub-categories, static pages and a menu with dropdowns; the schools
//! keep the default menu (their categories).
//!
//! It loads only into an empty database, so a real installation is never touched.

mod documents;
mod emulation;
pub mod exam;
mod gallery;
mod images;
mod markup;
mod notices;
mod questions;

use domain::{MenuItem, NewArticle, PageDraft, SafeHtml, SiteSettings};
use serde::Deserialize;
use std::path::Path;
use store::{CategoryEdit, LinkActor, LinkDraft, MediaInput, PlaceDraft, Store};

pub use images::Picture;

/// What can stop the demo from loading.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The store refused a write.
    #[error(transparent)]
    Store(#[from] store::Error),
    /// The bundled content does not parse (a bug in this crate's data).
    #[error("demo content {file}: {message}")]
    Content {
        /// Which file.
        file: &'static str,
        /// What is wrong.
        message: String,
    },
    /// A generated image could not be written.
    #[error("demo image {0}: {1}")]
    Image(String, String),
}

/// One site the demo made.
#[derive(Debug, Clone)]
pub struct LoadedSite {
    /// Site name.
    pub name: String,
    /// Hosts it answers.
    pub hosts: Vec<String>,
    /// Articles written.
    pub articles: usize,
}

#[derive(Deserialize)]
struct SitesFile {
    sites: Vec<SiteDef>,
}

#[derive(Deserialize)]
struct SiteDef {
    key: String,
    #[serde(default)]
    default: bool,
    hosts: Vec<String>,
    colour: [u8; 3],
    settings: SiteSettings,
    categories: Vec<CategoryDef>,
    /// The site's menu; none: the default (its categories).
    #[serde(default)]
    menu: Vec<MenuDef>,
    /// Its links ("Liên kết website"), in order.
    #[serde(default)]
    links: Vec<LinkDef>,
    /// Its weather places ("Thời tiết"), in order.
    #[serde(default)]
    weather: Vec<PlaceDef>,
}

/// A weather place: a name and its coordinates in decimal degrees.
#[derive(Deserialize)]
struct PlaceDef {
    name: String,
    lat: f64,
    lon: f64,
}

/// A link of a site: a logo drawn in `logo`'s colour when given; shared with the
/// sites of the units below.
#[derive(Deserialize)]
struct LinkDef {
    title: String,
    url: String,
    logo: Option<[u8; 3]>,
    #[serde(default)]
    shared: bool,
}

#[derive(Deserialize)]
struct CategoryDef {
    slug: String,
    name: String,
    /// The slug of the (earlier) category it goes under.
    parent: Option<String>,
    #[serde(default)]
    description: String,
}

/// An item of a site's menu: a page, a category or a module's page (one of them),
/// by slug or key; its name when not the target's own; its dropdown.
#[derive(Deserialize)]
struct MenuDef {
    page: Option<String>,
    category: Option<String>,
    module: Option<String>,
    #[serde(default)]
    label: String,
    #[serde(default)]
    children: Vec<MenuDef>,
}

#[derive(Deserialize)]
struct ArticlesFile {
    articles: Vec<ArticleDef>,
    /// The site's static pages.
    #[serde(default)]
    pages: Vec<PageDef>,
}

#[derive(Deserialize)]
struct PageDef {
    slug: String,
    title: String,
    description: String,
    body: String,
}

#[derive(Deserialize)]
struct ArticleDef {
    category: String,
    title: String,
    summary: String,
    published: String,
    updated: Option<String>,
    author: String,
    source: Option<String>,
    #[serde(default)]
    featured: bool,
    #[serde(default)]
    gallery: Vec<String>,
    body: String,
}

const SITES: &str = include_str!("../content/sites.toml");

fn articles_of(key: &str) -> Option<(&'static str, &'static str)> {
    Some(match key {
        "so" => ("so.toml", include_str!("../content/so.toml")),
        "lqd" => ("lqd.toml", include_str!("../content/lqd.toml")),
        "nguyendu" => ("nguyendu.toml", include_str!("../content/nguyendu.toml")),
        _ => return None,
    })
}

fn parse<T: for<'de> Deserialize<'de>>(file: &'static str, text: &str) -> Result<T, Error> {
    toml::from_str(text).map_err(|e| Error::Content {
        file,
        message: e.to_string(),
    })
}

fn time(file: &'static str, s: &str) -> Result<i64, Error> {
    vntext::parse_local_datetime(s).ok_or_else(|| Error::Content {
        file,
        message: format!("unreadable time {s:?}"),
    })
}

/// A menu item as stored: the kinds and targets the web layer's features register
/// ("trang" and "chuyen-muc" by id, "chuc-nang" by key).
fn menu_item(
    def: &MenuDef,
    categories: &std::collections::HashMap<String, domain::CategoryId>,
    pages: &std::collections::HashMap<String, domain::PageId>,
) -> Result<MenuItem, Error> {
    let unknown = |what: &str, slug: &str| Error::Content {
        file: "sites.toml",
        message: format!("menu: unknown {what} {slug}"),
    };
    let (kind, target) = match (&def.page, &def.category, &def.module) {
        (Some(p), None, None) => (
            "trang",
            pages.get(p).ok_or_else(|| unknown("page", p))?.to_string(),
        ),
        (None, Some(c), None) => (
            "chuyen-muc",
            categories
                .get(c)
                .ok_or_else(|| unknown("category", c))?
                .to_string(),
        ),
        (None, None, Some(m)) => ("chuc-nang", m.clone()),
        _ => {
            return Err(Error::Content {
                file: "sites.toml",
                message: "menu: an item names one page, category or module".into(),
            });
        }
    };
    Ok(MenuItem {
        kind: kind.to_owned(),
        target,
        label: def.label.clone(),
        children: def
            .children
            .iter()
            .map(|c| menu_item(c, categories, pages))
            .collect::<Result<_, _>>()?,
    })
}

/// Loads the demo into `store` if it holds no site yet, writing its pictures below
/// `media_dir`. Returns the sites made, or an empty list when the store was not empty.
///
/// `port` is the one the server listens on: the sites link to each other at
/// `http://<key>.localhost:<port>/`, which must be this server to lead anywhere.
///
/// Pictures already present (same name) are reused, so several test databases can
/// share one media folder.
pub async fn load_if_empty(
    store: &Store,
    media_dir: &Path,
    now: i64,
    port: u16,
) -> Result<Vec<LoadedSite>, Error> {
    if !store.is_empty().await? {
        return Ok(Vec::new());
    }
    let sites: SitesFile = parse("sites.toml", SITES)?;
    let mut loaded = Vec::new();
    for def in sites.sites {
        let (file, text) = articles_of(&def.key).ok_or_else(|| Error::Content {
            file: "sites.toml",
            message: format!("no articles for site {}", def.key),
        })?;
        let articles: ArticlesFile = parse(file, text)?;
        let mut settings = def.settings.clone();
        let site_dir = format!("demo/{}", def.key);
        let logo = Picture::Logo { colour: def.colour }
            .ensure(media_dir, &format!("{site_dir}/logo.png"))?;
        let banner = Picture::Banner { colour: def.colour }
            .ensure(media_dir, &format!("{site_dir}/banner.jpg"))?;
        settings.logo_url = Some(format!("/media/{}", logo.path));
        settings.banner_url = Some(format!("/media/{}", banner.path));
        if settings.trust_badge_url.is_some() {
            let badge =
                Picture::Badge.ensure(media_dir, &format!("{site_dir}/tin-nhiem-mang.png"))?;
            settings.trust_badge_image = Some(format!("/media/{}", badge.path));
        }
        let site = store
            .create_site(&def.key, def.default, &def.hosts, &settings, now)
            .await?;
        let mut categories = std::collections::HashMap::new();
        for c in &def.categories {
            let parent = match &c.parent {
                Some(p) => Some(*categories.get(p).ok_or_else(|| Error::Content {
                    file: "sites.toml",
                    message: format!("category {}: unknown parent {p}", c.slug),
                })?),
                None => None,
            };
            let edit = CategoryEdit {
                name: &c.name,
                slug: &c.slug,
                description: &c.description,
                parent,
                hidden: false,
            };
            categories.insert(
                c.slug.clone(),
                store.create_category_with(site, &edit).await?,
            );
        }
        let mut pages = std::collections::HashMap::new();
        for p in &articles.pages {
            let draft = PageDraft {
                slug: p.slug.clone(),
                title: p.title.clone(),
                description: p.description.clone(),
                body: SafeHtml::sanitize(&markup::to_html(&p.body, |_| {
                    Err(Error::Content {
                        file,
                        message: format!("page {}: pages have no photos", p.slug),
                    })
                })?),
                published: true,
            };
            pages.insert(
                p.slug.clone(),
                store.create_page(site, &draft, None, now).await?,
            );
        }
        if !def.menu.is_empty() {
            let menu = def
                .menu
                .iter()
                .map(|m| menu_item(m, &categories, &pages))
                .collect::<Result<Vec<_>, _>>()?;
            store
                .save_site_menu(site, 0, Some(&menu), None, String::new(), now)
                .await?;
        }
        for (n, l) in def.links.iter().enumerate() {
            let logo = match l.logo {
                Some(colour) => {
                    let img = Picture::Logo { colour }
                        .ensure(media_dir, &format!("{site_dir}/lien-ket-{}.png", n + 1))?;
                    // A logo is small: its one size is itself (the media library
                    // then has nothing to add for it).
                    let only = domain::ImageSize {
                        path: img.path.clone(),
                        width: img.width,
                        height: img.height,
                        mime: "image/png".into(),
                    };
                    let input = MediaInput {
                        site_id: site,
                        path: img.path,
                        thumb_path: None,
                        mime: "image/png".into(),
                        width: img.width,
                        height: img.height,
                        bytes: img.bytes,
                        kind: "image".into(),
                        original_name: String::new(),
                        sizes: vec![only],
                        uploaded_by: None,
                    };
                    Some(store.create_media(&input, now).await?.0)
                }
                None => None,
            };
            let draft = LinkDraft {
                title: l.title.clone(),
                url: l.url.replace("{port}", &port.to_string()),
                logo,
                starts_at: None,
                ends_at: None,
                shared: l.shared,
            };
            let who = LinkActor {
                site,
                by: None,
                ip: "",
            };
            store.create_link(who, &draft, now).await?;
        }
        if !def.weather.is_empty() {
            let places: Vec<PlaceDraft> = def
                .weather
                .iter()
                .map(|p| PlaceDraft {
                    id: None,
                    name: p.name.clone(),
                    lat_e6: (p.lat * 1_000_000.0).round() as i64,
                    lon_e6: (p.lon * 1_000_000.0).round() as i64,
                })
                .collect();
            store
                .save_weather_places(site, &places, None, "", now)
                .await?;
        }
        let record = |img: images::Written| MediaInput {
            site_id: site,
            path: img.path,
            thumb_path: img.thumb_path,
            mime: "image/jpeg".into(),
            width: img.width,
            height: img.height,
            bytes: img.bytes,
            kind: "image".into(),
            original_name: String::new(),
            sizes: img.sizes,
            uploaded_by: None,
        };
        for (n, a) in articles.articles.iter().enumerate() {
            let n = n + 1;
            let category = *categories.get(&a.category).ok_or_else(|| Error::Content {
                file,
                message: format!("article {n}: unknown category {}", a.category),
            })?;
            let seed = (u64::from(def.colour[0]) << 16) ^ (n as u64 * 7919);
            let cover = Picture::Scene { seed }.ensure_with_sizes(
                media_dir,
                &format!("{site_dir}/bai-{n}.jpg"),
                images::COVER,
                &images::COVER_WIDTHS,
            )?;
            let cover_id = store.create_media(&record(cover), now).await?;
            let mut figure_no = 0;
            let mut figures = Vec::new();
            let html = markup::to_html(&a.body, |caption| {
                figure_no += 1;
                let path = format!("{site_dir}/bai-{n}-anh-{figure_no}.jpg");
                let img = Picture::Scene {
                    seed: seed + figure_no * 31,
                }
                .ensure_with_sizes(
                    media_dir,
                    &path,
                    images::SCENE,
                    &images::PHOTO_WIDTHS,
                )?;
                figures.push(record(img.clone()));
                Ok::<_, Error>(format!(
                    r#"<figure><img src="/media/{}" alt="{}" width="{}" height="{}"><figcaption>{}</figcaption></figure>"#,
                    img.path,
                    markup::escape(caption),
                    img.width,
                    img.height,
                    markup::escape(caption)
                ))
            })?;
            for f in &figures {
                store.create_media(f, now).await?;
            }
            let mut gallery = Vec::new();
            for (g, caption) in a.gallery.iter().enumerate() {
                let path = format!("{site_dir}/bai-{n}-thu-vien-{}.jpg", g + 1);
                let img = Picture::Scene {
                    seed: seed + 1000 + g as u64 * 17,
                }
                .ensure_with_sizes(
                    media_dir,
                    &path,
                    images::SCENE,
                    &images::PHOTO_WIDTHS,
                )?;
                gallery.push((
                    store.create_media(&record(img), now).await?,
                    vntext::clean_line(caption),
                ));
            }
            let mut new = NewArticle::new(
                site,
                category,
                &a.title,
                &a.summary,
                SafeHtml::sanitize(&html),
                time(file, &a.published)?,
            );
            new.author = vntext::clean_line(&a.author);
            new.source = a.source.as_deref().map(vntext::clean_line);
            new.featured = a.featured;
            new.cover = Some(cover_id);
            new.updated_at = a.updated.as_deref().map(|u| time(file, u)).transpose()?;
            new.gallery = gallery;
            store.create_article(&new, now).await?;
        }
        if def.default {
            questions::load(store, site).await?;
        }
        gallery::load(
            store,
            media_dir,
            site,
            &def.key,
            u64::from(def.colour[0]) << 16,
            now,
        )
        .await?;
        loaded.push(LoadedSite {
            name: settings.name.clone(),
            hosts: def.hosts.clone(),
            articles: articles.articles.len(),
        });
    }
    load_units(store, now).await?;
    notices::load(store, now).await?;
    documents::load(store, now).await?;
    emulation::load(store, now).await?;
    questions::load_waiting(store, now).await?;
    Ok(loaded)
}

/// The department re-publishes the newest article of each school with a site in
/// its "Tin các trường", as a link-back copy (loaded by `serve` only, with the
/// exam session: the tests' demo keeps its counts).
pub async fn republish(store: &Store, now: i64) -> Result<(), Error> {
    let sites = store.sites().await?;
    let Some(so) = sites.iter().find(|s| s.key == "so") else {
        return Ok(());
    };
    let Some(category) = store.category_by_slug(so.id, "tin-cac-truong").await? else {
        return Ok(());
    };
    for (key, name) in [
        ("lqd", "Trường THPT Chuyên Lê Quý Đôn"),
        ("nguyendu", "Trường THCS Nguyễn Du"),
    ] {
        let Some(school) = sites.iter().find(|s| s.key == key) else {
            continue;
        };
        if let Some(newest) = store.latest(school.id, now, 1).await?.into_iter().next() {
            let r = store::Republish {
                site: so.id,
                category: category.id,
                origin: newest.id,
                origin_site: school.id,
                source: name,
                by: None,
                ip: "",
            };
            store.republish_article(&r, now).await?;
        }
    }
    Ok(())
}

/// The demo province's units, three levels deep: the department; under it an
/// office, two communes and the upper-secondary school; under a commune a lower-
/// secondary school (with its site) and a primary school (without one yet).
/// (name, key, kind, parent key, the demo site it runs).
const UNITS: [(&str, &str, &str, &str, Option<&str>); 8] = [
    (
        "Sở Giáo dục và Đào tạo tỉnh Bình An",
        "so",
        "so",
        "",
        Some("so"),
    ),
    (
        "Phòng Giáo dục Trung học",
        "phong-gdtrh",
        "phong",
        "so",
        None,
    ),
    ("Phường Lê Lợi", "phuong-le-loi", "xa-phuong", "so", None),
    ("Xã Tân Phú", "xa-tan-phu", "xa-phuong", "so", None),
    (
        "Trường THPT Chuyên Lê Quý Đôn",
        "lqd",
        "thpt",
        "so",
        Some("lqd"),
    ),
    (
        "Trường THCS Nguyễn Du",
        "nguyendu",
        "thcs",
        "phuong-le-loi",
        Some("nguyendu"),
    ),
    (
        "Trường Tiểu học Kim Đồng",
        "th-kim-dong",
        "tieu-hoc",
        "phuong-le-loi",
        None,
    ),
    (
        "Trường Mầm non Hoa Sen",
        "mn-hoa-sen",
        "mam-non",
        "xa-tan-phu",
        None,
    ),
];

async fn load_units(store: &Store, now: i64) -> Result<(), Error> {
    let drafts: Vec<store::UnitDraft> = UNITS
        .iter()
        .map(|(name, key, kind, parent, _)| store::UnitDraft {
            name: (*name).to_owned(),
            key: (*key).to_owned(),
            kind: (*kind).to_owned(),
            parent: (*parent).to_owned(),
            ..Default::default()
        })
        .collect();
    let units = store
        .prepare_units(&drafts)
        .await?
        .map_err(|problems| Error::Content {
            file: "units",
            message: format!("{problems:?}"),
        })?;
    let note = store::AuditNote {
        user: None,
        action: "",
        ip: store::COMMAND_LINE,
    };
    let ids = store.create_units(&units, None, note, now).await?;
    let sites = store.sites().await?;
    for ((_, _, _, _, site_key), id) in UNITS.iter().zip(ids) {
        if let Some(site) = site_key.and_then(|k| sites.iter().find(|s| s.key == k)) {
            store.attach_site(id, site.id).await?;
        }
    }
    Ok(())
}
