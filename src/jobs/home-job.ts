import { refreshHomes } from "../modules/home/publish-home.js";
import { slackRenderers } from "../slack/blocks/outgoing.js";
import type { JobContext, PostingJobDeps } from "./digest-job.js";

export const HOME_JOB = "home-tabs";

/**
 * Every five minutes: the Home tabs of everyone who has opened theirs, published again where what
 * they show has changed without a click in Slack (an import, a sync, a due date passed at midnight).
 * Replicas may all run it; a changed tab is claimed, so it is published once.
 */
export async function refreshHomeTabs(
  ctx: JobContext,
  { poster, instanceId }: PostingJobDeps,
): Promise<{ published: number }> {
  // Like the digests and reminders, the job reads outside the admission control that keeps room in
  // the database for Slack's requests: it never queues ahead of someone waiting for an answer.
  const unadmitted = <R>(_name: string, run: () => Promise<R>) => run();
  return refreshHomes({ ...ctx, posting: { poster, instanceId, admit: unadmitted, render: slackRenderers } });
}
