//! Static pages ("Giới thiệu", "Lịch sử", "Cơ cấu tổ chức", "Liên hệ"): readers
//! see them at `/trang/<slug>` (cached like any public page); administrators
//! write them in the articles' editor, with revisions (`/quan-tri/trang`). Their
//! pages are menu targets.

pub(crate) mod admin;
pub(crate) mod public;

use crate::AppState;
use crate::platform::menu::{MenuKind, MenuTarget, TargetsFuture};
use crate::platform::parts::Parts;
use crate::platform::routes::{NO_QUERY, Routes};
use crate::platform::site::SiteCtx;
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use store::Store;

/// The pages' routes, public and back office.
pub(crate) fn routes(state: &AppState) -> Routes {
    // Pasted images travel in the form as base64, as in the articles' editor.
    let limit = usize::try_from(state.options.media_limits.image_bytes.saturating_mul(4))
        .unwrap_or(usize::MAX)
        + (1 << 20);
    Routes::new()
        .public("/trang/{slug}", NO_QUERY, get(public::show))
        .admin("/quan-tri/trang", get(admin::list))
        .admin(
            "/quan-tri/trang/moi",
            get(admin::new_form)
                .post(admin::create)
                .layer(DefaultBodyLimit::max(limit)),
        )
        .admin(
            "/quan-tri/trang/{id}",
            get(admin::edit_form)
                .post(admin::save)
                .layer(DefaultBodyLimit::max(limit)),
        )
        .admin("/quan-tri/trang/{id}/phien-ban", get(admin::revisions))
        .admin(
            "/quan-tri/trang/{id}/phien-ban/{n}/khoi-phuc",
            post(admin::restore),
        )
}

/// Offers the site's published pages to the menu.
pub(crate) fn install(parts: &mut Parts) {
    parts.menu_kind(MenuKind {
        key: "trang",
        group: "Trang",
        in_default: false,
        list: page_targets,
    });
}

fn page_targets<'a>(store: &'a Store, site: &'a SiteCtx) -> TargetsFuture<'a> {
    Box::pin(async move {
        Ok(store
            .page_links(site.site.id)
            .await?
            .into_iter()
            .filter(|p| p.published)
            .map(|p| MenuTarget {
                id: p.id.to_string(),
                label: p.title,
                url: domain::page_path(&p.slug),
                parent: None,
            })
            .collect())
    })
}
