-- Counters: article views and a daily history of visits per site. The server keeps
-- counts in memory and adds its deltas here every few seconds, so several instances
-- add up instead of overwriting each other.

ALTER TABLE articles ADD COLUMN views INTEGER NOT NULL DEFAULT 0;

CREATE TABLE site_daily (
    site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    day TEXT NOT NULL,               -- YYYY-MM-DD in Asia/Ho_Chi_Minh
    visits INTEGER NOT NULL DEFAULT 0,
    page_views INTEGER NOT NULL DEFAULT 0,
    bot_hits INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (site_id, day)
);

-- Bumped by every change to a site's content; pages cached under an older
-- version are not served again.
ALTER TABLE sites ADD COLUMN content_version INTEGER NOT NULL DEFAULT 0;
