import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateCasesCsv } from "../src/modules/import/generate-sample.js";
import { startServer } from "./child.js";
import { benchDigestOnPglite, benchDigestOnPostgres, formatDigestBench } from "./digest-bench.js";
import { askOnce, BENCH_SIGNING_SECRET, failureCount, type LoadResult, runLoad } from "./load.js";
import { type BenchRegistry, pgliteRegistry, postgresRegistry } from "./registry.js";

/**
 * `npm run bench`: status lookups end to end (signed request in, card out) on a registry of
 * generated cases, on PGlite and on PostgreSQL, next to two floors: a bare Bolt app answering a small
 * constant, and one answering the very bytes of a card the bot answered. Each server's resident
 * memory is read after start-up and after its run. Measurements only: a missed aim exits 0, anything
 * that went wrong exits 1.
 *
 * Settings: BENCH_ROWS (100000), BENCH_DURATION (10 s), BENCH_WARMUP (3 s), BENCH_CONNECTIONS (10),
 * BENCH_DATABASE_URL (a PostgreSQL server where a scratch database may be created and dropped),
 * BENCH_DIGEST=0 (leave out the digest), BENCH_CPU_PROF=<dir> (CPU profiles of the servers under test).
 */

const settings = {
  rows: positive("BENCH_ROWS", 100_000),
  durationSeconds: positive("BENCH_DURATION", 10),
  warmupSeconds: positive("BENCH_WARMUP", 3),
  connections: positive("BENCH_CONNECTIONS", 10),
  adminUrl: process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
  digest: process.env.BENCH_DIGEST !== "0",
};
const AIM_RATIO = 0.7;
const AIM_P99_MS = 20;

type Measured = {
  target: string;
  result: LoadResult;
  serverCpuMsPerRequest: number;
  /** Resident memory of the server process after start-up and after its run, in bytes. */
  rss: { started: number; after: number };
  /** A bot's answer to the first sampled dnr, asked before the warm-up. */
  card?: string;
};

const cleanups: (() => Promise<void>)[] = [];
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`\n${signal}: cleaning up`);
    cleanUp().finally(() => process.exit(130));
  });
}

async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) {
    await cleanup().catch((error: unknown) => console.error("cleanup failed:", error));
  }
}

async function main(): Promise<number> {
  const s = settings;
  console.log(
    `arendebot bench: ${s.rows.toLocaleString("en")} cases, ${s.connections} connections, ` +
      `${s.warmupSeconds} s warm-up + ${s.durationSeconds} s per target\n`,
  );
  const workDir = await mkdtemp(join(tmpdir(), "arendebot-bench-csv-"));
  cleanups.push(() => rm(workDir, { recursive: true, force: true }));
  const csvFile = join(workDir, "cases.csv");
  await writeFile(csvFile, generateCasesCsv(s.rows));

  const defer = (cleanup: () => Promise<void>) => void cleanups.push(cleanup);
  const registries: BenchRegistry[] = [];
  for (const [target, open] of [
    ["pglite", () => pgliteRegistry(csvFile, s.rows, defer)],
    ["postgres", () => postgresRegistry(s.adminUrl, csvFile, s.rows, defer)],
  ] as const) {
    console.log(`${target}: migrating and importing ${s.rows.toLocaleString("en")} rows…`);
    const registry = await open();
    registries.push(registry);
    console.log(`${target}: imported in ${registry.importSeconds.toFixed(1)} s`);
  }

  const measured: Measured[] = [];
  for (const registry of registries) {
    measured.push(await measure(registry.target, "./serve-bot.ts", registry.env, registry.dnrs, isCaseCard));
  }
  const dnrs = registries[0]?.dnrs ?? [];
  measured.push(
    await measure("floor", "./serve-floor.ts", {}, dnrs, (body) =>
      body.includes('"response_type":"ephemeral"'),
    ),
  );
  const card = measured.find((row) => row.target === "postgres")?.card;
  if (card && isCaseCard(card)) {
    measured.push(
      await measure(
        "floor-card",
        "./serve-floor.ts",
        { BENCH_FLOOR_ANSWER: card },
        dnrs,
        (body) => body === card,
      ),
    );
  }

  printReport(measured, registries);

  if (settings.digest) await digestBench(defer);
  const failed = measured.filter(({ result }) => failureCount(result) > 0);
  for (const { target, result } of failed) {
    console.error(`\nFAILED ${target}: ${JSON.stringify(result.failures)}`);
    if (result.firstWrongAnswer)
      console.error(`  first wrong answer: ${result.firstWrongAnswer.slice(0, 500)}`);
  }
  return failed.length > 0 ? 1 : 0;
}

async function digestBench(defer: (cleanup: () => Promise<void>) => void): Promise<void> {
  console.log(
    "\ndigest: 100,000 cases, 10,000 overdue; buildDigest next to the bare SQL selecting the same rows",
  );
  for (const result of [
    await benchDigestOnPglite({ defer }),
    await benchDigestOnPostgres(settings.adminUrl, { defer }),
  ]) {
    console.log(formatDigestBench(result));
  }
}

/** The status card of exactly one case, answered in the HTTP ack body. */
function isCaseCard(body: string): boolean {
  return body.includes('"response_type":"ephemeral"') && body.includes('"action_id":"case_card.share"');
}

async function measure(
  target: string,
  script: string,
  env: Record<string, string>,
  dnrs: readonly string[],
  answerIsRight: (body: string) => boolean,
): Promise<Measured> {
  const server = await startServer(script, { ...env, SLACK_SIGNING_SECRET: BENCH_SIGNING_SECRET });
  try {
    const started = await server.rssBytes();
    const card = dnrs[0] === undefined ? undefined : await askOnce(server.url, dnrs[0]);
    const load = { url: server.url, dnrs, connections: settings.connections, answerIsRight };
    process.stdout.write(`${target}: warming up… `);
    const warmup = await runLoad({ ...load, durationSeconds: settings.warmupSeconds });
    if (failureCount(warmup) > 0) {
      const rss = { started, after: await server.rssBytes() };
      return { target, result: warmup, serverCpuMsPerRequest: Number.NaN, rss };
    }
    process.stdout.write("measuring… ");
    const cpuBefore = await server.cpuMs();
    const result = await runLoad({ ...load, durationSeconds: settings.durationSeconds });
    const serverCpuMsPerRequest = ((await server.cpuMs()) - cpuBefore) / result.requests;
    const rss = { started, after: await server.rssBytes() };
    console.log(`${Math.round(result.requestsPerSecond)} requests/s`);
    return { target, result, serverCpuMsPerRequest, rss, ...(card === undefined ? {} : { card }) };
  } finally {
    await server.stop();
  }
}

function printReport(measured: Measured[], registries: BenchRegistry[]): void {
  const rate = (target: string) =>
    measured.find((row) => row.target === target)?.result.requestsPerSecond ?? Number.NaN;
  const floor = rate("floor");
  const cardFloor = rate("floor-card");
  const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(0);
  const table = [
    [
      "target",
      "requests/s",
      "p50 ms",
      "p99 ms",
      "× floor",
      "× card floor",
      "server CPU ms/req",
      "RSS MiB start",
      "RSS MiB after",
      "requests",
      "failures",
    ],
    ...measured.map(({ target, result, serverCpuMsPerRequest, rss }) => [
      target,
      result.requestsPerSecond.toFixed(0),
      result.p50Ms.toFixed(2),
      result.p99Ms.toFixed(2),
      (result.requestsPerSecond / floor).toFixed(2),
      (result.requestsPerSecond / cardFloor).toFixed(2),
      serverCpuMsPerRequest.toFixed(3),
      mb(rss.started),
      mb(rss.after),
      String(result.requests),
      String(failureCount(result)),
    ]),
  ];
  const widths =
    table[0]?.map((_, column) => Math.max(...table.map((row) => row[column]?.length ?? 0))) ?? [];
  console.log("");
  for (const row of table) {
    console.log(
      row
        .map((cell, column) => (column === 0 ? cell.padEnd : cell.padStart).call(cell, widths[column] ?? 0))
        .join("  "),
    );
  }
  console.log(
    "(server CPU and RSS: the Node process under test only, its threads included; PostgreSQL's own " +
      "backends are not counted. CPU varies less than requests/s when the machine is busy. " +
      "floor-card answers the bytes of the PostgreSQL bot's card for the first sampled dnr.)",
  );
  console.log(`PGlite / PostgreSQL: ${(rate("pglite") / rate("postgres")).toFixed(2)} × the requests/s\n`);
  for (const registry of registries) {
    console.log(
      `import ${registry.target}: ${Math.round(registry.importRowsPerSecond).toLocaleString("en")} rows/s ` +
        `(${settings.rows.toLocaleString("en")} rows in ${registry.importSeconds.toFixed(1)} s)`,
    );
  }
  const postgresRow = measured.find((row) => row.target === "postgres")?.result;
  if (!postgresRow) return;
  const ratio = postgresRow.requestsPerSecond / floor;
  const cardRatio = postgresRow.requestsPerSecond / cardFloor;
  const ratioMet = ratio >= AIM_RATIO;
  const p99Met = postgresRow.p99Ms < AIM_P99_MS;
  console.log(
    `\naims on PostgreSQL: ${ratioMet && p99Met ? "MET" : "MISSED"}; ` +
      `throughput ${ratio.toFixed(2)} × floor (aim ≥ ${AIM_RATIO}) ${ratioMet ? "met" : "missed"}, ` +
      `${cardRatio.toFixed(2)} × card floor, ` +
      `p99 ${postgresRow.p99Ms.toFixed(1)} ms (aim < ${AIM_P99_MS} ms) ${p99Met ? "met" : "missed"}`,
  );
}

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number, got ${raw}`);
  return value;
}

let code = 1;
try {
  code = await main();
} catch (error) {
  console.error("\nbench failed:", error);
} finally {
  await cleanUp();
}
process.exit(code);
