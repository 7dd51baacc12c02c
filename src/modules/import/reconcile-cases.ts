import type { Executor } from "../../db/client.js";
import type { DeadlineRules } from "../deadlines/deadline-rules.js";
import { type CaseScope, caseEntity, type PreparedCase } from "./entities/case.js";
import { caseDeadlineEntity, type DeadlineSubject } from "./entities/case-deadline.js";
import { referralEntity, referralItems } from "./entities/referral.js";
import { referralDeadlineEntity } from "./entities/referral-deadline.js";
import { registriesNamedBy, registryEntity } from "./entities/registry.js";
import { responseEntity, responseItems } from "./entities/response.js";
import { timelineEntity, timelineItems } from "./entities/timeline.js";
import type { RegistryRow } from "./import.repository.js";
import { type Outcome, reconcile } from "./reconcile.js";

export type CaseBatch = Omit<CaseScope, "registryIds" | "outcome"> & {
  registries: ReadonlyMap<string, RegistryRow>;
  /** The first registry_name the file gives each registry code. */
  registryNameOf: (code: string) => string | undefined;
  deadlineRules: DeadlineRules;
};

/**
 * A batch of cases with everything nested in them, in one transaction: the case's own audit event
 * comes first, then those of its referrals, their responses and deadlines, its timeline, and last its
 * computed deadlines. A case counts as updated when anything of it changed.
 */
export async function reconcileCases(
  tx: Executor,
  outcome: Outcome,
  rows: PreparedCase[],
  batch: CaseBatch,
): Promise<void> {
  const registryIds = new Map([...batch.registries].map(([code, registry]) => [code, registry.id]));
  const registries = await reconcile(
    tx,
    outcome,
    registryEntity({ outcome, load: async () => batch.registries, auditOrder: "plan" }),
    registriesNamedBy(rows, batch.registries, batch.registryNameOf),
  );
  for (const plan of registries) registryIds.set(plan.values.code, plan.id);

  const cases = await reconcile(tx, outcome, caseEntity({ ...batch, outcome, registryIds }), rows);
  for (const plan of cases) outcome.touched.push([plan.id, plan.item.line]);

  const scope = { at: batch.at, bodyCodes: batch.bodyCodes, bodyId: batch.bodyId };
  const referrals = await reconcile(tx, outcome, referralEntity(scope), referralItems(cases));
  await reconcile(tx, outcome, responseEntity(scope), responseItems(referrals));
  await reconcile(tx, outcome, referralDeadlineEntity(), referrals);
  await reconcile(tx, outcome, timelineEntity(scope), timelineItems(cases));
  await reconcile(
    tx,
    outcome,
    caseDeadlineEntity(batch.deadlineRules),
    cases.map(
      (plan): DeadlineSubject => ({ ...plan.values.row, id: plan.id, isNewCase: plan.existing === null }),
    ),
  );

  for (const plan of cases) {
    if (plan.existing === null) outcome.rows.push("created");
    else outcome.rows.push(outcome.changedCases.has(plan.id) ? "updated" : "unchanged");
  }
}
