import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Bonus, Permission } from "../../lib/bindings";

const call = vi.fn();
vi.mock("../../lib/transport", async (original) => ({
  ...(await original<typeof import("../../lib/transport")>()),
  call: (...args: unknown[]) => call(...args),
}));

const { session } = await import("../../lib/session.svelte");
const { default: BonusDetail } = await import("./BonusDetail.svelte");

function signIn(permissions: Permission[]) {
  session.info = {
    operator: { id: 1, username: "u", display_name: "U", role_id: 1, role_name: "R", builtin_role: null, active: true, created_at: "", last_sign_in_at: null },
    permissions,
  };
}

function bonus(state: Bonus["state"]): Bonus {
  return {
    id: 4, plan_id: 1, plan: "Crew half", job_id: 2, job: "Maple Court", customer: "Harbor Homes", task_id: null, task: null, state,
    budget_seconds: 100 * 3600, budget_set: false, carried_in_loss_cents: 0, problem: null,
    outcome: {
      worked_seconds: 80 * 3600, saved_seconds: 20 * 3600, average_wage_cents_per_hour: "2500", saved_value_cents: "50000", crew_share_cents: "25000",
      after_carried_loss_cents: "25000", loss_absorbed_cents: 0, pool_before_cap_cents: 25000, capped: false, pool_cents: 25000, loss_carried_out_cents: 0, workers: [],
    },
    workers: [
      { employee_id: 7, name: "Ana Crew", seconds: 40 * 3600, wage_cents_per_hour: 3000, unpriced_seconds: 0, amount_cents: 12500 },
      { employee_id: 8, name: "Ben Crew", seconds: 40 * 3600, wage_cents_per_hour: 2000, unpriced_seconds: 0, amount_cents: 12500 },
    ],
    approved_at: state === "open" ? null : "2026-12-07T15:00:00.000Z", approved_by: state === "open" ? null : "Ada", approved_on: state === "open" ? null : "2026-12-07",
    paid_at: null, paid_through: null, publication_id: null,
  } as Bonus;
}

describe("a bonus in detail", () => {
  beforeEach(() => call.mockReset());

  it("offers Approve only to those who may approve bonuses", async () => {
    signIn(["view_records"]);
    call.mockImplementation(async () => bonus("open"));
    render(BonusDetail, { props: { id: 4, onchanged: () => {} } });
    await screen.findByText("$250.00 projected");
    expect(screen.queryByRole("button", { name: "Approve" }), "a viewer sees the figures, not the approval").toBeNull();
  });

  it("approves after asking, and shows the bonus frozen", async () => {
    signIn(["view_records", "approve_bonuses"]);
    call.mockImplementation(async (command: string) => (command === "approve_bonus" ? bonus("approved") : bonus("open")));
    const changed = vi.fn();
    render(BonusDetail, { props: { id: 4, onchanged: changed } });
    await fireEvent.click(await screen.findByRole("button", { name: "Approve" }));
    await fireEvent.click(screen.getAllByRole("button", { name: "Approve" }).at(-1) as HTMLElement);
    await waitFor(() => expect(changed, "the list is told to reload").toHaveBeenCalled());
    expect(call.mock.calls.some(([command]) => command === "approve_bonus"), "the approval is sent").toBe(true);
    await waitFor(() =>
      expect(document.querySelector("[data-pool]")?.textContent?.trim(), "the pool is no longer projected").toBe("$250.00"),
    );
    expect(document.querySelector("[data-bonus-state]")?.textContent, "approved").toBe("Approved");
  });

  it("marks an approved bonus paid by hand with where it was paid", async () => {
    signIn(["view_records", "approve_bonuses"]);
    const paid: Bonus = { ...bonus("paid"), paid_at: "2026-12-08T15:00:00.000Z", paid_through: "Paid outside Timebridge: On the Dec 12 paychecks" };
    call.mockImplementation(async (command: string) => (command === "mark_bonus_paid" ? paid : bonus("approved")));
    const changed = vi.fn();
    render(BonusDetail, { props: { id: 4, onchanged: changed } });
    await fireEvent.click(await screen.findByRole("button", { name: "Mark paid…" }));
    await fireEvent.input(screen.getByLabelText(/Where it was paid/), { target: { value: "  On the Dec 12 paychecks " } });
    await fireEvent.click(screen.getByRole("button", { name: "Mark paid" }));
    await waitFor(() => expect(changed, "the list is told to reload").toHaveBeenCalled());
    expect(
      call.mock.calls.find(([command]) => command === "mark_bonus_paid")?.[1],
      "the note is sent trimmed, for this bonus",
    ).toEqual({ id: 4, note: "On the Dec 12 paychecks" });
    await waitFor(() =>
      expect(document.querySelector("[data-paid-through]")?.textContent, "says how it was paid").toContain("On the Dec 12 paychecks"),
    );
  });

  it("offers no Mark paid to those who may not approve bonuses", async () => {
    signIn(["view_records"]);
    call.mockImplementation(async () => bonus("approved"));
    render(BonusDetail, { props: { id: 4, onchanged: () => {} } });
    await screen.findByText(/Paid with the payroll of the pay period/);
    expect(screen.queryByRole("button", { name: "Mark paid…" }), "only an approver marks a bonus paid").toBeNull();
  });
});
