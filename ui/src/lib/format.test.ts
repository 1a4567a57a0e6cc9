import { describe, expect, it } from "vitest";
import { formatDate, hoursMinutes, nextDay, offsetOf, parseDuration, toInstant, wallTime } from "./format";

describe("format", () => {
  it("shows a clocked time as recorded, not converted to this computer's zone", () => {
    expect(wallTime("2026-11-02T07:00:00-06:00"), "07:00 in Chicago stays 07:00").toBe("07:00");
    expect(offsetOf("2026-11-02T07:00:00-06:00")).toBe("-06:00");
    expect(offsetOf("2026-11-02T13:00:00Z"), "Z is UTC").toBe("+00:00");
  });

  it("shows a calendar date without shifting it a day in negative offsets", () => {
    expect(formatDate("2026-11-02")).toContain("2");
    expect(formatDate("2026-11-02")).not.toContain("1,");
  });

  it("formats seconds as hours and minutes", () => {
    expect(hoursMinutes(30600), "8.5 hours").toBe("8:30");
    expect(hoursMinutes(null), "a running entry has no duration").toBe("");
  });

  it("reads hours typed as 8:30 or 8.5 and refuses anything else", () => {
    expect(parseDuration("8:30")).toBe(30600);
    expect(parseDuration("8.5")).toBe(30600);
    expect(parseDuration("eight"), "words are not a duration").toBeNull();
    expect(parseDuration("8:75"), "minutes stop at 59").toBeNull();
  });

  it("builds an instant with the offset and rolls overnight ends to the next day", () => {
    expect(toInstant("2026-11-02", "07:00", "-06:00")).toBe("2026-11-02T07:00:00-06:00");
    expect(nextDay("2026-12-31"), "the year rolls over too").toBe("2027-01-01");
  });
});
