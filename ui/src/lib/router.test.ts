import { describe, expect, it } from "vitest";
import { href, parseHash } from "./router.svelte";

describe("parseHash", () => {
  it("reads a section, a sub-page and what follows", () => {
    expect(parseHash("#/integrations/3/time_entries")).toEqual({ section: "integrations", sub: "3", rest: ["time_entries"] });
  });

  it("falls back to the integrations overview for an unknown address", () => {
    expect(parseHash("#/nowhere")).toEqual({ section: "integrations", sub: null, rest: [] });
  });

  it("reads one job's address on the Jobs page", () => {
    expect(parseHash("#/jobs/12")).toEqual({ section: "jobs", sub: "12", rest: [] });
  });

  it("builds an address with what follows the sub-page, and reads it back", () => {
    const address = href("records", "time-entries", "job", "12");
    expect(address).toBe("#/records/time-entries/job/12");
    expect(parseHash(address)).toEqual({ section: "records", sub: "time-entries", rest: ["job", "12"] });
    expect(href("jobs"), "a section alone").toBe("#/jobs");
  });
});
