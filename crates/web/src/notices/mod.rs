//! Announcements ("Thông báo", issue 14): the block "Thông báo" in the side
//! column of every page (and a home-page block a site may add), the archive
//! `/thong-bao` and a page per notice, its RSS feed and sitemap (feeds.rs), the
//! back office `/quan-tri/thong-bao`.
//!
//! The block is drawn from memory ([`Board`]: every unexpired notice and the unit
//! tree, reloaded after each content change). The background round
//! (`Store::notice_clock`) moves the content version of a site when one of its
//! notices starts or expires (of every site for the department's notices to the
//! schools), so cached pages drop an expired notice by themselves.

pub(crate) mod admin;
pub(crate) mod feeds;
pub(crate) mod public;

use crate::AppState;
use crate::platform::blocks::{BlockFuture, BlockKind};
use crate::platform::feeds::Feed;
use crate::platform::parts::{ChoreFuture, PagePart, Parts, Place, When};
use crate::platform::routes::{NO_QUERY, PAGED, Routes};
use crate::platform::site::SiteCtx;
use askama::Template;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use domain::{Audience, Notice, SiteId, Unit};
use std::sync::{Arc, RwLock};

/// Notices in a block at most.
const IN_BLOCK: usize = 6;

/// The routes of announcements.
pub(crate) fn routes(state: &AppState) -> Routes {
    // The form carries files.
    let limit = DefaultBodyLimit::max(crate::media::uploads::attachments_limit(state));
    Routes::new()
        .public("/thong-bao", PAGED, get(public::archive))
        .public("/thong-bao/rss.xml", NO_QUERY, get(feeds::feed))
        .public("/thong-bao/sitemap.xml", NO_QUERY, get(feeds::sitemap))
        .public("/thong-bao/{key}", NO_QUERY, get(public::show))
        .admin("/quan-tri/thong-bao", get(admin::list))
        .admin(
            "/quan-tri/thong-bao/moi",
            get(admin::new_form).post(admin::create).layer(limit),
        )
        .admin(
            "/quan-tri/thong-bao/{id}",
            get(admin::edit_form).post(admin::save).layer(limit),
        )
        .admin("/quan-tri/thong-bao/{id}/phien-ban", get(admin::revisions))
        .admin(
            "/quan-tri/thong-bao/{id}/phien-ban/{n}/khoi-phuc",
            post(admin::restore),
        )
}

/// Every unexpired published notice and the unit tree, for the blocks.
#[derive(Default)]
pub(crate) struct Board {
    held: RwLock<Arc<Held>>,
}

#[derive(Default)]
struct Held {
    notices: Vec<Notice>,
    units: Vec<Unit>,
}

impl Board {
    async fn reload(&self, store: &store::Store) -> Result<(), store::Error> {
        let held = Held {
            notices: store.unexpired_notices(crate::now()).await?,
            units: store.units().await?,
        };
        *self.held.write().unwrap_or_else(|e| e.into_inner()) = Arc::new(held);
        Ok(())
    }

    fn held(&self) -> Arc<Held> {
        self.held.read().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// Whether `site`'s pages show `notice`: its own, or addressed to its unit.
pub(crate) fn reaches(notice: &Notice, site: SiteId, units: &[Unit]) -> bool {
    notice.site == site
        || (notice.audience != Audience::Site
            && units
                .iter()
                .find(|u| u.site == Some(site))
                .is_some_and(|u| notice.audience.reaches(u, units)))
}

/// A line of the block or the archive.
pub(crate) struct NoticeLine {
    pub title: String,
    pub url: String,
    pub date: String,
    pub date_iso: String,
    pub pinned: bool,
    /// "Từ Sở GD&ĐT …": the sender's name, for a notice of another site.
    pub from: Option<String>,
    pub expired: bool,
    pub expires: Option<String>,
}

impl NoticeLine {
    pub(crate) fn new(state: &AppState, n: &Notice, site: SiteId, now: i64) -> NoticeLine {
        NoticeLine {
            title: n.title.clone(),
            url: n.path(),
            date: vntext::format_date(n.starts_at),
            date_iso: crate::platform::layout::iso(n.starts_at),
            pinned: n.pinned,
            from: (n.site != site).then(|| sender_name(state, n.site)),
            expired: n.is_expired(now),
            expires: n.expires_at.map(vntext::format_datetime),
        }
    }
}

/// How a notice's sender is named on another site.
pub(crate) fn sender_name(state: &AppState, site: SiteId) -> String {
    state
        .sites
        .name_of(site)
        .filter(|n| !n.is_empty())
        .unwrap_or_else(|| "Sở GD&ĐT".to_owned())
}

#[derive(Template)]
#[template(path = "notices/block.html")]
struct BlockTemplate {
    lines: Vec<NoticeLine>,
    /// The side column's block has a heading id; the home page's does not need it.
    side: bool,
}

/// The current notices of a site, pinned first, then newest.
fn current_lines(state: &AppState, site: SiteId) -> Vec<NoticeLine> {
    let now = crate::now();
    let held = state.part::<Board>().held();
    let mut shown: Vec<&Notice> = held
        .notices
        .iter()
        .filter(|n| n.is_current(now) && reaches(n, site, &held.units))
        .collect();
    shown.sort_by_key(|n| (std::cmp::Reverse(n.pinned), std::cmp::Reverse(n.starts_at)));
    shown
        .into_iter()
        .take(IN_BLOCK)
        .map(|n| NoticeLine::new(state, n, site, now))
        .collect()
}

fn side_block(state: &AppState, site: &SiteCtx) -> Option<String> {
    let lines = current_lines(state, site.site.id);
    if lines.is_empty() {
        return None;
    }
    BlockTemplate { lines, side: true }.render().ok()
}

fn home_block<'a>(
    state: &'a AppState,
    site: &'a SiteCtx,
    _setting: &'a str,
) -> BlockFuture<'a, Option<String>> {
    Box::pin(async move {
        let lines = current_lines(state, site.site.id);
        if lines.is_empty() {
            return Ok(None);
        }
        Ok(Some(BlockTemplate { lines, side: false }.render()?))
    })
}

/// Loads the board; registers the block, the home-page block, the menu page and
/// the chores.
pub(crate) async fn install(parts: &mut Parts, store: &store::Store) -> Result<(), store::Error> {
    let board = Board::default();
    board.reload(store).await?;
    parts.insert(board);
    parts.page_part(PagePart {
        place: Place::SideTop,
        render: side_block,
    });
    parts.home_block(BlockKind {
        key: "thong-bao",
        name: "Thông báo",
        settings: None,
        // The side column shows it on every page already.
        defaults: |_| Vec::new(),
        render: home_block,
        fresh: false,
    });
    parts.menu_page(crate::platform::menu::ModulePage {
        key: "thong-bao",
        label: "Thông báo",
        path: "/thong-bao",
        in_default: false,
    });
    parts.feed(Feed {
        title: "Thông báo",
        path: "/thong-bao/rss.xml",
    });
    parts.sitemap("/thong-bao/sitemap.xml");
    parts.chore("notices: starts and expiries", When::Round, clock);
    parts.chore("notices: reload the board", When::AfterChange, reload);
    Ok(())
}

fn clock(state: &AppState) -> ChoreFuture<'_> {
    Box::pin(async move {
        if let Err(e) = state.store.notice_clock(crate::now()).await {
            tracing::warn!(error = %e, "notices not checked against the clock; tried again next round");
        }
    })
}

fn reload(state: &AppState) -> ChoreFuture<'_> {
    Box::pin(async move {
        if let Err(e) = state.part::<Board>().reload(&state.store).await {
            tracing::warn!(error = %e, "notices not reloaded; tried again after the next change");
        }
    })
}
