-- Issue 13: a site arranges itself. Categories nest one level (a sub-category's
-- parent is a top-level category of the same site), carry a description for search
-- engines and may be left out of the menu; a renamed slug keeps answering (301).
-- Static pages ("Giới thiệu", "Liên hệ") with their revisions and old slugs. The
-- main menu and the home page's blocks, each kept per site as one JSON list (no row:
-- the site has not arranged it, and gets the default).

ALTER TABLE categories ADD COLUMN parent_id INTEGER REFERENCES categories(id);
ALTER TABLE categories ADD COLUMN description TEXT NOT NULL DEFAULT '';
ALTER TABLE categories ADD COLUMN hidden INTEGER NOT NULL DEFAULT 0;
CREATE INDEX categories_parent ON categories (parent_id);

-- Slugs a category had before (or a deleted category's, pointing to the category
-- that took its articles); their pages answer 301 to the current one.
CREATE TABLE category_slug_history (
    site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    category_id INTEGER NOT NULL REFERENCES categories(id) ON DELETE CASCADE,
    PRIMARY KEY (site_id, slug)
);

CREATE TABLE pages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    body_html TEXT NOT NULL DEFAULT '',
    published INTEGER NOT NULL DEFAULT 1,
    revision INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (site_id, slug)
);

CREATE TABLE page_revisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    body_html TEXT NOT NULL,
    saved_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    saved_at INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    UNIQUE (page_id, number)
);

CREATE TABLE page_slug_history (
    site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    page_id INTEGER NOT NULL REFERENCES pages(id) ON DELETE CASCADE,
    PRIMARY KEY (site_id, slug)
);

-- part: 'menu' (a JSON list of menu items, each with its dropdown) or 'home' (a JSON
-- list of home-page blocks). A save names the revision it started from.
CREATE TABLE site_layouts (
    site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    part TEXT NOT NULL,
    body TEXT NOT NULL,
    revision INTEGER NOT NULL DEFAULT 1,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (site_id, part)
);
