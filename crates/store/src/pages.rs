//! Static pages ("Giới thiệu", "Liên hệ"): each save names the revision it started
//! from and is copied into the page's revisions; an old slug keeps answering.
//! Every change is one transaction with its revision, audit entry and the site's
//! content version.

use crate::change::{AuditNote, ContentChange, Revisions, SlugHistory};
use crate::error::on_unique;
use crate::{Error, Result, Store};
use domain::{Page, PageDraft, PageId, PageRevision, SafeHtml, SiteId, UserId};
use sqlx::Row;
use sqlx::any::AnyRow;

/// A save of the page editor.
#[derive(Debug, Clone)]
pub struct PageSave<'a> {
    /// Site the page must belong to.
    pub site: SiteId,
    /// The page.
    pub id: PageId,
    /// The revision the form was opened at; another save since refuses this one.
    pub base_revision: i64,
    /// The new text.
    pub draft: &'a PageDraft,
    /// Who saves.
    pub by: UserId,
    /// What the revision and the audit log say ("sửa trang").
    pub note: &'a str,
    /// The client's address, for the audit log.
    pub ip: &'a str,
}

/// A page as the menu and the back office's list name it.
#[derive(Debug, Clone, PartialEq)]
pub struct PageLink {
    /// Id.
    pub id: PageId,
    /// Slug.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Shown to readers.
    pub published: bool,
    /// Last saved.
    pub updated_at: i64,
}

const COLUMNS: &str = "id, site_id, slug, title, description, body_html, published, revision, \
     created_at, updated_at";

impl Store {
    /// A site's pages, by title, without their bodies.
    pub async fn page_links(&self, site: SiteId) -> Result<Vec<PageLink>> {
        let rows = sqlx::query(
            "SELECT id, slug, title, published, updated_at FROM pages WHERE site_id = $1 \
             ORDER BY title, id",
        )
        .bind(site.0)
        .fetch_all(self.db_read())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PageLink {
                    id: PageId(r.try_get("id")?),
                    slug: r.try_get("slug")?,
                    title: r.try_get("title")?,
                    published: r.try_get::<i64, _>("published")? != 0,
                    updated_at: r.try_get("updated_at")?,
                })
            })
            .collect()
    }

    /// A page readers may see, by its current slug.
    pub async fn public_page(&self, site: SiteId, slug: &str) -> Result<Option<Page>> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM pages WHERE site_id = $1 AND slug = $2 AND published = 1"
        ))
        .bind(site.0)
        .bind(slug)
        .fetch_optional(self.db_read())
        .await?;
        row.as_ref().map(page_from_row).transpose()
    }

    /// The current slug of the public page that had `old_slug`.
    pub async fn page_redirect(&self, site: SiteId, old_slug: &str) -> Result<Option<String>> {
        let row = sqlx::query(
            "SELECT p.slug FROM page_slug_history h JOIN pages p ON p.id = h.page_id \
             WHERE h.site_id = $1 AND h.slug = $2 AND p.published = 1",
        )
        .bind(site.0)
        .bind(old_slug)
        .fetch_optional(self.db_read())
        .await?;
        Ok(row.map(|r| r.try_get("slug")).transpose()?)
    }

    /// A page of the site, whatever its state, for the editor.
    pub async fn page(&self, site: SiteId, id: PageId) -> Result<Option<Page>> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM pages WHERE site_id = $1 AND id = $2"
        ))
        .bind(site.0)
        .bind(id.0)
        .fetch_optional(self.db_read())
        .await?;
        row.as_ref().map(page_from_row).transpose()
    }

    /// Writes a new page and its first revision; with an audit entry when `audit`
    /// is given (the back office), without for the demo.
    pub async fn create_page(
        &self,
        site: SiteId,
        draft: &PageDraft,
        audit: Option<AuditNote<'_>>,
        now: i64,
    ) -> Result<PageId> {
        let slug = draft.effective_slug();
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO pages (site_id, slug, title, description, body_html, published, \
             revision, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7) \
             RETURNING id",
        )
        .bind(site.0)
        .bind(&slug)
        .bind(vntext::clean_line(&draft.title))
        .bind(vntext::clean_line(&draft.description))
        .bind(draft.body.as_str())
        .bind(i64::from(draft.published))
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(on_unique("page_slug"))?
        .try_get("id")?;
        let id = PageId(id);
        PAGE_SLUGS.forget(&mut tx, site, &slug).await?;
        let by = audit.and_then(|a| a.user);
        let mut change = ContentChange::new(site, now).revision(PAGE_REVISIONS.copy(
            id.0,
            1,
            by,
            now,
            "tạo trang",
        ));
        if let Some(note) = audit {
            change = change.audit(note, format!("{} (/trang/{slug})", draft.title));
        }
        change.commit(tx).await?;
        Ok(id)
    }

    /// Saves the editor's form: refused with `Error::Stale` when someone saved the
    /// page since `base_revision`, with `Conflict("page_slug")` when another page
    /// has the slug.
    pub async fn save_page(&self, s: &PageSave<'_>, now: i64) -> Result<i64> {
        let slug = s.draft.effective_slug();
        let mut tx = self.begin_write().await?;
        let old: String = sqlx::query("SELECT slug FROM pages WHERE id = $1 AND site_id = $2")
            .bind(s.id.0)
            .bind(s.site.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(Error::NotFound("page"))?
            .try_get("slug")?;
        let done = sqlx::query(
            "UPDATE pages SET slug = $1, title = $2, description = $3, body_html = $4, \
             published = $5, revision = revision + 1, updated_at = $6 \
             WHERE id = $7 AND revision = $8",
        )
        .bind(&slug)
        .bind(vntext::clean_line(&s.draft.title))
        .bind(vntext::clean_line(&s.draft.description))
        .bind(s.draft.body.as_str())
        .bind(i64::from(s.draft.published))
        .bind(now)
        .bind(s.id.0)
        .bind(s.base_revision)
        .execute(&mut *tx)
        .await
        .map_err(on_unique("page_slug"))?
        .rows_affected();
        if done == 0 {
            return Err(Error::Stale);
        }
        if old != slug {
            PAGE_SLUGS.forget(&mut tx, s.site, &slug).await?;
            PAGE_SLUGS.remember(&mut tx, s.site, &old, s.id.0).await?;
        }
        let number = s.base_revision + 1;
        let note = AuditNote {
            user: Some(s.by),
            action: s.note,
            ip: s.ip,
        };
        ContentChange::new(s.site, now)
            .revision(PAGE_REVISIONS.copy(s.id.0, number, Some(s.by), now, s.note))
            .audit(note, format!("{} (/trang/{slug})", s.draft.title))
            .commit(tx)
            .await?;
        Ok(number)
    }

    /// Deletes a page with its revisions and old slugs.
    pub async fn delete_page(
        &self,
        site: SiteId,
        id: PageId,
        audit: AuditNote<'_>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let title: String = sqlx::query("SELECT title FROM pages WHERE id = $1 AND site_id = $2")
            .bind(id.0)
            .bind(site.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(Error::NotFound("page"))?
            .try_get("title")?;
        sqlx::query("DELETE FROM pages WHERE id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        ContentChange::new(site, now)
            .audit(audit, title)
            .commit(tx)
            .await
    }

    /// A page's revisions, newest first (only `number`, when given).
    pub async fn page_revisions(
        &self,
        site: SiteId,
        id: PageId,
        number: Option<i64>,
    ) -> Result<Vec<PageRevision>> {
        let rows = sqlx::query(
            "SELECT r.number, r.slug, r.title, r.description, r.body_html, r.saved_at, r.note, \
             COALESCE(u.full_name, '') AS by_name \
             FROM page_revisions r JOIN pages p ON p.id = r.page_id \
             LEFT JOIN users u ON u.id = r.saved_by \
             WHERE r.page_id = $1 AND p.site_id = $2 AND ($3 = 0 OR r.number = $3) \
             ORDER BY r.number DESC",
        )
        .bind(id.0)
        .bind(site.0)
        .bind(number.unwrap_or(0))
        .fetch_all(self.db_read())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(PageRevision {
                    number: r.try_get("number")?,
                    slug: r.try_get("slug")?,
                    title: r.try_get("title")?,
                    description: r.try_get("description")?,
                    body: SafeHtml::from_stored(r.try_get("body_html")?),
                    saved_by: r.try_get("by_name")?,
                    saved_at: r.try_get("saved_at")?,
                    note: r.try_get("note")?,
                })
            })
            .collect()
    }
}

/// Old slugs of pages.
const PAGE_SLUGS: SlugHistory = SlugHistory {
    table: "page_slug_history",
    owner: "page_id",
};

/// Pages' revisions.
const PAGE_REVISIONS: Revisions = Revisions {
    table: "page_revisions",
    owner: "page_id",
    source: "pages",
    columns: "slug, title, description, body_html",
};

fn page_from_row(r: &AnyRow) -> Result<Page> {
    Ok(Page {
        id: PageId(r.try_get("id")?),
        site_id: SiteId(r.try_get("site_id")?),
        slug: r.try_get("slug")?,
        title: r.try_get("title")?,
        description: r.try_get("description")?,
        body: SafeHtml::from_stored(r.try_get("body_html")?),
        published: r.try_get::<i64, _>("published")? != 0,
        revision: r.try_get("revision")?,
        created_at: r.try_get("created_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}
