import type { RequestContext } from "../shared/context.js";
import { claimReceipts } from "./receipts.repository.js";

/**
 * Whether this delivery of a Slack request is the first: true only if every key (its event_id, its
 * channel and message ts …) was new, on any replica. A retry or a double delivery gets false and is
 * not answered again.
 */
export function claimSlackDelivery(
  { db, clock }: Pick<RequestContext, "db" | "clock">,
  { keys }: { keys: string[] },
): Promise<boolean> {
  return claimReceipts(db, keys, clock.now());
}
