// Light, dark, or whatever the operating system says (the default). The
// palette lives in app.css; this sets data-theme on <html> to "light" or
// "dark", and follows the OS when it changes, if that was the choice.

export type ThemeChoice = "system" | "light" | "dark";
const KEY = "timebridge.theme";
const DARK_QUERY = "(prefers-color-scheme: dark)";

export function storedTheme(): ThemeChoice {
  const value = localStorage.getItem(KEY);
  return value === "light" || value === "dark" ? value : "system";
}

/** The palette a choice means right now. */
export function resolveTheme(choice: ThemeChoice, osPrefersDark: boolean): "light" | "dark" {
  if (choice === "system") return osPrefersDark ? "dark" : "light";
  return choice;
}

let current: ThemeChoice = "system";
let listening = false;

export function applyTheme(choice: ThemeChoice): void {
  current = choice;
  const query = window.matchMedia(DARK_QUERY);
  document.documentElement.setAttribute("data-theme", resolveTheme(choice, query.matches));
  if (!listening) {
    listening = true;
    query.addEventListener("change", (event) => {
      if (current === "system") {
        document.documentElement.setAttribute("data-theme", resolveTheme("system", event.matches));
      }
    });
  }
}

export function setTheme(choice: ThemeChoice): void {
  if (choice === "system") localStorage.removeItem(KEY);
  else localStorage.setItem(KEY, choice);
  applyTheme(choice);
}

export function applyStoredTheme(): void {
  applyTheme(storedTheme());
}
