-- Crew bonus plans and the bonuses measured by them (see
-- `timebridge_core::bonus`). A plan holds the rules (the crew's share, the
-- split, a cap, what a loss does) and the pay ID its bonuses are paid as.
-- A bonus is one plan on one job (or one task of it): *open* while the job
-- runs and computed live, *approved* with its figures and each worker's
-- amount frozen, *paid* once published with its pay period.
CREATE TABLE bonus_plans (
    id             INTEGER PRIMARY KEY,
    name           TEXT NOT NULL COLLATE NOCASE,
    share_percent  TEXT NOT NULL,
    split          TEXT NOT NULL CHECK (split IN ('by_hours', 'by_wage_hours', 'equal')),
    cap_cents      INTEGER CHECK (cap_cents IS NULL OR cap_cents >= 0),
    loss_policy    TEXT NOT NULL CHECK (loss_policy IN ('carry', 'absorb')),
    pay_id         INTEGER NOT NULL REFERENCES pay_ids(id) ON DELETE RESTRICT,
    active         INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    updated_by     TEXT NOT NULL
);
CREATE UNIQUE INDEX bonus_plans_name ON bonus_plans(name);

CREATE TABLE bonuses (
    id                     INTEGER PRIMARY KEY,
    plan_id                INTEGER NOT NULL REFERENCES bonus_plans(id) ON DELETE RESTRICT,
    job_id                 INTEGER NOT NULL REFERENCES jobs(id) ON DELETE RESTRICT,
    task_id                INTEGER REFERENCES tasks(id) ON DELETE RESTRICT,
    -- The hours it is measured against; NULL: the job's (or task's) budget.
    budget_seconds         INTEGER CHECK (budget_seconds IS NULL OR budget_seconds >= 0),
    state                  TEXT NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'approved', 'paid')),
    -- Frozen at approval: when, by whom, the day it is paid in the period
    -- of, the loss carried in and out, and the whole working (JSON).
    approved_at            TEXT,
    approved_by            TEXT,
    approved_on            TEXT,
    carried_in_loss_cents  INTEGER NOT NULL DEFAULT 0,
    loss_carried_out_cents INTEGER NOT NULL DEFAULT 0,
    figures                TEXT,
    paid_at                TEXT,
    publication_id         INTEGER REFERENCES publications(id) ON DELETE RESTRICT,
    created_at             TEXT NOT NULL,
    updated_by             TEXT NOT NULL,
    CHECK (state = 'open' OR (approved_at IS NOT NULL AND approved_on IS NOT NULL AND figures IS NOT NULL)),
    CHECK (state <> 'paid' OR paid_at IS NOT NULL)
);
CREATE UNIQUE INDEX bonuses_scope ON bonuses(plan_id, job_id, ifnull(task_id, 0));
CREATE INDEX bonuses_approved ON bonuses(plan_id, approved_at) WHERE approved_at IS NOT NULL;

-- Each worker's share of an approved bonus, frozen with it.
CREATE TABLE bonus_lines (
    bonus_id             INTEGER NOT NULL REFERENCES bonuses(id) ON DELETE CASCADE,
    employee_id          INTEGER NOT NULL REFERENCES employees(id) ON DELETE RESTRICT,
    seconds              INTEGER NOT NULL CHECK (seconds >= 0),
    wage_cents_per_hour  INTEGER NOT NULL CHECK (wage_cents_per_hour >= 0),
    amount_cents         INTEGER NOT NULL CHECK (amount_cents >= 0),
    PRIMARY KEY (bonus_id, employee_id)
) WITHOUT ROWID;

