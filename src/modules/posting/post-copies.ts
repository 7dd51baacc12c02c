import type { Executor } from "../../db/client.js";
import { currentLogger, log as processLog } from "../../observability/logger.js";
import { recordAudit } from "../audit/audit.repository.js";
import type { Actor } from "../shared/actor.js";
import { type Admit, isRegistryBusy } from "../shared/availability.js";
import type { RequestContext } from "../shared/context.js";
import type { MessageRenderers } from "./messages.js";
import { MAX_POST_ATTEMPTS, POST_LEASE_MS } from "./post-once.js";
import { type Poster, postErrorCode, type SlackMessage } from "./poster.js";
import { claimPost, markCopyPosted, markFailed, type PostKind, type PostRow } from "./posts.repository.js";

/**
 * What a use case that tells people in Slack acts with, besides its context: the port, the
 * registry's admission control for its database steps, and the builders of its messages.
 */
export type Posting = {
  poster: Poster;
  /** Claims and records reach the database after Slack has had its answer, under the same limits. */
  admit: Admit;
  /** Who holds a claim: hostname, pid and a random part, unique per running process. */
  instanceId: string;
  render: MessageRenderers;
};

export type PostingContext<A extends Actor = Actor> = RequestContext<A> & { posting: Posting };

/**
 * One message to one reader, posted at most once: a remiss notice in a body's channel, an approval
 * request in a godkännare's DM. `recipient` tells copies of one subject apart (a user id, a channel).
 */
export type Copy = {
  kind: PostKind;
  subjectId: number;
  recipient: string;
  /** Where it is posted: a channel id, or a user id for a direct message. */
  channel: string;
  message: SlackMessage;
};

export type CopyOutcome =
  /** In Slack: by this call (`now`), or by an earlier one (a retry finds it posted). */
  | { state: "posted"; copy: Copy; now: boolean; channel: string; ts: string }
  /** Slack refused it (now, or an earlier attempt whose retry time has not come). */
  | { state: "failed"; copy: Copy; now: boolean; code: string }
  /** Another call holds the claim and is posting it at this moment. */
  | { state: "in_flight"; copy: Copy };

type Held = { copy: Copy; row: PostRow };
type Sent = { held: Held } & ({ ok: true; channel: string; ts: string } | { ok: false; code: string });

export const copyKey = ({ kind, subjectId, recipient }: Pick<Copy, "kind" | "subjectId" | "recipient">) =>
  `${kind}:${subjectId}:${recipient}`;

/**
 * Claims each copy before it is posted, the same way as the scheduled posts (slack_posts, see
 * post-once.ts): one INSERT … ON CONFLICT DO NOTHING per key decides, so of two calls for the same
 * copy (a retried delivery, two replicas) only one posts it. A copy posted before is answered with
 * where it went; one that failed may be taken again at once (it never reached anyone). When the
 * registry cannot be reached (busy, not answering), nothing is posted and every copy is failed with
 * its code: the one who acted is told, and may try again.
 */
export async function claimCopies(
  ctx: PostingContext,
  copies: readonly Copy[],
): Promise<{ held: Held[]; settled: CopyOutcome[] }> {
  if (copies.length === 0) return { held: [], settled: [] };
  const { db, clock, posting } = ctx;
  const claiming = admitted(posting, "posting.claim", () =>
    db.transaction(async (tx) => {
      const held: Held[] = [];
      const settled: CopyOutcome[] = [];
      const at = clock.now();
      for (const copy of copies) {
        const claim = await claimPost(tx, {
          key: copyKey(copy),
          kind: copy.kind,
          subjectId: copy.subjectId,
          period: copy.recipient,
          channelId: copy.channel,
          late: false,
          claimedBy: posting.instanceId,
          at,
          leaseUntil: new Date(at.getTime() + POST_LEASE_MS),
          maxAttempts: MAX_POST_ATTEMPTS,
        });
        if (claim.claimed) held.push({ copy, row: claim.row });
        else settled.push(settledOutcome(copy, claim.row));
      }
      return { held, settled };
    }),
  );
  return claiming.catch((error: unknown) => {
    postingLog().error({ err: error, kind: copies[0]?.kind }, "copies could not be claimed; none was posted");
    const code = errorCode(error);
    return { held: [], settled: copies.map((copy) => ({ state: "failed", copy, now: true, code }) as const) };
  });
}

/** Posts each claimed copy; a refusal is that copy's outcome, never the others'. No database. */
export async function sendCopies(poster: Poster, held: readonly Held[]): Promise<Sent[]> {
  const sent: Sent[] = [];
  for (const claim of held) {
    const { channel, message } = claim.copy;
    try {
      const posted = await poster.post({ channel, ...message });
      sent.push({ held: claim, ok: true, channel: posted.channel ?? channel, ts: posted.ts });
    } catch (error) {
      const code = postErrorCode(error);
      postingLog().warn(
        { key: copyKey(claim.copy), code },
        `posting ${claim.copy.kind} to ${channel} failed`,
      );
      sent.push({ held: claim, ok: false, code });
    }
  }
  return sent;
}

/**
 * Records, in one transaction, where each copy went and which failed, and what the use case stores
 * with them (`alongside`: the domain's rows and its audit event, given the copies posted now). A
 * failure is audited on the post itself, as a scheduled post's is. Slack posts cannot be undone, so
 * when this cannot be written the outcomes are still answered, and the copies left unrecorded are
 * logged (their claims run out; see post-once.ts on the one duplicate that allows).
 */
export async function recordCopies(
  ctx: PostingContext,
  sent: readonly Sent[],
  alongside: (tx: Executor, posted: Extract<CopyOutcome, { state: "posted" }>[]) => Promise<void>,
): Promise<CopyOutcome[]> {
  if (sent.length === 0) return [];
  const { db, clock, actor, posting } = ctx;
  const recording = admitted(posting, "posting.record", () =>
    db.transaction(async (tx) => {
      const at = clock.now();
      const outcomes: CopyOutcome[] = [];
      const failures = [];
      for (const result of sent) {
        const { copy, row } = result.held;
        const holder = { id: row.id, claimedBy: posting.instanceId };
        if (result.ok) {
          // A claim lost meanwhile (its lease ran out) still went to Slack: it is recorded as posted.
          if (!(await markCopyPosted(tx, holder, { ts: result.ts, at }))) lostClaim(copy);
          outcomes.push({ state: "posted", copy, now: true, channel: result.channel, ts: result.ts });
        } else {
          if (!(await markFailed(tx, holder, { error: result.code, retryAt: at }))) lostClaim(copy);
          outcomes.push({ state: "failed", copy, now: true, code: result.code });
          failures.push({
            action: `${copy.kind}.failed`,
            entityType: "slack_post",
            entityId: copyKey(copy),
            changes: { channelId: copy.channel, error: result.code, attempts: row.attempts },
          });
        }
      }
      await alongside(
        tx,
        outcomes.filter((outcome) => outcome.state === "posted"),
      );
      await recordAudit(tx, { actor, at, entries: failures });
      return outcomes;
    }),
  );
  return recording.catch((error: unknown) => {
    const unrecorded = sent.map((result) => ({
      key: copyKey(result.held.copy),
      ...(result.ok ? { channel: result.channel, ts: result.ts } : { error: result.code }),
    }));
    postingLog().error({ err: error, unrecorded }, "where the copies went could not be stored");
    return sent.map(
      (result): CopyOutcome =>
        result.ok
          ? { state: "posted", copy: result.held.copy, now: true, channel: result.channel, ts: result.ts }
          : { state: "failed", copy: result.held.copy, now: true, code: result.code },
    );
  });
}

/** Claim, post, record: each copy once, and where it went stored in the same call. */
export async function postCopies(
  ctx: PostingContext,
  copies: readonly Copy[],
  alongside: Parameters<typeof recordCopies>[2],
): Promise<CopyOutcome[]> {
  const { held, settled } = await claimCopies(ctx, copies);
  const sent = await sendCopies(ctx.posting.poster, held);
  const recorded = await recordCopies(ctx, sent, alongside);
  return inOrder(copies, [...settled, ...recorded]);
}

/** Outcomes in the order of `copies`. */
export function inOrder(copies: readonly Copy[], outcomes: readonly CopyOutcome[]): CopyOutcome[] {
  const byKey = new Map(outcomes.map((outcome) => [copyKey(outcome.copy), outcome]));
  return copies.flatMap((copy) => byKey.get(copyKey(copy)) ?? []);
}

function settledOutcome(copy: Copy, row: PostRow): CopyOutcome {
  switch (row.state) {
    case "posted":
      return { state: "posted", copy, now: false, channel: row.channelId, ts: row.messageTs ?? "" };
    case "failed":
      return { state: "failed", copy, now: false, code: row.lastError ?? "unknown" };
    case "claimed":
      return { state: "in_flight", copy };
  }
}

/** How often, and after how long, a step the registry turned away as busy is offered again. */
const BUSY_RETRIES = 3;
const BUSY_BACKOFF_MS = 200;

/**
 * A step under the registry's admission control. "Busy" is a refusal before the database was
 * touched, and nobody waits on this answer the way Slack does, so the step is offered again a few
 * times (0.2, 0.4, 0.8 s) rather than leave a notice unsent. "Unavailable" is not: the step may have
 * run.
 */
async function admitted<R>(posting: Posting, name: string, step: () => Promise<R>): Promise<R> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await posting.admit(name, step);
    } catch (error) {
      if (!isRegistryBusy(error) || attempt >= BUSY_RETRIES) throw error;
      await new Promise((resolve) => setTimeout(resolve, BUSY_BACKOFF_MS * 2 ** attempt));
    }
  }
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : "unknown";
}

function lostClaim(copy: Copy): void {
  postingLog().warn(
    { key: copyKey(copy) },
    `the claim on ${copy.kind} to ${copy.channel} ran out while it was posted; another call may post it too`,
  );
}

/** The Slack request's logger (its request id) while one is handled, the process's otherwise. */
export function postingLog() {
  return currentLogger(processLog());
}
