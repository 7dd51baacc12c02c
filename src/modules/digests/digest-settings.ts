import type { Executor } from "../../db/client.js";
import { findBodiesByIds } from "../bodies/bodies.repository.js";
import type { BodyLookup } from "../bodies/find-bodies.js";
import type { BodyRef, CaseKind } from "../cases/case-details.js";
import { ALL_CASES, type DigestFilter } from "./digest.js";
import { DIGEST_ERRORS, type DigestError } from "./errors.js";
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

export function digestError(error: DigestError): { ok: false; error: DigestError } {
  return { ok: false, error };
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

/** An unknown or ambiguous body, with the closest names written the way they can be typed. */
export function bodyLookupError(lookup: Extract<BodyLookup, { ok: false }>): {
  ok: false;
  error: DigestError;
} {
  return digestError({
    code: lookup.problem === "ambiguous" ? DIGEST_ERRORS.ambiguousBody : DIGEST_ERRORS.unknownBody,
    params: {
      term: lookup.term,
      candidates: lookup.candidates.map((body) => ({ word: bodyFilterWord(body), name: body.name })),
    },
  });
}

/** `organ:kod` when the code has no spaces, else `organ:"Namn"`. */
export function bodyFilterWord(body: BodyRef): string {
  return /^\S+$/.test(body.code) && !/["“”«»,]/.test(body.code)
    ? `organ:${body.code}`
    : `organ:"${body.name}"`;
}
