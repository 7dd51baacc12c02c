import { mkdtemp, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { systemClock } from "../src/clock.js";
import { type DatabaseHandle, openDatabase, openPostgres } from "../src/db/client.js";
import { generateCasesCsv } from "../src/modules/import/generate-sample.js";
import { createContext, systemActor } from "../src/modules/shared/context.js";
import { type SyncOutcome, syncFromDiarium } from "../src/modules/sync/sync-from-diarium.js";
import { generateCasesErms } from "./erms-sample.js";
import { type Defer, scratchDataDir, scratchPostgres } from "./scratch-database.js";

/**
 * The scheduled sync on a folder export of generated cases, as CSV or as FGS 2.0 (ERMS) XML (issue 9
 * §4 and §7), in-process:
 * - the first sync, which imports every case;
 * - the same export again, which is known by its SHA-256 and not read;
 * - a new export with the same cases (another file, other bytes: a line break more), which is read
 *   and compared case by case. Aim: under 3 s for 100,000 cases.
 */
export type SyncBenchResult = {
  target: string;
  format: "csv" | "erms";
  rows: number;
  firstSeconds: number;
  sameExportMs: number;
  /** The median of the runs below. */
  unchangedSeconds: number;
  unchangedRuns: number[];
};

const UNCHANGED_RUNS = 3;

export async function benchSync(
  target: "pglite" | "postgres",
  {
    rows,
    adminUrl,
    defer,
    format = "csv",
  }: { rows: number; adminUrl: string; defer: Defer; format?: "csv" | "erms" },
): Promise<SyncBenchResult> {
  const folder = await mkdtemp(join(tmpdir(), "arendebot-bench-sync-"));
  defer(() => rm(folder, { recursive: true, force: true }));
  const database =
    target === "pglite" ? await pgliteDatabase(defer) : await postgresDatabase(adminUrl, defer);
  try {
    await database.migrate();
    const ctx = createContext({ db: database.db, clock: systemClock, actor: systemActor("sync") });
    const sync = () =>
      syncFromDiarium(ctx, {
        source: { kind: "folder", path: folder },
        header: undefined,
        instanceId: "bench",
      });
    const content =
      format === "csv"
        ? generateCasesCsv(rows, { registry: "synk", registryName: "Synk" })
        : generateCasesErms(rows, { registryName: "Synk" });
    await exportFile(folder, `export-1.${format === "csv" ? "csv" : "xml"}`, content, 2);
    const firstSeconds = await timed(sync, "synced", (outcome) => outcome.report.created === rows);
    const sameExportMs = (await timed(sync, "already_synced")) * 1000;
    // Three new exports of the same cases, each newer than the last: the median is reported, since
    // one run on a small machine varies by a fifth.
    const unchangedRuns: number[] = [];
    for (let run = 1; run <= UNCHANGED_RUNS; run += 1) {
      const name = `export-${run + 1}.${format === "csv" ? "csv" : "xml"}`;
      await exportFile(folder, name, `${content}${"\n".repeat(run)}`, 1 - run / 100);
      unchangedRuns.push(await timed(sync, "synced", (outcome) => outcome.report.unchanged === rows));
    }
    const sorted = [...unchangedRuns].sort((a, b) => a - b);
    const unchangedSeconds = sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
    return { target, format, rows, firstSeconds, sameExportMs, unchangedSeconds, unchangedRuns };
  } finally {
    await database.close();
  }
}

export function formatSyncBench(result: SyncBenchResult): string {
  const rate = Math.round(result.rows / result.firstSeconds).toLocaleString("en");
  const aim = result.unchangedSeconds < 3 ? "met" : "MISSED";
  return (
    `sync ${result.format} ${result.target}: first ${result.firstSeconds.toFixed(1)} s (${rate} cases/s), ` +
    `same export again ${result.sameExportMs.toFixed(0)} ms, ` +
    `new export of the same ${result.rows.toLocaleString("en")} cases ${result.unchangedSeconds.toFixed(2)} s ` +
    `(median of ${result.unchangedRuns.map((seconds) => seconds.toFixed(2)).join(", ")}) ` +
    `(${aim}: aim < 3 s)`
  );
}

async function timed<T extends SyncOutcome["type"]>(
  sync: () => Promise<SyncOutcome>,
  expected: T,
  check: (outcome: Extract<SyncOutcome, { type: T }>) => boolean = () => true,
): Promise<number> {
  const started = performance.now();
  const outcome = await sync();
  const seconds = (performance.now() - started) / 1000;
  if (outcome.type !== expected || !check(outcome as Extract<SyncOutcome, { type: T }>)) {
    throw new Error(`sync bench: expected ${expected}, got ${JSON.stringify(outcome).slice(0, 500)}`);
  }
  return seconds;
}

/** The newest export is the one modified last; the older one is dated back. */
async function exportFile(folder: string, name: string, content: string, minutesAgo: number) {
  const file = join(folder, name);
  await writeFile(file, content);
  const when = new Date(Date.now() - minutesAgo * 60_000);
  await utimes(file, when, when);
}

/** In a worker thread, as the bot runs it (src/main.ts): the scheduled sync runs in the bot. */
async function pgliteDatabase(defer: Defer): Promise<DatabaseHandle> {
  return openDatabase({ kind: "pglite", dataDir: await scratchDataDir(defer, "sync") }, { thread: "worker" });
}

async function postgresDatabase(adminUrl: string, defer: Defer): Promise<DatabaseHandle> {
  return openPostgres(await scratchPostgres(adminUrl, defer, "bench_sync"));
}
