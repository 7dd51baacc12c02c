import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { followButtonValue } from "../blocks/follow-ids.js";
import { followReply } from "../blocks/follows.js";
import { type SlackMessage, textMessage } from "../blocks/message.js";
import { registryProblemMessage } from "../blocks/replies.js";
import type { SlackDeps } from "../deps.js";
import { safeJson } from "../payload.js";

/**
 * "Bevaka" on a case card, acked at once: whoever clicked follows the case by DM, if they may (a
 * restricted case only for those entitled to it); the answer goes to them alone, beside the card.
 */
export function followCaseAction({ servicesFor }: SlackDeps) {
  return async ({
    ack,
    body,
    action,
    respond,
    logger,
  }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs) => {
    const services = servicesFor({ userId: body.user.id, name: body.user.name });
    await ack();
    const answer = (message: SlackMessage) =>
      respond({ response_type: "ephemeral", replace_original: false, ...message });
    const value = followButtonValue.safeParse(safeJson(action.value));
    if (!value.success)
      return void (await answer(textMessage("Knappen är trasig; skriv /arende bevaka <diarienummer>.")));
    try {
      await answer(
        followReply(
          await services.followCase({ target: { caseId: value.data.caseId }, follower: { kind: "user" } }),
        ),
      );
    } catch (error) {
      logger.error("following a case failed", error);
      await answer(registryProblemMessage(error));
    }
  };
}
