-- The editorial workflow: who wrote an article, its revision counter (a save names
-- the revision it started from, so a stale save is refused), why it was sent back,
-- when it comes off the site, who has it open, and every saved version.

ALTER TABLE articles ADD COLUMN revision INTEGER NOT NULL DEFAULT 1;
ALTER TABLE articles ADD COLUMN author_id INTEGER REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE articles ADD COLUMN reject_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE articles ADD COLUMN expires_at INTEGER;
ALTER TABLE articles ADD COLUMN editing_by INTEGER REFERENCES users(id) ON DELETE SET NULL;
ALTER TABLE articles ADD COLUMN editing_at INTEGER;
-- The title folded to lower-case ASCII ("khai giang nam hoc"), for the back office's
-- title search; kept by the store on every write.
ALTER TABLE articles ADD COLUMN title_folded TEXT NOT NULL DEFAULT '';

-- The scheduler looks for articles whose time has come.
CREATE INDEX articles_schedule ON articles (status, published_at);
CREATE INDEX articles_expiry ON articles (expires_at);

CREATE TABLE article_revisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    category_id INTEGER NOT NULL REFERENCES categories(id),
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL,
    body_html TEXT NOT NULL,
    author TEXT NOT NULL,
    source TEXT,
    saved_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    saved_at INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    UNIQUE (article_id, number)
);
