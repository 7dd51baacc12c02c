import type { RequestContext } from "../shared/context.js";
import type { DigestFilter } from "./digest.js";
import { isLate, latestScheduledRun } from "./digest-schedule.js";
import { filterOf } from "./digest-settings.js";
import { listActiveSubscriptions, type SubscriptionRow } from "./subscriptions.repository.js";

/** The digest a subscription owes now: its current period, and whether it comes late. */
export type DueDigest = {
  subscriptionId: number;
  channelId: string;
  /** The run's period; with the subscription it keys the post, so each period is posted once. */
  period: string;
  late: boolean;
  postWhenEmpty: boolean;
  filter: DigestFilter;
};

/**
 * For each active subscription, its current run: the latest scheduled time at or before now by the
 * context's clock. Whether that run is already posted is for postOnce to find out; a subscription
 * whose first run is still ahead owes nothing.
 */
export async function listDueDigests(ctx: Pick<RequestContext, "db" | "clock">): Promise<DueDigest[]> {
  const now = ctx.clock.now();
  const due: DueDigest[] = [];
  for (const subscription of await listActiveSubscriptions(ctx.db)) {
    const run = latestScheduledRun(scheduleOf(subscription), now);
    if (!run) continue;
    due.push({
      subscriptionId: subscription.id,
      channelId: subscription.channelId,
      period: run.period,
      late: isLate(run.scheduledAt, now),
      postWhenEmpty: subscription.postWhenEmpty,
      filter: filterOf(subscription),
    });
  }
  return due;
}

/**
 * The schedule counts from the subscription's last change, not its creation: a subscription moved
 * from Monday to Tuesday on a Wednesday must not post "yesterday's" Tuesday digest at once either.
 */
function scheduleOf(subscription: SubscriptionRow) {
  const since = Math.max(subscription.createdAt.getTime(), subscription.updatedAt.getTime());
  return { weekday: subscription.weekday, time: subscription.time, since: new Date(since) };
}
