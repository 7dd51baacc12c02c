import { diff, type FieldSpec, pick, snapshot } from "../fields.js";
import type { CaseRow, NewTimelineEntry, TimelineRow } from "../import.repository.js";
import * as repository from "../import.repository.js";
import type { TimelineInput } from "../import.schema.js";
import { type Entity, numberNew, type Plan } from "../reconcile.js";
import type { BodyLookup, CaseValues, PreparedCase } from "./case.js";

const TIMELINE_FIELDS: readonly FieldSpec[] = [
  ["kind", "kind"],
  ["body", "bodyId", true],
  ["occurred_on", "occurredOn"],
  ["reference", "reference"],
  ["people", "people"],
  ["text", "text"],
];

export type TimelineItem = { caseId: number; isNewCase: boolean; position: number; input: TimelineInput };

/** Timeline entries are known by their position in the file's list (1, 2, 3 …). */
export function timelineItems(cases: readonly Plan<PreparedCase, CaseRow, CaseValues>[]): TimelineItem[] {
  return cases.flatMap((plan) =>
    (plan.item.input.timeline ?? []).map((input, index) => ({
      caseId: plan.id,
      isNewCase: plan.existing === null,
      position: index + 1,
      input,
    })),
  );
}

export function timelineEntity(
  scope: BodyLookup,
): Entity<TimelineItem, Map<string, TimelineRow>, TimelineRow, NewTimelineEntry> {
  return {
    kind: "timeline_entry",
    async load(tx, items) {
      const caseIds = [...new Set(items.filter((item) => !item.isNewCase).map((item) => item.caseId))];
      const stored = new Map<string, TimelineRow>();
      for (const entry of await repository.findTimeline(tx, caseIds)) {
        stored.set(`${entry.caseId}:${entry.position}`, entry);
      }
      return stored;
    },
    match: (items, stored) =>
      items.map((item) => {
        const { caseId, position, input } = item;
        const existing = stored.get(`${caseId}:${position}`) ?? null;
        const values: NewTimelineEntry = {
          caseId,
          position,
          kind: input.kind,
          bodyId: scope.bodyId(input.body, existing?.bodyId),
          occurredOn: pick(input.occurredOn, existing?.occurredOn),
          reference: pick(input.reference, existing?.reference),
          people: input.people ?? existing?.people ?? [],
          text: input.text,
        };
        return { item, caseId, existing, values };
      }),
    diff: (existing, values) => diff(existing, values, TIMELINE_FIELDS, scope.bodyCodes),
    async write(tx, fresh, changed) {
      for (const { id, values } of changed) {
        const { kind, bodyId, occurredOn, reference, people, text } = values;
        await repository.updateTimelineEntry(tx, id, { kind, bodyId, occurredOn, reference, people, text });
      }
      const ids = await repository.insertTimeline(
        tx,
        fresh.map((plan) => plan.values),
      );
      numberNew(fresh, ids);
    },
    created: ({ values }) => ({
      case_id: values.caseId,
      position: values.position,
      ...snapshot(values, TIMELINE_FIELDS, scope.bodyCodes),
    }),
    auditOrder: "updated-first",
  };
}
