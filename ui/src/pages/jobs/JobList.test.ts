import { fireEvent, render, screen, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";

const call = vi.fn();
vi.mock("../../lib/transport", async (original) => ({
  ...(await original<typeof import("../../lib/transport")>()),
  call: (...args: unknown[]) => call(...args),
}));

const { report, signIn } = await import("./fixtures");
const { default: JobList } = await import("./JobList.svelte");

/** The job rows' names, top to bottom. */
function shownJobs(): string[] {
  return Array.from(document.querySelectorAll("tr[data-job] [data-job-link]")).map((a) => a.textContent ?? "");
}

describe("the jobs list", () => {
  beforeEach(() => {
    call.mockReset();
    call.mockResolvedValue(report());
  });

  it("shows each job's hours, % used, labour and status in words", async () => {
    signIn(["view_records"]);
    render(JobList);
    const row = (await screen.findByText("Main St Remodel")).closest("tr") as HTMLElement;
    expect(within(row).getByText("J-2401"), "the job number beside its name").toBeTruthy();
    expect(row.querySelector("[data-cell='actual_hours']")?.textContent).toBe("85.0 h");
    expect(row.querySelector("[data-cell='used']")?.textContent?.trim()).toBe("85.0 %");
    expect(row.querySelector("[data-cell='labour']")?.textContent).toContain("$2,840.50");
    expect(within(row).getByText("At risk"), "the status is said, not only coloured").toBeTruthy();
    expect(call).toHaveBeenCalledWith("job_costing", { job_id: null, include_inactive: false });
  });

  it("counts the jobs at risk and over, and filters to them from the count", async () => {
    signIn(["view_records"]);
    render(JobList);
    const atRisk = (await screen.findByText("At risk", { selector: "[data-at-risk-count] span" })).closest("button") as HTMLElement;
    expect(atRisk.textContent).toContain("1");
    await fireEvent.click(atRisk);
    expect(shownJobs(), "only the job at risk").toEqual(["Main St Remodel"]);
    expect(atRisk.getAttribute("aria-pressed")).toBe("true");
  });

  it("says the burden, and offers to change it only to those who manage payroll", async () => {
    signIn(["view_records"]);
    const { unmount } = render(JobList);
    expect(await screen.findByText("Labour costed at wages + 22.5 % burden")).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Change burden" }), "a viewer cannot change it").toBeNull();
    unmount();

    signIn(["view_records", "manage_payroll"]);
    render(JobList);
    expect(await screen.findByRole("button", { name: "Change burden" })).toBeTruthy();
  });

  it("says plainly how many hours have no wage", async () => {
    signIn(["view_records"]);
    render(JobList);
    const notice = await screen.findByText(/12\.5 h have no wage: set wages to cost them\./);
    expect(notice.closest("[data-unpriced]")).toBeTruthy();
  });

  it("searches by job or customer, and sorts by a column", async () => {
    signIn(["view_records"]);
    render(JobList);
    await screen.findByText("Main St Remodel");
    await fireEvent.input(screen.getByPlaceholderText("Search by job or customer…"), { target: { value: "birch" } });
    expect(shownJobs(), "Birch Co's job").toEqual(["Oak Ave Duplex"]);
    await fireEvent.input(screen.getByPlaceholderText("Search by job or customer…"), { target: { value: "" } });

    const used = screen.getByRole("button", { name: /% used/ });
    await fireEvent.click(used);
    expect(shownJobs(), "most used first").toEqual(["Main St Remodel", "Oak Ave Duplex"]);
    expect(used.closest("th")?.getAttribute("aria-sort")).toBe("descending");
    await fireEvent.click(used);
    expect(shownJobs(), "flipped").toEqual(["Oak Ave Duplex", "Main St Remodel"]);
  });

  it("opens a job's tasks under its row, and links the job to its page", async () => {
    signIn(["view_records"]);
    render(JobList);
    const link = await screen.findByText("Main St Remodel");
    expect(link.getAttribute("href")).toBe("#/jobs/1");
    expect(screen.queryByText("100 Framing")).toBeNull();
    await fireEvent.click(screen.getByRole("button", { name: "Show the tasks of J-2401 Main St Remodel" }));
    const task = screen.getByText("100 Framing").closest("tr") as HTMLElement;
    expect(within(task).getByText("Over"), "the task's own status").toBeTruthy();
    expect(task.querySelector("[data-cell='remaining']")?.textContent).toBe("−5.0 h");
  });

  it("says what to do when there is nothing to cost yet", async () => {
    call.mockResolvedValue(report({ jobs: [], at_risk: 0 }));
    signIn(["view_records", "view_integrations"]);
    render(JobList);
    expect(await screen.findByText("No jobs to cost yet")).toBeTruthy();
    expect(screen.getByText(/Sync an integration that brings jobs, budgets and time/)).toBeTruthy();
    expect(screen.getByRole("link", { name: "Go to Integrations" }).getAttribute("href")).toBe("#/integrations");
  });
});
