import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { SlackDeps } from "../deps.js";
import { answerInConversation } from "./answer-in-conversation.js";

export function appMention(deps: SlackDeps) {
  return async ({
    event,
    body,
    client,
    logger,
  }: SlackEventMiddlewareArgs<"app_mention"> & AllMiddlewareArgs) => {
    if (!event.user) return;
    await answerInConversation(deps, client, logger, {
      eventId: body.event_id,
      channel: event.channel,
      user: event.user,
      text: event.text,
      ts: event.ts,
      threadTs: event.thread_ts ?? event.ts,
    });
  };
}
