//! One error type for handlers. A handler's error becomes a bare response marked
//! with [`ErrorPage`]; the [`render_error_pages`] middleware turns it into a calm
//! Vietnamese page in the site's layout. Causes go to the log, never to the visitor.

use crate::AppState;
use crate::platform::site::CurrentSite;
use crate::views::{ErrorTemplate, Layout};
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
    /// A bug or an outage; the message is logged, not shown.
    #[error("internal: {0}")]
    Internal(String),
}

impl AppError {
    /// A stable code for logs and for the message catalogue.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::NotFound => "page_not_found",
            AppError::Internal(_) => "internal_error",
        }
    }
}

impl From<store::Error> for AppError {
    fn from(e: store::Error) -> AppError {
        AppError::Internal(e.to_string())
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
