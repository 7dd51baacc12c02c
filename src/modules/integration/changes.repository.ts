import { sql } from "drizzle-orm";
import { type Executor, executePreparedBytes } from "../../db/client.js";
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

/** What the public may read of a restricted case's change (README, "History"): besides these, dates (`…_on`). */
export const PUBLIC_FIELDS = [
  "dnr",
  "identifiers",
  "public_title",
  "registry",
  "kind",
  "state",
  "approval_state",
] as const;

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

/** A page of the feed: its changes as JSON text (the array's items), how many, and the horizon. */
export type FeedPage = {
  /** The changes, comma-separated JSON objects, oldest first, in UTF-8 (see readFeed for their shape). */
  changesJson: Buffer;
  count: number;
  /** The last change's position; null when the page is empty. */
  last: FeedPosition | null;
  horizon: bigint;
};

/**
 * The common table expressions `snapshot` and `horizon` (its one column `xmin`): the id below which
 * every transaction of this database has ended (see readFeed). Shared with whoever else reads the
 * audit trail in feed order (the follow notices), so both wait for the same late commits.
 */
export const HORIZON_CTES = sql`snapshot AS MATERIALIZED (SELECT pg_current_snapshot() AS s),
    horizon AS (
      SELECT (COALESCE(
        (SELECT min(x) FROM snapshot, pg_snapshot_xip(snapshot.s) AS x
          WHERE NOT EXISTS (
            SELECT 1 FROM pg_stat_activity b
             WHERE b.backend_xid = xid(x) AND b.datid IS NOT NULL
               AND b.datid <> (SELECT oid FROM pg_database WHERE datname = current_database()))),
        (SELECT pg_snapshot_xmax(s) FROM snapshot))::text)::bigint AS xmin
    )`;

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
): Promise<FeedPage> {
  // The horizon is a scalar subquery (an InitPlan), so the page is an index range scan in (txid, id)
  // order that stops at `limit`; each event's case is looked up by primary key, row by row (LIMIT 1
  // keeps the planner from turning the lookup into a hash join over every case). The database writes
  // each change's JSON and joins them: a page of 1,000 changes is one text value, which the bot hands
  // on as it is, rather than 1,000 rows to parse and 1,000 objects to write again (the bot's CPU per
  // page was most of a page's time). An event read in full is mostly its own `feed_json`, written
  // with it (recordAudit): writing each event's JSON here again was two thirds of the page's time.
  //
  // Each change as the integration may read it (audienceFor with the INTEGRATION reader): an event of
  // a restricted case, or of a case that is gone, is "public": the actor's type only, and of its
  // changes only PUBLIC_FIELDS and dates. Registry and body events, and open cases', are "full".
  const publicFields = sql.join(
    PUBLIC_FIELDS.map((field) => sql`${field}`),
    sql`, `,
  );
  const page = sql`
    WITH ${HORIZON_CTES},
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
    ),
    seen AS (
      SELECT o.*, c.id AS case_id,
             CASE WHEN c.id IS NULL THEN 'null' ELSE
               '{"id":' || c.id || ',"registry":' || to_json(c.code)::text
               || ',"dnr":' || coalesce(to_json(c.dnr)::text, 'null') || ',"restricted":' || c.restricted || '}'
             END AS case_json,
             NOT (o.entity_type NOT IN ('registry', 'body') AND (c.id IS NULL OR c.restricted)) AS in_full
        FROM owned o
        LEFT JOIN LATERAL (
          SELECT c.id, g.code, c.dnr, c.restricted
            FROM ${cases} c JOIN ${registries} g ON g.id = c.registry_id
           WHERE c.id = o.owner_id
           LIMIT 1
        ) c ON true
    )
    SELECT h.xmin::text AS horizon, count(s.id) AS count,
           max(s.txid)::text AS last_txid,
           max(s.id) FILTER (WHERE s.txid = (SELECT max(txid) FROM page)) AS last_id,
           string_agg('{"cursor":"' || s.txid || '.' || s.id || '","id":' || s.id || CASE
             WHEN s.in_full AND s.feed_json IS NOT NULL THEN
               ',' || s.feed_json || ',"case":' || s.case_json
               || ',"audience":"full"}'
             ELSE
             ',"at":"' || to_char(s.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
             || '","actor":{"type":"' || s.actor_type || '"'
             || CASE WHEN s.in_full
                  THEN ',"id":' || to_json(s.actor_id)::text || ',"name":' || coalesce(to_json(s.actor_name)::text, 'null')
                  ELSE '' END
             || '},"action":' || to_json(s.action)::text
             || ',"entity":{"type":' || to_json(s.entity_type)::text || ',"id":' || to_json(s.entity_id)::text
             || '},"case":' || s.case_json
             || ',"audience":"' || CASE WHEN s.in_full THEN 'full' ELSE 'public' END
             || '","changes":' || CASE WHEN s.in_full THEN s.changes ELSE (
               SELECT coalesce(jsonb_object_agg(e.key, e.value), '{}'::jsonb)
                 FROM jsonb_each(CASE WHEN jsonb_typeof(s.changes) = 'object' THEN s.changes ELSE '{}'::jsonb END) e
                WHERE e.key IN (${publicFields}) OR e.key LIKE '%\\_on') END::text
             || '}' END, ',' ORDER BY s.txid, s.id) FILTER (WHERE s.id IS NOT NULL) AS changes
      FROM horizon h LEFT JOIN seen s ON true
     GROUP BY h.xmin`;
  // Bytes as the database sent them: the changes go out as they came in (executePreparedBytes).
  const [row] = await executePreparedBytes(db, page);
  const [horizon = null, count = null, lastTxid = null, lastId = null, changes = null] = row ?? [];
  const changed = Number(count?.toString() ?? 0);
  return {
    changesJson: changes ?? Buffer.alloc(0),
    count: changed,
    last:
      changed > 0 && lastTxid && lastId
        ? { txid: BigInt(lastTxid.toString()), id: Number(lastId.toString()) }
        : null,
    horizon: BigInt(horizon?.toString() ?? "0"),
  };
}
