//! Counters: views and visits, small numbers that many requests add to and the
//! server writes in batches.

use crate::{Result, Store};
use domain::{ArticleId, SiteId};
use sqlx::Row;

/// Counts gathered in memory since the last flush, to be added to the store.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CountDeltas {
    /// Views per article.
    pub views: Vec<(ArticleId, i64)>,
    /// Per site and Vietnamese day (`YYYY-MM-DD`).
    pub daily: Vec<DailyDelta>,
}

impl CountDeltas {
    /// Nothing to write.
    pub fn is_empty(&self) -> bool {
        self.views.is_empty() && self.daily.is_empty()
    }
}

/// One site's counts for one day.
#[derive(Debug, Clone, PartialEq)]
pub struct DailyDelta {
    /// Site.
    pub site: SiteId,
    /// `YYYY-MM-DD` in Asia/Ho_Chi_Minh.
    pub day: String,
    /// New visits (a new visitor, or one back after 30 minutes).
    pub visits: i64,
    /// Pages read by people.
    pub page_views: i64,
    /// Requests by known bots and crawlers.
    pub bot_hits: i64,
}

/// A site's visit figures as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SiteTotals {
    /// Site.
    pub site: SiteId,
    /// Visits since the site began.
    pub total_visits: i64,
    /// Visits today.
    pub today_visits: i64,
}

/// One day of a site's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DailyRow {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// Visits.
    pub visits: i64,
    /// Pages read.
    pub page_views: i64,
    /// Bot requests.
    pub bot_hits: i64,
}

impl Store {
    /// Adds the deltas in one transaction: all or nothing.
    pub async fn add_counts(&self, deltas: &CountDeltas) -> Result<()> {
        if deltas.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        for (article, n) in &deltas.views {
            sqlx::query("UPDATE articles SET views = views + $1 WHERE id = $2")
                .bind(n)
                .bind(article.0)
                .execute(&mut *tx)
                .await?;
        }
        for d in &deltas.daily {
            sqlx::query(
                "INSERT INTO site_daily (site_id, day, visits, page_views, bot_hits) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (site_id, day) DO UPDATE SET \
                 visits = site_daily.visits + excluded.visits, \
                 page_views = site_daily.page_views + excluded.page_views, \
                 bot_hits = site_daily.bot_hits + excluded.bot_hits",
            )
            .bind(d.site.0)
            .bind(&d.day)
            .bind(d.visits)
            .bind(d.page_views)
            .bind(d.bot_hits)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Adds views and downloads of documents (`id`, views, downloads) in one
    /// transaction.
    pub async fn add_document_counts(
        &self,
        counts: &[(domain::DocumentId, i64, i64)],
    ) -> Result<()> {
        if counts.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        for (id, views, downloads) in counts {
            sqlx::query(
                "UPDATE documents SET views = views + $1, downloads = downloads + $2 WHERE id = $3",
            )
            .bind(views)
            .bind(downloads)
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Every site's total and today's visits.
    pub async fn site_totals(&self, today: &str) -> Result<Vec<SiteTotals>> {
        let rows = sqlx::query(
            "SELECT s.id, \
             CAST(COALESCE((SELECT SUM(d.visits) FROM site_daily d WHERE d.site_id = s.id), 0) AS BIGINT) AS total, \
             CAST(COALESCE((SELECT d.visits FROM site_daily d WHERE d.site_id = s.id AND d.day = $1), 0) AS BIGINT) AS today \
             FROM sites s",
        )
        .bind(today)
        .fetch_all(self.db_read())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(SiteTotals {
                    site: SiteId(r.try_get("id")?),
                    total_visits: r.try_get("total")?,
                    today_visits: r.try_get("today")?,
                })
            })
            .collect()
    }

    /// An article's site and stored view count, if it is published.
    pub async fn article_views_of(&self, article: ArticleId) -> Result<Option<(SiteId, i64)>> {
        let row = sqlx::query(
            "SELECT site_id, views FROM articles WHERE id = $1 AND status = 'published'",
        )
        .bind(article.0)
        .fetch_optional(self.db_read())
        .await?;
        row.map(|r| Ok((SiteId(r.try_get("site_id")?), r.try_get("views")?)))
            .transpose()
    }

    /// A site's daily history between two days (inclusive), oldest first.
    pub async fn daily_history(&self, site: SiteId, from: &str, to: &str) -> Result<Vec<DailyRow>> {
        let rows = sqlx::query(
            "SELECT day, visits, page_views, bot_hits FROM site_daily \
             WHERE site_id = $1 AND day >= $2 AND day <= $3 ORDER BY day",
        )
        .bind(site.0)
        .bind(from)
        .bind(to)
        .fetch_all(self.db_read())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(DailyRow {
                    day: r.try_get("day")?,
                    visits: r.try_get("visits")?,
                    page_views: r.try_get("page_views")?,
                    bot_hits: r.try_get("bot_hits")?,
                })
            })
            .collect()
    }
}
