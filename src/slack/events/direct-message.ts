import type { AllMiddlewareArgs, SlackEventMiddlewareArgs } from "@slack/bolt";
import type { SlackDeps } from "../deps.js";
import { answerInConversation } from "./answer-in-conversation.js";

export function directMessage(deps: SlackDeps) {
  return async ({
    message,
    body,
    client,
    logger,
  }: SlackEventMiddlewareArgs<"message"> & AllMiddlewareArgs) => {
    // Edits, joins and bot posts are messages too; only a person's own new words are questions.
    if (message.channel_type !== "im" || message.subtype !== undefined) return;
    if (!message.user || !message.text || message.bot_id) return;
    await answerInConversation(deps, client, logger, {
      eventId: body.event_id,
      channel: message.channel,
      user: message.user,
      text: message.text,
      ts: message.ts,
      threadTs: message.thread_ts,
    });
  };
}
