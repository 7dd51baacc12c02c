import type { Executor } from "../../db/client.js";
import { recordAudit } from "../audit/audit.repository.js";
import {
  type Copy,
  type CopyOutcome,
  claimCopies,
  inOrder,
  type PostingContext,
  recordCopies,
  sendCopies,
} from "../posting/post-copies.js";
import type { SlackActor } from "../shared/context.js";
import type { RecordedResponse } from "./record-response.js";
import { insertApprovalMessages, responseExists } from "./responses.repository.js";

/** Who was asked to approve, for the submitter's confirmation. */
export type ApprovalDelivery = {
  /** The godkännare the request reached. */
  approvers: string[];
  /** The body's channel, when the request went there instead. */
  channel: string | null;
  /** Where posting failed: a user or channel id, and Slack's error. */
  failed: { target: string; code: string }[];
  /** Neither a godkännare nor a channel: nobody was asked. */
  noApprover: boolean;
};

/**
 * After recordResponse has stored the response (and Slack has had its answer): the approval request
 * goes as a DM to each godkännare of the body, each as that godkännare may read it, or, when none can
 * be reached, to the body's channel, as a channel may read it. Each copy is claimed before it is
 * posted, so a retried or repeated call never asks anyone twice; where each copy went is stored in
 * approval_messages, with the audit event `referral_response.approval_requested`, in the same call,
 * so a decision can update every copy for its own reader.
 */
export async function requestApproval(
  ctx: PostingContext<SlackActor>,
  { recorded }: { recorded: RecordedResponse },
): Promise<ApprovalDelivery> {
  const { render, poster } = ctx.posting;
  const { responseId } = recorded;
  const copy = (recipient: string, message: Copy["message"]): Copy => ({
    kind: "approval_request",
    subjectId: responseId,
    recipient,
    channel: recipient,
    message,
  });

  const direct = recorded.requests.map(({ slackUserId, view }) =>
    copy(slackUserId, render.approvalRequest(view)),
  );
  const first = await claimCopies(ctx, direct);
  const sent = await sendCopies(poster, first.held);
  const reachedBefore = first.settled.some((outcome) => outcome.state !== "failed");
  const reachedNow = sent.some((result) => result.ok);

  const channelId = recorded.referral.body.slackChannelId;
  const copies = [...direct];
  const settled = [...first.settled];
  if (!reachedBefore && !reachedNow && channelId) {
    const inChannel = copy(channelId, render.approvalRequest(recorded.channelRequest));
    copies.push(inChannel);
    const second = await claimCopies(ctx, [inChannel]);
    settled.push(...second.settled);
    sent.push(...(await sendCopies(poster, second.held)));
  }
  const now = await recordCopies(ctx, sent, (tx, posted) =>
    storeCopies(ctx, tx, { responseId, channelId }, posted),
  );
  return summarise(inOrder(copies, [...settled, ...now]), {
    channelId,
    noApprover: recorded.approvers.length === 0 && !channelId,
  });
}

/** The copies posted now, each with whose it is, and the audit event naming them. */
async function storeCopies(
  ctx: PostingContext<SlackActor>,
  tx: Executor,
  { responseId, channelId }: { responseId: number; channelId: string | null },
  posted: readonly Extract<CopyOutcome, { state: "posted" }>[],
): Promise<void> {
  if (posted.length === 0 || !(await responseExists(tx, responseId))) return;
  const stored = await insertApprovalMessages(
    tx,
    posted.map((outcome) => ({
      responseId,
      channelId: outcome.channel,
      messageTs: outcome.ts,
      // A copy in the body's channel is read as a channel's; a DM is its godkännare's.
      recipientSlackUserId: outcome.copy.recipient === channelId ? null : outcome.copy.recipient,
    })),
  );
  await recordAudit(tx, {
    actor: ctx.actor,
    at: ctx.clock.now(),
    entries:
      stored.length === 0
        ? []
        : [
            {
              action: "referral_response.approval_requested",
              entityType: "referral_response",
              entityId: responseId,
              changes: {
                messages: stored.map((row) => ({
                  channel_id: row.channelId,
                  message_ts: row.messageTs,
                  ...(row.recipientSlackUserId ? { recipient: row.recipientSlackUserId } : {}),
                })),
              },
            },
          ],
  });
}

function summarise(
  outcomes: readonly CopyOutcome[],
  { channelId, noApprover }: { channelId: string | null; noApprover: boolean },
): ApprovalDelivery {
  const delivery: ApprovalDelivery = { approvers: [], channel: null, failed: [], noApprover };
  for (const outcome of outcomes) {
    const target = outcome.copy.recipient;
    if (outcome.state === "failed") delivery.failed.push({ target, code: outcome.code });
    else if (target === channelId) delivery.channel = target;
    else delivery.approvers.push(target);
  }
  return delivery;
}
