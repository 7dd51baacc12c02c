import { today as todayOf } from "../../clock.js";
import type { Coded } from "../../messages/sv.js";
import { may, mayForSomeBody } from "../access/permissions.js";
import { recordAudit } from "../audit/audit.repository.js";
import { audienceFor, IN_CHANNEL } from "../cases/audience.js";
import { getCaseById } from "../cases/get-case-status.js";
import { type CasePresentation, caseLabel, formatSwedishDate, presentCase } from "../cases/present-case.js";
import { statedDueDateWarning } from "../deadlines/deadline-rules.js";
import { isCalendarDay } from "../shared/calendar.js";
import type { RequestContext, SlackActor } from "../shared/context.js";
import { type FieldError, REFERRAL_ERRORS, REMISS_LIMITS } from "./errors.js";
import {
  findCaseResponsibleBody,
  findOpenReferralBodyIds,
  findRemissBodies,
  insertOpenReferralsIfAbsent,
  insertReferralDeadlines,
  type RemissBody,
} from "./referrals.repository.js";

export type RemissRequest = {
  caseId: number;
  bodyIds: readonly number[];
  /** "YYYY-MM-DD" as picked; null when none was. */
  dueOn: string | null;
  message: string | null;
  /**
   * A due date on a non-working day the sender has already been warned of and kept. Any other such
   * date is answered with `confirm_due_date` before anything is written.
   */
  confirmedDueOn?: string | null;
};

export type SentReferral = { referralId: number; deadlineId: number; body: RemissBody };

export type SendOnRemissResult =
  | {
      ok: true;
      caseId: number;
      sentOn: string;
      dueOn: string;
      dueStatement: string;
      /** "svarsdatumet infaller på en lördag" when the stated date is not a working day. */
      dueDateWarning: string | null;
      referrals: SentReferral[];
      /** "Dnr 108-1642/2017": public, for the sender's confirmation. */
      caseLabel: string;
      /**
       * The card posted to each answering body's channel, as the case stands after the remiss, for a
       * channel's audience (a restricted case shows its public data only); null if the case vanished.
       */
      channelCard: CasePresentation | null;
    }
  | ({ ok: false; type: "refused" } & Coded<typeof REFERRAL_ERRORS.notAllowed>)
  | { ok: false; type: "case_not_found"; code: typeof REFERRAL_ERRORS.caseNotFound }
  | { ok: false; type: "invalid"; errors: FieldError[] }
  | {
      ok: false;
      type: "confirm_due_date";
      code: typeof REFERRAL_ERRORS.dueOnNonWorkingDay;
      dueOn: string;
      warning: string;
    };

/** A lost race on the one-open-remiss index: rolls the transaction back and names the bodies. */
class AlreadyOpen extends Error {
  constructor(readonly bodyIds: number[]) {
    super("a body already has an open remiss on the case");
  }
}

/**
 * Sends a case on remiss to one or more bodies: one open referral per body, each watched by a
 * referral_due deadline, audited as `referral.sent` with the sender, all in one transaction. Only the
 * registrators of the case's responsible body and admins may, checked here whatever the form was (a
 * forged submission naming another body's case is refused, and nothing is written). The due date must
 * be today or later in Stockholm; a body may have only one open remiss per case, and a concurrent
 * submit that loses that race writes nothing.
 */
export async function sendOnRemiss(
  ctx: RequestContext<SlackActor>,
  { request }: { request: RemissRequest },
): Promise<SendOnRemissResult> {
  const { db, clock, actor } = ctx;
  const roles = await ctx.roles();
  if (!mayForSomeBody(roles, "send_on_remiss")) {
    return {
      ok: false,
      type: "refused",
      code: REFERRAL_ERRORS.notAllowed,
      params: { body: null },
    };
  }
  const target = await findCaseResponsibleBody(db, request.caseId);
  if (!target) {
    return {
      ok: false,
      type: "case_not_found",
      code: REFERRAL_ERRORS.caseNotFound,
    };
  }
  if (!may(roles, "send_on_remiss", target.responsibleBody?.id)) {
    return {
      ok: false,
      type: "refused",
      code: REFERRAL_ERRORS.notAllowed,
      params: { body: target.responsibleBody?.name ?? null },
    };
  }

  const today = todayOf(clock);
  const errors: FieldError[] = [];
  const bodyIds = [...new Set(request.bodyIds)];
  let chosen: RemissBody[] = [];
  if (bodyIds.length === 0) {
    errors.push({ field: "bodies", code: REFERRAL_ERRORS.noBodies });
  } else if (bodyIds.length > REMISS_LIMITS.maxBodies) {
    errors.push({
      field: "bodies",
      code: REFERRAL_ERRORS.tooManyBodies,
      params: { max: REMISS_LIMITS.maxBodies },
    });
  } else {
    chosen = await findRemissBodies(db, bodyIds);
    const open = new Set(await findOpenReferralBodyIds(db, request.caseId, bodyIds));
    if (chosen.length < bodyIds.length) {
      errors.push({ field: "bodies", code: REFERRAL_ERRORS.unknownBody });
    } else if (open.size > 0) {
      errors.push(alreadyOpenError(chosen.filter((body) => open.has(body.id))));
    }
  }

  const dueOn = request.dueOn?.trim() ?? "";
  if (dueOn === "" || !isCalendarDay(dueOn)) {
    errors.push({ field: "dueOn", code: REFERRAL_ERRORS.invalidDueDate });
  } else if (dueOn < today) {
    errors.push({
      field: "dueOn",
      code: REFERRAL_ERRORS.dueInPast,
      params: { date: dueOn, today },
    });
  }

  const message = request.message?.trim() ?? "";
  if (message.length > REMISS_LIMITS.messageMaxLength) {
    errors.push({
      field: "message",
      code: REFERRAL_ERRORS.messageTooLong,
      params: { max: REMISS_LIMITS.messageMaxLength, length: message.length },
    });
  }
  if (errors.length > 0) return { ok: false, type: "invalid", errors };

  const dueDateWarning = statedDueDateWarning(dueOn);
  if (dueDateWarning && request.confirmedDueOn !== dueOn) {
    return {
      ok: false,
      type: "confirm_due_date",
      code: REFERRAL_ERRORS.dueOnNonWorkingDay,
      dueOn,
      warning: dueDateWarning,
    };
  }

  const dueStatement = message !== "" ? message : `Svar senast ${formatSwedishDate(dueOn)}`;
  const at = clock.now();
  try {
    const referrals = await db.transaction(async (tx) => {
      const inserted = await insertOpenReferralsIfAbsent(
        tx,
        chosen.map((body) => ({
          caseId: request.caseId,
          bodyId: body.id,
          sentOn: today,
          dueOn,
          dueStatement,
        })),
      );
      if (inserted.length < chosen.length) {
        const won = new Set(inserted.map((row) => row.bodyId));
        throw new AlreadyOpen(chosen.filter((body) => !won.has(body.id)).map((body) => body.id));
      }
      const basis = `Remissens svarsdatum: svar senast ${formatSwedishDate(dueOn)}${dueDateWarning ? ` (${dueDateWarning})` : ""}.`;
      const watches = await insertReferralDeadlines(
        tx,
        inserted.map((row) => ({ caseId: request.caseId, referralId: row.id, dueOn, basis })),
      );
      const sent = inserted.map((row): SentReferral => {
        const body = chosen.find((candidate) => candidate.id === row.bodyId);
        const deadline = watches.find((watch) => watch.referralId === row.id);
        if (!body || !deadline) throw new Error(`referral ${row.id} lost its body or deadline`);
        return { referralId: row.id, deadlineId: deadline.id, body };
      });
      await recordAudit(tx, {
        actor,
        at,
        entries: sent.map((referral) => ({
          action: "referral.sent",
          entityType: "referral",
          entityId: referral.referralId,
          changes: {
            case_id: request.caseId,
            body_id: referral.body.id,
            state: "open",
            sent_on: today,
            due_on: dueOn,
            due_statement: dueStatement,
            deadline_id: referral.deadlineId,
            ...(dueDateWarning ? { due_on_warning: dueDateWarning } : {}),
          },
        })),
      });
      return sent;
    });
    const details = await getCaseById({ db, caseId: request.caseId });
    return {
      ok: true,
      caseId: request.caseId,
      sentOn: today,
      dueOn,
      dueStatement,
      dueDateWarning,
      referrals,
      caseLabel: details ? caseLabel(details) : `Ärende ${request.caseId}`,
      channelCard: details
        ? presentCase(details, { today, audience: audienceFor(IN_CHANNEL, details) })
        : null,
    };
  } catch (error) {
    if (!(error instanceof AlreadyOpen)) throw error;
    const lost = new Set(error.bodyIds);
    return {
      ok: false,
      type: "invalid",
      errors: [alreadyOpenError(chosen.filter((body) => lost.has(body.id)))],
    };
  }
}

function alreadyOpenError(bodies: readonly RemissBody[]): FieldError {
  return {
    field: "bodies",
    code: REFERRAL_ERRORS.alreadyOpen,
    params: { bodies: bodies.map((body) => body.name) },
  };
}
