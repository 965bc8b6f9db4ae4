//! The home page's blocks. Features register kinds of block ([`BlockKind`]: "Tin
//! nổi bật", one category's news, the links …) at install; a site's
//! administrators choose and order blocks of those kinds (`domain::HomeBlock`),
//! and the home page renders them in that order, skipping kinds no longer
//! registered. A site that chose none shows every kind's defaults, in the order
//! the kinds were registered.
//!
//! Nothing here knows a feature: a new module adds its block with one
//! `Parts::home_block` call in its `install`.

use crate::platform::site::SiteCtx;
use crate::{AppError, AppState};
use domain::HomeBlock;
use std::future::Future;
use std::pin::Pin;

/// A block's work under way.
pub(crate) type BlockFuture<'a, T> = Pin<Box<dyn Future<Output = Result<T, AppError>> + Send + 'a>>;

/// Renders a block of a site given its setting: its HTML, or none when it has
/// nothing to show.
pub(crate) type RenderFn =
    for<'a> fn(&'a AppState, &'a SiteCtx, &'a str) -> BlockFuture<'a, Option<String>>;

/// The settings a block of a kind may take on a site: (value, label).
pub(crate) type SettingsFn =
    for<'a> fn(&'a AppState, &'a SiteCtx) -> BlockFuture<'a, Vec<(String, String)>>;

/// A kind of home-page block a feature offers.
pub(crate) struct BlockKind {
    /// What `HomeBlock::kind` stores ("noi-bat").
    pub key: &'static str,
    /// Its Vietnamese name, as the back office lists it ("Tin nổi bật").
    pub name: &'static str,
    /// The settings it takes (a category); none: it takes none.
    pub settings: Option<SettingsFn>,
    /// The settings of the blocks of this kind a site that chose none shows (one
    /// empty setting: one block; none: no block).
    pub defaults: fn(&SiteCtx) -> Vec<String>,
    /// Its HTML.
    pub render: RenderFn,
    /// Rendered on every home page, never kept with the others: what it shows
    /// changes without a content change of the site (the weather's readings).
    pub fresh: bool,
}

/// The blocks a site that chose none shows.
pub(crate) fn default_blocks(kinds: &[BlockKind], site: &SiteCtx) -> Vec<HomeBlock> {
    kinds
        .iter()
        .flat_map(|k| {
            (k.defaults)(site).into_iter().map(|setting| HomeBlock {
                kind: k.key.to_owned(),
                setting,
            })
        })
        .collect()
}

/// The kind of a block, if still registered.
pub(crate) fn kind_of<'k>(kinds: &'k [BlockKind], block: &HomeBlock) -> Option<&'k BlockKind> {
    kinds.iter().find(|k| k.key == block.kind)
}
