import { describe, expect, it } from "vitest";
import { parseHash } from "./router.svelte";

describe("parseHash", () => {
  it("reads a section, a sub-page and what follows", () => {
    expect(parseHash("#/integrations/3/time_entries")).toEqual({ section: "integrations", sub: "3", rest: ["time_entries"] });
  });

  it("falls back to the integrations overview for an unknown address", () => {
    expect(parseHash("#/nowhere")).toEqual({ section: "integrations", sub: null, rest: [] });
  });
});
