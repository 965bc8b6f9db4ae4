//! What every back-office page shares: rendered `no-store`, the refusals, times.

use crate::AppError;
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

/// The refusal of a form whose CSRF token is not the session's.
pub(crate) const BAD_FORM: &str =
    "Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang rồi thử lại.";

/// The time of an audit entry as shown.
pub(crate) fn when(at: i64) -> String {
    vntext::format_datetime(at)
}
