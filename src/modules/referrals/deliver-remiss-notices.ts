import { recordAudit } from "../audit/audit.repository.js";
import { type Copy, type PostingContext, postCopies } from "../posting/post-copies.js";
import type { SlackActor } from "../shared/context.js";
import type { SendOnRemissResult } from "./send-on-remiss.js";

export type SentRemiss = Extract<SendOnRemissResult, { ok: true }>;

/** Where the remiss notices went, for the sender's confirmation. */
export type RemissDelivery = {
  posted: { bodyName: string; channelId: string }[];
  failed: { bodyName: string; channelId: string; code: string }[];
  /** Bodies with no channel bound: nobody was told in Slack. */
  withoutChannel: string[];
};

/**
 * After sendOnRemiss has written the referrals (and Slack has had its answer): the case card goes to
 * each answering body's channel, as a channel may read it, once per referral however often this is
 * called; where each notice went (`referral.notice_posted`, audited with the sender) and which
 * failed are stored in the same call.
 */
export async function deliverRemissNotices(
  ctx: PostingContext<SlackActor>,
  { remiss, message }: { remiss: SentRemiss; message: string | null },
): Promise<RemissDelivery> {
  const delivery: RemissDelivery = { posted: [], failed: [], withoutChannel: [] };
  const card = remiss.channelCard;
  if (!card) return delivery;
  const note = message?.trim() || null;
  const copies: Copy[] = [];
  const bodyOf = new Map<number, string>();
  for (const { referralId, body } of remiss.referrals) {
    if (!body.slackChannelId) {
      delivery.withoutChannel.push(body.name);
      continue;
    }
    bodyOf.set(referralId, body.name);
    copies.push({
      kind: "remiss_notice",
      subjectId: referralId,
      recipient: body.slackChannelId,
      channel: body.slackChannelId,
      message: ctx.posting.render.remissNotice(card, {
        bodyName: body.name,
        dueOn: remiss.dueOn,
        dueDateWarning: remiss.dueDateWarning,
        sentBy: ctx.actor.userId,
        message: note,
      }),
    });
  }

  const outcomes = await postCopies(ctx, copies, (tx, posted) =>
    recordAudit(tx, {
      actor: ctx.actor,
      at: ctx.clock.now(),
      entries: posted.map((copy) => ({
        action: "referral.notice_posted",
        entityType: "referral",
        entityId: copy.copy.subjectId,
        changes: { case_id: remiss.caseId, channel_id: copy.channel, message_ts: copy.ts },
      })),
    }),
  );
  for (const outcome of outcomes) {
    const bodyName = bodyOf.get(outcome.copy.subjectId) ?? "";
    const channelId = outcome.copy.channel;
    if (outcome.state === "failed") delivery.failed.push({ bodyName, channelId, code: outcome.code });
    // A notice another call is posting at this moment counts as posted for the confirmation.
    else delivery.posted.push({ bodyName, channelId });
  }
  return delivery;
}
