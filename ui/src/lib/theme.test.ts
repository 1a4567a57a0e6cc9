import { describe, expect, it } from "vitest";
import { resolveTheme, setTheme } from "./theme";

describe("theme", () => {
  it("follows the operating system unless a theme was chosen", () => {
    expect(resolveTheme("system", true), "a dark OS gives the dark palette").toBe("dark");
    expect(resolveTheme("system", false)).toBe("light");
    expect(resolveTheme("light", true), "an explicit choice wins over the OS").toBe("light");
  });

  it("marks the page with the chosen palette and remembers the choice", () => {
    setTheme("dark");
    expect(document.documentElement.getAttribute("data-theme")).toBe("dark");
    expect(localStorage.getItem("timebridge.theme")).toBe("dark");
    setTheme("system");
    expect(localStorage.getItem("timebridge.theme"), "system is the default, not stored").toBeNull();
  });
});
