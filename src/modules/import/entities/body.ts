import { diff, type FieldSpec, pick, snapshot } from "../fields.js";
import type { BodyRow } from "../import.repository.js";
import * as repository from "../import.repository.js";
import type { BodyInput } from "../import.schema.js";
import { type Entity, numberNew, type Outcome } from "../reconcile.js";

const BODY_FIELDS: readonly FieldSpec[] = [
  ["name", "name"],
  ["kind", "kind"],
  ["slack_channel_id", "slackChannelId"],
];

type Values = Pick<BodyRow, "code" | "name" | "kind" | "slackChannelId">;

/** A body is known by its code; a channel the file leaves out stays as stored. */
export function bodyEntity(outcome: Outcome): Entity<BodyInput, Map<string, BodyRow>, BodyRow, Values> {
  return {
    kind: "body",
    load: async (tx) => new Map((await repository.listBodies(tx)).map((row) => [row.code, row])),
    match: (items, stored) =>
      items.map((input) => {
        const existing = stored.get(input.code) ?? null;
        const values: Values = {
          code: input.code,
          name: input.name,
          kind: input.kind,
          slackChannelId: pick(input.slackChannelId, existing?.slackChannelId),
        };
        return { item: input, caseId: 0, existing, values };
      }),
    diff: (existing, values) => diff(existing, values, BODY_FIELDS),
    async write(tx, fresh, changed) {
      for (const { id, existing, values } of changed) {
        const { code: _unchanged, ...patch } = values;
        await repository.updateBody(tx, id, patch);
        if (existing) outcome.bodies.push({ ...existing, ...patch });
      }
      const created = await repository.insertBodies(
        tx,
        fresh.map((plan) => plan.values),
      );
      numberNew(
        fresh,
        created.map((row) => row.id),
      );
      outcome.bodies.push(...created);
    },
    created: ({ values }) => ({ code: values.code, ...snapshot(values, BODY_FIELDS) }),
    auditOrder: "updated-first",
  };
}
