import { diff, type FieldSpec, pick, snapshot } from "../fields.js";
import type { CaseRow, NewReferral, ReferralRow } from "../import.repository.js";
import * as repository from "../import.repository.js";
import type { ReferralInput } from "../import.schema.js";
import { type Entity, numberNew, type Plan } from "../reconcile.js";
import type { BodyLookup, CaseValues, PreparedCase } from "./case.js";

const REFERRAL_FIELDS: readonly FieldSpec[] = [
  ["body", "bodyId", true],
  ["sent_on", "sentOn"],
  ["due_on", "dueOn"],
  ["due_statement", "dueStatement"],
  ["state", "state"],
  ["answered_on", "answeredOn"],
];

export type ReferralItem = { caseId: number; isNewCase: boolean; input: ReferralInput };
export type ReferralPlan = Plan<ReferralItem, ReferralRow, NewReferral>;

/** The referrals of the cases whose rows list them (a row without the list leaves them alone). */
export function referralItems(cases: readonly Plan<PreparedCase, CaseRow, CaseValues>[]): ReferralItem[] {
  return cases.flatMap((plan) =>
    (plan.item.input.referrals ?? []).map((input) => ({
      caseId: plan.id,
      isNewCase: plan.existing === null,
      input,
    })),
  );
}

/** A referral is known by its case and body; referrals are unique per body only while open, so the oldest. */
export function referralEntity(
  scope: BodyLookup & { at: Date },
): Entity<ReferralItem, Map<string, ReferralRow>, ReferralRow, NewReferral> {
  return {
    kind: "referral",
    async load(tx, items) {
      const stored = new Map<string, ReferralRow>();
      const caseIds = [...new Set(items.filter((item) => !item.isNewCase).map((item) => item.caseId))];
      for (const referral of await repository.findReferrals(tx, caseIds)) {
        const key = `${referral.caseId}:${referral.bodyId}`;
        if (!stored.has(key)) stored.set(key, referral);
      }
      return stored;
    },
    match: (items, stored) =>
      items.map((item) => {
        const { caseId, input } = item;
        const bodyId = scope.bodyId(input.body, null) ?? 0;
        const existing = stored.get(`${caseId}:${bodyId}`) ?? null;
        const values: NewReferral = {
          caseId,
          bodyId,
          sentOn: pick(input.sentOn, existing?.sentOn),
          dueOn: pick(input.dueOn, existing?.dueOn),
          dueStatement: pick(input.dueStatement, existing?.dueStatement),
          state: input.state ?? existing?.state ?? "open",
          answeredOn: pick(input.answeredOn, existing?.answeredOn),
        };
        return { item, caseId, existing, values };
      }),
    diff: (existing, values) => diff(existing, values, REFERRAL_FIELDS, scope.bodyCodes),
    async write(tx, fresh, changed) {
      const ids = await repository.insertReferrals(
        tx,
        fresh.map((plan) => ({ ...plan.values, createdAt: scope.at })),
      );
      numberNew(fresh, ids);
      for (const { id, values } of changed) {
        const { sentOn, dueOn, dueStatement, state, answeredOn } = values;
        await repository.updateReferral(tx, id, { sentOn, dueOn, dueStatement, state, answeredOn });
      }
    },
    created: ({ caseId, values }) => ({
      case_id: caseId,
      ...snapshot(values, REFERRAL_FIELDS, scope.bodyCodes),
    }),
    auditOrder: "created-first",
  };
}
