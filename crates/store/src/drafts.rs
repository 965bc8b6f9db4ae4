//! Drafts open for public comment (issue 14): the back office's writes, readers'
//! comments (taken only while the period is open: the INSERT itself checks it),
//! moderation, the summary report.

use crate::change::{AuditNote, ContentChange, Revisions, write_audit};
use crate::notices::{AttachedFile, file_from_row};
use crate::{Error, Result, Store};
use domain::{
    ArticleStatus, CommentStatus, DocKind, Draft, DraftComment, DraftInput, MediaId, NewComment,
    SafeHtml, SiteId, UserId,
};
use sqlx::Row;
use sqlx::any::AnyRow;

const COLUMNS: &str = "id, site_id, slug, title, number, summary, body_html, opens_at, \
     closes_at, published, status, publish_at, created_by, reject_reason, report_html, revision, \
     updated_at";

/// Every save of a draft copies its text and period here (its number, the
/// draft's "Dự thảo lần 2", is no column of the copy: `number` is the revision's).
const DRAFT_REVISIONS: Revisions = Revisions {
    table: "draft_revisions",
    owner: "draft_id",
    source: "drafts",
    columns: "title, summary, body_html, opens_at, closes_at",
};

/// A saved version of a draft.
#[derive(Debug, Clone, PartialEq)]
pub struct DraftRevision {
    /// 1, 2, 3 … per draft: the draft's revision after that save.
    pub number: i64,
    /// Title then.
    pub title: String,
    /// Summary then.
    pub summary: String,
    /// Text then.
    pub body: SafeHtml,
    /// Opening of the period then.
    pub opens_at: i64,
    /// Closing of the period then.
    pub closes_at: i64,
    /// The full name of who saved it (empty: the program itself).
    pub saved_by: String,
    /// When (UTC seconds).
    pub saved_at: i64,
    /// What happened ("gửi duyệt dự thảo", "khôi phục phiên bản 2").
    pub note: String,
}

const COMMENT_COLUMNS: &str = "id, draft_id, article, name, email, organisation, body, status, \
     answer, answered_at, created_at";

fn draft_from_row(r: &AnyRow) -> Result<Draft> {
    Ok(Draft {
        id: r.try_get("id")?,
        site: SiteId(r.try_get("site_id")?),
        slug: r.try_get("slug")?,
        title: r.try_get("title")?,
        number: r.try_get("number")?,
        summary: r.try_get("summary")?,
        body: SafeHtml::from_stored(r.try_get("body_html")?),
        opens_at: r.try_get("opens_at")?,
        closes_at: r.try_get("closes_at")?,
        published: r.try_get::<i64, _>("published")? != 0,
        status: ArticleStatus::parse(&r.try_get::<String, _>("status")?)
            .unwrap_or(ArticleStatus::Draft),
        publish_at: r.try_get("publish_at")?,
        author: r.try_get::<Option<i64>, _>("created_by")?.map(UserId),
        reject_reason: r.try_get("reject_reason")?,
        report: SafeHtml::from_stored(r.try_get("report_html")?),
        revision: r.try_get("revision")?,
        updated_at: r.try_get("updated_at")?,
    })
}

fn comment_from_row(r: &AnyRow) -> Result<DraftComment> {
    let status: String = r.try_get("status")?;
    Ok(DraftComment {
        id: r.try_get("id")?,
        draft: r.try_get("draft_id")?,
        article: r.try_get("article")?,
        name: r.try_get("name")?,
        email: r.try_get("email")?,
        organisation: r.try_get("organisation")?,
        body: r.try_get("body")?,
        status: CommentStatus::parse(&status).unwrap_or(CommentStatus::Pending),
        answer: r.try_get("answer")?,
        answered_at: r.try_get("answered_at")?,
        created_at: r.try_get("created_at")?,
    })
}

/// What an editor does to a comment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Moderation {
    /// Show it under the draft.
    Publish,
    /// Keep it from readers.
    Hide,
    /// Answer it (the answer shows with it once it is published).
    Answer(String),
}

/// Why a comment was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommentRefused {
    /// The period has not begun, or is over, or the draft is not public.
    NotOpen,
}

impl Store {
    /// Records a new draft; its id.
    pub async fn create_draft(
        &self,
        site: SiteId,
        d: &DraftInput,
        files: &[MediaId],
        note: AuditNote<'_>,
        now: i64,
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let id: i64 = sqlx::query(
            "INSERT INTO drafts (site_id, slug, title, number, summary, body_html, opens_at, \
             closes_at, published, created_by, created_at, updated_at, status, publish_at, \
             reject_reason) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11, $12, $13, $14) RETURNING id",
        )
        .bind(site.0)
        .bind(d.slug())
        .bind(&d.title)
        .bind(&d.number)
        .bind(&d.summary)
        .bind(d.body.as_str())
        .bind(d.opens_at)
        .bind(d.closes_at)
        .bind(i64::from(d.published()))
        .bind(note.user.map(|u| u.0))
        .bind(now)
        .bind(d.status.as_str())
        .bind(d.publish_at)
        .bind(&d.reject_reason)
        .fetch_one(&mut *tx)
        .await
        .map_err(crate::error::on_unique("draft_slug"))?
        .try_get("id")?;
        write_files(&mut tx, site, id, "dinh-kem", files).await?;
        ContentChange::new(site, now)
            .document(DocKind::DraftForComment, id)
            .revision(DRAFT_REVISIONS.copy(id, 1, note.user, now, note.action))
            .audit(note, d.title.clone())
            .commit(tx)
            .await?;
        Ok(id)
    }

    /// Saves a draft opened at `revision` (`Error::Stale` when saved since).
    #[expect(clippy::too_many_arguments, reason = "one save, its parts named")]
    pub async fn save_draft(
        &self,
        site: SiteId,
        id: i64,
        revision: i64,
        d: &DraftInput,
        files: &[MediaId],
        note: AuditNote<'_>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE drafts SET slug = $1, title = $2, number = $3, summary = $4, body_html = $5, \
             opens_at = $6, closes_at = $7, published = $8, revision = revision + 1, \
             updated_at = $9, status = $13, publish_at = $14, reject_reason = $15 \
             WHERE id = $10 AND site_id = $11 AND revision = $12",
        )
        .bind(d.slug())
        .bind(&d.title)
        .bind(&d.number)
        .bind(&d.summary)
        .bind(d.body.as_str())
        .bind(d.opens_at)
        .bind(d.closes_at)
        .bind(i64::from(d.published()))
        .bind(now)
        .bind(id)
        .bind(site.0)
        .bind(revision)
        .bind(d.status.as_str())
        .bind(d.publish_at)
        .bind(&d.reject_reason)
        .execute(&mut *tx)
        .await
        .map_err(crate::error::on_unique("draft_slug"))?;
        if done.rows_affected() == 0 {
            return Err(Error::Stale);
        }
        sqlx::query("DELETE FROM draft_files WHERE draft_id = $1 AND role = 'dinh-kem'")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        write_files(&mut tx, site, id, "dinh-kem", files).await?;
        ContentChange::new(site, now)
            .document(DocKind::DraftForComment, id)
            .revision(DRAFT_REVISIONS.copy(id, revision + 1, note.user, now, note.action))
            .audit(note, d.title.clone())
            .commit(tx)
            .await
    }

    /// The scheduler's round: scheduled drafts whose time has come are
    /// published, each by an `UPDATE … WHERE status = 'scheduled'` so that two
    /// instances never do it twice. How many.
    pub async fn publish_due_drafts(&self, now: i64) -> Result<usize> {
        let due = sqlx::query(
            "SELECT id, site_id, title FROM drafts WHERE status = 'scheduled' AND publish_at <= $1",
        )
        .bind(now)
        .fetch_all(self.db_read())
        .await?;
        let mut done = 0;
        for r in &due {
            let id: i64 = r.try_get("id")?;
            let site = SiteId(r.try_get("site_id")?);
            let title: String = r.try_get("title")?;
            let mut tx = self.begin_write().await?;
            let moved = sqlx::query(
                "UPDATE drafts SET status = 'published', published = 1 \
                 WHERE id = $1 AND status = 'scheduled'",
            )
            .bind(id)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if moved == 0 {
                continue;
            }
            let by = AuditNote {
                user: None,
                action: "đăng dự thảo theo lịch",
                ip: "",
            };
            ContentChange::new(site, now)
                .document(DocKind::DraftForComment, id)
                .audit(by, title)
                .commit(tx)
                .await?;
            done += 1;
        }
        Ok(done)
    }

    /// A draft's revisions, newest first (only `number`, when given).
    pub async fn draft_revisions(
        &self,
        site: SiteId,
        id: i64,
        number: Option<i64>,
    ) -> Result<Vec<DraftRevision>> {
        let rows = sqlx::query(
            "SELECT r.number, r.title, r.summary, r.body_html, r.opens_at, r.closes_at, \
             r.saved_at, r.note, COALESCE(u.full_name, '') AS by_name \
             FROM draft_revisions r JOIN drafts d ON d.id = r.draft_id \
             LEFT JOIN users u ON u.id = r.saved_by \
             WHERE r.draft_id = $1 AND d.site_id = $2 AND ($3 = 0 OR r.number = $3) \
             ORDER BY r.number DESC",
        )
        .bind(id)
        .bind(site.0)
        .bind(number.unwrap_or(0))
        .fetch_all(self.db_read())
        .await?;
        rows.iter()
            .map(|r| {
                Ok(DraftRevision {
                    number: r.try_get("number")?,
                    title: r.try_get("title")?,
                    summary: r.try_get("summary")?,
                    body: SafeHtml::from_stored(r.try_get("body_html")?),
                    opens_at: r.try_get("opens_at")?,
                    closes_at: r.try_get("closes_at")?,
                    saved_by: r.try_get("by_name")?,
                    saved_at: r.try_get("saved_at")?,
                    note: r.try_get("note")?,
                })
            })
            .collect()
    }

    /// A draft of `site`.
    pub async fn draft(&self, site: SiteId, id: i64) -> Result<Option<Draft>> {
        let sql = format!("SELECT {COLUMNS} FROM drafts WHERE id = $1 AND site_id = $2");
        let row = sqlx::query(&sql)
            .bind(id)
            .bind(site.0)
            .fetch_optional(self.db_read())
            .await?;
        row.as_ref().map(draft_from_row).transpose()
    }

    /// A draft of any site, published or not (what search reads).
    pub async fn draft_by_id(&self, id: i64) -> Result<Option<Draft>> {
        let sql = format!("SELECT {COLUMNS} FROM drafts WHERE id = $1");
        let row = sqlx::query(&sql)
            .bind(id)
            .fetch_optional(self.db_read())
            .await?;
        row.as_ref().map(draft_from_row).transpose()
    }

    /// Every published draft of every site (the search index's rebuild).
    pub async fn searchable_drafts(&self) -> Result<Vec<Draft>> {
        let sql = format!("SELECT {COLUMNS} FROM drafts WHERE published = 1 ORDER BY id");
        let rows = sqlx::query(&sql).fetch_all(self.db_read()).await?;
        rows.iter().map(draft_from_row).collect()
    }

    /// A published draft of `site` by slug.
    pub async fn public_draft(&self, site: SiteId, slug: &str) -> Result<Option<Draft>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM drafts WHERE site_id = $1 AND slug = $2 AND published = 1"
        );
        let row = sqlx::query(&sql)
            .bind(site.0)
            .bind(slug)
            .fetch_optional(self.db_read())
            .await?;
        row.as_ref().map(draft_from_row).transpose()
    }

    /// Every draft of a site, latest opening first.
    pub async fn drafts_of_site(&self, site: SiteId) -> Result<Vec<Draft>> {
        let sql = format!(
            "SELECT {COLUMNS} FROM drafts WHERE site_id = $1 ORDER BY opens_at DESC, id DESC"
        );
        let rows = sqlx::query(&sql)
            .bind(site.0)
            .fetch_all(self.db_read())
            .await?;
        rows.iter().map(draft_from_row).collect()
    }

    /// A draft's files: `dinh-kem` (the draft's) or `bao-cao` (the summary report).
    pub async fn draft_files(&self, id: i64, role: &str) -> Result<Vec<AttachedFile>> {
        let rows = sqlx::query(
            "SELECT m.id, m.path, m.original_name, m.mime, m.bytes FROM draft_files f \
             JOIN media m ON m.id = f.media_id WHERE f.draft_id = $1 AND f.role = $2 \
             ORDER BY f.position",
        )
        .bind(id)
        .bind(role)
        .fetch_all(self.db_read())
        .await?;
        rows.iter().map(file_from_row).collect()
    }

    /// Takes a reader's comment, held for moderation, if the draft is public and
    /// open for comment at `now` (checked by the INSERT itself). Its id.
    pub async fn add_comment(
        &self,
        draft: i64,
        c: &NewComment,
        ip: &str,
        now: i64,
    ) -> Result<std::result::Result<i64, CommentRefused>> {
        let mut tx = self.begin_write().await?;
        let inserted = sqlx::query(
            "INSERT INTO draft_comments (draft_id, article, name, email, organisation, body, \
             status, ip, created_at) \
             SELECT id, $1, $2, $3, $4, $5, 'cho-duyet', $6, $7 FROM drafts \
             WHERE id = $8 AND published = 1 AND opens_at <= $7 AND closes_at > $7 \
             RETURNING id",
        )
        .bind(c.article)
        .bind(&c.name)
        .bind(&c.email)
        .bind(&c.organisation)
        .bind(&c.body)
        .bind(ip)
        .bind(now)
        .bind(draft)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(inserted) = inserted else {
            return Ok(Err(CommentRefused::NotOpen));
        };
        let id: i64 = inserted.try_get("id")?;
        let site: i64 = sqlx::query("SELECT site_id FROM drafts WHERE id = $1")
            .bind(draft)
            .fetch_one(&mut *tx)
            .await?
            .try_get("site_id")?;
        write_audit(
            &mut tx,
            Some(SiteId(site)),
            AuditNote {
                user: None,
                action: "nhận góp ý dự thảo",
                ip,
            },
            &format!("{} <{}>", c.name, c.email),
            now,
        )
        .await?;
        tx.commit().await?;
        Ok(Ok(id))
    }

    /// Every comment of a draft, oldest first (the back office, the export).
    pub async fn draft_comments(&self, draft: i64) -> Result<Vec<DraftComment>> {
        let sql = format!(
            "SELECT {COMMENT_COLUMNS} FROM draft_comments WHERE draft_id = $1 \
             ORDER BY created_at, id"
        );
        let rows = sqlx::query(&sql)
            .bind(draft)
            .fetch_all(self.db_read())
            .await?;
        rows.iter().map(comment_from_row).collect()
    }

    /// The published comments of a draft, oldest first.
    pub async fn published_comments(&self, draft: i64) -> Result<Vec<DraftComment>> {
        let sql = format!(
            "SELECT {COMMENT_COLUMNS} FROM draft_comments WHERE draft_id = $1 \
             AND status = 'da-dang' ORDER BY created_at, id"
        );
        let rows = sqlx::query(&sql)
            .bind(draft)
            .fetch_all(self.db_read())
            .await?;
        rows.iter().map(comment_from_row).collect()
    }

    /// Publishes, hides or answers a comment of a draft of `site`.
    pub async fn moderate_comment(
        &self,
        site: SiteId,
        draft: i64,
        comment: i64,
        what: &Moderation,
        note: AuditNote<'_>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let owned = sqlx::query(
            "SELECT c.name FROM draft_comments c JOIN drafts d ON d.id = c.draft_id \
             WHERE c.id = $1 AND c.draft_id = $2 AND d.site_id = $3",
        )
        .bind(comment)
        .bind(draft)
        .bind(site.0)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::NotFound("góp ý"))?;
        let name: String = owned.try_get("name")?;
        let q = match what {
            Moderation::Publish => {
                sqlx::query("UPDATE draft_comments SET status = 'da-dang' WHERE id = $1")
                    .bind(comment)
            }
            Moderation::Hide => {
                sqlx::query("UPDATE draft_comments SET status = 'da-an' WHERE id = $1")
                    .bind(comment)
            }
            Moderation::Answer(text) => {
                sqlx::query("UPDATE draft_comments SET answer = $1, answered_at = $2 WHERE id = $3")
                    .bind(text.as_str())
                    .bind(now)
                    .bind(comment)
            }
        };
        q.execute(&mut *tx).await?;
        ContentChange::new(site, now)
            .audit(note, format!("góp ý #{comment} của {name}"))
            .commit(tx)
            .await
    }

    /// Attaches the summary report to a draft of `site`: its text and files.
    pub async fn set_draft_report(
        &self,
        site: SiteId,
        draft: i64,
        report: &SafeHtml,
        files: &[MediaId],
        note: AuditNote<'_>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let done = sqlx::query(
            "UPDATE drafts SET report_html = $1, revision = revision + 1, updated_at = $2 \
             WHERE id = $3 AND site_id = $4",
        )
        .bind(report.as_str())
        .bind(now)
        .bind(draft)
        .bind(site.0)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound("dự thảo"));
        }
        sqlx::query("DELETE FROM draft_files WHERE draft_id = $1 AND role = 'bao-cao'")
            .bind(draft)
            .execute(&mut *tx)
            .await?;
        write_files(&mut tx, site, draft, "bao-cao", files).await?;
        ContentChange::new(site, now)
            .document(DocKind::DraftForComment, draft)
            .audit(note, format!("dự thảo #{draft}"))
            .commit(tx)
            .await
    }
}

/// Attaches files of the site's library (others' are ignored), in order.
async fn write_files(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    site: SiteId,
    id: i64,
    role: &str,
    files: &[MediaId],
) -> Result<()> {
    for (i, f) in files.iter().enumerate() {
        sqlx::query(
            "INSERT INTO draft_files (draft_id, media_id, role, position) \
             SELECT $1, id, $2, $3 FROM media WHERE id = $4 AND site_id = $5 \
             AND NOT EXISTS (SELECT 1 FROM draft_files WHERE draft_id = $1 AND media_id = $4)",
        )
        .bind(id)
        .bind(role)
        .bind(i as i64)
        .bind(f.0)
        .bind(site.0)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
