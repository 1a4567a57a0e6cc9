// Live sync progress: the latest report of each running sync, from the
// backend's `sync-progress` events.

import { listen, type UnlistenFn } from "@tauri-apps/api/event";
import { SYNC_PROGRESS_EVENT, type Progress } from "./bindings";

type Listener = (progress: Progress) => void;

class SyncProgress {
  /** Latest report per integration id, while its sync runs. */
  running = $state<Record<number, Progress>>({});
  /** Reports received since the window opened (the tests read it). */
  received = $state(0);
  private listeners = new Set<Listener>();
  private unlisten: UnlistenFn | null = null;

  /** Starts listening (once); safe to call from any page. */
  async start(): Promise<void> {
    if (this.unlisten) return;
    try {
      this.unlisten = await listen<Progress>(SYNC_PROGRESS_EVENT, (event) => this.report(event.payload));
    } catch {
      // Outside the app (unit tests) there are no events.
    }
  }

  report(progress: Progress): void {
    this.received += 1;
    const next = { ...this.running };
    if (progress.phase === "finished") delete next[progress.integration_id];
    else next[progress.integration_id] = progress;
    this.running = next;
    this.listeners.forEach((listener) => listener(progress));
  }

  /** Called with every report; returns a function that stops it. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

export const syncProgress = new SyncProgress();

/** "Reading timesheets: page 3, 600 records" */
export function describeProgress(progress: Progress): string {
  const what = progress.stream.replace(/_/g, " ");
  if (progress.phase === "deriving") return `Sorting out ${what}…`;
  return `Reading ${what}: page ${progress.pages}, ${progress.fetched.toLocaleString()} records`;
}
