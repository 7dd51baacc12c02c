import { may } from "../access/permissions.js";
import { recordAudit } from "../audit/audit.repository.js";
import type { RequestContext, SlackActor } from "../shared/context.js";
import { type DigestSettings, describeSubscription, digestError } from "./digest-settings.js";
import { DIGEST_ERRORS, type DigestError } from "./errors.js";
import { snapshot } from "./subscribe-channel.js";
import { deactivateSubscription } from "./subscriptions.repository.js";

export type UnsubscribeResult = { ok: true; ended: DigestSettings } | { ok: false; error: DigestError };

/**
 * `/arende digest avsluta`: ends the channel's subscription; the row stays, inactive, for the audit
 * trail and for a later `prenumerera`. Two at once end it once; the other learns it was not subscribed.
 */
export async function unsubscribeChannel(
  ctx: RequestContext<SlackActor>,
  { channelId }: { channelId: string },
): Promise<UnsubscribeResult> {
  const { db, clock, actor } = ctx;
  const roles = await ctx.roles();
  if (!may(roles, "configure_digests")) return digestError({ code: DIGEST_ERRORS.notAllowed });
  const at = clock.now();

  return db.transaction(async (tx) => {
    const ended = await deactivateSubscription(tx, channelId, at);
    if (!ended) return digestError({ code: DIGEST_ERRORS.notSubscribed });
    await recordAudit(tx, {
      actor,
      at,
      entries: [
        {
          action: "digest_subscription.ended",
          entityType: "digest_subscription",
          entityId: ended.id,
          changes: { active: { from: true, to: false }, channel_id: channelId, ...snapshot(ended) },
        },
      ],
    });
    return { ok: true, ended: await describeSubscription(tx, ended) };
  });
}
