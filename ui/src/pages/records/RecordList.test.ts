import { render, screen } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Permission } from "../../lib/bindings";

const call = vi.fn();
vi.mock("../../lib/transport", async (original) => ({
  ...(await original<typeof import("../../lib/transport")>()),
  call: (...args: unknown[]) => call(...args),
}));

const { session } = await import("../../lib/session.svelte");
const { employees, timeEntries } = await import("./kinds");
const { parseHash, router } = await import("../../lib/router.svelte");
const { default: RecordList } = await import("./RecordList.svelte");

const rosa = {
  id: 1,
  employee_number: "104",
  first_name: "Rosa",
  last_name: "Diaz",
  display_name: "Rosa Diaz",
  email: null,
  phone: null,
  hire_date: null,
  active: true,
  meta: { source: { kind: "manual" }, synced_status: "Manual", created_at: "", updated_at: "", updated_by: "operator:1" },
};

function signIn(permissions: Permission[]) {
  session.info = {
    operator: { id: 1, username: "u", display_name: "U", role_id: 1, role_name: "R", builtin_role: null, active: true, created_at: "", last_sign_in_at: null },
    permissions,
  };
}

describe("RecordList", () => {
  beforeEach(() => {
    call.mockReset();
    call.mockResolvedValue({ rows: [rosa], total: 1, page: 1, page_size: 50 });
  });

  it("shows each record's synced status", async () => {
    signIn(["view_records"]);
    render(RecordList, { props: { kind: employees, sources: [] } });
    expect(await screen.findByText("Manual")).toBeTruthy();
  });

  it("hides New, Edit and Deactivate from a role without Edit Records", async () => {
    signIn(["view_records"]);
    render(RecordList, { props: { kind: employees, sources: [] } });
    await screen.findByText("Rosa Diaz".split(" ").reverse().join(", "));
    expect(screen.queryByRole("button", { name: /New employee/ }), "no New button").toBeNull();
    expect(screen.queryByRole("button", { name: /Edit Rosa Diaz/ }), "no Edit button").toBeNull();
    expect(screen.queryByRole("button", { name: /Deactivate Rosa Diaz/ }), "no Deactivate button").toBeNull();
  });

  it("offers New, Edit and Deactivate to a role with Edit Records", async () => {
    signIn(["view_records", "edit_records"]);
    render(RecordList, { props: { kind: employees, sources: [] } });
    expect(await screen.findByRole("button", { name: /Edit Rosa Diaz/ })).toBeTruthy();
    expect(screen.getAllByRole("button", { name: /New employee/ }).length).toBeGreaterThan(0);
  });

  it("asks the backend for the list sorted and paged, never for everything", async () => {
    signIn(["view_records"]);
    render(RecordList, { props: { kind: employees, sources: [] } });
    await screen.findByText("Manual");
    expect(call).toHaveBeenCalledWith("list_employees", expect.objectContaining({ page: 1, page_size: 50, sort: "name" }));
  });

  it("lists one job's time entries when the address names the job, and links back to all", async () => {
    router.route = parseHash("#/records/time-entries/job/12");
    const entry = {
      id: 5, employee_id: 1, employee_name: "Rosa Diaz", job_id: 12, job_name: "Main St Remodel", task_id: null, task_label: null, pay_id: null, pay_code: null,
      span: { kind: "manual", date: "2026-11-02", duration_seconds: 28800 }, work_date: "2026-11-02", duration_seconds: 28800, notes: "", active: true, meta: rosa.meta,
    };
    call.mockResolvedValue({ rows: [entry], total: 1, page: 1, page_size: 50 });
    signIn(["view_records"]);
    try {
      render(RecordList, { props: { kind: timeEntries, sources: [] } });
      const filter = await screen.findByText("Main St Remodel", { selector: "[data-job-filter] strong" });
      expect(filter).toBeTruthy();
      expect(call).toHaveBeenCalledWith("list_time_entries", expect.objectContaining({ job_id: 12, page: 1 }));
      expect(screen.getByRole("link", { name: "Show all time entries" }).getAttribute("href")).toBe("#/records/time-entries");
    } finally {
      router.route = parseHash("");
    }
  });

  it("sends no job for a kind that has none, whatever the address", async () => {
    router.route = parseHash("#/records/employees/job/12");
    signIn(["view_records"]);
    try {
      render(RecordList, { props: { kind: employees, sources: [] } });
      await screen.findByText("Manual");
      expect(call).toHaveBeenCalledWith("list_employees", expect.objectContaining({ job_id: null }));
    } finally {
      router.route = parseHash("");
    }
  });
});
