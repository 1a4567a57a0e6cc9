// What the payroll page computes from a review: the employee × pay ID grid,
// the chart's bars, each problem's fix, and the words for the overtime rules.

import type { Basis, CsvColumn, HoursReport, MatchBasis, MatchKind, PayCategory, PayPeriod, Problem, Publication, PublicationOutcome, PublishedLine, SageColumn, Target, TargetItem, TargetProfile, UnimportedStaged } from "../../lib/bindings";
import { decimalHours, dollars, formatDate, formatShortDate, nextDay } from "../../lib/format";

export interface GridRow {
  employeeId: number;
  name: string;
  number: string | null;
  /** Seconds per pay ID. */
  cells: Record<number, number>;
  total: number;
}

/** One row per employee with their seconds per pay ID, in the report's order. */
export function gridRows(report: HoursReport): GridRow[] {
  return report.employees.map((employee) => ({
    employeeId: employee.employee_id,
    name: employee.name,
    number: employee.employee_number,
    cells: Object.fromEntries(employee.hours.totals.map((t) => [t.pay_id, t.seconds])),
    total: employee.hours.total_seconds,
  }));
}

/** Seconds per pay ID over everyone, for the grid's Total row. */
export function gridTotals(report: HoursReport): Record<number, number> {
  return Object.fromEntries(report.totals.map((t) => [t.pay_id, t.seconds]));
}

/** The hours-per-day chart's bars: every day of the period. */
export function dayBars(report: HoursReport): { key: string; label: string; value: number; title: string }[] {
  return report.days.map((day) => ({
    key: day.date,
    label: formatShortDate(day.date).replace(/, \d{4}$/, ""),
    value: day.seconds,
    title: `${formatDate(day.date)}: ${decimalHours(day.seconds)} h`,
  }));
}

/** The period before or after `period`, as a day inside it. */
export function neighbourDay(period: PayPeriod, direction: -1 | 1): string {
  if (direction === 1) return nextDay(period.end);
  const [y, m, d] = period.start.split("-").map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) - 1)).toISOString().slice(0, 10);
}

/** "Oct 26 – Nov 8, 2026". */
export function periodLabel(period: PayPeriod): string {
  const start = formatShortDate(period.start);
  const end = formatShortDate(period.end);
  const year = period.end.slice(0, 4);
  return period.start.slice(0, 4) === year ? `${start.replace(`, ${year}`, "")} – ${end}` : `${start} – ${end}`;
}

/** What fixes a problem: the mapping dialog, the match dialog, or a Records page. */
export type Fix =
  | { kind: "map"; payId: number }
  | { kind: "match"; matchKind: MatchKind; localId: number }
  | { kind: "records"; page: "employees" | "jobs" | "tasks"; label: string }
  | { kind: "bonuses"; label: string };

export function fixFor(problem: Problem): Fix | null {
  switch (problem.kind) {
    case "pay_id_not_mapped":
      return problem.pay_id === null ? null : { kind: "map", payId: problem.pay_id };
    case "employee_not_matched":
      return problem.employee_id === null ? null : { kind: "match", matchKind: "employee", localId: problem.employee_id };
    case "job_not_matched":
      return problem.job_id === null ? null : { kind: "match", matchKind: "job", localId: problem.job_id };
    case "task_not_matched":
      return problem.task_id === null ? null : { kind: "match", matchKind: "task", localId: problem.task_id };
    case "employee_number_missing":
      return { kind: "records", page: "employees", label: "Open Employees" };
    case "job_number_missing":
      return { kind: "records", page: "jobs", label: "Open Jobs" };
    case "name_too_long":
      if (problem.employee_id !== null) return { kind: "records", page: "employees", label: "Open Employees" };
      if (problem.task_id !== null) return { kind: "records", page: "tasks", label: "Open Tasks" };
      return { kind: "records", page: "jobs", label: "Open Jobs" };
    case "amount_not_taken":
      return { kind: "bonuses", label: "Open Bonuses" };
    case "amount_column_missing":
      return null;
  }
}

export const BASIS_LABELS: Record<Basis, string> = {
  regular: "Regular time",
  daily_overtime: "Over the daily overtime threshold",
  daily_double_time: "Over the daily double-time threshold",
  weekly_overtime: "Over the weekly overtime threshold",
  seventh_day_overtime: "Seventh consecutive day, first 8 h",
  seventh_day_double_time: "Seventh consecutive day, after 8 h",
  as_entered: "Pay ID set on the entry or its task",
};

export const MATCH_LABELS: Record<MatchBasis, string> = {
  imported_from_target: "Imported from there",
  confirmed: "Confirmed",
  same_number: "Suggested: same number",
  same_name: "Suggested: same name",
  none: "Not matched",
};

export const OUTCOME_LABELS: Record<PublicationOutcome, string> = {
  sending: "Interrupted",
  sent: "Sent",
  partly_sent: "Partly sent",
  failed: "Failed",
};

/** Where a publication stands, in words: a QuickBooks Desktop one waits
 *  for the Web Connector (never handed over), then fills in batch by batch. */
export function publicationState(p: Publication): string {
  if (p.outcome !== "sending") return OUTCOME_LABELS[p.outcome];
  if (!p.through_web_connector) return OUTCOME_LABELS.sending;
  if (p.attempts === 0) return "Waiting for the Web Connector";
  const answered = answeredLines(p);
  return answered > 0
    ? `Sending: ${answered} of ${p.lines} lines answered`
    : "Waiting for the Web Connector's next update (the last one stopped before QuickBooks answered)";
}

/** Lines answered so far (accepted or refused). */
export function answeredLines(p: Publication): number {
  return p.accepted_lines + p.rejected_lines;
}

/** Whether a fresher copy of a publication shows progress the page has
 *  not shown yet. */
export function progressed(shown: Publication, fresh: Publication): boolean {
  return fresh.outcome !== shown.outcome || fresh.attempts !== shown.attempts || answeredLines(fresh) !== answeredLines(shown);
}

/** A line's answer: accepted with the target's id and version (QuickBooks'
 *  TxnID and EditSequence), refused with why, or not answered yet. */
export function lineAnswer(l: PublishedLine): string {
  if (l.accepted === false) return `Refused: ${l.message ?? ""}`;
  if (l.accepted !== true) return "Not answered yet";
  const ids = [l.remote_id && `TxnID ${l.remote_id}`, l.edit_sequence && `EditSequence ${l.edit_sequence}`].filter(Boolean);
  return ids.length > 0 ? `Accepted · ${ids.join(" · ")}` : "Accepted";
}

/** A target's key for a <select>, and back. */
export function targetKey(target: Target): string {
  return target.kind === "integration" ? `integration:${target.id}` : `file:${target.format}`;
}

export function findTarget(targets: TargetProfile[], key: string | null): TargetProfile | null {
  return targets.find((t) => targetKey(t.target) === key) ?? null;
}

/** Signed decimal hours, "+1.50" / "-1.00", for differences. */
export function signedHours(seconds: number): string {
  const text = decimalHours(Math.abs(seconds));
  return seconds < 0 ? `−${text}` : `+${text}`;
}

/** Cents as a signed amount: `+$52.50`, `−$12.00`. */
export function signedDollars(cents: number): string {
  const text = dollars(Math.abs(cents));
  return cents < 0 ? `−${text}` : `+${text}`;
}

/** A line's quantity: hours, or a bonus line's amount. */
export function lineQuantity(line: { bonus_id: number | null; seconds: number; cents: number }, signed = false): string {
  if (line.bonus_id !== null) return signed ? signedDollars(line.cents) : dollars(line.cents);
  return signed ? signedHours(line.seconds) : decimalHours(line.seconds);
}

/** Whole seconds → hours for a number input, blank for none. */
export function hoursField(seconds: number | null): string {
  return seconds === null ? "" : String(Math.round((seconds / 3600) * 100) / 100);
}

/** An hours field → seconds; null when blank, NaN when not a number. */
export function fieldSeconds(text: string): number | null {
  const value = text.trim();
  if (!value) return null;
  const hours = Number(value);
  return Number.isFinite(hours) ? Math.round(hours * 3600) : Number.NaN;
}

const ITEM_HINTS: Record<PayCategory, RegExp> = {
  regular: /\b(regular|hourly rate|hourly wage|straight)\b/i,
  overtime: /\bover ?time\b/i,
  double_time: /\bdouble\b/i,
  pto: /\b(vacation|pto|paid time off)\b/i,
  sick: /\bsick\b/i,
  holiday: /\bholiday\b/i,
  other: /$^/,
};

/** The target item a pay ID most likely is, by its kind of pay; null when unsure. */
export function suggestItem(category: PayCategory, items: TargetItem[]): TargetItem | null {
  const hint = ITEM_HINTS[category];
  const found = items.filter((item) => item.active && hint.test(item.name));
  if (category === "regular") {
    // "Hourly Rate" but not "Overtime Rate" or "Vacation Hourly".
    const plain = found.filter((item) => !/over ?time|double|vacation|sick|holiday/i.test(item.name));
    return plain.length === 1 ? (plain[0] ?? null) : null;
  }
  return found.length === 1 ? (found[0] ?? null) : null;
}

export const CSV_LABELS: Record<CsvColumn, string> = {
  employee: "Employee",
  employee_number: "Employee number",
  date: "Date",
  customer: "Customer",
  job: "Job",
  job_number: "Job number",
  task: "Task",
  task_code: "Task code",
  pay_id: "Pay ID",
  amount: "Amount (bonuses)",
  pay_item: "Pay item",
  hours: "Hours",
};

export const SAGE_LABELS: Record<SageColumn["column"], string> = {
  date: "Date",
  period_end: "Period end date",
  employee: "Employee (number)",
  job: "Job (number)",
  extra: "Extra",
  cost_code: "Cost code",
  category: "Category",
  pay_id: "Pay ID",
  units: "Units (hours)",
  rate: "Rate",
  amount: "Amount",
  blank: "Blank column",
  fixed: "Fixed text",
};

/** A stable key for a Time Entry View column (fixed texts may repeat). */
export function sageKey(column: SageColumn, index: number): string {
  return `${index}:${column.column}`;
}

/** `list` with item `index` moved one place up (-1) or down (1). */
export function moved<T>(list: T[], index: number, direction: -1 | 1): T[] {
  const to = index + direction;
  if (to < 0 || to >= list.length) return list;
  const out = [...list];
  const [item] = out.splice(index, 1);
  out.splice(to, 0, item as T);
  return out;
}

/** "1 staged time entry (8.00 h)" / "12 staged time entries (96.50 h)". */
export function leftOutCount(left: UnimportedStaged): string {
  return `${left.count.toLocaleString()} staged time ${left.count === 1 ? "entry" : "entries"} (${decimalHours(left.seconds)} h)`;
}

/** How the payroll differs for entries changed at the source since import; null when none were. */
export function updatedNote(left: UnimportedStaged): string | null {
  const u = left.updated;
  if (u.count === 0) return null;
  const one = u.count === 1;
  const who = left.count === 1 ? "It" : `${u.count} of them`;
  return `${who} changed at the source since ${one ? "it was" : "they were"} imported: this payroll counts ${one ? "its imported copy" : "their imported copies"} (${decimalHours(u.imported_seconds)} h), not the newer ${one ? "version" : "versions"} (${decimalHours(u.seconds)} h).`;
}

/** The staged time entries of an integration that a period's payroll leaves out, as a link. */
export function leftOutHref(integrationId: number, period: PayPeriod): string {
  return `#/integrations/${integrationId}/time_entries/left-out/${period.start}/${period.end}`;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The period of a `…/time_entries/left-out/START/END` route (its rest after the module); null otherwise. */
export function leftOutPeriod(rest: string[]): PayPeriod | null {
  const [kind, start, end] = rest;
  if (kind !== "left-out" || !start || !end || !ISO_DATE.test(start) || !ISO_DATE.test(end) || start > end) return null;
  return { start, end };
}

/** "Rosa Diaz, Sam Lee and 3 others": whose time is left out. */
export function leftOutWhom(left: UnimportedStaged, atMost = 3): string {
  const names = left.employees.slice(0, atMost).map((e) => e.name);
  const others = left.employees.length - names.length;
  if (others > 0) names.push(`${others} ${others === 1 ? "other" : "others"}`);
  if (names.length <= 1) return names[0] ?? "";
  return `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}
