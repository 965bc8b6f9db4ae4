//! A category page: its articles and its sub-categories' articles, newest first,
//! ten a page. An old slug of the category answers 301 to the current one.

use crate::articles::views::{CategoryTemplate, Crumb, cards};
use crate::platform::layout::{Layout, PagerView};
use crate::platform::origin::Origin;
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState, now};
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
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
) -> Result<Response, AppError> {
    let now = now();
    let page = PageNumber::parse(query.get("trang").map(String::as_str));
    let Some(category) = site.categories.iter().find(|c| c.slug == slug) else {
        return match state.store.category_redirect(site.site.id, &slug).await? {
            Some(current) => {
                let to = if page.0 > 1 {
                    format!("/tin-tuc/{current}?trang={}", page.0)
                } else {
                    format!("/tin-tuc/{current}")
                };
                Ok((StatusCode::MOVED_PERMANENTLY, [(header::LOCATION, to)]).into_response())
            }
            None => Err(AppError::NotFound),
        };
    };
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
    let url = category.path();
    let title = if page.0 > 1 {
        format!("{} – Trang {}", category.name, page.0)
    } else {
        category.name.clone()
    };
    let crumb = |c: &domain::Category| Crumb {
        name: c.name.clone(),
        url: c.path(),
    };
    let parent = category
        .parent_id
        .and_then(|p| site.categories.iter().find(|c| c.id == p))
        .map(crumb);
    let children = site
        .categories
        .iter()
        .filter(|c| c.parent_id == Some(category.id))
        .map(crumb)
        .collect();
    let latest = cards(&state.latest(site.site.id).await?);
    let mut layout = Layout::new(&state, Some(&site), &title, Some(&url)).canonical(origin.url(
        &if page.0 > 1 {
            format!("{url}?trang={}", page.0)
        } else {
            url.clone()
        },
    ));
    if !category.description.is_empty() {
        layout.description = category.description.clone();
    }
    let view = CategoryTemplate {
        layout,
        name: category.name.clone(),
        pager: PagerView::new(&pager, &url, ""),
        url,
        parent,
        children,
        page: page.0,
        cards: cards(&list.items),
        latest,
    };
    Ok(Html(view.render()?).into_response())
}
