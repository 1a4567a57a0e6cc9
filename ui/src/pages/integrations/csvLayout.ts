// What the CSV mapping screen knows about a layout: the fields a column can
// hold and their labels, the common date, time and duration formats with an
// example read from the file's own first value, what a mapping still lacks,
// and a saved layout applied to the file shown. The backend checks the
// layout again when it is saved; this is what the admin sees before that.

import {
  connectFolder,
  listCsvLayouts,
  previewCsv,
  saveCsvLayout,
  type CsvDuration,
  type CsvField,
  type CsvLayout,
  type CsvLayoutColumn,
  type CsvPreview,
  type Integration,
  type IntegrationSettings,
  type Platform,
} from "../../lib/bindings";
import { toApiError } from "../../lib/transport";

export type LayoutColumn = CsvLayoutColumn;
export type Layout = CsvLayout;
export type Preview = CsvPreview;

/** The first rows of an export and the guess of its layout. */
export function previewExport(path: string): Promise<Preview> {
  return previewCsv({ path });
}

export function savedLayouts(): Promise<Layout[]> {
  return listCsvLayouts();
}

/** Each field a column can hold, as the select above the column says it. */
export const FIELD_LABELS: Record<CsvField, string> = {
  employee: "Employee",
  employee_number: "Employee number",
  date: "Date",
  start: "Start",
  end: "End",
  hours: "Hours",
  break: "Break",
  job: "Job",
  task: "Task",
  pay_id: "Pay ID",
  notes: "Notes",
};

export const FIELDS = Object.keys(FIELD_LABELS) as CsvField[];

export interface FormatChoice {
  format: string;
  label: string;
}

export const DATE_FORMATS: FormatChoice[] = [
  { format: "%m/%d/%Y", label: "Month/day/year" },
  { format: "%m/%d/%y", label: "Month/day/two-digit year" },
  { format: "%d/%m/%Y", label: "Day/month/year" },
  { format: "%d.%m.%Y", label: "Day.month.year" },
  { format: "%d-%m-%Y", label: "Day-month-year" },
  { format: "%Y-%m-%d", label: "Year-month-day" },
  { format: "%b %d, %Y", label: "Month name day, year" },
];

export const TIME_FORMATS: FormatChoice[] = [
  { format: "%I:%M %p", label: "Hours:minutes AM/PM" },
  { format: "%I:%M:%S %p", label: "Hours:minutes:seconds AM/PM" },
  { format: "%H:%M", label: "24-hour hours:minutes" },
  { format: "%H:%M:%S", label: "24-hour hours:minutes:seconds" },
];

export const DURATIONS: { format: CsvDuration; label: string }[] = [
  { format: "decimal_hours", label: "Hours with decimals (7.5)" },
  { format: "hours_minutes", label: "Hours and minutes (7:30)" },
  { format: "minutes", label: "Minutes (450)" },
];

export const TIME_ZONES = [
  "America/New_York",
  "America/Chicago",
  "America/Denver",
  "America/Phoenix",
  "America/Los_Angeles",
  "America/Anchorage",
  "Pacific/Honolulu",
  "America/Toronto",
  "America/Vancouver",
  "Europe/London",
  "Europe/Berlin",
  "Australia/Sydney",
  "UTC",
];

/** A date and a time of day read from a value. */
interface Read {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const MONTHS = ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

/** Reads `value` with a chrono (strftime) `format`, as chrono's parser
 *  does for the specifiers exports use: numbers padded or not, AM/PM and
 *  month names in any case, a space matching any run of spaces. `null`
 *  when the value is not written that way. */
export function readWith(format: string, value: string): Read | null {
  const out: Read = { year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0 };
  let hour12: number | null = null;
  let pm: boolean | null = null;
  let at = 0;
  const number = (min: number, max: number, digits: number): number | null => {
    const m = /^\d+/.exec(value.slice(at, at + digits));
    if (!m) return null;
    const n = Number(m[0]);
    if (n < min || n > max) return null;
    at += m[0].length;
    return n;
  };
  for (let i = 0; i < format.length; i++) {
    const c = format[i];
    if (c === " ") {
      while (value[at] === " ") at++;
      continue;
    }
    if (c !== "%") {
      if (value[at] !== c) return null;
      at++;
      continue;
    }
    i++;
    // Padding flags change how chrono writes, not what it reads.
    while (format[i] === "-" || format[i] === "_" || format[i] === "0") i++;
    const spec = format[i];
    let n: number | null;
    switch (spec) {
      case "Y":
        n = number(0, 9999, 4);
        if (n === null) return null;
        out.year = n;
        break;
      case "y":
        n = number(0, 99, 2);
        if (n === null) return null;
        out.year = n < 70 ? 2000 + n : 1900 + n;
        break;
      case "m":
        if ((n = number(1, 12, 2)) === null) return null;
        out.month = n;
        break;
      case "d":
      case "e":
        while (value[at] === " ") at++;
        if ((n = number(1, 31, 2)) === null) return null;
        out.day = n;
        break;
      case "b":
      case "h":
      case "B": {
        const word = /^[A-Za-z]+/.exec(value.slice(at))?.[0].toLowerCase() ?? "";
        const month = MONTHS.findIndex((m) => (spec === "B" ? m === word : m.slice(0, 3) === word));
        if (month < 0) return null;
        out.month = month + 1;
        at += word.length;
        break;
      }
      case "H":
        if ((n = number(0, 23, 2)) === null) return null;
        out.hour = n;
        break;
      case "I":
        if ((hour12 = number(1, 12, 2)) === null) return null;
        break;
      case "M":
        if ((n = number(0, 59, 2)) === null) return null;
        out.minute = n;
        break;
      case "S":
        if ((n = number(0, 60, 2)) === null) return null;
        out.second = n;
        break;
      case "p":
      case "P": {
        const word = value.slice(at, at + 2).toLowerCase();
        if (word !== "am" && word !== "pm") return null;
        pm = word === "pm";
        at += 2;
        break;
      }
      case "%":
        if (value[at] !== "%") return null;
        at++;
        break;
      default:
        return null;
    }
  }
  if (at !== value.length) return null;
  if (hour12 !== null) {
    if (pm === null) return null;
    out.hour = (hour12 % 12) + (pm ? 12 : 0);
  }
  const date = new Date(Date.UTC(out.year, out.month - 1, out.day));
  if (date.getUTCDate() !== out.day) return null;
  return out;
}

/** A read date in words no one can take the wrong way round. */
function dateInWords(read: Read): string {
  return new Date(Date.UTC(read.year, read.month - 1, read.day)).toLocaleDateString("en-US", {
    weekday: "short",
    month: "long",
    day: "numeric",
    year: "numeric",
    timeZone: "UTC",
  });
}

function timeInWords(read: Read): string {
  const hour = read.hour % 12 === 0 ? 12 : read.hour % 12;
  return `${hour}:${String(read.minute).padStart(2, "0")} ${read.hour < 12 ? "AM" : "PM"}`;
}

/** Minutes in a duration written in `format`; `null` if it is not. */
export function readDuration(format: CsvDuration, value: string): number | null {
  const text = value.trim();
  if (format === "decimal_hours") {
    return /^\d+([.,]\d+)?$/.test(text) ? Math.round(Number(text.replace(",", ".")) * 60) : null;
  }
  if (format === "hours_minutes") {
    const m = /^(\d+):([0-5]\d)$/.exec(text);
    return m ? Number(m[1]) * 60 + Number(m[2]) : null;
  }
  return /^\d+$/.test(text) ? Number(text) : null;
}

function durationInWords(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/** How the file's first value of a field reads in a format: `reading`
 *  is `null` when it does not. */
export interface Example {
  sample: string;
  reading: string | null;
}

/** An example as a sentence: “11/16/2026” is Mon, November 16, 2026. */
export function said(example: Example | null): string {
  if (!example) return "";
  return example.reading ? `“${example.sample}” is ${example.reading}` : `“${example.sample}” does not read this way`;
}

export function dateExample(format: string, sample: string | undefined): Example | null {
  if (!sample) return null;
  const read = readWith(format, sample);
  return { sample, reading: read ? dateInWords(read) : null };
}

/** How a start sample reads in a time format, alone or after the date. */
export function timeExample(format: string, dateFormat: string, sample: string | undefined): Example | null {
  if (!sample) return null;
  const alone = readWith(format, sample);
  const withDate = alone ? null : readWith(`${dateFormat} ${format}`, sample);
  const reading = alone ? timeInWords(alone) : withDate ? `${dateInWords(withDate)}, ${timeInWords(withDate)}` : null;
  return { sample, reading };
}

export function durationExample(format: CsvDuration, sample: string | undefined): Example | null {
  if (!sample) return null;
  const minutes = readDuration(format, sample);
  return { sample, reading: minutes === null ? null : durationInWords(minutes) };
}

/** The data rows as the layout reads them: with “First row is headers”
 *  turned off, the guessed header line is the first data row; turned on,
 *  the first line names the columns. */
export function dataRows(preview: Preview, layout: Layout): string[][] {
  if (preview.guess.has_header === layout.has_header) return preview.rows;
  return layout.has_header ? preview.rows.slice(1) : [preview.headers, ...preview.rows];
}

/** Column headings: the file's headers, or numbered when it has none. */
export function headings(preview: Preview, hasHeader: boolean): string[] {
  if (preview.guess.has_header === hasHeader) return preview.headers;
  return hasHeader ? preview.headers.map((_, i) => preview.rows[0]?.[i] ?? "") : preview.headers.map((_, i) => `Column ${i + 1}`);
}

/** The layout with “First row is headers” set, its columns named to match. */
export function withHeader(preview: Preview, layout: Layout, hasHeader: boolean): Layout {
  const names = headings(preview, hasHeader);
  return { ...layout, has_header: hasHeader, columns: layout.columns.map((c, i) => ({ ...c, header: names[i] ?? c.header })) };
}

/** The first non-blank value of the column holding `field`. */
export function sampleOf(preview: Preview, layout: Layout, field: CsvField): string | undefined {
  const index = layout.columns.findIndex((c) => c.field === field);
  if (index < 0) return undefined;
  return dataRows(preview, layout)
    .map((row) => row[index]?.trim() ?? "")
    .find((v) => v !== "");
}

/** What the mapping still lacks before time can be read, in the admin's
 *  words (as the backend says it when saving); empty when every required
 *  field has its column once. */
export function missingFields(layout: Layout): string[] {
  const has = (field: CsvField) => layout.columns.some((c) => c.field === field);
  const missing: string[] = [];
  if (!has("employee") && !has("employee_number")) missing.push("the employee (a name or an employee number)");
  if (!has("date") && !has("start")) missing.push("the date (or a start time with its date)");
  if (!has("hours") && !(has("start") && has("end"))) missing.push("the hours (or a start and an end time)");
  for (const field of FIELDS) {
    const count = layout.columns.filter((c) => c.field === field).length;
    if (count > 1) missing.push(`${FIELD_LABELS[field]} in one column only (${count} columns are ${FIELD_LABELS[field]})`);
  }
  return missing;
}

/** The shown rows' values that do not read with the layout, each said by
 *  row and column. */
export function rowProblems(preview: Preview, layout: Layout): string[] {
  const names = headings(preview, layout.has_header);
  const problems: string[] = [];
  const withDate = `${layout.date_format} ${layout.time_format}`;
  dataRows(preview, layout).forEach((row, r) => {
    layout.columns.forEach((column, c) => {
      const value = row[c]?.trim() ?? "";
      if (!value || !column.field) return;
      const where = `Row ${r + 1}, column “${names[c]}”: “${value}”`;
      if (column.field === "date" && !readWith(layout.date_format, value)) {
        problems.push(`${where} is not a date in the chosen date format.`);
      } else if ((column.field === "start" || column.field === "end") && !readWith(layout.time_format, value) && !readWith(withDate, value)) {
        problems.push(`${where} is not a time in the chosen time format.`);
      } else if ((column.field === "hours" || column.field === "break") && readDuration(layout.duration_format, value) === null) {
        problems.push(`${where} is not a duration in the chosen duration format.`);
      }
    });
  });
  return problems;
}

function sameHeader(a: string, b: string): boolean {
  return a.trim().toLowerCase() === b.trim().toLowerCase();
}

/** A saved layout applied to the file shown: its formats and, column by
 *  column, the field it gives the same header (or, for a file without
 *  headers, the same position). */
export function applyLayout(saved: Layout, preview: Preview): Layout {
  const columns: LayoutColumn[] = preview.guess.columns.map((column, i) => {
    const match = saved.has_header ? saved.columns.find((s) => sameHeader(s.header, column.header)) : saved.columns[i];
    return { header: column.header, field: match?.field ?? null };
  });
  return { ...saved, columns };
}

/** Whether two layouts read a file the same way (the name aside). */
export function sameReading(a: Layout, b: Layout): boolean {
  return JSON.stringify({ ...a, name: "" }) === JSON.stringify({ ...b, name: "" });
}

/** Connect saves the layout, then connects the export folder (or file)
 *  with it. The layout's own name problem is the connection's
 *  `csv_layout` field (its `name` is the integration's). */
export async function connectCsvFiles(
  platform: Platform,
  name: string,
  settings: IntegrationSettings,
  layout: Layout,
): Promise<Integration> {
  let kept: CsvLayout;
  try {
    kept = await saveCsvLayout({ layout });
  } catch (e) {
    const error = toApiError(e);
    throw { ...error, fields: error.fields.map((f) => (f.field === "name" ? { ...f, field: "csv_layout" } : f)) };
  }
  return connectFolder({ platform, name, settings: { ...settings, csv_layout: kept.name } });
}
