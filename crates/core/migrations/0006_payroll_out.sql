-- Payroll out: a task's pay ID, pay item mapping per publish target, the
-- matching of local records to a target's records, and publications.

-- A task (cost code) may name the pay ID its time is paid as (e.g. a
-- "Holiday" or "Shop training" code); an entry's own pay ID wins.
ALTER TABLE tasks ADD COLUMN pay_id INTEGER REFERENCES pay_ids(id) ON DELETE RESTRICT;

-- Each local pay ID's payroll item at a target, remembered per target.
-- `target` is 'integration:<id>' or 'file:<format>' (csv, iif, sage300_cre).
-- `employee_id` 0 is the company-wide mapping; any other is that
-- employee's override. `item_external_id` is set when the item was picked
-- from the target's list (absent when typed).
CREATE TABLE pay_item_maps (
    target            TEXT NOT NULL,
    pay_id            INTEGER NOT NULL REFERENCES pay_ids(id) ON DELETE CASCADE,
    employee_id       INTEGER NOT NULL DEFAULT 0,
    item              TEXT NOT NULL,
    item_external_id  TEXT,
    updated_at        TEXT NOT NULL,
    updated_by        TEXT NOT NULL,
    PRIMARY KEY (target, pay_id, employee_id)
) WITHOUT ROWID;

-- Which of a publish target's records a local employee, job or task is,
-- for a target that is not where the record was imported from. Confirmed
-- by an admin, then remembered.
CREATE TABLE target_matches (
    integration_id  INTEGER NOT NULL REFERENCES integrations(id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('employee', 'job', 'task')),
    local_id        INTEGER NOT NULL,
    external_id     TEXT NOT NULL,
    confirmed_at    TEXT NOT NULL,
    confirmed_by    TEXT NOT NULL,
    PRIMARY KEY (integration_id, kind, local_id)
) WITHOUT ROWID;

CREATE TRIGGER integrations_drop_pay_item_maps AFTER DELETE ON integrations BEGIN
    DELETE FROM pay_item_maps WHERE target = 'integration:' || old.id;
END;

-- One publish of a pay period's hours to a target: who, when, and how it
-- went. Kept when the integration is disconnected (`integration_id` NULL,
-- `target_name` says what it was).
CREATE TABLE publications (
    id              INTEGER PRIMARY KEY,
    target          TEXT NOT NULL,
    integration_id  INTEGER REFERENCES integrations(id) ON DELETE SET NULL,
    target_name     TEXT NOT NULL,
    period_start    TEXT NOT NULL,
    period_end      TEXT NOT NULL,
    kind            TEXT NOT NULL CHECK (kind IN ('original', 'correction')),
    operator        TEXT NOT NULL,
    started_at      TEXT NOT NULL,
    finished_at     TEXT,
    outcome         TEXT NOT NULL CHECK (outcome IN ('sending', 'sent', 'partly_sent', 'failed')),
    message         TEXT
);
CREATE INDEX publications_period ON publications(period_start, target, id);

-- Every line of a publication: the hours sent (a correction's lines are
-- the differences, so they may be negative), what they were sent as, and
-- the target's answer. `line_key` is the same for every publication's line
-- of one (employee, day, job, task, pay ID); `request_id` is the line's
-- idempotency key, so a resend after a crash is recognised by the target.
CREATE TABLE publication_lines (
    publication_id  INTEGER NOT NULL REFERENCES publications(id) ON DELETE CASCADE,
    line_no         INTEGER NOT NULL,
    line_key        TEXT NOT NULL,
    request_id      TEXT NOT NULL,
    employee_id     INTEGER NOT NULL,
    work_date       TEXT NOT NULL,
    job_id          INTEGER,
    task_id         INTEGER,
    pay_id          INTEGER NOT NULL,
    seconds         INTEGER NOT NULL,
    employee_name   TEXT NOT NULL,
    job_label       TEXT,
    task_label      TEXT,
    employee_ref    TEXT,
    job_ref         TEXT,
    task_ref        TEXT,
    item            TEXT NOT NULL,
    result          TEXT NOT NULL CHECK (result IN ('pending', 'accepted', 'rejected')),
    remote_id       TEXT,
    message         TEXT,
    PRIMARY KEY (publication_id, line_no)
) WITHOUT ROWID;
