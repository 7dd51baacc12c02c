import { today as todayOf } from "../../clock.js";
import type { Coded } from "../../messages/sv.js";
import { may } from "../access/permissions.js";
import { recordAudit } from "../audit/audit.repository.js";
import { isCalendarDay } from "../shared/calendar.js";
import type { RequestContext, SlackActor } from "../shared/context.js";
import { findDecisionContext } from "./decisions.repository.js";
import { DECLINED_SUMMARY, RESPONSE_ERRORS, RESPONSE_LIMITS, type ResponseFieldError } from "./errors.js";
import { listApprovers } from "./list-approvers.js";
import { caseLabelOf, type ResponseView, viewResponseFor } from "./present-response.js";
import {
  type AnswerableReferral,
  findReferral,
  hasPendingResponse,
  insertPendingResponse,
  lockReferral,
} from "./responses.repository.js";

export type ResponseRequest = {
  /** The case the form was opened for; the chosen referral must belong to it. */
  caseId: number;
  referralId: number | null;
  /** "YYYY-MM-DD" as picked; null when none was. */
  answeredOn: string | null;
  summary: string | null;
  link: string | null;
  /** "Avstår från att svara": the body declines to answer; the summary is then optional. */
  declined: boolean;
};

export type RecordedResponse = {
  responseId: number;
  kind: "answer" | "declined";
  answeredOn: string;
  referral: AnswerableReferral;
  /** "Dnr 108-1642/2017": public, for the submitter's confirmation. */
  caseLabel: string;
  /** The body's godkännare (Slack user ids), who are asked to approve. */
  approvers: string[];
  /**
   * The approval request as each godkännare may read it: a restricted case's title and the answer's
   * summary only for those entitled to the case, its public data for the others.
   */
  requests: { slackUserId: string; view: ResponseView }[];
  /** The approval request as the body's channel may read it, for when no godkännare can be reached. */
  channelRequest: ResponseView;
};

export type RecordResponseResult =
  | ({ ok: true } & RecordedResponse)
  | ({ ok: false; type: "refused" } & Coded<typeof RESPONSE_ERRORS.notAllowed>)
  | { ok: false; type: "invalid"; errors: ResponseFieldError[] };

/** A submit that lost the race on the referral's row lock, or whose referral closed meanwhile. */
class Conflict extends Error {
  constructor(readonly error: ResponseFieldError) {
    super(error.code);
  }
}

/**
 * Records a body's remissvar (or its declining to answer) as pending approval: one transaction that
 * locks the referral row, refuses a second pending response to it, inserts the response and audits
 * `referral_response.submitted` with the submitter. Only a handläggare or registrator of the
 * referral's body may, checked here whatever the form offered. The answer date may not be later
 * than today in Stockholm. The approval request comes back as each godkännare of the body may read it,
 * and as the body's channel may.
 */
export async function recordResponse(
  ctx: RequestContext<SlackActor>,
  { request }: { request: ResponseRequest },
): Promise<RecordResponseResult> {
  const { db, clock, actor } = ctx;
  const roles = await ctx.roles();
  const errors: ResponseFieldError[] = [];

  let referral: AnswerableReferral | null = null;
  if (request.referralId === null) {
    errors.push({ field: "referral", code: RESPONSE_ERRORS.noReferral });
  } else {
    referral = await findReferral(db, request.referralId);
    if (!referral || referral.caseId !== request.caseId) {
      referral = null;
      errors.push({ field: "referral", code: RESPONSE_ERRORS.unknownReferral });
    } else if (!may(roles, "record_response", referral.body.id)) {
      return {
        ok: false,
        type: "refused",
        code: RESPONSE_ERRORS.notAllowed,
        params: { body: referral.body.name },
      };
    } else if (referral.state !== "open") {
      errors.push(closedError(referral.body.name));
    }
  }

  const today = todayOf(clock);
  const answeredOn = request.answeredOn?.trim() ?? "";
  if (answeredOn === "" || !isCalendarDay(answeredOn)) {
    errors.push({ field: "answeredOn", code: RESPONSE_ERRORS.invalidAnswerDate });
  } else if (answeredOn > today) {
    errors.push({
      field: "answeredOn",
      code: RESPONSE_ERRORS.answerDateInFuture,
      params: { date: answeredOn, today },
    });
  }

  const written = request.summary?.trim() ?? "";
  if (written === "" && !request.declined) {
    errors.push({ field: "summary", code: RESPONSE_ERRORS.summaryRequired });
  } else if (written.length > RESPONSE_LIMITS.summaryMaxLength) {
    errors.push({
      field: "summary",
      code: RESPONSE_ERRORS.summaryTooLong,
      params: { max: RESPONSE_LIMITS.summaryMaxLength, length: written.length },
    });
  }

  const link = request.link?.trim() || null;
  if (link !== null && !isWebLink(link)) {
    errors.push({
      field: "link",
      code: RESPONSE_ERRORS.invalidLink,
      params: { max: RESPONSE_LIMITS.linkMaxLength },
    });
  }
  if (errors.length > 0 || !referral) return { ok: false, type: "invalid", errors };

  const kind = request.declined ? ("declined" as const) : ("answer" as const);
  const summary = written !== "" ? written : DECLINED_SUMMARY;
  const chosen = referral;
  const at = clock.now();
  try {
    const responseId = await db.transaction(async (tx) => {
      const locked = await lockReferral(tx, chosen.referralId);
      if (locked?.state !== "open") throw new Conflict(closedError(chosen.body.name));
      if (await hasPendingResponse(tx, chosen.referralId)) {
        throw new Conflict({
          field: "referral",
          code: RESPONSE_ERRORS.alreadyPending,
          params: { body: chosen.body.name },
        });
      }
      const id = await insertPendingResponse(tx, {
        referralId: chosen.referralId,
        kind,
        summary,
        link,
        answeredOn,
        submittedByName: actor.name ?? null,
        submittedBySlackUserId: actor.userId,
        submittedAt: at,
      });
      await recordAudit(tx, {
        actor,
        at,
        entries: [
          {
            action: "referral_response.submitted",
            entityType: "referral_response",
            entityId: id,
            changes: {
              referral_id: chosen.referralId,
              case_id: chosen.caseId,
              body_id: chosen.body.id,
              kind,
              summary,
              link,
              answered_on: answeredOn,
              approval_state: "pending",
            },
          },
        ],
      });
      return id;
    });
    const [context, approvers] = await Promise.all([
      findDecisionContext(db, responseId),
      listApprovers({ db, bodyId: chosen.body.id }),
    ]);
    if (!context) throw new Error(`referral response ${responseId} vanished after it was stored`);
    const readers = { db, bootstrapAdmins: ctx.admins };
    const requests: RecordedResponse["requests"] = [];
    for (const slackUserId of approvers) {
      requests.push({
        slackUserId,
        view: await viewResponseFor(readers, context, { type: "person", slackUserId }),
      });
    }
    return {
      ok: true,
      responseId,
      kind,
      answeredOn,
      referral: chosen,
      caseLabel: caseLabelOf(context),
      approvers,
      requests,
      channelRequest: await viewResponseFor(readers, context, { type: "channel" }),
    };
  } catch (error) {
    if (!(error instanceof Conflict)) throw error;
    return { ok: false, type: "invalid", errors: [error.error] };
  }
}

function closedError(bodyName: string): ResponseFieldError {
  return {
    field: "referral",
    code: RESPONSE_ERRORS.referralClosed,
    params: { body: bodyName },
  };
}

function isWebLink(text: string): boolean {
  if (text.length > RESPONSE_LIMITS.linkMaxLength || /\s/.test(text)) return false;
  try {
    const url = new URL(text);
    return (url.protocol === "https:" || url.protocol === "http:") && url.hostname !== "";
  } catch {
    return false;
  }
}
