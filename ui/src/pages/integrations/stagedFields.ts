// How a staged record's fields read to an office admin: names and values.

import type { Module } from "../../lib/bindings";
import { formatDate, hoursMinutes } from "../../lib/format";

const FIELD_LABELS: Record<string, string> = {
  first_name: "First name",
  last_name: "Last name",
  employee_number: "Employee number",
  email: "E-mail",
  phone: "Phone",
  hire_date: "Hire date",
  payroll_id: "Payroll ID",
  active: "Active",
  name: "Name",
  customer_external_id: "Customer (id at source)",
  job_external_id: "Job (id at source)",
  task_external_id: "Task (id at source)",
  employee_external_id: "Employee (id at source)",
  pay_item_external_id: "Pay item (id at source)",
  job_number: "Job number",
  code: "Code",
  category: "Category",
  span: "When",
  notes: "Notes",
  budget_seconds: "Budget hours",
  amount_cents: "Budget amount",
};

export function fieldLabel(field: string): string {
  return FIELD_LABELS[field] ?? field.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
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

export function fieldValue(field: string, value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (field === "span" && typeof value === "object") return describeSpan(value as Span);
  if (field === "budget_seconds" && typeof value === "number") return hoursMinutes(value);
  if (field === "amount_cents" && typeof value === "number") return (value / 100).toLocaleString(undefined, { style: "currency", currency: "USD" });
  if (field.endsWith("_date") && typeof value === "string") return formatDate(value);
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** The few fields each module's list shows beside the record's name. */
export function keyFields(module: Module): { key: string; label: string; value: (data: Record<string, unknown>) => string }[] {
  const text = (field: string) => (data: Record<string, unknown>) => fieldValue(field, data[field]);
  switch (module) {
    case "employees":
      return [
        { key: "employee_number", label: "Number", value: text("employee_number") },
        { key: "email", label: "E-mail", value: text("email") },
      ];
    case "jobs":
      return [{ key: "job_number", label: "Job number", value: text("job_number") }];
    case "tasks":
      return [{ key: "code", label: "Code", value: text("code") }];
    case "time_entries":
      return [{ key: "hours", label: "Hours", value: (d) => hoursMinutes(spanSeconds(d.span) ?? 0) }];
    case "budgets":
      return [{ key: "budget", label: "Budget", value: text("budget_seconds") }];
    case "pay_items":
      return [
        { key: "code", label: "Code", value: text("code") },
        { key: "category", label: "Category", value: text("category") },
      ];
    default:
      return [];
  }
}
