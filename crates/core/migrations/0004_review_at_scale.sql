-- Review and import at scale, and the Sandbox's simulated activity.

-- How many rounds of simulated activity the admin asked the Sandbox demo
-- company for, so they are replayed when the app starts again.
ALTER TABLE integrations ADD COLUMN sandbox_rounds INTEGER NOT NULL DEFAULT 0;

-- Staged records counted per integration, module, status and removal, so
-- the status chips and a filtered list's total are read in microseconds
-- instead of counted over a million rows. Updates and deletes are counted
-- by triggers. Rows are only ever inserted by staged::apply_page, which adds
-- a page's new rows in one statement per status (a per-row insert trigger
-- would cost the sync a sixth of its speed).
CREATE TABLE staged_counts (
    integration_id     INTEGER NOT NULL,
    module             TEXT NOT NULL,
    status             TEXT NOT NULL,
    removed_at_source  INTEGER NOT NULL,
    n                  INTEGER NOT NULL,
    PRIMARY KEY (integration_id, module, status, removed_at_source)
) WITHOUT ROWID;

INSERT INTO staged_counts (integration_id, module, status, removed_at_source, n)
SELECT integration_id, module, status, removed_at_source, count(*)
FROM staged_records GROUP BY integration_id, module, status, removed_at_source;

CREATE TRIGGER staged_counts_delete AFTER DELETE ON staged_records BEGIN
    UPDATE staged_counts SET n = n - 1
    WHERE integration_id = old.integration_id AND module = old.module
      AND status = old.status AND removed_at_source = old.removed_at_source;
END;

CREATE TRIGGER staged_counts_update AFTER UPDATE OF status, removed_at_source ON staged_records
WHEN old.status IS NOT new.status OR old.removed_at_source IS NOT new.removed_at_source BEGIN
    UPDATE staged_counts SET n = n - 1
    WHERE integration_id = old.integration_id AND module = old.module
      AND status = old.status AND removed_at_source = old.removed_at_source;
    INSERT INTO staged_counts (integration_id, module, status, removed_at_source, n)
    VALUES (new.integration_id, new.module, new.status, new.removed_at_source, 1)
    ON CONFLICT (integration_id, module, status, removed_at_source) DO UPDATE SET n = n + 1;
END;

-- The overlap check of a clocked time entry looks at the employee's
-- entries that start within a day of it, and at a running one.
CREATE INDEX time_entries_employee_start ON time_entries(employee_id, start_utc)
    WHERE kind = 'clock' AND voided_at IS NULL;
CREATE INDEX time_entries_running ON time_entries(employee_id)
    WHERE kind = 'clock' AND voided_at IS NULL AND end_utc IS NULL;
