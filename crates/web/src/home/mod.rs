//! The home page: the blocks the site's administrators chose, in their order
//! (`/quan-tri/trang-chu`), or every feature's default blocks (the featured news,
//! then each category's newest articles). The kinds of block are what the
//! features registered (`platform::blocks`); a block of a kind no longer
//! registered is skipped.

pub(crate) mod admin;

use crate::articles::views::{Card, cards};
use crate::platform::blocks::{default_blocks, kind_of};
use crate::platform::layout::Layout;
use crate::platform::memo::Memo;
use crate::platform::origin::Origin;
use crate::platform::pages::PageResult;
use crate::platform::site::{CurrentSite, SiteCtx};
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::State;
use axum::response::Html;
use domain::HomeBlock;

/// The home page's blocks as rendered, per site and content version: a home page
/// rendered afresh (the page cache off, or another encoding) asks neither the
/// database nor the blocks' templates again. Blocks made from other sites' content
/// (the units' news) are as fresh as the page cache keeps the home page: the
/// site's own version, and at most the cache's TTL. A `fresh` kind (the weather)
/// is kept as its place only and rendered on every page.
struct RenderedBlocks(Memo<(), Vec<Rendered>>);

/// A block of the home page, as kept.
enum Rendered {
    /// Its HTML.
    Kept(String),
    /// A block rendered on every page: its kind (a place in the registry) and
    /// setting.
    Fresh(usize, String),
}

/// The home page's memo.
pub(crate) fn install(parts: &mut crate::platform::parts::Parts) {
    parts.insert(RenderedBlocks(Memo::new(10_000)));
}

/// The HTML of a site's blocks, in order: from the memo, or rendered now.
async fn rendered_blocks(state: &AppState, site: &SiteCtx) -> Result<Vec<String>, AppError> {
    let memo = &state.part::<RenderedBlocks>().0;
    let id = site.site.id;
    let version = state.cache.version(id);
    let ttl = state.options.cache.ttl;
    let kept = match memo.get(id, &(), version, ttl).filter(|_| state.memo_on()) {
        Some(kept) => kept,
        None => {
            let (chosen, _) = blocks_of(state, site).await?;
            let mut blocks = Vec::with_capacity(chosen.len());
            for block in &chosen {
                let Some(kind) = kind_of(state.block_kinds(), block) else {
                    continue;
                };
                if kind.fresh {
                    let at = state
                        .block_kinds()
                        .iter()
                        .position(|k| k.key == kind.key)
                        .unwrap_or_default();
                    blocks.push(Rendered::Fresh(at, block.setting.clone()));
                } else if let Some(html) = (kind.render)(state, site, &block.setting).await? {
                    blocks.push(Rendered::Kept(html));
                }
            }
            memo.put(id, (), version, blocks)
        }
    };
    let mut out = Vec::with_capacity(kept.len());
    for block in kept.iter() {
        match block {
            Rendered::Kept(html) => out.push(html.clone()),
            Rendered::Fresh(at, setting) => {
                let Some(kind) = state.block_kinds().get(*at) else {
                    continue;
                };
                if let Some(html) = (kind.render)(state, site, setting).await? {
                    out.push(html);
                }
            }
        }
    }
    Ok(out)
}

/// `GET /`
pub(crate) async fn show(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
) -> PageResult {
    let blocks = rendered_blocks(&state, &site).await?;
    let latest = cards(&state.latest(site.site.id).await?);
    let page = HomeTemplate {
        layout: Layout::new(&state, Some(&site), "", Some("/")).canonical(origin.url("/")),
        blocks,
        latest,
    };
    Ok(Html(page.render()?))
}

/// A site's blocks: as chosen, or the default; and the revision a change must name.
pub(crate) async fn blocks_of(
    state: &AppState,
    site: &SiteCtx,
) -> Result<(Vec<HomeBlock>, i64), AppError> {
    let stored = state.store.home_blocks(site.site.id).await?;
    let blocks = stored
        .items
        .unwrap_or_else(|| default_blocks(state.block_kinds(), site));
    Ok((blocks, stored.revision))
}

/// The home page and its back office.
pub(crate) fn routes() -> crate::platform::routes::Routes {
    use crate::platform::routes::{NO_QUERY, Routes};
    use axum::routing::get;
    Routes::new()
        .public("/", NO_QUERY, get(show))
        .admin("/quan-tri/trang-chu", get(admin::show).post(admin::change))
}

#[derive(Template)]
#[template(path = "home/home.html")]
pub(crate) struct HomeTemplate {
    pub layout: Layout,
    /// Each block's HTML, rendered by its feature.
    pub blocks: Vec<String>,
    pub latest: Vec<Card>,
}
