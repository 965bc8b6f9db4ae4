-- Two-step login with an authenticator app (TOTP, RFC 6238): each user's secret,
-- when it was turned on, the last 30-second step a code was accepted for (so no code
-- works twice), the one-time backup codes, and logins waiting for their code.

CREATE TABLE user_totp (
    user_id BIGINT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    secret TEXT NOT NULL,                 -- base32, as the authenticator app is given it
    enabled_at BIGINT,                   -- NULL while the enrolment awaits its first code
    last_step BIGINT NOT NULL DEFAULT 0  -- unix time / 30 of the last accepted code
);

CREATE TABLE totp_backup_codes (
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,              -- SHA-256 of the code, never the code
    used_at BIGINT,                      -- NULL while the code is still good
    PRIMARY KEY (user_id, code_hash)
);

-- A correct password of a user with two-step login: no session yet, only this row,
-- tied to a short-lived cookie, until the right code arrives.
CREATE TABLE pending_logins (
    token_hash TEXT PRIMARY KEY,          -- SHA-256 of the cookie's token, never the token
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX pending_logins_expiry ON pending_logins (expires_at);
