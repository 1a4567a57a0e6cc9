import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Integration, PlatformListing } from "../../lib/bindings";
import type { Layout as CsvLayout, Preview as CsvPreview } from "./csvLayout";

const call = vi.fn();
vi.mock("../../lib/transport", async (original) => ({
  ...(await original<typeof import("../../lib/transport")>()),
  call: (...args: unknown[]) => call(...args),
}));

const { default: ConnectDialog } = await import("./ConnectDialog.svelte");
const { default: SettingsDialog } = await import("./SettingsDialog.svelte");
const { readWith } = await import("./csvLayout");

const csvFiles: PlatformListing = {
  id: "csv_files",
  name: "CSV files",
  description: "Time exported by any tracker",
  auth: ["folder"],
  modules: ["employees", "time_entries"],
  publishes_payroll: false,
  available: true,
  demo: false,
} as unknown as PlatformListing;

const guess: CsvLayout = {
  name: "timesheet",
  columns: [
    { header: "Worker", field: "employee" },
    { header: "Work Date", field: "date" },
    { header: "Clock In", field: "start" },
    { header: "Clock Out", field: "end" },
    { header: "Project", field: "job" },
    { header: "Memo", field: null },
  ],
  has_header: true,
  delimiter: ",",
  date_format: "%m/%d/%Y",
  time_format: "%I:%M %p",
  duration_format: "decimal_hours",
  time_zone: null,
};

const preview: CsvPreview = {
  file: "/exports/timesheet.csv",
  headers: guess.columns.map((c) => c.header),
  rows: [
    ["Ana Ortiz", "11/16/2026", "7:00 AM", "3:30 PM", "Maple Court", "mowing"],
    ["Ben Nguyen", "11/17/2026", "8:00 AM", "4:00 PM", "Cedar Ridge", ""],
  ],
  row_count: 2,
  guess,
  missing: [],
  problems: [],
};

const integration = { id: 9, name: "Tracker", platform: "csv_files" } as unknown as Integration;

/** The backend: a preview of `preview`, the saved layouts, and every
 *  save and connect recorded. */
function backend(saved: CsvLayout[] = [], refuse?: { command: string; field: string; message: string }) {
  call.mockImplementation(async (command: string, args: { layout?: CsvLayout }) => {
    if (refuse && command === refuse.command) {
      throw { code: "validation", message: refuse.message, fields: [{ field: refuse.field, message: refuse.message }], retry_after_seconds: null };
    }
    if (command === "list_csv_layouts") return saved;
    if (command === "preview_csv") return preview;
    if (command === "save_csv_layout") return args.layout;
    if (command === "connect_folder") return integration;
    throw new Error(`unexpected ${JSON.stringify([command, args])}`);
  });
}

async function previewExport() {
  render(ConnectDialog, { platform: csvFiles, open: true, onconnected: () => {} });
  await fireEvent.input(screen.getByLabelText(/^Export file or folder/), { target: { value: "/exports" } });
  await fireEvent.click(screen.getByRole("button", { name: "Preview" }));
  await screen.findByText(/The first 2 of 2 rows/);
}

function columnSelect(header: string): HTMLSelectElement {
  return screen.getByLabelText(`What “${header}” holds`) as HTMLSelectElement;
}

function connectButton(): HTMLButtonElement {
  return screen.getByRole("button", { name: "Connect" }) as HTMLButtonElement;
}

function sent(command: string): Record<string, unknown> | undefined {
  return call.mock.calls.find(([c]) => c === command)?.[1] as Record<string, unknown> | undefined;
}

describe("the CSV mapping screen", () => {
  beforeEach(() => {
    call.mockReset();
  });

  it("preselects each column's field and the formats from the guess", async () => {
    backend();
    await previewExport();
    expect(columnSelect("Worker").value, "the guessed employee column").toBe("employee");
    expect(columnSelect("Clock Out").value, "the guessed end column").toBe("end");
    expect(columnSelect("Memo").value, "a column the guess left out is not imported").toBe("");
    const dateFormat = screen.getByLabelText("Date format") as HTMLSelectElement;
    expect(dateFormat.value, "the guessed date format is chosen").toBe("%m/%d/%Y");
    expect(dateFormat.selectedOptions[0]?.textContent, "with the file's first date read in it").toContain("November 16, 2026");
  });

  it("saves the column's field the admin changed, then connects with that layout", async () => {
    backend();
    await previewExport();
    await fireEvent.change(columnSelect("Memo"), { target: { value: "notes" } });
    await fireEvent.click(connectButton());
    await waitFor(() => expect(sent("connect_folder"), "connected after the save").toBeTruthy());
    const layout = sent("save_csv_layout")?.layout as CsvLayout;
    expect(layout.columns[5], "the changed column is saved as Notes").toEqual({ header: "Memo", field: "notes" });
    expect(layout.name, "a new layout is named after the integration").toBe("CSV files");
    expect(sent("connect_folder"), "the connection names its folder and layout").toMatchObject({
      platform: "csv_files",
      settings: { folder: "/exports", csv_layout: "CSV files" },
    });
  });

  it("keeps Connect disabled while a required column is missing, and says which", async () => {
    backend();
    await previewExport();
    await fireEvent.change(columnSelect("Worker"), { target: { value: "" } });
    expect(connectButton().disabled, "nothing to connect without an employee column").toBe(true);
    const missing = document.querySelector("[data-csv-missing]");
    expect(missing?.textContent, "the reason is said above the table").toContain("the employee (a name or an employee number)");
    await fireEvent.change(columnSelect("Worker"), { target: { value: "employee_number" } });
    expect(connectButton().disabled, "an employee number column is enough").toBe(false);
  });

  it("names the values that do not read once a format is changed", async () => {
    backend();
    await previewExport();
    await fireEvent.change(screen.getByLabelText("Time format"), { target: { value: "%H:%M" } });
    const problems = document.querySelector("[data-csv-problems]")?.textContent ?? "";
    expect(problems, "the row, column and value that no longer read").toContain("Row 1, column “Clock In”: “7:00 AM”");
  });

  it("reads the header line as a row once First row is headers is turned off", async () => {
    backend();
    await previewExport();
    await fireEvent.click(screen.getByLabelText("First row is headers"));
    expect(columnSelect("Column 1").value, "the columns are numbered, their fields kept").toBe("employee");
    expect(screen.getByRole("cell", { name: "Worker" }), "the header line is shown as data").toBeTruthy();
  });

  it("applies a saved layout to the preview and connects with it", async () => {
    const crew: CsvLayout = {
      ...guess,
      name: "Crew tracker",
      columns: guess.columns.map((c) => (c.header === "Project" ? { ...c, field: "task" } : c.header === "Memo" ? { ...c, field: "notes" } : c)),
      time_zone: "America/Chicago",
    };
    backend([crew]);
    await previewExport();
    await fireEvent.change(screen.getByLabelText("Layout"), { target: { value: "Crew tracker" } });
    expect(columnSelect("Project").value, "the saved layout's field for the column").toBe("task");
    expect((screen.getByLabelText("Time zone") as HTMLSelectElement).value, "and its time zone").toBe("America/Chicago");
    await fireEvent.click(connectButton());
    await waitFor(() => expect(sent("connect_folder")).toMatchObject({ settings: { csv_layout: "Crew tracker" } }));
  });

  it("warns that a new layout named like a saved one replaces it", async () => {
    backend([{ ...guess, name: "Yard crew" }]);
    await previewExport();
    await fireEvent.input(screen.getByLabelText(/^Save this layout as/), { target: { value: "yard crew" } });
    expect(screen.getByText(/connecting replaces it/).textContent, "the saved layout it replaces is named").toContain("“Yard crew”");
  });

  it("shows a preview refusal on the path field", async () => {
    backend([], { command: "preview_csv", field: "path", message: "There is no file or folder at /exports." });
    render(ConnectDialog, { platform: csvFiles, open: true, onconnected: () => {} });
    await fireEvent.input(screen.getByLabelText(/^Export file or folder/), { target: { value: "/exports" } });
    await fireEvent.click(screen.getByRole("button", { name: "Preview" }));
    const path = screen.getByLabelText(/^Export file or folder/);
    await waitFor(() => expect(path.getAttribute("aria-invalid"), "the path is marked").toBe("true"));
    expect(screen.getByText("There is no file or folder at /exports."), "with what is wrong").toBeTruthy();
  });

  it("shows a refused layout's problems on their fields", async () => {
    backend([], { command: "save_csv_layout", field: "time_zone", message: "“Mars/Olympus” is not a time zone." });
    await previewExport();
    await fireEvent.click(connectButton());
    const zone = screen.getByLabelText("Time zone");
    await waitFor(() => expect(zone.getAttribute("aria-invalid"), "the time zone is marked").toBe("true"));
    expect(screen.getByText("“Mars/Olympus” is not a time zone."), "with the reason").toBeTruthy();
    expect(sent("connect_folder"), "nothing connects with a refused layout").toBeUndefined();
  });

  it("shows the layout name's refusal on the name to save as, not the integration's", async () => {
    backend([], { command: "save_csv_layout", field: "name", message: "Give the layout a name." });
    await previewExport();
    await fireEvent.click(connectButton());
    const saveAs = screen.getByLabelText(/^Save this layout as/);
    await waitFor(() => expect(saveAs.getAttribute("aria-invalid"), "the layout's name is marked").toBe("true"));
    expect(screen.getByLabelText(/^Name/).getAttribute("aria-invalid"), "the integration's name is not").toBe("false");
  });
});

describe("a CSV files integration's settings", () => {
  beforeEach(() => {
    call.mockReset();
  });

  it("changes the integration's layout to another saved one", async () => {
    backend([guess, { ...guess, name: "Crew tracker" }]);
    const connected = {
      ...integration,
      settings: { base_url: null, pull_from: "2026-11-01", interval_minutes: 120, look_back_days: 14, folder: "/exports", csv_layout: "timesheet" },
    } as unknown as Integration;
    render(SettingsDialog, { integration: connected, demo: false, open: true, onsaved: () => {} });
    const select = (await screen.findByLabelText(/^Layout/)) as HTMLSelectElement;
    await waitFor(() => expect(within(select).getAllByRole("option")).toHaveLength(2));
    expect(select.value, "its layout is chosen").toBe("timesheet");
    call.mockImplementation(async (_command: string, args: unknown) => args);
    await fireEvent.change(select, { target: { value: "Crew tracker" } });
    await fireEvent.click(screen.getByRole("button", { name: "Save" }));
    await waitFor(() =>
      expect(sent("update_integration_settings"), "the new layout is saved").toMatchObject({ draft: { csv_layout: "Crew tracker" } }),
    );
  });
});

describe("reading a value in a chrono format", () => {
  it("reads unpadded numbers and AM/PM as chrono does", () => {
    expect(readWith("%m/%d/%Y %I:%M %p", "1/2/2026 7:05 pm"), "month, day, and 7:05 PM").toMatchObject({ month: 1, day: 2, hour: 19, minute: 5 });
  });

  it("refuses a day the month does not have", () => {
    expect(readWith("%d.%m.%Y", "31.02.2026"), "there is no 31 February").toBeNull();
  });
});
