-- The company's own records: what imports fill and payroll reads.
--
-- Every record carries its source: `source_kind` is 'manual' (created by an
-- operator) or 'imported' (from `source_integration_id`, where the record's id
-- is `source_external_id`). The pair (integration, external id) is unique, so
-- the same external record can never be imported twice.
-- Timestamps are RFC 3339 UTC text with milliseconds ("2026-11-22T14:03:07.125Z"),
-- so text order is time order.

CREATE TABLE integrations (
    id          INTEGER PRIMARY KEY,
    platform    TEXT NOT NULL,
    name        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE employees (
    id                     INTEGER PRIMARY KEY,
    employee_number        TEXT COLLATE NOCASE,
    first_name             TEXT NOT NULL,
    last_name              TEXT NOT NULL,
    email                  TEXT COLLATE NOCASE,
    phone                  TEXT,
    hire_date              TEXT,
    active                 INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    source_kind            TEXT NOT NULL DEFAULT 'manual' CHECK (source_kind IN ('manual', 'imported')),
    source_integration_id  INTEGER REFERENCES integrations(id) ON DELETE SET NULL,
    source_external_id     TEXT,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    updated_by             TEXT NOT NULL
);
CREATE UNIQUE INDEX employees_number ON employees(employee_number) WHERE employee_number IS NOT NULL;
CREATE UNIQUE INDEX employees_source ON employees(source_integration_id, source_external_id) WHERE source_external_id IS NOT NULL;
CREATE INDEX employees_name ON employees(last_name, first_name);

CREATE TABLE customers (
    id                     INTEGER PRIMARY KEY,
    name                   TEXT NOT NULL COLLATE NOCASE,
    email                  TEXT COLLATE NOCASE,
    phone                  TEXT,
    active                 INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    source_kind            TEXT NOT NULL DEFAULT 'manual' CHECK (source_kind IN ('manual', 'imported')),
    source_integration_id  INTEGER REFERENCES integrations(id) ON DELETE SET NULL,
    source_external_id     TEXT,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    updated_by             TEXT NOT NULL
);
CREATE UNIQUE INDEX customers_name ON customers(name);
CREATE UNIQUE INDEX customers_source ON customers(source_integration_id, source_external_id) WHERE source_external_id IS NOT NULL;

-- Jobs are job sites; a job may belong to a customer.
CREATE TABLE jobs (
    id                     INTEGER PRIMARY KEY,
    customer_id            INTEGER REFERENCES customers(id) ON DELETE RESTRICT,
    name                   TEXT NOT NULL COLLATE NOCASE,
    job_number             TEXT COLLATE NOCASE,
    address                TEXT,
    active                 INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    source_kind            TEXT NOT NULL DEFAULT 'manual' CHECK (source_kind IN ('manual', 'imported')),
    source_integration_id  INTEGER REFERENCES integrations(id) ON DELETE SET NULL,
    source_external_id     TEXT,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    updated_by             TEXT NOT NULL
);
CREATE UNIQUE INDEX jobs_customer_name ON jobs(ifnull(customer_id, 0), name);
CREATE UNIQUE INDEX jobs_number ON jobs(job_number) WHERE job_number IS NOT NULL;
CREATE UNIQUE INDEX jobs_source ON jobs(source_integration_id, source_external_id) WHERE source_external_id IS NOT NULL;
CREATE INDEX jobs_customer ON jobs(customer_id);

-- Tasks are cost codes: company-wide (job_id NULL) or specific to one job.
CREATE TABLE tasks (
    id                     INTEGER PRIMARY KEY,
    job_id                 INTEGER REFERENCES jobs(id) ON DELETE RESTRICT,
    code                   TEXT NOT NULL COLLATE NOCASE,
    name                   TEXT NOT NULL,
    active                 INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    source_kind            TEXT NOT NULL DEFAULT 'manual' CHECK (source_kind IN ('manual', 'imported')),
    source_integration_id  INTEGER REFERENCES integrations(id) ON DELETE SET NULL,
    source_external_id     TEXT,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    updated_by             TEXT NOT NULL
);
CREATE UNIQUE INDEX tasks_job_code ON tasks(ifnull(job_id, 0), code);
CREATE UNIQUE INDEX tasks_source ON tasks(source_integration_id, source_external_id) WHERE source_external_id IS NOT NULL;
CREATE INDEX tasks_job ON tasks(job_id);

-- Pay IDs: the company's kinds of paid time. The six built-in ones are
-- preloaded below and cannot be renamed or removed.
CREATE TABLE pay_ids (
    id                     INTEGER PRIMARY KEY,
    code                   TEXT NOT NULL COLLATE NOCASE,
    name                   TEXT NOT NULL,
    category               TEXT NOT NULL CHECK (category IN ('regular', 'overtime', 'double_time', 'pto', 'sick', 'holiday', 'other')),
    multiplier             REAL NOT NULL DEFAULT 1.0 CHECK (multiplier >= 0),
    builtin                INTEGER NOT NULL DEFAULT 0 CHECK (builtin IN (0, 1)),
    active                 INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    source_kind            TEXT NOT NULL DEFAULT 'manual' CHECK (source_kind IN ('manual', 'imported')),
    source_integration_id  INTEGER REFERENCES integrations(id) ON DELETE SET NULL,
    source_external_id     TEXT,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    updated_by             TEXT NOT NULL
);
CREATE UNIQUE INDEX pay_ids_code ON pay_ids(code);
CREATE UNIQUE INDEX pay_ids_source ON pay_ids(source_integration_id, source_external_id) WHERE source_external_id IS NOT NULL;

INSERT INTO pay_ids (code, name, category, multiplier, builtin, created_at, updated_at, updated_by) VALUES
    ('REG',  'Regular',       'regular',     1.0, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'system'),
    ('OT',   'Overtime',      'overtime',    1.5, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'system'),
    ('DT',   'Double time',   'double_time', 2.0, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'system'),
    ('PTO',  'Paid time off', 'pto',         1.0, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'system'),
    ('SICK', 'Sick',          'sick',        1.0, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'system'),
    ('HOL',  'Holiday',       'holiday',     1.0, 1, strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), 'system');

-- Time entries are either clocked (an instant stored as UTC seconds plus the
-- UTC offset it was recorded in) or manual (a work date and a duration).
-- `work_date` is the local date the entry counts on. An entry with no end is
-- still running. Voided entries are kept, never deleted, and leave payroll.
CREATE TABLE time_entries (
    id                     INTEGER PRIMARY KEY,
    employee_id            INTEGER NOT NULL REFERENCES employees(id) ON DELETE RESTRICT,
    job_id                 INTEGER REFERENCES jobs(id) ON DELETE RESTRICT,
    task_id                INTEGER REFERENCES tasks(id) ON DELETE RESTRICT,
    pay_id                 INTEGER REFERENCES pay_ids(id) ON DELETE RESTRICT,
    kind                   TEXT NOT NULL CHECK (kind IN ('clock', 'manual')),
    start_utc              INTEGER,
    start_offset           INTEGER,
    end_utc                INTEGER,
    end_offset             INTEGER,
    work_date              TEXT NOT NULL,
    duration_seconds       INTEGER CHECK (duration_seconds IS NULL OR duration_seconds >= 0),
    notes                  TEXT NOT NULL DEFAULT '',
    voided_at              TEXT,
    source_kind            TEXT NOT NULL DEFAULT 'manual' CHECK (source_kind IN ('manual', 'imported')),
    source_integration_id  INTEGER REFERENCES integrations(id) ON DELETE SET NULL,
    source_external_id     TEXT,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    updated_by             TEXT NOT NULL,
    CHECK (kind <> 'clock' OR (start_utc IS NOT NULL AND start_offset IS NOT NULL)),
    CHECK (kind <> 'manual' OR (start_utc IS NULL AND end_utc IS NULL AND duration_seconds IS NOT NULL)),
    CHECK (end_utc IS NULL OR (end_offset IS NOT NULL AND end_utc >= start_utc))
);
CREATE INDEX time_entries_date ON time_entries(work_date, id);
CREATE INDEX time_entries_employee_date ON time_entries(employee_id, work_date);
CREATE INDEX time_entries_job ON time_entries(job_id);
CREATE INDEX time_entries_task ON time_entries(task_id);
CREATE UNIQUE INDEX time_entries_source ON time_entries(source_integration_id, source_external_id) WHERE source_external_id IS NOT NULL;

-- Budgets: hours and/or money planned for a job, or for one task of a job.
CREATE TABLE budgets (
    id                     INTEGER PRIMARY KEY,
    job_id                 INTEGER NOT NULL REFERENCES jobs(id) ON DELETE RESTRICT,
    task_id                INTEGER REFERENCES tasks(id) ON DELETE RESTRICT,
    budget_seconds         INTEGER CHECK (budget_seconds IS NULL OR budget_seconds >= 0),
    amount_cents           INTEGER CHECK (amount_cents IS NULL OR amount_cents >= 0),
    notes                  TEXT NOT NULL DEFAULT '',
    active                 INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    source_kind            TEXT NOT NULL DEFAULT 'manual' CHECK (source_kind IN ('manual', 'imported')),
    source_integration_id  INTEGER REFERENCES integrations(id) ON DELETE SET NULL,
    source_external_id     TEXT,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    updated_by             TEXT NOT NULL,
    CHECK (budget_seconds IS NOT NULL OR amount_cents IS NOT NULL)
);
CREATE UNIQUE INDEX budgets_job_task ON budgets(job_id, ifnull(task_id, 0));
CREATE UNIQUE INDEX budgets_source ON budgets(source_integration_id, source_external_id) WHERE source_external_id IS NOT NULL;
