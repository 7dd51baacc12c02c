import { and, asc, eq } from "drizzle-orm";
import type { Executor } from "../../db/client.js";
import { approvalMessages, bodies, referralResponses, referrals } from "../../db/schema.js";

export type AnswerableReferral = {
  referralId: number;
  caseId: number;
  state: "open" | "answered" | "declined" | "withdrawn";
  dueOn: string | null;
  body: { id: number; code: string; name: string; slackChannelId: string | null };
};

export type NewPendingResponse = {
  referralId: number;
  kind: "answer" | "declined";
  summary: string;
  link: string | null;
  answeredOn: string;
  submittedByName: string | null;
  submittedBySlackUserId: string;
  submittedAt: Date;
};

const referralRow = {
  referralId: referrals.id,
  caseId: referrals.caseId,
  state: referrals.state,
  dueOn: referrals.dueOn,
  body: { id: bodies.id, code: bodies.code, name: bodies.name, slackChannelId: bodies.slackChannelId },
};

/** The open referrals of a case with their bodies, by body name. */
export async function findOpenReferralsOfCase(db: Executor, caseId: number): Promise<AnswerableReferral[]> {
  return db
    .select(referralRow)
    .from(referrals)
    .innerJoin(bodies, eq(bodies.id, referrals.bodyId))
    .where(and(eq(referrals.caseId, caseId), eq(referrals.state, "open")))
    .orderBy(asc(bodies.name), asc(referrals.id));
}

export async function findReferral(db: Executor, referralId: number): Promise<AnswerableReferral | null> {
  const [row] = await db
    .select(referralRow)
    .from(referrals)
    .innerJoin(bodies, eq(bodies.id, referrals.bodyId))
    .where(eq(referrals.id, referralId));
  return row ?? null;
}

/**
 * Locks the referral row until the transaction ends, so two submits of a response to it run one
 * after the other: the second sees the first one's pending response.
 */
export async function lockReferral(
  tx: Executor,
  referralId: number,
): Promise<{ id: number; state: AnswerableReferral["state"] } | null> {
  const [row] = await tx
    .select({ id: referrals.id, state: referrals.state })
    .from(referrals)
    .where(eq(referrals.id, referralId))
    .for("update");
  return row ?? null;
}

export async function hasPendingResponse(tx: Executor, referralId: number): Promise<boolean> {
  const [row] = await tx
    .select({ id: referralResponses.id })
    .from(referralResponses)
    .where(and(eq(referralResponses.referralId, referralId), eq(referralResponses.approvalState, "pending")))
    .limit(1);
  return row !== undefined;
}

export async function insertPendingResponse(tx: Executor, values: NewPendingResponse): Promise<number> {
  const [row] = await tx
    .insert(referralResponses)
    .values({ ...values, approvalState: "pending" })
    .returning({ id: referralResponses.id });
  if (!row) throw new Error("referral response not inserted");
  return row.id;
}

/** Where an approval request was posted; a copy already recorded (a retry) is skipped. */
export async function insertApprovalMessages(
  tx: Executor,
  rows: readonly {
    responseId: number;
    channelId: string;
    messageTs: string;
    recipientSlackUserId: string | null;
  }[],
): Promise<{ id: number; channelId: string; messageTs: string; recipientSlackUserId: string | null }[]> {
  if (rows.length === 0) return [];
  return tx
    .insert(approvalMessages)
    .values([...rows])
    .onConflictDoNothing()
    .returning({
      id: approvalMessages.id,
      channelId: approvalMessages.channelId,
      messageTs: approvalMessages.messageTs,
      recipientSlackUserId: approvalMessages.recipientSlackUserId,
    });
}

export async function responseExists(db: Executor, responseId: number): Promise<boolean> {
  const [row] = await db
    .select({ id: referralResponses.id })
    .from(referralResponses)
    .where(eq(referralResponses.id, responseId));
  return row !== undefined;
}
