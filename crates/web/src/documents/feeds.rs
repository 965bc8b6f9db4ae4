//! The documents for machines: the RSS feed (`/van-ban/rss.xml`) and the sitemap
//! of every public document (`/van-ban/sitemap.xml`), through `platform::feeds`.

use crate::platform::feeds::{Channel, FeedItem, SitemapEntry};
use crate::platform::layout::w3c;
use crate::platform::origin::Origin;
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState, now};
use axum::extract::State;
use axum::response::Response;
use store::DocumentFilter;

/// Items of the feed, newest posted first.
const FEED_ITEMS: i64 = 30;

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
            published_at: r.published_at,
        })
        .collect();
    let channel = Channel {
        title: format!("Văn bản của {}", site.site.settings.name),
        page: "/van-ban",
        self_path: "/van-ban/rss.xml",
        description: format!("Văn bản mới đăng trên {}", site.site.settings.name),
    };
    crate::platform::feeds::rss(&origin, channel, items)
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
    crate::platform::feeds::sitemap(false, entries)
}
