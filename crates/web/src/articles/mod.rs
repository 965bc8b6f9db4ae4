//! Articles: the reader's pages (category, article, print, by date, feeds and
//! sitemap, live figures) and the back office's editor and workflow.

pub(crate) mod admin;
pub(crate) mod by_date;
pub(crate) mod category;
pub(crate) mod diff;
pub(crate) mod feeds;
pub(crate) mod public;
pub(crate) mod stats;

/// How many articles the side block "Tin mới" shows.
pub(crate) const SIDE_LATEST: i64 = 6;

use crate::AppState;
use crate::platform::routes::{NO_QUERY, PAGED, Routes};
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

/// The articles' routes, public and back office.
pub(crate) fn routes(state: &AppState) -> Routes {
    // An article form carries its pasted images as base64 (4 bytes for every 3):
    // room for a few photos.
    let article_limit = usize::try_from(state.options.media_limits.image_bytes.saturating_mul(4))
        .unwrap_or(usize::MAX)
        + (1 << 20);
    Routes::new()
        .public("/tin-tuc/{category}", PAGED, get(category::show))
        .public("/tin-tuc/{category}/{slug}", PAGED, get(public::show))
        .public(
            "/tin-tuc/{category}/{slug}/in",
            NO_QUERY,
            get(public::print),
        )
        .public("/tin-theo-ngay", &["ngay"], get(by_date::pick))
        .public("/tin-theo-ngay/{date}", NO_QUERY, get(by_date::show))
        .public("/rss", NO_QUERY, get(feeds::page))
        .public("/rss.xml", NO_QUERY, get(feeds::site_feed))
        .public("/rss/{file}", NO_QUERY, get(feeds::category_feed))
        .public("/sitemap.xml", NO_QUERY, get(feeds::sitemap))
        .public("/sitemap/{file}", NO_QUERY, get(feeds::sitemap_page))
        .public("/robots.txt", NO_QUERY, get(feeds::robots))
        // Live figures: never frozen in a cache.
        .personal("/thong-ke.json", get(stats::show))
        .admin("/quan-tri/bai-viet", get(admin::list))
        .admin(
            "/quan-tri/bai-viet/moi",
            get(admin::new_form)
                .post(admin::create)
                .layer(DefaultBodyLimit::max(article_limit)),
        )
        .admin(
            "/quan-tri/bai-viet/{id}",
            get(admin::edit_form)
                .post(admin::save)
                .layer(DefaultBodyLimit::max(article_limit)),
        )
        .admin("/quan-tri/bai-viet/{id}/phien-ban", get(admin::revisions))
        .admin(
            "/quan-tri/bai-viet/{id}/phien-ban/{n}/khoi-phuc",
            post(admin::restore),
        )
}
