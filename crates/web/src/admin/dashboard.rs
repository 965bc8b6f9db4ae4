//! `/quan-tri`: the first page after logging in.

use super::{page, when};
use crate::auth::SignedIn;
use crate::site::CurrentSite;
use crate::views::{AdminChrome, DashboardTemplate};
use crate::{AppError, AppState};
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;

/// `GET /quan-tri`
pub(crate) async fn show(
    State(state): State<AppState>,
    site: CurrentSite,
    SignedIn(session): SignedIn,
) -> Result<Response, AppError> {
    let role = session.user.role_on(site.site.id);
    let audit = if role.is_some_and(|r| r.can_administer()) {
        state
            .store
            .audit_entries(20)
            .await?
            .into_iter()
            .map(|(at, user, action, detail)| (when(at), user, action, detail))
            .collect()
    } else {
        Vec::new()
    };
    page(
        StatusCode::OK,
        &DashboardTemplate {
            chrome: AdminChrome::new("Bảng điều khiển", &site, &session),
            full_name: session.user.full_name.clone(),
            role: role
                .map(|r| r.label())
                .unwrap_or("không có quyền trên trang này")
                .to_owned(),
            audit,
        },
    )
}
