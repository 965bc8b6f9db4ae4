//! eduportal's HTTP layer. [`router`] builds the whole application as one axum
//! `Router`; the binary serves it, and the tests drive the very same router
//! in-process.

mod accounts;
mod articles;
pub mod exams;
mod health;
mod home;
mod media;
mod platform;
mod router;
pub mod search;
mod settings;
mod views;

pub use accounts::{auth, codes as totp};
pub use exams::registry::{
    Exams, LookupLimit, PreparedImport, prepare_import, removed_candidates, shrinks_too_much,
};
pub use platform::cache::{CacheOptions, PageCache};
pub use platform::counters::{self as counters, Counters};
pub use platform::error::AppError;
pub use platform::frontdoor;
pub use platform::server;
pub use platform::site::SiteCache;
pub use router::{router, service};
pub use search::indexer as searching;

use std::path::PathBuf;
use std::sync::Arc;
use store::Store;

/// What the web layer needs to know from the configuration.
#[derive(Debug, Clone)]
pub struct WebOptions {
    /// Folder that `/media/` serves.
    pub media_dir: PathBuf,
    /// Largest uploads, per kind of file.
    pub media_limits: ::media::Limits,
    /// Folder of this instance's search index; `None`: in memory (tests).
    pub search_dir: Option<PathBuf>,
    /// Articles per sitemap file; past this, `/sitemap.xml` becomes an index.
    /// The protocol allows 50,000 URLs a file; the first file also lists the
    /// home page and the categories, hence the margin.
    pub sitemap_page_size: usize,
    /// Take the client's address from `X-Forwarded-For` (only behind a proxy
    /// that sets it).
    pub trust_forwarded_for: bool,
    /// The page cache.
    pub cache: CacheOptions,
    /// Where requests run once past the front door. The server answers cache hits
    /// on a runtime per core and sends everything else here, to the one runtime
    /// that owns the database connections (a connection's socket belongs to the
    /// runtime that opened it). `None`: where the request arrived.
    pub inner_runtime: Option<tokio::runtime::Handle>,
    /// Lookups of exam results allowed per client address.
    pub exam_lookups: LookupLimit,
    /// Largest results file the back office takes.
    pub exam_file_bytes: u64,
    /// Largest grid (rows × columns) of a results file (`[exams] max_cells`).
    pub exam_max_cells: u64,
}

/// The name of the back office's session cookie; requests that carry it are
/// never answered from the page cache.
pub const SESSION_COOKIE: &str = "ep_phien";

impl WebOptions {
    /// Options with their defaults and the given media folder.
    pub fn new(media_dir: PathBuf) -> WebOptions {
        WebOptions {
            media_dir,
            media_limits: ::media::Limits::default(),
            search_dir: None,
            sitemap_page_size: 49_000,
            trust_forwarded_for: false,
            cache: CacheOptions::default(),
            inner_runtime: None,
            exam_lookups: LookupLimit::default(),
            exam_file_bytes: 100 * 1_048_576,
            exam_max_cells: exam::DEFAULT_MAX_CELLS,
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
    /// Rendered pages.
    pub cache: PageCache,
    /// Views and visits not yet written to the store.
    pub counters: Counters,
    /// This instance's search index, fed from the store's outbox.
    pub search: Arc<search::Searcher>,
    /// Exam sessions, with the candidates of published ones, in memory.
    pub exams: Exams,
    /// Lookups of exam results per client address.
    exam_lookups: exams::registry::RateLimiter,
    /// Results files waiting for the admin's confirmation.
    exam_files: exams::registry::PendingFiles,
    /// Login attempts, one at a time per login name and per address.
    login_turns: platform::keyed::KeyedLocks,
    /// "Tin mới" of each site, shown beside every page.
    latest: platform::memo::Memo<(), Vec<domain::ArticleCard>>,
    /// Public articles by slug.
    articles: platform::memo::Memo<String, domain::Article>,
    /// Pages of "Các tin liên quan" by article and page number.
    related: platform::memo::Memo<(domain::ArticleId, u32), store::ArticleListing>,
    /// Options.
    pub options: WebOptions,
}

impl AppState {
    /// Builds the state, reading every site from the store.
    pub async fn new(store: Store, options: WebOptions) -> Result<AppState, store::Error> {
        let sites = SiteCache::load(&store).await?;
        let cache = PageCache::new(options.cache.clone());
        cache.refresh_versions(&store).await?;
        let counters = Counters::default();
        // Stored totals are known from the start, not only after the first flush.
        counters.flush(&store, now()).await?;
        let search = Arc::new(
            search::Searcher::open(options.search_dir.as_deref())
                .map_err(|e| store::Error::Corrupt(e.to_string()))?,
        );
        if let Err(e) = search.catch_up(&store, &sites).await {
            tracing::error!(error = %e, "could not bring the search index up to date");
        }
        let exams = Exams::default();
        exams.refresh(&store).await?;
        Ok(AppState(Arc::new(App {
            store,
            sites,
            cache,
            counters,
            search,
            exams,
            exam_lookups: exams::registry::RateLimiter::new(options.exam_lookups),
            exam_files: exams::registry::PendingFiles::default(),
            login_turns: platform::keyed::KeyedLocks::default(),
            latest: platform::memo::Memo::new(1_000),
            articles: platform::memo::Memo::new(options.cache.max_entries),
            related: platform::memo::Memo::new(options.cache.max_entries),
            options,
        })))
    }

    /// One round of background chores: write counts, pick up content changes made
    /// elsewhere (another instance, the CLI). The server runs it every few seconds.
    pub async fn tick(&self) -> Result<(), store::Error> {
        let flushed = self.counters.flush(&self.store, now()).await;
        // The scheduler: articles whose publish time or expiry has come change
        // status here, not on some reader's next visit; the version bump it makes
        // is picked up just below.
        if let Err(e) = self.store.run_schedule(now()).await {
            tracing::warn!(error = %e, "scheduled publishing failed; it is tried again next round");
        }
        self.content_changed().await?;
        // Sessions imported or published on another instance (or the CLI).
        if let Err(e) = self.exams.refresh(&self.store).await {
            tracing::warn!(error = %e, "exam sessions not reloaded; tried again next round");
        }
        flushed
    }

    /// Picks up content versions from the store, so that pages cached before a
    /// change are not served again. The back office calls it after each change, so
    /// the instance that made it shows it at once; other instances pick it up on
    /// their next [`AppState::tick`].
    pub async fn content_changed(&self) -> Result<(), store::Error> {
        if self.cache.refresh_versions(&self.store).await? {
            // Menus and settings may have changed too.
            self.sites.reload(&self.store).await?;
        }
        self.update_search().await;
        Ok(())
    }

    /// Applies the outbox to the search index. A failure is logged, never passed
    /// on: the next round tries again from where the index stands.
    pub async fn update_search(&self) {
        // The searcher logs a failure once and paces its retries itself.
        let _ = self.search.catch_up(&self.store, &self.sites).await;
    }

    /// Runs [`AppState::tick`] every `every` until `stop` resolves, then flushes
    /// the counters a last time, so a shutdown loses no count.
    pub async fn run_background(
        &self,
        every: std::time::Duration,
        stop: impl std::future::Future<Output = ()>,
    ) {
        let mut interval = tokio::time::interval(every);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        // Changes made by another instance (or the CLI) reach this index within a
        // second or so.
        let mut search_every = tokio::time::interval(std::time::Duration::from_secs(1));
        search_every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut prune_every = tokio::time::interval(std::time::Duration::from_secs(3600));
        tokio::pin!(stop);
        loop {
            tokio::select! {
                _ = interval.tick() => {
                    if let Err(e) = self.tick().await {
                        tracing::warn!(error = %e, "background flush failed; counts are kept for the next try");
                    }
                }
                _ = search_every.tick() => self.update_search().await,
                _ = prune_every.tick() => {
                    if let Err(e) = self.search.prune(&self.store).await {
                        tracing::warn!(error = %e, "could not prune the search outbox");
                    }
                }
                () = &mut stop => break,
            }
        }
        self.shutdown().await;
    }

    /// Whether store results may be kept per content version.
    fn memo_on(&self) -> bool {
        self.options.cache.data
    }

    /// The newest articles of a site for the side block, read once per content
    /// version (and at most every cache TTL) rather than on every page.
    pub(crate) async fn latest(
        &self,
        site: domain::SiteId,
    ) -> Result<Arc<Vec<domain::ArticleCard>>, store::Error> {
        let version = self.cache.version(site);
        let ttl = self.options.cache.ttl;
        if self.memo_on()
            && let Some(v) = self.latest.get(site, &(), version, ttl)
        {
            return Ok(v);
        }
        let cards = self
            .store
            .latest(site, now(), articles::SIDE_LATEST)
            .await?;
        Ok(self.latest.put(site, (), version, cards))
    }

    /// A public article by slug (see [`store::Store::public_article`]), memoised.
    /// Unknown slugs are not remembered, so probing cannot fill the memory.
    pub(crate) async fn public_article(
        &self,
        site: domain::SiteId,
        slug: &str,
    ) -> Result<Option<Arc<domain::Article>>, store::Error> {
        let version = self.cache.version(site);
        let ttl = self.options.cache.ttl;
        let key = slug.to_owned();
        if self.memo_on()
            && let Some(v) = self.articles.get(site, &key, version, ttl)
        {
            return Ok(Some(v));
        }
        Ok(self
            .store
            .public_article(site, slug, now())
            .await?
            .map(|a| self.articles.put(site, key, version, a)))
    }

    /// One page of an article's related news, memoised.
    pub(crate) async fn related(
        &self,
        article: &domain::Article,
        page: domain::PageNumber,
        per_page: u32,
    ) -> Result<Arc<store::ArticleListing>, store::Error> {
        let site = article.site_id;
        let version = self.cache.version(site);
        let ttl = self.options.cache.ttl;
        let key = (article.id, page.0);
        if self.memo_on()
            && let Some(v) = self.related.get(site, &key, version, ttl)
        {
            return Ok(v);
        }
        let listing = self
            .store
            .related_articles(article, now(), i64::from(per_page), page.offset(per_page))
            .await?;
        // Pages past the end are not remembered: asking for them must not fill memory.
        if listing.items.is_empty() && page.0 > 1 {
            return Ok(Arc::new(listing));
        }
        Ok(self.related.put(site, key, version, listing))
    }

    /// Writes what the counters hold. Call it once the server stopped taking requests.
    pub async fn shutdown(&self) {
        if let Err(e) = self.counters.flush(&self.store, now()).await {
            tracing::error!(error = %e, "could not write the last counts at shutdown");
        }
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
