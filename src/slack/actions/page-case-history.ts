import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { historyButtonValue } from "../blocks/history-ids.js";
import { type SlackMessage, textMessage } from "../blocks/message.js";
import { registryUnavailableMessage } from "../blocks/replies.js";
import type { SlackDeps } from "../deps.js";
import { historyReply } from "../history-reply.js";
import { safeJson } from "../payload.js";

/**
 * "Äldre händelser" and "Nyare" under a history: acked at once, then the page replaces the ephemeral
 * message through response_url (chat.update cannot edit an ephemeral message). Access is decided
 * again for the clicker on every page.
 */
export function pageCaseHistory({ services }: SlackDeps) {
  return async ({
    ack,
    body,
    action,
    respond,
    logger,
  }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs) => {
    await ack();
    const replace = (message: SlackMessage) =>
      respond({ response_type: "ephemeral", replace_original: true, ...message });
    const value = historyButtonValue.safeParse(safeJson(action.value));
    if (!value.success)
      return void (await replace(textMessage("Knappen är trasig; fråga med /arende historik.")));
    try {
      const { caseId, page } = value.data;
      await replace(historyReply(await services.caseHistory({ caseId, page, viewer: body.user.id })));
    } catch (error) {
      logger.error("paging the case history failed", error);
      await respond({ response_type: "ephemeral", replace_original: false, ...registryUnavailableMessage() });
    }
  };
}
