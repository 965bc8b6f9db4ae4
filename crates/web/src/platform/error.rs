//! One error type for handlers. A handler's error becomes a bare response marked
//! with [`ErrorPage`]; the [`render_error_pages`] middleware turns it into a calm
//! Vietnamese page in the site's layout. Causes go to the log, never to the visitor.

use crate::AppState;
use crate::platform::layout::{ErrorTemplate, Layout};
use crate::platform::site::CurrentSite;
use askama::Template;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};

/// What went wrong while answering.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Nothing at this address.
    #[error("not found")]
    NotFound,
    /// Not allowed: a role missing, a form's token wrong. The message says why, in
    /// Vietnamese, on a plain page of its own.
    #[error("forbidden: {0}")]
    Forbidden(std::borrow::Cow<'static, str>),
    /// The request cannot be done as sent (a form that makes no sense); the message
    /// says why.
    #[error("unprocessable: {0}")]
    Unprocessable(String),
    /// It clashes with what exists (a key already taken); the message says which.
    #[error("conflict: {0}")]
    Conflict(String),
    /// Someone else changed it since the form was opened; nothing was written.
    #[error("stale")]
    Stale,
    /// A bug or an outage; the message is logged, not shown.
    #[error("internal: {0}")]
    Internal(String),
}

impl AppError {
    /// A stable code for logs and for the message catalogue.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound => "page_not_found",
            AppError::Forbidden(_) => "forbidden",
            AppError::Unprocessable(_) => "unprocessable",
            AppError::Conflict(_) => "conflict",
            AppError::Stale => "stale",
            AppError::Internal(_) => "internal_error",
        }
    }

    /// A refusal with this explanation.
    pub(crate) fn forbidden(message: impl Into<std::borrow::Cow<'static, str>>) -> AppError {
        AppError::Forbidden(message.into())
    }
}

impl From<store::Error> for AppError {
    fn from(e: store::Error) -> AppError {
        match e {
            store::Error::NotFound(_) => AppError::NotFound,
            store::Error::Stale => AppError::Stale,
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> AppError {
        AppError::Internal(format!("template: {e}"))
    }
}

/// Marks a response whose body the error layer replaces with a page.
#[derive(Debug, Clone, Copy)]
pub(crate) struct ErrorPage(pub StatusCode);

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = match &self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            // Messages meant for the person: a plain page of their own, as every
            // back-office refusal has always looked.
            AppError::Forbidden(message) => {
                return message_page(StatusCode::FORBIDDEN, "Không được phép", message);
            }
            AppError::Unprocessable(message) => {
                return message_page(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    "Không thực hiện được",
                    message,
                );
            }
            AppError::Conflict(message) => {
                return message_page(StatusCode::CONFLICT, "Đã có", message);
            }
            AppError::Stale => {
                return message_page(
                    StatusCode::CONFLICT,
                    "Đã có người khác thay đổi",
                    "Nội dung này vừa được người khác thay đổi; chưa có gì được lưu. Vui lòng tải lại trang rồi làm lại.",
                );
            }
            AppError::Internal(cause) => {
                tracing::error!(code = self.code(), %cause, "request failed");
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let mut res = status.into_response();
        res.extensions_mut().insert(ErrorPage(status));
        res
    }
}

/// A plain page with a title and a message (escaped here), never cached.
fn message_page(status: StatusCode, title: &str, message: &str) -> Response {
    let message = message
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let mut res = (
        status,
        Html(format!(
            "<!doctype html><html lang=\"vi\"><meta charset=\"utf-8\"><title>{title}</title><h1>{title}</h1><p>{message}</p><p><a href=\"/quan-tri\">Về trang quản trị</a></p></html>"
        )),
    )
        .into_response();
    res.headers_mut().insert(
        header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    res
}

/// The panic handler of `CatchPanicLayer`: log, and answer a marked 500.
pub(crate) fn panic_response(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let cause = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("unknown panic");
    AppError::Internal(format!("panic: {cause}")).into_response()
}

/// Renders marked error responses as pages.
pub(crate) async fn render_error_pages(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Response {
    let site = req.extensions().get::<CurrentSite>().cloned();
    let res = next.run(req).await;
    let Some(ErrorPage(status)) = res.extensions().get::<ErrorPage>().copied() else {
        return res;
    };
    let (title, message) = if status == StatusCode::NOT_FOUND {
        (
            "Không tìm thấy trang",
            "Trang bạn tìm không có hoặc đã được chuyển đi. Mời bạn về trang chủ hoặc chọn một chuyên mục trên thanh menu.",
        )
    } else {
        (
            "Hệ thống đang gặp sự cố",
            "Rất tiếc, đã có lỗi xảy ra khi hiển thị trang này. Chúng tôi đã ghi nhận sự cố; mời bạn thử lại sau ít phút.",
        )
    };
    let page = ErrorTemplate {
        layout: Layout::new(&state, site.as_deref(), title, None),
        title,
        message,
        status: status.as_u16(),
    };
    let body = page.render().unwrap_or_else(|_| format!("<!doctype html><html lang=\"vi\"><title>{title}</title><h1>{title}</h1><p>{message}</p></html>"));
    (status, [(header::CACHE_CONTROL, "no-store")], Html(body)).into_response()
}

#[derive(Template)]
#[template(path = "platform/suspended.html")]
struct SuspendedTemplate<'a> {
    name: &'a str,
    contact: String,
    css_url: String,
}

/// What every address of a suspended site answers: a calm page (or, for the
/// JSON addresses, a JSON error), 503, never cached.
pub(crate) fn suspended(site: &crate::platform::site::SiteCtx, path: &str) -> Response {
    let s = &site.site.settings;
    let name = if s.name.is_empty() {
        "Trang"
    } else {
        s.name.as_str()
    };
    let headers = [
        (header::CACHE_CONTROL, "no-store"),
        (header::RETRY_AFTER, "3600"),
    ];
    if path.ends_with(".json") {
        let body = serde_json::json!({
            "error": "site_suspended",
            "message": format!("{name} tạm ngừng hoạt động."),
        });
        return (StatusCode::SERVICE_UNAVAILABLE, headers, axum::Json(body)).into_response();
    }
    let contact = [s.phone.as_str(), s.email.as_str()]
        .into_iter()
        .filter(|v| !v.is_empty())
        .collect::<Vec<_>>()
        .join(" · ");
    let page = SuspendedTemplate {
        name,
        contact,
        css_url: crate::platform::assets::url("app.css"),
    };
    let body = page.render().unwrap_or_else(|_| {
        "<!doctype html><html lang=\"vi\"><title>Tạm ngừng hoạt động</title><h1>Trang tạm ngừng hoạt động</h1></html>".to_owned()
    });
    (StatusCode::SERVICE_UNAVAILABLE, headers, Html(body)).into_response()
}
