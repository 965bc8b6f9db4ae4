//! Re-published articles: a department shows a school's article in one of its own
//! categories, as a link-back copy. The copy is an article row of the
//! department's site with `origin_article_id` set; every change of the original
//! is written to its copies in the same transaction (text, cover, whether readers
//! may see it), so the school's later edits show through and the department's
//! pages render again. The copy's page names the original as canonical.

use super::editorial::{article_change, revision_copy};
use crate::change::AuditNote;
use crate::error::on_unique;
use crate::{Error, Result, Store};
use domain::{ArticleId, CategoryId, DocKind, SiteId, UserId};
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

/// A department editor's re-publication of a school's article.
#[derive(Debug, Clone, Copy)]
pub struct Republish<'a> {
    /// The department's site, where the copy goes.
    pub site: SiteId,
    /// The department's category that shows it.
    pub category: CategoryId,
    /// The school's article.
    pub origin: ArticleId,
    /// The school's site (the article must be public there).
    pub origin_site: SiteId,
    /// The school's name, shown as the copy's source ("Nguồn").
    pub source: &'a str,
    /// Who re-published it (none: the program, e.g. the demo).
    pub by: Option<UserId>,
    /// Their address, for the audit log.
    pub ip: &'a str,
}

impl Store {
    /// Re-publishes a school's public article on `r.site` as a link-back copy,
    /// published at once. A second copy in the same site is refused with
    /// [`Error::Conflict`] (`"article_copy"`); an article that is not public, or is
    /// itself a copy, with [`Error::NotFound`].
    pub async fn republish_article(&self, r: &Republish<'_>, now: i64) -> Result<ArticleId> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "SELECT slug, title, title_folded, summary, body_html, author, cover_media_id \
             FROM articles WHERE id = $1 AND site_id = $2 AND status = 'published' \
             AND published_at <= $3 AND origin_article_id IS NULL",
        )
        .bind(r.origin.0)
        .bind(r.origin_site.0)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::NotFound("article"))?;
        sqlx::query("SELECT id FROM categories WHERE id = $1 AND site_id = $2")
            .bind(r.category.0)
            .bind(r.site.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(Error::NotFound("category"))?;
        let slug: String = row.try_get("slug")?;
        let slug = free_slug(&mut tx, r.site, &slug, r.origin).await?;
        let title: String = row.try_get("title")?;
        let id: i64 = sqlx::query(
            "INSERT INTO articles (site_id, category_id, slug, title, title_folded, summary, \
             body_html, author, source, cover_media_id, featured, status, published_at, \
             created_at, author_id, origin_article_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, 'published', $11, $11, $12, $13) \
             RETURNING id",
        )
        .bind(r.site.0)
        .bind(r.category.0)
        .bind(&slug)
        .bind(&title)
        .bind(row.try_get::<String, _>("title_folded")?)
        .bind(row.try_get::<String, _>("summary")?)
        .bind(row.try_get::<String, _>("body_html")?)
        .bind(row.try_get::<String, _>("author")?)
        .bind(vntext::clean_line(r.source))
        .bind(row.try_get::<Option<i64>, _>("cover_media_id")?)
        .bind(now)
        .bind(r.by.map(|u| u.0))
        .bind(r.origin.0)
        .fetch_one(&mut *tx)
        .await
        .map_err(on_unique("article_copy"))?
        .try_get("id")?;
        let id = ArticleId(id);
        let note = "đăng lại bài của đơn vị";
        let by = AuditNote {
            user: r.by,
            action: note,
            ip: r.ip,
        };
        article_change(r.site, id, now)
            .revision(revision_copy(id, 1, r.by, now, note))
            .audit(
                by,
                format!("#{id} {title} (bài #{} của {})", r.origin, r.source),
            )
            .commit(tx)
            .await?;
        Ok(id)
    }

    /// Which of `origins` already have a copy on `site`: original → copy.
    pub async fn copies_on(
        &self,
        site: SiteId,
        origins: &[ArticleId],
    ) -> Result<HashMap<ArticleId, ArticleId>> {
        if origins.is_empty() {
            return Ok(HashMap::new());
        }
        let mut sql =
            crate::query::Sql::new("SELECT id, origin_article_id FROM articles WHERE site_id = ");
        sql.bind(site.0).push(" AND origin_article_id IN (");
        for (i, o) in origins.iter().enumerate() {
            if i > 0 {
                sql.push(", ");
            }
            sql.bind(o.0);
        }
        sql.push(")");
        sql.query()
            .fetch_all(self.db_read())
            .await?
            .iter()
            .map(|r| {
                Ok((
                    ArticleId(r.try_get("origin_article_id")?),
                    ArticleId(r.try_get("id")?),
                ))
            })
            .collect()
    }
}

/// The original's slug on `site`, or with the original's id after it when the
/// site already has an article (or an old address) by that slug.
async fn free_slug(
    conn: &mut AnyConnection,
    site: SiteId,
    slug: &str,
    origin: ArticleId,
) -> Result<String> {
    let taken = sqlx::query(
        "SELECT 1 AS x FROM articles WHERE site_id = $1 AND slug = $2 \
         UNION ALL SELECT 1 AS x FROM article_slug_history WHERE site_id = $1 AND slug = $2",
    )
    .bind(site.0)
    .bind(slug)
    .fetch_optional(&mut *conn)
    .await?
    .is_some();
    Ok(if taken {
        format!("{slug}-{}", origin.0)
    } else {
        slug.to_owned()
    })
}

/// Writes the original's current text, cover and visibility to its copies, inside
/// the original's change; returns the copies, for that change to re-index them and
/// to renew their sites' pages.
pub(crate) async fn follow_original(
    conn: &mut AnyConnection,
    origin: ArticleId,
    now: i64,
) -> Result<Vec<(SiteId, DocKind, i64)>> {
    let copies = copies_of(conn, origin).await?;
    if copies.is_empty() {
        return Ok(copies);
    }
    let row = sqlx::query(
        "SELECT title, title_folded, summary, body_html, author, cover_media_id, \
         status, published_at FROM articles WHERE id = $1",
    )
    .bind(origin.0)
    .fetch_one(&mut *conn)
    .await?;
    let status: String = row.try_get("status")?;
    let published_at: i64 = row.try_get("published_at")?;
    // A copy shows while its original does: a scheduled original shows when its
    // time comes, through the scheduler's own change.
    let visible = status == "published" && published_at <= now;
    sqlx::query(
        "UPDATE articles SET title = $1, title_folded = $2, summary = $3, body_html = $4, \
         author = $5, cover_media_id = $6, status = $7, updated_at = $8, \
         revision = revision + 1 WHERE origin_article_id = $9",
    )
    .bind(row.try_get::<String, _>("title")?)
    .bind(row.try_get::<String, _>("title_folded")?)
    .bind(row.try_get::<String, _>("summary")?)
    .bind(row.try_get::<String, _>("body_html")?)
    .bind(row.try_get::<String, _>("author")?)
    .bind(row.try_get::<Option<i64>, _>("cover_media_id")?)
    .bind(if visible { "published" } else { "unpublished" })
    .bind(now)
    .bind(origin.0)
    .execute(&mut *conn)
    .await?;
    Ok(copies)
}

/// Deletes the copies of an article that is being deleted; returns them, for the
/// change to drop them from search and renew their sites' pages.
pub(crate) async fn drop_copies(
    conn: &mut AnyConnection,
    origin: ArticleId,
) -> Result<Vec<(SiteId, DocKind, i64)>> {
    let copies = copies_of(conn, origin).await?;
    for (_, _, id) in &copies {
        for sql in [
            "DELETE FROM article_revisions WHERE article_id = $1",
            "DELETE FROM article_slug_history WHERE article_id = $1",
            "DELETE FROM articles WHERE id = $1",
        ] {
            sqlx::query(sql).bind(*id).execute(&mut *conn).await?;
        }
    }
    Ok(copies)
}

async fn copies_of(
    conn: &mut AnyConnection,
    origin: ArticleId,
) -> Result<Vec<(SiteId, DocKind, i64)>> {
    sqlx::query("SELECT id, site_id FROM articles WHERE origin_article_id = $1")
        .bind(origin.0)
        .fetch_all(&mut *conn)
        .await?
        .iter()
        .map(|r| {
            Ok((
                SiteId(r.try_get("site_id")?),
                DocKind::Article,
                r.try_get("id")?,
            ))
        })
        .collect()
}
