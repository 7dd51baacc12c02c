/**
 * The registry is reached by every Slack request, and Slack gives each request 3 seconds. These two
 * errors are what a request gets instead of waiting: the database did not answer in time, or so many
 * requests are already waiting for it that this one is turned away at once.
 */
export class RegistryUnavailableError extends Error {
  readonly code = "registry.unavailable";
  constructor(readonly waitedMs: number) {
    super(`the registry did not answer within ${waitedMs} ms`);
    this.name = "RegistryUnavailableError";
  }
}

export class RegistryBusyError extends Error {
  readonly code = "registry.busy";
  constructor(readonly inFlight: number) {
    super(`${inFlight} requests are already waiting for the registry`);
    this.name = "RegistryBusyError";
  }
}

export type RegistryLimits = {
  /** How long one call may wait for the database before the asker is told it does not answer. */
  timeoutMs: number;
  /** How many calls may wait for the database at once; the next is turned away at once. */
  maxInFlight: number;
};

type AsyncCalls = Record<string, (...args: never[]) => Promise<unknown>>;

/**
 * Wraps each call with the limits, so that every caller hears something within `timeoutMs`:
 * - a call that takes longer is answered "unavailable"; it keeps running (a transaction cannot be
 *   abandoned half-way) and keeps its place in the count until it ends;
 * - while the oldest call still within its time has waited more than a share of it, the database is
 *   behind: a new call is turned away at once instead of joining a queue it cannot get through in
 *   time. "Busy" while calls still finish; "unavailable" when none has finished for `timeoutMs`.
 * - at most `maxInFlight` calls wait at once.
 */
export function withinLimits<T extends AsyncCalls>(
  calls: T,
  limits: RegistryLimits,
  now: () => number = () => performance.now(),
): T {
  const queueBudgetMs = limits.timeoutMs * QUEUE_SHARE;
  // Start times of the calls still within their time, oldest first (a Map keeps insertion order).
  const waiting = new Map<number, number>();
  let inFlight = 0;
  let nextCall = 0;
  let lastFinished = now();

  const refusal = (): Error | undefined => {
    const oldest = waiting.values().next().value;
    const behind = oldest !== undefined && now() - oldest > queueBudgetMs;
    if (!behind && inFlight < limits.maxInFlight) return undefined;
    const progressing = now() - lastFinished < limits.timeoutMs;
    return progressing ? new RegistryBusyError(inFlight) : new RegistryUnavailableError(limits.timeoutMs);
  };

  const guarded: Record<string, (...args: never[]) => Promise<unknown>> = {};
  for (const [name, call] of Object.entries(calls)) {
    guarded[name] = (...args) => {
      const refused = refusal();
      if (refused) return Promise.reject(refused);
      const id = nextCall++;
      waiting.set(id, now());
      inFlight += 1;
      let timer: NodeJS.Timeout | undefined;
      const work = call(...args).finally(() => {
        inFlight -= 1;
        waiting.delete(id);
        lastFinished = now();
        clearTimeout(timer);
      });
      // The abandoned work may still fail later; no one is left to hear it.
      work.catch(() => {});
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          waiting.delete(id);
          reject(new RegistryUnavailableError(limits.timeoutMs));
        }, limits.timeoutMs);
      });
      return Promise.race([work, timeout]);
    };
  }
  return guarded as T;
}

/** How much of a call's time it may spend queued before newcomers are turned away. */
const QUEUE_SHARE = 0.5;

export function isRegistryBusy(error: unknown): error is RegistryBusyError {
  return error instanceof RegistryBusyError;
}

export function isRegistryError(error: unknown): error is RegistryBusyError | RegistryUnavailableError {
  return error instanceof RegistryBusyError || error instanceof RegistryUnavailableError;
}
