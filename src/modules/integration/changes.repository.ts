import { and, asc, eq, inArray, sql } from "drizzle-orm";
import type { Executor } from "../../db/client.js";
import {
  auditEvents,
  cases,
  deadlines,
  referralResponses,
  referrals,
  registries,
  timelineEntries,
} from "../../db/schema.js";

/** Where a reader of the feed stands: after this transaction's event (0.0 before everything). */
export type FeedPosition = { txid: bigint; id: number };

export type FeedRow = {
  id: number;
  txid: bigint;
  occurredAt: Date;
  actorType: "slack_user" | "system" | "import" | "cli" | "api_token";
  actorId: string;
  actorName: string | null;
  action: string;
  entityType: string;
  entityId: string;
  changes: Record<string, unknown>;
};

/** The registry's own data; slack posts, subscriptions, roles and tokens are not what integrations sync. */
export const FEED_ENTITY_TYPES = [
  "registry",
  "body",
  "case",
  "referral",
  "referral_response",
  "deadline",
  "timeline_entry",
] as const;

/**
 * The next events after `after`, in (transaction, event) order, of transactions older than every
 * transaction still running; and that horizon. Ids are drawn before commit, so a transaction that
 * started writing early may commit after a later one: nothing at or above the oldest running
 * transaction is handed out, so no reader's position can pass a change that commits late. Rows below
 * the horizon are final: every later transaction gets a larger id than every running one.
 * The horizon is read in the same statement, hence from the same snapshot as the rows.
 */
export async function readFeed(
  db: Executor,
  { after, limit }: { after: FeedPosition; limit: number },
): Promise<{ rows: FeedRow[]; horizon: bigint }> {
  const result = await db.execute<{
    id: number;
    txid: string;
    occurred_at: string | Date;
    actor_type: FeedRow["actorType"];
    actor_id: string;
    actor_name: string | null;
    action: string;
    entity_type: string;
    entity_id: string;
    changes: Record<string, unknown> | string;
    horizon: string;
  }>(sql`
    WITH horizon AS (SELECT (pg_snapshot_xmin(pg_current_snapshot())::text)::bigint AS xmin)
    SELECT e.id, e.txid::text AS txid, e.occurred_at, e.actor_type, e.actor_id, e.actor_name, e.action,
           e.entity_type, e.entity_id, e.changes, h.xmin::text AS horizon
      FROM horizon h
      LEFT JOIN LATERAL (
        SELECT * FROM ${auditEvents} a
         WHERE (a.txid, a.id) > (${after.txid.toString()}::bigint, ${after.id}::integer)
           AND a.txid < h.xmin
           AND a.entity_type IN (${sql.join(
             FEED_ENTITY_TYPES.map((type) => sql`${type}`),
             sql`, `,
           )})
         ORDER BY a.txid, a.id
         LIMIT ${limit}
      ) e ON true
     ORDER BY e.txid::bigint, e.id`);
  const raw = Array.isArray(result) ? result : (result as { rows: unknown[] }).rows;
  const list = raw as {
    id: number | null;
    txid: string | null;
    occurred_at: string | Date;
    actor_type: FeedRow["actorType"];
    actor_id: string;
    actor_name: string | null;
    action: string;
    entity_type: string;
    entity_id: string;
    changes: Record<string, unknown> | string;
    horizon: string;
  }[];
  const horizon = BigInt(list[0]?.horizon ?? "0");
  const rows = list
    .filter((row) => row.id !== null && row.txid !== null)
    .map(
      (row): FeedRow => ({
        id: Number(row.id),
        txid: BigInt(row.txid as string),
        occurredAt: row.occurred_at instanceof Date ? row.occurred_at : new Date(row.occurred_at),
        actorType: row.actor_type,
        actorId: row.actor_id,
        actorName: row.actor_name,
        action: row.action,
        entityType: row.entity_type,
        entityId: row.entity_id,
        changes: typeof row.changes === "string" ? JSON.parse(row.changes) : row.changes,
      }),
    );
  return { rows, horizon };
}

export type FeedCase = { id: number; registry: string; dnr: string | null; restricted: boolean };

/**
 * The case each event belongs to, by entity: a case itself, or the case of a referral, a response, a
 * deadline or a timeline entry. Registries and bodies belong to none.
 */
export async function casesOfEntities(
  db: Executor,
  entities: readonly { type: string; id: string }[],
): Promise<Map<string, FeedCase>> {
  const ids = (type: string) => [
    ...new Set(
      entities
        .filter((entity) => entity.type === type && /^\d{1,9}$/.test(entity.id))
        .map((entity) => Number(entity.id)),
    ),
  ];
  const caseOf = new Map<string, number>();
  const [referralRows, responseRows, deadlineRows, timelineRows] = await Promise.all([
    someOrNone(ids("referral"), (list) =>
      db
        .select({ id: referrals.id, caseId: referrals.caseId })
        .from(referrals)
        .where(inArray(referrals.id, list)),
    ),
    someOrNone(ids("referral_response"), (list) =>
      db
        .select({ id: referralResponses.id, caseId: referrals.caseId })
        .from(referralResponses)
        .innerJoin(referrals, eq(referrals.id, referralResponses.referralId))
        .where(inArray(referralResponses.id, list)),
    ),
    someOrNone(ids("deadline"), (list) =>
      db
        .select({ id: deadlines.id, caseId: deadlines.caseId })
        .from(deadlines)
        .where(inArray(deadlines.id, list)),
    ),
    someOrNone(ids("timeline_entry"), (list) =>
      db
        .select({ id: timelineEntries.id, caseId: timelineEntries.caseId })
        .from(timelineEntries)
        .where(inArray(timelineEntries.id, list)),
    ),
  ]);
  for (const id of ids("case")) caseOf.set(`case:${id}`, id);
  for (const row of referralRows) caseOf.set(`referral:${row.id}`, row.caseId);
  for (const row of responseRows) caseOf.set(`referral_response:${row.id}`, row.caseId);
  for (const row of deadlineRows) caseOf.set(`deadline:${row.id}`, row.caseId);
  for (const row of timelineRows) caseOf.set(`timeline_entry:${row.id}`, row.caseId);

  const caseRows = await someOrNone([...new Set(caseOf.values())], (list) =>
    db
      .select({ id: cases.id, registry: registries.code, dnr: cases.dnr, restricted: cases.restricted })
      .from(cases)
      .innerJoin(registries, eq(registries.id, cases.registryId))
      .where(and(inArray(cases.id, list)))
      .orderBy(asc(cases.id)),
  );
  const byId = new Map(caseRows.map((row) => [row.id, row]));
  const found = new Map<string, FeedCase>();
  for (const [key, caseId] of caseOf) {
    const row = byId.get(caseId);
    if (row) found.set(key, row);
  }
  return found;
}

async function someOrNone<T>(list: number[], query: (list: number[]) => Promise<T[]>): Promise<T[]> {
  return list.length === 0 ? [] : query(list);
}
