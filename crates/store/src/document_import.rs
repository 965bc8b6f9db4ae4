//! An import of existing documents (issue 14): a sheet's rows, checked beforehand
//! by the web layer, written in one transaction with their files, the names they
//! bring to the site's lists, their revisions, search outbox rows and one audit
//! entry. One failure writes nothing.

use crate::change::{AuditNote, ContentChange};
use crate::documents::{DOCUMENT_REVISIONS, folded, insert_term, put_media_text, write_parts};
use crate::error::on_unique;
use crate::media::{MediaInput, insert_media};
use crate::{Error, Result, Store};
use domain::{
    ArticleStatus, DocKind, DocumentDates, DocumentDraft, DocumentId, SiteId, TermList, UserId,
    number_key,
};
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;

/// A file of an imported document, already written to the media folder.
#[derive(Debug, Clone)]
pub struct ImportedFile {
    /// Its media row to record.
    pub media: MediaInput,
    /// The name readers see.
    pub name: String,
    /// For a PDF: its text layer (`Some(None)`: a scan); `None` for other files.
    pub text: Option<Option<String>>,
}

/// One row of the sheet, checked.
#[derive(Debug, Clone)]
pub struct ImportedDocument {
    /// Its line in the sheet.
    pub line: u32,
    /// The fields (the ids of its lists are filled here from the names below).
    pub draft: DocumentDraft,
    /// Its dates, read.
    pub dates: DocumentDates,
    /// Loại văn bản, by name.
    pub kind: String,
    /// Cơ quan ban hành, by name.
    pub issuer: String,
    /// Người ký and their position.
    pub signer: Option<(String, String)>,
    /// Lĩnh vực, by name.
    pub fields: Vec<String>,
    /// The number of the document it replaces (the site's, or an earlier or later
    /// row of the same sheet).
    pub replaces: Option<String>,
    /// Its files.
    pub files: Vec<ImportedFile>,
}

/// A whole import.
#[derive(Debug, Clone)]
pub struct DocumentImport<'a> {
    /// Site.
    pub site: SiteId,
    /// The rows, in the sheet's order.
    pub documents: &'a [ImportedDocument],
    /// Published or draft.
    pub status: ArticleStatus,
    /// Posting time of published ones.
    pub published_at: i64,
    /// Who (none: the command line).
    pub by: Option<UserId>,
    /// The client's address.
    pub ip: &'a str,
    /// What the audit log says ("nhập văn bản từ tệp …").
    pub note: &'a str,
}

/// The names of a site's lists, by list and folded name: id.
pub type TermIndex = HashMap<(TermList, String), i64>;

impl Store {
    /// A site's document numbers (by [`domain::number_key`]) and slugs, with their
    /// ids, for an import's checks.
    pub async fn document_numbers(
        &self,
        site: SiteId,
    ) -> Result<(HashMap<String, DocumentId>, HashMap<String, DocumentId>)> {
        let rows = sqlx::query("SELECT id, doc_number, slug FROM documents WHERE site_id = $1")
            .bind(site.0)
            .fetch_all(self.db_read())
            .await?;
        let mut numbers = HashMap::new();
        let mut slugs = HashMap::new();
        for r in &rows {
            let id = DocumentId(r.try_get("id")?);
            let number: String = r.try_get("doc_number")?;
            numbers.insert(number_key(&number), id);
            slugs.insert(r.try_get("slug")?, id);
        }
        Ok((numbers, slugs))
    }

    /// Writes every document of `import`, all or none; their ids in the sheet's
    /// order. Names not in the site's lists are added to them. `Conflict
    /// ("document_slug")` when a document of the site took a number meanwhile.
    pub async fn import_documents(
        &self,
        import: &DocumentImport<'_>,
        now: i64,
    ) -> Result<Vec<DocumentId>> {
        let site = import.site;
        let mut tx = self.begin_write().await?;
        let mut terms = term_index(&mut tx, site).await?;
        let mut numbers: HashMap<String, i64> = HashMap::new();
        for r in sqlx::query("SELECT id, doc_number FROM documents WHERE site_id = $1")
            .bind(site.0)
            .fetch_all(&mut *tx)
            .await?
        {
            let number: String = r.try_get("doc_number")?;
            numbers.insert(number_key(&number), r.try_get("id")?);
        }
        let mut ids = Vec::with_capacity(import.documents.len());
        for doc in import.documents {
            let mut draft = doc.draft.clone();
            draft.kind_id =
                term_id(&mut tx, site, &mut terms, TermList::Type, &doc.kind, "").await?;
            draft.issuer_id =
                term_id(&mut tx, site, &mut terms, TermList::Issuer, &doc.issuer, "").await?;
            draft.signer_id = match &doc.signer {
                Some((name, position)) => Some(
                    term_id(&mut tx, site, &mut terms, TermList::Signer, name, position).await?,
                ),
                None => None,
            };
            draft.field_ids.clear();
            for field in &doc.fields {
                draft
                    .field_ids
                    .push(term_id(&mut tx, site, &mut terms, TermList::Field, field, "").await?);
            }
            draft.replaces = None;
            let slug = draft.slug();
            let id: i64 = sqlx::query(
                "INSERT INTO documents (site_id, slug, doc_number, number_digits, summary, \
                 summary_folded, type_id, issuer_id, signer_id, issued_on, effective_on, \
                 expires_on, body_html, status, published_at, revision, author_id, \
                 reject_reason, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, \
                 $9, $10, $11, $12, $13, $14, $15, 1, $16, '', $17, $17) RETURNING id",
            )
            .bind(site.0)
            .bind(&slug)
            .bind(&draft.number)
            .bind(domain::number_digits(&draft.number))
            .bind(&draft.summary)
            .bind(folded(&draft))
            .bind(draft.kind_id)
            .bind(draft.issuer_id)
            .bind(draft.signer_id)
            .bind(&doc.dates.issued_on)
            .bind(doc.dates.effective_on.as_deref())
            .bind(doc.dates.expires_on.as_deref())
            .bind(draft.body.as_str())
            .bind(import.status.as_str())
            .bind(import.published_at)
            .bind(import.by.map(|u| u.0))
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(on_unique("document_slug"))?
            .try_get("id")?;
            let mut files = Vec::with_capacity(doc.files.len());
            for f in &doc.files {
                let media = insert_media(&mut tx, &f.media, now).await?;
                if let Some(text) = &f.text {
                    put_media_text(&mut tx, media.0, text.as_deref()).await?;
                }
                files.push(crate::DocumentFileInput {
                    media_id: media.0,
                    name: f.name.clone(),
                });
            }
            write_parts(&mut tx, site, id, &draft, &files).await?;
            numbers.insert(number_key(&draft.number), id);
            ids.push(DocumentId(id));
        }
        // Replacements last: a row may name a document further down the sheet.
        let mut touched: Vec<i64> = ids.iter().map(|d| d.0).collect();
        for (doc, id) in import.documents.iter().zip(&ids) {
            let Some(number) = &doc.replaces else {
                continue;
            };
            let replaced = *numbers
                .get(&number_key(number))
                .ok_or(Error::NotFound("document"))?;
            if replaced == id.0 {
                return Err(Error::Conflict("document_self"));
            }
            sqlx::query("UPDATE documents SET replaces_id = $1 WHERE id = $2")
                .bind(replaced)
                .bind(id.0)
                .execute(&mut *tx)
                .await?;
            if !touched.contains(&replaced) {
                touched.push(replaced);
            }
        }
        for id in &ids {
            DOCUMENT_REVISIONS
                .copy(id.0, 1, import.by, now, import.note)
                .query()
                .execute(&mut *tx)
                .await?;
        }
        let audit = AuditNote {
            user: import.by,
            action: "nhập văn bản",
            ip: import.ip,
        };
        ContentChange::new(site, now)
            .documents(DocKind::Document, touched)
            .audit(audit, format!("{} văn bản; {}", ids.len(), import.note))
            .commit(tx)
            .await?;
        Ok(ids)
    }

    /// A site's lists by folded name, for an import's preview.
    pub async fn document_term_index(&self, site: SiteId) -> Result<TermIndex> {
        let mut conn = self.db_read().acquire().await?;
        term_index(&mut conn, site).await
    }
}

async fn term_index(conn: &mut AnyConnection, site: SiteId) -> Result<TermIndex> {
    let rows = sqlx::query("SELECT id, list, name, detail FROM document_terms WHERE site_id = $1")
        .bind(site.0)
        .fetch_all(&mut *conn)
        .await?;
    let mut out = HashMap::new();
    for r in &rows {
        let t = crate::documents::term_from_row(r)?;
        out.insert((t.list, vntext::fold_lower(&t.name)), t.id);
    }
    Ok(out)
}

/// The id of `name` in one of the site's lists, added when it is not there yet.
async fn term_id(
    conn: &mut AnyConnection,
    site: SiteId,
    terms: &mut TermIndex,
    list: TermList,
    name: &str,
    detail: &str,
) -> Result<i64> {
    let name = vntext::clean_line(name);
    let key = (list, vntext::fold_lower(&name));
    if let Some(id) = terms.get(&key) {
        return Ok(*id);
    }
    let id = insert_term(conn, site, list, &name, detail).await?;
    terms.insert(key, id);
    Ok(id)
}
