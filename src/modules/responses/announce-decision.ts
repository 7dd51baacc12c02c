import { type Posting, postingLog } from "../posting/post-copies.js";
import { postErrorCode, type SlackMessage } from "../posting/poster.js";
import type { Decision, DecisionSubject } from "./approve-response.js";

/** A message in Slack: where the clicked approval request is. */
export type MessageRef = { channelId: string; messageTs: string };

type Telling = { posting: Pick<Posting, "poster" | "render"> };

/**
 * Every copy of the approval request (and the one clicked, if it was never recorded) shows the
 * decision instead of its buttons, each as its reader may read it. Also for whoever lost the race:
 * the copy they clicked is brought up to date. A copy Slack will not update is left as it is.
 */
export async function showDecision(
  { posting }: Telling,
  {
    subject,
    decision,
    clicked = null,
  }: { subject: DecisionSubject; decision: Decision; clicked?: MessageRef | null },
): Promise<void> {
  const copies = [...subject.copies];
  if (clicked && !copies.some((copy) => same(copy, clicked))) {
    copies.push({ ...clicked, view: subject.unrecordedCopy });
  }
  for (const copy of copies) {
    const message = posting.render.decidedApproval(copy.view, decision);
    try {
      await posting.poster.update({ channel: copy.channelId, ts: copy.messageTs, ...message });
    } catch (error) {
      postingLog().warn(
        { code: postErrorCode(error) },
        `approval message ${copy.channelId}/${copy.messageTs} could not be updated`,
      );
    }
  }
}

/**
 * The decision as its winner announces it: every copy updated (showDecision), the one who recorded
 * the response told by DM, and after an approval the responsible body's channel (there are no
 * subscriptions to a single case yet; that channel stands for them). Each as its reader may read it.
 */
export async function announceDecision(
  ctx: Telling,
  request: { subject: DecisionSubject; decision: Decision; clicked?: MessageRef | null },
): Promise<void> {
  await showDecision(ctx, request);
  const { subject, decision } = request;
  const { render } = ctx.posting;
  if (subject.submitter) {
    await tell(ctx, subject.submitter.slackUserId, render.submitterNotice(subject.submitter.view, decision));
  }
  const channel = subject.responsibleChannel;
  if (decision.state === "approved" && channel) {
    await tell(ctx, channel.channelId, render.approvedChannelLine(channel.view, decision));
  }
}

async function tell({ posting }: Telling, channel: string, message: SlackMessage): Promise<void> {
  try {
    await posting.poster.post({ channel, ...message });
  } catch (error) {
    postingLog().warn({ code: postErrorCode(error) }, `decision notice to ${channel} failed`);
  }
}

function same(a: MessageRef, b: MessageRef): boolean {
  return a.channelId === b.channelId && a.messageTs === b.messageTs;
}
