//! Search: this instance's index fed from the store's outbox, and the reader's
//! search page with its suggestions.

pub mod indexer;
pub(crate) mod public;

pub use indexer::Searcher;

use crate::platform::routes::{NO_QUERY, Routes};
use axum::routing::get;

/// The search page and its suggestions. Their answers depend on the query and
/// say so themselves (`Cache-Control`); the cache keeps neither.
pub(crate) fn routes() -> Routes {
    Routes::new()
        .public("/tim-kiem", NO_QUERY, get(public::show))
        .public("/tim-kiem/goi-y.json", NO_QUERY, get(public::suggest))
}
