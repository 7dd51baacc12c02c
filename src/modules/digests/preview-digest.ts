import { today } from "../../clock.js";
import type { RequestContext } from "../shared/context.js";
import { buildDigest } from "./build-digest.js";
import { ALL_CASES, type Digest } from "./digest.js";
import { type DigestSettings, describeSubscription, filterOf } from "./digest-settings.js";
import { findSubscriptionByChannel } from "./subscriptions.repository.js";

export type DigestPreview = {
  digest: Digest;
  /** The channel's active subscription whose filter was used, or null: then every case is covered. */
  settings: DigestSettings | null;
};

/**
 * `/arende digest visa`: the digest as it would be posted now, as of today in Stockholm by the
 * context's clock, with the channel's filter or, without a subscription, for every case. Reads only;
 * anyone may ask.
 */
export async function previewDigest(
  { db, clock }: Pick<RequestContext, "db" | "clock">,
  { channelId }: { channelId: string },
): Promise<DigestPreview> {
  const row = await findSubscriptionByChannel(db, channelId);
  const subscription = row?.active ? row : null;
  const [digest, settings] = await Promise.all([
    buildDigest({ db, today: today(clock), filter: subscription ? filterOf(subscription) : ALL_CASES }),
    subscription ? describeSubscription(db, subscription) : Promise.resolve(null),
  ]);
  return { digest, settings };
}
