import { today as todayOf } from "../../clock.js";
import type { Coded } from "../../messages/sv.js";
import { may, mayForSomeBody } from "../access/permissions.js";
import { audienceFor, personReading, titleFor } from "../cases/audience.js";
import type { CaseDetails } from "../cases/case-details.js";
import { type CaseStatusResult, findCaseStatus, getCaseById } from "../cases/get-case-status.js";
import { caseLabel } from "../cases/present-case.js";
import type { RequestContext, SlackActor } from "../shared/context.js";
import { RESPONSE_ERRORS } from "./errors.js";
import { findOpenReferralsOfCase } from "./responses.repository.js";

/** An open referral the person may answer for, as the form lists it. */
export type ResponseChoice = { referralId: number; bodyId: number; bodyName: string; dueOn: string | null };

export type ResponseForm =
  | ({ type: "refused" } & Coded<typeof RESPONSE_ERRORS.notAllowed>)
  /** The identifier is invalid, unknown, or names cases in several registries. */
  | { type: "lookup"; result: CaseStatusResult }
  | { type: "case_not_found"; code: typeof RESPONSE_ERRORS.caseNotFound }
  | ({ type: "nothing_open" } & Coded<typeof RESPONSE_ERRORS.noOpenReferrals>)
  | {
      type: "ready";
      caseId: number;
      label: string;
      title: string;
      referrals: ResponseChoice[];
      /** Stockholm's date, the answer date's default. */
      today: string;
    };

/**
 * What `/arende remissvar <identifier>` and the "Registrera remissvar" button need before the form
 * opens: the one case, and its open referrals for bodies where the person may record a response
 * (handläggare or registrator of the body). Someone with no such role anywhere is refused before
 * the case is looked up.
 */
export async function prepareResponse(
  ctx: RequestContext<SlackActor>,
  target: { query: string } | { caseId: number },
): Promise<ResponseForm> {
  const { db } = ctx;
  const today = todayOf(ctx.clock);
  const roles = await ctx.roles();
  if (!mayForSomeBody(roles, "record_response")) {
    return { type: "refused", code: RESPONSE_ERRORS.notAllowed, params: { body: null } };
  }
  let details: CaseDetails | null;
  if ("query" in target) {
    const result = await findCaseStatus({ db, query: target.query });
    if (result.type !== "found" || result.cases.length !== 1 || !result.cases[0]) {
      return { type: "lookup", result };
    }
    details = result.cases[0];
  } else {
    details = await getCaseById({ db, caseId: target.caseId });
    if (!details) {
      return { type: "case_not_found", code: RESPONSE_ERRORS.caseNotFound };
    }
  }
  const label = caseLabel(details);
  const open = await findOpenReferralsOfCase(db, details.id);
  if (open.length === 0) {
    return {
      type: "nothing_open",
      code: RESPONSE_ERRORS.noOpenReferrals,
      params: { case: label },
    };
  }
  const mine = open.filter((referral) => may(roles, "record_response", referral.body.id));
  if (mine.length === 0) {
    const names = [...new Set(open.map((referral) => referral.body.name))];
    return {
      type: "refused",
      code: RESPONSE_ERRORS.notAllowed,
      params: { body: names.length === 1 ? (names[0] ?? null) : null },
    };
  }
  return {
    type: "ready",
    caseId: details.id,
    label,
    // An answering body's people are often not entitled to a restricted case they are asked about.
    title: titleFor(audienceFor(personReading(roles), details), details),
    referrals: mine.map((referral) => ({
      referralId: referral.referralId,
      bodyId: referral.body.id,
      bodyName: referral.body.name,
      dueOn: referral.dueOn,
    })),
    today,
  };
}
