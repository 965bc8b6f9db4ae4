-- Issue 14, the parts around documents, notices and drafts. A site may turn off the
-- side block "Văn bản mới" that every page shows (hide_side = 1).
ALTER TABLE document_site_options ADD COLUMN hide_side INTEGER NOT NULL DEFAULT 0;

-- A notice's revisions: every save copies the notice (number = its revision after
-- the save), so an editor sees what changed and restores an older text.
CREATE TABLE notice_revisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    notice_id INTEGER NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    body_html TEXT NOT NULL,
    starts_at INTEGER NOT NULL,
    expires_at INTEGER,
    saved_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    saved_at INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    UNIQUE (notice_id, number)
);

-- Drafts for comment follow the articles' workflow: status (draft, submitted,
-- published, scheduled, rejected, unpublished), the time it is published, why it
-- was sent back. `published` stays what readers see: 1 only while the status is
-- published (a scheduled draft's round sets both). created_by is its author.
ALTER TABLE drafts ADD COLUMN status TEXT NOT NULL DEFAULT 'published';
ALTER TABLE drafts ADD COLUMN publish_at INTEGER NOT NULL DEFAULT 0;
ALTER TABLE drafts ADD COLUMN reject_reason TEXT NOT NULL DEFAULT '';
UPDATE drafts SET status = 'draft' WHERE published = 0;
UPDATE drafts SET publish_at = created_at;
CREATE INDEX drafts_due ON drafts (status, publish_at);

-- A draft's revisions: every save copies its text and period (number = the
-- draft's revision after the save).
CREATE TABLE draft_revisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    draft_id INTEGER NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body_html TEXT NOT NULL,
    opens_at INTEGER NOT NULL,
    closes_at INTEGER NOT NULL,
    saved_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    saved_at INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    UNIQUE (draft_id, number)
);
