import {
  type DeadlineSubject as CaseDeadlineSubject,
  caseDeadlines,
  type DeadlineRules,
} from "../../deadlines/deadline-rules.js";
import {
  type DeadlineRow,
  findCaseRuleDeadlines,
  insertDeadlineRows,
  updateDeadlineRow,
} from "../../deadlines/deadlines.repository.js";
import { diff, type FieldSpec } from "../fields.js";
import { type Entity, numberNew } from "../reconcile.js";

/** A case as stored, with its id; a case created in this batch has no deadlines to load. */
export type DeadlineSubject = CaseDeadlineSubject & { id: number; isNewCase: boolean };

type Desired = Pick<DeadlineRow, "kind" | "dueOn" | "basis" | "state" | "metOn">;

// These events have always named their fields as the row does.
const FIELDS: readonly FieldSpec[] = [
  ["dueOn", "dueOn"],
  ["basis", "basis"],
  ["state", "state"],
  ["metOn", "metOn"],
];

/**
 * Each case's computed deadlines (statutory target or local policy, and the one its registry states),
 * stored so the digest can select what is overdue with one indexed query; known by case and kind. A
 * deadline that no longer applies is cancelled, never deleted, so the audit trail keeps its history.
 */
export function caseDeadlineEntity(
  rules: DeadlineRules,
): Entity<DeadlineSubject, Map<number, DeadlineRow[]>, DeadlineRow, Desired> {
  return {
    kind: "deadline",
    async load(tx, subjects) {
      const stored = new Map<number, DeadlineRow[]>();
      for (const row of await findCaseRuleDeadlines(
        tx,
        subjects.filter((subject) => !subject.isNewCase).map((subject) => subject.id),
      )) {
        stored.set(row.caseId, [...(stored.get(row.caseId) ?? []), row]);
      }
      return stored;
    },
    match(subjects, stored) {
      const kept = [];
      const added = [];
      for (const subject of subjects) {
        const wanted: Desired[] = caseDeadlines(subject, rules);
        const existing = stored.get(subject.id) ?? [];
        for (const row of existing) {
          const target = wanted.find((desired) => desired.kind === row.kind) ?? {
            ...pickDesired(row),
            state: "cancelled",
            metOn: null,
          };
          if (row.state === "cancelled" && target.state === "cancelled") continue;
          kept.push({ item: subject, caseId: subject.id, existing: row, values: target });
        }
        for (const desired of wanted) {
          if (existing.some((row) => row.kind === desired.kind)) continue;
          added.push({ item: subject, caseId: subject.id, existing: null, values: desired });
        }
      }
      return [...kept, ...added];
    },
    diff: (existing, values) => diff(existing, values, FIELDS),
    async write(tx, fresh, changed) {
      for (const { id, values } of changed) await updateDeadlineRow(tx, id, values);
      const ids = await insertDeadlineRows(
        tx,
        fresh.map(({ caseId, values }) => ({ caseId, referralId: null, ...values })),
      );
      numberNew(fresh, ids);
    },
    created: ({ caseId, values }) => ({ case_id: caseId, ...values }),
    createdAction: "deadline.computed",
    auditOrder: "updated-first",
    // A stored deadline that is cancelled and still not wanted is passed over.
    plannedAgain: ({ values }) => values.state !== "cancelled",
  };
}

function pickDesired({ kind, dueOn, basis, state, metOn }: DeadlineRow): Desired {
  return { kind, dueOn, basis, state, metOn };
}
