-- The PostgreSQL file of this version moves the checks of history's
-- company, job and user keys from per-row constraints to once per publish
-- batch. SQLite checks foreign keys in process, for next to nothing, so it
-- keeps its constraints and this version changes nothing here.

-- +goose Up
SELECT 1;

-- +goose Down
SELECT 1;
