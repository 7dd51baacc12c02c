import { systemClock } from "../src/clock.js";
import type { DatabaseConfig } from "../src/config.js";
import { openDatabase, openPostgres } from "../src/db/client.js";
import { createToken } from "../src/modules/api-tokens/tokens.js";
import { createContext } from "../src/modules/shared/context.js";

/**
 * The change feed as an integration platform reads it: `GET /api/v1/changes?limit=1000` against the
 * running bot (as `npm start` runs it) on the bench's registry, whose import left a few audit events
 * per case. Two loads: one reader walking the feed page after page from the start, as a consumer
 * catching up does, and `connections` readers each fetching pages at random positions at once.
 * Each answer is checked: 200, a full page, the page's first change after its cursor.
 */

export type FeedBenchResult = {
  target: string;
  events: number;
  pages: number;
  sequential: LatencyStats;
  concurrent: LatencyStats & { connections: number };
};
type LatencyStats = { requests: number; p50Ms: number; p99Ms: number; maxMs: number; perSecond: number };

/** A read token in the registry's database, made before the bot starts (the embedded database takes one process). */
export async function benchToken(database: DatabaseConfig): Promise<string> {
  const handle = database.kind === "postgres" ? openPostgres(database.url) : await openDatabase(database);
  try {
    const ctx = createContext({ db: handle.db, clock: systemClock, actor: { type: "cli", user: "bench" } });
    const made = await createToken(ctx, { name: `bench-${Date.now()}`, right: "read" });
    if (!made.ok) throw new Error("the bench token was not made");
    return made.secret;
  } finally {
    await handle.close();
  }
}

export async function benchChangesFeed({
  target,
  baseUrl,
  token,
  durationSeconds,
  connections,
}: {
  target: string;
  baseUrl: string;
  token: string;
  durationSeconds: number;
  connections: number;
}): Promise<FeedBenchResult> {
  const page = async (after: string | undefined) => {
    const started = performance.now();
    const response = await fetch(`${baseUrl}/api/v1/changes?limit=1000${after ? `&after=${after}` : ""}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    // Timed to the answer's last byte; parsing it is the reader's work, not the bot's.
    const bytes = await response.arrayBuffer();
    const ms = performance.now() - started;
    const body = JSON.parse(new TextDecoder().decode(bytes)) as {
      changes: { cursor: string }[];
      next: string;
    };
    if (response.status !== 200) throw new Error(`GET /api/v1/changes answered ${response.status}`);
    return { ms, body };
  };

  // The whole feed once, which also gives the cursors of its pages; the first walk warms up.
  const cursors: (string | undefined)[] = [undefined];
  let events = 0;
  for (let after: string | undefined; ; ) {
    const { body } = await page(after);
    events += body.changes.length;
    if (body.changes.length < 1000) break;
    after = body.next;
    cursors.push(after);
  }
  const fullPages = cursors.slice(0, -1);
  if (fullPages.length === 0) throw new Error("the feed has no full page of 1,000 changes");

  const sequentialMs: number[] = [];
  const until = performance.now() + durationSeconds * 1000;
  while (performance.now() < until) {
    for (const after of fullPages) {
      const { ms, body } = await page(after);
      if (body.changes.length !== 1000) throw new Error(`a page had ${body.changes.length} changes`);
      sequentialMs.push(ms);
      if (performance.now() >= until) break;
    }
  }

  const concurrentMs: number[] = [];
  const concurrentUntil = performance.now() + durationSeconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < concurrentUntil) {
        const after = fullPages[Math.floor(Math.random() * fullPages.length)];
        const { ms, body } = await page(after);
        if (body.changes.length !== 1000) throw new Error(`a page had ${body.changes.length} changes`);
        concurrentMs.push(ms);
      }
    }),
  );

  return {
    target,
    events,
    pages: fullPages.length,
    sequential: stats(sequentialMs, durationSeconds),
    concurrent: { ...stats(concurrentMs, durationSeconds), connections },
  };
}

function stats(ms: number[], seconds: number): LatencyStats {
  const sorted = [...ms].sort((a, b) => a - b);
  const at = (share: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor(share * sorted.length))] ?? Number.NaN;
  return {
    requests: ms.length,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    maxMs: sorted.at(-1) ?? Number.NaN,
    perSecond: ms.length / seconds,
  };
}

export const FEED_P99_AIM_MS = 100;

export function formatFeedBench(result: FeedBenchResult): string {
  const line = (name: string, s: LatencyStats) =>
    `  ${name.padEnd(24)} ${String(s.requests).padStart(6)} pages  ${s.perSecond.toFixed(1).padStart(7)}/s  p50 ${s.p50Ms.toFixed(1).padStart(6)} ms  p99 ${s.p99Ms.toFixed(1).padStart(6)} ms  max ${s.maxMs.toFixed(1).padStart(6)} ms`;
  const p99 = Math.max(result.sequential.p99Ms, result.concurrent.p99Ms);
  return [
    `api changes feed, ${result.target}: ${result.events.toLocaleString("en")} changes, ${result.pages} full pages of 1,000`,
    line("one reader, in order", result.sequential),
    line(`${result.concurrent.connections} readers, random pages`, result.concurrent),
    `  ${p99 < FEED_P99_AIM_MS ? "met   " : "MISSED"}  page of 1,000 changes p99 ${p99.toFixed(1)} ms (aim < ${FEED_P99_AIM_MS} ms)`,
  ].join("\n");
}
