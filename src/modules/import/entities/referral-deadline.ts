import { referralDeadline } from "../../deadlines/deadline-rules.js";
import { diff, type FieldSpec, snapshot } from "../fields.js";
import type { DeadlineRow, NewDeadline } from "../import.repository.js";
import * as repository from "../import.repository.js";
import { type Entity, numberNew } from "../reconcile.js";
import type { ReferralPlan } from "./referral.js";

const DEADLINE_FIELDS: readonly FieldSpec[] = [
  ["due_on", "dueOn"],
  ["basis", "basis"],
  ["state", "state"],
  ["met_on", "metOn"],
];

/** The referral_due deadline watching each referral, by the rule in modules/deadlines. */
export function referralDeadlineEntity(): Entity<
  ReferralPlan,
  Map<number, DeadlineRow>,
  DeadlineRow,
  NewDeadline
> {
  return {
    kind: "deadline",
    async load(tx, referrals) {
      const stored = new Map<number, DeadlineRow>();
      const ids = referrals.filter((referral) => referral.existing !== null).map((referral) => referral.id);
      for (const deadline of await repository.findDeadlines(tx, ids)) {
        if (deadline.referralId !== null) stored.set(deadline.referralId, deadline);
      }
      return stored;
    },
    match: (referrals, stored) =>
      referrals.flatMap((referral) => {
        const existing = stored.get(referral.id) ?? null;
        const desired = referralDeadline(referral.values, existing);
        if (desired === null) return [];
        const { caseId } = referral;
        const values: NewDeadline = { caseId, referralId: referral.id, kind: "referral_due", ...desired };
        return [{ item: referral, caseId, existing, values }];
      }),
    diff: (existing, values) => diff(existing, values, DEADLINE_FIELDS),
    async write(tx, fresh, changed) {
      for (const { id, values } of changed) {
        const { dueOn, basis, state, metOn } = values;
        await repository.updateDeadline(tx, id, { dueOn, basis, state, metOn });
      }
      const ids = await repository.insertDeadlines(
        tx,
        fresh.map((plan) => plan.values),
      );
      numberNew(fresh, ids);
    },
    created: ({ caseId, values }) => ({
      case_id: caseId,
      referral_id: values.referralId,
      kind: values.kind,
      ...snapshot(values, DEADLINE_FIELDS),
    }),
    auditOrder: "updated-first",
    plannedAgain: ({ item, values: { dueOn, basis, state = "open", metOn = null } }) =>
      referralDeadline(item.values, { dueOn, basis, state, metOn }) !== null,
  };
}
