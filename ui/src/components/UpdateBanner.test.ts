import { render, screen } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Permission, UpdateStatus } from "../lib/bindings";

const call = vi.fn();
vi.mock("../lib/transport", async (original) => ({
  ...(await original<typeof import("../lib/transport")>()),
  call: (...args: unknown[]) => call(...args),
}));

const { session } = await import("../lib/session.svelte");
const { default: UpdateBanner } = await import("./UpdateBanner.svelte");

function signIn(permissions: Permission[]) {
  session.info = {
    operator: { id: 1, username: "u", display_name: "U", role_id: 1, role_name: "R", builtin_role: null, active: true, created_at: "", last_sign_in_at: null },
    permissions,
  };
}

const available: UpdateStatus = {
  current_version: "0.1.0",
  check_for_updates: true,
  update: { state: "available", version: "0.2.0", notes: "Faster syncs", published: null },
};

describe("the update banner", () => {
  beforeEach(() => call.mockReset());

  it("tells an administrator a new version is there, and where to install it", async () => {
    signIn(["manage_users_and_roles"]);
    call.mockResolvedValue(available);
    render(UpdateBanner);
    const link = await screen.findByRole("link", { name: "See what is new and install it" });
    expect(link.getAttribute("href"), "to Settings → Updates").toBe("#/settings/updates");
    expect(screen.getByText("Timebridge 0.2.0 is available.")).toBeTruthy();
  });

  it("says nothing to an operator who cannot install it", async () => {
    signIn(["view_records"]);
    call.mockResolvedValue(available);
    render(UpdateBanner);
    await vi.waitFor(() => expect(call).toHaveBeenCalled());
    expect(screen.queryByRole("status"), "no banner").toBeNull();
  });

  it("says nothing when checks are off", async () => {
    signIn(["manage_users_and_roles"]);
    call.mockResolvedValue({ ...available, check_for_updates: false, update: { state: "off" } });
    render(UpdateBanner);
    await vi.waitFor(() => expect(call).toHaveBeenCalled());
    expect(screen.queryByRole("status"), "no banner").toBeNull();
  });
});
