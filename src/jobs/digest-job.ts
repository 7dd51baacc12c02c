import { type Clock, today } from "../clock.js";
import type { Database } from "../db/client.js";
import type { DeadlineRules } from "../modules/deadlines/deadline-rules.js";
import { buildDigest } from "../modules/digests/build-digest.js";
import { isLate, latestScheduledRun } from "../modules/digests/digest-schedule.js";
import { filterOf } from "../modules/digests/digest-settings.js";
import {
  listActiveSubscriptions,
  type SubscriptionRow,
} from "../modules/digests/subscriptions.repository.js";
import { type PostOutcome, postOnce } from "../modules/posting/post-once.js";
import type { Poster } from "../modules/posting/poster.js";
import type { Actor } from "../modules/shared/actor.js";
import { log as processLog } from "../observability/logger.js";
import { digestMessages } from "../slack/blocks/digest.js";

export const DIGEST_JOB = "digests";

export type PostingJobDeps = {
  db: Database;
  clock: Clock;
  poster: Poster;
  instanceId: string;
  log?: (line: string) => void;
};

export type RunReport = Partial<Record<PostOutcome, number>>;

/**
 * Runs every minute and once at start-up. For each active subscription it asks which run is current
 * (the latest scheduled time at or before now) and posts that period's digest through postOnce, so
 * a run posts each period once whoever runs it, and a bot that was down catches up on start-up, with
 * the late marker, as long as the period is current. An empty digest with "utan-tomma" is marked
 * posted without a message, so it is not rebuilt every minute.
 */
export async function runDueDigests({
  db,
  clock,
  poster,
  instanceId,
  deadlineRules,
  log,
}: PostingJobDeps & { deadlineRules?: DeadlineRules }): Promise<RunReport> {
  const now = clock.now();
  const subscriptions = await listActiveSubscriptions(db);
  const actor: Actor = { type: "system", job: DIGEST_JOB };
  const report: RunReport = {};
  // One subscription per channel, so digests run side by side; the poster paces each channel.
  await inParallel(subscriptions, 4, async (subscription) => {
    const run = latestScheduledRun(scheduleOf(subscription), now);
    if (!run) return;
    try {
      const outcome = await postOnce({
        db,
        clock,
        poster,
        instanceId,
        actor,
        key: digestKey(subscription.id, run.period),
        kind: "digest",
        subjectId: subscription.id,
        period: run.period,
        channelId: subscription.channelId,
        late: isLate(run.scheduledAt, now),
        build: async ({ late }) => {
          const digest = await buildDigest({ db, today: today(clock), filter: filterOf(subscription) });
          const options = { late, postWhenEmpty: subscription.postWhenEmpty };
          return {
            messages: digestMessages(digest, deadlineRules ? { ...options, rules: deadlineRules } : options),
            itemCount: digest.total,
          };
        },
        ...(log ? { log } : {}),
      });
      report[outcome] = (report[outcome] ?? 0) + 1;
    } catch (error) {
      // One channel's trouble (the database went away mid-post) must not stop the others.
      if (log) log(`Digest for ${subscription.channelId} (period ${run.period}) failed: ${error}`);
      else
        processLog().error(
          { err: error, channel: subscription.channelId, period: run.period },
          "digest failed",
        );
      report.failed = (report.failed ?? 0) + 1;
    }
  });
  return report;
}

export function digestKey(subscriptionId: number, period: string): string {
  return `digest:${subscriptionId}:${period}`;
}

/**
 * The schedule counts from the subscription's last change, not its creation: a subscription moved
 * from Monday to Tuesday on a Wednesday must not post "yesterday's" Tuesday digest at once either.
 */
function scheduleOf(subscription: SubscriptionRow) {
  const since = Math.max(subscription.createdAt.getTime(), subscription.updatedAt.getTime());
  return { weekday: subscription.weekday, time: subscription.time, since: new Date(since) };
}

/** Runs `work` over `items`, at most `limit` at a time. */
export async function inParallel<T>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
