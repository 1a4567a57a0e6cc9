import { render, screen } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Permission, PlatformListing } from "../../lib/bindings";

const call = vi.fn();
vi.mock("../../lib/transport", async (original) => ({
  ...(await original<typeof import("../../lib/transport")>()),
  call: (...args: unknown[]) => call(...args),
}));

const { session } = await import("../../lib/session.svelte");
const { default: Overview } = await import("./Overview.svelte");

const platforms: PlatformListing[] = [
  { id: "sandbox", name: "Sandbox", description: "Demo", auth: [], modules: ["employees", "time_entries"], publishes_payroll: false, available: true, demo: true },
  { id: "quickbooks_desktop", name: "QuickBooks Desktop", description: "QBWC", auth: ["username_password"], modules: ["employees"], publishes_payroll: true, available: false, demo: false },
];

function signIn(permissions: Permission[]) {
  session.info = {
    operator: { id: 1, username: "u", display_name: "U", role_id: 1, role_name: "R", builtin_role: null, active: true, created_at: "", last_sign_in_at: null },
    permissions,
  };
}

describe("Integrations overview", () => {
  beforeEach(() => {
    call.mockReset();
    call.mockImplementation(async (command: string) => (command === "list_platforms" ? platforms : []));
  });

  it("shows what each platform can sync and whether it can receive payroll", async () => {
    signIn(["view_integrations", "setup_integrations"]);
    render(Overview);
    expect(await screen.findByLabelText("Time: yes")).toBeTruthy();
    expect(screen.getByText("✓ Payroll"), "QuickBooks Desktop receives payroll").toBeTruthy();
    expect(screen.getByText("Coming in a later release"), "platforms this version cannot connect say so").toBeTruthy();
  });

  it("offers Connect only to a role that may set up integrations", async () => {
    signIn(["view_integrations"]);
    render(Overview);
    await screen.findByLabelText("Time: yes");
    expect(screen.queryByRole("button", { name: "Connect" }), "a viewer cannot connect").toBeNull();
  });

  it("labels the Sandbox as demo data", async () => {
    signIn(["view_integrations", "setup_integrations"]);
    render(Overview);
    expect(await screen.findByText("Demo data")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Connect" })).toBeTruthy();
  });
});
