import { log as processLog } from "../../observability/logger.js";
import { metrics } from "../../observability/metrics.js";
import { recordAudit } from "../audit/audit.repository.js";
import type { RequestContext } from "../shared/context.js";
import type { FileUploader, OutgoingFile, Poster, SlackMessage } from "./poster.js";
import {
  claimPost,
  extendLease,
  findPost,
  markFailed,
  markPosted,
  type PostKind,
  type PostRow,
  recordPartPosted,
} from "./posts.repository.js";

/**
 * Posts a scheduled message (a digest, possibly split into several Slack messages, or a reminder)
 * exactly once per key, across replicas, restarts and failures.
 *
 * Why it holds:
 * - Claim before post. The key is unique in slack_posts; the claim is one INSERT … ON CONFLICT DO
 *   NOTHING, so of two replicas (or two runs in one process) exactly one gets the row, and the other
 *   sees "claimed elsewhere" or "already posted". A claim has a lease; a conditional UPDATE (state
 *   still claimed, lease run out) lets one other replica take over the claim of a holder that died.
 * - Fenced progress. Before each Slack message the lease is extended on the condition that the row is
 *   still claimed by this instance, and after it the part is recorded on the same condition (and only
 *   as the next part in order). An instance that lost its claim finds out from an empty RETURNING and
 *   stops, so it never posts past the point where the new holder took over, and never marks a post
 *   done that someone else is finishing.
 * - Resumable. Each part is recorded as soon as Slack has accepted it, with part 1's ts; a takeover
 *   or a retry continues after the last recorded part, in part 1's thread, instead of starting over.
 *
 * The one remaining duplicate: if the process dies (or the database becomes unreachable) after Slack
 * has accepted a part but before the part is recorded, whoever resumes posts that part again. Slack's
 * chat.postMessage has no idempotency key, and the alternative, recording "about to post part n" first
 * and skipping it on resume, would lose a part silently instead. One visible duplicate after a crash
 * is the least bad of the two; readers notice and ignore a repeated message, nobody notices a missing
 * one. (Checking the channel's history before resuming would need the channels:history scope and still
 * could not tell our repeated message from the original with certainty.) The same holds for the
 * web client's own retry of an HTTP 5xx: Slack may have posted before failing to answer.
 *
 * Lease: POST_LEASE_MS is extended before every message; one message takes at most about three minutes
 * even when Slack rate-limits (see web-poster.ts), so a live holder does not lose its lease.
 */

export type PostOutcome = "posted" | "already_posted" | "claimed_elsewhere" | "nothing_to_post" | "failed";

/** A message of a post; one with files is uploaded with them, its text as their comment. */
export type PostPart = SlackMessage & { files?: OutgoingFile[] };

export type BuiltPost = {
  /** Part 1 goes in the channel, the rest in its thread. Empty: nothing to post this time. */
  messages: PostPart[];
  /** Kept on the post, e.g. the number of overdue items in a digest. */
  itemCount?: number | null;
};

/** Where a post is claimed and recorded, and the audit events' actor: the job, or the person at the terminal. */
export type PostingContext = Pick<RequestContext, "db" | "clock" | "actor">;

export type PostOnceRequest = {
  poster: Poster;
  /** For parts with files (a scheduled report); a part with files and no uploader fails the post. */
  uploader?: FileUploader;
  /** Who holds a claim: hostname, pid and a random part, unique per running process. */
  instanceId: string;
  key: string;
  kind: PostKind;
  subjectId: number;
  period: string;
  channelId: string;
  late: boolean;
  /** Called once the claim is held; `late` is the claim's marker (a resumed post keeps its own). */
  build: (context: { late: boolean }) => Promise<BuiltPost>;
  log?: (line: string) => void;
};

export const POST_LEASE_MS = 5 * 60_000;
/** After this many attempts a failed post is given up (it stays "failed", with its last error). */
export const MAX_POST_ATTEMPTS = 8;
const MAX_RETRY_DELAY_MS = 60 * 60_000;

/** 1, 2, 4 … minutes after the n-th failed attempt, at most an hour. */
export function retryDelayMs(attempts: number): number {
  return Math.min(60_000 * 2 ** Math.max(0, attempts - 1), MAX_RETRY_DELAY_MS);
}

/** One attempt's request together with its context. */
type Posting = PostOnceRequest & PostingContext;

export async function postOnce(ctx: PostingContext, request: PostOnceRequest): Promise<PostOutcome> {
  try {
    const outcome = await attempt({ ...request, db: ctx.db, clock: ctx.clock, actor: ctx.actor });
    metrics.scheduledPost(request.kind, outcome);
    return outcome;
  } catch (error) {
    metrics.scheduledPost(request.kind, "error");
    throw error;
  }
}

async function attempt(request: Posting): Promise<PostOutcome> {
  const { db, clock, poster, instanceId, key, channelId } = request;
  const log = request.log ?? ((line: string) => processLog().warn({ key, kind: request.kind }, line));

  // Most runs find the post already done: a read answers that without touching the claim's sequence.
  const known = await findPost(db, key);
  if (known && !mayBeRetaken(known, clock.now())) return outcomeOf(known);

  const at = clock.now();
  const claim = await claimPost(db, {
    key,
    kind: request.kind,
    subjectId: request.subjectId,
    period: request.period,
    channelId,
    late: request.late,
    claimedBy: instanceId,
    at,
    leaseUntil: new Date(at.getTime() + POST_LEASE_MS),
    maxAttempts: MAX_POST_ATTEMPTS,
  });
  if (!claim.claimed) {
    if (claim.row.state === "claimed") metrics.claimLost(request.kind, "claim");
    return outcomeOf(claim.row);
  }

  const row = claim.row;
  const holder = { id: row.id, claimedBy: instanceId };
  const leaseFromNow = () => new Date(clock.now().getTime() + POST_LEASE_MS);
  const lost = (part: number) => {
    metrics.claimLost(request.kind, "posting");
    log(`Post ${key}: the claim was taken over by another instance before part ${part}; stopping here.`);
    return "claimed_elsewhere" as const;
  };

  let built: BuiltPost;
  try {
    built = await request.build({ late: row.late });
  } catch (error) {
    return fail(request, row, error, log);
  }
  const { messages } = built;
  const itemCount = built.itemCount ?? null;

  if (messages.length === 0 && row.partsPosted === 0) {
    const done = await finish(request, row, { action: `${request.kind}.skipped`, itemCount, parts: 0 });
    return done ? "nothing_to_post" : lost(1);
  }

  let threadTs = row.messageTs ?? undefined;
  for (let index = row.partsPosted; index < messages.length; index += 1) {
    const part = index + 1;
    const message = messages[index] as PostPart;
    if (!(await extendLease(db, holder, leaseFromNow()))) return lost(part);
    let ts: string;
    try {
      const inThread = index > 0 && threadTs ? { threadTs } : {};
      if (message.files && message.files.length > 0) {
        if (!request.uploader) throw new Error(`post ${key} has files but no uploader`);
        const { fileIds } = await request.uploader.upload({
          channel: channelId,
          comment: message.text,
          files: message.files,
          ...inThread,
        });
        // Slack shares uploaded files without answering the message's ts; the first file's id marks the part.
        ts = fileIds[0] ?? `files:${part}`;
      } else {
        ({ ts } = await poster.post({
          channel: channelId,
          text: message.text,
          blocks: message.blocks,
          ...inThread,
        }));
      }
    } catch (error) {
      return fail(request, { ...row, partsPosted: index }, error, log);
    }
    if (!(await recordPartPosted(db, holder, { part, ts, leaseUntil: leaseFromNow() }))) {
      metrics.claimLost(request.kind, "posting");
      log(
        `Post ${key}: part ${part} reached Slack (ts ${ts}) after the claim was lost; it may appear twice.`,
      );
      return "claimed_elsewhere";
    }
    threadTs ??= ts;
  }

  const parts = Math.max(messages.length, row.partsPosted);
  const done = await finish(request, row, { action: `${request.kind}.posted`, itemCount, parts });
  return done ? "posted" : lost(parts + 1);
}

function mayBeRetaken(row: PostRow, now: Date): boolean {
  if (row.state === "claimed") return row.leaseUntil.getTime() < now.getTime();
  if (row.state === "failed") {
    return row.leaseUntil.getTime() <= now.getTime() && row.attempts < MAX_POST_ATTEMPTS;
  }
  return false;
}

function outcomeOf(row: PostRow): PostOutcome {
  switch (row.state) {
    case "posted":
      return "already_posted";
    case "claimed":
      return "claimed_elsewhere";
    case "failed":
      return "failed";
  }
}

/** Marks the post done and records who posted what, in one transaction. False if the claim was lost. */
async function finish(
  request: Posting,
  row: PostRow,
  { action, itemCount, parts }: { action: string; itemCount: number | null; parts: number },
): Promise<boolean> {
  const at = request.clock.now();
  return request.db.transaction(async (tx) => {
    const posted = await markPosted(tx, { id: row.id, claimedBy: request.instanceId }, { at, itemCount });
    if (!posted) return false;
    await recordAudit(tx, {
      actor: request.actor,
      at,
      entries: [
        {
          action,
          entityType: "slack_post",
          entityId: request.key,
          changes: {
            channelId: request.channelId,
            subjectId: request.subjectId,
            period: request.period,
            late: posted.late,
            parts,
            messageTs: posted.messageTs,
            itemCount,
            attempts: posted.attempts,
            instance: request.instanceId,
          },
        },
      ],
    });
    return true;
  });
}

async function fail(
  request: Posting,
  row: PostRow,
  error: unknown,
  log: (line: string) => void,
): Promise<PostOutcome> {
  const code = errorCode(error);
  const retryable = (error as { retryable?: unknown } | null)?.retryable !== false;
  const message = error instanceof Error ? error.message : String(error);
  const at = request.clock.now();
  const retryAt = new Date(at.getTime() + (retryable ? retryDelayMs(row.attempts) : MAX_RETRY_DELAY_MS));
  const givenUp = row.attempts >= MAX_POST_ATTEMPTS;
  const recorded = await request.db.transaction(async (tx) => {
    const failed = await markFailed(
      tx,
      { id: row.id, claimedBy: request.instanceId },
      { error: `${code}: ${message}`, retryAt },
    );
    if (!failed) return false;
    await recordAudit(tx, {
      actor: request.actor,
      at,
      entries: [
        {
          action: `${request.kind}.failed`,
          entityType: "slack_post",
          entityId: request.key,
          changes: {
            channelId: request.channelId,
            error: code,
            attempts: row.attempts,
            partsPosted: row.partsPosted,
            retryAt: givenUp ? null : retryAt.toISOString(),
          },
        },
      ],
    });
    return true;
  });
  if (!recorded) {
    metrics.claimLost(request.kind, "posting");
    return "claimed_elsewhere";
  }
  log(
    `Post ${request.key} to ${request.channelId} failed (attempt ${row.attempts}, ${code}): ${message}; ` +
      (givenUp ? "giving up." : `will retry after ${retryAt.toISOString()}.`),
  );
  return "failed";
}

function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" ? code : error instanceof Error ? error.name : "error";
}
