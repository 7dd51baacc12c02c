import { and, eq, gte, inArray } from "drizzle-orm";
import type { Executor } from "../../../db/client.js";
import {
  auditEvents,
  bodies,
  cases,
  deadlines,
  referralResponses,
  referrals,
  registries,
  timelineEntries,
} from "../../../db/schema.js";

/** The entity types whose changes belong to a case; roles and digests are not the diarium's business. */
export const CASE_ENTITY_TYPES = [
  "case",
  "referral",
  "referral_response",
  "deadline",
  "timeline_entry",
] as const;
export type CaseEntityType = (typeof CASE_ENTITY_TYPES)[number];

export type ChatChange = {
  action: string;
  entityType: CaseEntityType;
  entityId: number;
  occurredAt: Date;
  actorId: string;
};

/** Changes made by people in Slack, oldest first, from `since` on. */
export async function findChatChanges(db: Executor, since: Date | null): Promise<ChatChange[]> {
  const rows = await db
    .select({
      action: auditEvents.action,
      entityType: auditEvents.entityType,
      entityId: auditEvents.entityId,
      occurredAt: auditEvents.occurredAt,
      actorId: auditEvents.actorId,
    })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.actorType, "slack_user"),
        inArray(auditEvents.entityType, [...CASE_ENTITY_TYPES]),
        since === null ? undefined : gte(auditEvents.occurredAt, since),
      ),
    )
    .orderBy(auditEvents.occurredAt, auditEvents.id);
  return rows.map((row) => ({
    ...row,
    entityType: row.entityType as CaseEntityType,
    entityId: Number(row.entityId),
  }));
}

/** The case each changed entity belongs to. */
export async function caseIdsOf(
  db: Executor,
  ids: Record<CaseEntityType, number[]>,
): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  for (const id of ids.case) found.set(`case:${id}`, id);
  if (ids.referral.length > 0) {
    for (const row of await db
      .select({ id: referrals.id, caseId: referrals.caseId })
      .from(referrals)
      .where(inArray(referrals.id, ids.referral))) {
      found.set(`referral:${row.id}`, row.caseId);
    }
  }
  if (ids.referral_response.length > 0) {
    for (const row of await db
      .select({ id: referralResponses.id, caseId: referrals.caseId })
      .from(referralResponses)
      .innerJoin(referrals, eq(referrals.id, referralResponses.referralId))
      .where(inArray(referralResponses.id, ids.referral_response))) {
      found.set(`referral_response:${row.id}`, row.caseId);
    }
  }
  if (ids.deadline.length > 0) {
    for (const row of await db
      .select({ id: deadlines.id, caseId: deadlines.caseId })
      .from(deadlines)
      .where(inArray(deadlines.id, ids.deadline))) {
      found.set(`deadline:${row.id}`, row.caseId);
    }
  }
  if (ids.timeline_entry.length > 0) {
    for (const row of await db
      .select({ id: timelineEntries.id, caseId: timelineEntries.caseId })
      .from(timelineEntries)
      .where(inArray(timelineEntries.id, ids.timeline_entry))) {
      found.set(`timeline_entry:${row.id}`, row.caseId);
    }
  }
  return found;
}

/** What the case card does not load but an export carries: who submitted an answer, why it was rejected. */
export async function findResponseExtras(db: Executor, responseIds: number[]) {
  if (responseIds.length === 0) return [];
  return db
    .select({
      id: referralResponses.id,
      submittedByName: referralResponses.submittedByName,
      submittedBySlackUserId: referralResponses.submittedBySlackUserId,
      submittedAt: referralResponses.submittedAt,
      decisionReason: referralResponses.decisionReason,
    })
    .from(referralResponses)
    .where(inArray(referralResponses.id, responseIds));
}

export async function findCaseExtras(db: Executor, caseIds: number[]) {
  if (caseIds.length === 0) return [];
  return db
    .select({ id: cases.id, classification: cases.classification, decisionDueOn: cases.decisionDueOn })
    .from(cases)
    .where(inArray(cases.id, caseIds));
}

export function listRegistriesAndBodies(db: Executor) {
  return Promise.all([
    db.select({ code: registries.code, name: registries.name }).from(registries).orderBy(registries.code),
    db
      .select({
        code: bodies.code,
        name: bodies.name,
        kind: bodies.kind,
        slackChannelId: bodies.slackChannelId,
      })
      .from(bodies)
      .orderBy(bodies.code),
  ]);
}
