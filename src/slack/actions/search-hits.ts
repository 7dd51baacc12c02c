import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { type SlackMessage, textMessage } from "../blocks/message.js";
import { registryProblemMessage } from "../blocks/replies.js";
import { moreHitsValue, searchHitValue, searchResultsMessage } from "../blocks/search-results.js";
import type { SlackDeps } from "../deps.js";
import { safeJson } from "../payload.js";
import { statusReply } from "../status-reply.js";

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/**
 * "Visa" on a search hit: the case's card beside the hits, for the clicker alone, with what the
 * audience rule lets the clicker (not the button) see.
 */
export function openSearchHit({ servicesFor }: SlackDeps) {
  return async ({ ack, body, action, respond, logger }: ButtonArgs) => {
    const services = servicesFor({ userId: body.user.id, name: body.user.name });
    await ack();
    const answer = (message: SlackMessage) =>
      respond({ response_type: "ephemeral", replace_original: false, ...message });
    const value = searchHitValue.safeParse(safeJson(action.value));
    if (!value.success)
      return void (await answer(textMessage("Knappen är trasig; sök igen med /arende sök.")));
    try {
      const result = await services.caseStatusById(value.data.caseId);
      await answer(statusReply(result, { place: "private", today: services.today() }).message);
    } catch (error) {
      logger.error("opening a search hit failed", error);
      await answer(registryProblemMessage(error));
    }
  };
}

/** "Visa fler": the next ten hits in place of these (an ephemeral answer is replaced through response_url). */
export function showMoreSearchHits({ servicesFor }: SlackDeps) {
  return async ({ ack, body, action, respond, logger }: ButtonArgs) => {
    const services = servicesFor({ userId: body.user.id, name: body.user.name });
    await ack();
    const value = moreHitsValue.safeParse(safeJson(action.value));
    if (!value.success) {
      await respond({
        response_type: "ephemeral",
        replace_original: false,
        ...textMessage("Knappen är trasig; sök igen med /arende sök."),
      });
      return;
    }
    try {
      const { text, page } = value.data;
      const result = await services.search({ text, page });
      await respond({
        response_type: "ephemeral",
        replace_original: true,
        ...searchResultsMessage(text, result),
      });
    } catch (error) {
      logger.error("the next search page failed", error);
      await respond({
        response_type: "ephemeral",
        replace_original: false,
        ...registryProblemMessage(error),
      });
    }
  };
}
