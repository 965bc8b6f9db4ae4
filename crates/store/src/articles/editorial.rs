//! The back office's side of articles: lists with filters, the article as edited,
//! saves that refuse a stale revision, revisions, deletion and the scheduler.
//! Every change is one transaction: the row, its revision, the audit entry and the
//! site's content version move together.

use crate::change::{AuditNote, ContentChange, Revisions, SlugHistory};
use crate::error::on_unique;
use crate::query::{Conditions, Sql};
use crate::{Error, Result, Store};
use domain::{
    ArticleDraft, ArticleId, ArticleRow, ArticleStatus, CategoryId, DocKind, EditableArticle,
    MediaId, Revision, SafeHtml, SiteId, UserId,
};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// What the back office's list of articles is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct ArticleFilter {
    /// Only this status.
    pub status: Option<ArticleStatus>,
    /// Only this category.
    pub category: Option<CategoryId>,
    /// Only this writer's.
    pub author: Option<UserId>,
    /// Published (or created) at or after, UTC seconds.
    pub from: Option<i64>,
    /// Published (or created) before, UTC seconds.
    pub to: Option<i64>,
    /// Words of the title, with or without tone marks.
    pub title: String,
}

/// A save of the editor's form.
#[derive(Debug, Clone)]
pub struct ArticleSave<'a> {
    /// Site the article must belong to.
    pub site: SiteId,
    /// The article.
    pub id: ArticleId,
    /// The revision the form was opened at; another save since then refuses this one.
    pub base_revision: i64,
    /// The new text and settings.
    pub draft: &'a ArticleDraft,
    /// Status after the save.
    pub status: ArticleStatus,
    /// Publish time to store.
    pub published_at: i64,
    /// "Ngày cập nhật" to store.
    pub updated_at: Option<i64>,
    /// Why it was sent back (empty unless rejected).
    pub reject_reason: &'a str,
    /// Who saves.
    pub by: UserId,
    /// What the revision and the audit log say ("sửa bài viết", "đăng bài viết").
    pub note: &'a str,
    /// The client's address, for the audit log.
    pub ip: &'a str,
}

/// Who saved an article last, for the message a stale save gets.
#[derive(Debug, Clone, PartialEq)]
pub struct LastSave {
    /// Full name (empty when unknown).
    pub by: String,
    /// When.
    pub at: i64,
}

/// How long an open editor counts as someone editing.
pub const EDITING_SECONDS: i64 = 15 * 60;

const EDIT_COLUMNS: &str = "a.id, a.site_id, a.category_id, a.slug, a.title, a.summary, \
     a.body_html, a.author, a.source, a.cover_media_id, a.featured, a.status, a.published_at, \
     a.updated_at, a.created_at, a.revision, a.author_id, a.reject_reason, a.expires_at, \
     c.slug AS category_slug";

impl Store {
    /// An article of `site` as the editor shows it.
    pub async fn article_for_edit(
        &self,
        site: SiteId,
        id: ArticleId,
    ) -> Result<Option<EditableArticle>> {
        let sql = format!(
            "SELECT {EDIT_COLUMNS} FROM articles a JOIN categories c ON c.id = a.category_id \
             WHERE a.id = $1 AND a.site_id = $2"
        );
        let row = sqlx::query(&sql)
            .bind(id.0)
            .bind(site.0)
            .fetch_optional(self.db_read())
            .await?;
        let Some(mut article) = row.as_ref().map(editable_from_row).transpose()? else {
            return Ok(None);
        };
        article.draft.gallery = sqlx::query(
            "SELECT media_id, caption FROM article_gallery WHERE article_id = $1 ORDER BY position",
        )
        .bind(id.0)
        .fetch_all(self.db_read())
        .await?
        .iter()
        .map(|r| Ok((MediaId(r.try_get("media_id")?), r.try_get("caption")?)))
        .collect::<Result<_>>()?;
        Ok(Some(article))
    }

    /// One page of a site's articles for the back office, newest first, and how many
    /// match in all.
    pub async fn admin_articles(
        &self,
        site: SiteId,
        filter: &ArticleFilter,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<ArticleRow>, i64)> {
        let mut conditions = Conditions::default();
        conditions.add("a.site_id = ", site.0);
        if let Some(s) = filter.status {
            conditions.add("a.status = ", s.as_str());
        }
        if let Some(c) = filter.category {
            conditions.add("a.category_id = ", c.0);
        }
        if let Some(u) = filter.author {
            conditions.add("a.author_id = ", u.0);
        }
        if let Some(t) = filter.from {
            conditions.add("a.published_at >= ", t);
        }
        if let Some(t) = filter.to {
            conditions.add("a.published_at < ", t);
        }
        for word in vntext::fold_lower(&filter.title).split_whitespace() {
            // LIKE's own wildcards in what was typed match themselves.
            let escaped = word
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            conditions.add_around(
                "a.title_folded LIKE ",
                format!("%{escaped}%"),
                " ESCAPE '\\'",
            );
        }
        let mut sql = Sql::new(
            "SELECT a.id, a.title, a.status, a.featured, a.published_at, \
             COALESCE(a.updated_at, a.created_at) AS changed_at, c.name AS category_name, \
             COALESCE(u.full_name, '') AS author_name, COUNT(*) OVER () AS total_count \
             FROM articles a JOIN categories c ON c.id = a.category_id \
             LEFT JOIN users u ON u.id = a.author_id",
        );
        sql.push_where(&conditions)
            .push(" ORDER BY a.published_at DESC, a.id DESC LIMIT ")
            .bind(limit)
            .push(" OFFSET ")
            .bind(offset);
        let rows = sql.query().fetch_all(self.db_read()).await?;
        let total = match rows.first() {
            Some(r) => r.try_get("total_count")?,
            None => 0,
        };
        let items = rows
            .iter()
            .map(|r| {
                Ok(ArticleRow {
                    id: ArticleId(r.try_get("id")?),
                    title: r.try_get("title")?,
                    status: status_of(r)?,
                    category_name: r.try_get("category_name")?,
                    author_name: r.try_get("author_name")?,
                    published_at: r.try_get("published_at")?,
                    changed_at: r.try_get("changed_at")?,
                    featured: r.try_get::<i64, _>("featured")? != 0,
                })
            })
            .collect::<Result<_>>()?;
        Ok((items, total))
    }

    /// How many articles of a site have each status.
    pub async fn article_status_counts(&self, site: SiteId) -> Result<Vec<(ArticleStatus, i64)>> {
        let rows = sqlx::query(
            "SELECT status, COUNT(*) AS n FROM articles WHERE site_id = $1 GROUP BY status",
        )
        .bind(site.0)
        .fetch_all(self.db_read())
        .await?;
        rows.iter()
            .map(|r| Ok((status_of(r)?, r.try_get("n")?)))
            .collect()
    }

    /// Saves the editor's form over `base_revision`. Refused with [`Error::Stale`]
    /// when someone saved since; the caller keeps the form as typed. Returns the new
    /// revision number.
    pub async fn save_article(&self, s: &ArticleSave<'_>, now: i64) -> Result<i64> {
        let d = s.draft;
        let category = d.category_id.ok_or(Error::NotFound("category"))?;
        let slug = d.effective_slug();
        let title = vntext::clean_line(&d.title);
        let mut tx = self.begin_write().await?;
        let old_slug: Option<String> =
            sqlx::query("SELECT slug FROM articles WHERE id = $1 AND site_id = $2")
                .bind(s.id.0)
                .bind(s.site.0)
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| r.try_get("slug"))
                .transpose()?;
        let Some(old_slug) = old_slug else {
            return Err(Error::NotFound("article"));
        };
        check_category(&mut tx, s.site, category).await?;
        let changed = sqlx::query(
            "UPDATE articles SET category_id = $1, slug = $2, title = $3, title_folded = $4, \
             summary = $5, body_html = $6, author = $7, source = $8, cover_media_id = $9, \
             featured = $10, status = $11, published_at = $12, updated_at = $13, \
             reject_reason = $14, expires_at = $15, revision = revision + 1, \
             editing_by = NULL, editing_at = NULL \
             WHERE id = $16 AND site_id = $17 AND revision = $18",
        )
        .bind(category.0)
        .bind(&slug)
        .bind(&title)
        .bind(vntext::fold_lower(&title))
        .bind(vntext::clean_line(&d.summary))
        .bind(d.body.as_str())
        .bind(vntext::clean_line(&d.author))
        .bind(optional_line(&d.source))
        .bind(d.cover.map(|m| m.0))
        .bind(i64::from(d.featured))
        .bind(s.status.as_str())
        .bind(s.published_at)
        .bind(s.updated_at)
        .bind(vntext::clean_line(s.reject_reason))
        .bind(d.expires_at)
        .bind(s.id.0)
        .bind(s.site.0)
        .bind(s.base_revision)
        .execute(&mut *tx)
        .await
        .map_err(on_unique("article_slug"))?
        .rows_affected();
        if changed == 0 {
            return Err(Error::Stale);
        }
        if old_slug != slug {
            move_slug(&mut tx, s.site, s.id, &old_slug, &slug).await?;
        }
        sqlx::query("DELETE FROM article_gallery WHERE article_id = $1")
            .bind(s.id.0)
            .execute(&mut *tx)
            .await?;
        for (position, (media, caption)) in d.gallery.iter().enumerate() {
            sqlx::query(
                "INSERT INTO article_gallery (article_id, position, media_id, caption) \
                 SELECT $1, $2, id, $4 FROM media WHERE id = $3 AND site_id = $5",
            )
            .bind(s.id.0)
            .bind(position as i64)
            .bind(media.0)
            .bind(vntext::clean_line(caption))
            .bind(s.site.0)
            .execute(&mut *tx)
            .await?;
        }
        let number = s.base_revision + 1;
        let by = AuditNote {
            user: Some(s.by),
            action: s.note,
            ip: s.ip,
        };
        let copies = super::copies::follow_original(&mut tx, s.id, now).await?;
        article_change(s.site, s.id, now)
            .echoes(copies)
            .revision(revision_copy(s.id, number, Some(s.by), now, s.note))
            .audit(by, format!("#{} {title}", s.id))
            .commit(tx)
            .await?;
        Ok(number)
    }

    /// Who saved the article last and when (for a stale save's message).
    pub async fn last_save(&self, id: ArticleId) -> Result<Option<LastSave>> {
        let row = sqlx::query(
            "SELECT COALESCE(u.full_name, '') AS by_name, r.saved_at FROM article_revisions r \
             LEFT JOIN users u ON u.id = r.saved_by WHERE r.article_id = $1 \
             ORDER BY r.number DESC LIMIT 1",
        )
        .bind(id.0)
        .fetch_optional(self.db_read())
        .await?;
        row.map(|r| {
            Ok(LastSave {
                by: r.try_get("by_name")?,
                at: r.try_get("saved_at")?,
            })
        })
        .transpose()
    }

    /// Deletes an article with its gallery, revisions and old slugs.
    pub async fn delete_article(
        &self,
        site: SiteId,
        id: ArticleId,
        by: UserId,
        ip: &str,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let title: String =
            sqlx::query("SELECT title FROM articles WHERE id = $1 AND site_id = $2")
                .bind(id.0)
                .bind(site.0)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(Error::NotFound("article"))?
                .try_get("title")?;
        let copies = super::copies::drop_copies(&mut tx, id).await?;
        for sql in [
            "DELETE FROM article_gallery WHERE article_id = $1",
            "DELETE FROM article_revisions WHERE article_id = $1",
            "DELETE FROM article_slug_history WHERE article_id = $1",
            "DELETE FROM articles WHERE id = $1",
        ] {
            sqlx::query(sql).bind(id.0).execute(&mut *tx).await?;
        }
        let note = AuditNote {
            user: Some(by),
            action: "xoá bài viết",
            ip,
        };
        article_change(site, id, now)
            .echoes(copies)
            .audit(note, format!("#{id} {title}"))
            .commit(tx)
            .await
    }

    /// An article's revisions, newest first.
    pub async fn revisions(&self, site: SiteId, id: ArticleId) -> Result<Vec<Revision>> {
        self.revision_rows(site, id, None).await
    }

    /// One revision of an article.
    pub async fn revision(
        &self,
        site: SiteId,
        id: ArticleId,
        number: i64,
    ) -> Result<Option<Revision>> {
        Ok(self
            .revision_rows(site, id, Some(number))
            .await?
            .into_iter()
            .next())
    }

    async fn revision_rows(
        &self,
        site: SiteId,
        id: ArticleId,
        number: Option<i64>,
    ) -> Result<Vec<Revision>> {
        let rows = sqlx::query(
            "SELECT r.number, r.slug, r.title, r.summary, r.body_html, r.author, r.source, \
             r.saved_at, r.note, c.name AS category_name, COALESCE(u.full_name, '') AS by_name \
             FROM article_revisions r JOIN articles a ON a.id = r.article_id \
             JOIN categories c ON c.id = r.category_id LEFT JOIN users u ON u.id = r.saved_by \
             WHERE r.article_id = $1 AND a.site_id = $2 AND ($3 = 0 OR r.number = $3) \
             ORDER BY r.number DESC",
        )
        .bind(id.0)
        .bind(site.0)
        .bind(number.unwrap_or(0))
        .fetch_all(self.db_read())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Revision {
                    number: r.try_get("number")?,
                    category_name: r.try_get("category_name")?,
                    slug: r.try_get("slug")?,
                    title: r.try_get("title")?,
                    summary: r.try_get("summary")?,
                    body: SafeHtml::from_stored(r.try_get("body_html")?),
                    author: r.try_get("author")?,
                    source: r.try_get("source")?,
                    saved_by: r.try_get("by_name")?,
                    saved_at: r.try_get("saved_at")?,
                    note: r.try_get("note")?,
                })
            })
            .collect()
    }

    /// The category a revision was saved under (to restore it).
    pub async fn revision_category(
        &self,
        id: ArticleId,
        number: i64,
    ) -> Result<Option<CategoryId>> {
        let row = sqlx::query(
            "SELECT category_id FROM article_revisions WHERE article_id = $1 AND number = $2",
        )
        .bind(id.0)
        .bind(number)
        .fetch_optional(self.db_read())
        .await?;
        row.map(|r| Ok(CategoryId(r.try_get("category_id")?)))
            .transpose()
    }

    /// Notes that `user` opened the article's editor, and tells who else has had it
    /// open in the last [`EDITING_SECONDS`]: (full name, since when).
    pub async fn mark_editing(
        &self,
        id: ArticleId,
        user: UserId,
        now: i64,
    ) -> Result<Option<(String, i64)>> {
        let other = sqlx::query(
            "SELECT u.full_name, a.editing_at FROM articles a JOIN users u ON u.id = a.editing_by \
             WHERE a.id = $1 AND a.editing_by <> $2 AND a.editing_at > $3",
        )
        .bind(id.0)
        .bind(user.0)
        .bind(now - EDITING_SECONDS)
        .fetch_optional(self.db_read())
        .await?
        .map(|r| Ok::<_, Error>((r.try_get("full_name")?, r.try_get("editing_at")?)))
        .transpose()?;
        sqlx::query("UPDATE articles SET editing_by = $1, editing_at = $2 WHERE id = $3")
            .bind(user.0)
            .bind(now)
            .bind(id.0)
            .execute(self.db_write())
            .await?;
        Ok(other)
    }

    /// The scheduler's round: publishes scheduled articles whose time has come and
    /// takes down published ones whose expiry has passed. Returns the sites whose
    /// content changed. Safe with several instances: each article changes once.
    pub async fn run_schedule(&self, now: i64) -> Result<Vec<SiteId>> {
        let due = sqlx::query(
            "SELECT id, site_id, title, 'publish' AS what FROM articles \
             WHERE status = 'scheduled' AND published_at <= $1 \
             UNION ALL SELECT id, site_id, title, 'expire' AS what FROM articles \
             WHERE status = 'published' AND expires_at IS NOT NULL AND expires_at <= $1",
        )
        .bind(now)
        .fetch_all(self.db_read())
        .await?;
        let mut sites = Vec::new();
        for r in &due {
            let id: i64 = r.try_get("id")?;
            let site = SiteId(r.try_get("site_id")?);
            let title: String = r.try_get("title")?;
            let what: String = r.try_get("what")?;
            let (from, to, note) = if what == "publish" {
                ("scheduled", "published", "đăng bài theo lịch")
            } else {
                ("published", "unpublished", "gỡ bài hết hạn")
            };
            let mut tx = self.begin_write().await?;
            let done = sqlx::query(
                "UPDATE articles SET status = $1, revision = revision + 1 WHERE id = $2 AND status = $3",
            )
            .bind(to)
            .bind(id)
            .bind(from)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if done == 0 {
                // Another instance (or an editor) got there first.
                continue;
            }
            let number: i64 = sqlx::query("SELECT revision FROM articles WHERE id = $1")
                .bind(id)
                .fetch_one(&mut *tx)
                .await?
                .try_get("revision")?;
            let id = ArticleId(id);
            let by = AuditNote {
                user: None,
                action: note,
                ip: "",
            };
            let copies = super::copies::follow_original(&mut tx, id, now).await?;
            article_change(site, id, now)
                .echoes(copies)
                .revision(revision_copy(id, number, None, now, note))
                .audit(by, format!("#{id} {title}"))
                .commit(tx)
                .await?;
            if !sites.contains(&site) {
                sites.push(site);
            }
        }
        Ok(sites)
    }

    /// Fills `title_folded` where it is empty (rows written before it existed).
    pub(crate) async fn backfill_folded_titles(&self) -> Result<()> {
        let rows = sqlx::query("SELECT id, title FROM articles WHERE title_folded = ''")
            .fetch_all(self.db_read())
            .await?;
        if rows.is_empty() {
            return Ok(());
        }
        let mut tx = self.begin_write().await?;
        for r in &rows {
            let title: String = r.try_get("title")?;
            sqlx::query("UPDATE articles SET title_folded = $1 WHERE id = $2")
                .bind(vntext::fold_lower(&title))
                .bind(r.try_get::<i64, _>("id")?)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// Refuses a category of another site.
async fn check_category(
    conn: &mut AnyConnection,
    site: SiteId,
    category: CategoryId,
) -> Result<()> {
    sqlx::query("SELECT id FROM categories WHERE id = $1 AND site_id = $2")
        .bind(category.0)
        .bind(site.0)
        .fetch_optional(conn)
        .await?
        .ok_or(Error::NotFound("category"))?;
    Ok(())
}

/// Records an article's slug change: the old slug redirects, the new one may have
/// been one of its old ones.
pub(crate) async fn move_slug(
    conn: &mut AnyConnection,
    site: SiteId,
    id: ArticleId,
    old: &str,
    new: &str,
) -> Result<()> {
    sqlx::query(
        "DELETE FROM article_slug_history WHERE site_id = $1 AND slug = $2 AND article_id = $3",
    )
    .bind(site.0)
    .bind(new)
    .bind(id.0)
    .execute(&mut *conn)
    .await?;
    // An old slug names the article that had it last.
    ARTICLE_SLUGS.remember(conn, site, old, id.0).await?;
    Ok(())
}

/// A change of an article's content: the search index reads it again.
pub(crate) fn article_change<'a>(site: SiteId, id: ArticleId, now: i64) -> ContentChange<'a> {
    ContentChange::new(site, now).document(DocKind::Article, id.0)
}

/// Old slugs of articles.
const ARTICLE_SLUGS: SlugHistory = SlugHistory {
    table: "article_slug_history",
    owner: "article_id",
};

/// Articles' revisions.
const ARTICLE_REVISIONS: Revisions = Revisions {
    table: "article_revisions",
    owner: "article_id",
    source: "articles",
    columns: "category_id, slug, title, summary, body_html, author, source",
};

/// Copies the article's current row into its revisions as number `number`.
pub(crate) fn revision_copy<'a>(
    id: ArticleId,
    number: i64,
    by: Option<UserId>,
    now: i64,
    note: &'a str,
) -> Sql<'a> {
    ARTICLE_REVISIONS.copy(id.0, number, by, now, note)
}

fn optional_line(s: &str) -> Option<String> {
    let s = vntext::clean_line(s);
    (!s.is_empty()).then_some(s)
}

fn status_of(row: &AnyRow) -> Result<ArticleStatus> {
    let s: String = row.try_get("status")?;
    ArticleStatus::parse(&s).ok_or_else(|| Error::Corrupt(format!("article status {s}")))
}

fn editable_from_row(r: &AnyRow) -> Result<EditableArticle> {
    Ok(EditableArticle {
        id: ArticleId(r.try_get("id")?),
        site_id: SiteId(r.try_get("site_id")?),
        status: status_of(r)?,
        revision: r.try_get("revision")?,
        author_id: r.try_get::<Option<i64>, _>("author_id")?.map(UserId),
        slug: r.try_get("slug")?,
        published_at: r.try_get("published_at")?,
        updated_at: r.try_get("updated_at")?,
        created_at: r.try_get("created_at")?,
        reject_reason: r.try_get("reject_reason")?,
        category_slug: r.try_get("category_slug")?,
        draft: ArticleDraft {
            category_id: Some(CategoryId(r.try_get("category_id")?)),
            slug: r.try_get("slug")?,
            title: r.try_get("title")?,
            summary: r.try_get("summary")?,
            body: SafeHtml::from_stored(r.try_get("body_html")?),
            author: r.try_get("author")?,
            source: r
                .try_get::<Option<String>, _>("source")?
                .unwrap_or_default(),
            cover: r.try_get::<Option<i64>, _>("cover_media_id")?.map(MediaId),
            featured: r.try_get::<i64, _>("featured")? != 0,
            publish_at: Some(r.try_get("published_at")?),
            expires_at: r.try_get("expires_at")?,
            gallery: Vec::new(),
        },
    })
}
