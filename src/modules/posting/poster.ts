import type { KnownBlock } from "@slack/types";

/**
 * The posting port: what scheduled posts send through, and all they know of Slack. src/slack
 * implements it over the Web API (web-poster.ts) and re-exports these types for its own code.
 */

/** A message: blocks plus the plain `text` that notifications and screen readers use. */
export type SlackMessage = { text: string; blocks: KnownBlock[] };

/** One message to post; `threadTs` puts it in the thread under an earlier message. */
export type OutgoingMessage = { channel: string; text: string; blocks?: KnownBlock[]; threadTs?: string };

/**
 * Posts a message and answers its ts, or throws a SlackPostError. The scheduled posts depend only on this.
 * `channel` is the conversation Slack posted in: for a DM (posted to a user id) the D… channel id.
 */
export interface SlackPoster {
  post(message: OutgoingMessage): Promise<{ ts: string; channel?: string }>;
}
