import { metrics } from "../../observability/metrics.js";
import { SHARED_ERRORS } from "./errors.js";

/**
 * The registry is reached by every Slack request, and Slack gives each request 3 seconds. These two
 * errors are what a request gets instead of waiting: the database did not answer in time, or so many
 * requests are already waiting for it that this one is turned away at once.
 */
export class RegistryUnavailableError extends Error {
  readonly code = SHARED_ERRORS.registryUnavailable;
  constructor(readonly waitedMs: number) {
    super(`the registry did not answer within ${waitedMs} ms`);
    this.name = "RegistryUnavailableError";
  }
}

export class RegistryBusyError extends Error {
  readonly code = SHARED_ERRORS.registryBusy;
  constructor(readonly inFlight: number) {
    super(`${inFlight} requests are already waiting for the registry`);
    this.name = "RegistryBusyError";
  }
}

export type RegistryLimits = {
  /** How long a caller may wait, queued and running, before it is told the registry does not answer. */
  timeoutMs: number;
  /** Callers waiting at once, queued and running; the next is turned away at once. */
  maxInFlight: number;
  /**
   * Calls run at once; the rest wait their turn here, not inside the database. The embedded database
   * has one session, PostgreSQL a pool: more at once only interleaves their queries, so that under
   * load every caller finishes late instead of most finishing in time.
   */
  concurrency: number;
};

type AsyncCalls = Record<string, (...args: never[]) => Promise<unknown>>;

/** How much of its time a call may spend queued before it is turned away. */
const QUEUE_SHARE = 0.5;

/**
 * Admission control for the calls the Slack layer makes, so that every caller hears something within
 * `timeoutMs` and the database works only for callers still waiting:
 * - at most `concurrency` calls run; the others queue in order of arrival;
 * - a call still queued after half its time is turned away without touching the database: "busy"
 *   while calls still finish, "unavailable" when none has finished for `timeoutMs` (a hung database);
 *   one whose turn would come later than that, judged by how long calls have been taking, is turned
 *   away on arrival;
 * - a running call past its time is answered "unavailable"; it keeps running (a transaction cannot be
 *   abandoned half-way) and keeps its slot until it ends;
 * - at most `maxInFlight` calls wait at once.
 */
export function withinLimits<T extends AsyncCalls>(
  calls: T,
  limits: RegistryLimits,
  now: () => number = () => performance.now(),
): T {
  type Queued = { start(): void; refuse(): void };
  const queue: Queued[] = [];
  let running = 0;
  // Until a call has finished, a full queue means a database that does not answer.
  let lastFinished = Number.NEGATIVE_INFINITY;
  // How long a call has been taking lately; with the queue's length it tells a newcomer's wait.
  let typicalMs = 0;

  const refusal = (): Error => {
    const busy = now() - lastFinished < limits.timeoutMs;
    metrics.shed(busy ? "busy" : "unavailable");
    return busy
      ? new RegistryBusyError(running + queue.length)
      : new RegistryUnavailableError(limits.timeoutMs);
  };
  const gauge = () => metrics.registryCalls(running, queue.length);

  const startQueued = () => {
    while (running < limits.concurrency && queue.length > 0) queue.shift()?.start();
    gauge();
  };

  const admit = <R>(name: string, run: () => Promise<R>): Promise<R> => {
    if (running + queue.length >= limits.maxInFlight) return Promise.reject(refusal());
    const expectedWaitMs = ((queue.length + 1) * typicalMs) / limits.concurrency;
    if (running >= limits.concurrency && expectedWaitMs > limits.timeoutMs * QUEUE_SHARE) {
      return Promise.reject(refusal());
    }
    return new Promise<R>((resolve, reject) => {
      let settled = false;
      const settle = (finish: () => void) => {
        if (settled) return;
        settled = true;
        clearTimeout(queueTimer);
        clearTimeout(deadline);
        finish();
      };
      const entry: Queued = {
        start: () => {
          clearTimeout(queueTimer);
          running += 1;
          const started = now();
          // The books are kept before the caller hears, so the next caller sees the slot free.
          const finished = () => {
            running -= 1;
            lastFinished = now();
            const took = lastFinished - started;
            metrics.registryCall(name, took / 1000);
            typicalMs = typicalMs === 0 ? took : 0.8 * typicalMs + 0.2 * took;
            startQueued();
          };
          // A call that throws before returning its promise fails like one that rejects.
          let work: Promise<R>;
          try {
            work = run();
          } catch (error) {
            work = Promise.reject(error);
          }
          work.then(
            (value) => {
              finished();
              settle(() => resolve(value));
            },
            (error: unknown) => {
              finished();
              settle(() => reject(error));
            },
          );
        },
        refuse: () => settle(() => reject(refusal())),
      };
      const queueTimer = setTimeout(() => {
        const index = queue.indexOf(entry);
        if (index === -1) return;
        queue.splice(index, 1);
        gauge();
        entry.refuse();
      }, limits.timeoutMs * QUEUE_SHARE);
      const deadline = setTimeout(
        () =>
          settle(() => {
            metrics.shed("unavailable");
            reject(new RegistryUnavailableError(limits.timeoutMs));
          }),
        limits.timeoutMs,
      );
      queue.push(entry);
      startQueued();
    });
  };

  const guarded: Record<string, (...args: never[]) => Promise<unknown>> = {};
  for (const [name, call] of Object.entries(calls))
    guarded[name] = (...args) => admit(name, () => call(...args));
  return guarded as T;
}

export function isRegistryBusy(error: unknown): error is RegistryBusyError {
  return error instanceof RegistryBusyError;
}

export function isRegistryError(error: unknown): error is RegistryBusyError | RegistryUnavailableError {
  return error instanceof RegistryBusyError || error instanceof RegistryUnavailableError;
}
