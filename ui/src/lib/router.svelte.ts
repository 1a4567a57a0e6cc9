// A small hash router: #/records/employees → { section: "records", sub: "employees" }.

export type Section = "integrations" | "records" | "jobs" | "bonuses" | "payroll" | "activity" | "settings";

export interface Route {
  section: Section;
  sub: string | null;
  /** Anything after the sub-page: #/integrations/3/time_entries → ["time_entries"]. */
  rest: string[];
}

const SECTIONS: readonly Section[] = ["integrations", "records", "jobs", "bonuses", "payroll", "activity", "settings"];

export function parseHash(hash: string): Route {
  const [first, second, ...rest] = hash.replace(/^#\/?/, "").split("/");
  const section = SECTIONS.find((s) => s === first) ?? "integrations";
  return { section, sub: second ? decodeURIComponent(second) : null, rest: rest.filter(Boolean).map(decodeURIComponent) };
}

export function href(section: Section, sub?: string, ...rest: string[]): string {
  const parts = sub ? [sub, ...rest] : [];
  return ["#", section, ...parts.map(encodeURIComponent)].join("/");
}

class Router {
  route = $state<Route>(parseHash(typeof location === "undefined" ? "" : location.hash));

  constructor() {
    if (typeof window !== "undefined") {
      window.addEventListener("hashchange", () => {
        this.route = parseHash(location.hash);
      });
    }
  }

  go(section: Section, sub?: string): void {
    location.hash = href(section, sub);
  }
}

export const router = new Router();
