import type { z } from "zod";
import { type Audience, audienceFor, INTEGRATION } from "../cases/audience.js";
import type { RequestContext } from "../shared/context.js";
import { type changeSchema, DEFAULT_CHANGES_PER_PAGE, MAX_CHANGES_PER_PAGE } from "./api-schemas.js";
import { type FeedPosition, type FeedRow, readFeed } from "./changes.repository.js";

/** A change as answered; its `changes` kept as the stored JSON text, to be handed on as it is. */
export type Change = Omit<z.input<typeof changeSchema>, "changes"> & { changes: RawJson };
export type ChangesPage = { changes: Change[]; next: string };

/**
 * JSON text passed through unparsed: a page of 1,000 changes holds most of a megabyte of payloads,
 * which would otherwise be parsed and written again for nothing. `toJSON` keeps JSON.stringify right.
 */
export class RawJson {
  constructor(readonly text: string) {}
  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}

/** The page as JSON text, each change's payload spliced in as stored. */
export function changesPageJson(page: ChangesPage): string {
  const changes = page.changes.map((change) => {
    const { changes: payload, ...envelope } = change;
    return `${JSON.stringify(envelope).slice(0, -1)},"changes":${payload.text}}`;
  });
  return `{"changes":[${changes.join(",")}],"next":${JSON.stringify(page.next)}}`;
}

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
  const changes = rows.map(change);
  const last = rows.at(-1);
  let next: FeedPosition = last ? { txid: last.txid, id: last.id } : from;
  if (rows.length < size && horizon > 0n) {
    // Everything below the horizon has been read: the next page starts at the horizon.
    const caughtUp: FeedPosition = { txid: horizon - 1n, id: END_OF_TRANSACTION };
    if (caughtUp.txid > next.txid) next = caughtUp;
  }
  return { changes, next: formatCursor(next) };
}

function change(row: FeedRow): Change {
  const owner = row.owner;
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
    changes:
      audience === "full"
        ? new RawJson(row.changesJson)
        : new RawJson(JSON.stringify(publicChanges(row.changesJson))),
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

function publicChanges(json: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(json);
  const changes = typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? parsed : {};
  const kept: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(changes)) {
    if (PUBLIC_FIELDS.has(field) || field.endsWith("_on")) kept[field] = value;
  }
  return kept;
}
