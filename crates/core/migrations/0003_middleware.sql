-- The middleware: what each integration brought in, staged for review.
--
-- An integration is one connected platform account. Its settings (base URL,
-- attendance pull date, interval, look-back) are JSON; its secrets are never
-- here, only in the operating system's keyring.

ALTER TABLE integrations ADD COLUMN settings TEXT NOT NULL DEFAULT '{}';
ALTER TABLE integrations ADD COLUMN is_sync_source INTEGER NOT NULL DEFAULT 0 CHECK (is_sync_source IN (0, 1));
ALTER TABLE integrations ADD COLUMN sync_enabled INTEGER NOT NULL DEFAULT 1 CHECK (sync_enabled IN (0, 1));
ALTER TABLE integrations ADD COLUMN publish_target INTEGER NOT NULL DEFAULT 0 CHECK (publish_target IN (0, 1));
ALTER TABLE integrations ADD COLUMN next_sync_at TEXT;
-- At most one integration is the sync source.
CREATE UNIQUE INDEX integrations_one_sync_source ON integrations(is_sync_source) WHERE is_sync_source = 1;

-- One row per record an integration sent, per module. `data` is the record
-- mapped to Timebridge's shape (JSON); `checksum` is of that JSON. `status`
-- is what the planner decided: new, updated, imported or archived.
CREATE TABLE staged_records (
    id                 INTEGER PRIMARY KEY,
    integration_id     INTEGER NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
    module             TEXT NOT NULL,
    external_id        TEXT NOT NULL,
    data               TEXT NOT NULL,
    checksum           TEXT NOT NULL,
    status             TEXT NOT NULL CHECK (status IN ('new', 'updated', 'imported', 'archived')),
    archived           INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
    removed_at_source  INTEGER NOT NULL DEFAULT 0 CHECK (removed_at_source IN (0, 1)),
    -- For lists: a label to search and sort by, and the record's date (time entries).
    label              TEXT NOT NULL DEFAULT '',
    record_date        TEXT,
    first_seen_run     INTEGER,
    last_seen_run      INTEGER,
    changed_at         TEXT NOT NULL
);
CREATE UNIQUE INDEX staged_records_key ON staged_records(integration_id, module, external_id);
CREATE INDEX staged_records_status ON staged_records(integration_id, module, status, record_date, id);
CREATE INDEX staged_records_date ON staged_records(integration_id, module, record_date, id);

-- What was last imported from an external record: the local record it
-- became, and the checksum and snapshot of the data imported. The planner
-- compares incoming data with this to say Imported or Updated.
CREATE TABLE bindings (
    id              INTEGER PRIMARY KEY,
    integration_id  INTEGER NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
    module          TEXT NOT NULL,
    external_id     TEXT NOT NULL,
    local_id        INTEGER NOT NULL,
    checksum        TEXT NOT NULL,
    snapshot        TEXT NOT NULL,
    imported_at     TEXT NOT NULL
);
CREATE UNIQUE INDEX bindings_key ON bindings(integration_id, module, external_id);

-- Raw platform records a connector needs again later (the jobcode tree, to
-- place a timesheet's jobcode under its job), written with each page.
CREATE TABLE source_cache (
    integration_id  INTEGER NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
    stream          TEXT NOT NULL,
    external_id     TEXT NOT NULL,
    data            TEXT NOT NULL,
    PRIMARY KEY (integration_id, stream, external_id)
) WITHOUT ROWID;

-- Where each stream of an integration got to: JSON, written in the same
-- transaction as the page it follows.
CREATE TABLE sync_cursors (
    integration_id  INTEGER NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
    stream          TEXT NOT NULL,
    cursor          TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    PRIMARY KEY (integration_id, stream)
) WITHOUT ROWID;

-- Every sync run: when, how it ended, counts per module, the error in words.
CREATE TABLE sync_runs (
    id              INTEGER PRIMARY KEY,
    integration_id  INTEGER NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
    trigger         TEXT NOT NULL,
    started_at      TEXT NOT NULL,
    finished_at     TEXT,
    outcome         TEXT NOT NULL CHECK (outcome IN ('running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
    counts          TEXT NOT NULL DEFAULT '{}',
    error_code      TEXT,
    error_message   TEXT
);
CREATE INDEX sync_runs_integration ON sync_runs(integration_id, started_at DESC);
