-- Issue 14, speed of /van-ban. Whether a document is replaced (an EXISTS asked for
-- every row the status filter reads) is answered from this index alone; without
-- statistics the planner took documents_schedule for it and read every published
-- document per row.
DROP INDEX documents_replaces;
CREATE INDEX documents_replacing ON documents (replaces_id, status, published_at);

-- The day whose validity turns (effect and expiry dates) the background round has
-- last applied: at midnight (Asia/Ho_Chi_Minh) the sites with a document whose
-- validity turns that day get a new content version, once, whichever instance
-- gets there first.
CREATE TABLE document_clock (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    day TEXT NOT NULL
);
-- Starts at the day of the upgrade (Vietnam has no summer time: UTC+7).
INSERT INTO document_clock (id, day) VALUES (1, date('now', '+7 hours'));
