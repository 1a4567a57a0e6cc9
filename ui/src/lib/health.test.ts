import { describe, expect, it } from "vitest";
import type { IntegrationSummary } from "./bindings";
import { health } from "./health";

function summary(state: IntegrationSummary["health"], error: string | null = null): IntegrationSummary {
  return {
    integration: {
      id: 1, platform: "quickbooks_time", name: "QuickBooks Time",
      settings: { base_url: null, pull_from: "2026-11-01", interval_minutes: 120, look_back_days: 14 },
      is_sync_source: true, sync_enabled: true, publish_target: false, created_at: "", next_sync_at: null,
    },
    platform_name: "QuickBooks Time",
    demo: false,
    health: state,
    last_run: error
      ? { id: 1, integration_id: 1, trigger: "manual", started_at: "", finished_at: "", outcome: "failed", counts: {}, error_code: "auth_failed", error_message: error }
      : null,
  };
}

describe("health", () => {
  it("shows a failed sync in red with what to do", () => {
    const h = health(summary("failed", "Reconnect the integration."), false);
    expect([h.tone, h.detail]).toEqual(["failed", "Reconnect the integration."]);
  });

  it("shows a healthy integration in green", () => {
    expect(health(summary("ok"), false).tone).toBe("ok");
  });

  it("shows a sync in progress as running whatever the last run said", () => {
    expect(health(summary("failed", "old problem"), true).label).toBe("Syncing");
  });
});
