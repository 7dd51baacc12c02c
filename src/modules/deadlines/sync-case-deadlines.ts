import type { Executor } from "../../db/client.js";
import type { AuditEntry } from "../audit/audit.repository.js";
import type { CaseKind, CaseStatus } from "../cases/case-details.js";
import { isFinished } from "../cases/case-kinds.js";
import { type DeadlineRules, planCaseDeadline, planStatedDeadline } from "./deadline-rules.js";
import {
  type DeadlineRow,
  findCaseRuleDeadlines,
  insertDeadlineRows,
  updateDeadlineRow,
} from "./deadlines.repository.js";

export type DeadlineSubject = {
  id: number;
  kind: CaseKind;
  raisedOn: string | null;
  receivedOn: string | null;
  status: CaseStatus;
  closedOn: string | null;
  decisionDueOn?: string | null;
};

type Desired = Pick<DeadlineRow, "kind" | "dueOn" | "basis" | "state" | "metOn">;

/**
 * Stores each case's computed deadline (statutory target or local policy) so the digest can select
 * what is overdue with one indexed query. Runs inside the caller's transaction and returns the audit
 * entries of what it changed; an unchanged case writes nothing. A deadline that no longer applies is
 * cancelled, never deleted, so the audit trail keeps its history.
 */
export async function syncCaseDeadlines(
  tx: Executor,
  subjects: readonly DeadlineSubject[],
  rules: DeadlineRules,
): Promise<{
  audit: AuditEntry[];
  changedCaseIds: Set<number>;
  created: number;
  updated: number;
  unchanged: number;
}> {
  const stored = new Map<number, DeadlineRow[]>();
  for (const row of await findCaseRuleDeadlines(
    tx,
    subjects.map((subject) => subject.id),
  )) {
    stored.set(row.caseId, [...(stored.get(row.caseId) ?? []), row]);
  }

  const audit: AuditEntry[] = [];
  const changedCaseIds = new Set<number>();
  const fresh: { caseId: number; desired: Desired }[] = [];
  let updated = 0;
  let unchanged = 0;
  for (const subject of subjects) {
    const plan = planCaseDeadline(subject, rules);
    const closed = isFinished(subject.status);
    const planned = [plan.type === "deadline" ? plan.deadline : null, planStatedDeadline(subject)];
    const wanted: Desired[] = planned.flatMap((deadline) =>
      deadline === null
        ? []
        : [{ ...deadline, state: closed ? "met" : "open", metOn: closed ? subject.closedOn : null }],
    );
    const existing = stored.get(subject.id) ?? [];
    for (const row of existing) {
      const target: Desired = wanted.find((desired) => desired.kind === row.kind) ?? {
        ...row,
        state: "cancelled",
        metOn: null,
      };
      if (row.state === "cancelled" && target.state === "cancelled") continue;
      const changes = differences(row, target);
      if (!changes) {
        unchanged += 1;
        continue;
      }
      await updateDeadlineRow(tx, row.id, target);
      updated += 1;
      changedCaseIds.add(subject.id);
      audit.push({ action: "deadline.updated", entityType: "deadline", entityId: row.id, changes });
    }
    for (const desired of wanted) {
      if (!existing.some((row) => row.kind === desired.kind)) fresh.push({ caseId: subject.id, desired });
    }
  }

  const ids = await insertDeadlineRows(
    tx,
    fresh.map(({ caseId, desired }) => ({ caseId, referralId: null, ...desired })),
  );
  fresh.forEach(({ caseId, desired }, index) => {
    changedCaseIds.add(caseId);
    audit.push({
      action: "deadline.computed",
      entityType: "deadline",
      entityId: ids[index] ?? 0,
      changes: { case_id: caseId, ...desired },
    });
  });
  return { audit, changedCaseIds, created: fresh.length, updated, unchanged };
}

function differences(row: Desired, target: Desired): Record<string, { from: unknown; to: unknown }> | null {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const field of ["dueOn", "basis", "state", "metOn"] as const) {
    if (row[field] !== target[field]) changes[field] = { from: row[field], to: target[field] };
  }
  return Object.keys(changes).length > 0 ? changes : null;
}
