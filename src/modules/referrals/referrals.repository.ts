import { and, asc, eq, inArray } from "drizzle-orm";
import type { Executor } from "../../db/client.js";
import { bodies, cases, deadlines, referrals } from "../../db/schema.js";

export type RemissBody = { id: number; code: string; name: string; slackChannelId: string | null };

export type NewOpenReferral = {
  caseId: number;
  bodyId: number;
  sentOn: string;
  dueOn: string;
  dueStatement: string;
};

/** The case's responsible body, whose registrators may send it on remiss; null when there is no such case. */
export async function findCaseResponsibleBody(
  db: Executor,
  caseId: number,
): Promise<{ responsibleBody: { id: number; name: string } | null } | null> {
  const [row] = await db
    .select({ caseId: cases.id, bodyId: bodies.id, bodyName: bodies.name })
    .from(cases)
    .leftJoin(bodies, eq(bodies.id, cases.responsibleBodyId))
    .where(eq(cases.id, caseId));
  if (!row) return null;
  return {
    responsibleBody:
      row.bodyId !== null && row.bodyName !== null ? { id: row.bodyId, name: row.bodyName } : null,
  };
}

/** Every body with the channel it answers in, by name: the choices of a remiss. */
export async function listRemissBodies(db: Executor): Promise<RemissBody[]> {
  return db
    .select({ id: bodies.id, code: bodies.code, name: bodies.name, slackChannelId: bodies.slackChannelId })
    .from(bodies)
    .orderBy(asc(bodies.name));
}

export async function findRemissBodies(db: Executor, ids: readonly number[]): Promise<RemissBody[]> {
  if (ids.length === 0) return [];
  return db
    .select({ id: bodies.id, code: bodies.code, name: bodies.name, slackChannelId: bodies.slackChannelId })
    .from(bodies)
    .where(inArray(bodies.id, [...ids]))
    .orderBy(asc(bodies.name));
}

/** The bodies that have an open remiss on the case (of `bodyIds` when given). */
export async function findOpenReferralBodyIds(
  db: Executor,
  caseId: number,
  bodyIds?: readonly number[],
): Promise<number[]> {
  if (bodyIds !== undefined && bodyIds.length === 0) return [];
  const rows = await db
    .select({ bodyId: referrals.bodyId })
    .from(referrals)
    .where(
      and(
        eq(referrals.caseId, caseId),
        eq(referrals.state, "open"),
        bodyIds === undefined ? undefined : inArray(referrals.bodyId, [...bodyIds]),
      ),
    );
  return rows.map((row) => row.bodyId);
}

/**
 * Inserts open referrals; a body that already has an open one on the case (the partial unique index
 * referrals_one_open_per_body_idx, also under a concurrent insert) is skipped, not an error, so the
 * caller sees which rows it lost and can roll back.
 */
export async function insertOpenReferralsIfAbsent(
  tx: Executor,
  rows: readonly NewOpenReferral[],
): Promise<{ id: number; bodyId: number }[]> {
  if (rows.length === 0) return [];
  return tx
    .insert(referrals)
    .values(rows.map((row) => ({ ...row, state: "open" as const })))
    .onConflictDoNothing()
    .returning({ id: referrals.id, bodyId: referrals.bodyId });
}

/** The referral_due deadline that watches each new referral. */
export async function insertReferralDeadlines(
  tx: Executor,
  rows: readonly { caseId: number; referralId: number; dueOn: string; basis: string }[],
): Promise<{ id: number; referralId: number }[]> {
  if (rows.length === 0) return [];
  const inserted = await tx
    .insert(deadlines)
    .values(rows.map((row) => ({ ...row, kind: "referral_due" as const, state: "open" as const })))
    .returning({ id: deadlines.id, referralId: deadlines.referralId });
  return inserted.map((row) => ({ id: row.id, referralId: row.referralId ?? 0 }));
}
