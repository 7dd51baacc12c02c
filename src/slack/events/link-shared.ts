import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import { caseCardMessage } from "../blocks/case-card.js";
import type { SlackDeps } from "../deps.js";

/**
 * Link previews: a link to the e-diarium (ARENDE_UNFURL_DOMAINS) whose URL holds a case number
 * unfolds to the case's card. Everyone in the conversation sees a preview, so the cards are public
 * ones (the use case decides that). Slack retries events, and replicas share them: each delivery is
 * claimed by its event_id first, so a link is unfolded once.
 */
export function linkShared({ servicesFor }: SlackDeps) {
  return async ({
    event,
    body,
    client,
    logger,
  }: SlackEventMiddlewareArgs<"link_shared"> & AllMiddlewareArgs) => {
    const services = servicesFor({ userId: event.user });
    try {
      const urls = event.links.map((link) => link.url);
      const previews = await services.linkPreviews(urls);
      if (previews.length === 0) return;
      if (!(await services.claimSlackDelivery([`event:${body.event_id}`]))) return;
      const unfurls = Object.fromEntries(
        previews.map(({ url, card }) => [
          url,
          { blocks: caseCardMessage(card, { shareable: false }).blocks },
        ]),
      );
      const target =
        event.source === "composer" && event.unfurl_id
          ? { source: "composer" as const, unfurl_id: event.unfurl_id }
          : { channel: event.channel, ts: event.message_ts };
      await client.chat.unfurl({ ...target, unfurls });
    } catch (error) {
      // A preview is a courtesy: nobody asked, so nobody is told; the link stays as it was.
      logger.warn("a link preview failed", error);
    }
  };
}
