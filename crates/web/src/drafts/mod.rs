//! Drafts open for public comment ("Lấy ý kiến dự thảo", issue 14): the list
//! `/du-thao` and a draft's page (cached like any public page), the comment form
//! `/du-thao/<slug>/gop-y` (personal: each showing carries its own anti-spam
//! challenge, `platform::antispam`), and the back office `/quan-tri/du-thao`
//! (drafts, moderation, the export of comments to XLSX, the summary report).

pub(crate) mod admin;
pub(crate) mod public;

use crate::platform::parts::Parts;
use crate::platform::routes::{NO_QUERY, Routes};
use axum::routing::{get, post};

/// The routes of drafts for comment.
pub(crate) fn routes() -> Routes {
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
            get(admin::new_form).post(admin::create),
        )
        .admin(
            "/quan-tri/du-thao/{id}",
            get(admin::edit_form).post(admin::save),
        )
        .admin(
            "/quan-tri/du-thao/{id}/y-kien/{comment}",
            post(admin::moderate),
        )
        .admin("/quan-tri/du-thao/{id}/y-kien.xlsx", get(admin::export))
        .admin("/quan-tri/du-thao/{id}/bao-cao", post(admin::report))
}

/// Offers the list to the menu.
pub(crate) fn install(parts: &mut Parts) {
    parts.menu_page(crate::platform::menu::ModulePage {
        key: "du-thao",
        label: "Lấy ý kiến dự thảo",
        path: "/du-thao",
        in_default: false,
    });
}
