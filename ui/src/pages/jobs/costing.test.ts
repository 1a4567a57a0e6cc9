import { describe, expect, it } from "vitest";
import type { CostFigures, CostStatus, JobCosting } from "../../lib/bindings";
import { barWidth, burdenText, chartSummary, fillWeeks, filterJobs, hoursText, hourTicks, parseDollars, percentText, sortJobs, unpricedText } from "./costing";

function figures(over: Partial<CostFigures> = {}): CostFigures {
  return {
    budget_seconds: null, budget_cents: null, actual_seconds: 0, labour_cents: 0, unpriced_seconds: 0, entries: 0,
    used_percent: null, remaining_seconds: null, remaining_cents: null, status: "no_budget", ...over,
  };
}

function job(id: number, name: string, customer: string | null, status: CostStatus, used: string | null, number: string | null = null): JobCosting {
  return { job_id: id, job: name, job_number: number, customer, active: true, figures: figures({ status, used_percent: used }), tasks: [] };
}

describe("how job costing is said", () => {
  it("shows hours as hours with one decimal, and a shortfall with a minus sign", () => {
    expect(hoursText(312840), "86.9 hours").toBe("86.9 h");
    expect(hoursText(-12600), "3.5 hours over").toBe("−3.5 h");
    expect(hoursText(-60), "a minute over rounds to nothing, unsigned").toBe("0.0 h");
    expect(hoursText(null), "nothing budgeted").toBe("");
  });

  it("shows % used with one decimal, however the backend wrote it", () => {
    expect(percentText("82.5")).toBe("82.5 %");
    expect(percentText("90"), "a whole percent").toBe("90.0 %");
    expect(percentText(null), "nothing budgeted").toBe("");
  });

  it("says the burden, or that there is none", () => {
    expect(burdenText("22.5")).toBe("Labour costed at wages + 22.5 % burden");
    expect(burdenText("0")).toBe("Labour costed at wages, with no burden");
  });

  it("says plainly how many hours have no wage, and nothing when all are costed", () => {
    expect(unpricedText(45000)).toBe("12.5 h have no wage: set wages to cost them.");
    expect(unpricedText(3600), "one hour has").toBe("1.0 h has no wage: set wages to cost them.");
    expect(unpricedText(0)).toBeNull();
  });

  it("fills the used bar up to 100 % however far over the job is", () => {
    expect(barWidth("82.5")).toBe(82.5);
    expect(barWidth("140.0"), "past the budget the bar is full; the number says how far").toBe(100);
    expect(barWidth(null)).toBe(0);
  });
});

describe("the jobs list", () => {
  const jobs = [
    job(1, "Main St Remodel", "Acme Homes", "at_risk", "85.0", "J-2401"),
    job(2, "Oak Ave Duplex", "Birch Co", "on_track", "40.0", "J-2402"),
    job(3, "Riverside Clinic", "Acme Homes", "over", "120.5", "J-2410"),
    job(4, "Warehouse", null, "no_budget", null),
  ];

  it("keeps the jobs whose number, name or customer holds every word searched", () => {
    expect(filterJobs(jobs, "acme", "all").map((j) => j.job_id), "by customer").toEqual([1, 3]);
    expect(filterJobs(jobs, "j-2402", "all").map((j) => j.job_id), "by job number").toEqual([2]);
    expect(filterJobs(jobs, "acme clinic", "all").map((j) => j.job_id), "every word").toEqual([3]);
  });

  it("keeps one status when filtered by it", () => {
    expect(filterJobs(jobs, "", "over").map((j) => j.job_id)).toEqual([3]);
    expect(filterJobs(jobs, "acme", "on_track")).toEqual([]);
  });

  it("sorts by % used either way, with jobs that have no budget last", () => {
    expect(sortJobs(jobs, "used", true).map((j) => j.job_id), "most used first").toEqual([3, 1, 2, 4]);
    expect(sortJobs(jobs, "used", false).map((j) => j.job_id), "least used first, still no budget last").toEqual([2, 1, 3, 4]);
  });

  it("sorts by status worst first, and job numbers as numbers", () => {
    expect(sortJobs(jobs, "status", true).map((j) => j.job_id)).toEqual([3, 1, 2, 4]);
    const numbered = [job(5, "B", null, "on_track", "1", "J-10"), job(6, "A", null, "on_track", "1", "J-9")];
    expect(sortJobs(numbered, "job", false).map((j) => j.job_number), "J-9 before J-10").toEqual(["J-9", "J-10"]);
  });
});

describe("the hours chart", () => {
  const weeks = [
    { week_start: "2026-10-05", seconds: 36000, labour_cents: 0, cumulative_seconds: 36000 },
    { week_start: "2026-10-26", seconds: 72000, labour_cents: 0, cumulative_seconds: 108000 },
  ];

  it("puts the weeks nobody worked on the timeline as zero, carrying the hours to date", () => {
    const filled = fillWeeks(weeks);
    expect(filled.map((w) => w.week_start)).toEqual(["2026-10-05", "2026-10-12", "2026-10-19", "2026-10-26"]);
    expect(filled[1], "an empty week keeps the running total").toMatchObject({ seconds: 0, cumulative_seconds: 36000 });
  });

  it("marks the side in round hours up to the highest figure", () => {
    expect(hourTicks(78 * 3600).map((t) => t / 3600), "78 h: steps of 20").toEqual([0, 20, 40, 60, 80]);
    expect(hourTicks(7 * 3600).map((t) => t / 3600), "7 h: steps of 2").toEqual([0, 2, 4, 6, 8]);
    expect(hourTicks(0).map((t) => t / 3600), "nothing yet: still a scale").toEqual([0, 0.5, 1]);
  });

  it("sums the chart up in words for screen readers", () => {
    const said = chartSummary(weeks, 144000);
    expect(said).toContain("30.0 h in all");
    expect(said).toContain("against a budget of 40.0 h");
    expect(said).toContain("The most in a week: 20.0 h");
    expect(chartSummary([], null)).toBe("No hours worked yet.");
  });
});

describe("a wage typed in dollars", () => {
  it("is read as cents", () => {
    expect(parseDollars("28.50")).toBe(2850);
    expect(parseDollars("$28.5")).toBe(2850);
    expect(parseDollars("1,200")).toBe(120000);
    expect(parseDollars(" 31 ")).toBe(3100);
  });

  it("is refused when it is not an amount of at most two decimals", () => {
    expect(parseDollars("28.505"), "a tenth of a cent").toBeNull();
    expect(parseDollars("-5"), "negative").toBeNull();
    expect(parseDollars("twenty")).toBeNull();
    expect(parseDollars("")).toBeNull();
  });
});
