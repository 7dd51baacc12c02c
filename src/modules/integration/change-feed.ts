import type { RequestContext } from "../shared/context.js";
import { DEFAULT_CHANGES_PER_PAGE, MAX_CHANGES_PER_PAGE } from "./api-schemas.js";
import { type FeedPosition, readFeed } from "./changes.repository.js";

/**
 * A page as answered: the changes as UTF-8 JSON text, made by the database (see readFeed), handed on
 * as they are; each is a `changeSchema` object (api-schemas.ts).
 */
export type ChangesPage = { changesJson: Buffer; count: number; next: string };

/** The page as the API's JSON text, in UTF-8. */
export function changesPageJson(page: ChangesPage): Buffer {
  return Buffer.concat([
    Buffer.from('{"changes":['),
    page.changesJson,
    Buffer.from(`],"next":${JSON.stringify(page.next)}}`),
  ]);
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
  const { changesJson, count, last, horizon } = await readFeed(ctx.db, { after: from, limit: size });
  let next: FeedPosition = last ?? from;
  if (count < size && horizon > 0n) {
    // Everything below the horizon has been read: the next page starts at the horizon.
    const caughtUp: FeedPosition = { txid: horizon - 1n, id: END_OF_TRANSACTION };
    if (caughtUp.txid > next.txid) next = caughtUp;
  }
  return { changesJson, count, next: formatCursor(next) };
}
