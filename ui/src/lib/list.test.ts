import { describe, expect, it } from "vitest";
import { ListState, pageCount, rangeLabel } from "./list.svelte";

describe("ListState", () => {
  it("sends a blank search as no search", () => {
    const list = new ListState<"name">("name");
    list.search = "   ";
    expect(list.query.search).toBeNull();
  });

  it("flips the direction when the sorted column is clicked again, and goes back to page 1", () => {
    const list = new ListState<"name" | "email">("name");
    list.page = 4;
    list.toggleSort("name");
    expect(list.query.descending, "second click on the same column sorts descending").toBe(true);
    expect(list.query.page, "a new order starts at the first page").toBe(1);
    list.toggleSort("email");
    expect([list.query.sort, list.query.descending], "a new column sorts ascending").toEqual(["email", false]);
  });

  it("describes the rows shown", () => {
    expect(rangeLabel(2, 50, 120)).toBe("51–100 of 120");
    expect(rangeLabel(1, 50, 0)).toBe("No results");
    expect(pageCount(50, 0), "an empty list still has page 1").toBe(1);
  });
});
