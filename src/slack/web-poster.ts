import type { Logger } from "@slack/bolt";
import { ErrorCode, LogLevel, type RetryOptions, WebClient, WebClientEvent } from "@slack/web-api";
import {
  type FileUploader,
  type HomeView,
  type MessageUpdate,
  type OutgoingMessage,
  type OutgoingUpload,
  PostError,
  type Poster,
} from "../modules/posting/poster.js";
import { log as processLog } from "../observability/logger.js";
import { metrics } from "../observability/metrics.js";

/**
 * Retries of an HTTP error or a failed request, inside one post: about 1, 2 and 4 seconds apart
 * (randomised). Deliberately short: the post's claim in the database has a lease of minutes, and a
 * post that still fails is retried by the next run with a longer backoff.
 */
export const POSTING_RETRY_POLICY: RetryOptions = {
  retries: 3,
  factor: 2,
  minTimeout: 1_000,
  maxTimeout: 8_000,
  randomize: true,
};

const levels = { debug: LogLevel.DEBUG, info: LogLevel.INFO, warn: LogLevel.WARN, error: LogLevel.ERROR };

/**
 * A WebClient of its own for scheduled posts rather than Bolt's client, for two reasons found in
 * @slack/web-api 7's WebClient.makeRequest:
 * - with the default `rejectRateLimitedCalls: false` a 429 pauses the client's whole request queue
 *   for Retry-After seconds, then throws an ordinary error, so p-retry adds its own backoff on top
 *   (the default policy, tenRetriesInAboutThirtyMinutes, waits 1–2 s, then doubling, for up to 30 min).
 *   On Bolt's client that would hold up the answers to slash commands as well.
 * - with `rejectRateLimitedCalls: true` a 429 with a Retry-After header is thrown at once as an
 *   AbortError (p-retry does not retry it) carrying `code: slack_webapi_rate_limited_error` and
 *   `retryAfter` in seconds, so the poster below waits exactly that long, for that channel only.
 * HTTP errors (5xx) and failed requests are retried by p-retry with `retryConfig`; Slack's own error
 * answers (`ok: false`, e.g. channel_not_found) are thrown after the request and never retried.
 */
export function createPostingClient({
  botToken,
  apiUrl,
  logLevel = "info",
  retryConfig = POSTING_RETRY_POLICY,
  timeoutMs = 15_000,
  logger,
}: {
  botToken: string;
  apiUrl?: string | undefined;
  logLevel?: keyof typeof levels;
  retryConfig?: RetryOptions;
  timeoutMs?: number;
  /** The process's logger (Bolt's Logger interface); without one, the Web API client's own at `logLevel`. */
  logger?: Logger;
}): WebClient {
  const client = new WebClient(botToken, {
    ...(apiUrl ? { slackApiUrl: apiUrl } : {}),
    ...(logger ? { logger } : { logLevel: levels[logLevel] }),
    retryConfig: countingRetries(retryConfig, "posting"),
    rejectRateLimitedCalls: true,
    timeout: timeoutMs,
  });
  // With rejectRateLimitedCalls a 429 is thrown at once (never a p-retry attempt): counted here.
  client.on(WebClientEvent.RATE_LIMITED, () => metrics.rateLimited("posting"));
  return client;
}

/**
 * `policy` with its failed attempts counted: a retry still to come (arendebot_slack_api_retries_total)
 * and, for a client that waits out 429s itself (Bolt's), the 429 (the Web API client's error message
 * is the only sign of it there).
 */
export function countingRetries(policy: RetryOptions, client: "listener" | "posting"): RetryOptions {
  // p-retry reads onFailedAttempt from the options the Web API client passes it unchanged.
  const counted: RetryOptions & { onFailedAttempt: (error: Error & { retriesLeft?: number }) => void } = {
    ...policy,
    onFailedAttempt: (error) => {
      if (/rate limit was exceeded/i.test(error.message)) metrics.rateLimited(client);
      if ((error.retriesLeft ?? 0) > 0) metrics.apiRetry(client);
    },
  };
  return counted;
}

type Sleep = (ms: number) => Promise<void>;
const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Keeps to about one message per second per channel within this process (Slack's chat.postMessage
 * limit). Each caller reserves the channel's next free slot synchronously and then sleeps until it,
 * so concurrent callers queue in order; different channels never wait for each other.
 */
export class ChannelPacer {
  private readonly nextSlot = new Map<string, number>();
  private readonly intervalMs: number;
  private readonly now: () => number;
  private readonly sleep: Sleep;

  constructor(options: { intervalMs?: number; now?: () => number; sleep?: Sleep } = {}) {
    this.intervalMs = options.intervalMs ?? 1_000;
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? realSleep;
  }

  async wait(channel: string): Promise<void> {
    const now = this.now();
    const slot = Math.max(now, this.nextSlot.get(channel) ?? Number.NEGATIVE_INFINITY);
    this.nextSlot.set(channel, slot + this.intervalMs);
    this.forgetPast(now);
    if (slot > now) await this.sleep(slot - now);
  }

  /** After a 429: nothing more to this channel before Retry-After has passed. */
  holdOff(channel: string, ms: number): void {
    const until = this.now() + ms;
    if ((this.nextSlot.get(channel) ?? Number.NEGATIVE_INFINITY) < until) this.nextSlot.set(channel, until);
  }

  private forgetPast(now: number): void {
    if (this.nextSlot.size < 1_000) return;
    for (const [channel, slot] of this.nextSlot) if (slot <= now) this.nextSlot.delete(channel);
  }
}

/** Slack errors that may pass by themselves; every other `ok: false` answer needs a person to act. */
const TRANSIENT_SLACK_ERRORS = new Set([
  "internal_error",
  "fatal_error",
  "service_unavailable",
  "request_timeout",
  "ratelimited",
]);

const hints: Record<string, string> = {
  channel_not_found: "the channel does not exist or is private: invite the bot (/invite @arendebot)",
  not_in_channel: "the bot is not a member of the channel: invite it (/invite @arendebot)",
  is_archived: "the channel is archived: choose another channel",
  invalid_auth: "SLACK_BOT_TOKEN is not valid: reinstall the app and update the token",
  not_authed: "no token was sent: set SLACK_BOT_TOKEN",
  token_revoked: "the bot token was revoked: reinstall the app and update SLACK_BOT_TOKEN",
  account_inactive: "the bot token belongs to a deactivated app: reinstall the app",
  missing_scope: "the app lacks chat:write: reinstall it from manifest.json",
  invalid_blocks: "the message's blocks were refused: this is a bug in arendebot",
  msg_too_long: "the message was too long: this is a bug in arendebot",
};

export type WebPosterOptions = {
  client: WebClient;
  pacer?: ChannelPacer;
  /** How many 429s one message may wait out before the post fails and is left to the next run. */
  maxRateLimitWaits?: number;
  /** A Retry-After longer than this is not waited out in-process; the post is retried later instead. */
  maxRetryAfterSeconds?: number;
  log?: (line: string) => void;
};

/**
 * The posting port over the Web API. Posts keep to the channel's pace (chat.postMessage's limit is
 * about one message per second per channel; chat.update has no such limit, so an update goes at
 * once); both wait out Slack's Retry-After (a few times, briefly) and fail with a PostError carrying
 * Slack's code.
 */
export function createWebPoster({
  client,
  pacer = new ChannelPacer(),
  maxRateLimitWaits = 4,
  maxRetryAfterSeconds = 30,
  log = (line) => processLog().warn(line),
}: WebPosterOptions): Poster & FileUploader {
  async function paced<R>(
    channel: string,
    verb: "post" | "update" | "publish" | "upload",
    call: () => Promise<R>,
  ): Promise<R> {
    for (let waits = 0; ; waits += 1) {
      if (verb === "post" || verb === "upload" || waits > 0) await pacer.wait(channel);
      try {
        return await call();
      } catch (error) {
        const retryAfter = rateLimitDelay(error);
        if (retryAfter !== undefined) {
          if (waits < maxRateLimitWaits && retryAfter <= maxRetryAfterSeconds) {
            pacer.holdOff(channel, retryAfter * 1000);
            metrics.apiRetry("posting");
            continue;
          }
          throw new PostError(
            `Slack kept rate-limiting ${verb}s to ${channel} (Retry-After ${retryAfter} s)`,
            "rate_limited",
            true,
          );
        }
        const failure = toPostError(error);
        if (!failure.retryable) {
          const hint = hints[failure.code];
          log(`Slack refused a ${verb} to channel ${channel}: ${failure.code}${hint ? ` (${hint})` : ""}`);
        }
        throw failure;
      }
    }
  }

  return {
    post: ({ channel, text, blocks, threadTs }: OutgoingMessage) =>
      paced(channel, "post", async () => {
        const result = await client.chat.postMessage({
          channel,
          text,
          ...(blocks ? { blocks } : {}),
          ...(threadTs ? { thread_ts: threadTs } : {}),
          unfurl_links: false,
          unfurl_media: false,
        });
        if (!result.ts) throw new PostError("Slack accepted the message but gave no ts", "no_ts", true);
        return { ts: result.ts, ...(result.channel ? { channel: result.channel } : {}) };
      }),
    update: ({ channel, ts, text, blocks }: MessageUpdate) =>
      paced(channel, "update", async () => {
        await client.chat.update({ channel, ts, text, ...(blocks ? { blocks } : {}) });
      }),
    // files.uploadV2 asks for an upload URL per file, sends the bytes there, then shares them all in
    // the channel with one files.completeUploadExternal (the comment is the message that shows them).
    upload: ({ channel, comment, files, threadTs }: OutgoingUpload) =>
      paced(channel, "upload", async () => {
        const [first, ...rest] = files.map((file) => ({
          file: Buffer.from(file.content),
          filename: file.filename,
          title: file.title,
        }));
        if (!first) throw new PostError("no file to upload", "no_file", false);
        const result = await client.files.uploadV2({
          channel_id: channel,
          initial_comment: comment,
          file_uploads: [first, ...rest],
          ...(threadTs ? { thread_ts: threadTs } : {}),
        });
        const completed = (result as { files?: Array<{ files?: Array<{ id?: string }> }> }).files ?? [];
        return {
          fileIds: completed.flatMap((done) =>
            (done.files ?? []).flatMap((file) => (file.id ? [file.id] : [])),
          ),
        };
      }),
    // views.publish has no per-channel pace; the user id keys its Retry-After like a channel's.
    publishHome: (userId: string, view: HomeView) =>
      paced(userId, "publish", async () => {
        await client.views.publish({ user_id: userId, view });
      }),
  };
}

function rateLimitDelay(error: unknown): number | undefined {
  if (!isCoded(error) || error.code !== ErrorCode.RateLimitedError) return undefined;
  const seconds = (error as { retryAfter?: unknown }).retryAfter;
  return typeof seconds === "number" && Number.isFinite(seconds) && seconds >= 0 ? seconds : 1;
}

function toPostError(error: unknown): PostError {
  if (error instanceof PostError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (!isCoded(error)) return new PostError(message, "unknown", true);
  switch (error.code) {
    case ErrorCode.PlatformError: {
      const slackError = String((error as { data?: { error?: unknown } }).data?.error ?? "unknown_error");
      return new PostError(message, slackError, TRANSIENT_SLACK_ERRORS.has(slackError));
    }
    case ErrorCode.HTTPError:
      return new PostError(
        message,
        `http_${(error as { statusCode?: unknown }).statusCode ?? "error"}`,
        true,
      );
    case ErrorCode.RequestError:
      return new PostError(message, "request_error", true);
    default:
      return new PostError(message, String(error.code), true);
  }
}

function isCoded(error: unknown): error is { code: string } {
  return (
    typeof error === "object" && error !== null && typeof (error as { code?: unknown }).code === "string"
  );
}
