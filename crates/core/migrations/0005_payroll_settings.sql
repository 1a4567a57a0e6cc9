-- Company-wide settings, one JSON value per key (`payroll`: time zone,
-- week start, pay frequency and anchor, overtime policy).
CREATE TABLE company_settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL
) WITHOUT ROWID;

