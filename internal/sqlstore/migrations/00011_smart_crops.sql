-- Smart Crop (issue 14): image profiles per folder, the crops of each image
-- version, and the assets waiting for their crops to be recomputed after a
-- profile changed. {{ID}} is unused.

-- +goose Up

-- The image profile set on a folder: its crops as JSON
-- ([{"name","width","height"}]); an empty list stops a parent's profile.
CREATE TABLE folder_profiles (
    folder_id  BIGINT PRIMARY KEY REFERENCES folders(id) ON DELETE CASCADE,
    crops      TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- One crop of one image version: the profile's crop (name, size) and its
-- box in upright source pixels (src_w×src_h, the upright size it was
-- computed for). adjusted = 1 when a user set the box.
CREATE TABLE smart_crops (
    version_id BIGINT NOT NULL REFERENCES versions(id) ON DELETE CASCADE,
    name       TEXT NOT NULL,
    width      INTEGER NOT NULL,
    height     INTEGER NOT NULL,
    x          INTEGER NOT NULL,
    y          INTEGER NOT NULL,
    w          INTEGER NOT NULL,
    h          INTEGER NOT NULL,
    src_w      INTEGER NOT NULL,
    src_h      INTEGER NOT NULL,
    adjusted   INTEGER NOT NULL DEFAULT 0,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (version_id, name)
);

-- Images whose crops the crop worker must recompute (a folder's profile
-- changed). Durable, so a restart finishes the work.
CREATE TABLE crop_queue (
    asset_id  BIGINT PRIMARY KEY REFERENCES assets(id) ON DELETE CASCADE,
    queued_at BIGINT NOT NULL
);
CREATE INDEX crop_queue_time ON crop_queue (queued_at);

-- +goose Down
DROP TABLE crop_queue;
DROP TABLE smart_crops;
DROP TABLE folder_profiles;
