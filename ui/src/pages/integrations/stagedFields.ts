// How a staged record's fields read to an office admin: names and values.

import type {
  Module,
  StagedBudget,
  StagedCustomer,
  StagedEmployee,
  StagedJob,
  StagedPayItem,
  StagedTask,
  StagedTimeEntry,
  StagedWage,
} from "../../lib/bindings";
import { formatDate, hoursMinutes } from "../../lib/format";

/** Each module's staged payload, as the Rust types declare it (a module
 * missing here fails the indexing below). */
export interface StagedData {
  employees: StagedEmployee;
  customers: StagedCustomer;
  jobs: StagedJob;
  tasks: StagedTask;
  time_entries: StagedTimeEntry;
  budgets: StagedBudget;
  pay_items: StagedPayItem;
}

/** Every field any module's payload has. */
export type StagedField = { [M in Module]: keyof StagedData[M] }[Module];

/** A label for every payload field: a field added, renamed or removed in
 * Rust fails the type check here until its label follows. */
const FIELD_LABELS: Record<StagedField, string> = {
  first_name: "First name",
  last_name: "Last name",
  employee_number: "Employee number",
  email: "E-mail",
  phone: "Phone",
  hire_date: "Hire date",
  payroll_id: "Payroll ID",
  active: "Active",
  wages: "Wages",
  name: "Name",
  customer_external_id: "Customer (id at source)",
  job_external_id: "Job (id at source)",
  task_external_id: "Task (id at source)",
  employee_external_id: "Employee (id at source)",
  pay_item_external_id: "Pay item (id at source)",
  job_number: "Job number",
  address: "Address",
  property: "Property",
  status: "Status",
  code: "Code",
  category: "Category",
  multiplier: "Multiplier",
  span: "When",
  notes: "Notes",
  budget_seconds: "Budget hours",
  amount_cents: "Budget amount",
};

export function fieldLabel(field: string): string {
  const labels: Partial<Record<string, string>> = FIELD_LABELS;
  return labels[field] ?? field.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}

interface Span {
  kind: "clock" | "manual";
  start?: string;
  end?: string | null;
  date?: string;
  duration_seconds?: number;
}

/** The length of a time entry's span, in seconds. */
export function spanSeconds(span: unknown): number | null {
  const s = span as Span | null;
  if (!s || typeof s !== "object") return null;
  if (s.kind === "manual") return s.duration_seconds ?? null;
  if (s.start && s.end) return Math.round((Date.parse(s.end) - Date.parse(s.start)) / 1000);
  return null;
}

function describeSpan(span: Span): string {
  if (span.kind === "manual") return `${formatDate(span.date)}, ${hoursMinutes(span.duration_seconds ?? 0)} entered by hand`;
  const clock = (iso: string | null | undefined) => (iso ? iso.slice(11, 16) : "running");
  return `${formatDate(span.start?.slice(0, 10))}, ${clock(span.start)}–${clock(span.end)} (${hoursMinutes(spanSeconds(span) ?? 0)})`;
}

const PER: Record<StagedWage["per"], string> = { hour: "an hour", week: "a week", month: "a month", year: "a year" };

/** A wage history as it reads: “22.00 an hour from Mar 1, 2025; 24.50 an hour from Mar 1, 2026”. */
function describeWages(wages: StagedWage[]): string {
  return wages.map((w) => `${w.amount} ${PER[w.per]} from ${formatDate(w.from)}`).join("; ");
}

export function fieldValue(field: string, value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (field === "wages" && Array.isArray(value)) return value.length ? describeWages(value as StagedWage[]) : "—";
  if (field === "span" && typeof value === "object") return describeSpan(value as Span);
  if (field === "budget_seconds" && typeof value === "number") return hoursMinutes(value);
  if (field === "amount_cents" && typeof value === "number") return (value / 100).toLocaleString(undefined, { style: "currency", currency: "USD" });
  if (field.endsWith("_date") && typeof value === "string") return formatDate(value);
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** A column a module's list shows beside the record's name. */
export interface KeyField<T> {
  key: string;
  label: string;
  value: (data: T) => string;
}

/** A key field showing the payload's `field` as it reads. */
function shown<T>(field: keyof T & string, label: string, key: string = field): KeyField<T> {
  return { key, label, value: (data) => fieldValue(field, data[field]) };
}

const KEY_FIELDS: { [M in Module]: KeyField<StagedData[M]>[] } = {
  employees: [shown("employee_number", "Number"), shown("email", "E-mail")],
  customers: [],
  jobs: [shown("job_number", "Job number")],
  tasks: [shown("code", "Code")],
  time_entries: [{ key: "hours", label: "Hours", value: (d) => hoursMinutes(spanSeconds(d.span) ?? 0) }],
  budgets: [shown("budget_seconds", "Budget", "budget")],
  pay_items: [shown("code", "Code"), shown("category", "Category")],
};

/** The few fields each module's list shows beside the record's name. */
export function keyFields<M extends Module>(module: M): KeyField<StagedData[M]>[] {
  return KEY_FIELDS[module];
}
