-- PostgreSQL keeps up with SQLite on a full publish (issue 16). {{ID}} is
-- unused. SQLite's file of this version changes nothing: it checks foreign
-- keys in process, for next to nothing.

-- +goose Up

-- A publish batch writes two history rows per asset whose company, job and
-- user are the same for the whole batch, and PostgreSQL checked each of
-- those keys for every row: a third of a full publish. The code checks them
-- once per batch instead, in the transaction that writes the rows
-- (historyReferents, history_checks.go), and the triggers below keep what
-- the constraints did when a company, job or user is deleted.
--
-- The asset keys of history and catalog go the same way: every catalog and
-- history row a publish writes names an asset the batch holds FOR UPDATE
-- (lockAssets, publishjob_reconcile.go), so it cannot be gone, and the one
-- other history writer (a rename) locks its asset through
-- historyReferents. A purge of assets deletes their catalog rows and
-- clears history's asset_id by the history_assets trigger, as ON DELETE
-- CASCADE and SET NULL did. catalog.version_id keeps its key.
ALTER TABLE history DROP CONSTRAINT history_company_id_fkey,
    DROP CONSTRAINT history_job_id_fkey,
    DROP CONSTRAINT history_user_id_fkey,
    DROP CONSTRAINT history_asset_id_fkey;
ALTER TABLE catalog DROP CONSTRAINT catalog_asset_id_fkey;

-- A catalog row's company is its asset's: the batch holds the asset rows
-- FOR UPDATE (lockAssets), an asset's company cannot go while the asset
-- exists, and deleting a company deletes its assets and with them their
-- catalog rows (the history_assets trigger below). The company key checked
-- every row for nothing.
ALTER TABLE catalog DROP CONSTRAINT catalog_company_id_fkey;

-- A publish sets last_published_at on every asset it publishes. The column
-- is in no index, so PostgreSQL can update the row in place (a HOT update)
-- and leave the table's seven indexes alone, if the row's page has room
-- for the new version; a page filled to the brim (the default) has none,
-- and the first publish of freshly uploaded assets then wrote seven index
-- entries per asset. Half of each page is left free for that: a larger
-- table (rows are small) for updates that touch no index. Pages written
-- before this migration keep their fill until they are rewritten.
ALTER TABLE assets SET (fillfactor = 50);

-- +goose StatementBegin
CREATE FUNCTION history_drop_companies() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
    DELETE FROM history WHERE company_id IN (SELECT id FROM gone);
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER history_companies AFTER DELETE ON companies REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION history_drop_companies();

-- +goose StatementBegin
CREATE FUNCTION history_forget_assets() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
    DELETE FROM catalog WHERE asset_id IN (SELECT id FROM gone);
    UPDATE history SET asset_id = NULL WHERE asset_id IN (SELECT id FROM gone);
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER history_assets AFTER DELETE ON assets REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION history_forget_assets();

-- +goose StatementBegin
CREATE FUNCTION history_forget_jobs() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
    UPDATE history SET job_id = NULL WHERE job_id IN (SELECT id FROM gone);
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER history_jobs AFTER DELETE ON jobs REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION history_forget_jobs();

-- +goose StatementBegin
CREATE FUNCTION history_forget_users() RETURNS trigger LANGUAGE plpgsql
SET search_path FROM CURRENT AS $$
BEGIN
    UPDATE history SET user_id = NULL WHERE user_id IN (SELECT id FROM gone);
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER history_users AFTER DELETE ON users REFERENCING OLD TABLE AS gone
    FOR EACH STATEMENT EXECUTE FUNCTION history_forget_users();

-- +goose Down
ALTER TABLE assets RESET (fillfactor);
DROP TRIGGER history_users ON users;
DROP FUNCTION history_forget_users();
DROP TRIGGER history_assets ON assets;
DROP FUNCTION history_forget_assets();
DROP TRIGGER history_jobs ON jobs;
DROP FUNCTION history_forget_jobs();
DROP TRIGGER history_companies ON companies;
DROP FUNCTION history_drop_companies();
UPDATE history SET user_id = NULL WHERE user_id NOT IN (SELECT id FROM users);
UPDATE history SET job_id = NULL WHERE job_id NOT IN (SELECT id FROM jobs);
DELETE FROM history WHERE company_id NOT IN (SELECT id FROM companies);
UPDATE history SET asset_id = NULL WHERE asset_id NOT IN (SELECT id FROM assets);
DELETE FROM catalog WHERE company_id NOT IN (SELECT id FROM companies) OR asset_id NOT IN (SELECT id FROM assets);
ALTER TABLE catalog ADD FOREIGN KEY (company_id) REFERENCES companies(id) ON DELETE CASCADE,
    ADD FOREIGN KEY (asset_id) REFERENCES assets(id) ON DELETE CASCADE;
ALTER TABLE history ADD FOREIGN KEY (asset_id) REFERENCES assets(id) ON DELETE SET NULL;
ALTER TABLE history ADD FOREIGN KEY (company_id) REFERENCES companies(id) ON DELETE CASCADE,
    ADD FOREIGN KEY (job_id) REFERENCES jobs(id) ON DELETE SET NULL,
    ADD FOREIGN KEY (user_id) REFERENCES users(id) ON DELETE SET NULL;
