import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { textMessage } from "../blocks/message.js";
import { registryProblemMessage } from "../blocks/replies.js";
import { cardModal, searchModal } from "../blocks/search-modal.js";
import { moreHitsValue, searchHitValue, searchResultsMessage } from "../blocks/search-results.js";
import type { SlackDeps } from "../deps.js";
import { safeJson } from "../payload.js";
import { clickedInView, privateReply } from "../private-reply.js";
import { statusReply } from "../status-reply.js";

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/**
 * "Visa" on a search hit: the case's card beside the hits (or on top of the search modal), for the
 * clicker alone, with what the audience rule lets the clicker (not the button) see.
 */
export function openSearchHit({ servicesFor }: SlackDeps) {
  return async ({ ack, body, action, respond, client, logger }: ButtonArgs) => {
    const services = servicesFor({ userId: body.user.id, name: body.user.name });
    await ack();
    const answer = privateReply({ body, respond, client });
    const value = searchHitValue.safeParse(safeJson(action.value));
    if (!value.success)
      return void (await answer(textMessage("Knappen är trasig; sök igen med /arende sök.")));
    try {
      const result = await services.caseStatusById(value.data.caseId);
      const card = statusReply(result, { place: "private", today: services.today() }).message;
      if (clickedInView(body))
        await client.views.push({ trigger_id: body.trigger_id, view: cardModal(card) });
      else await answer(card);
    } catch (error) {
      logger.error("opening a search hit failed", error);
      await answer(registryProblemMessage(error));
    }
  };
}

/**
 * "Visa fler": the next ten hits in place of these (an ephemeral answer is replaced through
 * response_url; the search modal is updated in place).
 */
export function showMoreSearchHits({ servicesFor }: SlackDeps) {
  return async ({ ack, body, action, respond, client, logger }: ButtonArgs) => {
    const services = servicesFor({ userId: body.user.id, name: body.user.name });
    await ack();
    const answer = privateReply({ body, respond, client });
    const value = moreHitsValue.safeParse(safeJson(action.value));
    if (!value.success)
      return void (await answer(textMessage("Knappen är trasig; sök igen med /arende sök.")));
    try {
      // Hits shown in a conversation stay public data on every page, whoever clicks.
      const { text, page, place } = value.data;
      const result = await services.search({ text, page, place });
      if (clickedInView(body) && body.view) {
        await client.views
          .update({ view_id: body.view.id, hash: body.view.hash, view: searchModal({ text, result }) })
          .catch((error: unknown) => {
            // A second click on the same page: the first has already updated the modal.
            if ((error as { data?: { error?: string } }).data?.error !== "hash_conflict") throw error;
          });
        return;
      }
      await respond({
        response_type: "ephemeral",
        replace_original: true,
        ...searchResultsMessage(text, result, place),
      });
    } catch (error) {
      logger.error("the next search page failed", error);
      await answer(registryProblemMessage(error));
    }
  };
}
