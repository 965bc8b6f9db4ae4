//! `/thong-ke.json`: the live figures a (possibly cached) page shows, fetched by
//! the page's script. Never cached.

use crate::platform::site::CurrentSite;
use crate::{AppState, now};
use axum::Json;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::IntoResponse;
use domain::ArticleId;
use serde::Serialize;
use std::collections::HashMap;

#[derive(Serialize)]
struct Figures {
    /// Distinct visitors in the last five minutes.
    online: i64,
    /// Visits today.
    today: i64,
    /// Visits since the site began.
    total: i64,
    /// Views of the article named by `?bai=`, when it is one of this site's.
    #[serde(skip_serializing_if = "Option::is_none")]
    views: Option<i64>,
}

/// `GET /thong-ke.json[?bai=ID]`
pub(crate) async fn show(
    State(state): State<AppState>,
    site: CurrentSite,
    Query(query): Query<HashMap<String, String>>,
) -> impl IntoResponse {
    let f = state.counters.figures(site.site.id, now());
    let mut views = None;
    if let Some(id) = query.get("bai").and_then(|v| v.parse::<i64>().ok()) {
        let id = ArticleId(id);
        // Only this site's public articles answer; anything else is simply left out.
        if let Ok(Some((owner, stored))) = state.store.article_views_of(id).await
            && owner == site.site.id
        {
            views = Some(stored + state.counters.pending_views(id));
        }
    }
    (
        [(header::CACHE_CONTROL, "no-store")],
        Json(Figures {
            online: f.online,
            today: f.today,
            total: f.total,
            views,
        }),
    )
}
