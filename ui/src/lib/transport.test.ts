import { beforeEach, describe, expect, it, vi } from "vitest";

const invoke = vi.fn();
vi.mock("@tauri-apps/api/core", () => ({ invoke: (...args: unknown[]) => invoke(...args) }));

const { call, onSignedOut, toApiError } = await import("./transport");

describe("transport", () => {
  beforeEach(() => {
    invoke.mockReset();
  });

  it("sends the command name and arguments through the one Tauri command", async () => {
    invoke.mockResolvedValue({ ok: true });
    await call("list_employees", { page: 1 });
    expect(invoke).toHaveBeenCalledWith("call", { command: "list_employees", args: { page: 1 } });
  });

  it("turns a broken bridge into an internal error with a message, never a bare string", () => {
    const error = toApiError("IPC failed");
    expect(error.code).toBe("internal");
    expect(error.message, "the message says what to do").toContain("Restart the app");
  });

  it("tells the app when a call finds the session gone", async () => {
    const signedOut = vi.fn();
    onSignedOut(signedOut);
    invoke.mockRejectedValue({ code: "not_signed_in", message: "Sign in", fields: [], retry_after_seconds: null });
    await expect(call("list_employees", {})).rejects.toMatchObject({ code: "not_signed_in" });
    expect(signedOut, "the sign-in screen must come back").toHaveBeenCalled();
  });
});
