-- Jobs: schedules, publish-job progress, crash-safe history, webhooks
-- (SPEC §4). {{ID}} is each dialect's auto-increment key, as in 00001.

-- +goose Up

-- A job row is the History entry of one run. A row with status 'scheduled'
-- is a Scheduled-tab entry; its rule lives in schedules. Each run a
-- recurring entry fires is a new row pointing back at it (schedule_id) with
-- the occurrence it ran for; the unique index makes an occurrence fire once
-- even when several nodes tick at the same time (JOB-7).
ALTER TABLE jobs ADD COLUMN schedule_id BIGINT REFERENCES jobs(id) ON DELETE SET NULL;
ALTER TABLE jobs ADD COLUMN occurrence BIGINT;
ALTER TABLE jobs ADD COLUMN submitted_by BIGINT REFERENCES users(id) ON DELETE SET NULL;
-- resume_after is the last asset id a publish job finished; it moves in the same
-- transaction as the batch it ends, so a re-run resumes without repeating.
ALTER TABLE jobs ADD COLUMN resume_after BIGINT NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN published INTEGER NOT NULL DEFAULT 0;
ALTER TABLE jobs ADD COLUMN message TEXT NOT NULL DEFAULT '';
-- enqueued is set once the engine's queue holds the run; the tick re-enqueues
-- queued rows without it (a crash between the two writes).
ALTER TABLE jobs ADD COLUMN enqueued BOOLEAN NOT NULL DEFAULT FALSE;
CREATE UNIQUE INDEX jobs_occurrence ON jobs (schedule_id, occurrence);
CREATE INDEX jobs_status ON jobs (status, created_at);
-- A full publish walks a company's assets in id order, batch by batch.
CREATE INDEX assets_company_id ON assets (company_id, id);

CREATE TABLE schedules (
    job_id      BIGINT PRIMARY KEY REFERENCES jobs(id) ON DELETE CASCADE,
    company_id  BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    kind        TEXT NOT NULL,
    rule        TEXT NOT NULL,
    time_zone   TEXT NOT NULL,
    active      BOOLEAN NOT NULL DEFAULT TRUE,
    once        BOOLEAN NOT NULL DEFAULT FALSE,
    next_run_at BIGINT,
    last_run_at BIGINT,
    missed      INTEGER NOT NULL DEFAULT 0,
    updated_at  BIGINT NOT NULL
);
CREATE INDEX schedules_due ON schedules (next_run_at) WHERE active;

-- live mirrors "this intent has a catalog row"; reconcile keeps it. The
-- partial index lists exactly the marked intents an incremental publish has
-- to visit, so its cost follows what changed, not the size of the company.
ALTER TABLE intents ADD COLUMN live BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE intents SET live = TRUE WHERE EXISTS (SELECT 1 FROM catalog c
    WHERE c.asset_id = intents.asset_id AND c.context = intents.context AND c.destination = intents.destination);
CREATE INDEX intents_pending ON intents (asset_id) WHERE marked AND NOT live;

-- A job writes one history row per asset version, context and destination,
-- however often a batch is re-run after a crash (JOB-7).
CREATE UNIQUE INDEX history_once ON history (job_id, asset_id, version, context, destination);

-- Per-company signing secret of HTTP notifications (JOB-6).
CREATE TABLE webhook_secrets (
    company_id BIGINT PRIMARY KEY REFERENCES companies(id) ON DELETE CASCADE,
    secret     TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- One row per notification attempt.
CREATE TABLE webhook_deliveries (
    id          {{ID}},
    company_id  BIGINT NOT NULL REFERENCES companies(id) ON DELETE CASCADE,
    job_id      BIGINT REFERENCES jobs(id) ON DELETE CASCADE,
    message_id  TEXT NOT NULL,
    url         TEXT NOT NULL,
    attempt     INTEGER NOT NULL,
    status_code INTEGER NOT NULL DEFAULT 0,
    error       TEXT NOT NULL DEFAULT '',
    duration_ms INTEGER NOT NULL DEFAULT 0,
    at          BIGINT NOT NULL
);
CREATE INDEX webhook_deliveries_job ON webhook_deliveries (job_id, id);

-- +goose Down
DROP TABLE webhook_deliveries;
DROP TABLE webhook_secrets;
DROP INDEX history_once;
DROP INDEX intents_pending;
ALTER TABLE intents DROP COLUMN live;
DROP TABLE schedules;
DROP INDEX assets_company_id;
DROP INDEX jobs_status;
DROP INDEX jobs_occurrence;
ALTER TABLE jobs DROP COLUMN enqueued;
ALTER TABLE jobs DROP COLUMN message;
ALTER TABLE jobs DROP COLUMN published;
ALTER TABLE jobs DROP COLUMN resume_after;
ALTER TABLE jobs DROP COLUMN submitted_by;
ALTER TABLE jobs DROP COLUMN occurrence;
ALTER TABLE jobs DROP COLUMN schedule_id;
