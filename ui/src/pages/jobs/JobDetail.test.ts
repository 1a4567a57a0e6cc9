import { fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { Wage } from "../../lib/bindings";

const call = vi.fn();
vi.mock("../../lib/transport", async (original) => ({
  ...(await original<typeof import("../../lib/transport")>()),
  call: (...args: unknown[]) => call(...args),
}));

const { detail, signIn } = await import("./fixtures");
const { default: JobDetail } = await import("./JobDetail.svelte");

const imported: Wage = { id: 3, employee_id: 11, from: "2026-01-05", cents_per_hour: 3000, source: "imported", integration_id: 2, updated_by: "system" };
const byHand: Wage = { id: 4, employee_id: 11, from: "2026-09-01", cents_per_hour: 3250, source: "manual", integration_id: null, updated_by: "operator:1" };

/** The backend: the job, and Marcus Bell's wages (with whatever was set). */
function backend(wages: Wage[]) {
  call.mockImplementation(async (command: string, args: Record<string, unknown>) => {
    switch (command) {
      case "job_costing_detail":
        return detail();
      case "employee_wages":
        return wages;
      case "set_employee_wage": {
        const wage: Wage = { id: 9, employee_id: args.employee_id as number, from: args.from as string, cents_per_hour: args.cents_per_hour as number, source: "manual", integration_id: null, updated_by: "operator:1" };
        wages = [wage, ...wages];
        return wage;
      }
      case "remove_employee_wage":
        wages = wages.filter((w) => w.id !== args.id);
        return null;
      default:
        throw new Error(`unexpected ${command}`);
    }
  });
}

function calls(command: string): unknown[][] {
  return call.mock.calls.filter(([name]) => name === command);
}

describe("a job in detail", () => {
  beforeEach(() => {
    call.mockReset();
    backend([imported]);
  });

  it("shows the job's figures against its budget", async () => {
    signIn(["view_records"]);
    render(JobDetail, { props: { jobId: 1 } });
    const figures = (await screen.findByLabelText("The job against its budget")) as HTMLElement;
    expect(figures.querySelector("[data-figure='budget_hours']")?.textContent).toBe("100.0 h");
    expect(figures.querySelector("[data-figure='used']")?.textContent).toBe("85.0 %");
    expect(figures.querySelector("[data-figure='labour']")?.textContent).toBe("$2,840.50");
    expect(screen.getAllByText("At risk").length, "its status in words").toBeGreaterThan(0);
    expect(call).toHaveBeenCalledWith("job_costing_detail", { id: 1 });
  });

  it("draws the hours per week against the budget as a titled chart, with the weeks as a table too", async () => {
    signIn(["view_records"]);
    render(JobDetail, { props: { jobId: 1 } });
    const chart = await screen.findByRole("img", { name: /Hours per week on Main St Remodel/ });
    expect(chart.querySelectorAll("rect[data-week]").length, "a bar a week").toBe(2);
    expect(chart.querySelector("[data-budget-line]"), "the budget line").toBeTruthy();
    expect(chart.querySelector("[data-cumulative]"), "the hours to date").toBeTruthy();
    expect(chart.querySelector("desc")?.textContent).toContain("85.0 h in all, against a budget of 100.0 h");
    const table = document.querySelector("[data-weeks-table]") as HTMLElement;
    expect(within(table).getByText("45.0 h"), "the second week's hours").toBeTruthy();
  });

  it("lists who worked it, marks who has no wage, and links to the job's entries", async () => {
    signIn(["view_records"]);
    render(JobDetail, { props: { jobId: 1 } });
    const priya = (await screen.findByText("Priya Nair")).closest("tr") as HTMLElement;
    expect(within(priya).getByText("no wage")).toBeTruthy();
    const marcus = screen.getByText("Marcus Bell").closest("tr") as HTMLElement;
    expect(within(marcus).queryByText(/no wage/), "Marcus has a wage").toBeNull();
    expect(screen.getByText("See its 12 entries in Records").getAttribute("href")).toBe("#/records/time-entries/job/1");
    expect(screen.queryByRole("button", { name: /Wages of/ }), "wages are for payroll managers").toBeNull();
  });

  it("sets a wage from a date in dollars, sent as cents, and reloads the figures", async () => {
    signIn(["view_records", "manage_payroll"]);
    render(JobDetail, { props: { jobId: 1 } });
    await fireEvent.click(await screen.findByRole("button", { name: "Wages of Marcus Bell" }));
    const dialog = (await screen.findByText("Imported with the employee")).closest("dialog") as HTMLElement;
    expect(within(dialog).getByText("$30.00/h")).toBeTruthy();
    expect(within(dialog).queryByRole("button", { name: /Remove/ }), "an imported wage is not removed here").toBeNull();

    await fireEvent.input(within(dialog).getByLabelText(/Wage \(\$ an hour\)/), { target: { value: "$34.25" } });
    await fireEvent.input(within(dialog).getByLabelText(/From/), { target: { value: "2026-10-26" } });
    const before = calls("job_costing_detail").length;
    await fireEvent.click(within(dialog).getByRole("button", { name: "Set wage" }));

    await waitFor(() => expect(calls("set_employee_wage")).toEqual([["set_employee_wage", { employee_id: 11, from: "2026-10-26", cents_per_hour: 3425 }]]));
    expect(await within(dialog).findByText("$34.25/h"), "the new wage is listed").toBeTruthy();
    await waitFor(() => expect(calls("job_costing_detail").length, "the page costs the job again").toBe(before + 1));
  });

  it("refuses a wage that is not dollars before asking the backend", async () => {
    signIn(["view_records", "manage_payroll"]);
    render(JobDetail, { props: { jobId: 1 } });
    await fireEvent.click(await screen.findByRole("button", { name: "Wages of Marcus Bell" }));
    const dialog = (await screen.findByText("Imported with the employee")).closest("dialog") as HTMLElement;
    await fireEvent.input(within(dialog).getByLabelText(/Wage \(\$ an hour\)/), { target: { value: "thirty" } });
    await fireEvent.click(within(dialog).getByRole("button", { name: "Set wage" }));
    expect(await within(dialog).findByText("Enter the wage in dollars an hour, like 28.50.")).toBeTruthy();
    expect(calls("set_employee_wage")).toEqual([]);
  });

  it("removes a wage set by hand", async () => {
    backend([byHand, imported]);
    signIn(["view_records", "manage_payroll"]);
    render(JobDetail, { props: { jobId: 1 } });
    await fireEvent.click(await screen.findByRole("button", { name: "Wages of Marcus Bell" }));
    const remove = await screen.findByRole("button", { name: /Remove the wage of \$32\.50\/h/ });
    await fireEvent.click(remove);
    await waitFor(() => expect(calls("remove_employee_wage")).toEqual([["remove_employee_wage", { id: 4 }]]));
    await waitFor(() => expect(screen.queryByText("$32.50/h")).toBeNull());
  });
});
