// What the Jobs page computes from a costing report: how hours, percentages
// and statuses are said, which jobs a search and status filter keep, how a
// column sorts, the weeks of the hours chart, and a typed wage read as cents.

import type { CostFigures, CostStatus, JobCosting, TaskCosting, WeekHours } from "../../lib/bindings";
import type { Tone } from "../../components/columns";
import { formatShortDate } from "../../lib/format";

const tenths = new Intl.NumberFormat(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** Seconds → "86.9 h" (a negative remainder as "−3.5 h"); "" for none. */
export function hoursText(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "";
  const text = tenths.format(Math.abs(seconds) / 3600);
  return `${seconds < 0 && text !== tenths.format(0) ? "−" : ""}${text} h`;
}

/** "82.5" → "82.5 %", "90" → "90.0 %"; "" when nothing is budgeted. */
export function percentText(used: string | null): string {
  if (used === null) return "";
  const value = Number(used);
  return Number.isFinite(value) ? `${tenths.format(value)} %` : `${used} %`;
}

/** How full a "% used" bar is drawn: 0 to 100. */
export function barWidth(used: string | null): number {
  const value = used === null ? 0 : Number(used);
  return Number.isFinite(value) ? Math.max(0, Math.min(100, value)) : 0;
}

export const STATUS_LABELS: Record<CostStatus, string> = {
  on_track: "On track",
  at_risk: "At risk",
  over: "Over",
  no_budget: "No budget",
};

/** A status's chip colour (always shown beside its words). */
export function statusTone(status: CostStatus): Tone {
  switch (status) {
    case "on_track":
      return "accent";
    case "at_risk":
      return "warning";
    case "over":
      return "danger";
    default:
      return "plain";
  }
}

/** "Labour costed at wages + 22.5 % burden". */
export function burdenText(burden: string): string {
  return Number(burden) === 0 ? "Labour costed at wages, with no burden" : `Labour costed at wages + ${burden} % burden`;
}

/** "12.5 h have no wage: set wages to cost them."; null when every hour is costed. */
export function unpricedText(seconds: number): string | null {
  if (seconds <= 0) return null;
  const hours = hoursText(seconds);
  return `${hours} ${hours === "1.0 h" ? "has" : "have"} no wage: set wages to cost them.`;
}

/** Seconds worked with no wage over every job. */
export function unpricedTotal(jobs: JobCosting[]): number {
  return jobs.reduce((sum, job) => sum + job.figures.unpriced_seconds, 0);
}

/** "J-2401 Main St Remodel", or the name alone. */
export function jobLabel(job: Pick<JobCosting, "job" | "job_number">): string {
  return job.job_number ? `${job.job_number} ${job.job}` : job.job;
}

/** "100 Framing"; "No task" for time on the job with no task. */
export function taskLabel(task: TaskCosting): string {
  if (task.task_id === null) return "No task";
  return [task.code, task.name].filter(Boolean).join(" ") || `Task #${task.task_id}`;
}

export type StatusFilter = CostStatus | "all";

/** The jobs whose job number, name or customer holds every word of `search`, of `status`. */
export function filterJobs(jobs: JobCosting[], search: string, status: StatusFilter): JobCosting[] {
  const words = search.trim().toLowerCase().split(/\s+/).filter(Boolean);
  return jobs.filter((job) => {
    if (status !== "all" && job.figures.status !== status) return false;
    const text = `${job.job_number ?? ""} ${job.job} ${job.customer ?? ""}`.toLowerCase();
    return words.every((word) => text.includes(word));
  });
}

export type JobSort = "job" | "customer" | "budget_hours" | "actual_hours" | "used" | "budget_cost" | "labour" | "remaining" | "status";

/** Worst first when sorted descending. */
const STATUS_ORDER: Record<CostStatus, number> = { no_budget: 0, on_track: 1, at_risk: 2, over: 3 };

type Key = string | number | null;

function sortKey(job: JobCosting, sort: JobSort): Key {
  const f: CostFigures = job.figures;
  switch (sort) {
    case "job":
      return (job.job_number ?? job.job).toLowerCase();
    case "customer":
      return (job.customer ?? "").toLowerCase();
    case "budget_hours":
      return f.budget_seconds;
    case "actual_hours":
      return f.actual_seconds;
    case "used":
      return f.used_percent === null ? null : Number(f.used_percent);
    case "budget_cost":
      return f.budget_cents;
    case "labour":
      return f.labour_cents;
    case "remaining":
      return f.remaining_seconds;
    case "status":
      return STATUS_ORDER[f.status];
  }
}

function compare(a: Key, b: Key): number {
  if (typeof a === "number" && typeof b === "number") return a - b;
  return String(a).localeCompare(String(b), undefined, { numeric: true });
}

/**
 * The jobs in a column's order; ties by customer then job, as the report
 * comes. Jobs with nothing in the column (no budget) go last either way.
 */
export function sortJobs(jobs: JobCosting[], sort: JobSort, descending: boolean): JobCosting[] {
  const order = new Map(jobs.map((job, index) => [job.job_id, index]));
  return [...jobs].sort((a, b) => {
    const ka = sortKey(a, sort);
    const kb = sortKey(b, sort);
    if (ka === null || kb === null) {
      if (ka !== kb) return ka === null ? 1 : -1;
    } else {
      const c = compare(ka, kb);
      if (c !== 0) return descending ? -c : c;
    }
    return (order.get(a.job_id) ?? 0) - (order.get(b.job_id) ?? 0);
  });
}

function addDays(day: string, days: number): string {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + days)).toISOString().slice(0, 10);
}

/** At most this many weeks are filled in between the first and the last. */
const MAX_WEEKS = 520;

/**
 * Every week from the first worked to the last, the ones nobody worked
 * as zero (the report lists only worked weeks), so the chart's bars sit
 * on a true timeline.
 */
export function fillWeeks(weeks: WeekHours[]): WeekHours[] {
  const out: WeekHours[] = [];
  for (const week of weeks) {
    const last = out[out.length - 1];
    if (last) {
      let next = addDays(last.week_start, 7);
      while (next < week.week_start && out.length < MAX_WEEKS) {
        out.push({ week_start: next, seconds: 0, labour_cents: 0, cumulative_seconds: last.cumulative_seconds });
        next = addDays(next, 7);
      }
    }
    out.push(week);
  }
  return out;
}

/**
 * The hours marked up a chart's side, in seconds: 0 and round steps (1,
 * 2 or 5 × a power of ten hours) up to the first at or past `seconds`.
 */
export function hourTicks(seconds: number): number[] {
  const hours = Math.max(1, seconds / 3600);
  const rough = hours / 4;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= rough) ?? 10 * power;
  const top = Math.ceil(hours / step) * step;
  const ticks: number[] = [];
  for (let h = 0; h <= top + step / 2; h += step) ticks.push(Math.round(h * 3600));
  return ticks;
}

/** "Nov 2" (the year left off, as on a chart's axis). */
export function weekLabel(weekStart: string): string {
  return formatShortDate(weekStart).replace(/, \d{4}$/, "");
}

/** The words a screen reader is given for the hours chart. */
export function chartSummary(weeks: WeekHours[], budgetSeconds: number | null): string {
  if (weeks.length === 0) return "No hours worked yet.";
  const first = weeks[0]!;
  const last = weeks[weeks.length - 1]!;
  const busiest = weeks.reduce((top, week) => (week.seconds > top.seconds ? week : top), first);
  const span = weeks.length === 1 ? `One week, from ${formatShortDate(first.week_start)}` : `${weeks.length} weeks, from ${formatShortDate(first.week_start)} to the week of ${formatShortDate(last.week_start)}`;
  const budget = budgetSeconds === null ? "with no hours budgeted" : `against a budget of ${hoursText(budgetSeconds)}`;
  return `${span}: ${hoursText(last.cumulative_seconds)} in all, ${budget}. The most in a week: ${hoursText(busiest.seconds)}, the week of ${formatShortDate(busiest.week_start)}.`;
}

/**
 * A wage typed in dollars ("23.50", "$23.50", "1,200") as cents; null
 * when it is not an amount of at most two decimals.
 */
export function parseDollars(text: string): number | null {
  const value = text.trim().replace(/^\$/, "").replace(/,/g, "").trim();
  const match = /^(\d+)(?:\.(\d{1,2}))?$/.exec(value);
  if (!match) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0"));
}

/** Cents an hour → "$23.50/h". */
export function wageText(centsPerHour: number): string {
  return `${new Intl.NumberFormat(undefined, { style: "currency", currency: "USD" }).format(centsPerHour / 100)}/h`;
}
