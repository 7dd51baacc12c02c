import type { SlackMessage } from "../../modules/posting/poster.js";

export type { SlackMessage };

export function textMessage(text: string): SlackMessage {
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
}
