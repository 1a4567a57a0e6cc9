// A small costed company for the Jobs page's tests, and signing in.

import type { CostFigures, CostingReport, JobCosting, JobDetail, Permission } from "../../lib/bindings";
import { session } from "../../lib/session.svelte";

export function figures(over: Partial<CostFigures> = {}): CostFigures {
  return {
    budget_seconds: null, budget_cents: null, actual_seconds: 0, labour_cents: 0, unpriced_seconds: 0, entries: 0,
    used_percent: null, remaining_seconds: null, remaining_cents: null, status: "no_budget", ...over,
  };
}

/** 85 of 100 hours on Main St (at risk), 12.5 h of it by someone with no wage. */
export const mainSt: JobCosting = {
  job_id: 1, job: "Main St Remodel", job_number: "J-2401", customer: "Acme Homes", active: true,
  figures: figures({
    budget_seconds: 360000, budget_cents: 500000, actual_seconds: 306000, labour_cents: 284050, unpriced_seconds: 45000, entries: 12,
    used_percent: "85.0", remaining_seconds: 54000, remaining_cents: 215950, status: "at_risk",
  }),
  tasks: [
    {
      task_id: 7, code: "100", name: "Framing",
      figures: figures({ budget_seconds: 180000, actual_seconds: 198000, labour_cents: 150000, entries: 8, used_percent: "110.0", remaining_seconds: -18000, status: "over" }),
    },
  ],
};

/** 40 of 100 hours on Oak Ave (on track). */
export const oakAve: JobCosting = {
  job_id: 2, job: "Oak Ave Duplex", job_number: "J-2402", customer: "Birch Co", active: true,
  figures: figures({ budget_seconds: 360000, actual_seconds: 144000, labour_cents: 120000, entries: 5, used_percent: "40.0", remaining_seconds: 216000, status: "on_track" }),
  tasks: [],
};

export function report(over: Partial<CostingReport> = {}): CostingReport {
  return { burden_percent: "22.5", jobs: [mainSt, oakAve], at_risk: 1, over: 0, ...over };
}

export function detail(over: Partial<JobDetail> = {}): JobDetail {
  return {
    costing: mainSt,
    burden_percent: "22.5",
    weeks: [
      { week_start: "2026-10-26", seconds: 144000, labour_cents: 130000, cumulative_seconds: 144000 },
      { week_start: "2026-11-02", seconds: 162000, labour_cents: 154050, cumulative_seconds: 306000 },
    ],
    workers: [
      { employee_id: 11, name: "Marcus Bell", seconds: 261000, labour_cents: 284050, unpriced_seconds: 0, entries: 9 },
      { employee_id: 12, name: "Priya Nair", seconds: 45000, labour_cents: 0, unpriced_seconds: 45000, entries: 3 },
    ],
    ...over,
  };
}

export function signIn(permissions: Permission[]) {
  session.info = {
    operator: { id: 1, username: "u", display_name: "U", role_id: 1, role_name: "R", builtin_role: null, active: true, created_at: "", last_sign_in_at: null },
    permissions,
  };
}
