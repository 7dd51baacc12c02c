import { Writable } from "node:stream";
import { sql } from "drizzle-orm";
import { importActor, runImportCommand } from "../src/cli/import-command.js";
import { systemClock } from "../src/clock.js";
import { type DatabaseHandle, openDatabase, openPostgres } from "../src/db/client.js";
import { cases } from "../src/db/schema.js";
import { createContext } from "../src/modules/shared/context.js";

/** A migrated database holding the generated cases, ready for bench/serve-bot.ts. */
export type BenchRegistry = {
  target: "pglite" | "postgres";
  /** What bench/serve-bot.ts needs to open it. */
  env: Record<string, string>;
  importRowsPerSecond: number;
  importSeconds: number;
  /** Display dnrs of cases whose dnr is found in exactly one registry, so each answer is one card. */
  dnrs: string[];
};

import { type Defer, scratchDataDir, scratchPostgres } from "./scratch-database.js";

export type { Defer };

const SAMPLE_DNRS = 2_000;

export async function pgliteRegistry(csvFile: string, rows: number, defer: Defer): Promise<BenchRegistry> {
  const dataDir = await scratchDataDir(defer, "status");
  const loaded = await load(await openDatabase({ kind: "pglite", dataDir }), csvFile, rows);
  return { target: "pglite", env: { DATA_DIR: dataDir }, ...loaded };
}

export async function postgresRegistry(
  adminUrl: string,
  csvFile: string,
  rows: number,
  defer: Defer,
): Promise<BenchRegistry> {
  const url = await scratchPostgres(adminUrl, defer, "bench");
  const loaded = await load(openPostgres(url), csvFile, rows);
  return { target: "postgres", env: { DATABASE_URL: url }, ...loaded };
}

/** Migrates, imports the CSV through the real import path (timed), and samples dnrs to ask for. */
async function load(database: DatabaseHandle, csvFile: string, rows: number) {
  try {
    await database.migrate();
    const started = performance.now();
    await importCsv(database, csvFile);
    const importSeconds = (performance.now() - started) / 1000;
    // As autovacuum would soon after a large import; the lookups then run on settled plans.
    await database.db.execute(sql`ANALYZE`);
    const dnrs = await sampleDnrs(database);
    if (dnrs.length === 0) throw new Error("the import left no cases with a dnr to ask for");
    return { importSeconds, importRowsPerSecond: rows / importSeconds, dnrs };
  } finally {
    await database.close();
  }
}

/** The import as `arendebot import FILE` runs it; its report goes to our output. */
async function importCsv(database: DatabaseHandle, file: string): Promise<void> {
  let report = "";
  const out = new Writable({
    write(chunk, _encoding, done) {
      report += String(chunk);
      done();
    },
  });
  const code = await runImportCommand({
    ctx: createContext({ db: database.db, clock: systemClock, actor: importActor(file) }),
    file,
    out,
    err: out,
    interactive: false,
  });
  if (code !== 0) throw new Error(`the import failed (exit code ${code}):\n${report.slice(0, 2000)}`);
  console.log(`  ${report.split("\n")[0]}`);
}

async function sampleDnrs(database: DatabaseHandle): Promise<string[]> {
  const result = await database.db.execute<{ dnr: string }>(sql`
    SELECT min(${cases.dnr}) AS dnr FROM ${cases}
     WHERE ${cases.dnr} IS NOT NULL
     GROUP BY ${cases.dnrKey} HAVING count(*) = 1
     ORDER BY random() LIMIT ${SAMPLE_DNRS}`);
  // postgres.js returns the rows; PGlite wraps them in `{ rows }`.
  const rows = Array.isArray(result) ? result : (result as unknown as { rows: { dnr: string }[] }).rows;
  return rows.map((row) => row.dnr);
}
