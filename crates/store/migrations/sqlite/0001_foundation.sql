-- Sites, categories, media and articles: the foundation of every portal.
-- Times are UTC seconds since 1970; flags are 0/1 integers (same as PostgreSQL's BIGINT here).

CREATE TABLE sites (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site_key TEXT NOT NULL UNIQUE,
    is_default INTEGER NOT NULL DEFAULT 0,
    settings TEXT NOT NULL DEFAULT '{}',
    position INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);

-- The first host (lowest position) is the site's main address, used in links.
CREATE TABLE site_hosts (
    host TEXT PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    position INTEGER NOT NULL DEFAULT 0
);

CREATE TABLE categories (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    name TEXT NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    UNIQUE (site_id, slug)
);

CREATE TABLE media (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    path TEXT NOT NULL UNIQUE,
    thumb_path TEXT,
    mime TEXT NOT NULL,
    width INTEGER NOT NULL,
    height INTEGER NOT NULL,
    bytes INTEGER NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE articles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    category_id INTEGER NOT NULL REFERENCES categories(id),
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    summary TEXT NOT NULL DEFAULT '',
    body_html TEXT NOT NULL DEFAULT '',
    author TEXT NOT NULL DEFAULT '',
    source TEXT,
    cover_media_id INTEGER REFERENCES media(id) ON DELETE SET NULL,
    featured INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    published_at INTEGER NOT NULL,
    updated_at INTEGER,
    created_at INTEGER NOT NULL,
    UNIQUE (site_id, slug)
);

CREATE INDEX articles_site_published ON articles (site_id, status, published_at DESC, id DESC);
CREATE INDEX articles_category_published ON articles (category_id, status, published_at DESC, id DESC);
CREATE INDEX articles_site_featured ON articles (site_id, featured, published_at DESC);

CREATE TABLE article_gallery (
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
    caption TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (article_id, position)
);

-- Slugs an article had before; their URLs answer 301 to the current one.
CREATE TABLE article_slug_history (
    site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (site_id, slug)
);
