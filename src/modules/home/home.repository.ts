import { and, asc, desc, eq, inArray, isNull, notInArray, or, sql } from "drizzle-orm";
import { type Executor, rowsOf } from "../../db/client.js";
import { bodies, cases, homeTabs, memberships, referralResponses, referrals } from "../../db/schema.js";
import { type CaseKind, type CaseStatus, FINISHED_STATUSES } from "../cases/case-kinds.js";
import { FIRST_IDENTIFIER } from "../cases/cases.repository.js";

/** What the Home tab needs of a case to label it and to let the audience rule decide its title. */
export type HomeCaseRow = {
  caseId: number;
  dnr: string | null;
  firstIdentifier: string | null;
  kind: CaseKind;
  status: CaseStatus;
  title: string;
  publicTitle: string;
  restricted: boolean;
  officerSlackUserId: string | null;
  responsibleBodyId: number | null;
};

export type OpenReferralRow = HomeCaseRow & {
  referralId: number;
  bodyName: string;
  dueOn: string | null;
  /** A remissvar is recorded and waits for its godkännare: nothing left for the handläggare to do. */
  awaitingApproval: boolean;
};

export type PendingApprovalRow = HomeCaseRow & {
  responseId: number;
  bodyName: string;
  responseKind: "answer" | "declined";
  submittedByName: string | null;
  submittedBySlackUserId: string | null;
  submittedAt: Date;
};

/** A page of a list, and how many there are in all (for "och N till"). */
export type Listed<T> = { rows: T[]; total: number };

const caseColumns = {
  caseId: cases.id,
  dnr: cases.dnr,
  firstIdentifier: FIRST_IDENTIFIER,
  kind: cases.kind,
  status: cases.status,
  title: cases.title,
  publicTitle: cases.publicTitle,
  restricted: cases.restricted,
  officerSlackUserId: cases.officerSlackUserId,
  responsibleBodyId: cases.responsibleBodyId,
};

const total = sql<number>`count(*) OVER ()`.mapWith(Number);

function listed<T extends { total: number }>(rows: T[]): Listed<Omit<T, "total">> {
  return { rows: rows.map(({ total: _, ...row }) => row), total: rows[0]?.total ?? 0 };
}

/** Open remisser to the given bodies, earliest due first (those without a due date last). */
export async function openReferralsTo(
  db: Executor,
  { bodyIds, limit }: { bodyIds: number[]; limit: number },
): Promise<Listed<OpenReferralRow>> {
  if (bodyIds.length === 0) return { rows: [], total: 0 };
  const rows = await db
    .select({
      ...caseColumns,
      referralId: referrals.id,
      bodyName: bodies.name,
      dueOn: referrals.dueOn,
      awaitingApproval: sql<boolean>`EXISTS (
        SELECT 1 FROM ${referralResponses}
         WHERE ${referralResponses.referralId} = ${referrals.id}
           AND ${referralResponses.approvalState} = 'pending')`,
      total,
    })
    .from(referrals)
    .innerJoin(cases, eq(cases.id, referrals.caseId))
    .innerJoin(bodies, eq(bodies.id, referrals.bodyId))
    .where(
      and(
        eq(referrals.state, "open"),
        inArray(referrals.bodyId, bodyIds),
        notInArray(cases.status, [...FINISHED_STATUSES]),
      ),
    )
    .orderBy(sql`${referrals.dueOn} ASC NULLS LAST`, asc(referrals.id))
    .limit(limit);
  return listed(rows);
}

/** Remissvar of the given bodies that wait for a decision, oldest first. */
export async function pendingApprovalsFor(
  db: Executor,
  { bodyIds, limit }: { bodyIds: number[]; limit: number },
): Promise<Listed<PendingApprovalRow>> {
  if (bodyIds.length === 0) return { rows: [], total: 0 };
  const rows = await db
    .select({
      ...caseColumns,
      responseId: referralResponses.id,
      bodyName: bodies.name,
      responseKind: referralResponses.kind,
      submittedByName: referralResponses.submittedByName,
      submittedBySlackUserId: referralResponses.submittedBySlackUserId,
      submittedAt: referralResponses.submittedAt,
      total,
    })
    .from(referralResponses)
    .innerJoin(referrals, eq(referrals.id, referralResponses.referralId))
    .innerJoin(cases, eq(cases.id, referrals.caseId))
    .innerJoin(bodies, eq(bodies.id, referrals.bodyId))
    .where(and(eq(referralResponses.approvalState, "pending"), inArray(referrals.bodyId, bodyIds)))
    .orderBy(asc(referralResponses.submittedAt), asc(referralResponses.id))
    .limit(limit);
  return listed(rows);
}

/** Unfinished cases whose case officer is the user, most recently changed first. */
export async function casesOfOfficer(
  db: Executor,
  { slackUserId, limit }: { slackUserId: string; limit: number },
): Promise<Listed<HomeCaseRow & { raisedOn: string | null }>> {
  const rows = await db
    .select({ ...caseColumns, raisedOn: cases.raisedOn, total })
    .from(cases)
    .where(and(eq(cases.officerSlackUserId, slackUserId), notInArray(cases.status, [...FINISHED_STATUSES])))
    .orderBy(desc(cases.updatedAt), desc(cases.id))
    .limit(limit);
  return listed(rows);
}

/** Remembers that the user has opened the Home tab, so that later changes publish it again. */
export async function rememberHomeOpened(
  db: Executor,
  { slackUserId, at }: { slackUserId: string; at: Date },
) {
  await db
    .insert(homeTabs)
    .values({ slackUserId, openedAt: at })
    .onConflictDoUpdate({ target: homeTabs.slackUserId, set: { openedAt: at } });
}

/**
 * Claims the publication of a view whose hash is `hash`: true when this call changed the stored hash
 * (the view is new), false when the same view is already published, or being published by another
 * replica. Only users who have opened the Home tab have a row.
 */
export async function claimPublication(
  db: Executor,
  { slackUserId, hash, at }: { slackUserId: string; hash: string; at: Date },
): Promise<boolean> {
  const claimed = await db
    .update(homeTabs)
    .set({ publishedHash: hash, publishedAt: at })
    .where(
      and(
        eq(homeTabs.slackUserId, slackUserId),
        or(isNull(homeTabs.publishedHash), sql`${homeTabs.publishedHash} <> ${hash}`),
      ),
    )
    .returning({ slackUserId: homeTabs.slackUserId });
  return claimed.length > 0;
}

/** A publication that failed: the next refresh publishes again. */
export async function forgetPublication(
  db: Executor,
  { slackUserId, hash }: { slackUserId: string; hash: string },
) {
  await db
    .update(homeTabs)
    .set({ publishedHash: null })
    .where(and(eq(homeTabs.slackUserId, slackUserId), eq(homeTabs.publishedHash, hash)));
}

/** A user Slack no longer knows (deactivated, removed): their tab is no longer kept up to date. */
export async function forgetHomeUser(db: Executor, { slackUserId }: { slackUserId: string }) {
  await db.delete(homeTabs).where(eq(homeTabs.slackUserId, slackUserId));
}

/** Everyone whose Home tab the bot keeps up to date, in a stable order. */
export async function homeUsers(db: Executor, { among }: { among?: string[] } = {}): Promise<string[]> {
  if (among && among.length === 0) return [];
  const rows = await db
    .select({ slackUserId: homeTabs.slackUserId })
    .from(homeTabs)
    .where(among ? inArray(homeTabs.slackUserId, among) : undefined)
    .orderBy(asc(homeTabs.slackUserId));
  return rows.map((row) => row.slackUserId);
}

/**
 * Whose Home tab a change to a case may alter: its case officer and everyone holding a role for its
 * responsible body or for a body it is on remiss to. `responseId` names the case through its remissvar.
 */
export async function usersConcernedBy(
  db: Executor,
  target: { caseId: number } | { responseId: number },
): Promise<string[]> {
  const caseId =
    "caseId" in target
      ? sql`${target.caseId}::integer`
      : sql`(SELECT ${referrals.caseId} FROM ${referrals} JOIN ${referralResponses}
               ON ${referralResponses.referralId} = ${referrals.id}
              WHERE ${referralResponses.id} = ${target.responseId})`;
  const rows = rowsOf<{ slack_user_id: string }>(
    await db.execute(sql`
      WITH target AS (SELECT ${caseId} AS case_id)
      SELECT m.slack_user_id FROM ${memberships} m
       WHERE m.body_id IN (
         SELECT r.body_id FROM ${referrals} r, target WHERE r.case_id = target.case_id
         UNION SELECT c.responsible_body_id FROM ${cases} c, target WHERE c.id = target.case_id)
      UNION
      SELECT c.officer_slack_user_id FROM ${cases} c, target
       WHERE c.id = target.case_id AND c.officer_slack_user_id IS NOT NULL`),
  );
  return rows.map((row) => row.slack_user_id);
}
