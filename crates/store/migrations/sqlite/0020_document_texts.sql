-- Issue 14: the text layer of attached PDFs, read once when the file is uploaded or
-- imported and indexed with the document that attaches it. Keyed by the media file,
-- so it outlives the re-writing of document_files at every save and follows the file
-- into the revisions. has_text 0: a PDF without a text layer (a scan), found only by
-- the document's fields; no row: not a PDF, or uploaded before this migration.
CREATE TABLE media_texts (
    media_id INTEGER PRIMARY KEY REFERENCES media(id) ON DELETE CASCADE,
    has_text INTEGER NOT NULL,
    text TEXT NOT NULL DEFAULT ''
);
