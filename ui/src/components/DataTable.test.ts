import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import { createRawSnippet } from "svelte";
import DataTable from "./DataTable.svelte";
import type { Column } from "./columns";

interface Row {
  id: number;
  name: string;
}
const columns: Column<Row, "name">[] = [
  { key: "name", label: "Name", sort: "name", value: (r) => r.name },
  { key: "id", label: "Id", value: (r) => String(r.id) },
];
const empty = createRawSnippet(() => ({ render: () => "<p>Nothing here</p>" }));

describe("DataTable", () => {
  it("asks the backend to sort when a sortable header is clicked", async () => {
    const onsort = vi.fn();
    render(DataTable<Row, "name">, {
      props: { caption: "People", rows: [{ id: 1, name: "Ann" }], columns, rowKey: (r: Row) => r.id, sort: null, descending: false, onsort, empty },
    });
    await fireEvent.click(screen.getByRole("button", { name: /Name/ }));
    expect(onsort).toHaveBeenCalledWith("name");
  });

  it("announces the current sort to assistive technology", () => {
    render(DataTable<Row, "name">, {
      props: { caption: "People", rows: [], columns, rowKey: (r: Row) => r.id, sort: "name", descending: true, onsort: () => {}, empty },
    });
    expect(screen.getByRole("columnheader", { name: /Name/ }).getAttribute("aria-sort")).toBe("descending");
  });

  it("shows the empty state when there are no rows", () => {
    render(DataTable<Row, "name">, {
      props: { caption: "People", rows: [], columns, rowKey: (r: Row) => r.id, sort: null, descending: false, onsort: () => {}, empty },
    });
    expect(screen.getByText("Nothing here")).toBeTruthy();
  });
});
