import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { historyButtonValue } from "../blocks/history-ids.js";
import { textMessage } from "../blocks/message.js";
import { registryUnavailableMessage } from "../blocks/replies.js";
import type { SlackDeps } from "../deps.js";
import { historyReply } from "../history-reply.js";
import { safeJson } from "../payload.js";

/**
 * "Historik" on a case card: the newest page of the history, to the one who clicked only. The card
 * may be in a channel, so what they see follows their own access, not the card's.
 */
export function openCaseHistory({ services }: SlackDeps) {
  return async ({
    ack,
    body,
    action,
    respond,
    logger,
  }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs) => {
    await ack();
    const reply = (message: ReturnType<typeof textMessage>) =>
      respond({ response_type: "ephemeral", replace_original: false, ...message });
    const value = historyButtonValue.safeParse(safeJson(action.value));
    if (!value.success)
      return void (await reply(textMessage("Knappen är trasig; fråga med /arende historik.")));
    try {
      const result = await services.caseHistory({ caseId: value.data.caseId, viewer: body.user.id });
      await reply(historyReply(result));
    } catch (error) {
      logger.error("opening the case history failed", error);
      await reply(registryUnavailableMessage());
    }
  };
}
