//! Announcements ("Thông báo", issue 14): the back office's writes, the reads of
//! the block, the archive and a notice's page, and the background round that
//! notices the clock: a notice that starts or expires changes the pages of its
//! site (and of the schools it is addressed to), so their content versions move.

use crate::change::{AuditNote, ContentChange, Revisions};
use crate::{Error, Result, Store};
use domain::{Audience, DocKind, MediaId, Notice, NoticeDraft, SafeHtml, SiteId};
use sqlx::Row;
use sqlx::any::AnyRow;

const COLUMNS: &str = "id, site_id, slug, title, body_html, starts_at, expires_at, pinned, \
     published, audience, revision, updated_at";

/// Every save of a notice copies it here.
const NOTICE_REVISIONS: Revisions = Revisions {
    table: "notice_revisions",
    owner: "notice_id",
    source: "notices",
    columns: "title, body_html, starts_at, expires_at",
};

/// A saved version of a notice.
#[derive(Debug, Clone, PartialEq)]
pub struct NoticeRevision {
    /// 1, 2, 3 … per notice: the notice's revision after that save.
    pub number: i64,
    /// Title then.
    pub title: String,
    /// Text then.
    pub body: SafeHtml,
    /// Start then.
    pub starts_at: i64,
    /// Expiry then.
    pub expires_at: Option<i64>,
    /// The full name of who saved it (empty: the program itself).
    pub saved_by: String,
    /// When (UTC seconds).
    pub saved_at: i64,
    /// What happened ("sửa thông báo", "khôi phục phiên bản 2").
    pub note: String,
}

/// Whether a row is shown in blocks at `$1`, in SQL.
const CURRENT: &str = "(CASE WHEN published = 1 AND starts_at <= $1 \
     AND (expires_at IS NULL OR expires_at > $1) THEN 1 ELSE 0 END)";

fn notice_from_row(r: &AnyRow) -> Result<Notice> {
    let audience: String = r.try_get("audience")?;
    Ok(Notice {
        id: r.try_get("id")?,
        site: SiteId(r.try_get("site_id")?),
        slug: r.try_get("slug")?,
        title: r.try_get("title")?,
        body: SafeHtml::from_stored(r.try_get("body_html")?),
        starts_at: r.try_get("starts_at")?,
        expires_at: r.try_get("expires_at")?,
        pinned: r.try_get::<i64, _>("pinned")? != 0,
        published: r.try_get::<i64, _>("published")? != 0,
        audience: Audience::parse(&audience).unwrap_or(Audience::Site),
        revision: r.try_get("revision")?,
        updated_at: r.try_get("updated_at")?,
    })
}

/// A file attached to a notice (or a draft), as pages link it.
#[derive(Debug, Clone, PartialEq)]
pub struct AttachedFile {
    /// The media file.
    pub id: MediaId,
    /// Path below the media folder.
    pub path: String,
    /// The name it was uploaded under.
    pub name: String,
    /// MIME type.
    pub mime: String,
    /// Size in bytes.
    pub bytes: i64,
}

pub(crate) fn file_from_row(r: &AnyRow) -> Result<AttachedFile> {
    Ok(AttachedFile {
        id: MediaId(r.try_get("id")?),
        path: r.try_get("path")?,
        name: r.try_get("original_name")?,
        mime: r.try_get("mime")?,
        bytes: r.try_get("bytes")?,
    })
}

fn flag(b: bool) -> i64 {
    i64::from(b)
}

impl Store {
    /// Records a new notice; its id.
    pub async fn create_notice(
        &self,
        site: SiteId,
        draft: &NoticeDraft,
        files: &[MediaId],
        note: AuditNote<'_>,
        now: i64,
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO notices (site_id, slug, title, body_html, starts_at, expires_at, pinned, \
             published, audience, live, created_by, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING id",
        )
        .bind(site.0)
        .bind(draft.slug())
        .bind(&draft.title)
        .bind(draft.body.as_str())
        .bind(draft.starts_at)
        .bind(draft.expires_at)
        .bind(flag(draft.pinned))
        .bind(flag(draft.published))
        .bind(draft.audience.as_stored())
        .bind(flag(is_current(draft, now)))
        .bind(note.user.map(|u| u.0))
        .bind(now)
        .fetch_one(&mut *tx)
        .await?
        .try_get("id")?;
        write_files(&mut tx, site, id, files).await?;
        if draft.audience != Audience::Site {
            bump_all(&mut tx).await?;
        }
        ContentChange::new(site, now)
            .document(DocKind::Announcement, id)
            .revision(NOTICE_REVISIONS.copy(id, 1, note.user, now, note.action))
            .audit(note, draft.title.clone())
            .commit(tx)
            .await?;
        Ok(id)
    }

    /// Saves a notice opened at `revision`; `Error::Stale` when someone saved it
    /// since.
    #[expect(clippy::too_many_arguments, reason = "one save, its parts named")]
    pub async fn save_notice(
        &self,
        site: SiteId,
        id: i64,
        revision: i64,
        draft: &NoticeDraft,
        files: &[MediaId],
        note: AuditNote<'_>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let before: Option<String> =
            sqlx::query("SELECT audience FROM notices WHERE id = $1 AND site_id = $2")
                .bind(id)
                .bind(site.0)
                .fetch_optional(&mut *tx)
                .await?
                .map(|r| r.try_get("audience"))
                .transpose()?;
        let Some(before) = before else {
            return Err(Error::NotFound("thông báo"));
        };
        let done = sqlx::query(
            "UPDATE notices SET slug = $1, title = $2, body_html = $3, starts_at = $4, \
             expires_at = $5, pinned = $6, published = $7, audience = $8, live = $9, \
             revision = revision + 1, updated_at = $10 \
             WHERE id = $11 AND site_id = $12 AND revision = $13",
        )
        .bind(draft.slug())
        .bind(&draft.title)
        .bind(draft.body.as_str())
        .bind(draft.starts_at)
        .bind(draft.expires_at)
        .bind(flag(draft.pinned))
        .bind(flag(draft.published))
        .bind(draft.audience.as_stored())
        .bind(flag(is_current(draft, now)))
        .bind(now)
        .bind(id)
        .bind(site.0)
        .bind(revision)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::Stale);
        }
        sqlx::query("DELETE FROM notice_files WHERE notice_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        write_files(&mut tx, site, id, files).await?;
        if draft.audience != Audience::Site || before != "site" {
            bump_all(&mut tx).await?;
        }
        ContentChange::new(site, now)
            .document(DocKind::Announcement, id)
            .revision(NOTICE_REVISIONS.copy(id, revision + 1, note.user, now, note.action))
            .audit(note, draft.title.clone())
            .commit(tx)
            .await
    }

    /// Deletes a notice of `site`.
    pub async fn delete_notice(
        &self,
        site: SiteId,
        id: i64,
        note: AuditNote<'_>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("SELECT title, audience FROM notices WHERE id = $1 AND site_id = $2")
            .bind(id)
            .bind(site.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(Error::NotFound("thông báo"))?;
        let title: String = row.try_get("title")?;
        let audience: String = row.try_get("audience")?;
        sqlx::query("DELETE FROM notices WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if audience != "site" {
            bump_all(&mut tx).await?;
        }
        ContentChange::new(site, now)
            .document(DocKind::Announcement, id)
            .audit(note, title)
            .commit(tx)
            .await
    }

    /// A notice of `site` (the back office).
    pub async fn notice(&self, site: SiteId, id: i64) -> Result<Option<Notice>> {
        let sql = format!("SELECT {COLUMNS} FROM notices WHERE id = $1 AND site_id = $2");
        let row = sqlx::query(&sql)
            .bind(id)
            .bind(site.0)
            .fetch_optional(self.db_read())
            .await?;
        row.as_ref().map(notice_from_row).transpose()
    }

    /// A notice of any site (its page checks that the reader's site may show it).
    pub async fn notice_by_id(&self, id: i64) -> Result<Option<Notice>> {
        let sql = format!("SELECT {COLUMNS} FROM notices WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(self.db_read())
            .await?;
        row.as_ref().map(notice_from_row).transpose()
    }

    /// Every notice of a site, newest start first (the back office, the archive).
    pub async fn notices_of_site(&self, site: SiteId) -> Result<Vec<Notice>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM notices WHERE site_id = $1 ORDER BY starts_at DESC, id DESC"
        );
        let rows = sqlx::query(&sql)
            .bind(site.0)
            .fetch_all(self.db_read())
            .await?;
        rows.iter().map(notice_from_row).collect()
    }

    /// Published notices addressed beyond their own site, newest start first.
    pub async fn addressed_notices(&self) -> Result<Vec<Notice>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM notices WHERE published = 1 AND audience <> 'site' \
             ORDER BY starts_at DESC, id DESC"
        );
        let rows = sqlx::query(&sql).fetch_all(self.db_read()).await?;
        rows.iter().map(notice_from_row).collect()
    }

    /// Every published notice not expired at `now` (started or not): what the
    /// blocks choose from.
    pub async fn unexpired_notices(&self, now: i64) -> Result<Vec<Notice>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM notices WHERE published = 1 \
             AND (expires_at IS NULL OR expires_at > $1) ORDER BY starts_at DESC, id DESC"
        );
        let rows = sqlx::query(&sql)
            .bind(now)
            .fetch_all(self.db_read())
            .await?;
        rows.iter().map(notice_from_row).collect()
    }

    /// Every published notice that has started, of every site (the search
    /// index's rebuild).
    pub async fn searchable_notices(&self, now: i64) -> Result<Vec<Notice>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM notices WHERE published = 1 AND starts_at <= $1 ORDER BY id"
        );
        let rows = sqlx::query(&sql)
            .bind(now)
            .fetch_all(self.db_read())
            .await?;
        rows.iter().map(notice_from_row).collect()
    }

    /// A notice's revisions, newest first (only `number`, when given).
    pub async fn notice_revisions(
        &self,
        site: SiteId,
        id: i64,
        number: Option<i64>,
    ) -> Result<Vec<NoticeRevision>> {
        let rows = sqlx::query(
            "SELECT r.number, r.title, r.body_html, r.starts_at, r.expires_at, r.saved_at, \
             r.note, COALESCE(u.full_name, '') AS by_name \
             FROM notice_revisions r JOIN notices n ON n.id = r.notice_id \
             LEFT JOIN users u ON u.id = r.saved_by \
             WHERE r.notice_id = $1 AND n.site_id = $2 AND ($3 = 0 OR r.number = $3) \
             ORDER BY r.number DESC",
        )
        .bind(id)
        .bind(site.0)
        .bind(number.unwrap_or(0))
        .fetch_all(self.db_read())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(NoticeRevision {
                    number: r.try_get("number")?,
                    title: r.try_get("title")?,
                    body: SafeHtml::from_stored(r.try_get("body_html")?),
                    starts_at: r.try_get("starts_at")?,
                    expires_at: r.try_get("expires_at")?,
                    saved_by: r.try_get("by_name")?,
                    saved_at: r.try_get("saved_at")?,
                    note: r.try_get("note")?,
                })
            })
            .collect()
    }

    /// The files attached to a notice, in order.
    pub async fn notice_files(&self, id: i64) -> Result<Vec<AttachedFile>> {
        let rows = sqlx::query(
            "SELECT m.id, m.path, m.original_name, m.mime, m.bytes FROM notice_files f \
             JOIN media m ON m.id = f.media_id WHERE f.notice_id = $1 ORDER BY f.position",
        )
        .bind(id)
        .fetch_all(self.db_read())
        .await?;
        rows.iter().map(file_from_row).collect()
    }

    /// The background round's look at the clock: every notice whose showing in
    /// blocks changed since the last round (it started, expired, or was
    /// unpublished) is marked, and the content version of its site (of every
    /// site, when it is addressed to schools) moves, so cached pages show the
    /// block as it is now. Each notice is taken by an `UPDATE … WHERE live = old`,
    /// so two instances never do it twice. How many changed.
    pub async fn notice_clock(&self, now: i64) -> Result<usize> {
        let sql = format!(
            "SELECT id, site_id, title, audience, live, {CURRENT} AS now_live FROM notices \
             WHERE live <> {CURRENT}"
        );
        let rows = sqlx::query(&sql)
            .bind(now)
            .fetch_all(self.db_read())
            .await?;
        let mut changed = 0;
        for r in rows {
            let id: i64 = r.try_get("id")?;
            let site = SiteId(r.try_get("site_id")?);
            let title: String = r.try_get("title")?;
            let audience: String = r.try_get("audience")?;
            let was: i64 = r.try_get("live")?;
            let is: i64 = r.try_get("now_live")?;
            let mut tx = self.begin_write().await?;
            let done = sqlx::query("UPDATE notices SET live = $1 WHERE id = $2 AND live = $3")
                .bind(is)
                .bind(id)
                .bind(was)
                .execute(&mut *tx)
                .await?;
            if done.rows_affected() == 0 {
                continue;
            }
            if audience != "site" {
                bump_all(&mut tx).await?;
            }
            let action = if is == 1 {
                "thông báo bắt đầu hiển thị"
            } else {
                "thông báo hết hạn, rời khối Thông báo"
            };
            ContentChange::new(site, now)
                .document(DocKind::Announcement, id)
                .audit(
                    AuditNote {
                        user: None,
                        action,
                        ip: "",
                    },
                    title,
                )
                .commit(tx)
                .await?;
            changed += 1;
        }
        Ok(changed)
    }
}

fn is_current(d: &NoticeDraft, now: i64) -> bool {
    d.published && d.starts_at <= now && d.expires_at.is_none_or(|e| now < e)
}

/// Every site's pages may show a notice addressed to schools.
async fn bump_all(tx: &mut sqlx::Transaction<'_, sqlx::Any>) -> Result<()> {
    sqlx::query("UPDATE sites SET content_version = content_version + 1")
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Attaches files of the site's library, in order (files of other sites are
/// ignored).
async fn write_files(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    site: SiteId,
    id: i64,
    files: &[MediaId],
) -> Result<()> {
    for (i, f) in files.iter().enumerate() {
        sqlx::query(
            "INSERT INTO notice_files (notice_id, media_id, position) \
             SELECT $1, id, $2 FROM media WHERE id = $3 AND site_id = $4",
        )
        .bind(id)
        .bind(i as i64)
        .bind(f.0)
        .bind(site.0)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
