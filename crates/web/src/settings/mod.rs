//! A site's settings, its audit log, and the back office's dashboard.

pub(crate) mod admin;
pub(crate) mod audit;
pub(crate) mod chart;
pub(crate) mod dashboard;

use crate::platform::routes::Routes;
use axum::routing::get;

/// The dashboard, the settings and the audit log.
pub(crate) fn routes() -> Routes {
    Routes::new()
        .admin("/quan-tri", get(dashboard::show))
        .admin("/quan-tri/cai-dat", get(admin::show).post(admin::save))
        .admin("/quan-tri/nhat-ky", get(audit::list))
        .admin("/quan-tri/nhat-ky.csv", get(audit::export_csv))
        .admin("/quan-tri/nhat-ky.xlsx", get(audit::export_xlsx))
}
