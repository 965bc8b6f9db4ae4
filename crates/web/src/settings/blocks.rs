//! What a site's settings add to the home page: "Liên kết website" and "Thống kê
//! truy cập" as blocks an administrator may choose (neither is on the default
//! home page: the side column and the footer show them on every page).

use crate::platform::blocks::{BlockFuture, BlockKind};
use crate::platform::parts::Parts;
use crate::platform::site::SiteCtx;
use crate::{AppState, now};
use askama::Template;
use domain::WebLink;

/// Registers the blocks.
pub(crate) fn install(parts: &mut Parts) {
    parts.home_block(BlockKind {
        key: "lien-ket",
        name: "Liên kết website",
        settings: None,
        defaults: |_| Vec::new(),
        render: links,
    });
    parts.home_block(BlockKind {
        key: "thong-ke",
        name: "Thống kê truy cập",
        settings: None,
        defaults: |_| Vec::new(),
        render: stats,
    });
}

#[derive(Template)]
#[template(path = "settings/block_links.html")]
struct LinksBlock<'a> {
    links: &'a [WebLink],
}

#[derive(Template)]
#[template(path = "settings/block_stats.html")]
struct StatsBlock {
    online: String,
    today: String,
    total: String,
}

fn links<'a>(_: &'a AppState, site: &'a SiteCtx, _: &'a str) -> BlockFuture<'a, Option<String>> {
    Box::pin(async move {
        let links = &site.site.settings.links;
        if links.is_empty() {
            return Ok(None);
        }
        Ok(Some(LinksBlock { links }.render()?))
    })
}

fn stats<'a>(
    state: &'a AppState,
    site: &'a SiteCtx,
    _: &'a str,
) -> BlockFuture<'a, Option<String>> {
    Box::pin(async move {
        // The page may be served from the cache later: the page's script asks
        // for today's figures and writes them over these (`data-live`).
        let f = state.counters.figures(site.site.id, now());
        let block = StatsBlock {
            online: vntext::format_number(f.online),
            today: vntext::format_number(f.today),
            total: vntext::format_number(f.total),
        };
        Ok(Some(block.render()?))
    })
}
