import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from "@slack/bolt";
import type { SlackMessage } from "./blocks/message.js";
import { noticeModal } from "./blocks/search-modal.js";

type ButtonArgs = SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs;

/** Whether the button was clicked in the Home tab or a modal rather than in a conversation. */
export function clickedInView(body: BlockButtonAction): boolean {
  return body.container?.type === "view" || (body.view !== undefined && body.message === undefined);
}

/**
 * Answers the clicker alone. In a conversation, an ephemeral message through response_url. The Home
 * tab and modals have no response_url: there the answer opens in a small modal (on top of one that is
 * open), with the click's trigger_id, which Slack honours for 3 seconds; after that, in a direct message.
 */
export function privateReply({ body, respond, client }: Pick<ButtonArgs, "body" | "respond" | "client">) {
  return async (message: SlackMessage): Promise<void> => {
    if (!clickedInView(body)) {
      await respond({ response_type: "ephemeral", replace_original: false, ...message });
      return;
    }
    const view = noticeModal(message);
    try {
      if (body.view?.type === "modal") await client.views.push({ trigger_id: body.trigger_id, view });
      else await client.views.open({ trigger_id: body.trigger_id, view });
    } catch {
      // The trigger lasts 3 seconds, and the answer may come after a slow database: a direct message
      // still reaches the clicker.
      await client.chat.postMessage({ channel: body.user.id, ...message });
    }
  };
}
