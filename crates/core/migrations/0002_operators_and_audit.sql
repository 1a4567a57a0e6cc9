-- Operators (the people who sign in to Timebridge), their roles, sign-in
-- throttling and the audit log.

-- A built-in role has `builtin` set and cannot be edited or deleted. The
-- Administrator role holds every permission by definition (no rows in
-- role_permissions), so permissions added later reach it without a migration.
CREATE TABLE roles (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL COLLATE NOCASE,
    description  TEXT NOT NULL DEFAULT '',
    builtin      TEXT UNIQUE CHECK (builtin IN ('administrator', 'payroll_manager', 'viewer')),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE UNIQUE INDEX roles_name ON roles(name);

CREATE TABLE role_permissions (
    role_id     INTEGER NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
    permission  TEXT NOT NULL,
    PRIMARY KEY (role_id, permission)
) WITHOUT ROWID;

INSERT INTO roles (name, description, builtin, created_at, updated_at) VALUES
    ('Administrator',   'Everything, including users, roles and integration setup.',      'administrator',   strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    ('Payroll Manager', 'Reviews and imports synced data, runs and publishes payroll.',    'payroll_manager', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now')),
    ('Viewer',          'Can look at integrations and records but change nothing.',        'viewer',          strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));

INSERT INTO role_permissions (role_id, permission)
SELECT id, p.permission FROM roles, (
    SELECT 'view_integrations' AS permission UNION ALL
    SELECT 'integration_actions' UNION ALL
    SELECT 'view_records' UNION ALL
    SELECT 'edit_records' UNION ALL
    SELECT 'manage_payroll' UNION ALL
    SELECT 'publish_payroll'
) AS p WHERE roles.builtin = 'payroll_manager';

INSERT INTO role_permissions (role_id, permission)
SELECT id, p.permission FROM roles, (
    SELECT 'view_integrations' AS permission UNION ALL
    SELECT 'view_records'
) AS p WHERE roles.builtin = 'viewer';

CREATE TABLE operators (
    id                   INTEGER PRIMARY KEY,
    username             TEXT NOT NULL COLLATE NOCASE,
    display_name         TEXT NOT NULL,
    password_hash        TEXT NOT NULL,
    role_id              INTEGER NOT NULL REFERENCES roles(id) ON DELETE RESTRICT,
    active               INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    password_changed_at  TEXT NOT NULL,
    last_sign_in_at      TEXT
);
CREATE UNIQUE INDEX operators_username ON operators(username);

-- Failed sign-ins per (lower-cased) username, known or not, so guessing is
-- slowed down even for names that do not exist.
CREATE TABLE sign_in_throttle (
    username         TEXT PRIMARY KEY COLLATE NOCASE,
    failures         INTEGER NOT NULL,
    last_failure_at  TEXT NOT NULL,
    locked_until     TEXT
) WITHOUT ROWID;

-- Who did what and when. `actor` keeps the name as it was at the time.
CREATE TABLE audit_log (
    id           INTEGER PRIMARY KEY,
    at           TEXT NOT NULL,
    operator_id  INTEGER REFERENCES operators(id) ON DELETE SET NULL,
    actor        TEXT NOT NULL,
    action       TEXT NOT NULL,
    target       TEXT,
    summary      TEXT NOT NULL,
    details      TEXT
);
CREATE INDEX audit_log_at ON audit_log(at DESC, id DESC);
CREATE INDEX audit_log_action ON audit_log(action);
