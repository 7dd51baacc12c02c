import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateCasesCsv } from "../src/modules/import/generate-sample.js";
import { FakeSlack } from "../tests/support/fake-slack.js";
import { freePort } from "../tests/support/running-bot.js";
import { npmStartCommand } from "../tests/support/start-command.js";
import { benchChangesFeed, benchToken, formatFeedBench } from "./api-bench.js";
import { postgresCpuMs, type ServerCommand, startServer } from "./child.js";
import { benchDigestOnPglite, benchDigestOnPostgres, formatDigestBench } from "./digest-bench.js";
import { askEach, askOnce, BENCH_SIGNING_SECRET, failureCount, type LoadResult, runLoad } from "./load.js";
import { type BenchRegistry, pgliteRegistry, postgresRegistry } from "./registry.js";
import { benchSearch, formatSearchBench } from "./search-bench.js";
import { benchSync, formatSyncBench } from "./sync-bench.js";

/**
 * `npm run bench`: status lookups end to end (signed request in, card out) on a registry of
 * generated cases, on PGlite and on PostgreSQL, next to two floors: a bare Bolt app answering a small
 * constant, and one answering the very bytes of a card the bot answered. The bot runs as `npm start`
 * runs it (node on the compiled dist/, which `npm run bench` builds first, at its default LOG_LEVEL),
 * with a fake Slack Web API. Each server's resident memory is read after start-up and after its run.
 * Measurements only: a missed aim exits 0, anything that went wrong exits 1.
 *
 * Settings: BENCH_ROWS (100000), BENCH_DURATION (10 s), BENCH_WARMUP (3 s), BENCH_CONNECTIONS (16),
 * BENCH_DATABASE_URL (a PostgreSQL server where a scratch database may be created and dropped),
 * BENCH_DIGEST=0 (leave out the digest), BENCH_SYNC_ROWS (cases in the sync bench's export, 100000;
 * 0 leaves it out), BENCH_SYNC_FORMATS (csv,erms: which the sync bench exports), BENCH_CPU_PROF=<dir> (CPU profiles of the servers under test),
 * BENCH_TARGETS (some of pglite,postgres,floor,floor-card,api-pglite,api-postgres, to look at one
 * closely; api-… read the HTTP API's change feed in pages of 1,000, see api-bench.ts),
 * BENCH_SEARCH_CASES (generated cases searched by `/arende sök`, 1000000; 0 leaves it out; see
 * search-bench.ts), BENCH_SEARCH_RUNS (runs of each query, 30), BENCH_SETTLE_SECONDS (how long a
 * server idles after its run before its memory is read again, 20) and BENCH_ROUNDS (3: every status
 * target is measured this many times, alternating, and its median round reported).
 */

const settings = {
  rows: positive("BENCH_ROWS", 100_000),
  durationSeconds: positive("BENCH_DURATION", 10),
  warmupSeconds: positive("BENCH_WARMUP", 3),
  connections: positive("BENCH_CONNECTIONS", 16),
  adminUrl: process.env.BENCH_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
  digest: process.env.BENCH_DIGEST !== "0",
  syncRows: process.env.BENCH_SYNC_ROWS === "0" ? 0 : positive("BENCH_SYNC_ROWS", 100_000),
  syncFormats: (["csv", "erms"] as const).filter((format) =>
    (process.env.BENCH_SYNC_FORMATS ?? "csv,erms").split(",").includes(format),
  ),
  searchCases: process.env.BENCH_SEARCH_CASES === "0" ? 0 : positive("BENCH_SEARCH_CASES", 1_000_000),
  searchRuns: positive("BENCH_SEARCH_RUNS", 30),
  settleSeconds: positive("BENCH_SETTLE_SECONDS", 20),
  rounds: positive("BENCH_ROUNDS", 3),
  targets: (process.env.BENCH_TARGETS ?? "pglite,postgres,floor,floor-card,api-pglite,api-postgres").split(
    ",",
  ),
};
/** Issue 8's aims, printed next to the figures. */
const AIMS = {
  /** PostgreSQL's requests/s as a share of the floor answering the same card. */
  postgresPerCardFloor: 0.5,
  postgresP99Ms: 20,
  /** PGlite's requests/s as a share of PostgreSQL's. */
  pglitePerPostgres: 0.5,
  /** Resident memory, after start-up and after the run, in MB (10^6 bytes). */
  rssMb: { postgres: 150, pglite: 300 } as Record<string, number>,
};
const MB = 1e6;
const mb = (bytes: number) => (bytes / MB).toFixed(0);
const ROOT = fileURLToPath(new URL("../", import.meta.url));

type Measured = {
  target: string;
  result: LoadResult;
  serverCpuMsPerRequest: number;
  /** Of which on the main thread; the rest is mostly the embedded database's worker. */
  mainThreadCpuMsPerRequest: number;
  /** PostgreSQL's processes on this machine, per request (0 for targets that do not use it). */
  databaseCpuMsPerRequest: number;
  /**
   * Resident memory of the server process after start-up, at the end of its run, and once it has been
   * idle for BENCH_SETTLE_SECONDS (V8's memory reducer collects what the load left behind), in bytes.
   */
  rss: { started: number; after: number; settled: number };
  /** Each sampled dnr asked once before the warm-up, 16 at a time: lookups no cache has seen. */
  firstAsksPerSecond: number;
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
    if (!s.targets.includes(target) && !s.targets.includes(`api-${target}`)) continue;
    console.log(`${target}: migrating and importing ${s.rows.toLocaleString("en")} rows…`);
    const registry = await open();
    registries.push(registry);
    console.log(`${target}: imported in ${registry.importSeconds.toFixed(1)} s`);
  }

  // The Web API the bot calls at start-up (auth.test); nothing else during the lookups.
  const slack = new FakeSlack();
  await slack.start();
  cleanups.push(() => slack.stop());
  // The machine's speed drifts between runs (shared hosts): each round measures every target once, in
  // the same order, and the report takes each target's median round.
  const rounds: Measured[][] = [];
  for (let round = 1; round <= s.rounds; round += 1) {
    if (s.rounds > 1) console.log(`round ${round} of ${s.rounds}`);
    const measured: Measured[] = [];
    for (const registry of registries) {
      if (!s.targets.includes(registry.target)) continue;
      const bot = await botCommand({ ...registry.env, SLACK_API_URL: slack.apiUrl });
      measured.push(await measure(registry.target, bot, registry.dnrs, isCaseCard));
    }
    const dnrs = registries[0]?.dnrs ?? [];
    if (s.targets.includes("floor")) {
      const isAnswer = (body: string) => body.includes('"response_type":"ephemeral"');
      measured.push(await measure("floor", floorCommand({}), dnrs, isAnswer));
    }
    const card = (measured.find((row) => row.target === "postgres") ?? measured[0])?.card;
    if (s.targets.includes("floor-card") && card && isCaseCard(card)) {
      measured.push(
        await measure(
          "floor-card",
          floorCommand({ BENCH_FLOOR_ANSWER: card }),
          dnrs,
          (body) => body === card,
        ),
      );
    }
    rounds.push(measured);
  }
  if (s.rounds > 1) {
    console.log("\nby round: requests/s; RSS MB start / end / idle");
    for (const target of rounds[0]?.map((row) => row.target) ?? []) {
      const rows = rounds.map((measured) => measured.find((row) => row.target === target));
      const requests = rows.map((row) => Math.round(row?.result.requestsPerSecond ?? 0)).join(", ");
      const memory = rows
        .map((row) => (row ? [row.rss.started, row.rss.after, row.rss.settled].map(mb).join(" / ") : "?"))
        .join("; ");
      console.log(`  ${target.padEnd(11)} ${requests}; ${memory}`);
    }
  }
  const measured = medianRounds(rounds);

  if (measured.length > 0) printReport(measured, registries);

  for (const registry of registries) {
    if (!s.targets.includes(`api-${registry.target}`)) continue;
    const token = await benchToken(
      registry.env.DATABASE_URL
        ? { kind: "postgres", url: registry.env.DATABASE_URL }
        : { kind: "pglite", dataDir: registry.env.DATA_DIR ?? "" },
    );
    // The bench reads far more than an integration would; the rate limit is not what is measured.
    const bot = await botCommand({
      ...registry.env,
      SLACK_API_URL: slack.apiUrl,
      ARENDE_API_RATE_LIMIT: "100000",
    });
    const server = await startServer(`api-${registry.target}`, bot);
    try {
      process.stdout.write(`api-${registry.target}: reading the change feed… `);
      const result = await benchChangesFeed({
        target: registry.target,
        baseUrl: server.url.replace(/\/slack\/events$/, ""),
        token,
        durationSeconds: s.durationSeconds,
        connections: 4,
      });
      console.log("done");
      console.log(formatFeedBench(result));
    } finally {
      await server.stop();
    }
  }

  if (settings.digest) await digestBench(defer);
  if (settings.syncRows > 0) {
    console.log(`\nsync: a folder export of ${settings.syncRows.toLocaleString("en")} generated cases`);
    for (const format of settings.syncFormats) {
      for (const target of ["pglite", "postgres"] as const) {
        if (!settings.targets.includes(target)) continue;
        const result = await benchSync(target, {
          rows: settings.syncRows,
          adminUrl: settings.adminUrl,
          defer,
          format,
        });
        console.log(formatSyncBench(result));
      }
    }
  }
  if (settings.searchCases > 0) {
    console.log(`\nsearch: /arende sök on ${settings.searchCases.toLocaleString("en")} generated cases`);
    for (const target of ["postgres", "pglite"] as const) {
      if (!settings.targets.includes(target)) continue;
      const result = await benchSearch(target, {
        cases: settings.searchCases,
        adminUrl: settings.adminUrl,
        runs: settings.searchRuns,
        defer,
      });
      console.log(formatSearchBench(result));
    }
  }
  const failed = measured.filter(({ result }) => failureCount(result) > 0);
  for (const { target, result } of failed) {
    console.error(`\nFAILED ${target}: ${JSON.stringify(result.failures)}`);
    if (result.firstWrongAnswer)
      console.error(`  first wrong answer: ${result.firstWrongAnswer.slice(0, 500)}`);
  }
  return failed.length > 0 ? 1 : 0;
}

/** Each target's round with the median requests/s (the lower middle one of an even count). */
function medianRounds(rounds: Measured[][]): Measured[] {
  return (rounds[0] ?? []).map(({ target }) => {
    const runs = rounds
      .map((measured) => measured.find((row) => row.target === target))
      .filter((row): row is Measured => row !== undefined)
      .sort((a, b) => a.result.requestsPerSecond - b.result.requestsPerSecond);
    return runs[Math.floor((runs.length - 1) / 2)] as Measured;
  });
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

/**
 * The bot exactly as `npm start` starts it (node's options from package.json's start script), on a
 * migrated and loaded database, serving HTTP on a free port.
 */
async function botCommand(env: Record<string, string>): Promise<ServerCommand> {
  const { environment, args } = npmStartCommand();
  return {
    args: args.map((arg) => (arg.startsWith("dist/") ? join(ROOT, arg) : arg)),
    env: {
      ...env,
      ...environment,
      NODE_ENV: "production",
      PORT: String(await freePort()),
      SLACK_BOT_TOKEN: "xoxb-bench-token",
      SLACK_SIGNING_SECRET: BENCH_SIGNING_SECRET,
    },
    ready: /^arendebot is running \(HTTP on port (\d+)/,
    // Its JSON log lines; warnings and errors still show.
    quiet: (line) => /^\{"level":"(trace|debug|info)"/.test(line),
  };
}

function floorCommand(env: Record<string, string>): ServerCommand {
  return {
    args: ["--import", "tsx", fileURLToPath(new URL("./serve-floor.ts", import.meta.url))],
    env: { ...env, SLACK_SIGNING_SECRET: BENCH_SIGNING_SECRET },
    ready: /^listening on (\d+)$/,
  };
}

async function measure(
  target: string,
  command: ServerCommand,
  dnrs: readonly string[],
  answerIsRight: (body: string) => boolean,
): Promise<Measured> {
  const server = await startServer(target, command);
  try {
    const started = await server.rssBytes();
    const card = dnrs[0] === undefined ? undefined : await askOnce(server.url, dnrs[0]);
    const load = { url: server.url, dnrs, connections: settings.connections, answerIsRight };
    process.stdout.write(`${target}: asking each case once… `);
    const firstAsks = await askEach(server.url, dnrs, settings.connections, answerIsRight);
    const turnedAway = firstAsks.turnedAway > 0 ? ` (${firstAsks.turnedAway} turned away: busy)` : "";
    process.stdout.write(`${Math.round(firstAsks.requestsPerSecond)}/s${turnedAway}; warming up… `);
    const warmup = await runLoad({ ...load, durationSeconds: settings.warmupSeconds });
    process.stdout.write("measuring… ");
    const cpuBefore = await server.cpuMs();
    const databaseCpuBefore = await postgresCpuMs();
    const measured = await runLoad({ ...load, durationSeconds: settings.durationSeconds });
    // A wrong answer in the warm-up fails the run as one in the measurement does.
    const result = { ...measured, firstWrongAnswer: warmup.firstWrongAnswer ?? measured.firstWrongAnswer };
    for (const kind of ["errors", "non2xx", "mismatches"] as const) {
      result.failures[kind] += warmup.failures[kind];
    }
    result.failures.mismatches += firstAsks.wrong;
    const cpuAfter = await server.cpuMs();
    const databaseCpuMsPerRequest = ((await postgresCpuMs()) - databaseCpuBefore) / result.requests;
    const serverCpuMsPerRequest = (cpuAfter.total - cpuBefore.total) / result.requests;
    const mainThreadCpuMsPerRequest = (cpuAfter.mainThread - cpuBefore.mainThread) / result.requests;
    const after = await server.rssBytes();
    process.stdout.write(
      `${Math.round(result.requestsPerSecond)} requests/s; idle ${settings.settleSeconds} s… `,
    );
    await new Promise((resolve) => setTimeout(resolve, settings.settleSeconds * 1000));
    const rss = { started, after, settled: await server.rssBytes() };
    console.log("done");
    return {
      target,
      result,
      serverCpuMsPerRequest,
      mainThreadCpuMsPerRequest,
      databaseCpuMsPerRequest,
      rss,
      firstAsksPerSecond: firstAsks.requestsPerSecond,
      ...(card === undefined ? {} : { card }),
    };
  } finally {
    await server.stop();
  }
}

function printReport(measured: Measured[], registries: BenchRegistry[]): void {
  const rate = (target: string) =>
    measured.find((row) => row.target === target)?.result.requestsPerSecond ?? Number.NaN;
  const floor = rate("floor");
  const cardFloor = rate("floor-card");
  const table = [
    [
      "target",
      "requests/s",
      "first asks/s",
      "p50 ms",
      "p99 ms",
      "× floor",
      "× card floor",
      "server CPU ms/req",
      "main thread",
      "PostgreSQL CPU ms/req",
      "RSS MB start",
      "RSS MB after",
      "RSS MB idle",
      "requests",
      "failures",
    ],
    ...measured.map(
      ({
        target,
        result,
        firstAsksPerSecond,
        serverCpuMsPerRequest,
        mainThreadCpuMsPerRequest,
        databaseCpuMsPerRequest,
        rss,
      }) => [
        target,
        result.requestsPerSecond.toFixed(0),
        firstAsksPerSecond.toFixed(0),
        result.p50Ms.toFixed(2),
        result.p99Ms.toFixed(2),
        (result.requestsPerSecond / floor).toFixed(2),
        (result.requestsPerSecond / cardFloor).toFixed(2),
        serverCpuMsPerRequest.toFixed(3),
        mainThreadCpuMsPerRequest.toFixed(3),
        databaseCpuMsPerRequest.toFixed(3),
        mb(rss.started),
        mb(rss.after),
        mb(rss.settled),
        String(result.requests),
        String(failureCount(result)),
      ],
    ),
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
      "floor-card answers the bytes of the PostgreSQL bot's card for the first sampled dnr. First asks: " +
      "each sampled dnr asked once before the warm-up, lookups the bot's case cache has not seen.)",
  );
  console.log(`PGlite / PostgreSQL: ${(rate("pglite") / rate("postgres")).toFixed(2)} × the requests/s\n`);
  for (const registry of registries) {
    console.log(
      `import ${registry.target}: ${Math.round(registry.importRowsPerSecond).toLocaleString("en")} rows/s ` +
        `(${settings.rows.toLocaleString("en")} rows in ${registry.importSeconds.toFixed(1)} s)`,
    );
  }
  printAims(measured, rate);
}

/** Each aim of issue 8 next to the figure it is about: met or missed. */
function printAims(measured: Measured[], rate: (target: string) => number): void {
  const lines: string[] = [];
  const aim = (met: boolean, text: string) => lines.push(`  ${met ? "met   " : "MISSED"}  ${text}`);
  const postgres = measured.find((row) => row.target === "postgres");
  if (postgres) {
    const share = postgres.result.requestsPerSecond / rate("floor-card");
    aim(
      share >= AIMS.postgresPerCardFloor,
      `PostgreSQL ${share.toFixed(2)} × the card floor's requests/s (aim ≥ ${AIMS.postgresPerCardFloor})`,
    );
    const p99 = postgres.result.p99Ms;
    aim(
      p99 < AIMS.postgresP99Ms,
      `PostgreSQL p99 ${p99.toFixed(1)} ms at ${settings.connections} connections (aim < ${AIMS.postgresP99Ms} ms)`,
    );
  }
  const pgliteShare = rate("pglite") / rate("postgres");
  if (Number.isFinite(pgliteShare)) {
    aim(
      pgliteShare >= AIMS.pglitePerPostgres,
      `PGlite ${pgliteShare.toFixed(2)} × PostgreSQL's requests/s (aim ≥ ${AIMS.pglitePerPostgres})`,
    );
  }
  for (const { target, rss } of measured) {
    const limit = AIMS.rssMb[target];
    if (limit === undefined) continue;
    // What the bot holds once the load is over: at the run's very end the heap still holds the last
    // requests' garbage, which V8 collects within seconds of idling (the "RSS MB after" column).
    const most = Math.max(rss.started, rss.settled) / MB;
    aim(
      most <= limit,
      `${target} RSS ${(rss.started / MB).toFixed(0)} MB after start-up, ${(rss.settled / MB).toFixed(0)} MB ${settings.settleSeconds} s after the run (${(rss.after / MB).toFixed(0)} MB at its end; aim ≤ ${limit} MB)`,
    );
  }
  console.log(`\naims (issue 8):\n${lines.join("\n")}`);
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
