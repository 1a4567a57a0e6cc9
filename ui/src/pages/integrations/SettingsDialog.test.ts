import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Integration } from "../../lib/bindings";

const call = vi.fn();
vi.mock("../../lib/transport", async (original) => ({
  ...(await original<typeof import("../../lib/transport")>()),
  call: (...args: unknown[]) => call(...args),
}));

const { default: SettingsDialog } = await import("./SettingsDialog.svelte");
const { session } = await import("../../lib/session.svelte");

function desktop(publishing: boolean): Integration {
  return {
    id: 4,
    name: "Lakeside Builders LLC",
    platform: "quickbooks_desktop",
    settings: {
      base_url: "http://localhost:52089/qbwc",
      pull_from: "2026-10-19",
      interval_minutes: 60,
      look_back_days: 14,
      web_connector: { username: "office", owner_id: "{A}", file_id: "{B}", app_name: "Timebridge · Lakeside Builders LLC", publishing },
    },
  } as unknown as Integration;
}

describe("a QuickBooks Desktop connection's settings", () => {
  beforeEach(() => {
    call.mockReset();
    session.info = {
      operator: { id: 1, username: "u", display_name: "U", role_id: 1, role_name: "R", builtin_role: null, active: true, created_at: "", last_sign_in_at: null },
      permissions: ["setup_integrations", "view_integrations"],
    };
  });

  it("turns publishing on and says where the new .qwc file is and what to do with it", async () => {
    call.mockImplementation(async (command: string) => {
      if (command === "set_web_connector_publishing")
        return { integration: desktop(true), qwc_path: "/home/ada/Downloads/Timebridge · Lakeside Builders LLC.qwc", next_step: "In the Web Connector, click Add an application." };
      throw new Error(`unexpected ${command}`);
    });
    const onsaved = vi.fn();
    render(SettingsDialog, { integration: desktop(false), demo: false, open: true, onsaved });
    const toggle = screen.getByLabelText("Publish payroll here") as HTMLInputElement;
    expect(toggle.checked, "off until turned on").toBe(false);
    await fireEvent.click(toggle);
    await waitFor(() => expect(screen.getByText("In the Web Connector, click Add an application.")).toBeTruthy());
    expect(call).toHaveBeenCalledWith("set_web_connector_publishing", { id: 4, on: true, folder: null });
    expect(screen.getByText("/home/ada/Downloads/Timebridge · Lakeside Builders LLC.qwc"), "where the file was saved").toBeTruthy();
    expect(onsaved, "the page reloads the connection").toHaveBeenCalled();
  });
});
