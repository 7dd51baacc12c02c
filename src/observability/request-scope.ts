import { AsyncLocalStorage } from "node:async_hooks";
import type { Logger } from "pino";

export type RequestOutcome = "ok" | "error" | "busy" | "unavailable";

/**
 * The Slack request being handled, found through the async context: its id and logger (for the
 * logger) and its outcome so far (for the metrics). One store for both: Node 20 copies every active
 * store onto each promise made while a request runs, and a second store cost about 2% of a status
 * lookup answered from memory.
 */
export type RequestScope = {
  readonly id: string | undefined;
  /** The request's logger, made on first use; undefined outside a logged request. */
  readonly logger: () => Logger | undefined;
  outcome: RequestOutcome;
};

const storage = new AsyncLocalStorage<RequestScope>();

export function runInScope<T>(scope: RequestScope, work: () => T): T {
  return storage.run(scope, work);
}

export function currentScope(): RequestScope | undefined {
  return storage.getStore();
}
