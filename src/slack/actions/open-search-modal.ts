import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import { searchModal } from "../blocks/search-modal.js";

/** "Sök ärende" in the Home tab: the search form. Nothing is read until it is submitted. */
export function openSearchModal() {
  return async ({
    ack,
    body,
    client,
    logger,
  }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs) => {
    await ack();
    try {
      await client.views.open({ trigger_id: body.trigger_id, view: searchModal() });
    } catch (error) {
      logger.warn("the search form could not be opened", error);
    }
  };
}
