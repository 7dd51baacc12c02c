import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { say } from "../../messages/sv.js";
import type { MessageRef } from "../../modules/responses/announce-decision.js";
import { alreadyDecidedNotice } from "../blocks/approval-decision.js";
import { approvalButtonValue } from "../blocks/approval-ids.js";
import { textMessage } from "../blocks/message.js";
import { registryProblemText } from "../blocks/replies.js";
import type { SlackDeps } from "../deps.js";
import { safeJson } from "../payload.js";
import { clickedInView, privateReply } from "../private-reply.js";

type ActionArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

const BROKEN_BUTTON = "Knappen gick inte att läsa. Öppna remissvaret i diariet i stället.";

/**
 * Godkänn on an approval request. Acked at once; the use case decides once. The winner's decision is
 * announced (every copy updated in place, the submitter and the responsible body's channel told);
 * whoever comes second is told privately who decided first, and the clicked copy is brought up to date.
 */
export function approveResponseAction({ servicesFor }: SlackDeps) {
  return async ({ ack, body, action, respond, client, logger }: ActionArgs) => {
    const services = servicesFor({ userId: body.user.id, name: body.user.name });
    await ack();
    const reply = privateReply({ body, respond, client });
    const value = approvalButtonValue.safeParse(safeJson(action.value));
    if (!value.success) return void (await reply(textMessage(BROKEN_BUTTON)));
    const clicked = clickedMessage(body);

    let result: Awaited<ReturnType<typeof services.approveResponse>>;
    try {
      result = await services.approveResponse(value.data.responseId);
    } catch (error) {
      logger.error("approving a response failed", error);
      return void (await reply(textMessage(registryProblemText(error))));
    }
    if (!result.ok) {
      switch (result.type) {
        case "refused":
        case "not_found":
        case "expired":
          return void (await reply(textMessage(say(result))));
        case "already_decided":
          await reply(alreadyDecidedNotice(result.decision, services.now()));
          await services.showDecision({ subject: result.subject, decision: result.decision, clicked });
          return;
      }
    }
    await services.announceDecision({ subject: result.subject, decision: result.decision, clicked });
  };
}

export function clickedMessage(body: BlockButtonAction): MessageRef | null {
  if (clickedInView(body)) return null;
  const channelId = body.container?.channel_id ?? body.channel?.id;
  const messageTs = body.container?.message_ts ?? body.message?.ts;
  if (body.container?.is_ephemeral || !channelId || !messageTs) return null;
  return { channelId, messageTs };
}
