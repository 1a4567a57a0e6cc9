import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { ModuleOverview, Permission, StagedRecord } from "../../lib/bindings";

const call = vi.fn();
vi.mock("../../lib/transport", async (original) => ({
  ...(await original<typeof import("../../lib/transport")>()),
  call: (...args: unknown[]) => call(...args),
}));

const { session } = await import("../../lib/session.svelte");
const { default: StagedList } = await import("./StagedList.svelte");

const overview: ModuleOverview = {
  module: "employees",
  label: "Employees",
  counts: { new: 120, updated: 0, imported: 0, archived: 0, removed_at_source: 0 },
} as unknown as ModuleOverview;

function row(id: number): StagedRecord {
  return {
    id,
    integration_id: 1,
    module: "employees",
    external_id: `u${id}`,
    status: "new",
    removed_at_source: false,
    label: `Worker ${id}`,
    record_date: null,
    data: { first_name: "Worker", last_name: String(id), employee_number: `E-${id}`, email: null, phone: null, hire_date: null, active: true },
    changed_at: "2026-11-02T15:00:00Z",
  };
}

function signIn(permissions: Permission[]) {
  session.info = {
    operator: { id: 1, username: "u", display_name: "U", role_id: 1, role_name: "R", builtin_role: null, active: true, created_at: "", last_sign_in_at: null },
    permissions,
  };
}

const summary = { created: 120, updated: 0, linked: 0, deactivated: 0, unchanged: 0, also_imported: [], skipped: [], needs_link: [], conflicts: [] };

describe("Staged list", () => {
  beforeEach(() => {
    call.mockReset();
    call.mockImplementation(async (command: string) => {
      if (command === "list_staged") return { rows: [row(1), row(2)], total: 120, page: 1, page_size: 50 };
      if (command === "start_import") return { job: "j1", total: 120 };
      if (command === "job_status") return { state: "finished", done: 120, total: 120, summary, error: null };
      throw new Error(`unexpected ${command}`);
    });
    signIn(["view_integrations", "integration_actions"]);
  });

  it("imports everything matching the filter once asked to, and shows what it did", async () => {
    render(StagedList, { integrationId: 1, overview, version: 0, onchanged: () => {}, pollMs: 5 });
    await fireEvent.click(await screen.findByLabelText("Select every row on this page"));
    await fireEvent.click(screen.getByRole("button", { name: "Select all 120 matching" }));

    await fireEvent.click(screen.getByRole("button", { name: "Import" }));

    const start = call.mock.calls.find(([command]) => command === "start_import");
    expect(start?.[1], "the whole filter is sent, not the page's ids").toMatchObject({ selection: { kind: "matching" } });
    expect(await screen.findByText("Import finished")).toBeTruthy();
    expect(screen.getByText("created").parentElement?.textContent).toContain("120");
  });

  it("keeps the employees' key fields in view", async () => {
    render(StagedList, { integrationId: 1, overview, version: 0, onchanged: () => {} });
    expect(await screen.findByText("E-1"), "the employee number column").toBeTruthy();
  });

  it("sorts by a column when its header is clicked", async () => {
    render(StagedList, { integrationId: 1, overview, version: 0, onchanged: () => {} });
    await screen.findByText("E-1");

    await fireEvent.click(screen.getByRole("button", { name: /Changed/ }));

    await waitFor(() => {
      const last = call.mock.calls.filter(([command]) => command === "list_staged").at(-1);
      expect(last?.[1], "the backend sorts").toMatchObject({ query: { sort: "changed_at", descending: true } });
    });
  });

  it("sorts by an employee's number and e-mail, the first and second key fields", async () => {
    render(StagedList, { integrationId: 1, overview, version: 0, onchanged: () => {} });
    await screen.findByText("E-1");

    await fireEvent.click(screen.getByRole("button", { name: /Number/ }));
    await waitFor(() => {
      const last = call.mock.calls.filter(([command]) => command === "list_staged").at(-1);
      expect(last?.[1], "the number column sorts by the first key").toMatchObject({ query: { sort: "key" } });
    });

    await fireEvent.click(screen.getByRole("button", { name: /E-mail/ }));
    await waitFor(() => {
      const last = call.mock.calls.filter(([command]) => command === "list_staged").at(-1);
      expect(last?.[1], "the e-mail column sorts by the second key").toMatchObject({ query: { sort: "key2" } });
    });
  });

  it("reads the next page on from the last record shown and the previous one back from the first", async () => {
    call.mockImplementation(async (command: string, args: { query: { page: number } }) => {
      if (command !== "list_staged") throw new Error(`unexpected ${command}`);
      const p = args.query.page;
      return {
        rows: [row(p * 10), row(p * 10 + 1)], total: 120, page: p, page_size: 50,
        first: { values: [`Worker ${p * 10}`], id: p * 10 }, last: { values: [`Worker ${p * 10 + 1}`], id: p * 10 + 1 },
      };
    });
    render(StagedList, { integrationId: 1, overview, version: 0, onchanged: () => {} });
    await screen.findByText("E-10");

    await fireEvent.click(screen.getByRole("button", { name: "Next" }));
    await screen.findByText("E-20");
    const next = call.mock.calls.filter(([command]) => command === "list_staged").at(-1);
    expect(next?.[1], "page 2 is read after page 1's last record").toMatchObject({ query: { page: 2, after: { values: ["Worker 11"], id: 11 }, before: null } });

    await fireEvent.click(screen.getByRole("button", { name: "Previous" }));
    await screen.findByText("E-10");
    const back = call.mock.calls.filter(([command]) => command === "list_staged").at(-1);
    expect(back?.[1], "page 1 is read before page 2's first record").toMatchObject({ query: { page: 1, after: null, before: { values: ["Worker 20"], id: 20 } } });

    await fireEvent.click(screen.getByRole("button", { name: /Number/ }));
    await waitFor(() => {
      const sorted = call.mock.calls.filter(([command]) => command === "list_staged").at(-1);
      expect(sorted?.[1], "another sort starts over, from no record").toMatchObject({ query: { page: 1, sort: "key", after: null, before: null } });
    });
  });

  it("offers no import to a role that may only look", async () => {
    signIn(["view_integrations"]);
    render(StagedList, { integrationId: 1, overview, version: 0, onchanged: () => {} });
    await screen.findByText("E-1");
    expect(screen.queryByLabelText("Select every row on this page"), "no selection without actions").toBeNull();
  });

  it("opened from the payroll page, lists only the time entries that period leaves out, until cleared", async () => {
    const time = { module: "time_entries", label: "Time entries", counts: { new: 120, updated: 0, imported: 0, archived: 0, removed_at_source: 0 } } as unknown as ModuleOverview;
    call.mockImplementation(async (command: string) => {
      if (command === "list_staged") return { rows: [], total: 3, page: 1, page_size: 50 };
      if (command === "staged_hours_per_day") return [];
      throw new Error(`unexpected ${command}`);
    });
    const period = { start: "2026-10-26", end: "2026-11-08" };
    render(StagedList, { integrationId: 1, overview: time, version: 0, onchanged: () => {}, leftOut: period });

    const banner = await screen.findByRole("status");
    await waitFor(() => expect(banner.textContent, "the banner says which period, and how many").toContain("(3)"));
    expect(banner.textContent).toContain("Oct 26 – Nov 8, 2026");
    const listed = call.mock.calls.filter(([command]) => command === "list_staged").at(-1);
    expect(listed?.[1], "the backend filters to exactly the entries left out").toMatchObject({ query: { filter: { left_out_of_payroll: period } } });
    const chart = call.mock.calls.find(([command]) => command === "staged_hours_per_day");
    expect(chart?.[1], "the chart shows the same entries").toMatchObject({ filter: { left_out_of_payroll: period } });
    expect(screen.getByRole("link", { name: "Show all time entries" }).getAttribute("href"), "clearing the filter opens the whole tab").toBe("#/integrations/1/time_entries");
  });
});
