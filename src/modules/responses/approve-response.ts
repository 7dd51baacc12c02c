import { today as todayOf } from "../../clock.js";
import type { Executor } from "../../db/client.js";
import type { Coded } from "../../messages/sv.js";
import { may } from "../access/permissions.js";
import { recordAudit } from "../audit/audit.repository.js";
import type { RequestContext, SlackActor } from "../shared/context.js";
import {
  closeOpenReferral,
  type DecisionContext,
  decidePendingResponse,
  findApprovalMessages,
  findDecision,
  findDecisionContext,
  meetReferralDeadline,
} from "./decisions.repository.js";
import { RESPONSE_ERRORS } from "./errors.js";
import { caseLabelOf, type ResponseView, viewResponseFor } from "./present-response.js";

/**
 * Who is told what of a decision, each as the audience rule (audienceFor) allows: the godkännare
 * whose direct message holds a copy of the request, the body's channel, the submitter, the
 * responsible body's channel.
 */
export type DecisionSubject = {
  responseId: number;
  caseLabel: string;
  bodyName: string;
  /** Every copy of the approval request in Slack, each as its reader may read it. */
  copies: { channelId: string; messageTs: string; view: ResponseView }[];
  /** For a copy that is not on record (its posting was never stored): read as a channel's. */
  unrecordedCopy: ResponseView;
  /** The one who recorded the response, as they may read it; null when the registry does not know. */
  submitter: { slackUserId: string; view: ResponseView } | null;
  /** The channel of the case's responsible body, told of an approval; null when none is bound. */
  responsibleChannel: { channelId: string; view: ResponseView } | null;
};

export type Decision = {
  state: "approved" | "rejected";
  bySlackUserId: string | null;
  byName: string | null;
  at: Date | null;
  reason: string | null;
};

export type DecisionRefusal =
  | ({ ok: false; type: "refused" } & Coded<typeof RESPONSE_ERRORS.approvalNotAllowed>)
  | { ok: false; type: "not_found"; code: typeof RESPONSE_ERRORS.notFound }
  | {
      ok: false;
      type: "already_decided";
      code: typeof RESPONSE_ERRORS.alreadyDecided;
      subject: DecisionSubject;
      decision: Decision;
    };

export type ApproveResponseResult =
  | {
      ok: true;
      subject: DecisionSubject;
      decision: Decision;
      referral: { id: number; state: "answered" | "declined"; answeredOn: string };
      deadlineIds: number[];
    }
  | DecisionRefusal
  | {
      ok: false;
      type: "expired";
      code: typeof RESPONSE_ERRORS.expired;
      subject: DecisionSubject;
    };

/** The referral closed under us: rolls the transaction back. */
class ReferralNotOpen extends Error {
  constructor() {
    super("the referral is no longer open");
  }
}

/**
 * Godkänn: only a godkännare of the referral's body may. In one transaction, the conditional update
 * decides (a double click, a second approver, a Slack retry or another replica that comes second gets
 * `already_decided`, with who decided and when, and nothing changes); the referral becomes answered
 * (declined when the response declines to answer) on the response's date, its referral_due deadline
 * met on that date, and all of it is audited with the Slack user. The case's own status is left
 * alone even when every referral is now answered: the stage sentence ("alla remissvar har kommit in")
 * derives from the referrals, and moving the case on is the registrator's decision.
 */
export async function approveResponse(
  ctx: RequestContext<SlackActor>,
  { responseId }: { responseId: number },
): Promise<ApproveResponseResult> {
  const { db, clock, actor, admins: bootstrapAdmins } = ctx;
  const checked = await checkDecider(ctx, responseId);
  if (!checked.ok) return checked;
  const { context } = checked;
  const at = clock.now();
  const answeredOn = context.answeredOn ?? todayOf(clock);
  const referralState = context.kind === "declined" ? "declined" : "answered";
  try {
    return await db.transaction(async (tx): Promise<ApproveResponseResult> => {
      const won = await decidePendingResponse(tx, {
        responseId,
        state: "approved",
        bySlackUserId: actor.userId,
        byName: actor.name ?? null,
        at,
        reason: null,
      });
      if (!won) return alreadyDecided({ db: tx, bootstrapAdmins }, context);
      if (
        !(await closeOpenReferral(tx, { referralId: context.referralId, state: referralState, answeredOn }))
      )
        throw new ReferralNotOpen();
      const deadlineIds = await meetReferralDeadline(tx, {
        referralId: context.referralId,
        metOn: answeredOn,
      });
      await recordAudit(tx, {
        actor,
        at,
        entries: [
          {
            action: "referral_response.approved",
            entityType: "referral_response",
            entityId: responseId,
            changes: { referral_id: context.referralId, approval_state: "approved", from: "pending" },
          },
          {
            action: `referral.${referralState}`,
            entityType: "referral",
            entityId: context.referralId,
            changes: {
              case_id: context.caseId,
              response_id: responseId,
              state: referralState,
              from: "open",
              answered_on: answeredOn,
            },
          },
          ...deadlineIds.map((deadlineId) => ({
            action: "deadline.met",
            entityType: "deadline",
            entityId: deadlineId,
            changes: { referral_id: context.referralId, state: "met", met_on: answeredOn, from: "open" },
          })),
        ],
      });
      return {
        ok: true,
        subject: await subjectOf({ db: tx, bootstrapAdmins }, context),
        decision: {
          state: "approved",
          bySlackUserId: actor.userId,
          byName: actor.name ?? null,
          at,
          reason: null,
        },
        referral: { id: context.referralId, state: referralState, answeredOn },
        deadlineIds,
      };
    });
  } catch (error) {
    if (!(error instanceof ReferralNotOpen)) throw error;
    return {
      ok: false,
      type: "expired",
      code: RESPONSE_ERRORS.expired,
      subject: await subjectOf({ db, bootstrapAdmins }, context),
    };
  }
}

/**
 * Who may decide the response, asked first: the response must exist and the user must be a
 * godkännare of the referral's body. The value of a button is never trusted; a forged id naming
 * another body's response is refused here.
 */
export async function checkDecider(
  ctx: Pick<RequestContext, "db" | "roles">,
  responseId: number,
): Promise<
  { ok: true; context: DecisionContext } | Extract<DecisionRefusal, { type: "refused" | "not_found" }>
> {
  const context = await findDecisionContext(ctx.db, responseId);
  if (!context) return { ok: false, type: "not_found", code: RESPONSE_ERRORS.notFound };
  if (!may(await ctx.roles(), "approve_response", context.bodyId)) {
    return {
      ok: false,
      type: "refused",
      code: RESPONSE_ERRORS.approvalNotAllowed,
      params: { body: context.bodyName },
    };
  }
  return { ok: true, context };
}

/** The lost race, or a request decided long ago: who decided and when, read after the winner committed. */
export async function alreadyDecided(
  readers: { db: Executor; bootstrapAdmins: readonly string[] },
  context: DecisionContext,
): Promise<Extract<DecisionRefusal, { type: "already_decided" }>> {
  const stored = await findDecision(readers.db, context.responseId);
  return {
    ok: false,
    type: "already_decided",
    code: RESPONSE_ERRORS.alreadyDecided,
    subject: await subjectOf(readers, context),
    decision: {
      state: stored?.state === "rejected" ? "rejected" : "approved",
      bySlackUserId: stored?.bySlackUserId ?? null,
      byName: stored?.byName ?? null,
      at: stored?.at ?? null,
      reason: stored?.reason ?? null,
    },
  };
}

/** Each reader of the decision with the view the audience rule gives them. */
export async function subjectOf(
  readers: { db: Executor; bootstrapAdmins: readonly string[] },
  context: DecisionContext,
): Promise<DecisionSubject> {
  // One after the other: `readers.db` may be the deciding transaction.
  const copies: DecisionSubject["copies"] = [];
  for (const message of await findApprovalMessages(readers.db, context.responseId)) {
    const reader = message.recipientSlackUserId
      ? ({ type: "person", slackUserId: message.recipientSlackUserId } as const)
      : ({ type: "channel" } as const);
    copies.push({
      channelId: message.channelId,
      messageTs: message.messageTs,
      view: await viewResponseFor(readers, context, reader),
    });
  }
  const inChannel = await viewResponseFor(readers, context, { type: "channel" });
  const submitter = context.submittedBySlackUserId;
  return {
    responseId: context.responseId,
    caseLabel: caseLabelOf(context),
    bodyName: context.bodyName,
    copies,
    unrecordedCopy: inChannel,
    submitter: submitter
      ? {
          slackUserId: submitter,
          view: await viewResponseFor(readers, context, { type: "person", slackUserId: submitter }),
        }
      : null,
    responsibleChannel: context.responsibleBodyChannelId
      ? { channelId: context.responsibleBodyChannelId, view: inChannel }
      : null,
  };
}
