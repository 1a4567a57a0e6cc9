import { render, screen } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { PayrollReview, Permission, TargetProfile } from "../../lib/bindings";

const call = vi.fn();
vi.mock("../../lib/transport", async (original) => ({
  ...(await original<typeof import("../../lib/transport")>()),
  call: (...args: unknown[]) => call(...args),
}));

const { session } = await import("../../lib/session.svelte");
const { default: Review } = await import("./Review.svelte");

const target: TargetProfile = {
  target: { kind: "integration", id: 3 },
  key: "integration:3",
  name: "Sandbox",
  refs: "external",
  needs_item: true,
  has_item_list: true,
  limits: { employee: null, job: null, task: null, item: null },
  publishes: true,
};

function review(blocking: boolean): PayrollReview {
  const line = {
    employee_id: 7, date: "2026-10-26", job_id: null, task_id: null, pay_id: 1, seconds: 8 * 3600, employee: "Marcus Bell", first_name: "Marcus", last_name: "Bell",
    employee_number: null, customer: null, job: null, job_number: null, task_code: null, task: null, pay_code: "REG", item: blocking ? null : "Hourly Rate",
    item_external_id: null, employee_ref: "1", job_ref: null, task_ref: null,
  };
  return {
    report: {
      period: { start: "2026-10-26", end: "2026-11-01" }, time_zone: "UTC",
      employees: [{ employee_id: 7, name: "Bell, Marcus", employee_number: null, hours: { employee_id: 7, lines: [{ date: "2026-10-26", job_id: null, task_id: null, pay_id: 1, seconds: 8 * 3600, entry_ids: [11] }], totals: [{ pay_id: 1, seconds: 8 * 3600 }], total_seconds: 8 * 3600, pieces: [] } }],
      open_entries: [], pay_ids: [{ id: 1, code: "REG", name: "Regular", category: "regular" }], jobs: [], tasks: [],
      totals: [{ pay_id: 1, seconds: 8 * 3600 }], total_seconds: 8 * 3600, days: [{ date: "2026-10-26", seconds: 8 * 3600 }],
    },
    prepared: {
      target, lines: [line],
      problems: blocking
        ? [{ severity: "blocking", kind: "pay_id_not_mapped", message: "Pay ID REG (Regular) is not mapped to a payroll item of Sandbox. (8.00 h)", fix: "Pick its payroll item under Pay item mapping.", employee_id: null, pay_id: 1, job_id: null, task_id: null, seconds: 8 * 3600 }]
        : [],
    },
    changes: [{ line, published_seconds: 0, current_seconds: 8 * 3600 }],
    locked: false,
    publications: [],
  };
}

function signIn(permissions: Permission[]) {
  session.info = {
    operator: { id: 1, username: "u", display_name: "U", role_id: 1, role_name: "R", builtin_role: null, active: true, created_at: "", last_sign_in_at: null },
    permissions,
  };
}

describe("the payroll review", () => {
  beforeEach(() => call.mockReset());

  it("holds Publish back while a problem blocks, and offers the problem's fix", () => {
    signIn(["manage_payroll", "publish_payroll"]);
    render(Review, { props: { review: review(true), target, loading: false, onchanged: () => {} } });
    const publish = screen.getByRole("button", { name: "Publish" }) as HTMLButtonElement;
    expect(publish.disabled, "a blocking problem stops publishing").toBe(true);
    expect(screen.getByRole("button", { name: "Map pay ID" }), "the unmapped pay ID can be mapped from the problem").toBeTruthy();
  });

  it("lets publishing go once nothing blocks", () => {
    signIn(["manage_payroll", "publish_payroll"]);
    render(Review, { props: { review: review(false), target, loading: false, onchanged: () => {} } });
    const publish = screen.getByRole("button", { name: "Publish" }) as HTMLButtonElement;
    expect(publish.disabled, "with every pay ID mapped the lines can go").toBe(false);
  });

  it("shows no Publish button to a role without Publish Payroll", () => {
    signIn(["manage_payroll"]);
    render(Review, { props: { review: review(false), target, loading: false, onchanged: () => {} } });
    expect(screen.queryByRole("button", { name: "Publish" }), "the button is absent, as the backend would refuse").toBeNull();
    expect(screen.getByText("Your role can review payroll but not publish it.")).toBeTruthy();
  });
});
