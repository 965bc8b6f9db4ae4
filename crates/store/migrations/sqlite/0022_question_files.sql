-- The file a citizen may attach to a question (issue 16). Kept in the database, not
-- in the media folder, which is served to anyone: only the signed-in staff of a site
-- holding the question download it. A forwarded question shares its asker's file.

CREATE TABLE question_files (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,                   -- the asker's file name (NFC), for the download
    mime TEXT NOT NULL,                   -- as the content shows it (media::sniff)
    extension TEXT NOT NULL,              -- likewise, without the dot
    size INTEGER NOT NULL,                -- bytes
    data BLOB NOT NULL,
    created_at INTEGER NOT NULL
);

ALTER TABLE questions ADD COLUMN attachment_id INTEGER REFERENCES question_files(id) ON DELETE SET NULL;
CREATE INDEX questions_attachment ON questions (attachment_id);
