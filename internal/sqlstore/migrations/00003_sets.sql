-- Sets, derived images and published search data (issue 5: PUB-3/4/5,
-- UP-6, DEL-5, DEL-6). {{ID}} is each dialect's auto-increment key, as in 00001.

-- +goose Up

-- A derived image (or a video's thumbnail) points at the asset it was made
-- from, with the recipe that made it (Built & Derivatives).
ALTER TABLE assets ADD COLUMN parent_id BIGINT REFERENCES assets(id) ON DELETE SET NULL;
ALTER TABLE assets ADD COLUMN recipe TEXT NOT NULL DEFAULT '';
CREATE INDEX assets_parent ON assets (parent_id);

-- The set-type attributes of a set asset. A video set's source is the
-- primary video its encodes come from.
CREATE TABLE sets (
    asset_id  BIGINT PRIMARY KEY REFERENCES assets(id) ON DELETE CASCADE,
    rows_n    INTEGER NOT NULL DEFAULT 0,
    columns_n INTEGER NOT NULL DEFAULT 0,
    source_id BIGINT REFERENCES assets(id) ON DELETE SET NULL
);
CREATE INDEX sets_source ON sets (source_id);

-- A set's current members, in order: what cascades, cycle checks and
-- "sets containing this asset" read. A purged member leaves its sets.
CREATE TABLE set_members (
    set_id       BIGINT NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
    position     INTEGER NOT NULL,
    member_id    BIGINT NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
    swatch_id    BIGINT REFERENCES assets(id) ON DELETE SET NULL,
    swatch_color TEXT NOT NULL DEFAULT '',
    swatch_label TEXT NOT NULL DEFAULT '',
    swatch_crop  TEXT NOT NULL DEFAULT '',
    keywords     TEXT NOT NULL DEFAULT '',
    page_text    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (set_id, position)
);
CREATE INDEX set_members_member ON set_members (member_id);
CREATE INDEX set_members_swatch ON set_members (swatch_id);

-- Every saved state of a set is a version like a file's: the version row
-- holds the SHA-256 of this manifest (the member list as JSON, by asset
-- id), so the catalog keeps pointing at what was published while the set
-- is edited, and delivery serves exactly that.
CREATE TABLE set_versions (
    version_id BIGINT PRIMARY KEY REFERENCES versions(id) ON DELETE CASCADE,
    manifest   TEXT NOT NULL
);

-- Published search data (DEL-6): a snapshot of the published eCatalogs'
-- pages, replaced whole by each full_with_search publish.
CREATE TABLE search_pages (
    company_id   BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    catalog      TEXT NOT NULL,
    page         INTEGER NOT NULL,
    image        TEXT NOT NULL,
    keywords     TEXT NOT NULL DEFAULT '',
    page_text    TEXT NOT NULL DEFAULT '',
    search       TEXT NOT NULL DEFAULT '',
    published_at BIGINT NOT NULL,
    PRIMARY KEY (company_id, catalog, page)
);

-- +goose Down
DROP TABLE search_pages;
DROP TABLE set_versions;
DROP TABLE set_members;
DROP TABLE sets;
DROP INDEX assets_parent;
ALTER TABLE assets DROP COLUMN recipe;
ALTER TABLE assets DROP COLUMN parent_id;
