import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Integration, PlatformListing } from "../../lib/bindings";

const call = vi.fn();
vi.mock("../../lib/transport", async (original) => ({
  ...(await original<typeof import("../../lib/transport")>()),
  call: (...args: unknown[]) => call(...args),
}));

const { default: ConnectDialog } = await import("./ConnectDialog.svelte");

const busybusy: PlatformListing = {
  id: "busybusy",
  name: "busybusy",
  description: "Members, projects, cost codes, time and budgets",
  auth: ["username_password"],
  modules: ["employees", "customers", "jobs", "tasks", "time_entries", "budgets"],
  publishes_payroll: false,
  available: true,
  demo: false,
};

async function signIn(username: string, password: string) {
  await fireEvent.input(screen.getByLabelText(/^Username/), { target: { value: username } });
  await fireEvent.input(screen.getByLabelText(/^Password/), { target: { value: password } });
  await fireEvent.click(screen.getByRole("button", { name: "Connect" }));
}

describe("Connect dialog, busybusy with a member's username and password", () => {
  beforeEach(() => {
    call.mockReset();
  });

  it("asks for a username, a hidden password and the attendance pull date", () => {
    render(ConnectDialog, { platform: busybusy, open: true, onconnected: () => {} });
    expect(screen.getByLabelText(/^Username/), "a username field").toBeTruthy();
    expect((screen.getByLabelText(/^Password/) as HTMLInputElement).type, "the password is hidden").toBe("password");
    expect(screen.getByLabelText(/Attendance pull date/), "time is read from the pull date").toBeTruthy();
    expect(screen.queryByText(/\.qwc/), "busybusy is not reached through the Web Connector").toBeNull();
  });

  it("connects with the username and password through connect_with_password", async () => {
    const onconnected = vi.fn();
    const integration = { id: 4, name: "busybusy", platform: "busybusy" } as unknown as Integration;
    call.mockResolvedValue(integration);
    render(ConnectDialog, { platform: busybusy, open: true, onconnected });

    await signIn("alex.admin", "busy-password");

    await waitFor(() => expect(onconnected, "the integration is handed over").toHaveBeenCalledWith(integration));
    expect(call.mock.calls[0]?.[0], "the password sign-in command is used").toBe("connect_with_password");
    expect(call.mock.calls[0]?.[1], "the sign-in is sent").toMatchObject({ platform: "busybusy", username: "alex.admin", password: "busy-password" });
  });

  it("marks the username of a member who is not an admin", async () => {
    call.mockRejectedValue({
      code: "validation",
      message: "Check the highlighted fields.",
      fields: [{ field: "username", message: "ben.worker is not a busybusy admin." }],
    });
    render(ConnectDialog, { platform: busybusy, open: true, onconnected: () => {} });

    await signIn("ben.worker", "busy-password");

    expect(await screen.findByText("ben.worker is not a busybusy admin."), "the refusal is said at the username").toBeTruthy();
  });
});
