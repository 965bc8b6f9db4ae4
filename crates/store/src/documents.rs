//! Official documents ("Văn bản"): the site's lists (types, issuers, signers,
//! fields), the documents with their files, fields and links, the public list with
//! its filters, and revisions. Every change is one transaction with its revision,
//! audit entry, search outbox row and the site's content version.
//!
//! Validity is never stored: the public list's status filter computes it from the
//! dates and from the documents that replace one, for the day it is given.

use crate::change::{AuditNote, ContentChange, Revisions};
use crate::error::on_unique;
use crate::query::Sql;
use crate::{Backend, Error, Result, Store};
use domain::{
    ArticleStatus, DocKind, Document, DocumentDates, DocumentDraft, DocumentFile, DocumentId,
    DocumentRevision, ListTag, SafeHtml, SiteId, Term, TermList, UserId, Validity,
};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};

/// A file to attach: a media row already recorded, and its name as shown.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentFileInput {
    /// The media row.
    pub media_id: i64,
    /// Its name as readers see it.
    pub name: String,
}

/// A document to write or save.
#[derive(Debug, Clone)]
pub struct DocumentWrite<'a> {
    /// Site.
    pub site: SiteId,
    /// The form's fields.
    pub draft: &'a DocumentDraft,
    /// Its dates, read.
    pub dates: &'a DocumentDates,
    /// Status after the write.
    pub status: ArticleStatus,
    /// Posting time, UTC seconds.
    pub published_at: i64,
    /// Why it was sent back (empty unless rejected).
    pub reject_reason: &'a str,
    /// Its files after the write, in order.
    pub files: &'a [DocumentFileInput],
    /// Who (none: the program itself, e.g. an import).
    pub by: Option<UserId>,
    /// What the revision and the audit log say.
    pub note: &'a str,
    /// The client's address, for the audit log.
    pub ip: &'a str,
}

/// A document as lists show it.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentRow {
    /// Id.
    pub id: DocumentId,
    /// Its site.
    pub site_id: SiteId,
    /// Slug.
    pub slug: String,
    /// Số/ký hiệu.
    pub number: String,
    /// Trích yếu.
    pub summary: String,
    /// Loại.
    pub kind: String,
    /// Cơ quan ban hành.
    pub issuer: String,
    /// Ngày ban hành, `YYYY-MM-DD`.
    pub issued_on: String,
    /// Ngày có hiệu lực.
    pub effective_on: Option<String>,
    /// Ngày hết hiệu lực.
    pub expires_on: Option<String>,
    /// Another published document replaces it.
    pub replaced: bool,
    /// Workflow status.
    pub status: ArticleStatus,
    /// Posting time.
    pub published_at: i64,
    /// Last saved.
    pub updated_at: i64,
}

impl DocumentRow {
    /// Its validity on `today` (`YYYY-MM-DD`).
    pub fn validity(&self, today: &str) -> Validity {
        domain::validity(
            &self.issued_on,
            self.effective_on.as_deref(),
            self.expires_on.as_deref(),
            self.replaced,
            today,
        )
    }
}

/// A site's choices about documents beyond its own list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DocumentSiteOptions {
    /// The department's documents are not shown ("Văn bản cấp trên" off).
    pub hide_upper: bool,
    /// The side block "Văn bản mới" is off.
    pub hide_side: bool,
}

/// A document's file as its download needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentDownload {
    /// The document (its downloads are counted).
    pub document: DocumentId,
    /// Its number, for the file's plain name.
    pub number: String,
    /// The file's name as readers see it.
    pub name: String,
    /// Its path under the media folder.
    pub path: String,
    /// Its type, as its content showed at upload.
    pub mime: String,
}

/// How the public list is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DocumentSort {
    /// Newest issue date first.
    #[default]
    Issued,
    /// Newest posting first.
    Posted,
}

/// What the public list is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct DocumentFilter {
    /// Loại.
    pub kind: Option<i64>,
    /// Cơ quan ban hành.
    pub issuer: Option<i64>,
    /// Lĩnh vực.
    pub field: Option<i64>,
    /// Người ký.
    pub signer: Option<i64>,
    /// Year of issue.
    pub year: Option<i32>,
    /// Issued on or after (`YYYY-MM-DD`).
    pub from: Option<String>,
    /// Issued on or before (`YYYY-MM-DD`).
    pub to: Option<String>,
    /// Validity on `today`.
    pub validity: Option<Validity>,
    /// Words of the number or the summary (with or without tone marks).
    pub words: String,
    /// Only these documents, when given: the search index's matches for `words`,
    /// in the list's order (`sort`), so that the words are not looked for in
    /// every row (the index decided them). The other conditions are checked on
    /// these ids in order until the page is full.
    pub ids: Option<Vec<i64>>,
    /// Order.
    pub sort: DocumentSort,
}

impl DocumentFilter {
    /// The narrowings beyond the words that the search index holds as tags
    /// (type, issuer, field, signer, year); `None` when another narrows the list
    /// too (dates, validity: the database checks those).
    pub fn index_tags(&self) -> Option<Vec<String>> {
        if self.from.is_some() || self.to.is_some() || self.validity.is_some() {
            return None;
        }
        Some(self.tags())
    }

    /// The narrowings the index holds as tags, whatever else narrows the list.
    pub fn tags(&self) -> Vec<String> {
        [
            self.kind.map(ListTag::Kind),
            self.issuer.map(ListTag::Issuer),
            self.field.map(ListTag::Field),
            self.signer.map(ListTag::Signer),
            self.year.map(ListTag::Year),
        ]
        .into_iter()
        .flatten()
        .map(ListTag::term)
        .collect()
    }
}

/// Documents' revisions: the files of each save are named in `files_list`.
pub(crate) const DOCUMENT_REVISIONS: Revisions = Revisions {
    table: "document_revisions",
    owner: "document_id",
    source: "documents",
    columns: "doc_number, summary, issued_on, effective_on, expires_on, body_html, files_list",
};

/// Public: published (a scheduled one once its time has come).
const PUBLIC: &str = "d.status IN ('published', 'scheduled') AND d.published_at <= ";

const ROW_COLUMNS: &str = "d.id, d.site_id, d.slug, d.doc_number, d.summary, d.issued_on, \
     d.effective_on, d.expires_on, d.status, d.published_at, d.updated_at, \
     k.name AS kind_name, i.name AS issuer_name";

/// The statement part that says whether a published document replaces `d` at `$now`.
fn push_replaced(sql: &mut Sql<'_>, now: i64) {
    sql.push(
        "EXISTS (SELECT 1 FROM documents r WHERE r.replaces_id = d.id \
         AND r.status IN ('published', 'scheduled') AND r.published_at <= ",
    )
    .bind(now)
    .push(")");
}

/// `push_replaced` as a 0/1 column (`replaced`), the same type on both backends.
fn push_replaced_flag(sql: &mut Sql<'_>, now: i64) {
    sql.push("CASE WHEN ");
    push_replaced(sql, now);
    sql.push(" THEN 1 ELSE 0 END");
}

impl Store {
    /// A site's entries of one list, by position then name.
    pub async fn document_terms(&self, site: SiteId, list: TermList) -> Result<Vec<Term>> {
        let rows = sqlx::query(
            "SELECT id, list, name, detail FROM document_terms WHERE site_id = $1 AND list = $2 \
             ORDER BY position, name, id",
        )
        .bind(site.0)
        .bind(list.as_str())
        .fetch_all(self.db_read())
        .await?;
        rows.iter().map(term_from_row).collect()
    }

    /// Adds an entry to one of a site's lists; `Conflict("document_term")` when the
    /// name is already in it.
    pub async fn add_document_term(
        &self,
        site: SiteId,
        list: TermList,
        name: &str,
        detail: &str,
        audit: Option<AuditNote<'_>>,
        now: i64,
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let id = insert_term(&mut tx, site, list, name, detail).await?;
        let mut change = ContentChange::new(site, now);
        if let Some(note) = audit {
            change = change.audit(note, format!("{}: {}", list.label(), name));
        }
        change.commit(tx).await?;
        Ok(id)
    }

    /// Removes an entry of a site's list; `Conflict("document_term_used")` while a
    /// document names it as its type, issuer or signer.
    pub async fn delete_document_term(
        &self,
        site: SiteId,
        id: i64,
        audit: AuditNote<'_>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let row =
            sqlx::query("SELECT list, name FROM document_terms WHERE id = $1 AND site_id = $2")
                .bind(id)
                .bind(site.0)
                .fetch_optional(&mut *tx)
                .await?
                .ok_or(Error::NotFound("document_term"))?;
        let name: String = row.try_get("name")?;
        let used: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM documents \
             WHERE type_id = $1 OR issuer_id = $1 OR signer_id = $1",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
        if used > 0 {
            return Err(Error::Conflict("document_term_used"));
        }
        sqlx::query("DELETE FROM document_terms WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        ContentChange::new(site, now)
            .audit(audit, name)
            .commit(tx)
            .await
    }

    /// Writes a new document with its fields, links, files and first revision.
    /// `Conflict("document_slug")` when the site has a document with the same
    /// number and summary.
    pub async fn create_document(&self, w: &DocumentWrite<'_>, now: i64) -> Result<DocumentId> {
        let mut tx = self.begin_write().await?;
        check_terms(&mut tx, w.site, w.draft).await?;
        let slug = w.draft.slug();
        let id: i64 = sqlx::query(
            "INSERT INTO documents (site_id, slug, doc_number, number_digits, summary, \
             summary_folded, type_id, issuer_id, signer_id, issued_on, effective_on, expires_on, \
             replaces_id, body_html, status, published_at, revision, author_id, reject_reason, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, \
             $13, $14, $15, $16, 1, $17, $18, $19, $19) RETURNING id",
        )
        .bind(w.site.0)
        .bind(&slug)
        .bind(&w.draft.number)
        .bind(domain::number_digits(&w.draft.number))
        .bind(&w.draft.summary)
        .bind(folded(w.draft))
        .bind(w.draft.kind_id)
        .bind(w.draft.issuer_id)
        .bind(w.draft.signer_id)
        .bind(&w.dates.issued_on)
        .bind(w.dates.effective_on.as_deref())
        .bind(w.dates.expires_on.as_deref())
        .bind(w.draft.replaces.map(|d| d.0))
        .bind(w.draft.body.as_str())
        .bind(w.status.as_str())
        .bind(w.published_at)
        .bind(w.by.map(|u| u.0))
        .bind(w.reject_reason)
        .bind(now)
        .fetch_one(&mut *tx)
        .await
        .map_err(on_unique("document_slug"))?
        .try_get("id")?;
        write_parts(&mut tx, w.site, id, w.draft, w.files).await?;
        echo_department(&mut tx, w.site).await?;
        let note = AuditNote {
            user: w.by,
            action: w.note,
            ip: w.ip,
        };
        document_change(w.site, DocumentId(id), w.draft.replaces, now)
            .revision(DOCUMENT_REVISIONS.copy(id, 1, w.by, now, w.note))
            .audit(
                note,
                format!("{} {} (/van-ban/{slug})", w.draft.number, w.draft.summary),
            )
            .commit(tx)
            .await?;
        Ok(DocumentId(id))
    }

    /// Saves a document: refused with `Error::Stale` when someone saved it since
    /// `base_revision`. Returns the new revision's number.
    pub async fn save_document(
        &self,
        id: DocumentId,
        base_revision: i64,
        w: &DocumentWrite<'_>,
        now: i64,
    ) -> Result<i64> {
        let mut tx = self.begin_write().await?;
        let old = sqlx::query("SELECT replaces_id FROM documents WHERE id = $1 AND site_id = $2")
            .bind(id.0)
            .bind(w.site.0)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(Error::NotFound("document"))?;
        let old_replaces: Option<i64> = old.try_get("replaces_id")?;
        check_terms(&mut tx, w.site, w.draft).await?;
        if w.draft.replaces == Some(id) || w.draft.related.contains(&id) {
            return Err(Error::Conflict("document_self"));
        }
        let slug = w.draft.slug();
        let done = sqlx::query(
            "UPDATE documents SET slug = $1, doc_number = $2, number_digits = $3, summary = $4, \
             summary_folded = $5, type_id = $6, issuer_id = $7, signer_id = $8, issued_on = $9, \
             effective_on = $10, expires_on = $11, replaces_id = $12, body_html = $13, \
             status = $14, published_at = $15, reject_reason = $16, revision = revision + 1, \
             updated_at = $17 WHERE id = $18 AND revision = $19",
        )
        .bind(&slug)
        .bind(&w.draft.number)
        .bind(domain::number_digits(&w.draft.number))
        .bind(&w.draft.summary)
        .bind(folded(w.draft))
        .bind(w.draft.kind_id)
        .bind(w.draft.issuer_id)
        .bind(w.draft.signer_id)
        .bind(&w.dates.issued_on)
        .bind(w.dates.effective_on.as_deref())
        .bind(w.dates.expires_on.as_deref())
        .bind(w.draft.replaces.map(|d| d.0))
        .bind(w.draft.body.as_str())
        .bind(w.status.as_str())
        .bind(w.published_at)
        .bind(w.reject_reason)
        .bind(now)
        .bind(id.0)
        .bind(base_revision)
        .execute(&mut *tx)
        .await
        .map_err(on_unique("document_slug"))?
        .rows_affected();
        if done == 0 {
            return Err(Error::Stale);
        }
        write_parts(&mut tx, w.site, id.0, w.draft, w.files).await?;
        echo_department(&mut tx, w.site).await?;
        let number = base_revision + 1;
        let note = AuditNote {
            user: w.by,
            action: w.note,
            ip: w.ip,
        };
        let mut change = document_change(w.site, id, w.draft.replaces, now);
        if let Some(old) = old_replaces.filter(|o| Some(DocumentId(*o)) != w.draft.replaces) {
            change = change.document(DocKind::Document, old);
        }
        change
            .revision(DOCUMENT_REVISIONS.copy(id.0, number, w.by, now, w.note))
            .audit(
                note,
                format!("{} {} (/van-ban/{slug})", w.draft.number, w.draft.summary),
            )
            .commit(tx)
            .await?;
        Ok(number)
    }

    /// Deletes a document with its revisions (its files stay in the media library).
    pub async fn delete_document(
        &self,
        site: SiteId,
        id: DocumentId,
        audit: AuditNote<'_>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let row = sqlx::query(
            "SELECT doc_number, summary, replaces_id FROM documents WHERE id = $1 AND site_id = $2",
        )
        .bind(id.0)
        .bind(site.0)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(Error::NotFound("document"))?;
        let number: String = row.try_get("doc_number")?;
        let summary: String = row.try_get("summary")?;
        let replaces: Option<i64> = row.try_get("replaces_id")?;
        sqlx::query("DELETE FROM documents WHERE id = $1")
            .bind(id.0)
            .execute(&mut *tx)
            .await?;
        echo_department(&mut tx, site).await?;
        document_change(site, id, replaces.map(DocumentId), now)
            .audit(audit, format!("{number} {summary}"))
            .commit(tx)
            .await
    }

    /// A document of the site, whatever its state, for the back office.
    pub async fn document(&self, site: SiteId, id: DocumentId) -> Result<Option<Document>> {
        let row = sqlx::query(&format!(
            "SELECT {DOC_COLUMNS} FROM documents d {DOC_JOINS} WHERE d.site_id = $1 AND d.id = $2"
        ))
        .bind(site.0)
        .bind(id.0)
        .fetch_optional(self.db_read())
        .await?;
        match row {
            Some(r) => Ok(Some(self.document_from_row(&r).await?)),
            None => Ok(None),
        }
    }

    /// A document readers may see at `now`, by its slug.
    pub async fn public_document(
        &self,
        site: SiteId,
        slug: &str,
        now: i64,
    ) -> Result<Option<Document>> {
        let row = sqlx::query(&format!(
            "SELECT {DOC_COLUMNS} FROM documents d {DOC_JOINS} WHERE d.site_id = $1 AND d.slug = $2 \
             AND {PUBLIC}$3"
        ))
        .bind(site.0)
        .bind(slug)
        .bind(now)
        .fetch_optional(self.db_read())
        .await?;
        match row {
            Some(r) => Ok(Some(self.document_from_row(&r).await?)),
            None => Ok(None),
        }
    }

    /// File `file` of the document readers may see at `now` by its slug: one
    /// statement, for downloads (a PDF viewer asks for many ranges).
    pub async fn public_document_file(
        &self,
        site: SiteId,
        slug: &str,
        file: i64,
        now: i64,
    ) -> Result<Option<DocumentDownload>> {
        let row = sqlx::query(&format!(
            "SELECT d.id, d.doc_number, f.name, m.path, m.mime FROM documents d \
             JOIN document_files f ON f.document_id = d.id JOIN media m ON m.id = f.media_id \
             WHERE d.site_id = $1 AND d.slug = $2 AND f.id = $3 AND {PUBLIC}$4"
        ))
        .bind(site.0)
        .bind(slug)
        .bind(file)
        .bind(now)
        .fetch_optional(self.db_read())
        .await?;
        row.map(|r| {
            Ok(DocumentDownload {
                document: DocumentId(r.try_get("id")?),
                number: r.try_get("doc_number")?,
                name: r.try_get("name")?,
                path: r.try_get("path")?,
                mime: r.try_get("mime")?,
            })
        })
        .transpose()
    }

    /// A document readers may see at `now`, whatever its site, for the search index.
    pub async fn searchable_document(&self, id: DocumentId, now: i64) -> Result<Option<Document>> {
        let row = sqlx::query(&format!(
            "SELECT {DOC_COLUMNS} FROM documents d {DOC_JOINS} WHERE d.id = $1 AND {PUBLIC}$2"
        ))
        .bind(id.0)
        .bind(now)
        .fetch_optional(self.db_read())
        .await?;
        match row {
            Some(r) => Ok(Some(self.document_from_row(&r).await?)),
            None => Ok(None),
        }
    }

    /// The ids of every document readers may see at `now`, for a rebuilt index.
    pub async fn searchable_document_ids(&self, now: i64) -> Result<Vec<DocumentId>> {
        let rows = sqlx::query(&format!(
            "SELECT d.id FROM documents d WHERE {PUBLIC}$1 ORDER BY d.id"
        ))
        .bind(now)
        .fetch_all(self.db_read())
        .await?;
        rows.iter()
            .map(|r| Ok(DocumentId(r.try_get("id")?)))
            .collect()
    }

    /// The scheduler's round: scheduled documents whose time has come become
    /// published, with an audit entry and a search outbox row (nothing else would
    /// tell the index they are public now). Returns the sites whose content changed.
    /// Safe with several instances: each document changes once.
    pub async fn publish_due_documents(&self, now: i64) -> Result<Vec<SiteId>> {
        let due = sqlx::query(
            "SELECT id, site_id, doc_number, summary, replaces_id FROM documents \
             WHERE status = 'scheduled' AND published_at <= $1 ORDER BY id",
        )
        .bind(now)
        .fetch_all(self.db_read())
        .await?;
        let mut sites = Vec::new();
        for r in &due {
            let id = DocumentId(r.try_get("id")?);
            let site = SiteId(r.try_get("site_id")?);
            let number: String = r.try_get("doc_number")?;
            let summary: String = r.try_get("summary")?;
            let replaces: Option<i64> = r.try_get("replaces_id")?;
            let mut tx = self.begin_write().await?;
            let done = sqlx::query(
                "UPDATE documents SET status = 'published' WHERE id = $1 AND status = 'scheduled'",
            )
            .bind(id.0)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if done == 0 {
                // Another instance (or an editor) got there first.
                continue;
            }
            echo_department(&mut tx, site).await?;
            let by = AuditNote {
                user: None,
                action: "đăng văn bản theo lịch",
                ip: "",
            };
            document_change(site, id, replaces.map(DocumentId), now)
                .audit(by, format!("{number} {summary}"))
                .commit(tx)
                .await?;
            if !sites.contains(&site) {
                sites.push(site);
            }
        }
        Ok(sites)
    }

    /// The background round's look at the calendar. Validity is computed for the
    /// day, so a list or a page cached yesterday may show "Còn hiệu lực" for a
    /// document that expired at midnight. The first round of a new day (`today`,
    /// `YYYY-MM-DD` in Vietnam) takes the day in `document_clock` and moves the
    /// content version of every site with a public document whose effect or
    /// expiry date came since the last day taken (every site's when it is the
    /// department's: schools show its documents). Safe with several instances:
    /// the day is taken by an `UPDATE … WHERE day = old`. Returns the sites moved.
    pub async fn document_day_turn(&self, today: &str, now: i64) -> Result<Vec<SiteId>> {
        let mut tx = self.begin_write().await?;
        let last: String = sqlx::query("SELECT day FROM document_clock WHERE id = 1")
            .fetch_one(&mut *tx)
            .await?
            .try_get("day")?;
        if last.as_str() >= today {
            return Ok(Vec::new());
        }
        let taken = sqlx::query("UPDATE document_clock SET day = $1 WHERE id = 1 AND day = $2")
            .bind(today)
            .bind(&last)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if taken == 0 {
            // Another instance took the day.
            return Ok(Vec::new());
        }
        let rows = sqlx::query(&format!(
            "SELECT DISTINCT d.site_id, s.is_default FROM documents d \
             JOIN sites s ON s.id = d.site_id WHERE {PUBLIC}$1 \
             AND ((COALESCE(d.effective_on, d.issued_on) > $2 \
                   AND COALESCE(d.effective_on, d.issued_on) <= $3) \
               OR (d.expires_on > $2 AND d.expires_on <= $3)) \
             ORDER BY d.site_id"
        ))
        .bind(now)
        .bind(&last)
        .bind(today)
        .fetch_all(&mut *tx)
        .await?;
        let mut sites = Vec::new();
        let mut everyone = false;
        for r in &rows {
            sites.push(SiteId(r.try_get("site_id")?));
            everyone |= r.try_get::<i64, _>("is_default")? != 0;
        }
        if everyone {
            sqlx::query("UPDATE sites SET content_version = content_version + 1")
                .execute(&mut *tx)
                .await?;
        } else {
            for site in &sites {
                sqlx::query("UPDATE sites SET content_version = content_version + 1 WHERE id = $1")
                    .bind(site.0)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok(sites)
    }

    /// Public documents among `ids` (of any site), in the order of `ids`.
    pub async fn public_documents_by_id(
        &self,
        ids: &[DocumentId],
        now: i64,
    ) -> Result<Vec<DocumentRow>> {
        let ids: Vec<i64> = ids.iter().map(|d| d.0).collect();
        self.public_rows_in(None, &ids, now).await
    }

    /// The public documents that replace `id`, newest first.
    pub async fn documents_replacing(&self, id: DocumentId, now: i64) -> Result<Vec<DocumentRow>> {
        let mut sql = Sql::new(&format!("SELECT {ROW_COLUMNS}, "));
        push_replaced_flag(&mut sql, now);
        sql.push(&format!(
            " AS replaced FROM documents d {ROW_JOINS} WHERE d.replaces_id = "
        ))
        .bind(id.0)
        .push(&format!(" AND {PUBLIC}"))
        .bind(now)
        .push(" ORDER BY d.issued_on DESC, d.id DESC");
        let rows = sql.query().fetch_all(self.db_read()).await?;
        rows.iter().map(row_from).collect()
    }

    /// One page of the public list of `site`'s documents, and how many match.
    ///
    /// Two statements: the count, then the page's ids (walking the index in list
    /// order until the page is full), whose rows alone get their names and their
    /// "replaced" flag. With 50,000 documents a page costs a few milliseconds.
    pub async fn public_documents(
        &self,
        site: SiteId,
        filter: &DocumentFilter,
        now: i64,
        today: &str,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<DocumentRow>, i64)> {
        self.public_documents_page(site, filter, now, today, limit, offset, None)
            .await
    }

    /// [`Store::public_documents`] with the count already known (`total`, returned
    /// as is; the count is the slow half of a list: the caller keeps it per
    /// content version), or not wanted (a block of the newest).
    #[expect(clippy::too_many_arguments, reason = "the list's inputs, each plain")]
    pub async fn public_documents_page(
        &self,
        site: SiteId,
        filter: &DocumentFilter,
        now: i64,
        today: &str,
        limit: i64,
        offset: i64,
        total: Option<i64>,
    ) -> Result<(Vec<DocumentRow>, i64)> {
        if let Some(ids) = &filter.ids {
            return self
                .page_among(site, ids, filter, now, today, limit, offset, total)
                .await;
        }
        let matching = |sql: &mut Sql<'_>| {
            sql.push(" FROM documents d WHERE d.site_id = ")
                .bind(site.0)
                .push(&format!(" AND {PUBLIC}"))
                .bind(now);
            push_filter(sql, filter, now, today);
        };
        let order = match filter.sort {
            DocumentSort::Issued => " ORDER BY d.issued_on DESC, d.id DESC",
            DocumentSort::Posted => " ORDER BY d.published_at DESC, d.id DESC",
        };
        self.page_of(matching, order, now, limit, offset, total)
            .await
    }

    /// The count (unless `known`) and one page of the documents `matching`
    /// pushes the `FROM … WHERE …` of, in `order`.
    async fn page_of(
        &self,
        matching: impl Fn(&mut Sql<'_>),
        order: &str,
        now: i64,
        limit: i64,
        offset: i64,
        known: Option<i64>,
    ) -> Result<(Vec<DocumentRow>, i64)> {
        let total = match known {
            Some(total) => total,
            None => {
                let mut count = Sql::new("SELECT COUNT(*) AS n");
                matching(&mut count);
                let total: i64 = count
                    .query()
                    .fetch_one(self.db_read())
                    .await?
                    .try_get("n")?;
                if total == 0 {
                    return Ok((Vec::new(), 0));
                }
                total
            }
        };
        let mut sql = Sql::new(&format!("SELECT {ROW_COLUMNS}, "));
        push_replaced_flag(&mut sql, now);
        sql.push(" AS replaced FROM (SELECT d.id");
        matching(&mut sql);
        sql.push(order)
            .push(" LIMIT ")
            .bind(limit)
            .push(" OFFSET ")
            .bind(offset)
            .push(&format!(") p JOIN documents d ON d.id = p.id {ROW_JOINS}"))
            .push(order);
        let rows = sql.query().fetch_all(self.db_read()).await?;
        Ok((rows.iter().map(row_from).collect::<Result<_>>()?, total))
    }

    /// [`Store::public_documents_page`] over `ids` (the search index's matches, in
    /// the list's order): the count (unless `known`) over them all, then the
    /// other conditions checked on the ids in order, a growing slice at a time,
    /// until the page is full; only the page's rows are read.
    #[expect(clippy::too_many_arguments, reason = "the list's inputs, each plain")]
    async fn page_among(
        &self,
        site: SiteId,
        ids: &[i64],
        filter: &DocumentFilter,
        now: i64,
        today: &str,
        limit: i64,
        offset: i64,
        known: Option<i64>,
    ) -> Result<(Vec<DocumentRow>, i64)> {
        let backend = self.backend();
        let matching = |sql: &mut Sql<'_>, ids: &[i64]| {
            sql.push(" FROM documents d WHERE d.site_id = ")
                .bind(site.0)
                .push(&format!(" AND {PUBLIC}"))
                .bind(now);
            push_ids(sql, ids, backend);
            push_filter(sql, filter, now, today);
        };
        let total = match known {
            Some(total) => total,
            None if ids.is_empty() => 0,
            None => {
                let mut count = Sql::new("SELECT COUNT(*) AS n");
                matching(&mut count, ids);
                count
                    .query()
                    .fetch_one(self.db_read())
                    .await?
                    .try_get("n")?
            }
        };
        let wanted = usize::try_from(offset.saturating_add(limit)).unwrap_or(usize::MAX);
        let mut kept: Vec<i64> = Vec::new();
        let mut from = 0;
        let mut step = wanted.max(50) * 2;
        while kept.len() < wanted && from < ids.len() {
            let slice = &ids[from..ids.len().min(from.saturating_add(step))];
            let mut sql = Sql::new("SELECT d.id");
            matching(&mut sql, slice);
            let passing: std::collections::HashSet<i64> = sql
                .query()
                .fetch_all(self.db_read())
                .await?
                .iter()
                .map(|r| r.try_get::<i64, _>("id"))
                .collect::<std::result::Result<_, _>>()?;
            kept.extend(slice.iter().filter(|id| passing.contains(id)));
            from += slice.len();
            step = step.saturating_mul(4);
        }
        let page: Vec<i64> = kept
            .into_iter()
            .skip(usize::try_from(offset).unwrap_or(usize::MAX))
            .take(usize::try_from(limit).unwrap_or(0))
            .collect();
        Ok((self.public_documents_in(site, &page, now).await?, total))
    }

    /// The public documents of `site` among `ids`, in the order of `ids`, read in
    /// one statement (a page the search index chose).
    pub async fn public_documents_in(
        &self,
        site: SiteId,
        ids: &[i64],
        now: i64,
    ) -> Result<Vec<DocumentRow>> {
        self.public_rows_in(Some(site), ids, now).await
    }

    /// The public documents among `ids` (of `site` when given), in their order.
    async fn public_rows_in(
        &self,
        site: Option<SiteId>,
        ids: &[i64],
        now: i64,
    ) -> Result<Vec<DocumentRow>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut sql = Sql::new(&format!("SELECT {ROW_COLUMNS}, "));
        push_replaced_flag(&mut sql, now);
        sql.push(&format!(
            " AS replaced FROM documents d {ROW_JOINS} WHERE {PUBLIC}"
        ))
        .bind(now);
        if let Some(site) = site {
            sql.push(" AND d.site_id = ").bind(site.0);
        }
        push_ids(&mut sql, ids, self.backend());
        let mut rows = sql
            .query()
            .fetch_all(self.db_read())
            .await?
            .iter()
            .map(row_from)
            .collect::<Result<Vec<_>>>()?;
        let place: std::collections::HashMap<i64, usize> =
            ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
        rows.sort_by_key(|r| place.get(&r.id.0).copied().unwrap_or(usize::MAX));
        Ok(rows)
    }

    /// The back office's list of a site's documents, last saved first, narrowed
    /// to a status and words when given, and how many match.
    pub async fn admin_documents(
        &self,
        site: SiteId,
        status: Option<ArticleStatus>,
        words: &str,
        limit: i64,
        offset: i64,
    ) -> Result<(Vec<DocumentRow>, i64)> {
        let now = i64::MAX;
        let filter = DocumentFilter {
            words: words.to_owned(),
            ..DocumentFilter::default()
        };
        let matching = |sql: &mut Sql<'_>| {
            sql.push(" FROM documents d WHERE d.site_id = ")
                .bind(site.0);
            if let Some(s) = status {
                sql.push(" AND d.status = ").bind(s.as_str());
            }
            push_filter(sql, &filter, now, "");
        };
        self.page_of(
            matching,
            " ORDER BY d.updated_at DESC, d.id DESC",
            now,
            limit,
            offset,
            None,
        )
        .await
    }

    /// A site's documents that others may name (replaces, related): number and
    /// summary, newest issue first.
    pub async fn document_choices(&self, site: SiteId) -> Result<Vec<(DocumentId, String)>> {
        let rows = sqlx::query(
            "SELECT id, doc_number, summary FROM documents WHERE site_id = $1 \
             ORDER BY issued_on DESC, id DESC LIMIT 500",
        )
        .bind(site.0)
        .fetch_all(self.db_read())
        .await?;
        rows.iter()
            .map(|r| {
                let number: String = r.try_get("doc_number")?;
                let summary: String = r.try_get("summary")?;
                let short: String = summary.chars().take(80).collect();
                Ok((DocumentId(r.try_get("id")?), format!("{number}: {short}")))
            })
            .collect()
    }

    /// A document's revisions, newest first (only `number`, when given).
    pub async fn document_revisions(
        &self,
        site: SiteId,
        id: DocumentId,
        number: Option<i64>,
    ) -> Result<Vec<DocumentRevision>> {
        let rows = sqlx::query(
            "SELECT r.number, r.doc_number, r.summary, r.issued_on, r.effective_on, \
             r.expires_on, r.body_html, r.files_list, r.saved_at, r.note, \
             COALESCE(u.full_name, '') AS by_name \
             FROM document_revisions r JOIN documents d ON d.id = r.document_id \
             LEFT JOIN users u ON u.id = r.saved_by \
             WHERE r.document_id = $1 AND d.site_id = $2 AND ($3 = 0 OR r.number = $3) \
             ORDER BY r.number DESC",
        )
        .bind(id.0)
        .bind(site.0)
        .bind(number.unwrap_or(0))
        .fetch_all(self.db_read())
        .await?;
        rows.iter()
            .map(|r| {
                let date = |c: &str| -> Result<String> {
                    let v: Option<String> = r.try_get(c)?;
                    Ok(v.and_then(|d| vntext::format_iso_date(&d))
                        .unwrap_or_else(|| "—".into()))
                };
                Ok(DocumentRevision {
                    number: r.try_get("number")?,
                    doc_number: r.try_get("doc_number")?,
                    summary: r.try_get("summary")?,
                    dates: format!(
                        "Ban hành {}; có hiệu lực {}; hết hiệu lực {}",
                        date("issued_on")?,
                        date("effective_on")?,
                        date("expires_on")?
                    ),
                    body: SafeHtml::from_stored(r.try_get("body_html")?),
                    files: r.try_get("files_list")?,
                    saved_by: r.try_get("by_name")?,
                    saved_at: r.try_get("saved_at")?,
                    note: r.try_get("note")?,
                })
            })
            .collect()
    }

    /// The paths of a site's media files among `ids`.
    pub async fn media_paths(&self, site: SiteId, ids: &[i64]) -> Result<Vec<(i64, String)>> {
        let mut out = Vec::new();
        for id in ids {
            let row = sqlx::query("SELECT path FROM media WHERE id = $1 AND site_id = $2")
                .bind(id)
                .bind(site.0)
                .fetch_optional(self.db_read())
                .await?;
            if let Some(r) = row {
                out.push((*id, r.try_get("path")?));
            }
        }
        Ok(out)
    }

    /// Keeps the text layer read from a PDF (`None`: it has none, a scan).
    pub async fn set_media_text(&self, media: i64, text: Option<&str>) -> Result<()> {
        let mut tx = self.begin_write().await?;
        put_media_text(&mut tx, media, text).await?;
        tx.commit().await?;
        Ok(())
    }

    /// The text layers of a document's attached PDFs, for the search index.
    pub async fn document_files_text(&self, id: DocumentId) -> Result<String> {
        let rows = sqlx::query(
            "SELECT t.text FROM document_files f JOIN media_texts t ON t.media_id = f.media_id \
             WHERE f.document_id = $1 AND t.has_text = 1 ORDER BY f.position, f.id",
        )
        .bind(id.0)
        .fetch_all(self.db_read())
        .await?;
        let mut out = String::new();
        for r in &rows {
            let text: String = r.try_get("text")?;
            out.push_str(&text);
            out.push('\n');
        }
        Ok(out)
    }

    /// Whether a site hides the department's documents ("Văn bản cấp trên").
    pub async fn hides_upper_documents(&self, site: SiteId) -> Result<bool> {
        let row = sqlx::query("SELECT hide_upper FROM document_site_options WHERE site_id = $1")
            .bind(site.0)
            .fetch_optional(self.db_read())
            .await?;
        Ok(match row {
            Some(r) => r.try_get::<i64, _>("hide_upper")? != 0,
            None => false,
        })
    }

    /// Every site's choices that differ from the default (the department's
    /// documents shown, the side block "Văn bản mới" shown): what pages read
    /// from memory.
    pub async fn document_site_options(&self) -> Result<Vec<(SiteId, DocumentSiteOptions)>> {
        let rows = sqlx::query("SELECT site_id, hide_upper, hide_side FROM document_site_options")
            .fetch_all(self.db_read())
            .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    SiteId(r.try_get("site_id")?),
                    DocumentSiteOptions {
                        hide_upper: r.try_get::<i64, _>("hide_upper")? != 0,
                        hide_side: r.try_get::<i64, _>("hide_side")? != 0,
                    },
                ))
            })
            .collect()
    }

    /// Turns the side block "Văn bản mới" of a site's pages off or on.
    pub async fn set_hide_document_side(
        &self,
        site: SiteId,
        hide: bool,
        audit: AuditNote<'_>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO document_site_options (site_id, hide_side) VALUES ($1, $2) \
             ON CONFLICT (site_id) DO UPDATE SET hide_side = excluded.hide_side",
        )
        .bind(site.0)
        .bind(i64::from(hide))
        .execute(&mut *tx)
        .await?;
        ContentChange::new(site, now)
            .audit(
                audit,
                if hide {
                    "tắt khối Văn bản mới".into()
                } else {
                    "bật khối Văn bản mới".into()
                },
            )
            .commit(tx)
            .await
    }

    /// Shows or hides the department's documents on a site.
    pub async fn set_hide_upper_documents(
        &self,
        site: SiteId,
        hide: bool,
        audit: AuditNote<'_>,
        now: i64,
    ) -> Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO document_site_options (site_id, hide_upper) VALUES ($1, $2) \
             ON CONFLICT (site_id) DO UPDATE SET hide_upper = excluded.hide_upper",
        )
        .bind(site.0)
        .bind(i64::from(hide))
        .execute(&mut *tx)
        .await?;
        ContentChange::new(site, now)
            .audit(
                audit,
                if hide {
                    "ẩn Văn bản cấp trên".into()
                } else {
                    "hiện Văn bản cấp trên".into()
                },
            )
            .commit(tx)
            .await
    }

    async fn document_from_row(&self, r: &AnyRow) -> Result<Document> {
        let id: i64 = r.try_get("id")?;
        let site = SiteId(r.try_get("site_id")?);
        let status: String = r.try_get("status")?;
        let term = |prefix: &str, list: TermList| -> Result<Option<Term>> {
            let tid: Option<i64> = r.try_get(format!("{prefix}_id").as_str())?;
            Ok(match tid {
                Some(tid) => Some(Term {
                    id: tid,
                    list,
                    name: r.try_get(format!("{prefix}_name").as_str())?,
                    detail: r.try_get(format!("{prefix}_detail").as_str())?,
                }),
                None => None,
            })
        };
        let fields = sqlx::query(
            "SELECT t.id, t.list, t.name, t.detail FROM document_fields f \
             JOIN document_terms t ON t.id = f.term_id WHERE f.document_id = $1 \
             ORDER BY t.position, t.name",
        )
        .bind(id)
        .fetch_all(self.db_read())
        .await?
        .iter()
        .map(term_from_row)
        .collect::<Result<Vec<_>>>()?;
        let files = sqlx::query(
            "SELECT f.id, f.media_id, f.name, m.path, m.mime, m.bytes, t.has_text \
             FROM document_files f JOIN media m ON m.id = f.media_id \
             LEFT JOIN media_texts t ON t.media_id = f.media_id \
             WHERE f.document_id = $1 ORDER BY f.position, f.id",
        )
        .bind(id)
        .fetch_all(self.db_read())
        .await?
        .iter()
        .map(|f| {
            Ok(DocumentFile {
                id: f.try_get("id")?,
                media_id: f.try_get("media_id")?,
                path: f.try_get("path")?,
                name: f.try_get("name")?,
                mime: f.try_get("mime")?,
                bytes: f.try_get("bytes")?,
                text_layer: f.try_get::<Option<i64>, _>("has_text")?.map(|t| t != 0),
            })
        })
        .collect::<Result<Vec<_>>>()?;
        let related = sqlx::query(
            "SELECT related_id FROM document_links WHERE document_id = $1 ORDER BY related_id",
        )
        .bind(id)
        .fetch_all(self.db_read())
        .await?
        .iter()
        .map(|l| Ok(DocumentId(l.try_get("related_id")?)))
        .collect::<Result<Vec<_>>>()?;
        Ok(Document {
            id: DocumentId(id),
            site_id: site,
            slug: r.try_get("slug")?,
            number: r.try_get("doc_number")?,
            summary: r.try_get("summary")?,
            kind: term("kind", TermList::Type)?.ok_or(Error::NotFound("document_term"))?,
            issuer: term("issuer", TermList::Issuer)?.ok_or(Error::NotFound("document_term"))?,
            signer: term("signer", TermList::Signer)?,
            fields,
            issued_on: r.try_get("issued_on")?,
            effective_on: r.try_get("effective_on")?,
            expires_on: r.try_get("expires_on")?,
            replaces: r.try_get::<Option<i64>, _>("replaces_id")?.map(DocumentId),
            body: SafeHtml::from_stored(r.try_get("body_html")?),
            status: ArticleStatus::parse(&status)
                .ok_or_else(|| Error::Corrupt(format!("document status {status}")))?,
            published_at: r.try_get("published_at")?,
            revision: r.try_get("revision")?,
            author_id: r.try_get("author_id")?,
            reject_reason: r.try_get("reject_reason")?,
            views: r.try_get("views")?,
            downloads: r.try_get("downloads")?,
            files,
            related,
            created_at: r.try_get("created_at")?,
            updated_at: r.try_get("updated_at")?,
        })
    }
}

const DOC_COLUMNS: &str = "d.id, d.site_id, d.slug, d.doc_number, d.summary, d.issued_on, \
     d.effective_on, d.expires_on, d.replaces_id, d.body_html, d.status, d.published_at, \
     d.revision, d.author_id, d.reject_reason, d.views, d.downloads, d.created_at, d.updated_at, \
     k.id AS kind_id, k.name AS kind_name, k.detail AS kind_detail, \
     i.id AS issuer_id, i.name AS issuer_name, i.detail AS issuer_detail, \
     s.id AS signer_id, s.name AS signer_name, s.detail AS signer_detail";

const DOC_JOINS: &str = "JOIN document_terms k ON k.id = d.type_id \
     JOIN document_terms i ON i.id = d.issuer_id \
     LEFT JOIN document_terms s ON s.id = d.signer_id";

const ROW_JOINS: &str = "JOIN document_terms k ON k.id = d.type_id \
     JOIN document_terms i ON i.id = d.issuer_id";

/// Appends the filter's conditions (each starting with AND).
fn push_filter<'a>(sql: &mut Sql<'a>, f: &DocumentFilter, now: i64, today: &str) {
    if let Some(k) = f.kind {
        sql.push(" AND d.type_id = ").bind(k);
    }
    if let Some(i) = f.issuer {
        sql.push(" AND d.issuer_id = ").bind(i);
    }
    if let Some(s) = f.signer {
        sql.push(" AND d.signer_id = ").bind(s);
    }
    if let Some(field) = f.field {
        sql.push(" AND EXISTS (SELECT 1 FROM document_fields df WHERE df.document_id = d.id AND df.term_id = ")
            .bind(field)
            .push(")");
    }
    if let Some(y) = f.year {
        sql.push(" AND d.issued_on >= ")
            .bind(format!("{y:04}-01-01"))
            .push(" AND d.issued_on <= ")
            .bind(format!("{y:04}-12-31"));
    }
    if let Some(from) = &f.from {
        sql.push(" AND d.issued_on >= ").bind(from.clone());
    }
    if let Some(to) = &f.to {
        sql.push(" AND d.issued_on <= ").bind(to.clone());
    }
    if let Some(v) = f.validity {
        let today = today.to_owned();
        match v {
            Validity::Replaced => {
                sql.push(" AND ");
                push_replaced(sql, now);
            }
            other => {
                sql.push(" AND NOT ");
                push_replaced(sql, now);
                match other {
                    Validity::NotYet => {
                        sql.push(" AND COALESCE(d.effective_on, d.issued_on) > ")
                            .bind(today);
                    }
                    Validity::InForce => {
                        sql.push(" AND COALESCE(d.effective_on, d.issued_on) <= ")
                            .bind(today.clone())
                            .push(" AND (d.expires_on IS NULL OR d.expires_on > ")
                            .bind(today)
                            .push(")");
                    }
                    _ => {
                        sql.push(" AND d.expires_on IS NOT NULL AND d.expires_on <= ")
                            .bind(today);
                    }
                }
            }
        }
    }
    let words = vntext::clean_line(&f.words);
    // With the index's ids, the index has decided the words.
    if !words.is_empty() && f.ids.is_none() {
        let folded = vntext::fold_lower(&words);
        let digits = domain::number_digits(&words);
        // Every word, wherever it is (commas between them do not matter).
        sql.push(" AND ((1 = 1");
        for word in folded.split(|c: char| c.is_whitespace() || c == ',') {
            if word.is_empty() {
                continue;
            }
            sql.push(" AND d.summary_folded LIKE ")
                .bind(format!("%{}%", like_escape(word)))
                .push(" ESCAPE '\\'");
        }
        sql.push(")");
        // Digits alone ("152025") find "15/2025/TT-BGDĐT".
        if digits.len() >= 2 && digits.len() == words.chars().filter(|c| !c.is_whitespace()).count()
        {
            sql.push(" OR d.number_digits LIKE ")
                .bind(format!("%{digits}%"));
        }
        sql.push(")");
    }
}

/// `AND d.id IN (…)` for a set of ids, as one parameter (a JSON array) whatever
/// its size: each is looked up by its key (no statement with ids has an order to
/// walk).
fn push_ids(sql: &mut Sql<'_>, ids: &[i64], backend: Backend) {
    let json = format!(
        "[{}]",
        ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
    );
    sql.push(" AND d.id IN ");
    match backend {
        Backend::Sqlite => sql
            .push("(SELECT value FROM json_each(")
            .bind(json)
            .push("))"),
        Backend::Postgres => sql
            .push("(SELECT jsonb_array_elements_text(CAST(")
            .bind(json)
            .push(" AS jsonb))::bigint)"),
    };
}

/// The number and the summary folded to lower-case ASCII, for the list's words:
/// "15/2025/tt-bgddt ban hanh quy dinh …".
pub(crate) fn folded(draft: &DocumentDraft) -> String {
    vntext::fold_lower(&format!("{} {}", draft.number, draft.summary))
}

fn like_escape(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_")
}

/// Checks that the draft's terms and linked documents belong to `site`.
async fn check_terms(conn: &mut AnyConnection, site: SiteId, draft: &DocumentDraft) -> Result<()> {
    let mut terms = vec![draft.kind_id, draft.issuer_id];
    terms.extend(draft.signer_id);
    terms.extend(draft.field_ids.iter().copied());
    for t in terms {
        let n: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM document_terms WHERE id = $1 AND site_id = $2")
                .bind(t)
                .bind(site.0)
                .fetch_one(&mut *conn)
                .await?
                .try_get("n")?;
        if n == 0 {
            return Err(Error::NotFound("document_term"));
        }
    }
    for d in draft.replaces.iter().chain(draft.related.iter()) {
        let n: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM documents WHERE id = $1 AND site_id = $2")
                .bind(d.0)
                .bind(site.0)
                .fetch_one(&mut *conn)
                .await?
                .try_get("n")?;
        if n == 0 {
            return Err(Error::NotFound("document"));
        }
    }
    Ok(())
}

/// Writes a document's fields, links and files (replacing what it had), and the
/// list of its files that the revision copies.
pub(crate) async fn write_parts(
    conn: &mut AnyConnection,
    site: SiteId,
    id: i64,
    draft: &DocumentDraft,
    files: &[DocumentFileInput],
) -> Result<()> {
    for table in ["document_fields", "document_links", "document_files"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE document_id = $1"))
            .bind(id)
            .execute(&mut *conn)
            .await?;
    }
    let mut fields = draft.field_ids.clone();
    fields.sort_unstable();
    fields.dedup();
    for f in fields {
        sqlx::query("INSERT INTO document_fields (document_id, term_id) VALUES ($1, $2)")
            .bind(id)
            .bind(f)
            .execute(&mut *conn)
            .await?;
    }
    let mut related = draft.related.clone();
    related.sort_unstable();
    related.dedup();
    for r in related {
        sqlx::query("INSERT INTO document_links (document_id, related_id) VALUES ($1, $2)")
            .bind(id)
            .bind(r.0)
            .execute(&mut *conn)
            .await?;
    }
    let mut listing = Vec::new();
    for (position, f) in files.iter().enumerate() {
        let path: String = sqlx::query("SELECT path FROM media WHERE id = $1 AND site_id = $2")
            .bind(f.media_id)
            .bind(site.0)
            .fetch_optional(&mut *conn)
            .await?
            .ok_or(Error::NotFound("media"))?
            .try_get("path")?;
        sqlx::query(
            "INSERT INTO document_files (document_id, media_id, position, name) \
             VALUES ($1, $2, $3, $4)",
        )
        .bind(id)
        .bind(f.media_id)
        .bind(position as i64)
        .bind(vntext::clean_line(&f.name))
        .execute(&mut *conn)
        .await?;
        listing.push(format!("{} ({path})", vntext::clean_line(&f.name)));
    }
    sqlx::query("UPDATE documents SET files_list = $1 WHERE id = $2")
        .bind(listing.join("\n"))
        .bind(id)
        .execute(&mut *conn)
        .await?;
    Ok(())
}

/// Adds `name` at the end of one of a site's lists; `Conflict("document_term")`
/// when the list has it.
pub(crate) async fn insert_term(
    conn: &mut AnyConnection,
    site: SiteId,
    list: TermList,
    name: &str,
    detail: &str,
) -> Result<i64> {
    let position: i64 = sqlx::query(
        "SELECT COALESCE(MAX(position), 0) + 1 AS p FROM document_terms \
         WHERE site_id = $1 AND list = $2",
    )
    .bind(site.0)
    .bind(list.as_str())
    .fetch_one(&mut *conn)
    .await?
    .try_get("p")?;
    Ok(sqlx::query(
        "INSERT INTO document_terms (site_id, list, name, detail, position) \
         VALUES ($1, $2, $3, $4, $5) RETURNING id",
    )
    .bind(site.0)
    .bind(list.as_str())
    .bind(vntext::clean_line(name))
    .bind(vntext::clean_line(detail))
    .bind(position)
    .fetch_one(&mut *conn)
    .await
    .map_err(on_unique("document_term"))?
    .try_get("id")?)
}

/// Writes (or replaces) the text layer kept for media file `media`.
pub(crate) async fn put_media_text(
    conn: &mut AnyConnection,
    media: i64,
    text: Option<&str>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO media_texts (media_id, has_text, text) VALUES ($1, $2, $3) \
         ON CONFLICT (media_id) DO UPDATE SET has_text = excluded.has_text, text = excluded.text",
    )
    .bind(media)
    .bind(i64::from(text.is_some()))
    .bind(text.unwrap_or(""))
    .execute(conn)
    .await?;
    Ok(())
}

/// A change of document `id`: search reads it again, and the one it replaces
/// (whose validity shows its replacement).
/// A change to the department's documents changes every site's pages: schools
/// show its newest in their side block "Văn bản mới" (and under "Văn bản cấp
/// trên"), so their content versions move too. Documents change seldom there.
async fn echo_department(tx: &mut sqlx::Transaction<'_, sqlx::Any>, site: SiteId) -> Result<()> {
    sqlx::query(
        "UPDATE sites SET content_version = content_version + 1 WHERE id <> $1 \
         AND EXISTS (SELECT 1 FROM sites d WHERE d.id = $1 AND d.is_default = 1)",
    )
    .bind(site.0)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

pub(crate) fn document_change<'a>(
    site: SiteId,
    id: DocumentId,
    replaces: Option<DocumentId>,
    now: i64,
) -> ContentChange<'a> {
    let mut change = ContentChange::new(site, now).document(DocKind::Document, id.0);
    if let Some(r) = replaces {
        change = change.document(DocKind::Document, r.0);
    }
    change
}

pub(crate) fn term_from_row(r: &AnyRow) -> Result<Term> {
    let list: String = r.try_get("list")?;
    Ok(Term {
        id: r.try_get("id")?,
        list: TermList::parse(&list)
            .ok_or_else(|| Error::Corrupt(format!("document list {list}")))?,
        name: r.try_get("name")?,
        detail: r.try_get("detail")?,
    })
}

fn row_from(r: &AnyRow) -> Result<DocumentRow> {
    let status: String = r.try_get("status")?;
    let replaced = r.try_get::<i64, _>("replaced")? != 0;
    Ok(DocumentRow {
        id: DocumentId(r.try_get("id")?),
        site_id: SiteId(r.try_get("site_id")?),
        slug: r.try_get("slug")?,
        number: r.try_get("doc_number")?,
        summary: r.try_get("summary")?,
        kind: r.try_get("kind_name")?,
        issuer: r.try_get("issuer_name")?,
        issued_on: r.try_get("issued_on")?,
        effective_on: r.try_get("effective_on")?,
        expires_on: r.try_get("expires_on")?,
        replaced,
        status: ArticleStatus::parse(&status)
            .ok_or_else(|| Error::Corrupt(format!("document status {status}")))?,
        published_at: r.try_get("published_at")?,
        updated_at: r.try_get("updated_at")?,
    })
}
