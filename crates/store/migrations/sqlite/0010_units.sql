-- Units of the province (issue 13): the department, its offices, communes, centres
-- and schools, as a tree that is data (since 1 July 2025 schools hang under the
-- department or a commune). A unit may have a site. `name_folded` is the name
-- without tone marks, lower-case, for the back office's search.

CREATE TABLE units (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    unit_key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    name_folded TEXT NOT NULL,
    kind TEXT NOT NULL,
    parent_id INTEGER REFERENCES units(id) ON DELETE SET NULL,
    site_id INTEGER UNIQUE REFERENCES sites(id) ON DELETE SET NULL,
    created_at INTEGER NOT NULL
);
CREATE INDEX units_parent ON units (parent_id);
CREATE INDEX units_kind_name ON units (kind, name_folded);
CREATE INDEX units_name ON units (name_folded);

-- A suspended site answers a calm 503 page; its data is kept. NULL: running.
ALTER TABLE sites ADD COLUMN suspended_at INTEGER;
-- 1: the site's other hosts answer 301 to its main host (the first one).
ALTER TABLE sites ADD COLUMN redirect_to_main INTEGER NOT NULL DEFAULT 0;

-- A unit list's page reads each site's main host: by site, in order.
CREATE INDEX site_hosts_site ON site_hosts (site_id, position);
