// Plain helpers of the Bonuses page: how a bonus's state, rules and
// figures read.

import type { Bonus, BonusState, LossPolicy, SplitMethod } from "../../lib/bindings";
import { decimalHours, dollars } from "../../lib/format";

export function stateLabel(state: BonusState): string {
  switch (state) {
    case "open":
      return "Open";
    case "approved":
      return "Approved";
    case "paid":
      return "Paid";
  }
}

/** The chip class of a state: open bonuses are still moving. */
export function stateChip(state: BonusState): string {
  return state === "open" ? "chip accent" : state === "approved" ? "chip warning" : "chip";
}

export function splitLabel(split: SplitMethod): string {
  switch (split) {
    case "by_hours":
      return "By hours worked";
    case "by_wage_hours":
      return "By wage × hours";
    case "equal":
      return "Equally";
  }
}

export function lossLabel(policy: LossPolicy): string {
  return policy === "carry" ? "Carried to the plan's next job" : "Absorbed by the company";
}

/** An exact amount of cents as text ("12345.678") → "$123.46". */
export function exactDollars(cents: string): string {
  const value = Number(cents);
  return Number.isFinite(value) ? dollars(Math.round(value)) : "";
}

/** "12.50 h". */
export function hours(seconds: number | null | undefined): string {
  return seconds === null || seconds === undefined ? "" : `${decimalHours(seconds)} h`;
}

/** What the pool stands at, in a few words. */
export function poolSaid(bonus: Bonus): string {
  const outcome = bonus.outcome;
  if (!outcome) return "Not computed yet";
  if (outcome.loss_carried_out_cents > 0) {
    return `No pool; ${dollars(outcome.loss_carried_out_cents)} loss carries to the next job`;
  }
  const word = bonus.state === "open" ? "projected" : "";
  return `${dollars(outcome.pool_cents)}${word ? ` ${word}` : ""}${outcome.capped ? " (capped)" : ""}`;
}

/** Dollars typed by the admin ("1,250.50", "$300") → cents, or null. */
export function parseDollars(text: string): number | null {
  const cleaned = text.replace(/[$,\s]/g, "");
  if (cleaned === "") return null;
  if (!/^\d+(\.\d{1,2})?$/.test(cleaned)) return Number.NaN;
  return Math.round(Number(cleaned) * 100);
}

/** Hours typed ("120", "37.5") → seconds, or null. */
export function parseHours(text: string): number | null {
  const cleaned = text.trim();
  if (cleaned === "") return null;
  if (!/^\d+(\.\d+)?$/.test(cleaned)) return Number.NaN;
  return Math.round(Number(cleaned) * 3600);
}
