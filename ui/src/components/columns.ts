// Column definitions for DataTable.

export type Tone = "plain" | "accent" | "warning" | "danger";

export interface Column<T, S extends string = string> {
  /** Stable id, also the test hook (data-column). */
  key: string;
  label: string;
  /** Sort key sent to the backend when the header is clicked; none = not sortable. */
  sort?: S;
  value: (row: T) => string;
  /** Show the value as a chip of this tone. */
  chip?: (row: T) => Tone | null;
  align?: "left" | "right";
  mono?: boolean;
  /** A narrow column that never wraps. */
  nowrap?: boolean;
}
