//! What the articles add to the pages a site arranges: its categories as menu
//! targets, and three kinds of home-page block ("Tin nổi bật", one category's
//! news, "Tin mới nhất"). A site that arranged nothing gets today's home page:
//! the featured news, then one block per category shown in the menu.

use crate::articles::views::{Card, cards};
use crate::platform::blocks::{BlockFuture, BlockKind};
use crate::platform::menu::{MenuKind, MenuTarget, TargetsFuture};
use crate::platform::parts::Parts;
use crate::platform::site::SiteCtx;
use crate::{AppState, now};
use askama::Template;
use domain::Category;
use store::Store;

/// How many articles "Tin nổi bật" shows.
const FEATURED: i64 = 5;
/// How many articles a category's block shows.
const PER_CATEGORY: i64 = 4;
/// How many articles "Tin mới nhất" shows.
const LATEST: i64 = 8;

/// Registers the menu's categories and the home page's blocks.
pub(crate) fn install(parts: &mut Parts) {
    parts.menu_kind(MenuKind {
        key: "chuyen-muc",
        group: "Chuyên mục",
        in_default: true,
        list: category_targets,
    });
    parts.home_block(BlockKind {
        key: "noi-bat",
        name: "Tin nổi bật",
        settings: None,
        defaults: |_| vec![String::new()],
        render: featured,
        fresh: false,
    });
    parts.home_block(BlockKind {
        key: "chuyen-muc",
        name: "Tin của một chuyên mục",
        settings: Some(category_settings),
        defaults: |site| {
            site.categories
                .iter()
                .filter(|c| c.parent_id.is_none() && !c.hidden)
                .map(|c| c.id.to_string())
                .collect()
        },
        render: category,
        fresh: false,
    });
    parts.home_block(BlockKind {
        key: "moi-nhat",
        name: "Tin mới nhất",
        settings: None,
        defaults: |_| Vec::new(),
        render: latest,
        fresh: false,
    });
}

/// Whether a category shows in the menu: not hidden, nor under a hidden one.
fn in_menu(c: &Category, all: &[Category]) -> bool {
    !c.hidden
        && c.parent_id
            .is_none_or(|p| all.iter().any(|o| o.id == p && !o.hidden))
}

fn category_targets<'a>(_: &'a Store, site: &'a SiteCtx) -> TargetsFuture<'a> {
    Box::pin(async move {
        Ok(site
            .categories
            .iter()
            .filter(|c| in_menu(c, &site.categories))
            .map(|c| MenuTarget {
                id: c.id.to_string(),
                label: c.name.clone(),
                url: c.path(),
                parent: c.parent_id.map(|p| p.to_string()),
            })
            .collect())
    })
}

fn category_settings<'a>(
    _: &'a AppState,
    site: &'a SiteCtx,
) -> BlockFuture<'a, Vec<(String, String)>> {
    Box::pin(async move {
        Ok(site
            .categories
            .iter()
            .map(|c| (c.id.to_string(), c.name.clone()))
            .collect())
    })
}

#[derive(Template)]
#[template(path = "articles/block_featured.html")]
struct FeaturedBlock {
    lead: Card,
    rest: Vec<Card>,
}

#[derive(Template)]
#[template(path = "articles/block_category.html")]
struct CategoryBlock {
    name: String,
    url: String,
    lead: Option<Card>,
    rest: Vec<Card>,
}

#[derive(Template)]
#[template(path = "articles/block_latest.html")]
struct LatestBlock {
    rest: Vec<Card>,
}

/// The first card and the others.
fn lead_and_rest(mut list: Vec<Card>) -> (Option<Card>, Vec<Card>) {
    let lead = (!list.is_empty()).then(|| list.remove(0));
    (lead, list)
}

fn featured<'a>(
    state: &'a AppState,
    site: &'a SiteCtx,
    _: &'a str,
) -> BlockFuture<'a, Option<String>> {
    Box::pin(async move {
        let list = state.store.featured(site.site.id, now(), FEATURED).await?;
        let (lead, rest) = lead_and_rest(cards(&list));
        match lead {
            Some(lead) => Ok(Some(FeaturedBlock { lead, rest }.render()?)),
            None => Ok(None),
        }
    })
}

fn category<'a>(
    state: &'a AppState,
    site: &'a SiteCtx,
    setting: &'a str,
) -> BlockFuture<'a, Option<String>> {
    Box::pin(async move {
        let Some(c) = site.categories.iter().find(|c| c.id.to_string() == setting) else {
            return Ok(None);
        };
        let list = state
            .store
            .category_cards(site.site.id, c.id, now(), PER_CATEGORY)
            .await?;
        let (lead, rest) = lead_and_rest(cards(&list));
        let block = CategoryBlock {
            name: c.name.clone(),
            url: c.path(),
            lead,
            rest,
        };
        Ok(Some(block.render()?))
    })
}

fn latest<'a>(
    state: &'a AppState,
    site: &'a SiteCtx,
    _: &'a str,
) -> BlockFuture<'a, Option<String>> {
    Box::pin(async move {
        let list = state.store.latest(site.site.id, now(), LATEST).await?;
        if list.is_empty() {
            return Ok(None);
        }
        Ok(Some(LatestBlock { rest: cards(&list) }.render()?))
    })
}
