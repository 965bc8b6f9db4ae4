//! Search: this instance's index fed from the store's outbox, and the reader's
//! search page with its suggestions.

pub mod indexer;
pub(crate) mod public;

pub use indexer::Searcher;
