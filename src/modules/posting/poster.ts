import type { KnownBlock } from "@slack/types";

/**
 * The posting port: what use cases and scheduled jobs send through, and all they know of Slack.
 * Block Kit blocks are plain data here; the builders that make them are injected by whoever
 * composes the use cases (see MessageRenderers), and src/slack implements the port over the Web API.
 */

/** A message: blocks plus the plain `text` that notifications and screen readers use. */
export type SlackMessage = { text: string; blocks: KnownBlock[] };

/** One message to post; `threadTs` puts it in the thread under an earlier message. */
export type OutgoingMessage = { channel: string; text: string; blocks?: KnownBlock[]; threadTs?: string };

/** A message already posted, replaced in place (`ts` as Slack answered it when it was posted). */
export type MessageUpdate = { channel: string; ts: string; text: string; blocks?: KnownBlock[] };

/** The bot's Home tab for one user (views.publish): only blocks, no text. */
export type HomeView = { type: "home"; blocks: KnownBlock[] };

export interface Poster {
  /**
   * Posts a message and answers its ts, or throws a PostError. `channel` is the conversation Slack
   * posted in: for a direct message (posted to a user id) the D… channel id.
   */
  post(message: OutgoingMessage): Promise<{ ts: string; channel?: string }>;
  /** Replaces a posted message, or throws a PostError. */
  update(message: MessageUpdate): Promise<void>;
  /** Replaces what the user's Home tab shows, or throws a PostError. */
  publishHome(userId: string, view: HomeView): Promise<void>;
}

/** A file to put in a channel: a report as Word or CSV. */
export type OutgoingFile = { filename: string; title: string; content: Uint8Array };

/** Files shared in a channel (or a thread) together, with `comment` as the message that carries them. */
export type OutgoingUpload = { channel: string; comment: string; files: OutgoingFile[]; threadTs?: string };

/** The port for files, beside Poster's messages; src/slack implements it with files.uploadV2. */
export interface FileUploader {
  /** Uploads and shares the files, or throws a PostError; answers the ids Slack gave them. */
  upload(upload: OutgoingUpload): Promise<{ fileIds: string[] }>;
}

export class PostError extends Error {
  constructor(
    message: string,
    /** Slack's error ("channel_not_found"), or http_500, request_error, rate_limited. */
    readonly code: string,
    /** False when trying again cannot help until someone changes something (invite the bot, fix the token). */
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = "PostError";
  }
}

/** Slack's code for a failed post or update; "unknown" for anything that is not a PostError. */
export function postErrorCode(error: unknown): string {
  return error instanceof PostError ? error.code : "unknown";
}
