import { fireEvent, render, screen } from "@testing-library/svelte";
import { describe, expect, it, vi } from "vitest";

const call = vi.fn();
vi.mock("../../lib/transport", async (original) => ({
  ...(await original<typeof import("../../lib/transport")>()),
  call: (...args: unknown[]) => call(...args),
}));

const { employees } = await import("./kinds");
const { default: RecordForm } = await import("./RecordForm.svelte");

describe("RecordForm", () => {
  it("marks every field the backend reports as invalid, with its message", async () => {
    call.mockRejectedValue({
      code: "validation",
      message: "Employee number 104 is already used by Rosa Diaz.",
      fields: [
        { field: "employee_number", message: "Employee number 104 is already used by Rosa Diaz." },
        { field: "email", message: "“x” is not an e-mail address." },
      ],
      retry_after_seconds: null,
    });
    render(RecordForm, { props: { kind: employees, row: null, open: true, onsaved: vi.fn() } });
    await fireEvent.click(screen.getByRole("button", { name: "Save" }));

    const number = await screen.findByLabelText("Employee number");
    expect(number.getAttribute("aria-invalid"), "the number field is marked").toBe("true");
    expect(screen.getByText("Employee number 104 is already used by Rosa Diaz.")).toBeTruthy();
    expect(screen.getByLabelText("E-mail").getAttribute("aria-invalid"), "every problem is shown at once").toBe("true");
  });

  it("sends blank optional fields as nothing, not as empty text", async () => {
    call.mockResolvedValue({ id: 9, display_name: "Sam Lee" });
    render(RecordForm, { props: { kind: employees, row: null, open: true, onsaved: vi.fn() } });
    await fireEvent.input(screen.getByLabelText("First name"), { target: { value: "Sam" } });
    await fireEvent.input(screen.getByLabelText("Last name"), { target: { value: "Lee" } });
    await fireEvent.click(screen.getByRole("button", { name: "Save" }));
    expect(call).toHaveBeenCalledWith(
      "create_employee",
      expect.objectContaining({ first_name: "Sam", last_name: "Lee", employee_number: null, email: null }),
    );
  });
});
