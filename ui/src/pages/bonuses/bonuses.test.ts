import { describe, expect, it } from "vitest";
import type { Bonus, BonusOutcome } from "../../lib/bindings";
import { exactDollars, parseDollars, parseHours, poolSaid, stateLabel } from "./bonuses";

const outcome = (pool: number, carried = 0, capped = false): BonusOutcome =>
  ({
    worked_seconds: 80 * 3600,
    saved_seconds: 20 * 3600,
    average_wage_cents_per_hour: "2500",
    saved_value_cents: "50000",
    crew_share_cents: "25000",
    after_carried_loss_cents: "25000",
    loss_absorbed_cents: 0,
    pool_before_cap_cents: pool,
    capped,
    pool_cents: pool,
    loss_carried_out_cents: carried,
    workers: [],
  }) as BonusOutcome;

const bonus = (state: Bonus["state"], o: BonusOutcome | null): Bonus =>
  ({ id: 1, state, outcome: o, workers: [], problem: null }) as unknown as Bonus;

describe("bonus figures", () => {
  it("says an open pool is projected and a frozen one is not", () => {
    expect(poolSaid(bonus("open", outcome(25000)))).toBe("$250.00 projected");
    expect(poolSaid(bonus("approved", outcome(25000, 0, true)))).toBe("$250.00 (capped)");
  });

  it("says a loss carried out instead of a pool", () => {
    expect(poolSaid(bonus("approved", outcome(0, 12500)))).toBe("No pool; $125.00 loss carries to the next job");
  });

  it("says a bonus that cannot be computed yet", () => {
    expect(poolSaid(bonus("open", null))).toBe("Not computed yet");
  });

  it("rounds an exact amount once, to the cent", () => {
    expect(exactDollars("12777.777")).toBe("$127.78");
  });

  it("reads dollars and hours as typed, refusing what is not a number", () => {
    expect(parseDollars("$1,250.50")).toBe(125050);
    expect(parseDollars("")).toBeNull();
    expect(parseDollars("12.345")).toBeNaN();
    expect(parseHours("37.5")).toBe(135000);
    expect(parseHours("lots")).toBeNaN();
  });

  it("names each state", () => {
    expect([stateLabel("open"), stateLabel("approved"), stateLabel("paid")]).toEqual(["Open", "Approved", "Paid"]);
  });
});
