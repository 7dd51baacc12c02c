import type { Executor } from "../../db/client.js";
import { findBodiesByIds } from "../bodies/bodies.repository.js";
import type { BodyLookup } from "../bodies/find-bodies.js";
import type { BodyRef, CaseKind } from "../cases/case-details.js";
import { ALL_CASES, type DigestFilter } from "./digest.js";
import type { Weekday } from "./parse-digest-command.js";
import type { SubscriptionRow } from "./subscriptions.repository.js";

/** A channel's subscription as people read it: bodies by name, not id. */
export type DigestSettings = {
  subscriptionId: number;
  channelId: string;
  weekday: Weekday;
  /** "HH:MM", Stockholm time. */
  time: string;
  /** Null means every kind. */
  caseKinds: CaseKind[] | null;
  /** Null means every responsible body. */
  bodies: BodyRef[] | null;
  postWhenEmpty: boolean;
};

export type DigestErrorCode =
  | "digests.not_allowed"
  | "digests.not_subscribed"
  | "digests.unknown_body"
  | "digests.ambiguous_body";

/** A refusal or a problem with the request; `message` is Swedish and says what to do instead. */
export type DigestError = { code: DigestErrorCode; message: string };

export function digestError(code: DigestErrorCode, message: string): { ok: false; error: DigestError } {
  return { ok: false, error: { code, message } };
}

export function filterOf(row: Pick<SubscriptionRow, "caseKinds" | "bodyIds">): DigestFilter {
  return {
    caseKinds: row.caseKinds && row.caseKinds.length > 0 ? row.caseKinds : ALL_CASES.caseKinds,
    bodyIds: row.bodyIds && row.bodyIds.length > 0 ? row.bodyIds : ALL_CASES.bodyIds,
  };
}

export async function describeSubscription(db: Executor, row: SubscriptionRow): Promise<DigestSettings> {
  const { caseKinds, bodyIds } = filterOf(row);
  const known = bodyIds ? await findBodiesByIds(db, bodyIds) : null;
  return {
    subscriptionId: row.id,
    channelId: row.channelId,
    weekday: row.weekday as Weekday,
    time: row.time,
    caseKinds,
    // In the order the subscription lists them.
    bodies: known && bodyIds ? bodyIds.flatMap((id) => known.filter((body) => body.id === id)) : null,
    postWhenEmpty: row.postWhenEmpty,
  };
}

/** "Jag hittar inget organ «bromma»…" with the closest names written the way they can be typed. */
export function bodyLookupError(lookup: Extract<BodyLookup, { ok: false }>): {
  ok: false;
  error: DigestError;
} {
  const typeable = lookup.candidates.map((body) => `\`${bodyFilterWord(body)}\` (${body.name})`);
  if (lookup.problem === "ambiguous") {
    return digestError(
      "digests.ambiguous_body",
      `«${lookup.term}» passar flera organ: ${typeable.join(", ")}. Skriv organets kod, till exempel ${typeable[0] ?? "`organ:socialnamnden`"}.`,
    );
  }
  const suggestions =
    typeable.length > 0
      ? ` Menade du ${typeable.length === 1 ? "" : "något av "}${typeable.join(", ")}?`
      : ' Skriv organets kod eller hela namnet som det står i diariet, till exempel `organ:"Bromma stadsdelsnämnd"`.';
  return digestError(
    "digests.unknown_body",
    `Jag hittar inget organ som heter «${lookup.term}».${suggestions}`,
  );
}

/** `organ:kod` when the code has no spaces, else `organ:"Namn"`. */
export function bodyFilterWord(body: BodyRef): string {
  return /^\S+$/.test(body.code) && !/["“”«»,]/.test(body.code)
    ? `organ:${body.code}`
    : `organ:"${body.name}"`;
}
