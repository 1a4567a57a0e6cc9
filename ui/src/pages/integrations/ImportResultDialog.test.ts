import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";
import type { ImportSummary } from "../../lib/bindings";

const { default: ImportResultDialog } = await import("./ImportResultDialog.svelte");

const summary: ImportSummary = {
  created: 3,
  updated: 0,
  linked: 0,
  deactivated: 0,
  unchanged: 0,
  also_imported: [],
  skipped: [{ staged_id: 9, label: "Tom Larsen · 2026-11-01", reason: "Its job \"Main St\" could not be imported: it is archived." }],
  needs_link: [{ staged_id: 4, label: "Rosa Diaz", local_id: 17, local_label: "Rosa Díaz-Ortega", matched_on: "employee number" }],
  conflicts: [
    {
      staged_id: 5,
      label: "Sam Okafor",
      local_id: 21,
      fields: [{ field: "phone", imported: "555-0100", local: "555-0111", incoming: "555-0199" }],
    },
  ],
};

describe("Import result", () => {
  it("says why records were skipped", () => {
    render(ImportResultDialog, { open: true, module: "employees", summary, cancelled: false, onretry: () => {} });
    expect(screen.getByText(/could not be imported: it is archived/)).toBeTruthy();
  });

  it("imports look-alikes and conflicts again with the choices made", async () => {
    const onretry = vi.fn();
    render(ImportResultDialog, { open: true, module: "employees", summary, cancelled: false, onretry });

    await fireEvent.click(screen.getByLabelText("Take the source's values"));
    await fireEvent.click(screen.getByRole("button", { name: "Import 2 records as chosen" }));

    expect(onretry).toHaveBeenCalledWith([4, 5], {
      include_dependencies: true,
      links: { 4: { kind: "existing", local_id: 17 } },
      resolutions: { 5: "incoming" },
    });
  });

  it("waits for a choice on every conflict before offering it", () => {
    render(ImportResultDialog, { open: true, module: "employees", summary: { ...summary, needs_link: [] }, cancelled: false, onretry: () => {} });
    const button = screen.getByRole("button", { name: "Import 0 records as chosen" }) as HTMLButtonElement;
    expect(button.disabled, "no decision yet").toBe(true);
  });
});
