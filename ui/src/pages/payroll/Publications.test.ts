import { render, screen } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { Publication } from "../../lib/bindings";

const { default: Publications } = await import("./Publications.svelte");

function publication(id: number, acceptedCents: number): Publication {
  return {
    id, target: "integration:3", target_name: "Sandbox", period: { start: "2026-11-23", end: "2026-12-06" }, kind: "original",
    operator: "Ada Admin (ada)", started_at: "2026-12-07T22:39:00Z", finished_at: "2026-12-07T22:39:01Z", outcome: "sent", message: null,
    lines: 2, accepted_lines: 2, rejected_lines: 0, accepted_seconds: 16 * 3600, accepted_cents: acceptedCents, attempts: 1,
    through_web_connector: false,
  };
}

describe("Publications", () => {
  it("leaves out the Bonuses column when no publication paid a bonus", () => {
    render(Publications, { publications: [publication(1, 0)] });
    expect(screen.queryByRole("columnheader", { name: /Bonuses/ }), "an hours-only history has no empty bonus column").toBeNull();
  });

  it("shows the Bonuses column with the amount when one publication paid a bonus", () => {
    render(Publications, { publications: [publication(1, 0), publication(2, 94125)] });
    expect(screen.getByRole("columnheader", { name: /Bonuses/ }), "a bonus paid shows the column").toBeTruthy();
    expect(screen.getByText("$941.25"), "with the amount the target accepted").toBeTruthy();
  });
});
