-- Issue 14: announcements ("Thông báo") and drafts open for public comment ("Lấy ý
-- kiến dự thảo"). Times are UTC seconds; flags 0/1.
--
-- A notice shows in its site's block "Thông báo" from starts_at until expires_at
-- (NULL: no end). audience: 'site' (its own site), 'all' (every school), 'kind:<unit
-- kind>' (the schools of one kind) or 'parent:<unit id>' (the schools under a unit);
-- the department's notices addressed so show in those schools' blocks too. `live` is
-- what the background round last saw (shown in blocks or not): when the clock moves a
-- notice in or out, the round flips it and bumps the content versions concerned.
CREATE TABLE notices (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    body_html TEXT NOT NULL DEFAULT '',
    starts_at INTEGER NOT NULL,
    expires_at INTEGER,
    pinned INTEGER NOT NULL DEFAULT 0,
    published INTEGER NOT NULL DEFAULT 1,
    audience TEXT NOT NULL DEFAULT 'site',
    live INTEGER NOT NULL DEFAULT 0,
    revision INTEGER NOT NULL DEFAULT 1,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX notices_site ON notices (site_id, starts_at);
CREATE INDEX notices_audience ON notices (audience, starts_at);

-- Files of the media library attached to a notice, in order.
CREATE TABLE notice_files (
    notice_id INTEGER NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
    media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    PRIMARY KEY (notice_id, media_id)
);

-- A draft open for comment between opens_at and closes_at (enforced on the
-- server). Its articles ("Điều 1", "Điều 2" …) are read from the body.
CREATE TABLE drafts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    number TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL DEFAULT '',
    body_html TEXT NOT NULL DEFAULT '',
    opens_at INTEGER NOT NULL,
    closes_at INTEGER NOT NULL,
    published INTEGER NOT NULL DEFAULT 1,
    report_html TEXT NOT NULL DEFAULT '',
    revision INTEGER NOT NULL DEFAULT 1,
    created_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (site_id, slug)
);

-- role: 'dinh-kem' (the draft's files) or 'bao-cao' (the summary of comments,
-- attached after the period).
CREATE TABLE draft_files (
    draft_id INTEGER NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
    media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
    role TEXT NOT NULL,
    position INTEGER NOT NULL,
    PRIMARY KEY (draft_id, media_id)
);

-- A reader's comment, held for moderation. article: the draft's "Điều n" (NULL:
-- the whole draft). status: 'cho-duyet', 'da-dang' (shown), 'da-an' (hidden).
CREATE TABLE draft_comments (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    draft_id INTEGER NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
    article INTEGER,
    name TEXT NOT NULL,
    email TEXT NOT NULL,
    organisation TEXT NOT NULL DEFAULT '',
    body TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'cho-duyet',
    answer TEXT NOT NULL DEFAULT '',
    answered_at INTEGER,
    ip TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
);
CREATE INDEX draft_comments_draft ON draft_comments (draft_id, status, created_at);
