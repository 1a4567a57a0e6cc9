import { render, screen } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Permission } from "../../lib/bindings";

const call = vi.fn();
vi.mock("../../lib/transport", async (original) => ({
  ...(await original<typeof import("../../lib/transport")>()),
  call: (...args: unknown[]) => call(...args),
}));

const { session } = await import("../../lib/session.svelte");
const { employees } = await import("./kinds");
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
});
