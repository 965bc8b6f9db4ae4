-- Citizens' questions (issue 16): questions with their tracking code, history,
-- forwarding between sites, readers' "was this useful" votes; a site's edits to the
-- shipped public holidays; the portal's anonymous satisfaction ratings; and the mail
-- queue every feature sends e-mail through (a failed send is retried, never lost).

CREATE TABLE questions (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    code TEXT NOT NULL UNIQUE,            -- the tracking code the asker is given
    salutation TEXT NOT NULL DEFAULT '',  -- Anh, Chị, Ông, Bà, Em or empty
    asker_name TEXT NOT NULL,
    email TEXT NOT NULL,                  -- lower case, for the lookup by code + e-mail
    phone TEXT NOT NULL DEFAULT '',
    address TEXT NOT NULL DEFAULT '',
    title TEXT NOT NULL,
    body TEXT NOT NULL,                   -- plain text as typed (NFC)
    field TEXT NOT NULL,                  -- lĩnh vực key
    may_publish INTEGER NOT NULL DEFAULT 0,
    attachment_media_id INTEGER REFERENCES media(id) ON DELETE SET NULL,
    status TEXT NOT NULL,                 -- new, assigned, awaiting, published, closed, spam
    assignee_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    due_day INTEGER,                      -- the last working day, days since 1970-01-01 (Vietnam)
    answer_html TEXT NOT NULL DEFAULT '',
    answered_by INTEGER REFERENCES users(id) ON DELETE SET NULL,
    show_answerer INTEGER NOT NULL DEFAULT 0,
    answered_at INTEGER,
    published_at INTEGER,
    spam_at INTEGER,
    forwarded_from INTEGER REFERENCES questions(id) ON DELETE SET NULL,
    forwarded_to INTEGER REFERENCES questions(id) ON DELETE SET NULL,
    helpful_yes INTEGER NOT NULL DEFAULT 0,
    helpful_no INTEGER NOT NULL DEFAULT 0,
    reminded_day INTEGER,                 -- the day the last reminder went out
    folded TEXT NOT NULL DEFAULT '',      -- title, question and answer folded (đ → d, no tones), for the words filter
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX questions_site_status ON questions (site_id, status, created_at);
CREATE INDEX questions_spam ON questions (status, spam_at);

CREATE TABLE question_history (
    id INTEGER PRIMARY KEY,
    question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
    at INTEGER NOT NULL,
    user_id INTEGER REFERENCES users(id) ON DELETE SET NULL,
    action TEXT NOT NULL,                 -- as shown: "Giao cho …", "Chuyển đến …"
    note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX question_history_question ON question_history (question_id, at);

CREATE TABLE question_votes (
    question_id INTEGER NOT NULL REFERENCES questions(id) ON DELETE CASCADE,
    reader TEXT NOT NULL,                 -- SHA-256 of the reader's cookie, never the cookie
    helpful INTEGER NOT NULL,
    PRIMARY KEY (question_id, reader)
);

CREATE TABLE holiday_edits (
    site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    day TEXT NOT NULL,                    -- YYYY-MM-DD
    name TEXT NOT NULL DEFAULT '',
    off INTEGER NOT NULL,                 -- 1: a day off added; 0: a shipped holiday worked
    PRIMARY KEY (site_id, day)
);

-- No visitor id, address or cookie: the decree asks for anonymous ratings.
CREATE TABLE site_ratings (
    id INTEGER PRIMARY KEY,
    site_id INTEGER NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    score INTEGER NOT NULL,
    comment TEXT NOT NULL DEFAULT '',
    month TEXT NOT NULL,                  -- YYYY-MM in Vietnam, the only time kept
    created_day INTEGER NOT NULL
);
CREATE INDEX site_ratings_month ON site_ratings (site_id, month);

CREATE TABLE mail_queue (
    id INTEGER PRIMARY KEY,
    site_id INTEGER REFERENCES sites(id) ON DELETE SET NULL,
    to_addr TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,                   -- plain text
    created_at INTEGER NOT NULL,
    next_try_at INTEGER NOT NULL,
    attempts INTEGER NOT NULL DEFAULT 0,
    last_error TEXT NOT NULL DEFAULT '',
    sent_at INTEGER
);
CREATE INDEX mail_queue_due ON mail_queue (sent_at, next_try_at);
