-- Issue 15: photo albums ("Hình ảnh hoạt động") and video clips ("Video clip").
-- An album follows the articles' workflow (status, author) and keeps revisions like
-- pages do; its photos are media items in an order the editors choose, each with a
-- caption. A clip is an uploaded MP4 (with its duration and size read from the file)
-- or a YouTube / Facebook address; its poster is a media image.

CREATE TABLE albums (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    -- The day the photos were taken, YYYY-MM-DD.
    held_on TEXT NOT NULL,
    cover_media_id INTEGER REFERENCES media(id) ON DELETE SET NULL,
    article_id INTEGER REFERENCES articles(id) ON DELETE SET NULL,
    status TEXT NOT NULL,
    author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    revision INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (site_id, slug)
);
CREATE INDEX albums_site_status ON albums (site_id, status, held_on DESC, id DESC);

CREATE TABLE album_photos (
    album_id INTEGER NOT NULL REFERENCES albums(id) ON DELETE CASCADE,
    media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    caption TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (album_id, media_id)
);
CREATE INDEX album_photos_order ON album_photos (album_id, position);

CREATE TABLE album_revisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    album_id INTEGER NOT NULL REFERENCES albums(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    held_on TEXT NOT NULL,
    status TEXT NOT NULL,
    saved_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    saved_at INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    UNIQUE (album_id, number)
);

CREATE TABLE videos (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    held_on TEXT NOT NULL,
    -- 'mp4', 'youtube' or 'facebook'.
    source TEXT NOT NULL,
    file_media_id INTEGER REFERENCES media(id) ON DELETE SET NULL,
    -- The address given (Facebook), or the YouTube video id.
    external TEXT NOT NULL DEFAULT '',
    poster_media_id INTEGER REFERENCES media(id) ON DELETE SET NULL,
    captions_media_id INTEGER REFERENCES media(id) ON DELETE SET NULL,
    duration_ms INTEGER NOT NULL DEFAULT 0,
    width INTEGER NOT NULL DEFAULT 0,
    height INTEGER NOT NULL DEFAULT 0,
    featured INTEGER NOT NULL DEFAULT 0,
    published INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (site_id, slug)
);
CREATE INDEX videos_site ON videos (site_id, published, held_on DESC, id DESC);
