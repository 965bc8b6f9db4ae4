//! What every back-office page shares: rendered `no-store`, the refusals, times.

use crate::{AppError, AppState};
use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

/// A back-office page: rendered, marked `no-store`.
pub(crate) fn page(status: StatusCode, t: &impl Template) -> Result<Response, AppError> {
    let mut res = (status, Html(t.render()?)).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// 303 See Other: where a form goes once its POST is done.
pub(crate) fn see_other(to: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, to.to_owned())]).into_response()
}

/// How a change saved as a whole (a menu, the home page's blocks) ends: to `back`
/// once saved (this instance shows it at once); when someone else saved first
/// (`store::Error::Stale`), `again`, the page shown again with why.
pub(crate) async fn saved_whole(
    state: &AppState,
    saved: Result<(), store::Error>,
    back: &str,
    again: impl Future<Output = Result<Response, AppError>>,
) -> Result<Response, AppError> {
    match saved {
        Ok(()) => {
            state.content_changed().await?;
            Ok(see_other(back))
        }
        Err(store::Error::Stale) => again.await,
        Err(e) => Err(e.into()),
    }
}

/// A file to save (an export): `no-store`, named `name` (ASCII).
pub(crate) fn download(name: &str, content_type: &'static str, body: Vec<u8>) -> Response {
    let mut res = (StatusCode::OK, body).into_response();
    let h = res.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    res
}

/// The refusal of a form whose CSRF token is not the session's.
pub(crate) const BAD_FORM: &str =
    "Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang rồi thử lại.";

/// The time of an audit entry as shown.
pub(crate) fn when(at: i64) -> String {
    vntext::format_datetime(at)
}
