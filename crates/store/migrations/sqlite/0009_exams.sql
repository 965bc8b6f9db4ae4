-- Exam results (issue 6): sessions (kỳ thi), their candidates as last imported, the
-- history of each candidate's changes between imports, and the imports themselves.
-- A session's subjects and extra fields are JSON in `spec`; scores are kept compact
-- as hundredths separated by commas ("825,750,,1000", empty for absent).

CREATE TABLE exam_sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    school_year TEXT NOT NULL DEFAULT '',
    kind TEXT NOT NULL DEFAULT '',
    -- {"subjects": [{"key", "name", "max", "step"}], "extras": [{"key", "name"}]}
    spec TEXT NOT NULL DEFAULT '{"subjects":[],"extras":[]}',
    lookup_rule TEXT NOT NULL DEFAULT 'sbd_ngay_sinh',   -- sbd | sbd_ngay_sinh
    publish_at INTEGER,
    candidates INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    -- Bumped by every change (import, publish time): servers reload what changed.
    revision INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX exam_sessions_site ON exam_sessions (site_id, created_at DESC);

CREATE TABLE exam_candidates (
    session_id INTEGER NOT NULL REFERENCES exam_sessions(id) ON DELETE CASCADE,
    sbd TEXT NOT NULL,
    name TEXT NOT NULL,
    birth_date TEXT NOT NULL DEFAULT '',   -- YYYY-MM-DD, or '' when none
    scores TEXT NOT NULL DEFAULT '',
    extras TEXT NOT NULL DEFAULT '[]',     -- JSON list of strings, one per extra field
    UNIQUE (session_id, sbd)
);

CREATE TABLE exam_imports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id INTEGER NOT NULL REFERENCES exam_sessions(id) ON DELETE CASCADE,
    file_name TEXT NOT NULL,
    row_count INTEGER NOT NULL,
    changed INTEGER NOT NULL DEFAULT 0,
    by_user INTEGER REFERENCES users(id) ON DELETE SET NULL,
    at INTEGER NOT NULL
);
CREATE INDEX exam_imports_session ON exam_imports (session_id, id);

CREATE TABLE exam_candidate_history (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id INTEGER NOT NULL REFERENCES exam_sessions(id) ON DELETE CASCADE,
    sbd TEXT NOT NULL,
    field TEXT NOT NULL,
    old_value TEXT,
    new_value TEXT,
    import_id INTEGER NOT NULL REFERENCES exam_imports(id) ON DELETE CASCADE,
    at INTEGER NOT NULL
);
CREATE INDEX exam_candidate_history_sbd ON exam_candidate_history (session_id, sbd, id);
