//! The media library: uploads checked by content, and images in articles.

pub(crate) mod admin;
pub(crate) mod uploads;

use crate::AppState;
use crate::platform::routes::Routes;
use axum::extract::DefaultBodyLimit;
use axum::routing::get;
use tower::ServiceExt;
use tower_http::services::ServeDir;
use tower_http::services::fs::ServeFileSystemResponseBody;

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
            ServiceExt::<axum::extract::Request>::map_response(
                ServeDir::new(&state.options.media_dir),
                lasting::<ServeFileSystemResponseBody>,
            ),
        )
}

/// An uploaded file never changes under its name (each upload, and each size made
/// of it, gets a fresh random name; a replacement is a new upload), so readers may
/// keep it a year. Only a file found is kept: a missing one may appear later.
fn lasting<B>(mut res: axum::http::Response<B>) -> axum::http::Response<B> {
    use axum::http::{HeaderValue, StatusCode, header};
    if matches!(
        res.status(),
        StatusCode::OK | StatusCode::PARTIAL_CONTENT | StatusCode::NOT_MODIFIED
    ) {
        res.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, max-age=31536000, immutable"),
        );
    }
    res
}
