//! `/healthz`: is the process up and the database reachable?

use crate::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde_json::json;

/// 200 with `{"status":"ok"}` when the database answers, 503 otherwise.
pub(crate) async fn show(State(state): State<AppState>) -> (StatusCode, Json<serde_json::Value>) {
    match state.store.is_empty().await {
        Ok(_) => (StatusCode::OK, Json(json!({ "status": "ok" }))),
        Err(e) => {
            tracing::error!(error = %e, "health check: database unreachable");
            (
                StatusCode::SERVICE_UNAVAILABLE,
                Json(json!({ "status": "error", "database": "unreachable" })),
            )
        }
    }
}
