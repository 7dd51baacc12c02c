import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { historyButtonValue } from "../blocks/history-ids.js";
import { type SlackMessage, textMessage } from "../blocks/message.js";
import { registryProblemMessage } from "../blocks/replies.js";
import type { SlackDeps } from "../deps.js";
import { historyReply } from "../history-reply.js";
import { safeJson } from "../payload.js";

/**
 * A history button, acked at once; access is decided again for whoever clicked, never by the button.
 * "Historik" on a case card (which may be in a channel) answers the clicker alone beside it;
 * "Äldre händelser" and "Nyare" replace the ephemeral history they sit under, through response_url
 * (chat.update cannot edit an ephemeral message).
 */
export function showCaseHistory({ servicesFor }: SlackDeps, { replacing }: { replacing: boolean }) {
  return async ({
    ack,
    body,
    action,
    respond,
    logger,
  }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs) => {
    const services = servicesFor({ userId: body.user.id, name: body.user.name });
    await ack();
    const answer = (message: SlackMessage, replace = replacing) =>
      respond({ response_type: "ephemeral", replace_original: replace, ...message });
    const value = historyButtonValue.safeParse(safeJson(action.value));
    if (!value.success)
      return void (await answer(textMessage("Knappen är trasig; fråga med /arende historik.")));
    try {
      const { caseId, page } = value.data;
      await answer(historyReply(await services.caseHistory({ caseId, page })));
    } catch (error) {
      logger.error("showing the case history failed", error);
      // The history already shown stays; the problem is said beside it.
      await answer(registryProblemMessage(error), false);
    }
  };
}
