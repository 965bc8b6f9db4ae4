-- Issue 14: the official documents registry ("Văn bản"). A site's administrators
-- keep four lists (types, issuers, signers, fields); a document names its type,
-- issuer and signer from them and any number of fields. Dates are calendar days
-- (YYYY-MM-DD, Vietnamese calendar), so they compare as text on both backends.
-- Validity is computed from the dates and from the documents that replace this
-- one (replaces_id), never stored. Attached files are media rows; the list of the
-- files at each save is copied into the revisions (files_list), so a replaced file
-- stays named, and served, in the history.

CREATE TABLE document_terms (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    list TEXT NOT NULL,               -- 'loai', 'co-quan', 'nguoi-ky', 'linh-vuc'
    name TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',  -- a signer's position
    position INTEGER NOT NULL DEFAULT 0,
    UNIQUE (site_id, list, name)
);

CREATE TABLE documents (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    slug TEXT NOT NULL,
    doc_number TEXT NOT NULL,
    number_digits TEXT NOT NULL DEFAULT '',
    summary TEXT NOT NULL,
    summary_folded TEXT NOT NULL DEFAULT '',
    type_id INTEGER NOT NULL REFERENCES document_terms(id),
    issuer_id INTEGER NOT NULL REFERENCES document_terms(id),
    signer_id INTEGER REFERENCES document_terms(id) ON DELETE SET NULL,
    issued_on TEXT NOT NULL,
    effective_on TEXT,
    expires_on TEXT,
    replaces_id INTEGER REFERENCES documents(id) ON DELETE SET NULL,
    body_html TEXT NOT NULL DEFAULT '',
    files_list TEXT NOT NULL DEFAULT '',
    status TEXT NOT NULL,
    published_at INTEGER NOT NULL,
    revision INTEGER NOT NULL DEFAULT 1,
    author_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    reject_reason TEXT NOT NULL DEFAULT '',
    views INTEGER NOT NULL DEFAULT 0,
    downloads INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    UNIQUE (site_id, slug)
);
-- The public list walks these in its order and checks each row's status and filters
-- until its page is full.
CREATE INDEX documents_site_issued ON documents (site_id, issued_on DESC, id DESC);
CREATE INDEX documents_site_posted ON documents (site_id, published_at DESC, id DESC);
CREATE INDEX documents_site_updated ON documents (site_id, updated_at DESC, id DESC);
-- The list's count reads this index alone for the usual filters (type, issuer,
-- signer, year, dates, validity), never the rows.
CREATE INDEX documents_site_count ON documents (site_id, status, published_at, issued_on,
    type_id, issuer_id, signer_id, effective_on, expires_on);
CREATE INDEX documents_replaces ON documents (replaces_id);
CREATE INDEX documents_type ON documents (type_id, issued_on DESC);
CREATE INDEX documents_issuer ON documents (issuer_id, issued_on DESC);
CREATE INDEX documents_schedule ON documents (status, published_at);

CREATE TABLE document_fields (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    term_id INTEGER NOT NULL REFERENCES document_terms(id) ON DELETE CASCADE,
    PRIMARY KEY (document_id, term_id)
);
CREATE INDEX document_fields_term ON document_fields (term_id, document_id);

CREATE TABLE document_links (
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    related_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    PRIMARY KEY (document_id, related_id)
);

CREATE TABLE document_files (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    media_id INTEGER NOT NULL REFERENCES media(id),
    position INTEGER NOT NULL DEFAULT 0,
    name TEXT NOT NULL
);
CREATE INDEX document_files_document ON document_files (document_id, position);

CREATE TABLE document_revisions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    document_id INTEGER NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    doc_number TEXT NOT NULL,
    summary TEXT NOT NULL,
    issued_on TEXT NOT NULL,
    effective_on TEXT,
    expires_on TEXT,
    body_html TEXT NOT NULL,
    files_list TEXT NOT NULL,
    saved_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    saved_at INTEGER NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    UNIQUE (document_id, number)
);

-- A school that hides "Văn bản cấp trên" (the department's documents) keeps its own list only.
CREATE TABLE document_site_options (
    site_id INTEGER PRIMARY KEY REFERENCES sites(id) ON DELETE CASCADE,
    hide_upper INTEGER NOT NULL DEFAULT 0
);
