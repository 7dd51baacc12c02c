import { createHmac } from "node:crypto";
import autocannon from "autocannon";

export const BENCH_SIGNING_SECRET = "bench-signing-secret";

export type LoadOptions = {
  url: string;
  /** Display dnrs of existing cases; each request asks for one at random. */
  dnrs: readonly string[];
  durationSeconds: number;
  connections: number;
  /** True when the answer is the one expected (the card, or the floor's constant). */
  answerIsRight: (body: string) => boolean;
};

export type LoadResult = {
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** What went wrong: connection errors (timeouts included), non-2xx answers, wrong bodies. */
  failures: { errors: number; non2xx: number; mismatches: number };
  firstWrongAnswer: string | undefined;
};

/** A slash command as Slack posts it to the events endpoint. */
export function slashCommandBody(text: string): string {
  return new URLSearchParams({
    token: "bench",
    team_id: "T111",
    team_domain: "bench",
    channel_id: "C111",
    channel_name: "bench",
    user_id: "W111",
    user_name: "bench",
    command: "/arende",
    text,
    response_url: "http://127.0.0.1:9/response/bench",
    trigger_id: "111.111.bench",
  }).toString();
}

/** Slack's v0 signature, with a fresh timestamp so Bolt never sees a stale request. */
export function signedHeaders(body: string, secret = BENCH_SIGNING_SECRET): Record<string, string> {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = createHmac("sha256", secret).update(`v0:${timestamp}:${body}`).digest("hex");
  return {
    "content-type": "application/x-www-form-urlencoded",
    "x-slack-request-timestamp": String(timestamp),
    "x-slack-signature": `v0=${signature}`,
  };
}

/**
 * Closed-loop load with autocannon: every connection sends a newly signed status command as soon as
 * the previous answer is in. Latencies are kept in full (autocannon's histogram rounds to whole ms).
 */
export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const bodies = options.dnrs.map((dnr) => slashCommandBody(`status Dnr ${dnr}`));
  if (bodies.length === 0) throw new Error("no dnrs to ask for");
  const { pathname } = new URL(options.url);
  const latencies: number[] = [];
  let firstWrongAnswer: string | undefined;
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationSeconds,
    timeout: 10,
    requests: [
      {
        method: "POST",
        path: pathname,
        setupRequest: (request) => {
          const body = bodies[Math.floor(Math.random() * bodies.length)] as string;
          return { ...request, body, headers: signedHeaders(body) };
        },
      },
    ],
    verifyBody: (body) => {
      const right = options.answerIsRight(body);
      if (!right) firstWrongAnswer ??= body;
      return right;
    },
  });
  instance.on("response", (_client, status, _bytes, ms) => {
    if (status >= 200 && status < 300) latencies.push(ms);
  });
  const result = await instance;
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    requestsPerSecond: latencies.length / result.duration,
    p50Ms: percentile(latencies, 0.5),
    p99Ms: percentile(latencies, 0.99),
    failures: { errors: result.errors, non2xx: result.non2xx, mismatches: result.mismatches },
    firstWrongAnswer,
  };
}

function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] as number;
}

export function failureCount(result: LoadResult): number {
  const { errors, non2xx, mismatches } = result.failures;
  return errors + non2xx + mismatches;
}

/**
 * Every dnr asked once, `connections` at a time: the lookups a cache has not seen (the bot keeps the
 * cases it answered), timed as a whole. The warm-up and the measurement that follow see the steady state.
 * An answer turned away by the bot's load shedding ("Många frågar just nu") is counted apart from a
 * wrong one: it is what the bot is meant to say when cold lookups queue up faster than they finish.
 */
export async function askEach(
  url: string,
  dnrs: readonly string[],
  connections: number,
  answerIsRight: (body: string) => boolean,
): Promise<{ requestsPerSecond: number; wrong: number; turnedAway: number }> {
  const started = performance.now();
  let next = 0;
  let wrong = 0;
  let turnedAway = 0;
  const worker = async () => {
    while (next < dnrs.length) {
      const dnr = dnrs[next++] as string;
      const answer = await askOnce(url, dnr).catch(() => "");
      if (answer.includes("Många frågar just nu")) turnedAway += 1;
      else if (!answerIsRight(answer)) wrong += 1;
    }
  };
  await Promise.all(Array.from({ length: connections }, worker));
  return { requestsPerSecond: dnrs.length / ((performance.now() - started) / 1000), wrong, turnedAway };
}

/** One status command, signed; the body the server answered (the parent's copy of a card). */
export async function askOnce(url: string, dnr: string): Promise<string> {
  const body = slashCommandBody(`status Dnr ${dnr}`);
  const response = await fetch(url, { method: "POST", headers: signedHeaders(body), body });
  const text = await response.text();
  if (!response.ok) throw new Error(`${url} answered ${response.status}: ${text.slice(0, 500)}`);
  return text;
}
