import type { RequestContext } from "../shared/context.js";
import { type DigestSettings, describeSubscription } from "./digest-settings.js";
import { findSubscriptionByChannel } from "./subscriptions.repository.js";

/** `/arende digest inställningar`: the channel's active subscription, or null. Anyone may ask. */
export async function getDigestSettings(
  { db }: Pick<RequestContext, "db">,
  { channelId }: { channelId: string },
): Promise<DigestSettings | null> {
  const row = await findSubscriptionByChannel(db, channelId);
  return row?.active ? describeSubscription(db, row) : null;
}
