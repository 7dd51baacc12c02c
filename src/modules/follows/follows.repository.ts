import { and, asc, desc, eq, gte, lt, or, type SQL, sql } from "drizzle-orm";
import { type Executor, rowsOf } from "../../db/client.js";
import {
  auditEvents,
  caseFollows,
  deadlines,
  referralResponses,
  referrals,
  timelineEntries,
} from "../../db/schema.js";
import type { HistoryEvent } from "../history/history-event.js";
import { HORIZON_CTES } from "../integration/changes.repository.js";

export type FollowRow = typeof caseFollows.$inferSelect;
export type FollowerKind = FollowRow["followerKind"];
export type Follower = { kind: FollowerKind; id: string };

/** A position in the audit trail, ordered as the change feed orders it: (transaction, event). */
export type FeedMark = { txid: number; eventId: number };

/** Where a follow stands: how far it was told, and the day before which passed deadlines were told. */
export type FollowMark = FeedMark & { deadlinesBefore: string };

/** An audit event of a followed case, with its place in the feed. */
export type CaseEvent = HistoryEvent & { txid: number };

export type PassedDeadline = {
  id: number;
  referralId: number | null;
  kind: (typeof deadlines.$inferSelect)["kind"];
  dueOn: string;
};

/**
 * Every transaction of this database below this id has ended: its events are visible now and no
 * event can be added below it later (the change feed's horizon, integration/changes.repository.ts). A follow's position never
 * passes it, so a change that commits late is never skipped.
 */
export async function feedHorizon(db: Executor): Promise<number> {
  const [row] = rowsOf<{ xmin: string }>(
    await db.execute(sql`WITH ${HORIZON_CTES} SELECT xmin::text AS xmin FROM horizon`),
  );
  return Number(row?.xmin ?? 0);
}

/** Above every event id (an int4): a position after every event of its transaction. */
export const END_OF_TRANSACTION = 2_147_483_647;

export async function insertFollow(
  tx: Executor,
  values: typeof caseFollows.$inferInsert,
): Promise<FollowRow | null> {
  const [row] = await tx
    .insert(caseFollows)
    .values(values)
    .onConflictDoNothing({
      target: [caseFollows.caseId, caseFollows.followerKind, caseFollows.followerId],
    })
    .returning();
  return row ?? null;
}

export async function deleteFollow(
  tx: Executor,
  { caseId, follower }: { caseId: number; follower: Follower },
): Promise<FollowRow | null> {
  const [row] = await tx
    .delete(caseFollows)
    .where(
      and(
        eq(caseFollows.caseId, caseId),
        eq(caseFollows.followerKind, follower.kind),
        eq(caseFollows.followerId, follower.id),
      ),
    )
    .returning();
  return row ?? null;
}

export async function findFollowsOf(db: Executor, followers: readonly Follower[]): Promise<FollowRow[]> {
  if (followers.length === 0) return [];
  return db
    .select()
    .from(caseFollows)
    .where(
      or(
        ...followers.map((follower) =>
          and(eq(caseFollows.followerKind, follower.kind), eq(caseFollows.followerId, follower.id)),
        ),
      ),
    )
    .orderBy(asc(caseFollows.createdAt), asc(caseFollows.id));
}

export async function findFollow(db: Executor, id: number): Promise<FollowRow | null> {
  const [row] = await db.select().from(caseFollows).where(eq(caseFollows.id, id));
  return row ?? null;
}

/** Every follow, by case: what one run of the notification job looks at. */
export async function listAllFollows(db: Executor): Promise<FollowRow[]> {
  return db.select().from(caseFollows).orderBy(asc(caseFollows.caseId), asc(caseFollows.id));
}

/** The audit events of the case itself and of its referrals, responses, deadlines and timeline. */
function eventsOfCase(caseId: number): SQL {
  return or(
    and(eq(auditEvents.entityType, "case"), eq(auditEvents.entityId, String(caseId))),
    and(
      eq(auditEvents.entityType, "referral"),
      sql`${auditEvents.entityId} IN (SELECT ${referrals.id}::text FROM ${referrals} WHERE ${referrals.caseId} = ${caseId})`,
    ),
    and(
      eq(auditEvents.entityType, "referral_response"),
      sql`${auditEvents.entityId} IN (SELECT rr.id::text FROM ${referralResponses} rr JOIN ${referrals} r ON r.id = rr.referral_id WHERE r.case_id = ${caseId})`,
    ),
    and(
      eq(auditEvents.entityType, "deadline"),
      sql`${auditEvents.entityId} IN (SELECT ${deadlines.id}::text FROM ${deadlines} WHERE ${deadlines.caseId} = ${caseId})`,
    ),
    and(
      eq(auditEvents.entityType, "timeline_entry"),
      sql`${auditEvents.entityId} IN (SELECT ${timelineEntries.id}::text FROM ${timelineEntries} WHERE ${timelineEntries.caseId} = ${caseId})`,
    ),
  ) as SQL;
}

const eventColumns = {
  id: auditEvents.id,
  txid: auditEvents.txid,
  occurredAt: auditEvents.occurredAt,
  actorType: auditEvents.actorType,
  actorId: auditEvents.actorId,
  actorName: auditEvents.actorName,
  action: auditEvents.action,
  entityType: auditEvents.entityType,
  entityId: auditEvents.entityId,
  changes: auditEvents.changes,
};

/** The case's events after `after` and below the horizon, oldest first, at most `limit`. */
export async function caseEventsAfter(
  db: Executor,
  { caseId, after, horizon, limit }: { caseId: number; after: FeedMark; horizon: number; limit: number },
): Promise<CaseEvent[]> {
  return db
    .select(eventColumns)
    .from(auditEvents)
    .where(
      and(
        sql`(${auditEvents.txid}, ${auditEvents.id}) > (${after.txid}::bigint, ${after.eventId}::integer)`,
        lt(auditEvents.txid, horizon),
        eventsOfCase(caseId),
      ),
    )
    .orderBy(asc(auditEvents.txid), asc(auditEvents.id))
    .limit(limit);
}

/** The newest audited change of each case (by when it happened), for lists of followed cases. */
export async function latestCaseEvents(
  db: Executor,
  caseIds: readonly number[],
): Promise<Map<number, { action: string; occurredAt: Date }>> {
  const latest = new Map<number, { action: string; occurredAt: Date }>();
  for (const caseId of new Set(caseIds)) {
    const [row] = await db
      .select({ action: auditEvents.action, occurredAt: auditEvents.occurredAt })
      .from(auditEvents)
      .where(eventsOfCase(caseId))
      .orderBy(desc(auditEvents.occurredAt), desc(auditEvents.id))
      .limit(1);
    if (row) latest.set(caseId, row);
  }
  return latest;
}

/** Open deadlines of the case due on or after `from` and before `before`: those that passed meanwhile. */
export async function passedDeadlines(
  db: Executor,
  { caseId, from, before }: { caseId: number; from: string; before: string },
): Promise<PassedDeadline[]> {
  if (from >= before) return [];
  return db
    .select({
      id: deadlines.id,
      referralId: deadlines.referralId,
      kind: deadlines.kind,
      dueOn: deadlines.dueOn,
    })
    .from(deadlines)
    .where(
      and(
        eq(deadlines.caseId, caseId),
        eq(deadlines.state, "open"),
        gte(deadlines.dueOn, from),
        lt(deadlines.dueOn, before),
      ),
    )
    .orderBy(asc(deadlines.dueOn), asc(deadlines.id));
}

/**
 * Moves a follow from `from` to `to`, on the condition that it still stands at `from`: of two
 * replicas that both finished the same batch, one moves it and the other finds it moved. `toldAt`
 * and the thread are set when a message went out; a batch of nothing but passed-over events moves
 * the position alone.
 */
export async function moveFollow(
  db: Executor,
  {
    id,
    from,
    to,
    told,
  }: {
    id: number;
    from: FollowMark;
    to: FollowMark;
    told?: { at: Date; channelId: string; ts: string | null };
  },
): Promise<boolean> {
  const rows = await db
    .update(caseFollows)
    .set({
      toldTxid: to.txid,
      toldEventId: to.eventId,
      deadlinesToldBefore: to.deadlinesBefore,
      ...(told
        ? {
            lastToldAt: told.at,
            threadChannelId: sql`coalesce(${caseFollows.threadChannelId}, ${told.channelId})`,
            threadTs: sql`coalesce(${caseFollows.threadTs}, ${told.ts})`,
          }
        : {}),
    })
    .where(
      and(
        eq(caseFollows.id, id),
        eq(caseFollows.toldTxid, from.txid),
        eq(caseFollows.toldEventId, from.eventId),
        eq(caseFollows.deadlinesToldBefore, from.deadlinesBefore),
      ),
    )
    .returning({ id: caseFollows.id });
  return rows.length === 1;
}
