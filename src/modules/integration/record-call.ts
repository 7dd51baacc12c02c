import { recordAudit } from "../audit/audit.repository.js";
import type { ApiTokenActor, RequestContext } from "../shared/context.js";

export type ApiCall = {
  method: string;
  /** The path without its query; a case's identifier as sent. */
  path: string;
  status: number;
  /** The query (the feed's cursor and page size), when there was one. */
  query?: string;
};

/**
 * Every call a token makes is audited with the token as the actor, whatever its answer. What a PUT
 * wrote is audited besides, item by item, in each item's own transaction. These events belong to
 * the token (entity api_token), not to a case: the change feed and a case's history leave them out.
 */
export async function recordApiCall(ctx: RequestContext<ApiTokenActor>, call: ApiCall): Promise<void> {
  await ctx.db.transaction((tx) =>
    recordAudit(tx, {
      actor: ctx.actor,
      at: ctx.clock.now(),
      entries: [
        {
          action: "api_token.called",
          entityType: "api_token",
          entityId: ctx.actor.tokenId,
          changes: { ...call },
        },
      ],
    }),
  );
}
