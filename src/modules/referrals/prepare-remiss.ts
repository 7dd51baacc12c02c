import type { Coded } from "../../messages/sv.js";
import { may, mayForSomeBody } from "../access/permissions.js";
import { audienceFor, personReading, titleFor } from "../cases/audience.js";
import { type CaseStatusResult, getCaseStatus } from "../cases/get-case-status.js";
import { caseLabel } from "../cases/present-case.js";
import type { RequestContext, SlackActor } from "../shared/context.js";
import { REFERRAL_ERRORS } from "./errors.js";
import { findOpenReferralBodyIds, listRemissBodies } from "./referrals.repository.js";

export type RemissChoice = { id: number; name: string; hasOpenRemiss: boolean };

export type RemissForm =
  | ({ type: "refused" } & Coded<typeof REFERRAL_ERRORS.notAllowed>)
  /** The identifier is invalid, unknown, or names cases in several registries. */
  | { type: "lookup"; result: CaseStatusResult }
  | { type: "ready"; caseId: number; label: string; title: string; bodies: RemissChoice[] };

/**
 * What `/arende remittera <identifier>` needs before it opens its form: the sender's right to send
 * the case on remiss (a registrator of its responsible body, or an admin), the one case the
 * identifier names, and every body (marked when it already has an open remiss on the case). Someone
 * who is a registrator nowhere is refused before the case is looked up. The title is the one the
 * sender may read (audienceFor).
 */
export async function prepareRemiss(
  ctx: RequestContext<SlackActor>,
  { query }: { query: string },
): Promise<RemissForm> {
  const { db } = ctx;
  const roles = await ctx.roles();
  if (!mayForSomeBody(roles, "send_on_remiss")) {
    return { type: "refused", code: REFERRAL_ERRORS.notAllowed, params: { body: null } };
  }
  const result = await getCaseStatus(ctx, { query });
  if (result.type !== "found" || result.cases.length !== 1 || !result.cases[0]) {
    return { type: "lookup", result };
  }
  const details = result.cases[0];
  if (!may(roles, "send_on_remiss", details.responsibleBody?.id)) {
    return {
      type: "refused",
      code: REFERRAL_ERRORS.notAllowed,
      params: { body: details.responsibleBody?.name ?? null },
    };
  }
  const [bodies, open] = await Promise.all([listRemissBodies(db), findOpenReferralBodyIds(db, details.id)]);
  const openIds = new Set(open);
  return {
    type: "ready",
    caseId: details.id,
    label: caseLabel(details),
    title: titleFor(audienceFor(personReading(roles), details), details),
    bodies: bodies.map((body) => ({ id: body.id, name: body.name, hasOpenRemiss: openIds.has(body.id) })),
  };
}
