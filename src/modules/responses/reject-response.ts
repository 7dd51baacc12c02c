import type { Coded } from "../../messages/sv.js";
import { recordAudit } from "../audit/audit.repository.js";
import type { RequestContext, SlackActor } from "../shared/context.js";
import {
  alreadyDecided,
  checkDecider,
  type Decision,
  type DecisionRefusal,
  type DecisionSubject,
  subjectOf,
} from "./approve-response.js";
import { decidePendingResponse } from "./decisions.repository.js";
import { DECISION_LIMITS, RESPONSE_ERRORS } from "./errors.js";
import { type ResponseView, viewResponseFor } from "./present-response.js";

export type RejectResponseResult =
  | { ok: true; subject: DecisionSubject; decision: Decision }
  | DecisionRefusal
  | ({ ok: false; type: "invalid" } & Coded<
      typeof RESPONSE_ERRORS.reasonRequired | typeof RESPONSE_ERRORS.reasonTooLong
    >);

/** The reason form shows the response as the one who clicked Avslå may read it. */
export type RejectionForm = { ok: true; view: ResponseView } | DecisionRefusal;

/**
 * Before Avslå opens its form: the same checks as the rejection itself (the user's right, and a
 * request still pending), read-only and quick, since the modal must open within Slack's 3 seconds.
 */
export async function prepareRejection(
  ctx: RequestContext<SlackActor>,
  { responseId }: { responseId: number },
): Promise<RejectionForm> {
  const checked = await checkDecider(ctx, responseId);
  if (!checked.ok) return checked;
  const slackUserId = ctx.actor.userId;
  const readers = { db: ctx.db, bootstrapAdmins: ctx.admins };
  if (checked.context.approvalState !== "pending") return alreadyDecided(readers, checked.context);
  return {
    ok: true,
    view: await viewResponseFor(readers, checked.context, { type: "person", slackUserId }),
  };
}

/**
 * Avslå: only a godkännare of the referral's body, and only with a reason (trimmed, non-empty, at most
 * DECISION_LIMITS.reasonMaxLength characters). The same conditional update as an approval decides, so
 * a request already decided stays as it is; the referral stays open for a new response. Audited with
 * the reason and the Slack user, in the same transaction.
 */
export async function rejectResponse(
  ctx: RequestContext<SlackActor>,
  { responseId, reason }: { responseId: number; reason: string },
): Promise<RejectResponseResult> {
  const { db, clock, actor, admins: bootstrapAdmins } = ctx;
  const checked = await checkDecider(ctx, responseId);
  if (!checked.ok) return checked;
  const why = reason.trim();
  if (why === "") {
    return {
      ok: false,
      type: "invalid",
      code: RESPONSE_ERRORS.reasonRequired,
    };
  }
  if (why.length > DECISION_LIMITS.reasonMaxLength) {
    return {
      ok: false,
      type: "invalid",
      code: RESPONSE_ERRORS.reasonTooLong,
      params: { max: DECISION_LIMITS.reasonMaxLength, length: why.length },
    };
  }
  const at = clock.now();
  return db.transaction(async (tx): Promise<RejectResponseResult> => {
    const won = await decidePendingResponse(tx, {
      responseId,
      state: "rejected",
      bySlackUserId: actor.userId,
      byName: actor.name ?? null,
      at,
      reason: why,
    });
    const { context } = checked;
    if (!won) return alreadyDecided({ db: tx, bootstrapAdmins }, context);
    await recordAudit(tx, {
      actor,
      at,
      entries: [
        {
          action: "referral_response.rejected",
          entityType: "referral_response",
          entityId: responseId,
          changes: {
            referral_id: context.referralId,
            approval_state: "rejected",
            from: "pending",
            decision_reason: why,
          },
        },
      ],
    });
    return {
      ok: true,
      subject: await subjectOf({ db: tx, bootstrapAdmins }, context),
      decision: {
        state: "rejected",
        bySlackUserId: actor.userId,
        byName: actor.name ?? null,
        at,
        reason: why,
      },
    };
  });
}
