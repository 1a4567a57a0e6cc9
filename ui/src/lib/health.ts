// An integration's status, in the words and colours the overview shows.

import type { HealthState, IntegrationSummary } from "./bindings";

export interface Health {
  label: string;
  tone: "ok" | "failed" | "running" | "idle";
  /** What went wrong and what to do, for a red status. */
  detail: string | null;
}

export function health(summary: IntegrationSummary, running: boolean): Health {
  const state: HealthState = running ? "running" : summary.health;
  const message = summary.last_run?.error_message ?? null;
  switch (state) {
    case "running":
      return { label: "Syncing", tone: "running", detail: null };
    case "ok":
      return { label: "Synced", tone: "ok", detail: null };
    case "never_synced":
      return { label: "Not synced yet", tone: "idle", detail: null };
    case "cancelled":
      return { label: "Last sync cancelled", tone: "idle", detail: message };
    case "interrupted":
      return { label: "Last sync interrupted", tone: "idle", detail: message };
    case "failed":
      return { label: "Sync failed", tone: "failed", detail: message ?? "The last sync failed. See its run history." };
  }
}
