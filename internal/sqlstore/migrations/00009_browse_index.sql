-- Browse lists a folder's assets by name a page at a time: without this
-- index the plan walks the company's names in order and filters by folder,
-- so a small folder among 100,000 assets takes hundreds of milliseconds.
-- {{ID}} is unused.

-- +goose Up
CREATE INDEX assets_folder_name ON assets (folder_id, name);

-- +goose Down
DROP INDEX assets_folder_name;
