import { describe, expect, it } from "vitest";
import type { ModuleCounts } from "./bindings";
import { describeRunCounts } from "./runCounts";

const zero: ModuleCounts = { pages: 1, fetched: 10, new: 0, updated: 0, unchanged: 10, removed: 0, skipped: 0 };

describe("a run's counts in words", () => {
  it("names each module that changed, in the tabs' order", () => {
    const text = describeRunCounts({
      time_entries: { ...zero, new: 3, updated: 1, removed: 1 },
      employees: { ...zero, updated: 1 },
      jobs: zero,
    });
    expect(text).toBe("Employees: 1 updated · Time entries: 3 new, 1 updated, 1 removed");
  });

  it("says so when a run changed nothing", () => {
    expect(describeRunCounts({ employees: zero })).toBe("No changes");
  });

  it("mentions records the platform sent that could not be read", () => {
    expect(describeRunCounts({ time_entries: { ...zero, skipped: 2 } })).toBe("Time entries: 2 unreadable");
  });
});
