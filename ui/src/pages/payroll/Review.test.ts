import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { PayrollReview, Permission, TargetProfile, UnimportedStaged } from "../../lib/bindings";

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
  amounts: { kind: "taken" },
};

const NONE_LEFT_OUT: UnimportedStaged = {
  count: 0, seconds: 0, new: { count: 0, seconds: 0 }, updated: { count: 0, seconds: 0, imported_seconds: 0 }, employees: [], integrations: [],
};

/** Three entries not imported: two New of Rosa's, one Updated of Sam's (imported as 7 h, now 8 h). */
const LEFT_OUT: UnimportedStaged = {
  count: 3, seconds: 20 * 3600,
  new: { count: 2, seconds: 12 * 3600 },
  updated: { count: 1, seconds: 8 * 3600, imported_seconds: 7 * 3600 },
  employees: [
    { employee_id: null, name: "Rosa Diaz", employee_number: "E-7", count: 2, seconds: 12 * 3600 },
    { employee_id: 9, name: "Sam Lee", employee_number: null, count: 1, seconds: 8 * 3600 },
  ],
  integrations: [{ integration_id: 3, name: "Sandbox", count: 3, seconds: 20 * 3600 }],
};

function review(blocking: boolean, left: UnimportedStaged = NONE_LEFT_OUT): PayrollReview {
  const line = {
    employee_id: 7, date: "2026-10-26", job_id: null, task_id: null, pay_id: 1, seconds: 8 * 3600, cents: 0, bonus_id: null, employee: "Marcus Bell", first_name: "Marcus", last_name: "Bell",
    employee_number: null, customer: null, job: null, job_number: null, task_code: null, task: null, pay_code: "REG", item: blocking ? null : "Hourly Rate",
    item_external_id: null, employee_ref: "1", job_ref: null, task_ref: null,
  };
  return {
    report: {
      period: { start: "2026-10-26", end: "2026-11-01" }, time_zone: "UTC",
      employees: [{ employee_id: 7, name: "Bell, Marcus", employee_number: null, hours: { employee_id: 7, lines: [{ date: "2026-10-26", job_id: null, task_id: null, pay_id: 1, seconds: 8 * 3600, entry_ids: [11] }], totals: [{ pay_id: 1, seconds: 8 * 3600 }], total_seconds: 8 * 3600, pieces: [] } }],
      open_entries: [], pay_ids: [{ id: 1, code: "REG", name: "Regular", category: "regular" }], jobs: [], tasks: [],
      totals: [{ pay_id: 1, seconds: 8 * 3600 }], total_seconds: 8 * 3600, days: [{ date: "2026-10-26", seconds: 8 * 3600 }],
      unimported_staged: left,
    },
    prepared: {
      target, lines: [line],
      problems: blocking
        ? [{ severity: "blocking", kind: "pay_id_not_mapped", message: "Pay ID REG (Regular) is not mapped to a payroll item of Sandbox. (8.00 h)", fix: "Pick its payroll item under Pay item mapping.", employee_id: null, pay_id: 1, job_id: null, task_id: null, seconds: 8 * 3600, cents: 0 }]
        : [],
    },
    changes: [{ line, published_seconds: 0, current_seconds: 8 * 3600, published_cents: 0, current_cents: 0 }],
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

  it("warns of the staged time the period leaves out: how many, hours, whose, how it differs, and where to review it", () => {
    signIn(["manage_payroll", "publish_payroll", "view_integrations"]);
    render(Review, { props: { review: review(false, LEFT_OUT), target, loading: false, onchanged: () => {} } });
    const panel = screen.getByRole("region", { name: "Time entries not in this payroll" });
    expect(panel.textContent, "how many and how many hours").toContain("3 staged time entries (20.00 h) are not imported");
    expect(panel.textContent, "whose, with their share").toMatch(/Rosa Diaz.*E-7.*2 entries.*12\.00 h/s);
    expect(panel.textContent, "an Updated entry: what the payroll counts instead").toContain("this payroll counts its imported copy (7.00 h), not the newer version (8.00 h)");
    const link = screen.getByRole("link", { name: "Review 3 entries in Sandbox" }) as HTMLAnchorElement;
    expect(link.getAttribute("href"), "the link opens the staged time entries filtered to exactly this period's").toBe("#/integrations/3/time_entries/left-out/2026-10-26/2026-11-01");
  });

  it("shows no warning when every staged entry of the period is imported", () => {
    signIn(["manage_payroll", "publish_payroll", "view_integrations"]);
    render(Review, { props: { review: review(false), target, loading: false, onchanged: () => {} } });
    expect(screen.queryByRole("region", { name: "Time entries not in this payroll" }), "nothing left out, nothing to say").toBeNull();
  });

  it("asks before publishing without the entries left out, and cancelling sends nothing", async () => {
    signIn(["manage_payroll", "publish_payroll", "view_integrations"]);
    render(Review, { props: { review: review(false, LEFT_OUT), target, loading: false, onchanged: () => {} } });
    await fireEvent.click(screen.getByRole("button", { name: "Publish" }));
    const dialog = await screen.findByRole("dialog");
    expect(dialog.textContent, "the dialog names the count and hours left out").toContain("3 staged time entries (20.00 h) of this period are not imported, and not sent.");
    expect(dialog.textContent, "and whose").toContain("Rosa Diaz and Sam Lee");

    await fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(call.mock.calls.some(([command]) => command === "publish_payroll"), "cancelling publishes nothing").toBe(false);
  });

  it("publishes, confirmed, once the admin agrees to leave them out", async () => {
    signIn(["manage_payroll", "publish_payroll", "view_integrations"]);
    call.mockResolvedValue({ publications: [], nothing_to_send: false, message: "Sandbox accepted all 1 lines (+8.00 h)." });
    render(Review, { props: { review: review(false, LEFT_OUT), target, loading: false, onchanged: () => {} } });
    await fireEvent.click(screen.getByRole("button", { name: "Publish" }));
    await fireEvent.click(await screen.findByRole("button", { name: "Publish without them" }));
    await waitFor(() => {
      const sent = call.mock.calls.find(([command]) => command === "publish_payroll");
      expect(sent?.[1], "the publish says the admin confirmed leaving them out").toMatchObject({ integration_id: 3, confirm_unimported: true });
    });
  });

  it("publishes unconfirmed when nothing is left out", async () => {
    signIn(["manage_payroll", "publish_payroll"]);
    call.mockResolvedValue({ publications: [], nothing_to_send: false, message: "Sandbox accepted all 1 lines (+8.00 h)." });
    render(Review, { props: { review: review(false), target, loading: false, onchanged: () => {} } });
    await fireEvent.click(screen.getByRole("button", { name: "Publish" }));
    const dialog = await screen.findByRole("dialog");
    expect(dialog.querySelector("[data-confirm-left-out]"), "no warning in the dialog").toBeNull();
    await fireEvent.click(screen.getAllByRole("button", { name: "Publish" }).at(-1) as HTMLElement);
    await waitFor(() => {
      const sent = call.mock.calls.find(([command]) => command === "publish_payroll");
      expect(sent?.[1], "nothing to confirm").toMatchObject({ confirm_unimported: false });
    });
  });

  it("shows a Sage 300 CRE integration's next step in Sage once its file is written", async () => {
    signIn(["manage_payroll", "publish_payroll"]);
    const sage: TargetProfile = { ...target, target: { kind: "integration", id: 4 }, key: "integration:4", name: "Sage 300 CRE", needs_item: false };
    const next =
      "Wrote payroll-2026-10-26-to-2026-11-01-publication-1.txt (1 lines, +8.00 h) into C:\\Sage\\Import. In Sage 300 CRE: Payroll → Tools → Import Time, choose payroll-2026-10-26-to-2026-11-01-publication-1.txt as the import file, the Time Entry View with the columns Date, Employee, Job, Extra, Cost Code, Pay ID, Units, and Period End Date 11/1/2026; name an error file for any line Sage refuses.";
    call.mockImplementation(async (command: string) =>
      command === "publish_payroll" ? { publications: [], nothing_to_send: false, message: next } : null,
    );
    render(Review, { props: { review: review(false), target: sage, loading: false, onchanged: () => {} } });
    await fireEvent.click(screen.getByRole("button", { name: "Publish" }));
    await fireEvent.click(screen.getAllByRole("button", { name: "Publish" }).at(-1) as HTMLElement);
    const outcome = await screen.findByText(next, { selector: "[data-publish-outcome]" });
    expect(outcome, "the page says which file to import in Sage, and how").toBeTruthy();
  });
});
