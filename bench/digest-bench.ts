import { sql } from "drizzle-orm";
import { type Database, openDatabase, openPostgres } from "../src/db/client.js";
import { buildDigest } from "../src/modules/digests/build-digest.js";
import { ALL_CASES } from "../src/modules/digests/digest.js";
import { type Defer, scratchDataDir, scratchPostgres } from "./scratch-database.js";

/**
 * The digest as the scheduler builds it, on a registry of 100,000 cases with 10,000 overdue deadlines,
 * next to the bare SQL that selects the same overdue rows. Aim: under 300 ms and at most 1.5 times
 * the bare query.
 *
 * The data is generated in the database with generate_series (seconds, not the minutes an import of
 * 100,000 rows takes) as of a fixed day, BENCH_TODAY, which is passed to buildDigest as "today".
 */

export type DigestBenchResult = {
  label: string;
  buildMs: { p50: number; p99: number };
  bareMs: { p50: number; p99: number };
  ratio: number;
};

export const BENCH_TODAY = "2025-06-02";
export const DIGEST_BENCH = {
  registry: "digest-bench",
  cases: 100_000,
  overdue: 10_000,
  referrals: 20_000,
  bodies: 20,
} as const;

const WARMUP_RUNS = 3;
const MEASURED_RUNS = 20;

/**
 * Times buildDigest against the bare query on `db`, after filling it with the benchmark registry if it
 * is empty (an already filled one is reused). A database holding other cases is refused: their
 * deadlines would change what is measured.
 */
export async function benchDigest(db: Database, label: string): Promise<DigestBenchResult> {
  await ensureDigestBenchData(db);
  const build = async () => (await buildDigest({ db, today: BENCH_TODAY, filter: ALL_CASES })).total;
  const bare = async () => (await bareOverdueRows(db, BENCH_TODAY)).length;

  // The two must agree, or the comparison means nothing.
  const [built, selected] = [await build(), await bare()];
  if (built !== DIGEST_BENCH.overdue || selected !== DIGEST_BENCH.overdue) {
    throw new Error(
      `expected ${DIGEST_BENCH.overdue} overdue rows, the digest has ${built} and the bare query ${selected}`,
    );
  }
  for (let run = 0; run < WARMUP_RUNS; run += 1) {
    await build();
    await bare();
  }
  const buildTimes: number[] = [];
  const bareTimes: number[] = [];
  // Interleaved, so drift (caches, the other process on the machine) hits both alike.
  for (let run = 0; run < MEASURED_RUNS; run += 1) {
    buildTimes.push(await timed(build));
    bareTimes.push(await timed(bare));
  }
  const buildMs = summary(buildTimes);
  const bareMs = summary(bareTimes);
  return { label, buildMs, bareMs, ratio: buildMs.p50 / bareMs.p50 };
}

/**
 * The bare query: the overdue deadlines with the case and body columns the digest shows, as one would
 * write it by hand, without the identifier and missing-answer lookups or the trend.
 */
export async function bareOverdueRows(db: Database, today: string): Promise<unknown[]> {
  return rowsOf(
    await db.execute(sql`
      SELECT d.id, d.kind, d.due_on, c.id AS case_id, c.kind AS case_kind, c.dnr, c.public_title,
             c.restricted, c.officer_name, c.officer_slack_user_id, c.responsible_body_id,
             rb.name AS responsible_body_name, refb.name AS referral_body_name
        FROM deadlines d
        JOIN cases c ON c.id = d.case_id
        LEFT JOIN bodies rb ON rb.id = c.responsible_body_id
        LEFT JOIN referrals r ON r.id = d.referral_id
        LEFT JOIN bodies refb ON refb.id = r.body_id
       WHERE d.state = 'open' AND d.due_on < ${today}
         AND (d.kind = 'referral_due'
              OR (d.kind = 'policy' AND c.kind = 'skrivelse')
              OR (d.kind = 'statutory' AND c.kind IN ('motion', 'medborgarforslag')))`),
  );
}

/** Fills an empty, migrated database with the benchmark registry; reuses one already filled. */
export async function ensureDigestBenchData(db: Database): Promise<void> {
  const [existing] = rowsOf<{ cases: number; ours: number }>(
    await db.execute(sql`
      SELECT (SELECT count(*) FROM cases)::int AS cases,
             (SELECT count(*) FROM cases c JOIN registries r ON r.id = c.registry_id
               WHERE r.code = ${DIGEST_BENCH.registry})::int AS ours`),
  );
  if (existing && existing.cases > 0) {
    if (existing.cases === DIGEST_BENCH.cases && existing.ours === DIGEST_BENCH.cases) return;
    throw new Error(
      `benchDigest needs an empty, migrated database (or one it filled before); this one holds ${existing.cases} cases`,
    );
  }
  await populateDigestBench(db, BENCH_TODAY);
}

/**
 * 100,000 cases in a realistic mix, as of `today`:
 * - kinds by case number i: 40 % skrivelser, 30 % motions, 10 % medborgarförslag, 20 % others;
 *   20 responsible bodies (1 % of cases without one), every 50th case restricted, 2 % without a dnr
 *   (motions known by their series number), half with an officer, a quarter with a Slack user.
 * - 80,000 deadlines of whole cases (policy for skrivelser, statutory for motions and medborgarförslag):
 *   7,000 open and overdue by 1 to 700 days, 8,000 open and not yet due, 2,000 cancelled, 8,000 met
 *   within the trend's eight weeks, 3,000 met on an unknown day, 52,000 met long ago.
 * - 20,000 referrals, two to different bodies on each of 10,000 skrivelser and motions, each with its
 *   referral_due deadline: 3,000 open and overdue, 2,000 open and not yet due, 3,000 answered within
 *   the eight weeks, 1,000 answered on an unknown day, 10,000 answered long ago, 1,000 declined.
 * So 10,000 deadlines are overdue, and cases with open referrals name the bodies whose answers are missing.
 */
export async function populateDigestBench(db: Database, today: string): Promise<void> {
  const T = sql`${today}::date`;
  await db.transaction(async (tx) => {
    const [registry] = rowsOf<{ id: number }>(
      await tx.execute(sql`
        INSERT INTO registries (code, name)
        VALUES (${DIGEST_BENCH.registry}, 'Bänkdiarium (påhittade data för mätning)') RETURNING id`),
    );
    if (!registry) throw new Error("registry not inserted");
    await tx.execute(sql`
      INSERT INTO bodies (code, name, kind)
      SELECT 'digest-bench-' || b, 'bänknämnd ' || b, 'board'
        FROM generate_series(1, ${DIGEST_BENCH.bodies}) b ORDER BY b`);
    const [body] = rowsOf<{ base: number }>(
      await tx.execute(sql`SELECT min(id)::int AS base FROM bodies WHERE code LIKE 'digest-bench-%'`),
    );
    const bodyBase = body?.base ?? 0;

    // The state of case i's own deadline, by its bucket n % 80 (n numbers the 80,000 such cases).
    await tx.execute(sql`
      INSERT INTO cases (registry_id, dnr, dnr_key, kind, title, public_title, restricted, raised_on,
                         responsible_body_id, officer_name, officer_slack_user_id, status)
      SELECT ${registry.id},
             CASE WHEN i % 50 = 4 THEN NULL ELSE 'DB ' || (2000 + i % 26) || '/' || i END,
             CASE WHEN i % 50 = 4 THEN NULL ELSE 'db ' || (2000 + i % 26) || '/' || i END,
             (CASE WHEN i % 10 < 4 THEN 'skrivelse' WHEN i % 10 < 7 THEN 'motion'
                   WHEN i % 10 = 7 THEN 'medborgarforslag' WHEN i % 10 = 8 THEN 'interpellation'
                   ELSE 'other' END)::case_kind,
             'Bänkärende ' || i || ' om ' || (ARRAY['biblioteken', 'snöröjningen', 'parkbänkarna',
               'cykelbanorna', 'skolmaten', 'belysningen'])[1 + i % 6],
             CASE WHEN i % 50 = 49 THEN 'Sekretess' ELSE 'Bänkärende ' || i || ' om ' ||
               (ARRAY['biblioteken', 'snöröjningen', 'parkbänkarna', 'cykelbanorna', 'skolmaten',
                 'belysningen'])[1 + i % 6] END,
             i % 50 = 49,
             ${T} - 400 - i % 2000,
             CASE WHEN i % 101 = 0 THEN NULL ELSE ${bodyBase} + i % ${DIGEST_BENCH.bodies} END,
             CASE WHEN i % 2 = 0 THEN 'Handläggare ' || i % 300 END,
             CASE WHEN i % 4 = 0 THEN 'U0BENCH' || i % 300 END,
             (CASE WHEN i % 10 < 8 AND ((i / 10) * 8 + i % 10) % 80 >= 17 THEN 'closed'
                   ELSE 'in_progress' END)::case_status
        FROM generate_series(0, ${DIGEST_BENCH.cases - 1}) i ORDER BY i`);
    const caseBase = await contiguousBase(tx, "cases", DIGEST_BENCH.cases);

    await tx.execute(sql`
      INSERT INTO case_identifiers (case_id, display, key)
      SELECT ${caseBase} + i, 'Motion ' || (2000 + i % 26) || ':' || i, 'motion ' || (2000 + i % 26) || ':' || i
        FROM generate_series(0, ${DIGEST_BENCH.cases - 1}) i WHERE i % 10 BETWEEN 4 AND 6`);

    await tx.execute(sql`
      INSERT INTO deadlines (case_id, referral_id, kind, due_on, basis, state, met_on)
      SELECT ${caseBase} + (n / 8) * 10 + n % 8, NULL,
             (CASE WHEN n % 8 < 4 THEN 'policy' ELSE 'statutory' END)::deadline_kind,
             CASE WHEN n % 80 < 7 THEN ${T} - (1 + (n * 7) % 700)
                  WHEN n % 80 < 15 THEN ${T} + n % 365
                  WHEN n % 80 < 17 THEN ${T} - n % 400
                  WHEN n % 80 < 25 THEN ${T} - 20 - n % 300
                  WHEN n % 80 < 28 THEN ${T} - n % 900
                  ELSE ${T} - 400 - n % 3000 END,
             'Bänkdata',
             (CASE WHEN n % 80 < 15 THEN 'open' WHEN n % 80 < 17 THEN 'cancelled' ELSE 'met' END)::deadline_state,
             CASE WHEN n % 80 < 17 THEN NULL
                  WHEN n % 80 < 25 THEN ${T} - n % 56
                  WHEN n % 80 < 28 THEN NULL
                  ELSE ${T} - 400 - n % 3000 + (n % 90) - 30 END
        FROM generate_series(0, 79999) n ORDER BY n`);

    await tx.execute(sql`
      INSERT INTO referrals (case_id, body_id, due_on, state, answered_on)
      SELECT ${caseBase} + (m / 2) * 5,
             ${bodyBase} + ((m / 2) * 3 + (m % 2) * 7) % ${DIGEST_BENCH.bodies},
             CASE WHEN m % 20 < 3 THEN ${T} - (1 + m % 200)
                  WHEN m % 20 < 5 THEN ${T} + m % 90
                  WHEN m % 20 < 8 THEN ${T} - 30 + m % 60
                  WHEN m % 20 < 9 THEN ${T} - m % 500
                  WHEN m % 20 < 19 THEN ${T} - 200 - m % 2000
                  ELSE ${T} - m % 300 END,
             (CASE WHEN m % 20 < 5 THEN 'open' WHEN m % 20 < 19 THEN 'answered'
                   ELSE 'declined' END)::referral_state,
             CASE WHEN m % 20 BETWEEN 5 AND 7 THEN ${T} - m % 56
                  WHEN m % 20 BETWEEN 9 AND 18 THEN ${T} - 205 - m % 2000 END
        FROM generate_series(0, ${DIGEST_BENCH.referrals - 1}) m ORDER BY m`);
    const referralBase = await contiguousBase(tx, "referrals", DIGEST_BENCH.referrals);

    await tx.execute(sql`
      INSERT INTO deadlines (case_id, referral_id, kind, due_on, basis, state, met_on)
      SELECT r.case_id, r.id, 'referral_due', r.due_on, 'Bänkdata',
             (CASE r.state WHEN 'open' THEN 'open' WHEN 'answered' THEN 'met' ELSE 'cancelled' END)::deadline_state,
             r.answered_on
        FROM referrals r WHERE r.id >= ${referralBase} ORDER BY r.id`);
  });
  await db.execute(sql`ANALYZE`);
}

type Executor = Pick<Database, "execute">;

/** Identity values of one INSERT … SELECT … ORDER BY come out in order; checked rather than assumed. */
async function contiguousBase(tx: Executor, table: "cases" | "referrals", count: number): Promise<number> {
  const [row] = rowsOf<{ low: number; high: number; n: number }>(
    await tx.execute(
      sql`SELECT min(id)::int AS low, max(id)::int AS high, count(*)::int AS n FROM ${sql.identifier(table)}`,
    ),
  );
  if (!row || row.n !== count || row.high - row.low + 1 !== count) {
    throw new Error(`${table}: expected ${count} rows with contiguous ids, got ${JSON.stringify(row)}`);
  }
  return row.low;
}

/** postgres.js returns the rows; PGlite wraps them in `{ rows }`. */
function rowsOf<T = Record<string, unknown>>(result: unknown): T[] {
  return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await run();
  return performance.now() - started;
}

/** Nearest-rank percentiles; with 20 runs, p99 is the slowest run. */
function summary(times: number[]): { p50: number; p99: number } {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) =>
    sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99) };
}

async function withCleanup<T>(defer: Defer | undefined, run: (defer: Defer) => Promise<T>): Promise<T> {
  if (defer) return run(defer);
  const cleanups: (() => Promise<void>)[] = [];
  try {
    return await run((cleanup) => void cleanups.push(cleanup));
  } finally {
    for (const cleanup of cleanups.reverse()) await cleanup();
  }
}

/** benchDigest on a fresh PGlite database in a temporary directory, removed afterwards. */
export async function benchDigestOnPglite(
  options: { label?: string; defer?: Defer } = {},
): Promise<DigestBenchResult> {
  return withCleanup(options.defer, async (defer) => {
    const database = await openDatabase({ kind: "pglite", dataDir: await scratchDataDir(defer, "digest") });
    try {
      await database.migrate();
      return await benchDigest(database.db, options.label ?? "pglite");
    } finally {
      await database.close();
    }
  });
}

/** benchDigest on a fresh PostgreSQL database `arendebot_dbench_<random>`, dropped afterwards. */
export async function benchDigestOnPostgres(
  adminUrl: string,
  options: { label?: string; defer?: Defer } = {},
): Promise<DigestBenchResult> {
  return withCleanup(options.defer, async (defer) => {
    const database = openPostgres(await scratchPostgres(adminUrl, defer, "dbench"));
    try {
      await database.migrate();
      return await benchDigest(database.db, options.label ?? "postgres");
    } finally {
      await database.close();
    }
  });
}

/** One line per result, as bench/run.ts prints its own figures. */
export function formatDigestBench(result: DigestBenchResult): string {
  const ms = (value: number) => value.toFixed(1);
  const met = result.buildMs.p50 < DIGEST_AIM.ms && result.ratio <= DIGEST_AIM.ratio;
  return (
    `digest ${result.label}: build p50 ${ms(result.buildMs.p50)} ms, p99 ${ms(result.buildMs.p99)} ms; ` +
    `bare query p50 ${ms(result.bareMs.p50)} ms, p99 ${ms(result.bareMs.p99)} ms; ` +
    `${result.ratio.toFixed(2)} × bare (aim < ${DIGEST_AIM.ms} ms and ≤ ${DIGEST_AIM.ratio} ×) ${met ? "met" : "missed"}`
  );
}

export const DIGEST_AIM = { ms: 300, ratio: 1.5 } as const;
