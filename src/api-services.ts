import type { Clock } from "./clock.js";
import type { Database } from "./db/client.js";
import { type AuthenticatedToken, authenticateToken } from "./modules/api-tokens/tokens.js";
import type { DeadlineRules } from "./modules/deadlines/deadline-rules.js";
import { type ChangesPage, readChanges } from "./modules/integration/change-feed.js";
import { type GetCaseResult, getCaseForIntegration } from "./modules/integration/get-case.js";
import { type ApiCall, recordApiCall } from "./modules/integration/record-call.js";
import { type UpsertCasesOutcome, upsertCases } from "./modules/integration/upsert-cases.js";
import { type Admit, isRegistryError, RegistryBusyError } from "./modules/shared/availability.js";
import { createContext } from "./modules/shared/context.js";

/**
 * What the HTTP API may do, bound per request to the token that called. Like the Slack layer's
 * Services, the only way the API reaches the database.
 */
export type ApiServices = {
  /** The live token a bearer secret belongs to, or null (unknown or revoked). */
  authenticate(secret: string): Promise<AuthenticatedToken | null>;
  forToken(token: AuthenticatedToken): TokenServices;
};

export type TokenServices = {
  getCase(identifier: string): Promise<GetCaseResult>;
  changes(query: { after?: string | undefined; limit?: number | undefined }): Promise<ChangesPage>;
  putCases(body: unknown): Promise<UpsertCasesOutcome>;
  recordCall(call: ApiCall): Promise<void>;
};

/** How long an API request may wait its turn, in all, before it is answered 503. */
const READ_PATIENCE_MS = 5_000;
/** A PUT's item may wait this long for its turn; then it is reported as not written. */
const ITEM_PATIENCE_MS = 30_000;
/** API requests waiting for their share at once; the next is answered 503 at once. */
const MAX_WAITING = 64;

/**
 * The API shares the registry's admission control with Slack (one queue, one count of what the
 * database is doing), and on top of it takes at most half of the calls the database runs at once
 * (one on the embedded database): a busy integration can slow Slack's answers, never stop them.
 * A call Slack's limits turn away (busy) is tried again for a while instead of failing: an integration
 * can wait longer than Slack's 3 seconds. One that was admitted and ran past Slack's deadline is
 * awaited, not abandoned: its transaction commits either way.
 */
export function createApiServices({
  db,
  clock,
  admins,
  deadlineRules,
  admit,
  concurrency,
  now = () => performance.now(),
  sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
}: {
  db: Database;
  clock: Clock;
  admins: readonly string[];
  deadlineRules: DeadlineRules;
  /** The bot's one admission control, shared with Slack's requests. */
  admit: Admit;
  /** Calls the database runs at once (the admission control's concurrency). */
  concurrency: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}): ApiServices {
  const share = new Share(Math.max(1, Math.floor(concurrency / 2)), MAX_WAITING);

  const patiently = async <R>(name: string, work: () => Promise<R>, patienceMs: number): Promise<R> => {
    const giveUpAt = now() + patienceMs;
    for (let attempt = 0; ; attempt += 1) {
      let started: Promise<R> | undefined;
      try {
        return await share.run(() =>
          admit(name, () => {
            started = work();
            return started;
          }),
        );
      } catch (error) {
        if (started) return started;
        if (!isRegistryError(error) || now() >= giveUpAt) throw error;
        await sleep(Math.min(50 * 2 ** attempt, 500));
      }
    }
  };

  return {
    authenticate: (secret) =>
      patiently("api.authenticate", () => authenticateToken({ db }, { secret }), READ_PATIENCE_MS),
    forToken: (token) => {
      const ctx = createContext({ db, clock, admins, actor: token.actor });
      return {
        getCase: (identifier) =>
          patiently("api.getCase", () => getCaseForIntegration(ctx, { identifier }), READ_PATIENCE_MS),
        changes: (query) =>
          patiently(
            "api.changes",
            () =>
              readChanges(ctx, {
                ...(query.after !== undefined ? { after: query.after } : {}),
                ...(query.limit !== undefined ? { limit: query.limit } : {}),
              }),
            READ_PATIENCE_MS,
          ),
        // Validation needs no database; each item's write is admitted on its own.
        putCases: (body) =>
          upsertCases(ctx, {
            body,
            deadlineRules,
            runItem: (name, work) => patiently(name, work, ITEM_PATIENCE_MS),
          }),
        recordCall: (call) => patiently("api.recordCall", () => recordApiCall(ctx, call), READ_PATIENCE_MS),
      };
    },
  };
}

/** At most `size` at once; the rest wait in order of arrival, at most `maxWaiting` of them. */
class Share {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(
    private readonly size: number,
    private readonly maxWaiting: number,
  ) {}

  async run<R>(work: () => Promise<R>): Promise<R> {
    if (this.running >= this.size) {
      if (this.waiting.length >= this.maxWaiting)
        throw new RegistryBusyError(this.running + this.waiting.length);
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next in line, so no newcomer overtakes it.
      if (next) next();
      else this.running -= 1;
    }
  }
}
