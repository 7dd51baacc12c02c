import { may, refusal } from "../access/permissions.js";
import { recordAudit } from "../audit/audit.repository.js";
import type { RequestContext, SlackActor } from "../shared/context.js";
import {
  type DigestError,
  type DigestSettings,
  describeSubscription,
  digestError,
} from "./digest-settings.js";
import { snapshot } from "./subscribe-channel.js";
import { deactivateSubscription } from "./subscriptions.repository.js";

export type UnsubscribeResult = { ok: true; ended: DigestSettings } | { ok: false; error: DigestError };

export const NOT_SUBSCRIBED_MESSAGE =
  "Den här kanalen får inget utskick av veckans förseningar, så det finns inget att avsluta. Vill du börja, skriv `/arende digest prenumerera`.";

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
  if (!may(roles, "configure_digests"))
    return digestError("digests.not_allowed", refusal("configure_digests"));
  const at = clock.now();

  return db.transaction(async (tx) => {
    const ended = await deactivateSubscription(tx, channelId, at);
    if (!ended) return digestError("digests.not_subscribed", NOT_SUBSCRIBED_MESSAGE);
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
