//! What machines read: RSS 2.0 feeds, the sitemap and robots.txt, plus the "RSS"
//! page that lists the feeds for people.

use crate::articles::views::{FeedLink, RssPageTemplate};
use crate::platform::feeds::{Channel, FeedItem, SitemapEntry};
use crate::platform::layout::{Layout, w3c};
use crate::platform::origin::Origin;
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState, now};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::header;
use axum::response::{Html, IntoResponse, Response};
use domain::ArticleCard;

/// Items per feed.
const FEED_ITEMS: i64 = 30;

/// `GET /rss`: the list of feeds.
pub(crate) async fn page(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
) -> Result<Html<String>, AppError> {
    let mut feeds = vec![FeedLink {
        title: format!("Tin mới của {}", site.site.settings.name),
        url: origin.url("/rss.xml"),
    }];
    feeds.extend(site.categories.iter().map(|c| FeedLink {
        title: c.name.clone(),
        url: origin.url(&format!("/rss/{}.xml", c.slug)),
    }));
    // The other features' feeds (documents, notices).
    feeds.extend(state.parts().feeds().iter().map(|f| FeedLink {
        title: format!("{} – {}", f.title, site.site.settings.name),
        url: origin.url(f.path),
    }));
    let page = RssPageTemplate {
        layout: Layout::new(&state, Some(&site), "RSS", None).canonical(origin.url("/rss")),
        feeds,
    };
    Ok(Html(page.render()?))
}

fn feed(
    site: &CurrentSite,
    origin: &Origin,
    title: String,
    path: &str,
    self_path: &str,
    list: &[ArticleCard],
) -> Result<Response, AppError> {
    let items = list
        .iter()
        .map(|a| FeedItem {
            title: a.title.clone(),
            link: origin.url(&a.path()),
            description: a.summary.clone(),
            category: a.category_name.clone(),
            published_at: a.published_at,
        })
        .collect();
    let channel = Channel {
        title,
        page: path,
        self_path,
        description: format!("{} {}", site.site.settings.tagline, site.site.settings.name)
            .trim()
            .to_owned(),
    };
    crate::platform::feeds::rss(origin, channel, items)
}

/// `GET /rss.xml`: the site's newest articles.
pub(crate) async fn site_feed(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
) -> Result<Response, AppError> {
    let list = state.store.latest(site.site.id, now(), FEED_ITEMS).await?;
    feed(
        &site,
        &origin,
        site.site.settings.name.clone(),
        "/",
        "/rss.xml",
        &list,
    )
}

/// `GET /rss/{category}.xml`: one category's newest articles.
pub(crate) async fn category_feed(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    let slug = file.strip_suffix(".xml").ok_or(AppError::NotFound)?;
    let category = site
        .categories
        .iter()
        .find(|c| c.slug == slug)
        .ok_or(AppError::NotFound)?;
    let list = state
        .store
        .category_articles(site.site.id, category.id, now(), FEED_ITEMS, 0)
        .await?;
    feed(
        &site,
        &origin,
        format!("{} – {}", category.name, site.site.settings.name),
        &format!("/tin-tuc/{slug}"),
        &format!("/rss/{file}"),
        &list.items,
    )
}

/// `GET /sitemap.xml`: every public page, or an index of sitemap pages when the
/// site has more articles than one sitemap may hold.
pub(crate) async fn sitemap(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
) -> Result<Response, AppError> {
    let now = now();
    let per = state.options.sitemap_page_size.max(1) as i64;
    let total = state.store.public_article_count(site.site.id, now).await?;
    if total > per {
        let pages = (total + per - 1) / per;
        let entries = (1..=pages)
            .map(|n| SitemapEntry {
                loc: origin.url(&format!("/sitemap/{n}.xml")),
                lastmod: None,
            })
            .collect();
        return crate::platform::feeds::sitemap(true, entries);
    }
    sitemap_page_body(&state, &site, &origin, 1, per, now).await
}

/// `GET /sitemap/{n}.xml`: page n of the sitemap.
pub(crate) async fn sitemap_page(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
    Path(file): Path<String>,
) -> Result<Response, AppError> {
    // One spelling per page ("1.xml", not "01.xml" or "+1.xml"), so that a page
    // has one address and one place in the page cache.
    let n: i64 = file
        .strip_suffix(".xml")
        .filter(|n| !n.starts_with('0') && n.bytes().all(|b| b.is_ascii_digit()))
        .and_then(|n| n.parse().ok())
        .filter(|&n| n >= 1)
        .ok_or(AppError::NotFound)?;
    let now = now();
    let per = state.options.sitemap_page_size.max(1) as i64;
    let total = state.store.public_article_count(site.site.id, now).await?;
    // Checked: a page number near i64::MAX must be "no such page", not wrap around.
    if (n - 1)
        .checked_mul(per)
        .is_none_or(|skip| skip >= total.max(1))
    {
        return Err(AppError::NotFound);
    }
    sitemap_page_body(&state, &site, &origin, n, per, now).await
}

async fn sitemap_page_body(
    state: &AppState,
    site: &CurrentSite,
    origin: &Origin,
    n: i64,
    per: i64,
    now: i64,
) -> Result<Response, AppError> {
    let mut entries = Vec::new();
    if n == 1 {
        // The home page and the categories ride on the first page.
        entries.push(SitemapEntry {
            loc: origin.url("/"),
            lastmod: None,
        });
        entries.extend(site.categories.iter().map(|c| SitemapEntry {
            loc: origin.url(&format!("/tin-tuc/{}", c.slug)),
            lastmod: None,
        }));
    }
    let articles = state
        .store
        .article_locations(site.site.id, now, per, (n - 1) * per)
        .await?;
    entries.extend(articles.into_iter().map(|(path, changed)| SitemapEntry {
        loc: origin.url(&path),
        lastmod: Some(w3c(changed)),
    }));
    crate::platform::feeds::sitemap(false, entries)
}

/// `GET /robots.txt`: the site's sitemap and the features' own.
pub(crate) async fn robots(State(state): State<AppState>, origin: Origin) -> Response {
    let mut body = format!(
        "User-agent: *\nAllow: /\nDisallow: /quan-tri\nDisallow: /tin-tuc/*/in$\n\nSitemap: {}\n",
        origin.url("/sitemap.xml")
    );
    for path in state.parts().sitemaps() {
        body.push_str(&format!("Sitemap: {}\n", origin.url(path)));
    }
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}
