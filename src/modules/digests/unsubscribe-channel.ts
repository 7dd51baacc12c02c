import type { Clock } from "../../clock.js";
import type { Database } from "../../db/client.js";
import { may, refusal } from "../access/permissions.js";
import { rolesOf } from "../access/roles.js";
import { recordAudit } from "../audit/audit.repository.js";
import type { Actor } from "../shared/actor.js";
import {
  type DigestError,
  type DigestSettings,
  describeSubscription,
  digestError,
} from "./digest-settings.js";
import { type SlackUser, snapshot } from "./subscribe-channel.js";
import { deactivateSubscription } from "./subscriptions.repository.js";

export type UnsubscribeResult = { ok: true; ended: DigestSettings } | { ok: false; error: DigestError };

export const NOT_SUBSCRIBED_MESSAGE =
  "Den här kanalen får inget utskick av veckans förseningar, så det finns inget att avsluta. Vill du börja, skriv `/arende digest prenumerera`.";

/**
 * `/arende digest avsluta`: ends the channel's subscription; the row stays, inactive, for the audit
 * trail and for a later `prenumerera`. Two at once end it once; the other learns it was not subscribed.
 */
export async function unsubscribeChannel({
  db,
  clock,
  admins,
  channelId,
  by,
}: {
  db: Database;
  clock: Clock;
  /** ARENDE_ADMINS: admins without a stored role. */
  admins: readonly string[];
  channelId: string;
  by: SlackUser;
}): Promise<UnsubscribeResult> {
  const roles = await rolesOf({ db, slackUserId: by.userId, bootstrapAdmins: admins });
  if (!may(roles, "configure_digests"))
    return digestError("digests.not_allowed", refusal("configure_digests"));
  const actor: Actor = { type: "slack_user", userId: by.userId, ...(by.name ? { name: by.name } : {}) };
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
