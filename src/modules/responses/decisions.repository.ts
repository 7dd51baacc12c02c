import { and, asc, eq } from "drizzle-orm";
import { alias } from "drizzle-orm/pg-core";
import type { Executor } from "../../db/client.js";
import {
  approvalMessages,
  bodies,
  caseIdentifiers,
  cases,
  deadlines,
  referralResponses,
  referrals,
} from "../../db/schema.js";

export type ApprovalState = (typeof referralResponses.$inferSelect)["approvalState"];

/** A remissvar awaiting (or past) a decision, with what deciding it and telling people about it needs. */
export type DecisionContext = {
  responseId: number;
  kind: "answer" | "declined";
  documentTitle: string | null;
  summary: string;
  link: string | null;
  answeredOn: string | null;
  submittedByName: string | null;
  submittedBySlackUserId: string | null;
  approvalState: ApprovalState;
  referralId: number;
  referralState: (typeof referrals.$inferSelect)["state"];
  bodyId: number;
  bodyName: string;
  caseId: number;
  dnr: string | null;
  firstIdentifier: string | null;
  title: string;
  publicTitle: string;
  restricted: boolean;
  officerSlackUserId: string | null;
  responsibleBodyId: number | null;
  responsibleBodyChannelId: string | null;
};

export type StoredDecision = {
  state: ApprovalState;
  bySlackUserId: string | null;
  byName: string | null;
  at: Date | null;
  reason: string | null;
};

const responsible = alias(bodies, "responsible_body");

export async function findDecisionContext(db: Executor, responseId: number): Promise<DecisionContext | null> {
  const [row] = await db
    .select({
      responseId: referralResponses.id,
      kind: referralResponses.kind,
      documentTitle: referralResponses.documentTitle,
      summary: referralResponses.summary,
      link: referralResponses.link,
      answeredOn: referralResponses.answeredOn,
      submittedByName: referralResponses.submittedByName,
      submittedBySlackUserId: referralResponses.submittedBySlackUserId,
      approvalState: referralResponses.approvalState,
      referralId: referrals.id,
      referralState: referrals.state,
      bodyId: bodies.id,
      bodyName: bodies.name,
      caseId: cases.id,
      dnr: cases.dnr,
      title: cases.title,
      publicTitle: cases.publicTitle,
      restricted: cases.restricted,
      officerSlackUserId: cases.officerSlackUserId,
      responsibleBodyId: cases.responsibleBodyId,
      responsibleBodyChannelId: responsible.slackChannelId,
    })
    .from(referralResponses)
    .innerJoin(referrals, eq(referrals.id, referralResponses.referralId))
    .innerJoin(bodies, eq(bodies.id, referrals.bodyId))
    .innerJoin(cases, eq(cases.id, referrals.caseId))
    .leftJoin(responsible, eq(responsible.id, cases.responsibleBodyId))
    .where(eq(referralResponses.id, responseId));
  if (!row) return null;
  let firstIdentifier: string | null = null;
  if (!row.dnr) {
    const [identifier] = await db
      .select({ display: caseIdentifiers.display })
      .from(caseIdentifiers)
      .where(eq(caseIdentifiers.caseId, row.caseId))
      .orderBy(asc(caseIdentifiers.id))
      .limit(1);
    firstIdentifier = identifier?.display ?? null;
  }
  return { ...row, firstIdentifier };
}

export type ApprovalMessage = {
  channelId: string;
  messageTs: string;
  /** The godkännare of a direct message; null for a copy in a channel. */
  recipientSlackUserId: string | null;
};

/** Every copy of the approval request in Slack, oldest first. */
export async function findApprovalMessages(db: Executor, responseId: number): Promise<ApprovalMessage[]> {
  return db
    .select({
      channelId: approvalMessages.channelId,
      messageTs: approvalMessages.messageTs,
      recipientSlackUserId: approvalMessages.recipientSlackUserId,
    })
    .from(approvalMessages)
    .where(eq(approvalMessages.responseId, responseId))
    .orderBy(asc(approvalMessages.id));
}

/**
 * `UPDATE … WHERE approval_state = 'pending' RETURNING`: the one statement that decides. Of two
 * concurrent decisions the second waits for the first's row lock, finds the row no longer pending and
 * gets no row back; so exactly one wins, on one database or across replicas.
 */
export async function decidePendingResponse(
  tx: Executor,
  {
    responseId,
    state,
    bySlackUserId,
    byName,
    at,
    reason,
  }: {
    responseId: number;
    state: "approved" | "rejected";
    bySlackUserId: string;
    byName: string | null;
    at: Date;
    reason: string | null;
  },
): Promise<boolean> {
  const rows = await tx
    .update(referralResponses)
    .set({
      approvalState: state,
      decidedBySlackUserId: bySlackUserId,
      decidedByName: byName,
      decidedAt: at,
      decisionReason: reason,
    })
    .where(and(eq(referralResponses.id, responseId), eq(referralResponses.approvalState, "pending")))
    .returning({ id: referralResponses.id });
  return rows.length === 1;
}

export async function findDecision(db: Executor, responseId: number): Promise<StoredDecision | null> {
  const [row] = await db
    .select({
      state: referralResponses.approvalState,
      bySlackUserId: referralResponses.decidedBySlackUserId,
      byName: referralResponses.decidedByName,
      at: referralResponses.decidedAt,
      reason: referralResponses.decisionReason,
    })
    .from(referralResponses)
    .where(eq(referralResponses.id, responseId));
  return row ?? null;
}

/** Closes an open referral; no row back when it was no longer open. */
export async function closeOpenReferral(
  tx: Executor,
  {
    referralId,
    state,
    answeredOn,
  }: { referralId: number; state: "answered" | "declined"; answeredOn: string },
): Promise<boolean> {
  const rows = await tx
    .update(referrals)
    .set({ state, answeredOn })
    .where(and(eq(referrals.id, referralId), eq(referrals.state, "open")))
    .returning({ id: referrals.id });
  return rows.length === 1;
}

/** Marks the referral's open referral_due deadline met; answers the ids it changed. */
export async function meetReferralDeadline(
  tx: Executor,
  { referralId, metOn }: { referralId: number; metOn: string },
): Promise<number[]> {
  const rows = await tx
    .update(deadlines)
    .set({ state: "met", metOn })
    .where(
      and(
        eq(deadlines.referralId, referralId),
        eq(deadlines.kind, "referral_due"),
        eq(deadlines.state, "open"),
      ),
    )
    .returning({ id: deadlines.id });
  return rows.map((row) => row.id);
}
