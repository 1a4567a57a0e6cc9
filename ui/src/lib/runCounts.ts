// A sync run's counts in words, module by module: what the admin wants to
// know of a run is what it brought in.

import type { ModuleCounts } from "./bindings";

const LABELS: Record<string, string> = {
  employees: "Employees",
  customers: "Customers",
  jobs: "Jobs",
  tasks: "Tasks",
  time_entries: "Time entries",
  budgets: "Budgets",
  pay_items: "Pay items",
};

/** "Time entries: 3 new, 1 updated, 1 removed · Employees: 1 updated", or "No changes". */
export function describeRunCounts(counts: Record<string, ModuleCounts | undefined>): string {
  const parts: string[] = [];
  for (const [module, label] of Object.entries(LABELS)) {
    const c = counts[module];
    if (!c) continue;
    const bits = [
      c.new ? `${c.new.toLocaleString()} new` : "",
      c.updated ? `${c.updated.toLocaleString()} updated` : "",
      c.removed ? `${c.removed.toLocaleString()} removed` : "",
      c.skipped ? `${c.skipped.toLocaleString()} unreadable` : "",
    ].filter(Boolean);
    if (bits.length) parts.push(`${label}: ${bits.join(", ")}`);
  }
  return parts.length ? parts.join(" · ") : "No changes";
}
