import type { Logger } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { SlackMessage } from "../blocks/message.js";
import { helpMessage, registryProblemMessage, unknownCommandMessage } from "../blocks/replies.js";
import { searchResultsMessage } from "../blocks/search-results.js";
import type { SlackDeps } from "../deps.js";
import { parseBotRequest } from "../request.js";
import { statusReply } from "../status-reply.js";

export type Conversation = {
  eventId: string;
  channel: string;
  user: string;
  text: string;
  ts: string;
  /** Set for mentions: the answer goes in the thread of the question. */
  threadTs: string | undefined;
};

/**
 * Mentions and DMs share one path. The delivery is claimed first, keyed by event_id (Slack retries)
 * and by channel and ts (a mention can also arrive as a message), so only one replica answers once.
 */
export async function answerInConversation(
  { servicesFor }: SlackDeps,
  client: WebClient,
  logger: Logger,
  conversation: Conversation,
): Promise<void> {
  const { channel, threadTs, user } = conversation;
  const services = servicesFor({ userId: user });
  const post = (message: SlackMessage) =>
    client.chat.postMessage({ channel, thread_ts: threadTs, text: message.text, blocks: message.blocks });

  let claimed: boolean;
  try {
    claimed = await services.claimSlackDelivery([
      `event:${conversation.eventId}`,
      `message:${conversation.channel}:${conversation.ts}`,
    ]);
  } catch (error) {
    // Unclaimed, a retry of this delivery may say it again; silence would be worse.
    logger.error("claiming a conversation delivery failed", error);
    return void (await post(registryProblemMessage(error)));
  }
  if (!claimed) return;

  const request = parseBotRequest(conversation.text);
  if (request.type === "help") return void (await post(helpMessage()));
  if (request.type === "unknown") return void (await post(unknownCommandMessage(request.word)));
  if (request.type === "search") {
    // In a channel or a DM the hits may be read by others later: public data only.
    try {
      const result = await services.search({ text: request.text, place: "channel" });
      return void (await post(searchResultsMessage(request.text, result, "channel")));
    } catch (error) {
      logger.error("search failed", error);
      return void (await post(registryProblemMessage(error)));
    }
  }

  let reply: ReturnType<typeof statusReply>;
  try {
    const result = await services.caseStatus(request.query);
    reply = statusReply(result, { place: "channel", today: services.today() });
  } catch (error) {
    logger.error("status lookup failed", error);
    return void (await post(registryProblemMessage(error)));
  }
  await post(reply.message);
  if (reply.privateCard) {
    await client.chat.postEphemeral({
      channel,
      user,
      thread_ts: threadTs,
      text: reply.privateCard.text,
      blocks: reply.privateCard.blocks,
    });
  }
}
