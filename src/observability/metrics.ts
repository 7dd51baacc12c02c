import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { currentScope, type RequestOutcome, type RequestScope, runInScope } from "./request-scope.js";

/**
 * The process's metrics, served at GET /metrics in Prometheus's text format (prom-client).
 *
 * Every label takes its values from a short fixed list in this file or in the code (a surface, an
 * outcome, a service call's name): never a user id, a channel, a dnr or a Slack error string, so the
 * number of series cannot grow with traffic. Recording a value is a few arithmetic operations and
 * cannot throw for a fixed label set; the calls below still swallow anything, so that a metric can
 * never fail a request.
 */
export const registry = new Registry();

let processMetrics = false;
/** Node's own metrics (CPU, memory, event loop lag, handles), for the bot only, not the terminal commands. */
export function collectProcessMetrics(): void {
  if (processMetrics) return;
  processMetrics = true;
  collectDefaultMetrics({ register: registry });
}

export type Surface = "command" | "action" | "view" | "event" | "shortcut" | "options" | "other";
export type { RequestOutcome };

const requests = new Counter({
  name: "arendebot_slack_requests_total",
  help: "Slack requests handled, by surface and outcome (ok, error, busy, unavailable).",
  labelNames: ["surface", "outcome"] as const,
  registers: [registry],
});
const requestSeconds = new Histogram({
  name: "arendebot_slack_request_duration_seconds",
  help: "Time from a Slack request's arrival to the end of its listeners, by surface.",
  labelNames: ["surface"] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10],
  registers: [registry],
});
const ackSeconds = new Histogram({
  name: "arendebot_slack_ack_duration_seconds",
  help: "Time from a Slack request's arrival to its acknowledgement (Slack allows 3 s), by surface.",
  labelNames: ["surface"] as const,
  buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 2.5, 3],
  registers: [registry],
});
const scheduledPosts = new Counter({
  name: "arendebot_scheduled_posts_total",
  help: "Scheduled posts by kind (digest, reminder) and outcome of one attempt.",
  labelNames: ["kind", "outcome"] as const,
  registers: [registry],
});
const lostClaims = new Counter({
  name: "arendebot_post_claims_lost_total",
  help: "Post claims lost to another instance: at the claim (held elsewhere) or while posting (taken over).",
  labelNames: ["kind", "stage"] as const,
  registers: [registry],
});
const rateLimited = new Counter({
  name: "arendebot_slack_rate_limited_total",
  help: "HTTP 429 answers from Slack's Web API, by client (listener, posting).",
  labelNames: ["client"] as const,
  registers: [registry],
});
const apiRetries = new Counter({
  name: "arendebot_slack_api_retries_total",
  help: "Slack Web API calls tried again after a failure (a 429 waited out, an HTTP error, a lost request).",
  labelNames: ["client"] as const,
  registers: [registry],
});
const registrySeconds = new Histogram({
  name: "arendebot_registry_call_duration_seconds",
  help: "Time a registry (database) call of a Slack request runs, queueing excluded, by call.",
  labelNames: ["call"] as const,
  buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
  registers: [registry],
});
const registryCalls = new Gauge({
  name: "arendebot_registry_calls",
  help: "Registry calls of Slack requests at this moment, running or queued.",
  labelNames: ["state"] as const,
  registers: [registry],
});
const shed = new Counter({
  name: "arendebot_registry_shed_total",
  help: "Registry calls answered without the database: busy (turned away) or unavailable (no answer in time).",
  labelNames: ["reason"] as const,
  registers: [registry],
});
const caseCache = new Counter({
  name: "arendebot_case_cache_lookups_total",
  help: "Case lookups by identifier answered from this process's case cache (hit) or the database (miss), and the cache's restarts after a write (restart).",
  labelNames: ["result"] as const,
  registers: [registry],
});
const importRows = new Counter({
  name: "arendebot_import_rows_total",
  help: "Rows read by registry imports run in this process (not by `arendebot import`, a process of its own), by outcome.",
  labelNames: ["outcome"] as const,
  registers: [registry],
});

function safely(record: () => void): void {
  try {
    record();
  } catch {
    // A metric must never fail the work it measures.
  }
}

/**
 * Counts and times one Slack request: `handle` runs in the request's scope (the logger's, when the
 * caller made one, or a new one) and receives `acked`, to be called when Slack's request is
 * acknowledged.
 */
export async function measureRequest(surface: Surface, handle: (acked: () => void) => Promise<void>) {
  const started = performance.now();
  let ackSeen = false;
  const acked = () => {
    if (ackSeen) return;
    ackSeen = true;
    safely(() => ackSeconds.observe({ surface }, (performance.now() - started) / 1000));
  };
  const caller = currentScope();
  const scope: RequestScope = caller ?? { id: undefined, logger: () => undefined, outcome: "ok" };
  try {
    await (caller ? handle(acked) : runInScope(scope, () => handle(acked)));
  } catch (error) {
    scope.outcome = "error";
    throw error;
  } finally {
    safely(() => {
      requestSeconds.observe({ surface }, (performance.now() - started) / 1000);
      requests.inc({ surface, outcome: scope.outcome });
    });
  }
}

/** Marks the Slack request being handled (if any) as failed or turned away. */
export function markRequest(outcome: Exclude<RequestOutcome, "ok">): void {
  const scope = currentScope();
  // "error" wins over a shed answer the listener gave: something went wrong beyond the registry.
  if (scope && (scope.outcome === "ok" || outcome === "error")) scope.outcome = outcome;
}

export function surfaceOf(body: unknown): Surface {
  if (typeof body !== "object" || body === null) return "other";
  const b = body as { command?: unknown; type?: unknown };
  if (typeof b.command === "string") return "command";
  switch (b.type) {
    case "block_actions":
    case "interactive_message":
      return "action";
    case "view_submission":
    case "view_closed":
      return "view";
    case "event_callback":
      return "event";
    case "shortcut":
    case "message_action":
      return "shortcut";
    case "block_suggestion":
      return "options";
    default:
      return "other";
  }
}

export const metrics = {
  scheduledPost: (kind: string, outcome: string) => safely(() => scheduledPosts.inc({ kind, outcome })),
  claimLost: (kind: string, stage: "claim" | "posting") => safely(() => lostClaims.inc({ kind, stage })),
  rateLimited: (client: "listener" | "posting") => safely(() => rateLimited.inc({ client })),
  apiRetry: (client: "listener" | "posting") => safely(() => apiRetries.inc({ client })),
  registryCall: (call: string, seconds: number) => safely(() => registrySeconds.observe({ call }, seconds)),
  registryCalls: (running: number, queued: number) =>
    safely(() => {
      registryCalls.set({ state: "running" }, running);
      registryCalls.set({ state: "queued" }, queued);
    }),
  shed: (reason: "busy" | "unavailable") =>
    safely(() => {
      shed.inc({ reason });
      markRequest(reason);
    }),
  importRows: (outcome: "created" | "updated" | "unchanged" | "rejected", rows: number) =>
    safely(() => importRows.inc({ outcome }, rows)),
  caseCache: (result: "hit" | "miss" | "restart") => safely(() => caseCache.inc({ result })),
};
