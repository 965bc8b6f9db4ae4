//! The media library: uploads checked by content, and images in articles.

pub(crate) mod admin;
pub(crate) mod uploads;

use crate::AppState;
use crate::platform::routes::Routes;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use tower_http::services::ServeDir;

/// The media library and the files it serves.
pub(crate) fn routes(state: &AppState) -> Routes {
    let limits = &state.options.media_limits;
    let upload_limit = usize::try_from(
        limits
            .image_bytes
            .max(limits.document_bytes)
            .max(limits.video_bytes),
    )
    .unwrap_or(usize::MAX);
    Routes::new()
        .admin(
            "/quan-tri/tep",
            get(admin::list)
                .post(admin::upload)
                // The largest file allowed, and the form around it.
                .layer(DefaultBodyLimit::max(upload_limit + (1 << 20))),
        )
        .public_files(
            "/media",
            "/media/{*file}",
            ServeDir::new(&state.options.media_dir),
        )
}
