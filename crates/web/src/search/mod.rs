//! Search: this instance's index fed from the store's outbox, and the reader's
//! search page with its suggestions.

pub(crate) mod public;

pub use indexer::Searcher;

impl indexer::SiteNames for SiteCache {
    fn site_name(&self, site: domain::SiteId) -> String {
        self.name_of(site).unwrap_or_default()
    }
}

use crate::platform::parts::{ChoreFuture, Parts, When};
use crate::platform::routes::{NO_QUERY, Routes};
use crate::platform::site::SiteCache;
use crate::{AppState, WebOptions};
use axum::routing::get;
use std::sync::Arc;
use store::Store;

/// The search page and its suggestions. Their answers depend on the query and
/// say so themselves (`Cache-Control`); the cache keeps neither.
pub(crate) fn routes() -> Routes {
    Routes::new()
        .public("/tim-kiem", NO_QUERY, get(public::show))
        .public("/tim-kiem/goi-y.json", NO_QUERY, get(public::suggest))
}

/// Opens this instance's index, brings it up to date, and registers its chores:
/// taking in the outbox after every change and every second, pruning it hourly.
pub(crate) async fn install(
    parts: &mut Parts,
    store: &Store,
    sites: &SiteCache,
    options: &WebOptions,
) -> Result<(), store::Error> {
    let searcher = Arc::new(
        Searcher::open(options.search_dir.as_deref())
            .map_err(|e| store::Error::Corrupt(e.to_string()))?,
    );
    if let Err(e) = searcher.catch_up(store, sites).await {
        tracing::error!(error = %e, "could not bring the search index up to date");
    }
    parts.insert(searcher);
    parts.chore("search: outbox", When::AfterChange, catch_up);
    parts.chore("search: outbox", When::EverySecond, catch_up);
    parts.chore("search: prune the outbox", When::Hourly, prune);
    parts.menu_page(crate::platform::menu::ModulePage {
        key: "tim-kiem",
        label: "Tìm kiếm",
        path: "/tim-kiem",
        in_default: false,
    });
    Ok(())
}

/// Applies the outbox to the index. The searcher logs a failure once and paces
/// its retries itself.
fn catch_up(state: &AppState) -> ChoreFuture<'_> {
    Box::pin(async move {
        let _ = state.searcher().catch_up(&state.store, &state.sites).await;
    })
}

fn prune(state: &AppState) -> ChoreFuture<'_> {
    Box::pin(async move {
        if let Err(e) = state.searcher().prune(&state.store).await {
            tracing::warn!(error = %e, "could not prune the search outbox");
        }
    })
}

impl AppState {
    /// This instance's search index, fed from the store's outbox.
    pub fn searcher(&self) -> &Arc<Searcher> {
        self.part::<Arc<Searcher>>()
    }
}
