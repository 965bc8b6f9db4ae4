//! A category page: its articles, newest first, ten a page.

use crate::articles::views::{CategoryTemplate, cards};
use crate::platform::layout::{Layout, PagerView};
use crate::platform::origin::Origin;
use crate::platform::pages::PageResult;
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use domain::{PageNumber, Pager};
use std::collections::HashMap;

/// Articles per category page.
pub(crate) const PER_PAGE: u32 = 10;

/// `GET /tin-tuc/{category}?trang=N`
pub(crate) async fn show(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
    Path(slug): Path<String>,
    Query(query): Query<HashMap<String, String>>,
) -> PageResult {
    let now = now();
    let category = site
        .categories
        .iter()
        .find(|c| c.slug == slug)
        .ok_or(AppError::NotFound)?;
    let page = PageNumber::parse(query.get("trang").map(String::as_str));
    let list = state
        .store
        .category_articles(
            site.site.id,
            category.id,
            now,
            i64::from(PER_PAGE),
            page.offset(PER_PAGE),
        )
        .await?;
    let pager = Pager::new(list.total, PER_PAGE, page).ok_or(AppError::NotFound)?;
    let url = format!("/tin-tuc/{}", category.slug);
    let title = if page.0 > 1 {
        format!("{} – Trang {}", category.name, page.0)
    } else {
        category.name.clone()
    };
    let latest = cards(&state.latest(site.site.id).await?);
    let view = CategoryTemplate {
        layout: Layout::new(&state, Some(&site), &title, Some(&category.slug)).canonical(
            origin.url(&if page.0 > 1 {
                format!("{url}?trang={}", page.0)
            } else {
                url.clone()
            }),
        ),
        name: category.name.clone(),
        pager: PagerView::new(&pager, &url, ""),
        url,
        page: page.0,
        cards: cards(&list.items),
        latest,
    };
    Ok(Html(view.render()?))
}
