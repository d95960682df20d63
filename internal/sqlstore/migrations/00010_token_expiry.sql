-- API tokens may expire: expires_at (microseconds since the epoch) is NULL
-- for a token that never expires. {{ID}} is unused.

-- +goose Up
ALTER TABLE tokens ADD COLUMN expires_at BIGINT;

-- +goose Down
ALTER TABLE tokens DROP COLUMN expires_at;
