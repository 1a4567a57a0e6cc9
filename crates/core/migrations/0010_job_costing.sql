-- Job costing: each employee's wages, dated, and each time entry's wage
-- at its date, so a job's labour cost is one scan of one index.
--
-- A wage is paid from `effective_from` until the employee's next one. It
-- is set by hand in Timebridge (`manual`) or imported from a platform that
-- keeps a wage history (`imported`, busybusy); on the same day a wage set
-- by hand wins. Amounts are cents per hour (a weekly, monthly or yearly
-- wage is converted on import). Setting, importing or removing a wage
-- re-costs that employee's entries (`costing::wages`).
CREATE TABLE employee_wages (
    id                     INTEGER PRIMARY KEY,
    employee_id            INTEGER NOT NULL REFERENCES employees(id) ON DELETE CASCADE,
    effective_from         TEXT NOT NULL,
    cents_per_hour         INTEGER NOT NULL CHECK (cents_per_hour >= 0),
    source_kind            TEXT NOT NULL CHECK (source_kind IN ('manual', 'imported')),
    source_integration_id  INTEGER REFERENCES integrations(id) ON DELETE SET NULL,
    created_at             TEXT NOT NULL,
    updated_by             TEXT NOT NULL
);
CREATE UNIQUE INDEX employee_wages_day ON employee_wages(employee_id, effective_from, source_kind);

-- The wage each time entry is costed at; NULL when its employee has none
-- on its day. Written with the entry (the record's INSERT and UPDATE derive
-- it from the employee and the day), never by hand.
ALTER TABLE time_entries ADD COLUMN wage_cents_per_hour INTEGER;

-- Costing reads the time of jobs that counts (not voided, not running):
-- covered, so the whole report is one scan of this index, and a job's own
-- entries are found by it. (0007 dropped the indexes no query read; this is
-- the one job costing reads, and the only one a time entry's insert adds.)
CREATE INDEX time_entries_costing ON time_entries(job_id, task_id, duration_seconds, wage_cents_per_hour)
    WHERE job_id IS NOT NULL AND voided_at IS NULL AND duration_seconds IS NOT NULL;
