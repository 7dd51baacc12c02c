import { and, asc, count, desc, eq, inArray, or, type SQL } from "drizzle-orm";
import type { Executor } from "../../db/client.js";
import {
  auditEvents,
  bodies,
  deadlines,
  referralResponses,
  referrals,
  timelineEntries,
} from "../../db/schema.js";
import type { HistoryContext, HistoryEvent } from "./history-event.js";

/**
 * What the audit events of one case refer to: its referrals, their responses, its deadlines and its
 * timeline entries, with the names the history needs to say which is which. Audit events name an
 * entity by type and id; these ids are how a case's events are found, through the
 * (entity_type, entity_id) index.
 */
export async function loadHistoryContext(db: Executor, caseId: number): Promise<HistoryContext> {
  const [referralRows, responseRows, deadlineRows, timelineRows, bodyRows] = await Promise.all([
    db
      .select({ id: referrals.id, bodyName: bodies.name })
      .from(referrals)
      .innerJoin(bodies, eq(bodies.id, referrals.bodyId))
      .where(eq(referrals.caseId, caseId))
      .orderBy(asc(referrals.id)),
    db
      .select({ id: referralResponses.id, referralId: referralResponses.referralId })
      .from(referralResponses)
      .innerJoin(referrals, eq(referrals.id, referralResponses.referralId))
      .where(eq(referrals.caseId, caseId))
      .orderBy(asc(referralResponses.id)),
    db
      .select({ id: deadlines.id, referralId: deadlines.referralId, kind: deadlines.kind })
      .from(deadlines)
      .where(eq(deadlines.caseId, caseId))
      .orderBy(asc(deadlines.id)),
    db
      .select({ id: timelineEntries.id, kind: timelineEntries.kind, bodyName: bodies.name })
      .from(timelineEntries)
      .leftJoin(bodies, eq(bodies.id, timelineEntries.bodyId))
      .where(eq(timelineEntries.caseId, caseId))
      .orderBy(asc(timelineEntries.position)),
    // Imports record bodies by code ("responsible_body": "kommunstyrelsen"); a few hundred rows at most.
    db.select({ code: bodies.code, name: bodies.name }).from(bodies),
  ]);
  return {
    caseId,
    referrals: new Map(referralRows.map((row) => [row.id, { bodyName: row.bodyName }])),
    responses: new Map(responseRows.map((row) => [row.id, { referralId: row.referralId }])),
    deadlines: new Map(deadlineRows.map((row) => [row.id, { referralId: row.referralId, kind: row.kind }])),
    timeline: new Map(timelineRows.map((row) => [row.id, { kind: row.kind, bodyName: row.bodyName }])),
    bodyNames: new Map(bodyRows.map((row) => [row.code, row.name])),
  };
}

/** The audit events of the case and of everything in it, as one condition on the entity index. */
function eventsOf(context: HistoryContext): SQL {
  const entity = (type: string, ids: Iterable<number>): SQL | undefined => {
    const keys = [...ids].map(String);
    if (keys.length === 0) return undefined;
    return and(eq(auditEvents.entityType, type), inArray(auditEvents.entityId, keys));
  };
  return or(
    entity("case", [context.caseId]),
    entity("referral", context.referrals.keys()),
    entity("referral_response", context.responses.keys()),
    entity("deadline", context.deadlines.keys()),
    entity("timeline_entry", context.timeline.keys()),
  ) as SQL;
}

export async function countHistoryEvents(db: Executor, context: HistoryContext): Promise<number> {
  const [row] = await db.select({ n: count() }).from(auditEvents).where(eventsOf(context));
  return Number(row?.n ?? 0);
}

/** Newest first; events of one transaction share their time, so the later insert comes first. */
export async function findHistoryEvents(
  db: Executor,
  context: HistoryContext,
  { limit, offset }: { limit: number; offset: number },
): Promise<HistoryEvent[]> {
  return db
    .select({
      id: auditEvents.id,
      occurredAt: auditEvents.occurredAt,
      actorType: auditEvents.actorType,
      actorId: auditEvents.actorId,
      actorName: auditEvents.actorName,
      action: auditEvents.action,
      entityType: auditEvents.entityType,
      entityId: auditEvents.entityId,
      changes: auditEvents.changes,
    })
    .from(auditEvents)
    .where(eventsOf(context))
    .orderBy(desc(auditEvents.occurredAt), desc(auditEvents.id))
    .limit(limit)
    .offset(offset);
}
