import { and, eq, lt, lte, or, sql } from "drizzle-orm";
import type { Executor } from "../../db/client.js";
import { slackPosts } from "../../db/schema.js";

/**
 * Claims on scheduled Slack posts. Every write after the claim is conditional on the row still being
 * claimed by the writer (`claimed_by`), so a replica whose lease ran out and was taken over learns it
 * from an empty RETURNING and stops, instead of overwriting the new holder's progress.
 */

export type PostRow = typeof slackPosts.$inferSelect;
export type PostKind = PostRow["kind"];

export type ClaimRequest = {
  key: string;
  kind: PostKind;
  subjectId: number;
  period: string;
  channelId: string;
  late: boolean;
  claimedBy: string;
  at: Date;
  leaseUntil: Date;
  /** A failed post is retaken only while it has had fewer attempts than this. */
  maxAttempts: number;
};

export type ClaimResult =
  | { claimed: true; row: PostRow }
  /** Posted, held by a live claim elsewhere, failed and waiting for its retry time, or given up. */
  | { claimed: false; row: PostRow };

export async function findPost(db: Executor, key: string): Promise<PostRow | null> {
  const [row] = await db.select().from(slackPosts).where(eq(slackPosts.key, key));
  return row ?? null;
}

/**
 * One statement each, so the database decides races: a new key is claimed by INSERT … ON CONFLICT DO
 * NOTHING (one inserter wins); an existing key is retaken by a conditional UPDATE that matches only
 * a claim whose lease has run out, or a failed post whose retry time (kept in lease_until) has come.
 */
export async function claimPost(db: Executor, request: ClaimRequest): Promise<ClaimResult> {
  const [inserted] = await db
    .insert(slackPosts)
    .values({
      key: request.key,
      kind: request.kind,
      subjectId: request.subjectId,
      period: request.period,
      channelId: request.channelId,
      state: "claimed",
      claimedBy: request.claimedBy,
      leaseUntil: request.leaseUntil,
      late: request.late,
      attempts: 1,
      createdAt: request.at,
    })
    .onConflictDoNothing({ target: slackPosts.key })
    .returning();
  if (inserted) return { claimed: true, row: inserted };

  const [retaken] = await db
    .update(slackPosts)
    .set({
      state: "claimed",
      claimedBy: request.claimedBy,
      leaseUntil: request.leaseUntil,
      attempts: sql`${slackPosts.attempts} + 1`,
      // A post already begun keeps its marker; a retry that has become late says so in part 1.
      late: sql`${slackPosts.late} OR ${request.late}`,
    })
    .where(
      and(
        eq(slackPosts.key, request.key),
        or(
          and(eq(slackPosts.state, "claimed"), lt(slackPosts.leaseUntil, request.at)),
          and(
            eq(slackPosts.state, "failed"),
            lte(slackPosts.leaseUntil, request.at),
            lt(slackPosts.attempts, request.maxAttempts),
          ),
        ),
      ),
    )
    .returning();
  if (retaken) return { claimed: true, row: retaken };

  const existing = await findPost(db, request.key);
  if (!existing) throw new Error(`slack post ${request.key} neither claimed nor found`);
  return { claimed: false, row: existing };
}

type Holder = { id: number; claimedBy: string };

const heldBy = ({ id, claimedBy }: Holder) =>
  and(eq(slackPosts.id, id), eq(slackPosts.state, "claimed"), eq(slackPosts.claimedBy, claimedBy));

/** Also the fence before each message: false means the claim was lost and nothing more may be sent. */
export async function extendLease(db: Executor, holder: Holder, leaseUntil: Date): Promise<boolean> {
  const rows = await db
    .update(slackPosts)
    .set({ leaseUntil })
    .where(heldBy(holder))
    .returning({ id: slackPosts.id });
  return rows.length === 1;
}

/**
 * Records that message number `part` (1-based) is in Slack. Only the next part in order is accepted,
 * and the first part's ts is kept: the rest are posted in its thread.
 */
export async function recordPartPosted(
  db: Executor,
  holder: Holder,
  { part, ts, leaseUntil }: { part: number; ts: string; leaseUntil: Date },
): Promise<boolean> {
  const rows = await db
    .update(slackPosts)
    .set({
      partsPosted: part,
      messageTs: sql`coalesce(${slackPosts.messageTs}, ${ts})`,
      leaseUntil,
    })
    .where(and(heldBy(holder), eq(slackPosts.partsPosted, part - 1)))
    .returning({ id: slackPosts.id });
  return rows.length === 1;
}

export async function markPosted(
  db: Executor,
  holder: Holder,
  { at, itemCount }: { at: Date; itemCount: number | null },
): Promise<PostRow | null> {
  const [row] = await db
    .update(slackPosts)
    .set({ state: "posted", postedAt: at, itemCount, lastError: null })
    .where(heldBy(holder))
    .returning();
  return row ?? null;
}

/** `retryAt` is kept in lease_until: a failed post is retaken only from then on. */
export async function markFailed(
  db: Executor,
  holder: Holder,
  { error, retryAt }: { error: string; retryAt: Date },
): Promise<PostRow | null> {
  const [row] = await db
    .update(slackPosts)
    .set({ state: "failed", lastError: error.slice(0, 2000), leaseUntil: retryAt })
    .where(heldBy(holder))
    .returning();
  return row ?? null;
}

/** A copy (a single message, see post-copies.ts) is in Slack: posted, with its ts, in one step. */
export async function markCopyPosted(
  db: Executor,
  holder: Holder,
  { ts, at }: { ts: string; at: Date },
): Promise<PostRow | null> {
  const [row] = await db
    .update(slackPosts)
    .set({ state: "posted", partsPosted: 1, messageTs: ts, postedAt: at, lastError: null })
    .where(heldBy(holder))
    .returning();
  return row ?? null;
}
