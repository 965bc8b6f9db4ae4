//! eduportal's HTTP layer. [`router`] builds the whole application as one axum
//! `Router`; the binary serves it, and the tests drive the very same router
//! in-process.

mod assets;
mod error;
mod origin;
mod public;
mod router;
mod site;
mod views;

pub use error::AppError;
pub use router::router;
pub use site::SiteCache;

use std::path::PathBuf;
use std::sync::Arc;
use store::Store;

/// What the web layer needs to know from the configuration.
#[derive(Debug, Clone)]
pub struct WebOptions {
    /// Folder that `/media/` serves.
    pub media_dir: PathBuf,
    /// Articles per sitemap file; past this, `/sitemap.xml` becomes an index.
    /// The protocol allows 50,000 URLs a file; the first file also lists the
    /// home page and the categories, hence the margin.
    pub sitemap_page_size: usize,
}

impl WebOptions {
    /// Options with their defaults and the given media folder.
    pub fn new(media_dir: PathBuf) -> WebOptions {
        WebOptions {
            media_dir,
            sitemap_page_size: 49_000,
        }
    }
}

/// Everything a handler can reach: store, caches, options. Cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<App>);

/// The application behind [`AppState`].
pub struct App {
    /// The database.
    pub store: Store,
    /// Sites by host, with their menus.
    pub sites: SiteCache,
    /// Options.
    pub options: WebOptions,
}

impl AppState {
    /// Builds the state, reading every site from the store.
    pub async fn new(store: Store, options: WebOptions) -> Result<AppState, store::Error> {
        let sites = SiteCache::load(&store).await?;
        Ok(AppState(Arc::new(App {
            store,
            sites,
            options,
        })))
    }
}

impl std::ops::Deref for AppState {
    type Target = App;
    fn deref(&self) -> &App {
        &self.0
    }
}

/// Now, in UTC seconds.
pub(crate) fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
}
