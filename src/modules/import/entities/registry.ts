import { diff } from "../fields.js";
import type { RegistryRow } from "../import.repository.js";
import * as repository from "../import.repository.js";
import { type Entity, numberNew, type Outcome } from "../reconcile.js";

/** A registry is known by its code; only its name can change. */
export type RegistryItem = { code: string; name: string };
type Stored = ReadonlyMap<string, RegistryRow>;

export function registryEntity({
  outcome,
  load,
  auditOrder,
}: {
  outcome: Outcome;
  load: (tx: Parameters<typeof repository.listRegistries>[0]) => Promise<Stored>;
  auditOrder: "plan" | "updated-first";
}): Entity<RegistryItem, Stored, RegistryRow, RegistryItem> {
  return {
    kind: "registry",
    load: (tx) => load(tx),
    match: (items, stored) =>
      items.map((item) => ({ item, caseId: 0, existing: stored.get(item.code) ?? null, values: item })),
    diff: (existing, values) => diff(existing, values, [["name", "name"]]),
    async write(tx, fresh, changed) {
      for (const plan of changed) {
        await repository.updateRegistry(tx, plan.id, { name: plan.values.name });
        if (plan.existing) outcome.registries.push({ ...plan.existing, name: plan.values.name });
      }
      const created = await repository.insertRegistries(
        tx,
        fresh.map((plan) => plan.values),
      );
      numberNew(
        fresh,
        created.map((row) => row.id),
      );
      outcome.registries.push(...created);
    },
    created: ({ values }) => ({ code: values.code, name: values.name }),
    auditOrder,
  };
}

/**
 * What case rows ask of their registries: a CSV row may create one (registry_name, or the name an
 * earlier row gave) or rename one. Each action comes at the row that asks for it, once per code.
 */
export function registriesNamedBy(
  rows: readonly { input: { registry: string; registryName?: string } }[],
  known: ReadonlyMap<string, RegistryRow>,
  registryNameOf: (code: string) => string | undefined,
): RegistryItem[] {
  const names = new Map([...known].map(([code, registry]) => [code, registry.name]));
  const items: RegistryItem[] = [];
  for (const { input } of rows) {
    const current = names.get(input.registry);
    const name =
      current === undefined
        ? (input.registryName ?? registryNameOf(input.registry) ?? input.registry)
        : input.registryName;
    if (name === undefined || name === current) continue;
    names.set(input.registry, name);
    items.push({ code: input.registry, name });
  }
  return items;
}
