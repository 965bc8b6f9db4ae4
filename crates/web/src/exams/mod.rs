//! Exam results: sessions held in memory for lookups (the registry), the reader's
//! lookup page and JSON, and the back office's import and publishing.

pub(crate) mod admin;
pub(crate) mod public;
pub mod registry;

use crate::platform::parts::{ChoreFuture, Parts, When};
use crate::platform::rate_limit::RateLimiter;
use crate::platform::routes::{NO_QUERY, Routes};
use crate::{AppState, WebOptions};
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use store::Store;

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

/// What the exam results keep in memory.
pub(crate) struct ExamsState {
    /// Exam sessions, with the candidates of published ones.
    registry: registry::Exams,
    /// Lookups per client address.
    lookups: RateLimiter,
    /// Results files waiting for the admin's confirmation.
    files: registry::PendingFiles,
}

/// Loads the sessions and registers their reload: sessions imported or
/// published on another instance (or the CLI) arrive within a round.
pub(crate) async fn install(
    parts: &mut Parts,
    store: &Store,
    options: &WebOptions,
) -> Result<(), store::Error> {
    let registry = registry::Exams::default();
    registry.refresh(store).await?;
    parts.insert(ExamsState {
        registry,
        lookups: RateLimiter::new(
            options.exam_lookups.per_minute,
            std::time::Duration::from_secs(60),
            options.exam_lookups.burst,
        ),
        files: registry::PendingFiles::default(),
    });
    parts.chore("exams: reload changed sessions", When::Round, refresh);
    // Every site's menu has led to the lookup since the portal began.
    parts.menu_page(crate::platform::menu::ModulePage {
        key: "tra-cuu-diem-thi",
        label: "Tra cứu điểm thi",
        path: public::LOOKUP_PATH,
        in_default: true,
    });
    Ok(())
}

fn refresh(state: &AppState) -> ChoreFuture<'_> {
    Box::pin(async move {
        if let Err(e) = state.exams().refresh(&state.store).await {
            tracing::warn!(error = %e, "exam sessions not reloaded; tried again next round");
        }
    })
}

impl AppState {
    /// Exam sessions, with the candidates of published ones, in memory.
    pub fn exams(&self) -> &registry::Exams {
        &self.part::<ExamsState>().registry
    }

    pub(crate) fn exam_lookups(&self) -> &RateLimiter {
        &self.part::<ExamsState>().lookups
    }

    pub(crate) fn exam_files(&self) -> &registry::PendingFiles {
        &self.part::<ExamsState>().files
    }
}
