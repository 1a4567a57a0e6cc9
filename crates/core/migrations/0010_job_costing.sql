-- Job costing: each employee's wages, dated, and each time entry's wage
-- at its date, so a job's labour cost is one scan of one index. (0007
-- dropped the job and employee indexes until a feature read by them.)
--
-- A wage is paid from `effective_from` until the employee's next one. It
-- is set by hand in Timebridge (`manual`) or imported from a platform that
-- keeps a wage history (`imported`, busybusy); on the same day a wage set
-- by hand wins. Amounts are cents per hour (a weekly, monthly or yearly
-- wage is converted on import).
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
-- on its date. Kept by the triggers below: never written by the app.
ALTER TABLE time_entries ADD COLUMN wage_cents_per_hour INTEGER;

-- Costing reads the time of jobs that counts (not voided, not running):
-- covered, so the whole report is one scan of this index, and a job's own
-- entries are found by it. A wage change re-costs one employee's time by
-- employee and day.
CREATE INDEX time_entries_costing ON time_entries(job_id, task_id, duration_seconds, wage_cents_per_hour)
    WHERE job_id IS NOT NULL AND voided_at IS NULL AND duration_seconds IS NOT NULL;
CREATE INDEX time_entries_employee_date ON time_entries(employee_id, work_date);

-- An entry is costed at its employee's wage on its day.
CREATE TRIGGER time_entries_wage_insert AFTER INSERT ON time_entries
WHEN EXISTS (SELECT 1 FROM employee_wages WHERE employee_id = NEW.employee_id)
BEGIN
    UPDATE time_entries SET wage_cents_per_hour = (
        SELECT w.cents_per_hour FROM employee_wages w
        WHERE w.employee_id = NEW.employee_id AND w.effective_from <= NEW.work_date
        ORDER BY w.effective_from DESC, w.source_kind = 'manual' DESC LIMIT 1
    ) WHERE id = NEW.id;
END;

CREATE TRIGGER time_entries_wage_update AFTER UPDATE OF employee_id, work_date ON time_entries
BEGIN
    UPDATE time_entries SET wage_cents_per_hour = (
        SELECT w.cents_per_hour FROM employee_wages w
        WHERE w.employee_id = NEW.employee_id AND w.effective_from <= NEW.work_date
        ORDER BY w.effective_from DESC, w.source_kind = 'manual' DESC LIMIT 1
    ) WHERE id = NEW.id;
END;

-- A wage added, changed or removed re-costs that employee's entries.
CREATE TRIGGER employee_wages_insert AFTER INSERT ON employee_wages
BEGIN
    UPDATE time_entries SET wage_cents_per_hour = (
        SELECT w.cents_per_hour FROM employee_wages w
        WHERE w.employee_id = time_entries.employee_id AND w.effective_from <= time_entries.work_date
        ORDER BY w.effective_from DESC, w.source_kind = 'manual' DESC LIMIT 1
    ) WHERE employee_id = NEW.employee_id;
END;

CREATE TRIGGER employee_wages_update AFTER UPDATE ON employee_wages
BEGIN
    UPDATE time_entries SET wage_cents_per_hour = (
        SELECT w.cents_per_hour FROM employee_wages w
        WHERE w.employee_id = time_entries.employee_id AND w.effective_from <= time_entries.work_date
        ORDER BY w.effective_from DESC, w.source_kind = 'manual' DESC LIMIT 1
    ) WHERE employee_id IN (OLD.employee_id, NEW.employee_id);
END;

CREATE TRIGGER employee_wages_delete AFTER DELETE ON employee_wages
BEGIN
    UPDATE time_entries SET wage_cents_per_hour = (
        SELECT w.cents_per_hour FROM employee_wages w
        WHERE w.employee_id = time_entries.employee_id AND w.effective_from <= time_entries.work_date
        ORDER BY w.effective_from DESC, w.source_kind = 'manual' DESC LIMIT 1
    ) WHERE employee_id = OLD.employee_id;
END;
