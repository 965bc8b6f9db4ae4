//! What the search index is fed from: the outbox of changed documents, and the
//! public articles as the index needs them.

use crate::{Result, Store};
use domain::{ArticleId, CategoryId, DocKind, SafeHtml, SiteId};
use sqlx::Row;

/// A change waiting for the indexers.
#[derive(Debug, Clone, PartialEq)]
pub struct OutboxEntry {
    /// Position in the outbox; indexers remember the last one applied.
    pub id: i64,
    /// Kind of document as stored ("article"); [`OutboxEntry::doc_kind`] reads it.
    pub kind: String,
    /// The document's id.
    pub doc_id: i64,
    /// Its site.
    pub site_id: SiteId,
}

impl OutboxEntry {
    /// The kind of document; none for a name this program does not know.
    pub fn doc_kind(&self) -> Option<DocKind> {
        DocKind::parse(&self.kind)
    }
}

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
    /// Outbox entries after `after`, oldest first, at most `limit`.
    pub async fn outbox_after(&self, after: i64, limit: i64) -> Result<Vec<OutboxEntry>> {
        let rows = sqlx::query(
            "SELECT id, kind, doc_id, site_id FROM search_outbox WHERE id > $1 ORDER BY id LIMIT $2",
        )
        .bind(after)
        .bind(limit)
        .fetch_all(self.db_read())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(OutboxEntry {
                    id: r.try_get("id")?,
                    kind: r.try_get("kind")?,
                    doc_id: r.try_get("doc_id")?,
                    site_id: SiteId(r.try_get("site_id")?),
                })
            })
            .collect()
    }

    /// The newest outbox position (0 when empty): where a fresh index starts from.
    pub async fn outbox_head(&self) -> Result<i64> {
        let row = sqlx::query("SELECT COALESCE(MAX(id), 0) AS head FROM search_outbox")
            .fetch_one(self.db_read())
            .await?;
        Ok(row.try_get("head")?)
    }

    /// How many outbox entries come after `after`: how far an index at that
    /// position is behind.
    pub async fn outbox_count_after(&self, after: i64) -> Result<i64> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM search_outbox WHERE id > $1")
            .bind(after)
            .fetch_one(self.db_read())
            .await?;
        Ok(row.try_get("n")?)
    }

    /// Forgets outbox entries older than `before` (every indexer has long applied them).
    pub async fn prune_outbox(&self, before: i64) -> Result<u64> {
        Ok(sqlx::query("DELETE FROM search_outbox WHERE at < $1")
            .bind(before)
            .execute(self.db_write())
            .await?
            .rows_affected())
    }

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
