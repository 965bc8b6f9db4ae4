//! Exam results: sessions held in memory for lookups (the registry), the reader's
//! lookup page and JSON, and the back office's import and publishing.

pub(crate) mod admin;
pub(crate) mod public;
pub mod registry;

use crate::AppState;
use crate::platform::routes::{NO_QUERY, Routes};
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};

/// Exam results: the lookups (personal, the JSON answered in the front door),
/// the distribution, and the back office.
pub(crate) fn routes(state: &AppState) -> Routes {
    // A results file (a province's XLSX or CSV), and the form around it.
    let file_limit =
        usize::try_from(state.options.exam_file_bytes).unwrap_or(usize::MAX) + (1 << 20);
    Routes::new()
        .personal(public::LOOKUP_PATH, get(public::page))
        .personal(public::LOOKUP_JSON_PATH, get(public::json))
        .fast_path(public::LOOKUP_JSON_PATH, public::fast_json)
        .public(
            "/tra-cuu-diem-thi/{id}/pho-diem",
            NO_QUERY,
            get(public::distribution),
        )
        .admin("/quan-tri/ky-thi", get(admin::list).post(admin::create))
        .admin("/quan-tri/ky-thi/{id}", get(admin::show))
        .admin(
            "/quan-tri/ky-thi/{id}/nhap",
            post(admin::upload).layer(DefaultBodyLimit::max(file_limit)),
        )
        .admin("/quan-tri/ky-thi/{id}/xem-truoc", post(admin::choose_sheet))
        .admin("/quan-tri/ky-thi/{id}/xac-nhan", post(admin::confirm))
        .admin("/quan-tri/ky-thi/{id}/cong-bo", post(admin::publish))
        .admin("/quan-tri/ky-thi/{id}/lich-su", get(admin::history))
}
