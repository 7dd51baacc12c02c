import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { z } from "zod";
import { audienceFor, IN_CHANNEL } from "../../modules/cases/audience.js";
import { presentCase } from "../../modules/cases/present-case.js";
import { caseCardMessage } from "../blocks/case-card.js";
import { textMessage } from "../blocks/message.js";
import { alreadySharedMessage } from "../blocks/replies.js";
import type { SlackDeps } from "../deps.js";
import { safeJson } from "../payload.js";

const shareValue = z.object({ caseId: z.number().int().positive() });

/** "Dela i kanalen": posts the card for everyone; a restricted case is shared with public data only. */
export function shareCaseCard({ servicesFor }: SlackDeps) {
  return async ({
    ack,
    body,
    action,
    respond,
  }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs) => {
    const services = servicesFor({ userId: body.user.id, name: body.user.name });
    await ack();
    const value = shareValue.safeParse(safeJson(action.value));
    if (!value.success) {
      await respond({
        response_type: "ephemeral",
        replace_original: false,
        ...textMessage("Knappen är trasig; fråga igen med /arende status."),
      });
      return;
    }
    const { caseId } = value.data;
    const channel = body.channel?.id ?? body.container?.channel_id ?? "unknown";
    const messageTs = body.container?.message_ts ?? body.message?.ts ?? action.action_ts;
    // One card per question: a double click or a retry must not post it twice.
    const first = await services.claimSlackDelivery([`share:${channel}:${messageTs}:${caseId}`]);
    if (!first) {
      await respond({ response_type: "ephemeral", replace_original: false, ...alreadySharedMessage() });
      return;
    }
    const details = await services.caseById(caseId);
    if (!details) {
      await respond({
        response_type: "ephemeral",
        replace_original: false,
        ...textMessage("Ärendet finns inte längre i diariet."),
      });
      return;
    }
    const card = presentCase(details, {
      today: services.today(),
      audience: audienceFor(IN_CHANNEL, details),
    });
    await respond({
      response_type: "in_channel",
      replace_original: false,
      ...caseCardMessage(card, { sharedBy: body.user.id, history: true, follow: true }),
    });
  };
}
