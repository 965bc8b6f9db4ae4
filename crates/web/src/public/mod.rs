//! Pages that readers see.

pub(crate) mod article;
pub(crate) mod by_date;
pub(crate) mod category;
pub(crate) mod exams;
pub(crate) mod feeds;
pub(crate) mod health;
pub(crate) mod home;
pub(crate) mod search;
pub(crate) mod stats;

use crate::AppError;
use axum::response::Html;

/// Rendered HTML or an error page.
pub(crate) type PageResult = Result<Html<String>, AppError>;

/// The fallback for addresses no route knows.
pub(crate) async fn not_found() -> AppError {
    AppError::NotFound
}

/// How many articles the side block "Tin mới" shows.
pub(crate) const SIDE_LATEST: i64 = 6;
