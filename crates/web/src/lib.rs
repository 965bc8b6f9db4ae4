//! eduportal's HTTP layer. [`router`] builds the whole application as one axum
//! `Router`; the binary serves it, and the tests drive the very same router
//! in-process.

mod accounts;
mod articles;
mod documents;
mod drafts;
mod emulation;
pub mod exams;
mod gallery;
mod health;
mod home;
mod links;
pub mod mail;
mod media;
mod menus;
mod notices;
mod pages;
mod platform;
pub mod questions;
mod router;
pub mod search;
mod settings;
mod units;
pub mod weather;

pub use accounts::{auth, codes};
pub use documents::import as document_import;
pub use exams::registry::{Exams, LookupLimit};
pub use mail::{MailOptions, MailTls, send_queued_mail};
pub use media::uploads::add_missing_sizes;
pub use platform::antispam::SpamLimits;
pub use platform::cache::{CacheOptions, PageCache};
pub use platform::counters::{self as counters, Counters};
pub use platform::error::AppError;
pub use platform::frontdoor;
pub use platform::server;
pub use platform::site::SiteCache;
pub use router::{router, service};
pub use weather::{WeatherOptions, refresh_weather};

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
    /// How the weather is fetched (`[weather]`).
    pub weather: WeatherOptions,
    /// The SMTP server of the mail queue (`[mail]`); `None`: nothing is sent.
    pub mail: Option<MailOptions>,
    /// How public forms are guarded against spam (`[antispam]`).
    pub spam: SpamLimits,
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
            weather: WeatherOptions::default(),
            mail: None,
            spam: SpamLimits::default(),
        }
    }
}

/// Everything a handler can reach: store, caches, options. Cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<App>);

/// The application behind [`AppState`]: the shared core; each feature keeps its
/// own state in `parts` (see its `install`).
pub struct App {
    /// The database.
    pub store: Store,
    /// Sites by host, with their menus.
    pub sites: SiteCache,
    /// Rendered pages.
    pub cache: PageCache,
    /// Views and visits not yet written to the store.
    pub counters: Counters,
    /// Each feature's state and chores.
    parts: platform::parts::Parts,
    /// Options.
    pub options: WebOptions,
}

/// Keeps the database's planner statistics current as the tables grow.
fn refresh_statistics(state: &AppState) -> platform::parts::ChoreFuture<'_> {
    Box::pin(async move {
        if let Err(e) = state.store.refresh_statistics().await {
            tracing::warn!(error = %e, "refreshing the planner's statistics failed; tried again in an hour");
        }
    })
}

impl AppState {
    /// Builds the state, reading every site from the store, and installs every
    /// feature's state and chores.
    pub async fn new(store: Store, options: WebOptions) -> Result<AppState, store::Error> {
        let sites = SiteCache::load(&store).await?;
        let cache = PageCache::new(options.cache.clone());
        cache.refresh_versions(&store).await?;
        let counters = Counters::default();
        // Stored totals are known from the start, not only after the first flush.
        counters.flush(&store, now()).await?;
        let mut parts = platform::parts::Parts::default();
        articles::install(&mut parts, &options);
        search::install(&mut parts, &store, &sites, &options).await?;
        exams::install(&mut parts, &store, &options).await?;
        accounts::install(&mut parts);
        settings::install(&mut parts);
        pages::install(&mut parts);
        documents::install(
            &mut parts,
            &store,
            &sites,
            &cache,
            options.cache.max_entries,
        )
        .await?;
        units::install(&mut parts);
        links::install(&mut parts, &store, cache.all_versions()).await?;
        weather::install(&mut parts);
        mail::install(&mut parts);
        questions::install(&mut parts);
        platform::antispam::install(&mut parts, options.spam);
        notices::install(&mut parts, &store).await?;
        drafts::install(&mut parts);
        home::install(&mut parts);
        parts.chore(
            "store: refresh the planner's statistics",
            platform::parts::When::Hourly,
            refresh_statistics,
        );
        emulation::install(&mut parts);
        gallery::install(&mut parts);
        // Every feature has offered its menu targets: menus can be built now.
        sites.use_menus(parts.take_menu());
        sites.reload(&store).await?;
        Ok(AppState(Arc::new(App {
            store,
            sites,
            cache,
            counters,
            parts,
            options,
        })))
    }

    /// Whether store results may be kept per content version (`[cache] data`).
    pub(crate) fn memo_on(&self) -> bool {
        self.options.cache.data
    }

    /// The kinds of home-page block the features registered.
    pub(crate) fn block_kinds(&self) -> &[platform::blocks::BlockKind] {
        self.parts.home_blocks()
    }

    /// The parts of the application (the features' feeds and sitemaps).
    pub(crate) fn parts(&self) -> &platform::parts::Parts {
        &self.parts
    }

    /// The features' parts of every page of `site` at `place`, as HTML.
    pub(crate) fn page_parts(
        &self,
        place: platform::parts::Place,
        site: &platform::site::SiteCtx,
    ) -> Vec<String> {
        self.parts
            .page_parts(place)
            .filter_map(|p| (p.render)(self, site))
            .collect()
    }

    /// A feature's state (see [`platform::parts::Parts::get`]).
    pub(crate) fn part<T: std::any::Any>(&self) -> &T {
        self.parts.get()
    }

    async fn run_chores(&self, when: platform::parts::When) {
        for chore in self.parts.chores(when) {
            tracing::trace!(chore = chore.name, "chore");
            (chore.run)(self).await;
        }
    }

    /// One round of background chores: write counts, run the features' round
    /// chores (the scheduler, exam sessions changed elsewhere), pick up content
    /// changes made elsewhere (another instance, the CLI). The server runs it
    /// every few seconds.
    pub async fn tick(&self) -> Result<(), store::Error> {
        let flushed = self.counters.flush(&self.store, now()).await;
        self.run_chores(platform::parts::When::Round).await;
        self.content_changed().await?;
        flushed
    }

    /// Picks up content versions from the store, so that pages cached before a
    /// change are not served again, then runs the features' after-change chores
    /// (the search index takes in the outbox). The back office calls it after
    /// each change, so the instance that made it shows it at once; other
    /// instances pick it up on their next [`AppState::tick`].
    pub async fn content_changed(&self) -> Result<(), store::Error> {
        if self.cache.refresh_versions(&self.store).await? {
            // Menus and settings may have changed too.
            self.sites.reload(&self.store).await?;
        }
        self.run_chores(platform::parts::When::AfterChange).await;
        Ok(())
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
        // Changes made by another instance (or the CLI) arrive within a second or so.
        let mut every_second = tokio::time::interval(std::time::Duration::from_secs(1));
        every_second.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        let mut hourly = tokio::time::interval(std::time::Duration::from_secs(3600));
        tokio::pin!(stop);
        loop {
            tokio::select! {
                _ = interval.tick() => {
                    if let Err(e) = self.tick().await {
                        tracing::warn!(error = %e, "background flush failed; counts are kept for the next try");
                    }
                }
                _ = every_second.tick() => self.run_chores(platform::parts::When::EverySecond).await,
                _ = hourly.tick() => self.run_chores(platform::parts::When::Hourly).await,
                () = &mut stop => break,
            }
        }
        self.shutdown().await;
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
