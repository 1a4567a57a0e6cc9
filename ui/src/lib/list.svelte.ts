// The state of one list: page, sort, search and filters, as a ListQuery the
// backend runs in SQLite.

import type { ListQuery, SourceFilter } from "./bindings";

export const PAGE_SIZES = [25, 50, 100, 200] as const;

export class ListState<S extends string> {
  page = $state(1);
  pageSize = $state(50);
  sort = $state<S | null>(null);
  descending = $state(false);
  search = $state("");
  source = $state<SourceFilter>({ kind: "all" });
  includeInactive = $state(false);
  /** Only this job's records (time entries, tasks, budgets). */
  jobId = $state<number | null>(null);

  constructor(sort: S | null = null, descending = false) {
    this.sort = sort;
    this.descending = descending;
  }

  get query(): ListQuery<S> {
    return {
      page: this.page,
      page_size: this.pageSize,
      sort: this.sort,
      descending: this.descending,
      search: this.search.trim() === "" ? null : this.search.trim(),
      source: this.source,
      include_inactive: this.includeInactive,
      job_id: this.jobId,
    };
  }

  /** Clicking a column: sort by it, or flip the direction if it is the sort already. */
  toggleSort(key: S): void {
    if (this.sort === key) this.descending = !this.descending;
    else {
      this.sort = key;
      this.descending = false;
    }
    this.page = 1;
  }

  /** Filters changed: back to the first page. */
  resetPage(): void {
    this.page = 1;
  }
}

/** "Showing 51–100 of 240" */
export function rangeLabel(page: number, pageSize: number, total: number): string {
  if (total === 0) return "No results";
  const first = (page - 1) * pageSize + 1;
  const last = Math.min(page * pageSize, total);
  return `${first}–${last} of ${total.toLocaleString()}`;
}

export function pageCount(pageSize: number, total: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}
