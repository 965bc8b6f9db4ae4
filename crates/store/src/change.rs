//! What every change to a site's content writes beside its own rows, in the
//! transaction that makes it: the feature's revision row (where it keeps
//! revisions), the search outbox row, the audit entry and the site's content
//! version, which the page cache compares to know its pages are stale. A change
//! goes through [`ContentChange::commit`], so none of these is forgotten and none
//! is written without the others.

use crate::query::Sql;
use crate::{Result, Store};
use domain::{DocKind, SiteId, UserId};
use sqlx::{Any, AnyConnection, Row, Transaction};

/// Who made a change and what the audit log calls it.
#[derive(Debug, Clone, Copy)]
pub struct AuditNote<'a> {
    /// Who (none: the program itself, e.g. the scheduler).
    pub user: Option<UserId>,
    /// The action as the audit log shows it ("tạo bài viết").
    pub action: &'a str,
    /// The client's address (empty for the program itself).
    pub ip: &'a str,
}

/// The records of one content change, written by [`ContentChange::commit`].
#[derive(Debug)]
#[must_use = "nothing is written until commit"]
pub(crate) struct ContentChange<'a> {
    site: SiteId,
    at: i64,
    revision: Option<Sql<'a>>,
    documents: Vec<(DocKind, i64)>,
    echoes: Vec<(SiteId, DocKind, i64)>,
    audit: Option<(AuditNote<'a>, String)>,
}

impl<'a> ContentChange<'a> {
    /// A change of `site`'s content at `at` (UTC seconds).
    pub(crate) fn new(site: SiteId, at: i64) -> Self {
        ContentChange {
            site,
            at,
            revision: None,
            documents: Vec::new(),
            echoes: Vec::new(),
            audit: None,
        }
    }

    /// The feature's revision row: a statement that copies the changed row into
    /// its revisions.
    pub(crate) fn revision(mut self, copy: Sql<'a>) -> Self {
        self.revision = Some(copy);
        self
    }

    /// The document that search must read again (or drop).
    pub(crate) fn document(mut self, kind: DocKind, id: i64) -> Self {
        self.documents.push((kind, id));
        self
    }

    /// Documents that search must read again: those a change touched together
    /// (the articles of a renamed or deleted category).
    pub(crate) fn documents(mut self, kind: DocKind, ids: impl IntoIterator<Item = i64>) -> Self {
        self.documents.extend(ids.into_iter().map(|id| (kind, id)));
        self
    }

    /// Documents of other sites that the change rewrote with it (the copies of a
    /// re-published article): search reads them again and their sites' pages
    /// render again.
    pub(crate) fn echoes(mut self, docs: impl IntoIterator<Item = (SiteId, DocKind, i64)>) -> Self {
        self.echoes.extend(docs);
        self
    }

    /// The audit entry.
    pub(crate) fn audit(mut self, note: AuditNote<'a>, detail: String) -> Self {
        self.audit = Some((note, detail));
        self
    }

    /// Writes the records in `tx`, which holds the change itself, and commits it:
    /// all or nothing.
    pub(crate) async fn commit(self, mut tx: Transaction<'_, Any>) -> Result<()> {
        if let Some(copy) = &self.revision {
            copy.query().execute(&mut *tx).await?;
        }
        let own = self
            .documents
            .iter()
            .map(|&(kind, id)| (self.site, kind, id));
        for (site, kind, id) in own.chain(self.echoes.iter().copied()) {
            sqlx::query(
                "INSERT INTO search_outbox (kind, doc_id, site_id, at) VALUES ($1, $2, $3, $4)",
            )
            .bind(kind.as_str())
            .bind(id)
            .bind(site.0)
            .bind(self.at)
            .execute(&mut *tx)
            .await?;
        }
        if let Some((note, detail)) = &self.audit {
            write_audit(&mut tx, Some(self.site), *note, detail, self.at).await?;
        }
        let mut sites = vec![self.site];
        for (site, _, _) in &self.echoes {
            if !sites.contains(site) {
                sites.push(*site);
            }
        }
        for site in sites {
            sqlx::query("UPDATE sites SET content_version = content_version + 1 WHERE id = $1")
                .bind(site.0)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// A feature's revisions: the table that keeps them, the column naming the
/// document, the table of the documents and the columns copied.
pub(crate) struct Revisions {
    pub table: &'static str,
    pub owner: &'static str,
    pub source: &'static str,
    pub columns: &'static str,
}

impl Revisions {
    /// The statement that copies document `id`'s current row into the revisions as
    /// number `number`, saved by `by` at `now` with `note` (for
    /// [`ContentChange::revision`]).
    pub(crate) fn copy<'a>(
        &self,
        id: i64,
        number: i64,
        by: Option<UserId>,
        now: i64,
        note: &'a str,
    ) -> Sql<'a> {
        let (table, owner, columns) = (self.table, self.owner, self.columns);
        let mut sql = Sql::new(&format!(
            "INSERT INTO {table} ({owner}, number, {columns}, saved_by, saved_at, note) SELECT id, "
        ));
        sql.bind(number)
            .push(&format!(", {columns}, "))
            .bind(by.map(|u| u.0))
            .push(", ")
            .bind(now)
            .push(", ")
            .bind(note)
            .push(&format!(" FROM {} WHERE id = ", self.source))
            .bind(id);
        sql
    }
}

/// The slugs a feature's documents had before: their addresses answer with a
/// redirect to the current one.
pub(crate) struct SlugHistory {
    pub table: &'static str,
    pub owner: &'static str,
}

impl SlugHistory {
    /// `slug` is in use again: no longer an old one.
    pub(crate) async fn forget(
        &self,
        conn: &mut AnyConnection,
        site: SiteId,
        slug: &str,
    ) -> Result<()> {
        sqlx::query(&format!(
            "DELETE FROM {} WHERE site_id = $1 AND slug = $2",
            self.table
        ))
        .bind(site.0)
        .bind(slug)
        .execute(conn)
        .await?;
        Ok(())
    }

    /// `old` now leads to document `id` (the one that had it last).
    pub(crate) async fn remember(
        &self,
        conn: &mut AnyConnection,
        site: SiteId,
        old: &str,
        id: i64,
    ) -> Result<()> {
        let (table, owner) = (self.table, self.owner);
        sqlx::query(&format!(
            "INSERT INTO {table} (site_id, slug, {owner}) VALUES ($1, $2, $3) \
             ON CONFLICT (site_id, slug) DO UPDATE SET {owner} = excluded.{owner}"
        ))
        .bind(site.0)
        .bind(old)
        .bind(id)
        .execute(conn)
        .await?;
        Ok(())
    }
}

/// Writes an audit entry (inside a transaction, or alone for what changes no content).
pub(crate) async fn write_audit(
    conn: &mut AnyConnection,
    site: Option<SiteId>,
    note: AuditNote<'_>,
    detail: &str,
    now: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (site_id, user_id, action, detail, ip, at) VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(site.map(|s| s.0))
    .bind(note.user.map(|u| u.0))
    .bind(note.action)
    .bind(detail)
    .bind(note.ip)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

impl Store {
    /// Every site's content version.
    pub async fn content_versions(&self) -> Result<Vec<(SiteId, i64)>> {
        let rows = sqlx::query("SELECT id, content_version FROM sites")
            .fetch_all(self.db_read())
            .await?;
        rows.iter()
            .map(|r| Ok((SiteId(r.try_get("id")?), r.try_get("content_version")?)))
            .collect()
    }
}
