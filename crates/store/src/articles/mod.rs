//! Articles: the lists and pages readers see and the writes that make them;
//! the back office's side in [`editorial`], what search reads in [`search`].

pub(crate) mod copies;
pub(crate) mod editorial;
pub(crate) mod search;

use crate::change::AuditNote;
use crate::error::on_unique;
use crate::media::media_from_row;
use crate::query::Sql;
use crate::{Error, Result, Store};
use domain::{
    Article, ArticleCard, ArticleId, ArticleOrigin, ArticleStatus, Category, CategoryId,
    GalleryImage, NewArticle, SafeHtml, SiteId,
};
use editorial::{article_change, revision_copy};
use sqlx::Row;
use sqlx::any::AnyRow;

/// A page of a list and the size of the whole list.
#[derive(Debug, Clone)]
pub struct ArticleListing {
    /// The cards on this page.
    pub items: Vec<ArticleCard>,
    /// How many articles the whole list has.
    pub total: i64,
}

/// Columns of a card; `a` is the article, `c` its category, `m` its cover.
const CARD_COLUMNS: &str = "a.id, a.slug, a.title, a.summary, a.published_at, \
     c.slug AS category_slug, c.name AS category_name, \
     m.id AS media_id, m.path AS media_path, m.thumb_path AS media_thumb, \
     m.width AS media_width, m.height AS media_height, m.variants AS media_variants";

const CARD_FROM: &str = "FROM articles a JOIN categories c ON c.id = a.category_id \
     LEFT JOIN media m ON m.id = a.cover_media_id";

/// Which of a site's public articles a list or a count takes.
#[derive(Debug, Clone, Copy)]
enum Which {
    /// Every one.
    All,
    /// The featured ones.
    Featured,
    /// Those of a category and of its sub-categories.
    Category(CategoryId),
    /// Those of a category published before an article (at the same time: a lower id).
    Before {
        category: CategoryId,
        published_at: i64,
        id: ArticleId,
    },
    /// Those published in `[from, to)`.
    Between(i64, i64),
    /// Those published before a time.
    PublishedBefore(i64),
    /// Those published at or after a time.
    PublishedFrom(i64),
}

impl Which {
    /// Appends ` AND …` for the choice (nothing for [`Which::All`]).
    fn push(self, sql: &mut Sql<'_>) {
        match self {
            Which::All => {}
            Which::Featured => {
                sql.push(" AND a.featured = 1");
            }
            Which::Category(c) => {
                sql.push(" AND a.category_id IN (SELECT id FROM categories WHERE id = ")
                    .bind(c.0)
                    .push(" OR parent_id = ")
                    .bind(c.0)
                    .push(")");
            }
            Which::Before {
                category,
                published_at,
                id,
            } => {
                sql.push(" AND a.category_id = ")
                    .bind(category.0)
                    .push(" AND (a.published_at < ")
                    .bind(published_at)
                    .push(" OR (a.published_at = ")
                    .bind(published_at)
                    .push(" AND a.id < ")
                    .bind(id.0)
                    .push("))");
            }
            Which::Between(from, to) => {
                sql.push(" AND a.published_at >= ")
                    .bind(from)
                    .push(" AND a.published_at < ")
                    .bind(to);
            }
            Which::PublishedBefore(t) => {
                sql.push(" AND a.published_at < ").bind(t);
            }
            Which::PublishedFrom(t) => {
                sql.push(" AND a.published_at >= ").bind(t);
            }
        }
    }
}

/// Appends what readers may see: published, and its time has come (`a` is the article).
fn push_visible(sql: &mut Sql<'_>, now: i64) {
    sql.push("a.status = 'published' AND a.published_at <= ")
        .bind(now);
}

/// Appends the public articles of a site: `a.site_id = …` and [`push_visible`].
fn push_public(sql: &mut Sql<'_>, site: SiteId, now: i64) {
    sql.push("a.site_id = ").bind(site.0).push(" AND ");
    push_visible(sql, now);
}

impl Store {
    /// Public cards of a site, newest first.
    async fn card_list(
        &self,
        site: SiteId,
        now: i64,
        which: Which,
        limit: i64,
    ) -> Result<Vec<ArticleCard>> {
        let mut sql = Sql::new(&format!("SELECT {CARD_COLUMNS} {CARD_FROM} WHERE "));
        push_public(&mut sql, site, now);
        which.push(&mut sql);
        sql.push(" ORDER BY a.published_at DESC, a.id DESC LIMIT ")
            .bind(limit);
        let rows = sql.query().fetch_all(self.db_read()).await?;
        rows.iter().map(card_from_row).collect()
    }

    /// Like [`Store::card_list`], one page of it and the size of the whole list.
    async fn card_page(
        &self,
        site: SiteId,
        now: i64,
        which: Which,
        limit: i64,
        offset: i64,
    ) -> Result<ArticleListing> {
        // The total rides along on every row (a window count): one query, not two.
        let mut sql = Sql::new(&format!(
            "SELECT {CARD_COLUMNS}, COUNT(*) OVER () AS total_count {CARD_FROM} WHERE "
        ));
        push_public(&mut sql, site, now);
        which.push(&mut sql);
        sql.push(" ORDER BY a.published_at DESC, a.id DESC LIMIT ")
            .bind(limit)
            .push(" OFFSET ")
            .bind(offset);
        let rows = sql.query().fetch_all(self.db_read()).await?;
        let total = match rows.first() {
            Some(r) => r.try_get("total_count")?,
            // Past the end, the rows say nothing about the total: ask.
            None if offset > 0 => {
                let mut count = Sql::new("SELECT COUNT(*) AS n FROM articles a WHERE ");
                push_public(&mut count, site, now);
                which.push(&mut count);
                count
                    .query()
                    .fetch_one(self.db_read())
                    .await?
                    .try_get("n")?
            }
            None => 0,
        };
        Ok(ArticleListing {
            items: rows.iter().map(card_from_row).collect::<Result<_>>()?,
            total,
        })
    }

    /// The public articles of several sites (a department's units), newest first:
    /// each with its site; and, when `count`, how many there are in all.
    pub async fn news_of_sites(
        &self,
        sites: &[SiteId],
        now: i64,
        limit: i64,
        offset: i64,
        count: bool,
    ) -> Result<(Vec<(SiteId, ArticleCard)>, i64)> {
        if sites.is_empty() {
            return Ok((Vec::new(), 0));
        }
        let within = |sql: &mut Sql<'_>| {
            sql.push("a.site_id IN (");
            for (i, s) in sites.iter().enumerate() {
                if i > 0 {
                    sql.push(", ");
                }
                sql.bind(s.0);
            }
            sql.push(") AND ");
            push_visible(sql, now);
        };
        let mut sql = Sql::new(&format!(
            "SELECT {CARD_COLUMNS}, a.site_id AS card_site {CARD_FROM} WHERE "
        ));
        within(&mut sql);
        sql.push(" ORDER BY a.published_at DESC, a.id DESC LIMIT ")
            .bind(limit)
            .push(" OFFSET ")
            .bind(offset);
        let rows = sql.query().fetch_all(self.db_read()).await?;
        let items = rows
            .iter()
            .map(|r| Ok((SiteId(r.try_get("card_site")?), card_from_row(r)?)))
            .collect::<Result<Vec<_>>>()?;
        let total = if count {
            let mut c = Sql::new("SELECT COUNT(*) AS n FROM articles a WHERE ");
            within(&mut c);
            c.query().fetch_one(self.db_read()).await?.try_get("n")?
        } else {
            items.len() as i64
        };
        Ok((items, total))
    }

    /// The newest featured articles of a site ("Tin nổi bật").
    pub async fn featured(&self, site: SiteId, now: i64, limit: i64) -> Result<Vec<ArticleCard>> {
        self.card_list(site, now, Which::Featured, limit).await
    }

    /// The newest articles of a site, all categories.
    pub async fn latest(&self, site: SiteId, now: i64, limit: i64) -> Result<Vec<ArticleCard>> {
        self.card_list(site, now, Which::All, limit).await
    }

    /// One page of a category's articles (its sub-categories' too), newest first.
    pub async fn category_articles(
        &self,
        site: SiteId,
        category: CategoryId,
        now: i64,
        limit: i64,
        offset: i64,
    ) -> Result<ArticleListing> {
        self.card_page(site, now, Which::Category(category), limit, offset)
            .await
    }

    /// The newest articles of a category (its sub-categories' too), without the
    /// count a paged list needs (the home page's blocks).
    pub async fn category_cards(
        &self,
        site: SiteId,
        category: CategoryId,
        now: i64,
        limit: i64,
    ) -> Result<Vec<ArticleCard>> {
        self.card_list(site, now, Which::Category(category), limit)
            .await
    }

    /// "Các tin liên quan": one page of the articles of the same category published
    /// before `article`, newest first.
    pub async fn related_articles(
        &self,
        article: &Article,
        now: i64,
        limit: i64,
        offset: i64,
    ) -> Result<ArticleListing> {
        let which = Which::Before {
            category: article.category.id,
            published_at: article.published_at,
            id: article.id,
        };
        self.card_page(article.site_id, now, which, limit, offset)
            .await
    }

    /// A public article by its current slug, with category, cover and gallery.
    pub async fn public_article(
        &self,
        site: SiteId,
        slug: &str,
        now: i64,
    ) -> Result<Option<Article>> {
        let sql = format!(
            "SELECT a.id, a.site_id, a.slug, a.title, a.summary, a.body_html, a.author, a.source, \
             a.featured, a.status, a.published_at, a.updated_at, a.views, a.origin_article_id, \
             (SELECT COUNT(*) FROM article_gallery g WHERE g.article_id = a.id) AS gallery_count, \
             c.id AS category_id, c.slug AS category_slug, c.name AS category_name, \
             c.position AS category_position, c.parent_id AS category_parent, \
             c.description AS category_description, c.hidden AS category_hidden, \
             m.id AS media_id, m.path AS media_path, m.thumb_path AS media_thumb, \
             m.width AS media_width, m.height AS media_height, m.variants AS media_variants \
             {CARD_FROM} WHERE "
        );
        let mut sql = Sql::new(&sql);
        push_public(&mut sql, site, now);
        sql.push(" AND a.slug = ").bind(slug);
        let Some(row) = sql.query().fetch_optional(self.db_read()).await? else {
            return Ok(None);
        };
        let id = ArticleId(row.try_get("id")?);
        let status: String = row.try_get("status")?;
        let category = Category {
            position: row.try_get("category_position")?,
            parent_id: row
                .try_get::<Option<i64>, _>("category_parent")?
                .map(CategoryId),
            description: row.try_get("category_description")?,
            hidden: row.try_get::<i64, _>("category_hidden")? != 0,
            ..Category::new(
                CategoryId(row.try_get("category_id")?),
                site,
                &row.try_get::<String, _>("category_slug")?,
                &row.try_get::<String, _>("category_name")?,
            )
        };
        let origin_id: Option<i64> = row.try_get("origin_article_id")?;
        let origin = match origin_id {
            Some(o) => self.article_origin(ArticleId(o)).await?,
            None => None,
        };
        let gallery_count: i64 = row.try_get("gallery_count")?;
        let gallery = match origin_id {
            // A copy shows its original's photos.
            Some(o) => self.gallery(ArticleId(o)).await?,
            None if gallery_count == 0 => Vec::new(),
            None => self.gallery(id).await?,
        };
        Ok(Some(Article {
            id,
            site_id: site,
            category,
            slug: row.try_get("slug")?,
            title: row.try_get("title")?,
            summary: row.try_get("summary")?,
            body: SafeHtml::from_stored(row.try_get("body_html")?),
            author: row.try_get("author")?,
            source: row.try_get("source")?,
            cover: media_from_row(&row)?,
            featured: row.try_get::<i64, _>("featured")? != 0,
            status: ArticleStatus::parse(&status)
                .ok_or_else(|| Error::Corrupt(format!("article status {status}")))?,
            published_at: row.try_get("published_at")?,
            updated_at: row.try_get("updated_at")?,
            views: row.try_get("views")?,
            gallery,
            origin,
        }))
    }

    /// Where the original of a re-published article lives.
    async fn article_origin(&self, id: ArticleId) -> Result<Option<ArticleOrigin>> {
        let row = sqlx::query(
            "SELECT a.site_id, a.slug, c.slug AS category_slug FROM articles a \
             JOIN categories c ON c.id = a.category_id WHERE a.id = $1",
        )
        .bind(id.0)
        .fetch_optional(self.db_read())
        .await?;
        row.map(|r| {
            Ok(ArticleOrigin {
                site_id: SiteId(r.try_get("site_id")?),
                path: domain::article_path(
                    &r.try_get::<String, _>("category_slug")?,
                    &r.try_get::<String, _>("slug")?,
                ),
            })
        })
        .transpose()
    }

    /// An article's gallery in order.
    async fn gallery(&self, id: ArticleId) -> Result<Vec<GalleryImage>> {
        sqlx::query(
            "SELECT g.caption, m.id AS media_id, m.path AS media_path, m.thumb_path AS media_thumb, \
             m.width AS media_width, m.height AS media_height, m.variants AS media_variants \
             FROM article_gallery g JOIN media m ON m.id = g.media_id \
             WHERE g.article_id = $1 ORDER BY g.position",
        )
        .bind(id.0)
        .fetch_all(self.db_read())
        .await?
        .iter()
        .map(|r| {
            Ok(GalleryImage {
                caption: r.try_get("caption")?,
                media: media_from_row(r)?.ok_or(Error::NotFound("media"))?,
            })
        })
        .collect()
    }

    /// Where an old slug of a public article leads now: `(category slug, current slug)`.
    pub async fn slug_redirect(
        &self,
        site: SiteId,
        old_slug: &str,
        now: i64,
    ) -> Result<Option<(String, String)>> {
        let mut sql = Sql::new(
            "SELECT c.slug AS category_slug, a.slug FROM article_slug_history h \
             JOIN articles a ON a.id = h.article_id JOIN categories c ON c.id = a.category_id \
             WHERE h.site_id = ",
        );
        sql.bind(site.0).push(" AND ");
        push_visible(&mut sql, now);
        sql.push(" AND h.slug = ").bind(old_slug);
        let row = sql.query().fetch_optional(self.db_read()).await?;
        row.map(|r| Ok((r.try_get("category_slug")?, r.try_get("slug")?)))
            .transpose()
    }

    /// The articles published in `[from, to)`, newest first (at most `limit`).
    pub async fn articles_published_between(
        &self,
        site: SiteId,
        from: i64,
        to: i64,
        now: i64,
        limit: i64,
    ) -> Result<Vec<ArticleCard>> {
        self.card_list(site, now, Which::Between(from, to), limit)
            .await
    }

    /// The publish time of the newest public article before `before`.
    pub async fn last_publication_before(
        &self,
        site: SiteId,
        before: i64,
        now: i64,
    ) -> Result<Option<i64>> {
        self.publication_time(site, now, "MAX", Which::PublishedBefore(before))
            .await
    }

    /// The publish time of the oldest public article at or after `from`.
    pub async fn first_publication_from(
        &self,
        site: SiteId,
        from: i64,
        now: i64,
    ) -> Result<Option<i64>> {
        self.publication_time(site, now, "MIN", Which::PublishedFrom(from))
            .await
    }

    /// `aggregate` (MIN or MAX, a constant) of the publish times of the public
    /// articles `which` takes.
    async fn publication_time(
        &self,
        site: SiteId,
        now: i64,
        aggregate: &str,
        which: Which,
    ) -> Result<Option<i64>> {
        let mut sql = Sql::new(&format!(
            "SELECT {aggregate}(a.published_at) AS t FROM articles a WHERE "
        ));
        push_public(&mut sql, site, now);
        which.push(&mut sql);
        let row = sql.query().fetch_one(self.db_read()).await?;
        Ok(row.try_get("t")?)
    }

    /// How many articles of a site readers can see.
    pub async fn public_article_count(&self, site: SiteId, now: i64) -> Result<i64> {
        let mut sql = Sql::new("SELECT COUNT(*) AS n FROM articles a WHERE ");
        push_public(&mut sql, site, now);
        Ok(sql.query().fetch_one(self.db_read()).await?.try_get("n")?)
    }

    /// Public articles' paths and last changes, oldest first, for the sitemap.
    pub async fn article_locations(
        &self,
        site: SiteId,
        now: i64,
        limit: i64,
        offset: i64,
    ) -> Result<Vec<(String, i64)>> {
        let mut sql = Sql::new(
            "SELECT c.slug AS category_slug, a.slug, a.published_at, a.updated_at \
             FROM articles a JOIN categories c ON c.id = a.category_id WHERE ",
        );
        push_public(&mut sql, site, now);
        sql.push(" ORDER BY a.id LIMIT ")
            .bind(limit)
            .push(" OFFSET ")
            .bind(offset);
        let rows = sql.query().fetch_all(self.db_read()).await?;
        rows.iter()
            .map(|r| {
                let cat: String = r.try_get("category_slug")?;
                let slug: String = r.try_get("slug")?;
                let published: i64 = r.try_get("published_at")?;
                let updated: Option<i64> = r.try_get("updated_at")?;
                Ok((
                    format!("/tin-tuc/{cat}/{slug}"),
                    updated.unwrap_or(published).max(published),
                ))
            })
            .collect()
    }

    /// Writes a new article with its gallery, in one transaction, with no audit
    /// entry (the demo's and the tests' articles; the back office uses
    /// [`Store::create_article_with_audit`]).
    pub async fn create_article(&self, a: &NewArticle, now: i64) -> Result<ArticleId> {
        self.insert_article(a, None, now).await
    }

    /// Writes a new article with its gallery and its audit entry (detail
    /// `#id title`), in one transaction.
    pub async fn create_article_with_audit(
        &self,
        a: &NewArticle,
        audit: AuditNote<'_>,
        now: i64,
    ) -> Result<ArticleId> {
        self.insert_article(a, Some(audit), now).await
    }

    async fn insert_article(
        &self,
        a: &NewArticle,
        audit: Option<AuditNote<'_>>,
        now: i64,
    ) -> Result<ArticleId> {
        let title = vntext::clean_line(&a.title);
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO articles (site_id, category_id, slug, title, summary, body_html, author, \
             source, cover_media_id, featured, status, published_at, updated_at, created_at, \
             title_folded, author_id, expires_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17) \
             RETURNING id",
        )
        .bind(a.site_id.0)
        .bind(a.category_id.0)
        .bind(&a.slug)
        .bind(&title)
        .bind(vntext::clean_line(&a.summary))
        .bind(a.body.as_str())
        // Text is NFC at this boundary whoever the caller was.
        .bind(vntext::clean_line(&a.author))
        .bind(a.source.as_deref().map(vntext::clean_line))
        .bind(a.cover.map(|m| m.0))
        .bind(i64::from(a.featured))
        .bind(a.status.as_str())
        .bind(a.published_at)
        .bind(a.updated_at)
        .bind(now)
        .bind(vntext::fold_lower(&title))
        .bind(a.author_id.map(|u| u.0))
        .bind(a.expires_at)
        .fetch_one(&mut *tx)
        .await
        .map_err(on_unique("article_slug"))?
        .try_get("id")?;
        for (position, (media, caption)) in a.gallery.iter().enumerate() {
            sqlx::query(
                "INSERT INTO article_gallery (article_id, position, media_id, caption) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(position as i64)
            .bind(media.0)
            .bind(vntext::clean_line(caption))
            .execute(&mut *tx)
            .await?;
        }
        let id = ArticleId(id);
        let mut change = article_change(a.site_id, id, now).revision(revision_copy(
            id,
            1,
            a.author_id,
            now,
            "tạo bài",
        ));
        if let Some(note) = audit {
            change = change.audit(note, format!("#{id} {title}"));
        }
        change.commit(tx).await?;
        Ok(id)
    }

    /// Gives an article a new slug; the old one keeps answering with a redirect.
    pub async fn change_article_slug(
        &self,
        site: SiteId,
        id: ArticleId,
        new_slug: &str,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let old: String = sqlx::query("SELECT slug FROM articles WHERE id = $1 AND site_id = $2")
            .bind(id.0)
            .bind(site.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(Error::NotFound("article"))?
            .try_get("slug")?;
        if old == new_slug {
            return Ok(());
        }
        sqlx::query("UPDATE articles SET slug = $1 WHERE id = $2")
            .bind(new_slug)
            .bind(id.0)
            .execute(&mut *tx)
            .await
            .map_err(on_unique("article_slug"))?;
        editorial::move_slug(&mut tx, site, id, &old, new_slug).await?;
        let now = crate::now();
        // The copies' canonical address changes with the original's.
        let copies = copies::follow_original(&mut tx, id, now).await?;
        article_change(site, id, now)
            .echoes(copies)
            .commit(tx)
            .await
    }
}

fn card_from_row(row: &AnyRow) -> Result<ArticleCard> {
    Ok(ArticleCard {
        id: ArticleId(row.try_get("id")?),
        slug: row.try_get("slug")?,
        title: row.try_get("title")?,
        summary: row.try_get("summary")?,
        category_slug: row.try_get("category_slug")?,
        category_name: row.try_get("category_name")?,
        published_at: row.try_get("published_at")?,
        cover: media_from_row(row)?,
    })
}
