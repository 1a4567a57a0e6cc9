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
  /** Long text that wraps onto more lines instead of being cut short. */
  wrap?: boolean;
}

/** Which rows are picked, for a table with a checkbox column. */
export interface Selection<T> {
  selected: (string | number)[];
  /** Picks (`true`) or unpicks the rows with these keys. */
  setMany: (keys: (string | number)[], on: boolean) => void;
  /** How a row is named to screen readers ("Select Rosa Diaz"). */
  label: (row: T) => string;
}
