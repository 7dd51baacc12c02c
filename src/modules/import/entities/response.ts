import { diff, type FieldSpec, pick, snapshot } from "../fields.js";
import type { NewResponse, ResponseRow } from "../import.repository.js";
import * as repository from "../import.repository.js";
import type { ResponseInput } from "../import.schema.js";
import { type Entity, numberNew } from "../reconcile.js";
import type { ReferralPlan } from "./referral.js";

const RESPONSE_FIELDS: readonly FieldSpec[] = [
  ["kind", "kind"],
  ["document_title", "documentTitle"],
  ["summary", "summary"],
  ["link", "link"],
  ["answered_on", "answeredOn"],
  ["submitted_by_name", "submittedByName"],
  ["submitted_by_slack_user_id", "submittedBySlackUserId"],
  ["approval_state", "approvalState"],
  ["decided_by_name", "decidedByName"],
  ["decided_by_slack_user_id", "decidedBySlackUserId"],
  ["decision_reason", "decisionReason"],
  ["decided_at", "decidedAt"],
];

export type ResponseItem = {
  caseId: number;
  referralId: number;
  isNewReferral: boolean;
  /** The referral as the file lists it; each listing matches among all the stored responses. */
  listing: ReferralPlan;
  input: ResponseInput;
};
type Values = Omit<NewResponse, "submittedAt">;

/** The responses of the referrals whose input lists them. */
export function responseItems(referrals: readonly ReferralPlan[]): ResponseItem[] {
  return referrals.flatMap((plan) =>
    (plan.item.input.responses ?? []).map((input) => ({
      caseId: plan.caseId,
      referralId: plan.id,
      isNewReferral: plan.existing === null,
      listing: plan,
      input,
    })),
  );
}

/** A response is known by its document title and date within its referral; each stored one is matched once. */
export function responseEntity(scope: {
  at: Date;
}): Entity<ResponseItem, Map<number, ResponseRow[]>, ResponseRow, Values> {
  return {
    kind: "referral_response",
    async load(tx, items) {
      const stored = new Map<number, ResponseRow[]>();
      const referralIds = [
        ...new Set(items.filter((item) => !item.isNewReferral).map((item) => item.referralId)),
      ];
      for (const response of await repository.findResponses(tx, referralIds)) {
        stored.set(response.referralId, [...(stored.get(response.referralId) ?? []), response]);
      }
      return stored;
    },
    match(items, stored) {
      const candidates = new Map<ReferralPlan, ResponseRow[]>();
      return items.map((item) => {
        const { input, referralId, listing } = item;
        const left = candidates.get(listing) ?? [...(stored.get(referralId) ?? [])];
        candidates.set(listing, left);
        const index = left.findIndex(
          (row) => row.documentTitle === input.documentTitle && row.answeredOn === input.answeredOn,
        );
        const existing = index === -1 ? null : (left.splice(index, 1)[0] ?? null);
        const values: Values = {
          referralId,
          kind: input.kind ?? existing?.kind ?? "answer",
          documentTitle: input.documentTitle,
          summary: input.summary,
          link: pick(input.link, existing?.link),
          answeredOn: input.answeredOn,
          submittedByName: pick(input.submittedByName, existing?.submittedByName),
          submittedBySlackUserId: pick(input.submittedBySlackUserId, existing?.submittedBySlackUserId),
          approvalState: input.approvalState ?? existing?.approvalState ?? "pending",
          decidedByName: pick(input.decidedByName, existing?.decidedByName),
          decidedBySlackUserId: pick(input.decidedBySlackUserId, existing?.decidedBySlackUserId),
          decisionReason: pick(input.decisionReason, existing?.decisionReason),
          decidedAt: pick(input.decidedAt, existing?.decidedAt),
        };
        return { item, caseId: item.caseId, existing, values };
      });
    },
    diff: (existing, values) => diff(existing, values, RESPONSE_FIELDS),
    async write(tx, fresh, changed) {
      for (const { id, values } of changed) {
        const { referralId: _unchanged, ...patch } = values;
        await repository.updateResponse(tx, id, patch);
      }
      const ids = await repository.insertResponses(
        tx,
        fresh.map((plan) => ({ ...plan.values, submittedAt: scope.at })),
      );
      numberNew(fresh, ids);
    },
    created: ({ values }) => ({ referral_id: values.referralId, ...snapshot(values, RESPONSE_FIELDS) }),
    auditOrder: "updated-first",
  };
}
