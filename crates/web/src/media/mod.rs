//! The media library: uploads checked by content, and images in articles.

pub(crate) mod admin;
pub(crate) mod uploads;

use crate::platform::routes::Routes;
use crate::{AppError, AppState};
use axum::extract::{DefaultBodyLimit, Request, State};
use axum::response::Response;
use axum::routing::get;

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
            get(file).with_state(state.clone()),
        )
}

/// `GET /media/<path>`: a stored file (platform::files: Range, 304, HEAD). The
/// path is the store's own naming (`tai-len/2026/12/ab12….pdf`): anything else in
/// it (`..`, a dot file, a character no stored name has) is not found.
async fn file(State(state): State<AppState>, req: Request) -> Result<Response, AppError> {
    let wanted = req.uri().path().trim_start_matches('/').to_owned();
    let plain = |part: &str| {
        !part.is_empty()
            && !part.starts_with('.')
            && part
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
    };
    if wanted.len() > 512 || !wanted.split('/').all(plain) {
        return Err(AppError::NotFound);
    }
    let mime = wanted
        .rsplit_once('.')
        .and_then(|(_, extension)| media::mime_of_extension(extension))
        .unwrap_or("application/octet-stream");
    let path = state.options.media_dir.join(&wanted);
    Ok(lasting(
        crate::platform::files::serve(path, mime, req).await?,
    ))
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
