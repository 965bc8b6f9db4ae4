//! What every reader's page shares.

use crate::AppError;
use axum::response::Html;

/// Rendered HTML or an error page.
pub(crate) type PageResult = Result<Html<String>, AppError>;

/// The fallback for addresses no route knows.
pub(crate) async fn not_found() -> AppError {
    AppError::NotFound
}
