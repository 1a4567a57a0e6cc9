import { describe, expect, it } from "vitest";
import type { SessionInfo } from "./bindings";
import { allowed } from "./session.svelte";

function sessionWith(permissions: SessionInfo["permissions"]): SessionInfo {
  return {
    operator: {
      id: 2,
      username: "vic",
      display_name: "Vic Viewer",
      role_id: 3,
      role_name: "Viewer",
      builtin_role: "viewer",
      active: true,
      created_at: "2026-11-01T00:00:00.000Z",
      last_sign_in_at: null,
    },
    permissions,
  };
}

describe("allowed", () => {
  it("lets anyone run public commands", () => {
    expect(allowed("sign_in", null)).toBe(true);
  });

  it("hides signed-in commands from a signed-out window", () => {
    expect(allowed("sign_out", null)).toBe(false);
  });

  it("hides what the operator's role does not grant, by the backend's own table", () => {
    const viewer = sessionWith(["view_integrations", "view_records"]);
    expect(allowed("list_employees", viewer), "a viewer can list").toBe(true);
    expect(allowed("create_employee", viewer), "but not create").toBe(false);
    expect(allowed("list_audit_log", viewer), "nor read the audit log").toBe(false);
  });
});
