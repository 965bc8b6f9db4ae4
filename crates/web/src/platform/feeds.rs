//! What machines read, for any feature: an RSS 2.0 feed of items and a sitemap
//! of addresses, answered as XML. Features build their items from their own
//! rows and register their feeds and sitemaps (`Parts::feed`, `Parts::sitemap`),
//! so that the "RSS" page lists every feed and robots.txt every sitemap.

use crate::AppError;
use crate::platform::layout::rfc2822;
use crate::platform::origin::Origin;
use askama::Template;
use axum::http::header;
use axum::response::{IntoResponse, Response};

/// A feed a feature offers, for the "RSS" page.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Feed {
    /// What people read, before the site's name ("Văn bản").
    pub title: &'static str,
    pub path: &'static str,
}

/// One item of an RSS feed.
pub(crate) struct FeedItem {
    pub title: String,
    /// Absolute.
    pub link: String,
    pub description: String,
    pub category: String,
    /// UTC seconds.
    pub published_at: i64,
}

/// A feed's channel: its title, the page it stands for and its own address
/// (paths of this site), and a line about it.
pub(crate) struct Channel<'a> {
    pub title: String,
    pub page: &'a str,
    pub self_path: &'a str,
    pub description: String,
}

struct RssItem {
    title: String,
    link: String,
    description: String,
    category: String,
    pub_date: String,
}

#[derive(Template)]
#[template(path = "platform/rss.xml")]
struct RssTemplate {
    title: String,
    link: String,
    self_url: String,
    description: String,
    build_date: String,
    items: Vec<RssItem>,
}

/// One `<url>` or `<sitemap>` of a sitemap.
pub(crate) struct SitemapEntry {
    /// Absolute.
    pub loc: String,
    pub lastmod: Option<String>,
}

#[derive(Template)]
#[template(path = "platform/sitemap.xml")]
struct SitemapTemplate {
    index: bool,
    entries: Vec<SitemapEntry>,
}

fn xml(content_type: &'static str, body: String) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// An RSS 2.0 feed of `items` (newest first); its build date is the newest item's.
pub(crate) fn rss(
    origin: &Origin,
    channel: Channel<'_>,
    items: Vec<FeedItem>,
) -> Result<Response, AppError> {
    let build = items.iter().map(|i| i.published_at).max().unwrap_or(0);
    let rss = RssTemplate {
        title: channel.title,
        link: origin.url(channel.page),
        self_url: origin.url(channel.self_path),
        description: channel.description,
        build_date: rfc2822(build),
        items: items
            .into_iter()
            .map(|i| RssItem {
                title: i.title,
                link: i.link,
                description: i.description,
                category: i.category,
                pub_date: rfc2822(i.published_at),
            })
            .collect(),
    };
    Ok(xml("application/rss+xml; charset=utf-8", rss.render()?))
}

/// A sitemap of `entries` (`index`: a sitemap index of sitemap pages).
pub(crate) fn sitemap(index: bool, entries: Vec<SitemapEntry>) -> Result<Response, AppError> {
    let body = SitemapTemplate { index, entries }.render()?;
    Ok(xml("application/xml; charset=utf-8", body))
}
