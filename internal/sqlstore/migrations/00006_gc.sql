-- Trash and cleanup: the daily maintenance job (UP-6). {{ID}} is unused.

-- +goose Up

-- One maintenance run per company per daily occurrence, however many nodes
-- tick at that moment: the loser's insert does nothing (as jobs_occurrence
-- does for Scheduled entries, whose schedule_id a system job does not have).
CREATE UNIQUE INDEX jobs_maintenance_once ON jobs (company_id, occurrence) WHERE type = 'maintenance';

-- What a job did, as JSON, for jobs that report more than their counts
-- (maintenance: assets purged, blobs deleted, bytes freed). Empty for the rest.
ALTER TABLE jobs ADD COLUMN result TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE jobs DROP COLUMN result;
DROP INDEX jobs_maintenance_once;
