//! The home page's blocks: "Hình ảnh hoạt động" (the latest albums) and "Video
//! clip" (the featured clip, played on its own page, and a list of the others).

use crate::AppState;
use crate::gallery::albums::AlbumCard;
use crate::gallery::video::ClipCard;
use crate::platform::blocks::{BlockFuture, BlockKind};
use crate::platform::parts::Parts;
use crate::platform::site::SiteCtx;
use askama::Template;

/// Albums the block shows.
const ALBUMS: i64 = 4;
/// Clips the block lists besides the featured one.
const CLIPS: i64 = 4;

/// Registers the two blocks (not on a home page until a site adds them).
pub(crate) fn install(parts: &mut Parts) {
    parts.home_block(BlockKind {
        key: "hinh-anh-hoat-dong",
        name: "Hình ảnh hoạt động",
        settings: None,
        defaults: |_| Vec::new(),
        render: albums,
        fresh: false,
    });
    parts.home_block(BlockKind {
        key: "video-clip",
        name: "Video clip",
        settings: None,
        defaults: |_| Vec::new(),
        render: clips,
        fresh: false,
    });
}

#[derive(Template)]
#[template(path = "gallery/block_albums.html")]
struct AlbumsBlock {
    cards: Vec<AlbumCard>,
}

#[derive(Template)]
#[template(path = "gallery/block_video.html")]
struct VideoBlock {
    lead: ClipCard,
    rest: Vec<ClipCard>,
}

fn albums<'a>(
    state: &'a AppState,
    site: &'a SiteCtx,
    _: &'a str,
) -> BlockFuture<'a, Option<String>> {
    Box::pin(async move {
        let (list, _) = state.store.albums(site.site.id, true, ALBUMS, 0).await?;
        if list.is_empty() {
            return Ok(None);
        }
        let cards = list.iter().map(AlbumCard::of).collect();
        Ok(Some(AlbumsBlock { cards }.render()?))
    })
}

fn clips<'a>(
    state: &'a AppState,
    site: &'a SiteCtx,
    _: &'a str,
) -> BlockFuture<'a, Option<String>> {
    Box::pin(async move {
        let (list, _) = state
            .store
            .videos(site.site.id, true, true, CLIPS + 1, 0)
            .await?;
        let mut cards: Vec<ClipCard> = list.iter().map(ClipCard::of).collect();
        if cards.is_empty() {
            return Ok(None);
        }
        let lead = cards.remove(0);
        Ok(Some(VideoBlock { lead, rest: cards }.render()?))
    })
}
