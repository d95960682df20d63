-- The web workspace: passwords, browser sessions, one-time links and
-- sign-in throttling. Secrets are stored as SHA-256 hashes, passwords as
-- argon2id hashes in PHC form.

-- +goose Up
ALTER TABLE users ADD COLUMN email TEXT;
ALTER TABLE users ADD COLUMN password_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN last_sign_in_at BIGINT;
CREATE UNIQUE INDEX users_email ON users (email);

-- An admin switches a user's access to one company off without touching
-- the user's other companies.
ALTER TABLE memberships ADD COLUMN disabled_at BIGINT;

CREATE TABLE sessions (
    id           {{ID}},
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    hash         TEXT NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL,
    user_agent   TEXT NOT NULL DEFAULT '',
    addr         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE one_time_links (
    id         {{ID}},
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    purpose    TEXT NOT NULL,
    hash       TEXT NOT NULL UNIQUE,
    created_by BIGINT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX one_time_links_user ON one_time_links (user_id, purpose);

-- One row per failed sign-in, for each subject it counts against
-- ("account:NAME", "addr:IP"); rows older than a day are pruned.
CREATE TABLE login_failures (
    id      {{ID}},
    subject TEXT NOT NULL,
    at      BIGINT NOT NULL
);
CREATE INDEX login_failures_subject ON login_failures (subject, at);

-- +goose Down
DROP TABLE login_failures;
DROP TABLE one_time_links;
DROP TABLE sessions;
ALTER TABLE memberships DROP COLUMN disabled_at;
DROP INDEX users_email;
ALTER TABLE users DROP COLUMN last_sign_in_at;
ALTER TABLE users DROP COLUMN password_hash;
ALTER TABLE users DROP COLUMN email;
