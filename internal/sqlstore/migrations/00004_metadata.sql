-- Asset metadata searched by the UI and the API (SEL-5 search scope).

-- +goose Up
ALTER TABLE assets ADD COLUMN title TEXT NOT NULL DEFAULT '';
ALTER TABLE assets ADD COLUMN keywords TEXT NOT NULL DEFAULT '[]';

-- +goose Down
ALTER TABLE assets DROP COLUMN keywords;
ALTER TABLE assets DROP COLUMN title;
