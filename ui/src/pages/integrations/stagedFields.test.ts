import { describe, expect, it } from "vitest";
import { formatDate } from "../../lib/format";
import { fieldLabel, fieldValue } from "./stagedFields";

describe("a staged employee's wages", () => {
  it("read as each amount, what it is paid per, and the day it starts", () => {
    const wages = [
      { from: "2025-03-01", amount: "22.00", per: "hour" },
      { from: "2026-06-01", amount: "52000.00", per: "year" },
    ];
    expect(fieldValue("wages", wages), "the history reads oldest first in the admin's words").toBe(
      `22.00 an hour from ${formatDate("2025-03-01")}; 52000.00 a year from ${formatDate("2026-06-01")}`,
    );
    expect(fieldLabel("wages"), "the field has its own label").toBe("Wages");
  });

  it("read as a dash when the platform keeps none", () => {
    expect(fieldValue("wages", []), "an empty history is shown as nothing").toBe("—");
  });
});
