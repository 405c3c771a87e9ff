-- The gallery's login sessions, here so that every gateway sees a logout at once. The cookie holds a random token;
-- only its SHA-256 is stored, so a copy of this table hands out no session. key_hash names the API key the session
-- was opened with: removing that key from the configuration ends its sessions.
CREATE TABLE sessions (
    token_hash  text        PRIMARY KEY,
    key_hash    text        NOT NULL,
    created_at  timestamptz NOT NULL,
    expires_at  timestamptz NOT NULL,
    revoked_at  timestamptz
);

CREATE INDEX sessions_expiry ON sessions (expires_at);
