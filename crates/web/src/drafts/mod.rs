//! Drafts open for public comment ("Lấy ý kiến dự thảo", issue 14): the list
//! `/du-thao` and a draft's page (cached like any public page), the comment form
//! `/du-thao/<slug>/gop-y` (personal: each showing carries its own anti-spam
//! challenge, `platform::antispam`), and the back office `/quan-tri/du-thao`
//! (drafts, moderation, the export of comments to XLSX, the summary report).
//! Drafts follow the articles' workflow (writers submit, editors publish or
//! schedule, reject, withdraw) and keep revisions, as documents do.

pub(crate) mod admin;
pub(crate) mod public;

use crate::AppState;
use crate::platform::parts::{ChoreFuture, Parts, When};
use crate::platform::routes::{NO_QUERY, Routes};
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

/// The routes of drafts for comment.
pub(crate) fn routes(state: &AppState) -> Routes {
    // The draft's form and the report's carry files.
    let limit = DefaultBodyLimit::max(crate::media::uploads::attachments_limit(state));
    Routes::new()
        .public("/du-thao", NO_QUERY, get(public::list))
        .public("/du-thao/{slug}", NO_QUERY, get(public::show))
        .personal(
            "/du-thao/{slug}/gop-y",
            get(public::comment_form).post(public::comment),
        )
        .admin("/quan-tri/du-thao", get(admin::list))
        .admin(
            "/quan-tri/du-thao/moi",
            get(admin::new_form).post(admin::create).layer(limit),
        )
        .admin(
            "/quan-tri/du-thao/{id}",
            get(admin::edit_form).post(admin::save).layer(limit),
        )
        .admin(
            "/quan-tri/du-thao/{id}/y-kien/{comment}",
            post(admin::moderate),
        )
        .admin("/quan-tri/du-thao/{id}/phien-ban", get(admin::revisions))
        .admin(
            "/quan-tri/du-thao/{id}/phien-ban/{n}/khoi-phuc",
            post(admin::restore),
        )
        .admin("/quan-tri/du-thao/{id}/y-kien.xlsx", get(admin::export))
        .admin(
            "/quan-tri/du-thao/{id}/bao-cao",
            post(admin::report).layer(limit),
        )
}

/// Offers the list to the menu; publishes scheduled drafts in the round.
pub(crate) fn install(parts: &mut Parts) {
    parts.chore("drafts: scheduled publishing", When::Round, publish_due);
    parts.menu_page(crate::platform::menu::ModulePage {
        key: "du-thao",
        label: "Lấy ý kiến dự thảo",
        path: "/du-thao",
        in_default: false,
    });
}

/// The scheduler: a scheduled draft whose time has come is published here.
fn publish_due(state: &AppState) -> ChoreFuture<'_> {
    Box::pin(async move {
        if let Err(e) = state.store.publish_due_drafts(crate::now()).await {
            tracing::warn!(error = %e, "scheduled drafts failed; they are tried again next round");
        }
    })
}
