import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Config } from "../config.js";
import { say } from "../messages/sv.js";
import { ALL_CASES, type DigestFilter } from "../modules/digests/digest.js";
import { getChannelDigestFilter, getDigest, readDigestFilter } from "../modules/digests/get-digest.js";
import { type PostOutcome, postOnce } from "../modules/posting/post-once.js";
import type { Poster } from "../modules/posting/poster.js";
import type { CliActor, RequestContext } from "../modules/shared/context.js";
import { digestMessages } from "../slack/blocks/digest.js";
import { createPostingClient, createWebPoster } from "../slack/web-poster.js";
import { renderDigestText } from "./render-digest-text.js";

export type DigestCommandOptions = {
  /** The operator at the terminal; leases of the post's claim run on its clock. */
  ctx: RequestContext<CliActor>;
  config: Pick<Config, "slack" | "deadlines" | "logLevel">;
  /** The day the digest is counted as of ("YYYY-MM-DD"). */
  today: string;
  /** Filter words as in `/arende digest prenumerera`, e.g. ["motioner", "organ:socialnämnden"]. */
  filter?: string[] | undefined;
  send?: boolean | undefined;
  channel?: string | undefined;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  /** Tests pass one; otherwise it is built from SLACK_BOT_TOKEN and SLACK_API_URL. */
  poster?: Poster;
};

const CHANNEL_ID = /^[CGD][A-Z0-9]{2,}$/;

/**
 * `arendebot digest [--as-of YYYY-MM-DD] [--filter …] [--send --channel C…]`.
 * Prints the digest as text; with --send posts it in the channel through the same exactly-once path as
 * the schedule, keyed by channel and day, so a second --send the same day says it was already sent.
 * Without --filter the channel's subscription filter applies (all cases when it has none).
 * Exit codes: 0 printed, posted or already posted; 1 the post failed or is under way elsewhere;
 * 2 bad arguments or missing configuration.
 */
export async function runDigestCommand(options: DigestCommandOptions): Promise<number> {
  const { ctx, config, out, err, today } = options;
  if (options.send && !options.channel) {
    err.write("--send behöver en kanal: lägg till --channel C… (kanalens id, t.ex. C0123ABCDEF).\n");
    return 2;
  }
  if (options.channel !== undefined && !CHANNEL_ID.test(options.channel)) {
    err.write(
      `«${options.channel}» är inget kanal-id. Ange kanalens id (C…), som du hittar under kanalens namn → Om.\n`,
    );
    return 2;
  }
  const slack = config.slack;
  if (options.send && !options.poster && !slack) {
    err.write(
      "För att skicka med --send behövs SLACK_BOT_TOKEN: sätt den till botens Bot User OAuth Token (xoxb-…) " +
        "från Slack-appens sida OAuth & Permissions.\n",
    );
    return 2;
  }

  const subscription = options.channel
    ? await getChannelDigestFilter(ctx, { channelId: options.channel })
    : null;
  let filter: DigestFilter = subscription?.filter ?? ALL_CASES;
  if (options.filter && options.filter.length > 0) {
    const parsed = await readDigestFilter(ctx, { words: options.filter });
    if (!parsed.ok) {
      const message = parsed.error ? say(parsed.error) : `Filtret «${parsed.words}» går inte att läsa.`;
      err.write(`${stripMarkdown(message)}\n`);
      return 2;
    }
    if (parsed.ignored) err.write(`${parsed.ignored}\n`);
    filter = parsed.filter;
  }

  const digest = await getDigest(ctx, { filter, asOf: today });
  if (!options.send || !options.channel) {
    out.write(`${renderDigestText(digest, { rules: config.deadlines })}\n`);
    return 0;
  }

  const channelId = options.channel;
  const poster =
    options.poster ??
    createWebPoster({
      client: createPostingClient({
        botToken: slack?.botToken ?? "",
        apiUrl: slack?.apiUrl,
        logLevel: "error",
      }),
      log: (line) => err.write(`${line}\n`),
    });
  const key = `digest:cli:${channelId}:${today}`;
  const outcome = await postOnce(ctx, {
    poster,
    instanceId: `cli:${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`,
    key,
    kind: "digest",
    // The channel's subscription when it has one; 0 marks a digest sent by hand to a channel without.
    subjectId: subscription?.subscriptionId ?? 0,
    period: today,
    channelId,
    late: false,
    build: async () => ({
      messages: digestMessages(digest, { late: false, postWhenEmpty: true, rules: config.deadlines }),
      itemCount: digest.total,
    }),
    log: (line) => err.write(`${line}\n`),
  });
  return report(outcome, { channelId, today, out, err });
}

function report(
  outcome: PostOutcome,
  {
    channelId,
    today,
    out,
    err,
  }: { channelId: string; today: string; out: NodeJS.WritableStream; err: NodeJS.WritableStream },
): number {
  switch (outcome) {
    case "posted":
    case "nothing_to_post":
      out.write(`Digesten per ${today} är skickad till ${channelId}.\n`);
      return 0;
    case "already_posted":
      out.write(
        `Digesten per ${today} är redan skickad till ${channelId} (redan skickat); inget nytt skickades.\n`,
      );
      return 0;
    case "claimed_elsewhere":
      err.write(
        `Digesten per ${today} till ${channelId} skickas just nu av en annan process; försök igen om en stund.\n`,
      );
      return 1;
    case "failed":
      err.write(
        `Digesten per ${today} kunde inte skickas till ${channelId}. Kör kommandot igen om några minuter; ` +
          "det som redan kommit fram skickas inte igen.\n",
      );
      return 1;
  }
}

/** The Slack command's messages use `code` marks; a terminal shows them as plain quotes. */
function stripMarkdown(message: string): string {
  return message.replace(/`([^`]*)`/g, "'$1'");
}
