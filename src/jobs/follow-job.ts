import { type NotifyReport, notifyFollowers } from "../modules/follows/notify-followers.js";
import { followNoticeMessage } from "../slack/blocks/follow-notice.js";
import type { JobContext, PostingJobDeps } from "./digest-job.js";

export const FOLLOW_JOB = "follows";

/**
 * Runs every minute and once at start-up, with one context per run: each follower is told what moved
 * in the case they follow, at most once an hour, exactly once across replicas (see notifyFollowers).
 */
export function runFollowNotifications(ctx: JobContext, deps: PostingJobDeps): Promise<NotifyReport> {
  return notifyFollowers(ctx, { ...deps, render: followNoticeMessage });
}
