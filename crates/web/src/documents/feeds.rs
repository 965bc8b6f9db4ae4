//! The documents for machines and for the home page: the RSS feed
//! (`/van-ban/rss.xml`), the sitemap of every public document
//! (`/van-ban/sitemap.xml`) and the home-page block "Văn bản mới".

use crate::articles::views::{FeedItem, RssTemplate, SitemapEntry, SitemapTemplate};
use crate::platform::blocks::BlockFuture;
use crate::platform::layout::{rfc2822, w3c};
use crate::platform::origin::Origin;
use crate::platform::site::{CurrentSite, SiteCtx};
use crate::{AppError, AppState, now};
use askama::Template;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use store::DocumentFilter;

/// Items of the feed, newest posted first.
const FEED_ITEMS: i64 = 30;
/// Documents the home-page block lists.
const BLOCK_ITEMS: i64 = 6;

fn xml(content_type: &'static str, body: String) -> Response {
    ([(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// `GET /van-ban/rss.xml`: the newest documents posted.
pub(crate) async fn feed(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
) -> Result<Response, AppError> {
    let now = now();
    let filter = DocumentFilter {
        sort: store::DocumentSort::Posted,
        ..DocumentFilter::default()
    };
    let (rows, _) = state
        .store
        .public_documents(
            site.site.id,
            &filter,
            now,
            &vntext::local_iso_date(now),
            FEED_ITEMS,
            0,
        )
        .await?;
    let items = rows
        .iter()
        .map(|r| FeedItem {
            title: format!("{} {}", r.kind, r.number),
            link: origin.url(&domain::document_path(&r.slug)),
            description: r.summary.clone(),
            category: r.issuer.clone(),
            pub_date: rfc2822(r.published_at),
        })
        .collect();
    let rss = RssTemplate {
        title: format!("Văn bản của {}", site.site.settings.name),
        link: origin.url("/van-ban"),
        self_url: origin.url("/van-ban/rss.xml"),
        description: format!("Văn bản mới đăng trên {}", site.site.settings.name),
        build_date: rfc2822(rows.iter().map(|r| r.published_at).max().unwrap_or(0)),
        items,
    };
    Ok(xml("application/rss+xml; charset=utf-8", rss.render()?))
}

/// `GET /van-ban/sitemap.xml`: an entry for each public document.
pub(crate) async fn sitemap(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
) -> Result<Response, AppError> {
    let now = now();
    let per = state.options.sitemap_page_size.max(1) as i64;
    let (rows, _) = state
        .store
        .public_documents(
            site.site.id,
            &DocumentFilter::default(),
            now,
            &vntext::local_iso_date(now),
            per,
            0,
        )
        .await?;
    let entries = std::iter::once(SitemapEntry {
        loc: origin.url("/van-ban"),
        lastmod: None,
    })
    .chain(rows.iter().map(|r| SitemapEntry {
        loc: origin.url(&domain::document_path(&r.slug)),
        lastmod: Some(w3c(r.updated_at.max(r.published_at))),
    }))
    .collect();
    let body = SitemapTemplate {
        index: false,
        entries,
    }
    .render()?;
    Ok(xml("application/xml; charset=utf-8", body))
}

#[derive(Template)]
#[template(path = "documents/block.html")]
struct Block {
    lines: Vec<super::public::DocLine>,
}

/// The home-page block "Văn bản mới": the newest documents issued.
pub(crate) fn newest<'a>(
    state: &'a AppState,
    site: &'a SiteCtx,
    _: &'a str,
) -> BlockFuture<'a, Option<String>> {
    Box::pin(async move {
        let now = now();
        let today = vntext::local_iso_date(now);
        let (rows, _) = state
            .store
            .public_documents(
                site.site.id,
                &DocumentFilter::default(),
                now,
                &today,
                BLOCK_ITEMS,
                0,
            )
            .await?;
        if rows.is_empty() {
            return Ok(None);
        }
        Ok(Some(
            Block {
                lines: super::public::lines(&rows, &today, ""),
            }
            .render()?,
        ))
    })
}
