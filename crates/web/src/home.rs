//! The home page: featured news, then each category's newest articles.

use crate::articles::views::{Card, cards};

use crate::platform::layout::Layout;
use crate::platform::origin::Origin;
use crate::platform::pages::PageResult;
use crate::platform::site::CurrentSite;
use crate::{AppState, now};
use askama::Template;
use axum::extract::State;
use axum::response::Html;

/// How many articles "Tin nổi bật" shows.
const FEATURED: i64 = 5;
/// How many articles each category block shows.
const PER_CATEGORY: i64 = 4;

/// `GET /`
pub(crate) async fn show(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
) -> PageResult {
    let now = now();
    let store = &state.store;
    let mut featured = cards(&store.featured(site.site.id, now, FEATURED).await?);
    let featured_lead = (!featured.is_empty()).then(|| featured.remove(0));
    let mut blocks = Vec::with_capacity(site.categories.len());
    for c in &site.categories {
        let list = store
            .category_articles(site.site.id, c.id, now, PER_CATEGORY, 0)
            .await?;
        let mut items = cards(&list.items);
        let lead = (!items.is_empty()).then(|| items.remove(0));
        blocks.push(CategoryBlock {
            name: c.name.clone(),
            url: format!("/tin-tuc/{}", c.slug),
            lead,
            rest: items,
        });
    }
    let latest = cards(&state.latest(site.site.id).await?);
    let page = HomeTemplate {
        layout: Layout::new(&state, Some(&site), "", Some("")).canonical(origin.url("/")),
        featured_lead,
        featured,
        blocks,
        latest,
    };
    Ok(Html(page.render()?))
}

/// The home page's route.
pub(crate) fn routes() -> crate::platform::routes::Routes {
    use crate::platform::routes::{NO_QUERY, Routes};
    Routes::new().public("/", NO_QUERY, axum::routing::get(show))
}

/// A block of the home page: one category and its newest articles.
pub(crate) struct CategoryBlock {
    pub name: String,
    pub url: String,
    pub lead: Option<Card>,
    pub rest: Vec<Card>,
}

#[derive(Template)]
#[template(path = "home/home.html")]
pub(crate) struct HomeTemplate {
    pub layout: Layout,
    pub featured_lead: Option<Card>,
    pub featured: Vec<Card>,
    pub blocks: Vec<CategoryBlock>,
    pub latest: Vec<Card>,
}
