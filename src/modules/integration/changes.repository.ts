import { sql } from "drizzle-orm";
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
  /** The stored jsonb as text: handed on as it is, parsed only when a restricted case's must be cut. */
  changesJson: string;
  /** The case the event belongs to (a case's own, or its referral's, response's, deadline's, timeline entry's). */
  owner: FeedCase | null;
};

export type FeedCase = { id: number; registry: string; dnr: string | null; restricted: boolean };

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

type RawRow = {
  id: number | null;
  txid: string | null;
  occurred_at: string | Date;
  actor_type: FeedRow["actorType"];
  actor_id: string;
  actor_name: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  changes: string;
  horizon: string;
  case_id: number | null;
  registry: string | null;
  dnr: string | null;
  restricted: boolean | null;
};

/**
 * The next events after `after`, in (transaction, event) order, of transactions older than every
 * transaction still running; and that horizon. Ids are drawn before commit, so a transaction that
 * started writing early may commit after a later one: nothing at or above the oldest running
 * transaction is handed out, so no reader's position can pass a change that commits late. Rows below
 * the horizon are final: every later transaction gets a larger id than every running one.
 * Transaction ids are numbered server-wide, but only this database's transactions can write its
 * events: a transaction known to run in another database (another application, another test file)
 * does not hold the horizon back. One whose database is unknown (it ended after the snapshot, or is
 * a prepared transaction) still does, until the next read.
 * The horizon is read in the same statement, hence from the same snapshot as the rows; each event's
 * case is found in the same statement too (one round trip for a page).
 */
export async function readFeed(
  db: Executor,
  { after, limit }: { after: FeedPosition; limit: number },
): Promise<{ rows: FeedRow[]; horizon: bigint }> {
  // The horizon is a scalar subquery (an InitPlan), so the page is an index range scan in (txid, id)
  // order that stops at `limit`; each event's case is looked up by primary key, row by row (LIMIT 1
  // keeps the planner from turning the lookup into a hash join over every case).
  const result = await db.execute(sql`
    WITH snapshot AS MATERIALIZED (SELECT pg_current_snapshot() AS s),
    horizon AS (
      SELECT (COALESCE(
        (SELECT min(x) FROM snapshot, pg_snapshot_xip(snapshot.s) AS x
          WHERE NOT EXISTS (
            SELECT 1 FROM pg_stat_activity b
             WHERE b.backend_xid = xid(x) AND b.datid IS NOT NULL
               AND b.datid <> (SELECT oid FROM pg_database WHERE datname = current_database()))),
        (SELECT pg_snapshot_xmax(s) FROM snapshot))::text)::bigint AS xmin
    ),
    page AS (
      SELECT a.*, CASE WHEN a.entity_id ~ '^[0-9]{1,9}$' THEN a.entity_id::integer END AS eid
        FROM ${auditEvents} a
       WHERE (a.txid, a.id) > (${after.txid.toString()}::bigint, ${after.id}::integer)
         AND a.txid < (SELECT xmin FROM horizon)
         AND a.entity_type IN (${sql.join(
           FEED_ENTITY_TYPES.map((type) => sql`${type}`),
           sql`, `,
         )})
       ORDER BY a.txid, a.id
       LIMIT ${limit}
    ),
    owned AS (
      SELECT p.*, CASE p.entity_type
          WHEN 'case' THEN p.eid
          WHEN 'referral' THEN (SELECT r.case_id FROM ${referrals} r WHERE r.id = p.eid)
          WHEN 'referral_response' THEN (
            SELECT r.case_id FROM ${referralResponses} rr JOIN ${referrals} r ON r.id = rr.referral_id
             WHERE rr.id = p.eid)
          WHEN 'deadline' THEN (SELECT d.case_id FROM ${deadlines} d WHERE d.id = p.eid)
          WHEN 'timeline_entry' THEN (SELECT t.case_id FROM ${timelineEntries} t WHERE t.id = p.eid)
        END AS owner_id
        FROM page p
    )
    SELECT o.id, o.txid::text AS txid, o.occurred_at, o.actor_type, o.actor_id, o.actor_name, o.action,
           o.entity_type, o.entity_id, o.changes::text AS changes, h.xmin::text AS horizon,
           c.id AS case_id, c.code AS registry, c.dnr, c.restricted
      FROM horizon h
      LEFT JOIN owned o ON true
      LEFT JOIN LATERAL (
        SELECT c.id, g.code, c.dnr, c.restricted
          FROM ${cases} c JOIN ${registries} g ON g.id = c.registry_id
         WHERE c.id = o.owner_id
         LIMIT 1
      ) c ON true
     ORDER BY o.txid, o.id`);
  // postgres.js returns the rows; PGlite wraps them in `{ rows }`.
  const list = (Array.isArray(result) ? result : (result as unknown as { rows: unknown[] }).rows) as RawRow[];
  const horizon = BigInt(list[0]?.horizon ?? "0");
  const rows: FeedRow[] = [];
  for (const row of list) {
    if (row.id === null || row.txid === null) continue;
    rows.push({
      id: Number(row.id),
      txid: BigInt(row.txid),
      occurredAt: row.occurred_at instanceof Date ? row.occurred_at : new Date(row.occurred_at),
      actorType: row.actor_type,
      actorId: row.actor_id,
      actorName: row.actor_name,
      action: row.action,
      entityType: row.entity_type,
      entityId: row.entity_id,
      changesJson: row.changes,
      owner:
        row.case_id === null
          ? null
          : {
              id: Number(row.case_id),
              registry: row.registry ?? "",
              dnr: row.dnr,
              restricted: row.restricted === true,
            },
    });
  }
  return { rows, horizon };
}
