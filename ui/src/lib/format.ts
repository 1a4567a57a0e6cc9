// How values are shown. Clocked times are shown as recorded (the worker's
// local time with its offset), not converted to this computer's zone.

const dateFormat = new Intl.DateTimeFormat(undefined, {
  weekday: "short",
  month: "short",
  day: "numeric",
  year: "numeric",
  timeZone: "UTC",
});
const shortDateFormat = new Intl.DateTimeFormat(undefined, {
  month: "short",
  day: "numeric",
  year: "numeric",
  timeZone: "UTC",
});
const stampFormat = new Intl.DateTimeFormat(undefined, {
  month: "short",
  day: "numeric",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
});
const money = new Intl.NumberFormat(undefined, { style: "currency", currency: "USD" });

/** "2026-11-02" → "Mon, Nov 2, 2026" (the calendar date, no zone shift). */
export function formatDate(isoDate: string | null | undefined): string {
  if (!isoDate) return "";
  const [y, m, d] = isoDate.split("-").map(Number);
  if (!y || !m || !d) return isoDate;
  return dateFormat.format(new Date(Date.UTC(y, m - 1, d)));
}

/** "2026-11-02" → "Nov 2, 2026", for dates where the weekday does not matter. */
export function formatShortDate(isoDate: string | null | undefined): string {
  if (!isoDate) return "";
  const [y, m, d] = isoDate.split("-").map(Number);
  if (!y || !m || !d) return isoDate;
  return shortDateFormat.format(new Date(Date.UTC(y, m - 1, d)));
}

/** An RFC 3339 instant → its wall-clock time as recorded, "07:00". */
export function wallTime(instant: string): string {
  const match = /T(\d{2}):(\d{2})/.exec(instant);
  return match ? `${match[1]}:${match[2]}` : instant;
}

/** The offset part of an RFC 3339 instant, "-06:00" ("Z" becomes "+00:00"). */
export function offsetOf(instant: string): string {
  const match = /([+-]\d{2}:\d{2}|Z)$/.exec(instant);
  if (!match) return "";
  return match[1] === "Z" ? "+00:00" : (match[1] ?? "");
}

/** The date part of an RFC 3339 instant as recorded, "2026-11-02". */
export function wallDate(instant: string): string {
  return instant.slice(0, 10);
}

/** Seconds → "8:30" (hours and minutes). */
export function hoursMinutes(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "";
  const minutes = Math.round(seconds / 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return `${h}:${String(m).padStart(2, "0")}`;
}

/** Seconds → "8.50" decimal hours, as payroll shows them. */
export function decimalHours(seconds: number | null | undefined): string {
  if (seconds === null || seconds === undefined) return "";
  return (seconds / 3600).toFixed(2);
}

export function dollars(cents: number | null | undefined): string {
  if (cents === null || cents === undefined) return "";
  return money.format(cents / 100);
}

/** A stored UTC instant → this computer's local date and time. */
export function localStamp(utc: string | null | undefined): string {
  if (!utc) return "";
  const date = new Date(utc);
  return Number.isNaN(date.getTime()) ? utc : stampFormat.format(date);
}

/** This computer's UTC offset at a local date and time, as "-06:00". */
export function localOffset(date: string, time: string): string {
  const [y, mo, d] = date.split("-").map(Number);
  const [h, mi] = time.split(":").map(Number);
  const local = new Date(y ?? 1970, (mo ?? 1) - 1, d ?? 1, h ?? 0, mi ?? 0);
  const east = -local.getTimezoneOffset();
  const sign = east < 0 ? "-" : "+";
  const abs = Math.abs(east);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
}

/** A local date, time and offset → RFC 3339, "2026-11-02T07:00:00-06:00". */
export function toInstant(date: string, time: string, offset: string): string {
  return `${date}T${time.length === 5 ? `${time}:00` : time}${offset}`;
}

/** The day after a date, "2026-11-02" → "2026-11-03". */
export function nextDay(date: string): string {
  const [y, m, d] = date.split("-").map(Number);
  const next = new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + 1));
  return next.toISOString().slice(0, 10);
}

/** "8:30", "8.5" or "8" → seconds; null when it is not a duration. */
export function parseDuration(text: string): number | null {
  const value = text.trim();
  if (!value) return null;
  const hm = /^(\d{1,2}):([0-5]\d)$/.exec(value);
  if (hm) return Number(hm[1]) * 3600 + Number(hm[2]) * 60;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 3600);
  return null;
}

/** Today's local date, "2026-11-22". */
export function today(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-${String(now.getDate()).padStart(2, "0")}`;
}
