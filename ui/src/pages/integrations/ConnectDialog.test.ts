import { fireEvent, render, screen, waitFor } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Integration, PlatformListing } from "../../lib/bindings";

const call = vi.fn();
vi.mock("../../lib/transport", async (original) => ({
  ...(await original<typeof import("../../lib/transport")>()),
  call: (...args: unknown[]) => call(...args),
}));

const { default: ConnectDialog } = await import("./ConnectDialog.svelte");

const quickbooksTime: PlatformListing = {
  id: "quickbooks_time",
  name: "QuickBooks Time",
  description: "Users, jobcodes, timesheets",
  auth: ["o_auth2", "access_token"],
  modules: ["employees"],
  publishes_payroll: false,
  available: true,
  demo: false,
};

const integration = { id: 7, name: "QuickBooks Time", platform: "quickbooks_time" } as unknown as Integration;

function signInStarted(browserOpened: boolean) {
  return { flow: "f1", authorize_url: "https://rest.tsheets.com/api/v1/authorize?client_id=abc", redirect_uri: "http://127.0.0.1:47290/callback", browser_opened: browserOpened };
}

async function startBrowserSignIn() {
  await fireEvent.input(screen.getByLabelText(/^Client ID/), { target: { value: "abc" } });
  await fireEvent.input(screen.getByLabelText(/^Client secret/), { target: { value: "shh" } });
  await fireEvent.click(screen.getByRole("button", { name: "Sign in with QuickBooks Time" }));
}

describe("Connect dialog, browser sign-in", () => {
  beforeEach(() => {
    call.mockReset();
  });

  it("offers the browser sign-in first when the platform has one", () => {
    render(ConnectDialog, { platform: quickbooksTime, open: true, onconnected: () => {} });
    const browser = screen.getByLabelText("Sign in in the browser") as HTMLInputElement;
    expect(browser.checked, "the browser sign-in is the default").toBe(true);
    expect(screen.getByText("http://127.0.0.1:47290/callback"), "the address to register is shown").toBeTruthy();
  });

  it("waits for the browser, then hands over the new integration", async () => {
    const onconnected = vi.fn();
    let polls = 0;
    call.mockImplementation(async (command: string) => {
      if (command === "begin_browser_sign_in") return signInStarted(true);
      if (command === "browser_sign_in_status") {
        polls += 1;
        return polls < 2 ? { state: "waiting", integration: null, error: null } : { state: "connected", integration, error: null };
      }
      throw new Error(`unexpected ${command}`);
    });
    render(ConnectDialog, { platform: quickbooksTime, open: true, onconnected, pollMs: 10 });

    await startBrowserSignIn();

    expect(await screen.findByText("Finish signing in in your browser.")).toBeTruthy();
    await waitFor(() => expect(onconnected, "connected once the browser came back").toHaveBeenCalledWith(integration));
    const begin = call.mock.calls.find(([command]) => command === "begin_browser_sign_in");
    expect(begin?.[1], "the application details are sent").toMatchObject({ client_id: "abc", client_secret: "shh" });
  });

  it("shows the sign-in address when the browser did not open", async () => {
    call.mockImplementation(async (command: string) =>
      command === "begin_browser_sign_in" ? signInStarted(false) : { state: "waiting", integration: null, error: null },
    );
    render(ConnectDialog, { platform: quickbooksTime, open: true, onconnected: () => {}, pollMs: 10 });

    await startBrowserSignIn();

    expect((await screen.findByText(/authorize\?client_id=abc/)).textContent, "the link to open by hand").toContain("rest.tsheets.com");
  });

  it("says why a sign-in failed and returns to the form", async () => {
    call.mockImplementation(async (command: string) =>
      command === "begin_browser_sign_in"
        ? signInStarted(true)
        : { state: "failed", integration: null, error: { code: "auth_failed", message: "The QuickBooks Time sign-in was declined in the browser.", fields: [], retry_after_seconds: null } },
    );
    render(ConnectDialog, { platform: quickbooksTime, open: true, onconnected: () => {}, pollMs: 10 });

    await startBrowserSignIn();

    expect((await screen.findByRole("alert")).textContent).toContain("declined");
    expect(screen.getByLabelText(/^Client ID/), "the form is back to try again").toBeTruthy();
  });

  it("cancels the waiting sign-in when asked", async () => {
    call.mockImplementation(async (command: string) =>
      command === "begin_browser_sign_in" ? signInStarted(true) : command === "cancel_browser_sign_in" ? true : { state: "waiting", integration: null, error: null },
    );
    render(ConnectDialog, { platform: quickbooksTime, open: true, onconnected: () => {}, pollMs: 1000 });
    await startBrowserSignIn();

    await fireEvent.click(await screen.findByRole("button", { name: "Cancel sign-in" }));

    expect(call.mock.calls.some(([command, args]) => command === "cancel_browser_sign_in" && (args as { flow: string }).flow === "f1"), "the backend stops waiting").toBe(true);
  });
});

const aspire: PlatformListing = {
  id: "aspire",
  name: "Aspire",
  description: "Contacts, opportunities, work-ticket time",
  auth: ["client_credentials"],
  modules: ["employees"],
  publishes_payroll: false,
  available: true,
  demo: false,
};

describe("Connect dialog, client ID and secret", () => {
  beforeEach(() => {
    call.mockReset();
  });

  async function fillAndConnect(id: string, secret: string) {
    await fireEvent.input(screen.getByLabelText(/^Client ID/), { target: { value: id } });
    await fireEvent.input(screen.getByLabelText(/^Client secret/), { target: { value: secret } });
    await fireEvent.click(screen.getByRole("button", { name: "Connect" }));
  }

  it("asks for the application's client ID and secret, and connects with them", async () => {
    const onconnected = vi.fn();
    call.mockResolvedValue({ ...integration, platform: "aspire" });
    render(ConnectDialog, { platform: aspire, open: true, onconnected });
    expect(screen.queryByLabelText(/^Access token/), "no token field for a client-credentials platform").toBeNull();

    await fillAndConnect("app-1", "s3cret");

    await waitFor(() => expect(onconnected, "the new integration is handed over").toHaveBeenCalled());
    expect(call.mock.calls[0]?.[0], "the client-credentials command is used").toBe("connect_with_client_credentials");
    expect(call.mock.calls[0]?.[1], "with what was typed").toMatchObject({ platform: "aspire", client_id: "app-1", client_secret: "s3cret" });
  });

  it("marks the secret field when the platform refuses, and stays open", async () => {
    const onconnected = vi.fn();
    call.mockRejectedValue({
      code: "validation",
      message: "Some fields need attention.",
      fields: [{ field: "client_secret", message: "Aspire did not accept this client ID and secret." }],
      retry_after_seconds: null,
    });
    render(ConnectDialog, { platform: aspire, open: true, onconnected });

    await fillAndConnect("app-1", "wrong");

    expect(await screen.findByText("Aspire did not accept this client ID and secret."), "the refusal is said at the field").toBeTruthy();
    expect(onconnected, "nothing was connected").not.toHaveBeenCalled();
  });
});

const clockshark: PlatformListing = {
  id: "clockshark",
  name: "ClockShark",
  description: "Timesheet exports",
  auth: ["folder"],
  modules: ["employees", "time_entries"],
  publishes_payroll: false,
  available: true,
  demo: false,
};

describe("Connect dialog, export folder", () => {
  beforeEach(() => {
    call.mockReset();
  });

  it("asks for the folder instead of a sign-in or an API address, and connects with it", async () => {
    const onconnected = vi.fn();
    call.mockResolvedValue({ ...integration, platform: "clockshark" });
    render(ConnectDialog, { platform: clockshark, open: true, onconnected });
    expect(screen.queryByLabelText(/^API address/), "a folder platform has no API address").toBeNull();
    expect(screen.queryByLabelText(/^Client ID/), "nor a sign-in").toBeNull();

    await fireEvent.input(screen.getByLabelText(/^Export folder/), { target: { value: "/srv/exports" } });
    await fireEvent.click(screen.getByRole("button", { name: "Connect" }));

    await waitFor(() => expect(onconnected, "connected").toHaveBeenCalled());
    expect(call.mock.calls[0]?.[0], "the folder command is used").toBe("connect_folder");
    expect(call.mock.calls[0]?.[1], "with the folder in the settings").toMatchObject({ platform: "clockshark", settings: { folder: "/srv/exports" } });
  });

  it("says at the folder field what is wrong with the folder", async () => {
    call.mockRejectedValue({
      code: "validation",
      message: "Some fields need attention.",
      fields: [{ field: "folder", message: "The folder “/srv/nope” does not exist." }],
      retry_after_seconds: null,
    });
    render(ConnectDialog, { platform: clockshark, open: true, onconnected: () => {} });
    await fireEvent.input(screen.getByLabelText(/^Export folder/), { target: { value: "/srv/nope" } });
    await fireEvent.click(screen.getByRole("button", { name: "Connect" }));

    expect(await screen.findByText("The folder “/srv/nope” does not exist."), "the problem is said at the field").toBeTruthy();
  });
});

const quickbooksDesktop: PlatformListing = {
  id: "quickbooks_desktop",
  name: "QuickBooks Desktop",
  description: "Through the QuickBooks Web Connector",
  auth: ["username_password"],
  modules: ["employees", "customers", "jobs", "tasks", "pay_items"],
  publishes_payroll: false,
  available: true,
  demo: false,
};

const webConnectorStarted = {
  flow: "w1",
  qwc_path: "/home/ada/Downloads/Timebridge · QuickBooks Desktop.qwc",
  app_url: "http://localhost:52089/qbwc",
  username: "office",
};

async function startWebConnector() {
  await fireEvent.input(screen.getByLabelText(/^Username/), { target: { value: "office" } });
  await fireEvent.input(screen.getByLabelText(/^Password/), { target: { value: "Yard-Office-2026" } });
  await fireEvent.click(screen.getByRole("button", { name: "Save the .qwc file and wait" }));
}

describe("Connect dialog, QuickBooks Desktop through the Web Connector", () => {
  beforeEach(() => {
    call.mockReset();
  });

  it("asks for a username and password, and not for time settings it does not use", () => {
    render(ConnectDialog, { platform: quickbooksDesktop, open: true, onconnected: () => {} });
    expect(screen.getByLabelText(/^Username/), "a username field").toBeTruthy();
    expect((screen.getByLabelText(/^Password/) as HTMLInputElement).type, "the password is hidden").toBe("password");
    expect(screen.queryByLabelText(/Attendance pull date/), "no time is read from QuickBooks Desktop").toBeNull();
    expect(screen.getByLabelText(/Web Connector address/), "the address it answers at can be changed").toBeTruthy();
  });

  it("shows the .qwc file to add, says a wrong password plainly, then hands over the integration", async () => {
    const onconnected = vi.fn();
    const integration = { id: 9, name: "Lakeside Builders LLC", platform: "quickbooks_desktop" } as unknown as Integration;
    let polls = 0;
    call.mockImplementation(async (command: string) => {
      if (command === "connect_web_connector") return webConnectorStarted;
      if (command === "web_connector_status") {
        polls += 1;
        if (polls < 4) {
          return { state: "waiting", refused: "The Web Connector signed in as “office” with a wrong username or password.", integration: null, error: null };
        }
        return { state: "connected", refused: null, integration, error: null };
      }
      throw new Error(`unexpected ${command}`);
    });
    render(ConnectDialog, { platform: quickbooksDesktop, open: true, onconnected, pollMs: 10 });

    await startWebConnector();

    expect(await screen.findByText(webConnectorStarted.qwc_path), "the file to add is shown").toBeTruthy();
    expect((await screen.findByRole("alert")).textContent, "the refusal is said plainly").toContain("wrong username or password");
    await waitFor(() => expect(onconnected, "connected once QuickBooks answered").toHaveBeenCalledWith(integration));
    const begin = call.mock.calls.find(([command]) => command === "connect_web_connector");
    expect(begin?.[1], "the chosen sign-in is sent").toMatchObject({ platform: "quickbooks_desktop", username: "office", password: "Yard-Office-2026" });
  });

  it("marks the username and password fields the backend refused", async () => {
    call.mockRejectedValue({
      code: "validation",
      message: "Check the highlighted fields.",
      fields: [
        { field: "username", message: "Choose a username for the Web Connector to sign in with." },
        { field: "password", message: "Choose a password of at least 8 characters." },
      ],
      retry_after_seconds: null,
    });
    render(ConnectDialog, { platform: quickbooksDesktop, open: true, onconnected: () => {} });

    await startWebConnector();

    expect(await screen.findByText("Choose a password of at least 8 characters.")).toBeTruthy();
    expect(screen.getByText("Choose a username for the Web Connector to sign in with.")).toBeTruthy();
  });

  it("stops waiting when asked", async () => {
    call.mockImplementation(async (command: string) => {
      if (command === "connect_web_connector") return webConnectorStarted;
      if (command === "cancel_web_connector") return true;
      return { state: "waiting", refused: null, integration: null, error: null };
    });
    render(ConnectDialog, { platform: quickbooksDesktop, open: true, onconnected: () => {}, pollMs: 10 });

    await startWebConnector();
    await fireEvent.click(await screen.findByRole("button", { name: "Stop waiting" }));

    await waitFor(() =>
      expect(call.mock.calls.some(([command]) => command === "cancel_web_connector"), "the wait is cancelled in the backend").toBe(true),
    );
    expect(screen.getByLabelText(/^Username/), "back to the form").toBeTruthy();
  });
});

const sage: PlatformListing = {
  id: "sage300_cre",
  name: "Sage 300 CRE",
  description: "Through its ODBC driver",
  auth: ["odbc", "folder"],
  modules: ["employees", "jobs", "tasks", "pay_items"],
  publishes_payroll: true,
  available: true,
  demo: false,
};

describe("Connect dialog, Sage 300 CRE", () => {
  beforeEach(() => {
    call.mockReset();
  });

  it("asks for the data source and the import folder, and connects with them", async () => {
    const onconnected = vi.fn();
    call.mockResolvedValue({ ...integration, platform: "sage300_cre" });
    render(ConnectDialog, { platform: sage, open: true, onconnected });
    expect(screen.queryByLabelText(/^Attendance pull date/), "Sage's lists hold no time to pull").toBeNull();

    await fireEvent.input(screen.getByLabelText(/^ODBC data source/), { target: { value: "SageData" } });
    await fireEvent.input(screen.getByLabelText(/^Import folder/), { target: { value: "C:\\Sage\\Import" } });
    await fireEvent.click(screen.getByRole("button", { name: "Connect" }));

    await waitFor(() => expect(onconnected, "connected").toHaveBeenCalled());
    expect(call.mock.calls[0]?.[0], "the data source command is used").toBe("connect_data_source");
    expect(call.mock.calls[0]?.[1], "with the DSN and the import folder in the settings").toMatchObject({
      platform: "sage300_cre",
      settings: { dsn: "SageData", import_folder: "C:\\Sage\\Import" },
    });
  });

  it("says at the data source field why it could not be opened", async () => {
    call.mockRejectedValue({
      code: "validation",
      message: "Some fields need attention.",
      fields: [{ field: "dsn", message: "There is no ODBC data source “Timberline” on this computer." }],
      retry_after_seconds: null,
    });
    render(ConnectDialog, { platform: sage, open: true, onconnected: () => {} });
    await fireEvent.input(screen.getByLabelText(/^ODBC data source/), { target: { value: "Timberline" } });
    await fireEvent.click(screen.getByRole("button", { name: "Connect" }));

    expect(await screen.findByText("There is no ODBC data source “Timberline” on this computer."), "the refusal is said at the field").toBeTruthy();
  });

  it("reads exported lists from a folder instead", async () => {
    call.mockResolvedValue({ ...integration, platform: "sage300_cre" });
    render(ConnectDialog, { platform: sage, open: true, onconnected: () => {} });
    await fireEvent.click(screen.getByLabelText("Lists exported as CSV"));
    await fireEvent.input(screen.getByLabelText(/^Export folder/), { target: { value: "/srv/sage-lists" } });
    await fireEvent.click(screen.getByRole("button", { name: "Connect" }));

    await waitFor(() => expect(call, "connected").toHaveBeenCalled());
    expect(call.mock.calls[0]?.[0], "the folder command is used").toBe("connect_folder");
  });
});

const sandbox: PlatformListing = {
  id: "sandbox",
  name: "Sandbox",
  description: "A demo construction company",
  auth: [],
  modules: ["employees"],
  publishes_payroll: true,
  available: true,
  demo: true,
};

describe("Connect dialog, the Sandbox", () => {
  beforeEach(() => {
    call.mockReset();
    call.mockResolvedValue({ ...integration, platform: "sandbox" });
  });

  it("is a QuickBooks Time demo company unless another is chosen", async () => {
    render(ConnectDialog, { platform: sandbox, open: true, onconnected: () => {} });
    const quickbooks = screen.getByLabelText("QuickBooks Time") as HTMLInputElement;
    expect(quickbooks.checked, "QuickBooks Time is the default demo company, as every Sandbox was").toBe(true);

    await fireEvent.click(screen.getByRole("button", { name: "Connect" }));

    await waitFor(() => expect(call, "connected").toHaveBeenCalled());
    expect(call.mock.calls[0]?.[1], "the Sandbox is connected as QuickBooks Time").toMatchObject({ company: "quickbooks_time", name: "Sandbox (demo data)" });
  });

  it("connects as a busybusy organization when busybusy is chosen", async () => {
    render(ConnectDialog, { platform: sandbox, open: true, onconnected: () => {} });

    await fireEvent.click(screen.getByLabelText("busybusy"));
    await fireEvent.click(screen.getByRole("button", { name: "Connect" }));

    await waitFor(() => expect(call, "connected").toHaveBeenCalled());
    expect(call.mock.calls[0], "connect_sandbox is asked for a busybusy company, named after it").toEqual([
      "connect_sandbox",
      expect.objectContaining({ company: "busybusy", name: "Sandbox (busybusy demo data)" }),
    ]);
  });

  it("keeps a name the admin typed when the company changes", async () => {
    render(ConnectDialog, { platform: sandbox, open: true, onconnected: () => {} });
    await fireEvent.input(screen.getByLabelText(/^Name/), { target: { value: "Training company" } });

    await fireEvent.click(screen.getByLabelText("busybusy"));

    expect((screen.getByLabelText(/^Name/) as HTMLInputElement).value, "only the default name follows the company").toBe("Training company");
  });
});
