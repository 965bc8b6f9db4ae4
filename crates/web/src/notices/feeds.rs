//! Notices for machines, through `platform::feeds`: the RSS feed of the current
//! notices (`/thong-bao/rss.xml`: what the block "Thông báo" shows, all of it,
//! newest first; an expired notice leaves it as it leaves the block) and the
//! sitemap of the archive (`/thong-bao/sitemap.xml`: every notice readers of the
//! site may open).

use crate::notices::public::visible;
use crate::notices::sender_name;
use crate::platform::feeds::{Channel, FeedItem, SitemapEntry};
use crate::platform::layout::w3c;
use crate::platform::origin::Origin;
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState, now};
use axum::extract::State;
use axum::response::Response;

/// Items of the feed at most.
const FEED_ITEMS: usize = 30;

/// `GET /thong-bao/rss.xml`
pub(crate) async fn feed(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
) -> Result<Response, AppError> {
    let now = now();
    let name = &site.site.settings.name;
    let items = visible(&state, &site, now)
        .await?
        .iter()
        .filter(|n| n.is_current(now))
        .take(FEED_ITEMS)
        .map(|n| FeedItem {
            title: n.title.clone(),
            link: origin.url(&n.path()),
            description: short(&n.body.to_plain_text()),
            category: if n.site == site.site.id {
                "Thông báo".to_owned()
            } else {
                format!("Thông báo từ {}", sender_name(&state, n.site))
            },
            published_at: n.starts_at,
        })
        .collect();
    let channel = Channel {
        title: format!("Thông báo của {name}"),
        page: "/thong-bao",
        self_path: "/thong-bao/rss.xml",
        description: format!("Các thông báo đang hiệu lực trên {name}"),
    };
    crate::platform::feeds::rss(&origin, channel, items)
}

/// `GET /thong-bao/sitemap.xml`
pub(crate) async fn sitemap(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
) -> Result<Response, AppError> {
    let per = state.options.sitemap_page_size.max(1);
    let notices = visible(&state, &site, now()).await?;
    let entries = std::iter::once(SitemapEntry {
        loc: origin.url("/thong-bao"),
        lastmod: None,
    })
    .chain(notices.iter().take(per).map(|n| SitemapEntry {
        loc: origin.url(&n.path()),
        lastmod: Some(w3c(n.updated_at.max(n.starts_at))),
    }))
    .collect();
    crate::platform::feeds::sitemap(false, entries)
}

/// A feed item's description: the notice's text, cut at about 300 characters.
fn short(text: &str) -> String {
    let text = vntext::clean_line(text);
    match text.char_indices().nth(300) {
        Some((at, _)) => format!("{}…", text[..at].trim_end()),
        None => text,
    }
}
