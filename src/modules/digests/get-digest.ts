import { today } from "../../clock.js";
import { findBodies } from "../bodies/find-bodies.js";
import type { RequestContext } from "../shared/context.js";
import { buildDigest } from "./build-digest.js";
import type { Digest, DigestFilter } from "./digest.js";
import { bodyLookupError, filterOf } from "./digest-settings.js";
import type { DigestError } from "./errors.js";
import { DEFAULT_DIGEST_SETTINGS, parseDigestCommand } from "./parse-digest-command.js";
import { findSubscriptionByChannel } from "./subscriptions.repository.js";

/** What is overdue for `filter`, as of `asOf` ("YYYY-MM-DD", Stockholm) or today by the context's clock. */
export function getDigest(
  ctx: Pick<RequestContext, "db" | "clock">,
  { filter, asOf }: { filter: DigestFilter; asOf?: string | undefined },
): Promise<Digest> {
  return buildDigest({ db: ctx.db, today: asOf ?? today(ctx.clock), filter });
}

/** A channel's active subscription, as far as a digest sent to it by hand needs it; null without one. */
export async function getChannelDigestFilter(
  ctx: Pick<RequestContext, "db">,
  { channelId }: { channelId: string },
): Promise<{ subscriptionId: number; filter: DigestFilter } | null> {
  const row = await findSubscriptionByChannel(ctx.db, channelId);
  return row?.active ? { subscriptionId: row.id, filter: filterOf(row) } : null;
}

export type ReadDigestFilter =
  | { ok: true; filter: DigestFilter; ignored: string | null }
  /** `error` has Swedish words in messages/sv.ts; words that do not read as a filter at all have none. */
  | { ok: false; error: DigestError | null; words: string };

/**
 * The filter words of `/arende digest prenumerera` (kinds and `organ:` bodies), read on their own, as
 * `arendebot digest --filter` takes them; a weekday, a time or `utan-tomma` mean nothing here and are
 * named in `ignored` (in Swedish).
 */
export async function readDigestFilter(
  ctx: Pick<RequestContext, "db">,
  { words }: { words: readonly string[] },
): Promise<ReadDigestFilter> {
  const command = parseDigestCommand(`prenumerera ${words.join(" ")}`);
  if (command.type === "invalid") return { ok: false, error: command.error, words: words.join(" ") };
  if (command.type !== "subscribe") return { ok: false, error: null, words: words.join(" ") };
  const { settings } = command;
  const lookup = await findBodies({ db: ctx.db, terms: settings.bodies ?? [] });
  if (!lookup.ok) return { ok: false, error: bodyLookupError(lookup).error, words: words.join(" ") };
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
