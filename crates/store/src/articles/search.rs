//! Articles as the search index needs them: what it shows and matches of each
//! public one.

use crate::{Result, Store};
use domain::{ArticleId, CategoryId, SafeHtml, SiteId};
use sqlx::Row;

/// A public article with what search shows and matches.
#[derive(Debug, Clone, PartialEq)]
pub struct SearchArticle {
    /// Id.
    pub id: ArticleId,
    /// Site.
    pub site_id: SiteId,
    /// Category.
    pub category_id: CategoryId,
    /// Category name.
    pub category_name: String,
    /// Public path.
    pub path: String,
    /// Title.
    pub title: String,
    /// Sapo.
    pub summary: String,
    /// Body text, without markup.
    pub body_text: String,
    /// Publish time, UTC seconds.
    pub published_at: i64,
}

const SEARCH_COLUMNS: &str = "a.id, a.site_id, a.category_id, c.name AS category_name, \
     c.slug AS category_slug, a.slug, a.title, a.summary, a.body_html, a.published_at";

impl Store {
    /// An article if readers can see it now (none: it must leave the index).
    pub async fn searchable_article(
        &self,
        id: ArticleId,
        now: i64,
    ) -> Result<Option<SearchArticle>> {
        let sql = format!(
            "SELECT {SEARCH_COLUMNS} FROM articles a JOIN categories c ON c.id = a.category_id \
             WHERE a.id = $1 AND a.status = 'published' AND a.published_at <= $2"
        );
        let row = sqlx::query(&sql)
            .bind(id.0)
            .bind(now)
            .fetch_optional(self.db_read())
            .await?;
        row.as_ref().map(search_article).transpose()
    }

    /// Public articles with an id above `after`, by id, at most `limit`: a full
    /// reindex walks them page by page.
    pub async fn searchable_articles(
        &self,
        after: ArticleId,
        now: i64,
        limit: i64,
    ) -> Result<Vec<SearchArticle>> {
        let sql = format!(
            "SELECT {SEARCH_COLUMNS} FROM articles a JOIN categories c ON c.id = a.category_id \
             WHERE a.id > $1 AND a.status = 'published' AND a.published_at <= $2 \
             ORDER BY a.id LIMIT $3"
        );
        let rows = sqlx::query(&sql)
            .bind(after.0)
            .bind(now)
            .bind(limit)
            .fetch_all(self.db_read())
            .await?;
        rows.iter().map(search_article).collect()
    }

    /// How many public articles there are in all sites (for a progress bar).
    pub async fn searchable_article_count(&self, now: i64) -> Result<i64> {
        let row = sqlx::query(
            "SELECT COUNT(*) AS n FROM articles WHERE status = 'published' AND published_at <= $1",
        )
        .bind(now)
        .fetch_one(self.db_read())
        .await?;
        Ok(row.try_get("n")?)
    }
}

fn search_article(r: &sqlx::any::AnyRow) -> Result<SearchArticle> {
    let category_slug: String = r.try_get("category_slug")?;
    let slug: String = r.try_get("slug")?;
    Ok(SearchArticle {
        id: ArticleId(r.try_get("id")?),
        site_id: SiteId(r.try_get("site_id")?),
        category_id: CategoryId(r.try_get("category_id")?),
        category_name: r.try_get("category_name")?,
        path: format!("/tin-tuc/{category_slug}/{slug}"),
        title: r.try_get("title")?,
        summary: r.try_get("summary")?,
        body_text: SafeHtml::from_stored(r.try_get("body_html")?).to_plain_text(),
        published_at: r.try_get("published_at")?,
    })
}
