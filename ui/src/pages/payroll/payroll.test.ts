import { describe, expect, it } from "vitest";
import type { HoursReport, Problem, Publication, PublishedLine, TargetItem } from "../../lib/bindings";
import { fixFor, gridRows, leftOutHref, leftOutPeriod, leftOutWhom, lineAnswer, lineQuantity, moved, neighbourDay, periodLabel, progressed, publicationState, signedHours, suggestItem, fieldSeconds, updatedNote } from "./payroll";

const H = 3600;

function report(): HoursReport {
  const line = (date: string, pay_id: number, seconds: number) => ({ date, job_id: null, task_id: null, pay_id, seconds, entry_ids: [1] });
  const total = (pay_id: number, seconds: number) => ({ pay_id, seconds });
  return {
    period: { start: "2026-10-26", end: "2026-11-01" },
    time_zone: "America/Chicago",
    employees: [
      { employee_id: 7, name: "Bell, Marcus", employee_number: "104", hours: { employee_id: 7, lines: [line("2026-10-26", 1, 8 * H), line("2026-10-26", 2, 2 * H), line("2026-10-27", 1, 8 * H)], totals: [total(1, 16 * H), total(2, 2 * H)], total_seconds: 18 * H, pieces: [] } },
      { employee_id: 9, name: "Diaz, Rosa", employee_number: null, hours: { employee_id: 9, lines: [line("2026-10-26", 1, 4 * H)], totals: [total(1, 4 * H)], total_seconds: 4 * H, pieces: [] } },
    ],
    open_entries: [],
    pay_ids: [],
    jobs: [],
    tasks: [],
    totals: [],
    total_seconds: 22 * H,
    days: [],
    unimported_staged: { count: 0, seconds: 0, new: { count: 0, seconds: 0 }, updated: { count: 0, seconds: 0, imported_seconds: 0 }, employees: [], integrations: [] },
  };
}

function problem(kind: Problem["kind"], ids: Partial<Problem>): Problem {
  return { severity: "blocking", kind, message: "", fix: "", employee_id: null, pay_id: null, job_id: null, task_id: null, seconds: 0, cents: 0, ...ids };
}

describe("the payroll grid", () => {
  it("lays out each employee's hours per pay ID, with their total", () => {
    const [marcus, rosa] = gridRows(report());
    expect(marcus?.cells, "a cell per pay ID with hours, keyed for the grid's columns").toEqual({ 1: 16 * H, 2: 2 * H });
    expect(marcus?.total, "the row total is every pay ID together").toBe(18 * H);
    expect(rosa?.total, "each employee has their own row").toBe(4 * H);
  });
});

describe("pay periods", () => {
  it("steps to the day before the period for the previous one", () => {
    expect(neighbourDay({ start: "2026-11-01", end: "2026-11-14" }, -1), "across a month end").toBe("2026-10-31");
  });

  it("steps to the day after the period for the next one", () => {
    expect(neighbourDay({ start: "2026-12-21", end: "2026-12-31" }, 1), "across a year end").toBe("2027-01-01");
  });

  it("names a period within one year once", () => {
    expect(periodLabel({ start: "2026-10-26", end: "2026-11-08" })).toBe("Oct 26 – Nov 8, 2026");
  });
});

describe("a problem's fix", () => {
  it("opens the mapping for an unmapped pay ID", () => {
    expect(fixFor(problem("pay_id_not_mapped", { pay_id: 3 }))).toEqual({ kind: "map", payId: 3 });
  });

  it("opens the match for an employee the target lacks", () => {
    expect(fixFor(problem("employee_not_matched", { employee_id: 9 }))).toEqual({ kind: "match", matchKind: "employee", localId: 9 });
  });

  it("sends a too-long task name to the Tasks page, not Jobs", () => {
    expect(fixFor(problem("name_too_long", { job_id: 2, task_id: 5 }))).toMatchObject({ kind: "records", page: "tasks" });
  });
});

describe("suggesting a payroll item", () => {
  const items: TargetItem[] = ["Hourly Rate", "Overtime Rate", "Double-time Rate", "Vacation Hourly", "Sick Hourly", "Holiday Hourly"].map((name, i) => ({
    external_id: String(900001 + i),
    name,
    wage_type: null,
    active: true,
  }));

  it("picks the plain hourly item for regular time, not vacation or overtime", () => {
    expect(suggestItem("regular", items)?.name).toBe("Hourly Rate");
  });

  it("picks the overtime item for overtime", () => {
    expect(suggestItem("overtime", items)?.name).toBe("Overtime Rate");
  });

  it("suggests nothing when two items fit", () => {
    const two = [...items, { external_id: "x", name: "Overtime 2", wage_type: null, active: true }];
    expect(suggestItem("overtime", two), "an unsure guess is left to the admin").toBeNull();
  });
});

describe("small helpers", () => {
  it("moves a column up one place", () => {
    expect(moved(["a", "b", "c"], 2, -1)).toEqual(["a", "c", "b"]);
  });

  it("signs hour differences", () => {
    expect(signedHours(-3600)).toBe("−1.00");
    expect(signedHours(5400)).toBe("+1.50");
  });

  it("reads hours fields: empty is none, words are not hours", () => {
    expect(fieldSeconds(" ")).toBeNull();
    expect(fieldSeconds("7.5")).toBe(27000);
    expect(fieldSeconds("eight")).toBeNaN();
  });
});

describe("what a period leaves out", () => {
  const period = { start: "2026-10-26", end: "2026-11-08" };

  it("links to the staged time entries of exactly that period, and reads the link back", () => {
    const href = leftOutHref(3, period);
    expect(href).toBe("#/integrations/3/time_entries/left-out/2026-10-26/2026-11-08");
    const rest = href.split("/").slice(4);
    expect(leftOutPeriod(rest), "the staged list gets the same period").toEqual(period);
  });

  it("reads no period from another route or a malformed one", () => {
    expect(leftOutPeriod([]), "the plain tab").toBeNull();
    expect(leftOutPeriod(["left-out", "2026-11-08", "2026-10-26"]), "an end before the start").toBeNull();
    expect(leftOutPeriod(["left-out", "yesterday", "2026-10-26"]), "not a date").toBeNull();
  });

  it("says how the payroll differs for entries changed at the source", () => {
    const left = { count: 2, seconds: 17 * H, new: { count: 0, seconds: 0 }, updated: { count: 2, seconds: 17 * H, imported_seconds: 16 * H }, employees: [], integrations: [] };
    expect(updatedNote(left)).toBe("2 of them changed at the source since they were imported: this payroll counts their imported copies (16.00 h), not the newer versions (17.00 h).");
    expect(updatedNote({ ...left, updated: { count: 0, seconds: 0, imported_seconds: 0 } }), "none changed, nothing to say").toBeNull();
  });

  it("names whose time it is, then how many others", () => {
    const employee = (name: string) => ({ employee_id: null, name, employee_number: null, count: 1, seconds: H });
    const left = { count: 5, seconds: 5 * H, new: { count: 5, seconds: 5 * H }, updated: { count: 0, seconds: 0, imported_seconds: 0 }, integrations: [],
      employees: ["Ana", "Ben", "Cy", "Dee", "Eve"].map(employee) };
    expect(leftOutWhom(left)).toBe("Ana, Ben, Cy and 2 others");
    expect(leftOutWhom({ ...left, employees: [employee("Ana")] })).toBe("Ana");
  });
});

describe("a publication sent through the Web Connector", () => {
  const publication = (over: Partial<Publication>): Publication => ({
    id: 1, target: "integration:3", target_name: "Lakeside Builders LLC", period: { start: "2026-11-02", end: "2026-11-08" },
    kind: "original", operator: "Ada Admin", started_at: "2026-11-09T10:00:00Z", finished_at: null, outcome: "sending",
    message: null, lines: 150, accepted_lines: 0, rejected_lines: 0, accepted_seconds: 0, accepted_cents: 0, attempts: 0, through_web_connector: true, ...over,
  });
  const line = (over: Partial<PublishedLine>): PublishedLine => ({
    line_no: 1, employee_name: "Maria Garcia", date: "2026-11-03", job: null, task: null, item: "Hourly Rate", seconds: 8 * H, cents: 0, bonus_id: null,
    accepted: null, remote_id: null, edit_sequence: null, message: null, ...over,
  });

  it("waits for the Web Connector until it is handed over, then shows lines answered of all", () => {
    expect(publicationState(publication({})), "never handed to QuickBooks yet").toBe("Waiting for the Web Connector");
    expect(publicationState(publication({ attempts: 1, accepted_lines: 70, rejected_lines: 5 })), "answered counts refused lines too").toBe("Sending: 75 of 150 lines answered");
    expect(publicationState(publication({ outcome: "sent", attempts: 1, accepted_lines: 150 })), "finished reads as its outcome").toBe("Sent");
    expect(publicationState(publication({ attempts: 1 })), "handed over, no answer yet: the next update asks QuickBooks").toContain("next update");
  });

  it("calls a publication to another target left sending interrupted, not waiting", () => {
    expect(publicationState(publication({ through_web_connector: false })), "the Sandbox's is resent on the next publish").toBe(publicationState(publication({ through_web_connector: false, attempts: 3 })));
    expect(publicationState(publication({ through_web_connector: false })), "never the Web Connector's words").not.toContain("Web Connector");
  });

  it("counts progress only when the outcome, the hand-overs or the answers moved", () => {
    const shown = publication({ attempts: 1, accepted_lines: 75 });
    expect(progressed(shown, { ...shown }), "the same answers need no reload").toBe(false);
    expect(progressed(shown, { ...shown, accepted_lines: 150 }), "more answers do").toBe(true);
    expect(progressed(publication({}), publication({ attempts: 1 })), "being handed over does").toBe(true);
  });

  it("gives each line QuickBooks' TxnID and EditSequence, or why it was refused", () => {
    expect(lineAnswer(line({ accepted: true, remote_id: "10001-1700000000", edit_sequence: "1700000002" }))).toBe("Accepted · TxnID 10001-1700000000 · EditSequence 1700000002");
    expect(lineAnswer(line({ accepted: false, message: "Maria Garcia is inactive in QuickBooks." }))).toBe("Refused: Maria Garcia is inactive in QuickBooks.");
    expect(lineAnswer(line({})), "a line still waiting says so").toBe("Not answered yet");
  });
});

describe("a bonus line", () => {
  it("reads as its amount, and a line of hours as hours", () => {
    expect(lineQuantity({ bonus_id: 4, seconds: 0, cents: 3281 }), "a worker's share").toBe("$32.81");
    expect(lineQuantity({ bonus_id: 4, seconds: 0, cents: -3281 }, true), "taken back in a correction").toBe("−$32.81");
    expect(lineQuantity({ bonus_id: null, seconds: 9000, cents: 0 }, true), "hours keep their sign").toBe("+2.50");
  });

  it("left out by a target that takes hours only points to Bonuses", () => {
    expect(fixFor(problem("amount_not_taken", {})), "the bonus is marked paid there").toEqual({ kind: "bonuses", label: "Open Bonuses" });
  });
});
