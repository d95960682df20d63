-- The foundation schema. One file serves SQLite and PostgreSQL: {{ID}} is
-- replaced by each dialect's auto-increment primary key. Times are BIGINT
-- microseconds since the Unix epoch (UTC) in both engines.

-- +goose Up
CREATE TABLE companies (
    id         {{ID}},
    root_id    TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    settings   TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

CREATE TABLE users (
    id           {{ID}},
    name         TEXT NOT NULL UNIQUE,
    system_admin BOOLEAN NOT NULL DEFAULT FALSE,
    created_at   BIGINT NOT NULL
);

CREATE TABLE memberships (
    user_id    BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    company_id BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    role       TEXT NOT NULL,
    PRIMARY KEY (user_id, company_id)
);

CREATE TABLE tokens (
    id           {{ID}},
    user_id      BIGINT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT
);

CREATE TABLE folders (
    id           {{ID}},
    company_id   BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    parent_id    BIGINT REFERENCES folders(id),
    path         TEXT NOT NULL,
    sync_mode    TEXT NOT NULL DEFAULT 'inherit',
    publish_mode TEXT NOT NULL DEFAULT 'inherit',
    created_at   BIGINT NOT NULL,
    UNIQUE (company_id, path)
);

CREATE TABLE assets (
    id                 {{ID}},
    company_id         BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    name               TEXT NOT NULL,
    type               TEXT NOT NULL,
    folder_id          BIGINT NOT NULL REFERENCES folders(id),
    ext                TEXT NOT NULL DEFAULT '',
    current_version    INTEGER NOT NULL DEFAULT 0,
    sync_mode          TEXT NOT NULL,
    publish_mode       TEXT NOT NULL,
    last_published_at  BIGINT,
    trashed_at         BIGINT,
    created_at         BIGINT NOT NULL,
    updated_at         BIGINT NOT NULL,
    UNIQUE (company_id, name)
);
CREATE INDEX assets_folder ON assets (folder_id);
CREATE INDEX assets_trashed ON assets (trashed_at);

CREATE TABLE versions (
    id         {{ID}},
    asset_id   BIGINT NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
    number     INTEGER NOT NULL,
    sha256     TEXT NOT NULL,
    size       BIGINT NOT NULL,
    format     TEXT NOT NULL,
    mime       TEXT NOT NULL,
    width      INTEGER NOT NULL DEFAULT 0,
    height     INTEGER NOT NULL DEFAULT 0,
    filename   TEXT NOT NULL,
    created_by BIGINT,
    created_at BIGINT NOT NULL,
    UNIQUE (asset_id, number)
);
CREATE INDEX versions_sha ON versions (sha256);

-- What each asset is marked for (PUB-1).
CREATE TABLE intents (
    asset_id    BIGINT NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
    context     TEXT NOT NULL,
    destination TEXT NOT NULL,
    marked      BOOLEAN NOT NULL,
    updated_at  BIGINT NOT NULL,
    PRIMARY KEY (asset_id, context, destination)
);

-- What is live: delivery reads only this table.
CREATE TABLE catalog (
    company_id   BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    context      TEXT NOT NULL,
    destination  TEXT NOT NULL,
    name         TEXT NOT NULL,
    asset_id     BIGINT NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
    version_id   BIGINT NOT NULL REFERENCES versions(id),
    published_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, context, destination, name)
);
CREATE INDEX catalog_asset ON catalog (asset_id);

CREATE TABLE jobs (
    id          {{ID}},
    company_id  BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    type        TEXT NOT NULL,
    name        TEXT NOT NULL,
    status      TEXT NOT NULL,
    user_id     BIGINT REFERENCES users(id) ON DELETE SET NULL,
    options     TEXT NOT NULL DEFAULT '{}',
    total       INTEGER NOT NULL DEFAULT 0,
    done        INTEGER NOT NULL DEFAULT 0,
    warnings    INTEGER NOT NULL DEFAULT 0,
    errors      INTEGER NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL,
    started_at  BIGINT,
    finished_at BIGINT
);
CREATE INDEX jobs_company ON jobs (company_id, created_at);

CREATE TABLE job_log (
    id         {{ID}},
    job_id     BIGINT NOT NULL REFERENCES jobs(id) ON DELETE CASCADE,
    asset_name TEXT NOT NULL DEFAULT '',
    level      TEXT NOT NULL,
    message    TEXT NOT NULL,
    at         BIGINT NOT NULL
);
CREATE INDEX job_log_job ON job_log (job_id, id);

-- Publish history (PUB-7). Rows outlive their asset (asset_id set null on purge).
CREATE TABLE history (
    id          {{ID}},
    company_id  BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    asset_id    BIGINT REFERENCES assets(id) ON DELETE SET NULL,
    asset_name  TEXT NOT NULL,
    version     INTEGER NOT NULL,
    context     TEXT NOT NULL,
    destination TEXT NOT NULL,
    action      TEXT NOT NULL,
    job_id      BIGINT REFERENCES jobs(id) ON DELETE SET NULL,
    user_id     BIGINT REFERENCES users(id) ON DELETE SET NULL,
    user_name   TEXT NOT NULL DEFAULT '',
    at          BIGINT NOT NULL
);
CREATE INDEX history_asset ON history (asset_id, id);

-- +goose Down
DROP TABLE history;
DROP TABLE job_log;
DROP TABLE jobs;
DROP TABLE catalog;
DROP TABLE intents;
DROP TABLE versions;
DROP TABLE assets;
DROP TABLE folders;
DROP TABLE tokens;
DROP TABLE memberships;
DROP TABLE users;
DROP TABLE companies;
