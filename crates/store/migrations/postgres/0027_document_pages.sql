-- The public list of documents pages through these without reading the rows:
-- each entry carries what makes a document public (status, posting time), so a
-- deep page ("trang=100", 2.000 entries skipped) walks the index alone.
DROP INDEX documents_site_issued;
CREATE INDEX documents_site_issued ON documents (site_id, issued_on DESC, id DESC) INCLUDE (status, published_at);
DROP INDEX documents_site_posted;
CREATE INDEX documents_site_posted ON documents (site_id, published_at DESC, id DESC) INCLUDE (status);
