//! What every back-office page shares: rendered `no-store`, the refusals, times.

use crate::AppError;
use crate::accounts::auth::same_token;
use askama::Template;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use store::SessionInfo;

/// A back-office page: rendered, marked `no-store`.
pub(crate) fn page(status: StatusCode, t: &impl Template) -> Result<Response, AppError> {
    let mut res = (status, Html(t.render()?)).into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

/// The refusal of a form whose CSRF token is not the session's, if it is not.
pub(crate) fn refuse_bad_csrf(session: &SessionInfo, sent: &str) -> Option<Response> {
    (!same_token(&session.csrf_token, sent)).then(|| {
        forbidden("Biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang rồi thử lại.")
    })
}

/// A 403 with a plain Vietnamese explanation.
pub(crate) fn forbidden(message: &'static str) -> Response {
    forbidden_message(message.to_owned())
}

/// A 403 with an explanation made at run time (escaped here).
pub(crate) fn forbidden_message(message: String) -> Response {
    let message = message
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let mut res = (
        StatusCode::FORBIDDEN,
        Html(format!(
            "<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\"><title>Không được phép</title><h1>Không được phép</h1><p>{message}</p><p><a href=\"/quan-tri\">Về trang quản trị</a></p></html>"
        )),
    )
        .into_response();
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// The time of an audit entry as shown.
pub(crate) fn when(at: i64) -> String {
    vntext::format_datetime(at)
}
