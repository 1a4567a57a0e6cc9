import { fireEvent, render, screen } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";

const call = vi.fn();
vi.mock("../lib/transport", async (original) => ({
  ...(await original<typeof import("../lib/transport")>()),
  call: (...args: unknown[]) => call(...args),
}));

const { default: SignIn } = await import("./SignIn.svelte");

async function submit(username: string, password: string) {
  await fireEvent.input(screen.getByLabelText("Username"), { target: { value: username } });
  await fireEvent.input(screen.getByLabelText("Password"), { target: { value: password } });
  await fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
}

describe("SignIn", () => {
  beforeEach(() => {
    call.mockReset();
  });

  it("trims the username and sends the password as typed", async () => {
    call.mockResolvedValue({ operator: {}, permissions: [] });
    const onsignedin = vi.fn();
    render(SignIn, { props: { onsignedin } });
    await submit("  ada ", " pass word ");
    expect(call).toHaveBeenCalledWith("sign_in", { username: "ada", password: " pass word " });
    expect(onsignedin).toHaveBeenCalled();
  });

  it("says plainly when the username or password is wrong", async () => {
    call.mockRejectedValue({ code: "auth_failed", message: "Wrong username or password.", fields: [], retry_after_seconds: null });
    render(SignIn, { props: { onsignedin: vi.fn() } });
    await submit("ada", "nope");
    expect((await screen.findByRole("alert")).textContent).toContain("Wrong username or password.");
  });

  it("makes the operator wait when sign-in is paused", async () => {
    call.mockRejectedValue({ code: "rate_limited", message: "Wait 30 seconds.", fields: [], retry_after_seconds: 30 });
    render(SignIn, { props: { onsignedin: vi.fn() } });
    await submit("ada", "nope");
    const button = await screen.findByRole("button", { name: /Wait \d+ s/ });
    expect((button as HTMLButtonElement).disabled, "the button stays disabled during the pause").toBe(true);
  });
});
