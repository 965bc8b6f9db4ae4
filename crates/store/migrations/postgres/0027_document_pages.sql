-- The public list of documents pages through these without reading the rows:
-- each entry carries what makes a document public (status, posting time), so a
-- deep page ("trang=100", 2.000 entries skipped) walks the index alone.
DROP INDEX documents_site_issued;
CREATE INDEX documents_site_issued ON documents (site_id, issued_on DESC, id DESC) INCLUDE (status, published_at);
DROP INDEX documents_site_posted;
CREATE INDEX documents_site_posted ON documents (site_id, published_at DESC, id DESC) INCLUDE (status);
-- A type's documents, by issue date, with what their count and validity read:
-- the list filtered by type pages and counts from this index alone (a count of
-- 6.000 of 50.000 documents: 8,5 ms → 0,9 ms).
DROP INDEX documents_type;
CREATE INDEX documents_site_type ON documents (site_id, type_id, issued_on DESC, id DESC)
    INCLUDE (status, published_at, effective_on, expires_on);
