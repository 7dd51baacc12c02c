import type { KnownBlock } from "@slack/types";

/** A Slack message: blocks plus the plain `text` that notifications and screen readers use. */
export type SlackMessage = { text: string; blocks: KnownBlock[] };

export function textMessage(text: string): SlackMessage {
  return { text, blocks: [{ type: "section", text: { type: "mrkdwn", text } }] };
}
