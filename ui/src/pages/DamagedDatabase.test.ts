import { fireEvent, render, screen } from "@testing-library/svelte";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { BackupFile, DatabaseStatus } from "../lib/bindings";

const call = vi.fn();
vi.mock("../lib/transport", async (original) => ({
  ...(await original<typeof import("../lib/transport")>()),
  call: (...args: unknown[]) => call(...args),
}));

const { default: DamagedDatabase } = await import("./DamagedDatabase.svelte");

const latest: BackupFile = {
  path: "/data/backups/timebridge-2026-11-02.db",
  kind: "daily",
  day: "2026-11-02",
  made_at: null,
  size_bytes: 4096,
};

const damaged: DatabaseStatus = {
  damaged: true,
  problems: ["Tree 12 page 12: btreeInitPage() returns error code 11"],
  latest_good_backup: latest,
  backups: [latest, { ...latest, path: "/data/backups/timebridge-2026-11-01.db", day: "2026-11-01" }],
  backups_folder: "/data/backups",
};

describe("the damaged database page", () => {
  beforeEach(() => call.mockReset());

  it("offers the latest good backup and restores it once confirmed", async () => {
    const onrestored = vi.fn();
    call.mockResolvedValue({ restored_from: latest.path, kept_current: null, from_version: 12, to_version: 12 });
    render(DamagedDatabase, { status: damaged, onrestored, oncontinue: vi.fn() });
    expect(screen.getByRole("combobox"), "the latest good backup is chosen first").toHaveProperty("value", latest.path);
    await fireEvent.click(screen.getByRole("button", { name: "Restore this backup" }));
    expect(call, "nothing is restored before it is confirmed").not.toHaveBeenCalled();
    await fireEvent.click(await screen.findByRole("button", { name: "Restore" }));
    await vi.waitFor(() => expect(onrestored, "the app starts again over the restored database").toHaveBeenCalled());
    expect(call).toHaveBeenCalledWith("restore_backup", { path: latest.path });
  });

  it("says how to restore from elsewhere when no backup is kept", () => {
    render(DamagedDatabase, {
      status: { ...damaged, latest_good_backup: null, backups: [] },
      onrestored: vi.fn(),
      oncontinue: vi.fn(),
    });
    expect(screen.getByRole("alert").textContent, "the command line way is named").toContain("timebridge restore FILE");
  });
});
