//! `/trang/<slug>`: a static page as readers see it. An old slug answers 301.

use crate::platform::layout::Layout;
use crate::platform::origin::Origin;
use crate::platform::site::CurrentSite;
use crate::{AppError, AppState};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

#[derive(Template)]
#[template(path = "pages/page.html")]
pub(crate) struct PageTemplate {
    pub layout: Layout,
    pub title: String,
    pub url: String,
    pub body: String,
    pub updated: String,
    pub updated_iso: String,
}

/// `GET /trang/{slug}`
pub(crate) async fn show(
    State(state): State<AppState>,
    site: CurrentSite,
    origin: Origin,
    Path(slug): Path<String>,
) -> Result<Response, AppError> {
    let Some(page) = state.store.public_page(site.site.id, &slug).await? else {
        return match state.store.page_redirect(site.site.id, &slug).await? {
            Some(current) => Ok((
                StatusCode::MOVED_PERMANENTLY,
                [(header::LOCATION, domain::page_path(&current))],
            )
                .into_response()),
            None => Err(AppError::NotFound),
        };
    };
    let url = page.path();
    let mut layout =
        Layout::new(&state, Some(&site), &page.title, Some(&url)).canonical(origin.url(&url));
    if !page.description.is_empty() {
        layout.description = page.description.clone();
    }
    let view = PageTemplate {
        layout,
        title: page.title.clone(),
        body: page.body.as_str().to_owned(),
        updated: vntext::format_date(page.updated_at),
        updated_iso: crate::platform::layout::iso(page.updated_at),
        url,
    };
    Ok(Html(view.render()?).into_response())
}
