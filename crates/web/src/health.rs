//! `/healthz`: is the process up, the database reachable, the search index current?

use crate::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::json;

/// 200 with `{"status":"ok","search":{…}}` when the database answers, 503
/// otherwise. `search.state` is `"behind"` while the index has changes to take in
/// (`pending`), with `failing_since` when it cannot write them (a full disk).
pub(crate) async fn show(State(state): State<AppState>) -> (StatusCode, Json<serde_json::Value>) {
    let health = match state.store.is_empty().await {
        Ok(_) => state.searcher().health(&state.store).await,
        Err(e) => Err(e.into()),
    };
    match health {
        Ok(h) => {
            let search = json!({
                "state": if h.pending > 0 || h.failing_since.is_some() { "behind" } else { "ok" },
                "pending": h.pending,
                "failing_since": h.failing_since.map(vntext::format_datetime),
            });
            (
                StatusCode::OK,
                Json(json!({ "status": "ok", "search": search })),
            )
        }
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "error", "database": "unreachable" })),
            )
        }
    }
}

/// `/healthz`: answered afresh every time.
pub(crate) fn routes() -> crate::platform::routes::Routes {
    crate::platform::routes::Routes::new().personal("/healthz", axum::routing::get(show))
}
