// What the Records page knows about each kind of record: its columns, its
// form, and the commands that list and change it.

import type { Column } from "../../components/columns";
import {
  createBudget, createCustomer, createEmployee, createJob, createPayId, createTask, createTimeEntry,
  listBudgets, listCustomers, listEmployees, listJobs, listPayIds, listTasks, listTimeEntries,
  setBudgetActive, setCustomerActive, setEmployeeActive, setJobActive, setPayIdActive, setTaskActive,
  setTimeEntryActive, updateBudget, updateCustomer, updateEmployee, updateJob, updatePayId, updateTask,
  updateTimeEntry,
  type Budget, type BudgetDraft, type BudgetSort, type CommandName, type Customer, type CustomerDraft,
  type CustomerSort, type Employee, type EmployeeDraft, type EmployeeSort, type Job, type JobDraft, type JobSort,
  type ListQuery, type Page, type PayCategory, type PayId, type PayIdDraft, type PayIdSort, type RecordMeta,
  type SetActiveArgs, type Task, type TaskDraft, type TaskSort, type TimeEntry, type TimeEntryDraft,
  type TimeEntrySort, type UpdateArgs,
} from "../../lib/bindings";
import { decimalHours, dollars, formatDate, formatShortDate, hoursMinutes, wallTime } from "../../lib/format";
import { lookups, type LookupSource } from "./lookups";

export type KindId = "employees" | "customers" | "jobs" | "tasks" | "time-entries" | "budgets" | "pay-ids";

/** One field of the generic record form. */
export type FieldDef =
  | { key: string; label: string; type: "text" | "email" | "tel" | "date"; required?: boolean; nullable?: boolean; hint?: string }
  | { key: string; label: string; type: "textarea"; hint?: string }
  | { key: string; label: string; type: "number"; scale: number; step: string; nullable?: boolean; hint?: string }
  | { key: string; label: string; type: "select"; options: { value: string; label: string }[]; hint?: string }
  | {
      key: string;
      label: string;
      type: "lookup";
      source: LookupSource;
      /** The current value's label, when editing. */
      currentLabel: (row: never) => string | null;
      required?: boolean;
      hint?: string;
    };

export interface KindConfig<Row extends { id: number; active: boolean; meta: RecordMeta }, Draft, Sort extends string> {
  id: KindId;
  title: string;
  singular: string;
  /** "Deactivate" for most kinds, "Void" for time entries. */
  deactivate: string;
  reactivate: string;
  defaultSort: Sort;
  defaultDescending: boolean;
  emptyText: string;
  /** Lists one job's records at `#/records/<kind>/job/<id>`. */
  byJob?: boolean;
  commands: { create: CommandName; update: CommandName; setActive: CommandName };
  list: (query: ListQuery<Sort>) => Promise<Page<Row>>;
  create: (draft: Draft) => Promise<Row>;
  update: (args: UpdateArgs<Draft>) => Promise<Row>;
  setActive: (args: SetActiveArgs) => Promise<Row>;
  columns: Column<Row, Sort>[];
  /** Generic form fields; absent for kinds with their own form (time entries). */
  fields?: FieldDef[];
  emptyDraft: () => Draft;
  draftOf: (row: Row) => Draft;
  name: (row: Row) => string;
}

function define<Row extends { id: number; active: boolean; meta: RecordMeta }, Draft, Sort extends string>(
  config: KindConfig<Row, Draft, Sort>,
): KindConfig<Row, Draft, Sort> {
  return config;
}

/** The Synced status column every kind ends with. */
function syncedStatus<Row extends { meta: RecordMeta }, Sort extends string>(sort: Sort): Column<Row, Sort> {
  return {
    key: "synced_status",
    label: "Synced status",
    sort,
    value: (row) => row.meta.synced_status,
    chip: (row) => (row.meta.source.kind === "manual" ? "plain" : "accent"),
  };
}

export const employees = define<Employee, EmployeeDraft, EmployeeSort>({
  id: "employees",
  title: "Employees",
  singular: "employee",
  deactivate: "Deactivate",
  reactivate: "Reactivate",
  defaultSort: "name",
  defaultDescending: false,
  emptyText: "Employees imported from your time-tracking system, or added here by hand, are listed here.",
  commands: { create: "create_employee", update: "update_employee", setActive: "set_employee_active" },
  list: listEmployees,
  create: createEmployee,
  update: updateEmployee,
  setActive: setEmployeeActive,
  columns: [
    { key: "name", label: "Name", sort: "name", value: (e) => `${e.last_name}${e.last_name && e.first_name ? ", " : ""}${e.first_name}` },
    { key: "employee_number", label: "Employee #", sort: "employee_number", value: (e) => e.employee_number ?? "", mono: true, nowrap: true },
    { key: "email", label: "E-mail", sort: "email", value: (e) => e.email ?? "" },
    { key: "hire_date", label: "Hired", sort: "hire_date", value: (e) => formatShortDate(e.hire_date), nowrap: true },
    syncedStatus("source"),
  ],
  fields: [
    { key: "first_name", label: "First name", type: "text" },
    { key: "last_name", label: "Last name", type: "text" },
    { key: "employee_number", label: "Employee number", type: "text", nullable: true, hint: "Must be unique. Imports match employees on it." },
    { key: "email", label: "E-mail", type: "email", nullable: true },
    { key: "phone", label: "Phone", type: "tel", nullable: true },
    { key: "hire_date", label: "Hire date", type: "date", nullable: true },
  ],
  emptyDraft: () => ({ employee_number: null, first_name: "", last_name: "", email: null, phone: null, hire_date: null }),
  draftOf: (e) => ({
    employee_number: e.employee_number,
    first_name: e.first_name,
    last_name: e.last_name,
    email: e.email,
    phone: e.phone,
    hire_date: e.hire_date,
  }),
  name: (e) => e.display_name,
});

export const customers = define<Customer, CustomerDraft, CustomerSort>({
  id: "customers",
  title: "Customers",
  singular: "customer",
  deactivate: "Deactivate",
  reactivate: "Reactivate",
  defaultSort: "name",
  defaultDescending: false,
  emptyText: "The customers your jobs are for are listed here.",
  commands: { create: "create_customer", update: "update_customer", setActive: "set_customer_active" },
  list: listCustomers,
  create: createCustomer,
  update: updateCustomer,
  setActive: setCustomerActive,
  columns: [
    { key: "name", label: "Name", sort: "name", value: (c) => c.name },
    { key: "email", label: "E-mail", sort: "email", value: (c) => c.email ?? "" },
    { key: "phone", label: "Phone", value: (c) => c.phone ?? "", nowrap: true },
    { key: "job_count", label: "Active jobs", sort: "job_count", value: (c) => String(c.job_count), align: "right" },
    syncedStatus("source"),
  ],
  fields: [
    { key: "name", label: "Name", type: "text", required: true },
    { key: "email", label: "E-mail", type: "email", nullable: true },
    { key: "phone", label: "Phone", type: "tel", nullable: true },
  ],
  emptyDraft: () => ({ name: "", email: null, phone: null }),
  draftOf: (c) => ({ name: c.name, email: c.email, phone: c.phone }),
  name: (c) => c.name,
});

export const jobs = define<Job, JobDraft, JobSort>({
  id: "jobs",
  title: "Jobs",
  singular: "job",
  deactivate: "Deactivate",
  reactivate: "Reactivate",
  defaultSort: "name",
  defaultDescending: false,
  emptyText: "Job sites, each optionally under a customer, are listed here.",
  commands: { create: "create_job", update: "update_job", setActive: "set_job_active" },
  list: listJobs,
  create: createJob,
  update: updateJob,
  setActive: setJobActive,
  columns: [
    { key: "name", label: "Job", sort: "name", value: (j) => j.name },
    { key: "job_number", label: "Job #", sort: "job_number", value: (j) => j.job_number ?? "", mono: true, nowrap: true },
    { key: "customer", label: "Customer", sort: "customer", value: (j) => j.customer_name ?? "" },
    { key: "address", label: "Address", value: (j) => j.address ?? "" },
    syncedStatus("source"),
  ],
  fields: [
    { key: "name", label: "Job name", type: "text", required: true },
    {
      key: "customer_id",
      label: "Customer",
      type: "lookup",
      source: lookups.customers,
      currentLabel: ((j: Job) => j.customer_name) as (row: never) => string | null,
      hint: "Optional. QuickBooks names the job “Customer:Job”.",
    },
    { key: "job_number", label: "Job number", type: "text", nullable: true },
    { key: "address", label: "Address", type: "text", nullable: true },
  ],
  emptyDraft: () => ({ customer_id: null, name: "", job_number: null, address: null }),
  draftOf: (j) => ({ customer_id: j.customer_id, name: j.name, job_number: j.job_number, address: j.address }),
  name: (j) => j.full_name,
});

export const tasks = define<Task, TaskDraft, TaskSort>({
  id: "tasks",
  title: "Tasks",
  singular: "task",
  deactivate: "Deactivate",
  reactivate: "Reactivate",
  defaultSort: "code",
  defaultDescending: false,
  emptyText: "Tasks (cost codes), company-wide or for one job, are listed here.",
  byJob: true,
  commands: { create: "create_task", update: "update_task", setActive: "set_task_active" },
  list: listTasks,
  create: createTask,
  update: updateTask,
  setActive: setTaskActive,
  columns: [
    { key: "code", label: "Cost code", sort: "code", value: (t) => t.code, mono: true, nowrap: true },
    { key: "name", label: "Name", sort: "name", value: (t) => t.name },
    { key: "job", label: "Job", sort: "job", value: (t) => t.job_name ?? "All jobs" },
    { key: "pay", label: "Pay ID", value: (t) => t.pay_id_code ?? "", mono: true },
    syncedStatus("source"),
  ],
  fields: [
    { key: "code", label: "Cost code", type: "text", required: true },
    { key: "name", label: "Name", type: "text", required: true },
    {
      key: "job_id",
      label: "Job",
      type: "lookup",
      source: lookups.jobs,
      currentLabel: ((t: Task) => t.job_name) as (row: never) => string | null,
      hint: "Leave empty for a cost code every job can use.",
    },
    {
      key: "pay_id",
      label: "Pay ID",
      type: "lookup",
      source: lookups.payIds,
      currentLabel: ((t: Task) => t.pay_id_code) as (row: never) => string | null,
      hint: "Time on this task is paid as this pay ID (e.g. Holiday), unless an entry names its own. Empty: the overtime rules decide.",
    },
  ],
  emptyDraft: () => ({ job_id: null, code: "", name: "", pay_id: null }),
  draftOf: (t) => ({ job_id: t.job_id, code: t.code, name: t.name, pay_id: t.pay_id }),
  name: (t) => t.label,
});

export const timeEntries = define<TimeEntry, TimeEntryDraft, TimeEntrySort>({
  id: "time-entries",
  title: "Time entries",
  singular: "time entry",
  deactivate: "Void",
  reactivate: "Restore",
  defaultSort: "date",
  defaultDescending: true,
  emptyText: "Time worked, clocked in and out or entered as hours, is listed here. Voided entries stay visible and leave payroll.",
  byJob: true,
  commands: { create: "create_time_entry", update: "update_time_entry", setActive: "set_time_entry_active" },
  list: listTimeEntries,
  create: createTimeEntry,
  update: updateTimeEntry,
  setActive: setTimeEntryActive,
  columns: [
    { key: "date", label: "Date", sort: "date", value: (t) => formatDate(t.work_date), nowrap: true },
    { key: "employee", label: "Employee", sort: "employee", value: (t) => t.employee_name },
    {
      key: "time",
      label: "Time",
      value: (t) =>
        t.span.kind === "clock"
          ? `${wallTime(t.span.start)} – ${t.span.end ? wallTime(t.span.end) : "running"}`
          : "Hours entered",
      nowrap: true,
    },
    { key: "hours", label: "Hours", sort: "duration", value: (t) => hoursMinutes(t.duration_seconds), align: "right", mono: true },
    { key: "job", label: "Job", sort: "job", value: (t) => t.job_name ?? "" },
    { key: "task", label: "Task", value: (t) => t.task_label ?? "" },
    { key: "pay", label: "Pay ID", value: (t) => t.pay_code ?? "", mono: true },
    syncedStatus("source"),
  ],
  emptyDraft: () => ({
    employee_id: 0,
    job_id: null,
    task_id: null,
    pay_id: null,
    span: { kind: "manual", date: "", duration_seconds: 0 },
    notes: "",
  }),
  draftOf: (t) => ({ employee_id: t.employee_id, job_id: t.job_id, task_id: t.task_id, pay_id: t.pay_id, span: t.span, notes: t.notes }),
  name: (t) => `${t.employee_name}, ${formatDate(t.work_date)}`,
});

export const budgets = define<Budget, BudgetDraft, BudgetSort>({
  id: "budgets",
  title: "Budgets",
  singular: "budget",
  deactivate: "Deactivate",
  reactivate: "Reactivate",
  defaultSort: "job",
  defaultDescending: false,
  emptyText: "Hours and amounts planned per job, or per task of a job, are listed here.",
  byJob: true,
  commands: { create: "create_budget", update: "update_budget", setActive: "set_budget_active" },
  list: listBudgets,
  create: createBudget,
  update: updateBudget,
  setActive: setBudgetActive,
  columns: [
    { key: "job", label: "Job", sort: "job", value: (b) => b.job_name },
    { key: "task", label: "Task", sort: "task", value: (b) => b.task_label ?? "Whole job" },
    { key: "hours", label: "Hours", sort: "hours", value: (b) => decimalHours(b.budget_seconds), align: "right", mono: true },
    { key: "amount", label: "Amount", sort: "amount", value: (b) => dollars(b.amount_cents), align: "right", mono: true },
    { key: "notes", label: "Notes", value: (b) => b.notes },
    syncedStatus("source"),
  ],
  fields: [
    {
      key: "job_id",
      label: "Job",
      type: "lookup",
      source: lookups.jobs,
      required: true,
      currentLabel: ((b: Budget) => b.job_name) as (row: never) => string | null,
    },
    {
      key: "task_id",
      label: "Task",
      type: "lookup",
      source: lookups.tasks,
      currentLabel: ((b: Budget) => b.task_label) as (row: never) => string | null,
      hint: "Leave empty to budget the whole job.",
    },
    { key: "budget_seconds", label: "Budgeted hours", type: "number", scale: 3600, step: "0.25", nullable: true },
    { key: "amount_cents", label: "Budgeted amount ($)", type: "number", scale: 100, step: "0.01", nullable: true },
    { key: "notes", label: "Notes", type: "textarea" },
  ],
  emptyDraft: () => ({ job_id: 0, task_id: null, budget_seconds: null, amount_cents: null, notes: "" }),
  draftOf: (b) => ({ job_id: b.job_id, task_id: b.task_id, budget_seconds: b.budget_seconds, amount_cents: b.amount_cents, notes: b.notes }),
  name: (b) => (b.task_label ? `${b.job_name} / ${b.task_label}` : b.job_name),
});

const CATEGORIES: { value: PayCategory; label: string }[] = [
  { value: "regular", label: "Regular" },
  { value: "overtime", label: "Overtime" },
  { value: "double_time", label: "Double time" },
  { value: "pto", label: "Paid time off" },
  { value: "sick", label: "Sick" },
  { value: "holiday", label: "Holiday" },
  { value: "other", label: "Other" },
];

export function categoryLabel(category: PayCategory): string {
  return CATEGORIES.find((c) => c.value === category)?.label ?? category;
}

export const payIds = define<PayId, PayIdDraft, PayIdSort>({
  id: "pay-ids",
  title: "Pay IDs",
  singular: "pay ID",
  deactivate: "Deactivate",
  reactivate: "Reactivate",
  defaultSort: "code",
  defaultDescending: false,
  emptyText: "The kinds of paid time: REG, OT, DT, PTO, SICK, HOL and any you add.",
  commands: { create: "create_pay_id", update: "update_pay_id", setActive: "set_pay_id_active" },
  list: listPayIds,
  create: createPayId,
  update: updatePayId,
  setActive: setPayIdActive,
  columns: [
    { key: "code", label: "Code", sort: "code", value: (p) => p.code, mono: true },
    { key: "name", label: "Name", sort: "name", value: (p) => p.name },
    { key: "category", label: "Category", sort: "category", value: (p) => categoryLabel(p.category) },
    { key: "multiplier", label: "Rate ×", value: (p) => p.multiplier.toString(), align: "right", mono: true },
    { key: "builtin", label: "Built in", value: (p) => (p.builtin ? "Built in" : ""), chip: (p) => (p.builtin ? "plain" : null) },
    syncedStatus("source"),
  ],
  fields: [
    { key: "code", label: "Code", type: "text", required: true, hint: "Letters, digits, - and _; shown on payroll files." },
    { key: "name", label: "Name", type: "text", required: true },
    { key: "category", label: "Category", type: "select", options: CATEGORIES },
    { key: "multiplier", label: "Rate multiplier", type: "number", scale: 1, step: "0.05", hint: "1 for regular time, 1.5 for overtime." },
  ],
  emptyDraft: () => ({ code: "", name: "", category: "other", multiplier: 1 }),
  draftOf: (p) => ({ code: p.code, name: p.name, category: p.category, multiplier: p.multiplier }),
  name: (p) => p.code,
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyKind = KindConfig<any, any, any>;

/** The job a records address lists: `#/records/time-entries/job/12` → 12. */
export function jobOf(rest: string[]): number | null {
  return rest[0] === "job" && /^\d+$/.test(rest[1] ?? "") ? Number(rest[1]) : null;
}

export const KINDS: AnyKind[] = [employees, customers, jobs, tasks, timeEntries, budgets, payIds];
