import type { Logger } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { SlackMessage } from "./blocks/message.js";

/** A button value or private_metadata as sent back by Slack; undefined when it is not JSON (forged). */
export function safeJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? "");
  } catch {
    return undefined;
  }
}

/**
 * Shows `message` to `user` only: ephemerally in `channel` when given, otherwise, or where the bot
 * may not write, as a direct message. A failure is logged; the change it reports is already made.
 */
export async function tellPrivately(
  { client, logger }: { client: WebClient; logger: Logger },
  { channel, user }: { channel: string | undefined; user: string },
  message: SlackMessage,
  what: string,
): Promise<void> {
  if (channel) {
    try {
      await client.chat.postEphemeral({ channel, user, ...message });
      return;
    } catch (error) {
      logger.info(`${what} could not be shown in ${channel}; sending a direct message`, error);
    }
  }
  try {
    await client.chat.postMessage({ channel: user, ...message });
  } catch (error) {
    logger.warn(`${what} to ${user} failed`, error);
  }
}
