import { fireEvent, render, screen } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Permission, UpdateStatus } from "../../lib/bindings";

const call = vi.fn();
vi.mock("../../lib/transport", async (original) => ({
  ...(await original<typeof import("../../lib/transport")>()),
  call: (...args: unknown[]) => call(...args),
}));

const { default: Updates } = await import("./Updates.svelte");
const { session } = await import("../../lib/session.svelte");

function signIn(permissions: Permission[]) {
  session.info = {
    operator: { id: 1, username: "u", display_name: "U", role_id: 1, role_name: "R", builtin_role: null, active: true, created_at: "", last_sign_in_at: null },
    permissions,
  };
}

const available: UpdateStatus = {
  current_version: "0.1.0",
  check_for_updates: true,
  update: { state: "available", version: "0.2.0", notes: "Faster syncs.", published: null },
};

describe("the Updates settings", () => {
  beforeEach(() => {
    call.mockReset();
  });

  it("shows the new version with its notes and installs on an administrator's click", async () => {
    signIn(["manage_users_and_roles"]);
    call.mockImplementation(async (command: string) =>
      command === "install_update" ? { ...available, update: { state: "installing", version: "0.2.0" } } : available,
    );
    render(Updates);
    expect((await screen.findByText("Version 0.2.0 is available")).textContent).toBeTruthy();
    expect(screen.getByText("Faster syncs.")).toBeTruthy();
    await fireEvent.click(screen.getByRole("button", { name: "Install and restart" }));
    expect(call).toHaveBeenCalledWith("install_update", null);
  });

  it("offers no install button to someone who is not an administrator", async () => {
    signIn([]);
    call.mockResolvedValue(available);
    render(Updates);
    await screen.findByText("Version 0.2.0 is available");
    expect(screen.queryByRole("button", { name: "Install and restart" }), "only administrators install").toBeNull();
  });

  it("turns checks off from the checkbox", async () => {
    signIn(["manage_users_and_roles"]);
    call.mockImplementation(async (command: string) =>
      command === "save_update_settings" ? { ...available, check_for_updates: false, update: { state: "off" } } : available,
    );
    render(Updates);
    await fireEvent.click(await screen.findByRole("checkbox", { name: /Check for updates/ }));
    expect(call).toHaveBeenCalledWith("save_update_settings", { check_for_updates: false });
    expect((await screen.findByText("Checking for updates is off.")).textContent).toBeTruthy();
  });

  it("says plainly why a check failed", async () => {
    signIn(["manage_users_and_roles"]);
    call.mockResolvedValue({ ...available, update: { state: "failed", message: "Could not check for updates: no route to host." } });
    render(Updates);
    expect((await screen.findByRole("alert")).textContent).toContain("Could not check for updates: no route to host.");
  });
});
