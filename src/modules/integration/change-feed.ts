import type { z } from "zod";
import { type Audience, audienceFor, INTEGRATION } from "../cases/audience.js";
import type { RequestContext } from "../shared/context.js";
import { type changeSchema, DEFAULT_CHANGES_PER_PAGE, MAX_CHANGES_PER_PAGE } from "./api-schemas.js";
import { casesOfEntities, type FeedPosition, type FeedRow, readFeed } from "./changes.repository.js";

export type Change = z.input<typeof changeSchema>;
export type ChangesPage = { changes: Change[]; next: string };

const START: FeedPosition = { txid: 0n, id: 0 };
/** Above every event id (an int4): a position after every event of its transaction. */
const END_OF_TRANSACTION = 2_147_483_647;

export function formatCursor(position: FeedPosition): string {
  return `${position.txid}.${position.id}`;
}

/** A cursor as `cursorSchema` admits it ("<digits>.<digits>"). */
export function parseCursor(cursor: string | undefined): FeedPosition {
  if (cursor === undefined) return START;
  const [txid = "0", id = "0"] = cursor.split(".");
  return { txid: BigInt(txid), id: Math.min(Number(id), END_OF_TRANSACTION) };
}

/**
 * `GET /api/v1/changes`: every audited change to the registry's data (in Slack, by an import or sync,
 * in the terminal, through this API), oldest first, a page at a time. Resumable: `next` is where the
 * page ended. A page that is not full has read everything committed below the horizon (see readFeed),
 * so its `next` moves past it, and a reader polling an idle registry never reads the same rows again.
 * A restricted case's changes are shown as the public sees its history: which step, when, from
 * where (the actor's type only) and the dates, dnr, identifiers and public title it changed.
 */
export async function readChanges(
  ctx: Pick<RequestContext, "db">,
  { after, limit = DEFAULT_CHANGES_PER_PAGE }: { after?: string; limit?: number },
): Promise<ChangesPage> {
  const from = parseCursor(after);
  const size = Math.min(Math.max(1, Math.trunc(limit)), MAX_CHANGES_PER_PAGE);
  const { rows, horizon } = await readFeed(ctx.db, { after: from, limit: size });
  const owners = await casesOfEntities(
    ctx.db,
    rows.map((row) => ({ type: row.entityType, id: row.entityId })),
  );
  const changes = rows.map((row) => change(row, owners.get(`${row.entityType}:${row.entityId}`) ?? null));
  const last = rows.at(-1);
  let next: FeedPosition = last ? { txid: last.txid, id: last.id } : from;
  if (rows.length < size && horizon > 0n) {
    // Everything below the horizon has been read: the next page starts at the horizon.
    const caughtUp: FeedPosition = { txid: horizon - 1n, id: END_OF_TRANSACTION };
    if (caughtUp.txid > next.txid) next = caughtUp;
  }
  return { changes, next: formatCursor(next) };
}

function change(
  row: FeedRow,
  owner: { id: number; registry: string; dnr: string | null; restricted: boolean } | null,
): Change {
  const belongsToCase = row.entityType !== "registry" && row.entityType !== "body";
  // An event whose case is gone (or unknown) is shown as a restricted one: nothing says it was not.
  const audience: Audience =
    belongsToCase && owner === null ? "public" : owner ? audienceFor(INTEGRATION, owner) : "full";
  return {
    cursor: formatCursor({ txid: row.txid, id: row.id }),
    id: row.id,
    at: row.occurredAt.toISOString(),
    actor:
      audience === "full"
        ? { type: row.actorType, id: row.actorId, name: row.actorName }
        : { type: row.actorType },
    action: row.action,
    entity: { type: row.entityType, id: row.entityId },
    case: owner,
    audience,
    changes: audience === "full" ? row.changes : publicChanges(row.changes),
  };
}

/** What the public may read of a change (README, "History"): dates, the dnr, identifiers, the public title. */
const PUBLIC_FIELDS = new Set([
  "dnr",
  "identifiers",
  "public_title",
  "registry",
  "kind",
  "state",
  "approval_state",
]);

function publicChanges(changes: Record<string, unknown>): Record<string, unknown> {
  const kept: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(changes)) {
    if (PUBLIC_FIELDS.has(field) || field.endsWith("_on")) kept[field] = value;
  }
  return kept;
}
