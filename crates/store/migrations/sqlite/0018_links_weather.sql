-- Issue 15: image links ("Ảnh liên kết", "Liên kết website") and weather ("Thời tiết").
--
-- A link is a logo (a media row of the site's, checked on upload) and a target URL,
-- in an order, shown between two instants (UTC seconds; null: open-ended; the end
-- is exclusive). A shared link of a site is shown on the sites of every unit below
-- that site's unit too (the department gives its schools a set); a school may hide
-- one of those for itself.
CREATE TABLE site_links (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    logo_media_id INTEGER REFERENCES media(id) ON DELETE SET NULL,
    position INTEGER NOT NULL DEFAULT 0,
    starts_at INTEGER,
    ends_at INTEGER,
    shared INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL
);
CREATE INDEX site_links_site ON site_links (site_id, position);

CREATE TABLE site_links_hidden (
    site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    link_id INTEGER NOT NULL REFERENCES site_links(id) ON DELETE CASCADE,
    PRIMARY KEY (site_id, link_id)
);

-- The "Liên kết website" entries kept until now in each site's settings move here,
-- in their order, without a logo (the blocks show their names).
INSERT INTO site_links (site_id, title, url, position, created_at)
SELECT s.id, json_extract(j.value, '$.title'), json_extract(j.value, '$.url'), j.key, 0
FROM sites s, json_each(s.settings, '$.links') j
WHERE json_valid(s.settings) AND json_type(s.settings, '$.links') = 'array'
ORDER BY s.id, j.key;
UPDATE sites SET settings = json_remove(settings, '$.links')
WHERE json_valid(settings) AND json_type(settings, '$.links') IS NOT NULL;

-- A site's weather places (coordinates in millionths of a degree) and the last good
-- reading of each, as fetched in the background: kept in the database so that a
-- restart or a second instance shows it at once and does not fetch again early.
CREATE TABLE weather_places (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    lat_e6 INTEGER NOT NULL,
    lon_e6 INTEGER NOT NULL,
    position INTEGER NOT NULL DEFAULT 0,
    -- The last good reading (JSON) and when it was fetched.
    reading TEXT,
    read_at INTEGER,
    -- The last attempt (a fetch is claimed by moving this forward).
    tried_at INTEGER NOT NULL DEFAULT 0,
    -- Failing since (0: the last attempt succeeded), so a failure is logged once.
    failing_since INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX weather_places_site ON weather_places (site_id, position);
