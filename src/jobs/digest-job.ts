import type { DeadlineRules } from "../modules/deadlines/deadline-rules.js";
import { type DueDigest, listDueDigests } from "../modules/digests/due-digests.js";
import { getDigest } from "../modules/digests/get-digest.js";
import { type PostOutcome, postOnce } from "../modules/posting/post-once.js";
import type { Poster } from "../modules/posting/poster.js";
import type { RequestContext, SystemActor } from "../modules/shared/context.js";
import { log as processLog } from "../observability/logger.js";
import { digestMessages } from "../slack/blocks/digest.js";

export const DIGEST_JOB = "digests";

/** A job run's context: the database, the clock, and the job as the actor its audit events name. */
export type JobContext = RequestContext<SystemActor>;

export type PostingJobDeps = {
  poster: Poster;
  instanceId: string;
  log?: (line: string) => void;
};

export type RunReport = Partial<Record<PostOutcome, number>>;

/**
 * Runs every minute and once at start-up, with one context per run. For each active subscription it
 * asks which run is current (the latest scheduled time at or before now) and posts that period's
 * digest through postOnce, so a run posts each period once whoever runs it, and a bot that was down
 * catches up on start-up, with the late marker, as long as the period is current. An empty digest
 * with "utan-tomma" is marked posted without a message, so it is not rebuilt every minute.
 */
export async function runDueDigests(
  ctx: JobContext,
  { poster, instanceId, deadlineRules, log }: PostingJobDeps & { deadlineRules?: DeadlineRules },
): Promise<RunReport> {
  const due = await listDueDigests(ctx);
  const report: RunReport = {};
  // One subscription per channel, so digests run side by side; the poster paces each channel.
  await inParallel(due, 4, async (run: DueDigest) => {
    try {
      const outcome = await postOnce(ctx, {
        poster,
        instanceId,
        key: digestKey(run.subscriptionId, run.period),
        kind: "digest",
        subjectId: run.subscriptionId,
        period: run.period,
        channelId: run.channelId,
        late: run.late,
        build: async ({ late }) => {
          const digest = await getDigest(ctx, { filter: run.filter });
          const options = { late, postWhenEmpty: run.postWhenEmpty };
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
      if (log) log(`Digest for ${run.channelId} (period ${run.period}) failed: ${error}`);
      else processLog().error({ err: error, channel: run.channelId, period: run.period }, "digest failed");
      report.failed = (report.failed ?? 0) + 1;
    }
  });
  return report;
}

export function digestKey(subscriptionId: number, period: string): string {
  return `digest:${subscriptionId}:${period}`;
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
