//! What a site's settings add to the home page: "Thống kê truy cập" as a block an
//! administrator may choose (not on the default home page: the footer shows it on
//! every page). "Liên kết website" is the links feature's (`links::install`).

use crate::platform::blocks::{BlockFuture, BlockKind};
use crate::platform::parts::Parts;
use crate::platform::site::SiteCtx;
use crate::{AppState, now};
use askama::Template;

/// Registers the blocks.
pub(crate) fn install(parts: &mut Parts) {
    parts.home_block(BlockKind {
        key: "thong-ke",
        name: "Thống kê truy cập",
        settings: None,
        defaults: |_| Vec::new(),
        render: stats,
        fresh: false,
    });
}

#[derive(Template)]
#[template(path = "settings/block_stats.html")]
struct StatsBlock {
    online: String,
    today: String,
    total: String,
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
