//! A site's settings, its icon and manifest, its audit log, and the back office's
//! dashboard.

pub(crate) mod admin;
pub(crate) mod audit;
pub(crate) mod blocks;
pub(crate) mod chart;
pub(crate) mod dashboard;
pub(crate) mod icons;

use crate::platform::routes::Routes;
use axum::routing::get;

/// Keeps the site icons drawn from logos; offers the links and the visit
/// figures as home-page blocks.
pub(crate) fn install(parts: &mut crate::platform::parts::Parts) {
    icons::install(parts);
    blocks::install(parts);
}

/// The dashboard, the settings, the audit log, and the site's icon and manifest.
pub(crate) fn routes() -> Routes {
    use crate::platform::routes::NO_QUERY;
    Routes::new()
        .public("/favicon.ico", NO_QUERY, get(icons::favicon))
        .public("/apple-touch-icon.png", NO_QUERY, get(icons::apple_touch))
        .public("/icon-192.png", NO_QUERY, get(icons::icon_192))
        .public("/icon-512.png", NO_QUERY, get(icons::icon_512))
        .public("/manifest.webmanifest", NO_QUERY, get(icons::manifest))
        .admin("/quan-tri", get(dashboard::show))
        .admin("/quan-tri/cai-dat", get(admin::show).post(admin::save))
        .admin("/quan-tri/nhat-ky", get(audit::list))
        .admin("/quan-tri/nhat-ky.csv", get(audit::export_csv))
        .admin("/quan-tri/nhat-ky.xlsx", get(audit::export_xlsx))
}
