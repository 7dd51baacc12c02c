import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Clock } from "../clock.js";
import type { Config } from "../config.js";
import type { Database } from "../db/client.js";
import { say } from "../messages/sv.js";
import { findBodies } from "../modules/bodies/find-bodies.js";
import { buildDigest } from "../modules/digests/build-digest.js";
import { ALL_CASES, type DigestFilter } from "../modules/digests/digest.js";
import { bodyLookupError, filterOf } from "../modules/digests/digest-settings.js";
import { DEFAULT_DIGEST_SETTINGS, parseDigestCommand } from "../modules/digests/parse-digest-command.js";
import { findSubscriptionByChannel } from "../modules/digests/subscriptions.repository.js";
import { type PostOutcome, postOnce } from "../modules/posting/post-once.js";
import type { Actor } from "../modules/shared/actor.js";
import { digestMessages } from "../slack/blocks/digest.js";
import { createPostingClient, createWebPoster, type SlackPoster } from "../slack/web-poster.js";
import { cliUser } from "./cli-user.js";
import { renderDigestText } from "./render-digest-text.js";

export type DigestCommandOptions = {
  db: Database;
  config: Pick<Config, "slack" | "deadlines" | "logLevel">;
  /** Leases of the post's claim run on this clock; the digest is counted as of `today`. */
  clock: Clock;
  today: string;
  /** Filter words as in `/arende digest prenumerera`, e.g. ["motioner", "organ:socialnämnden"]. */
  filter?: string[] | undefined;
  send?: boolean | undefined;
  channel?: string | undefined;
  out: NodeJS.WritableStream;
  err: NodeJS.WritableStream;
  /** Tests pass one; otherwise it is built from SLACK_BOT_TOKEN and SLACK_API_URL. */
  poster?: SlackPoster;
  /** Who is at the terminal, for the audit event; the login name when left out. */
  user?: string;
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
  const { db, config, out, err, today } = options;
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

  const subscription = options.channel ? await findSubscriptionByChannel(db, options.channel) : null;
  const activeSubscription = subscription?.active ? subscription : null;
  let filter: DigestFilter = activeSubscription ? filterOf(activeSubscription) : ALL_CASES;
  if (options.filter && options.filter.length > 0) {
    const parsed = await readFilter(db, options.filter);
    if (!parsed.ok) {
      err.write(`${parsed.message}\n`);
      return 2;
    }
    if (parsed.ignored) err.write(`${parsed.ignored}\n`);
    filter = parsed.filter;
  }

  const digest = await buildDigest({ db, today, filter });
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
  const actor: Actor = { type: "cli", user: options.user ?? cliUser() };
  const key = `digest:cli:${channelId}:${today}`;
  const outcome = await postOnce({
    db,
    clock: options.clock,
    poster,
    instanceId: `cli:${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`,
    actor,
    key,
    kind: "digest",
    // The channel's subscription when it has one; 0 marks a digest sent by hand to a channel without.
    subjectId: activeSubscription?.id ?? 0,
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

type ReadFilter = { ok: true; filter: DigestFilter; ignored: string | null } | { ok: false; message: string };

/** The filter words of `/arende digest prenumerera`; a weekday, a time or `utan-tomma` mean nothing here. */
async function readFilter(db: Database, words: string[]): Promise<ReadFilter> {
  const command = parseDigestCommand(`prenumerera ${words.join(" ")}`);
  if (command.type === "invalid") return { ok: false, message: stripMarkdown(say(command.error)) };
  if (command.type !== "subscribe")
    return { ok: false, message: `Filtret «${words.join(" ")}» går inte att läsa.` };
  const { settings } = command;
  const lookup = await findBodies({ db, terms: settings.bodies ?? [] });
  if (!lookup.ok) return { ok: false, message: stripMarkdown(say(bodyLookupError(lookup).error)) };
  const schedulingWords =
    settings.weekday !== DEFAULT_DIGEST_SETTINGS.weekday ||
    settings.time !== DEFAULT_DIGEST_SETTINGS.time ||
    settings.postWhenEmpty !== DEFAULT_DIGEST_SETTINGS.postWhenEmpty;
  return {
    ok: true,
    filter: {
      caseKinds: settings.caseKinds,
      bodyIds: settings.bodies ? lookup.bodies.map((body) => body.id) : null,
    },
    ignored: schedulingWords
      ? "Veckodag, tid och utan-tomma gäller prenumerationer; här används bara ärendeslag och organ."
      : null,
  };
}

/** The Slack command's messages use `code` marks; a terminal shows them as plain quotes. */
function stripMarkdown(message: string): string {
  return message.replace(/`([^`]*)`/g, "'$1'");
}
