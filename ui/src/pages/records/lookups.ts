// Searches behind the form pickers: the first matches from the backend.

import type { LookupOption } from "../../components/Lookup.svelte";
import { listCustomers, listEmployees, listJobs, listPayIds, listTasks, type ListQuery } from "../../lib/bindings";

function query<S>(search: string): ListQuery<S> {
  return {
    page: 1,
    page_size: 20,
    sort: null,
    descending: false,
    search: search.trim() || null,
    source: { kind: "all" },
    include_inactive: false,
  };
}

export type LookupSource = (text: string) => Promise<LookupOption[]>;

export const lookups = {
  employees: async (text: string) =>
    (await listEmployees(query(text))).rows.map((e) => ({
      id: e.id,
      label: e.display_name,
      detail: e.employee_number ? `#${e.employee_number}` : undefined,
    })),
  customers: async (text: string) =>
    (await listCustomers(query(text))).rows.map((c) => ({ id: c.id, label: c.name })),
  jobs: async (text: string) =>
    (await listJobs(query(text))).rows.map((j) => ({
      id: j.id,
      label: j.full_name,
      detail: j.job_number ?? undefined,
    })),
  tasks: async (text: string) =>
    (await listTasks(query(text))).rows.map((t) => ({
      id: t.id,
      label: t.label,
      detail: t.job_name ?? "All jobs",
    })),
  payIds: async (text: string) =>
    (await listPayIds(query(text))).rows.map((p) => ({ id: p.id, label: `${p.code} — ${p.name}` })),
} satisfies Record<string, LookupSource>;
