-- Moving from one site's back office to another's without logging in again: the
-- signed-in site makes a one-time token for the other site, which the browser
-- carries there in a link. Only the token's hash is kept, so any instance can
-- redeem it and a leaked database opens nothing. A token is bound to its user, to
-- the site it opens and to the browser that asked for it (the hash of a secret the
-- target site gave that browser in a cookie), lives a minute, and is deleted when
-- it is redeemed, whatever the outcome.

CREATE TABLE site_handoffs (
    token_hash TEXT PRIMARY KEY,          -- SHA-256 of the token in the link, never the token
    user_id BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    site_id BIGINT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,  -- the site it opens
    from_site_id BIGINT REFERENCES sites(id) ON DELETE SET NULL,     -- where it was made
    browser_hash TEXT NOT NULL,           -- SHA-256 of the target site's cookie secret
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX site_handoffs_expiry ON site_handoffs (expires_at);
