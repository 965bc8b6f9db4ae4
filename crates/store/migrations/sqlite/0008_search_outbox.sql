-- The search outbox: every change to a searchable document adds a row in the same
-- transaction as the change. Each instance's indexer applies the rows after the
-- last one its index has seen (kept in the index itself), so a crash never leaves
-- the index behind for good and several instances keep their own indexes current.

CREATE TABLE search_outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,            -- 'article' (official documents, announcements … later)
    doc_id INTEGER NOT NULL,
    site_id INTEGER NOT NULL,
    at INTEGER NOT NULL
);
CREATE INDEX search_outbox_at ON search_outbox (at);
