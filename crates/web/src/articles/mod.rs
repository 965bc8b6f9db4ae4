//! Articles: the reader's pages (category, article, print, by date, feeds and
//! sitemap, live figures), the back office's editor and workflow, the
//! categories (`/quan-tri/chuyen-muc`), and what articles add to the menu and
//! the home page (`blocks`).

pub(crate) mod admin;
pub(crate) mod blocks;
pub(crate) mod by_date;
pub(crate) mod categories;
pub(crate) mod category;
pub(crate) mod diff;
pub(crate) mod feeds;
pub(crate) mod public;
pub(crate) mod stats;
pub(crate) mod views;

/// How many articles the side block "Tin mới" shows.
pub(crate) const SIDE_LATEST: i64 = 6;

use crate::platform::memo::Memo;
use crate::platform::parts::{ChoreFuture, Parts, When};
use crate::platform::routes::{NO_QUERY, PAGED, Routes};
use crate::{AppState, WebOptions, now};
use axum::extract::DefaultBodyLimit;
use axum::routing::{get, post};
use std::sync::Arc;

/// The articles' routes, public and back office.
pub(crate) fn routes(state: &AppState) -> Routes {
    // An article form carries its pasted images as base64 (4 bytes for every 3):
    // room for a few photos.
    let article_limit = usize::try_from(state.options.media_limits.image_bytes.saturating_mul(4))
        .unwrap_or(usize::MAX)
        + (1 << 20);
    Routes::new()
        .public("/tin-tuc/{category}", PAGED, get(category::show))
        .public("/tin-tuc/{category}/{slug}", PAGED, get(public::show))
        .public(
            "/tin-tuc/{category}/{slug}/in",
            NO_QUERY,
            get(public::print),
        )
        .public("/tin-theo-ngay", &["ngay"], get(by_date::pick))
        .public("/tin-theo-ngay/{date}", NO_QUERY, get(by_date::show))
        .public("/rss", NO_QUERY, get(feeds::page))
        .public("/rss.xml", NO_QUERY, get(feeds::site_feed))
        .public("/rss/{file}", NO_QUERY, get(feeds::category_feed))
        .public("/sitemap.xml", NO_QUERY, get(feeds::sitemap))
        .public("/sitemap/{file}", NO_QUERY, get(feeds::sitemap_page))
        .public("/robots.txt", NO_QUERY, get(feeds::robots))
        // Live figures: never frozen in a cache.
        .personal("/thong-ke.json", get(stats::show))
        .admin("/quan-tri/bai-viet", get(admin::list))
        .admin(
            "/quan-tri/bai-viet/moi",
            get(admin::new_form)
                .post(admin::create)
                .layer(DefaultBodyLimit::max(article_limit)),
        )
        .admin(
            "/quan-tri/bai-viet/{id}",
            get(admin::edit_form)
                .post(admin::save)
                .layer(DefaultBodyLimit::max(article_limit)),
        )
        .admin("/quan-tri/bai-viet/{id}/phien-ban", get(admin::revisions))
        .admin(
            "/quan-tri/chuyen-muc",
            get(categories::list).post(categories::create),
        )
        .admin(
            "/quan-tri/chuyen-muc/{id}",
            get(categories::edit_form).post(categories::save),
        )
        .admin(
            "/quan-tri/chuyen-muc/{id}/thu-tu",
            post(categories::reorder),
        )
        .admin(
            "/quan-tri/chuyen-muc/{id}/xoa",
            get(categories::delete_form).post(categories::delete),
        )
        .admin(
            "/quan-tri/bai-viet/{id}/phien-ban/{n}/khoi-phuc",
            post(admin::restore),
        )
}

/// What the articles keep per content version, so that a page rendered afresh
/// need not ask the database.
pub(crate) struct Memos {
    /// "Tin mới" of each site, shown beside every page.
    latest: Memo<(), Vec<domain::ArticleCard>>,
    /// Public articles by slug.
    articles: Memo<String, domain::Article>,
    /// Pages of "Các tin liên quan" by article and page number.
    related: Memo<(domain::ArticleId, u32), store::ArticleListing>,
}

/// The articles' state and chores.
pub(crate) fn install(parts: &mut Parts, options: &WebOptions) {
    parts.insert(Memos {
        latest: Memo::new(1_000),
        articles: Memo::new(options.cache.max_entries),
        related: Memo::new(options.cache.max_entries),
    });
    parts.chore("articles: scheduled publishing", When::Round, run_schedule);
    blocks::install(parts);
}

/// The scheduler: articles whose publish time or expiry has come change status
/// here, not on some reader's next visit; the round picks up the version bump.
fn run_schedule(state: &AppState) -> ChoreFuture<'_> {
    Box::pin(async move {
        if let Err(e) = state.store.run_schedule(now()).await {
            tracing::warn!(error = %e, "scheduled publishing failed; it is tried again next round");
        }
    })
}

impl AppState {
    fn memos(&self) -> &Memos {
        self.part()
    }

    /// The newest articles of a site for the side block, read once per content
    /// version (and at most every cache TTL) rather than on every page.
    pub(crate) async fn latest(
        &self,
        site: domain::SiteId,
    ) -> Result<Arc<Vec<domain::ArticleCard>>, store::Error> {
        let version = self.cache.version(site);
        let ttl = self.options.cache.ttl;
        let memo = &self.memos().latest;
        if self.memo_on()
            && let Some(v) = memo.get(site, &(), version, ttl)
        {
            return Ok(v);
        }
        let cards = self.store.latest(site, now(), SIDE_LATEST).await?;
        Ok(memo.put(site, (), version, cards))
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
        let memo = &self.memos().articles;
        if self.memo_on()
            && let Some(v) = memo.get(site, &key, version, ttl)
        {
            return Ok(Some(v));
        }
        Ok(self
            .store
            .public_article(site, slug, now())
            .await?
            .map(|a| memo.put(site, key, version, a)))
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
        let memo = &self.memos().related;
        if self.memo_on()
            && let Some(v) = memo.get(site, &key, version, ttl)
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
        Ok(memo.put(site, key, version, listing))
    }
}
