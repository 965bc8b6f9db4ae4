//! What the search index is fed from: the outbox of changed documents, which
//! every content change adds to (`change.rs`). Each kind's documents as the index
//! needs them are its feature's (`articles::search`).

use crate::{Result, Store};
use domain::{DocKind, SiteId};
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
}
