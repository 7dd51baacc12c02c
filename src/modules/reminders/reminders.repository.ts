import { and, asc, between, eq, isNotNull, notInArray, sql } from "drizzle-orm";
import type { Database } from "../../db/client.js";
import { bodies, caseIdentifiers, cases, referrals } from "../../db/schema.js";
import { FINISHED_STATUSES } from "../cases/case-kinds.js";

/** An open remiss whose answering body has a Slack channel; only what may be shown in a channel. */
export type ReminderCandidate = {
  referralId: number;
  dueOn: string;
  caseId: number;
  dnr: string | null;
  /** The case's first other identifier ("Motion 2016:114"), for a case without a dnr. */
  identifier: string | null;
  /** Always the public title: a reminder is posted in a channel. */
  publicTitle: string;
  bodyName: string;
  channelId: string;
};

/**
 * Open remisser due between `from` and `to` (inclusive, "YYYY-MM-DD") whose body has a channel. The
 * jobs ask for today up to today plus the largest reminder threshold, so the range scan uses
 * referrals_state_due_idx.
 */
export async function listReminderCandidates(
  db: Database,
  { from, to }: { from: string; to: string },
): Promise<ReminderCandidate[]> {
  const rows = await db
    .select({
      referralId: referrals.id,
      dueOn: referrals.dueOn,
      caseId: cases.id,
      dnr: cases.dnr,
      identifier: sql<string | null>`(
        select ${caseIdentifiers.display} from ${caseIdentifiers}
        where ${caseIdentifiers.caseId} = ${cases.id}
        order by ${caseIdentifiers.id} limit 1
      )`,
      publicTitle: cases.publicTitle,
      bodyName: bodies.name,
      channelId: bodies.slackChannelId,
    })
    .from(referrals)
    .innerJoin(cases, eq(cases.id, referrals.caseId))
    .innerJoin(bodies, eq(bodies.id, referrals.bodyId))
    .where(
      and(
        eq(referrals.state, "open"),
        between(referrals.dueOn, from, to),
        isNotNull(bodies.slackChannelId),
        // A finished case needs no more answers, whatever the remiss row says.
        notInArray(cases.status, [...FINISHED_STATUSES]),
      ),
    )
    .orderBy(asc(referrals.dueOn), asc(referrals.id));
  return rows.flatMap((row) =>
    row.dueOn && row.channelId ? [{ ...row, dueOn: row.dueOn, channelId: row.channelId }] : [],
  );
}
