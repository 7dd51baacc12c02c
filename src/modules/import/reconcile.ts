import type { Executor } from "../../db/client.js";
import type { AuditEntry } from "../audit/audit.repository.js";
import type { Changes } from "./fields.js";
import type { BodyRow, RegistryRow } from "./import.repository.js";

/**
 * The one reconcile step every source goes through (CSV, JSON, ERMS, the API's PUT, the scheduled
 * sync): for a batch, each kind of thing is loaded as stored (a few queries for the whole batch),
 * matched by its key, compared, written (new rows in bulk) and audited. What differs per kind lives in
 * ./entities/*.ts; the order in which a batch of cases goes through them, in ./reconcile-cases.ts.
 */

export type EntityKind =
  | "registry"
  | "body"
  | "case"
  | "referral"
  | "referral_response"
  | "deadline"
  | "timeline_entry";
export type Counts = { created: number; updated: number; unchanged: number };
export type Rejection = { line: number; reason: string };
export type RowResult = "created" | "updated" | "unchanged";

/** What one transaction did; applied to the report and caches only once it has committed. */
export class Outcome {
  readonly audit: AuditEntry[] = [];
  readonly rows: RowResult[] = [];
  readonly entities = new Map<EntityKind, Counts>();
  readonly rejected: Rejection[] = [];
  readonly registries: RegistryRow[] = [];
  readonly bodies: BodyRow[] = [];
  readonly touched: [caseId: number, line: number][] = [];
  /** Cases of which anything (the case, or what is nested in it) was created or changed. */
  readonly changedCases = new Set<number>();
  /** Per case: the nested rows of each kind that comparing the case again would count. */
  readonly nested = new Map<number, Partial<Record<EntityKind, number>>>();

  count(kind: EntityKind, result: RowResult, times = 1): void {
    const counts = this.entities.get(kind) ?? { created: 0, updated: 0, unchanged: 0 };
    counts[result] += times;
    this.entities.set(kind, counts);
  }
}

/** One item of a batch paired with the stored row its key names (null: none yet). */
export type Match<Item, Row, Values> = {
  item: Item;
  /** The case it belongs to; 0 for registries and bodies. */
  caseId: number;
  existing: Row | null;
  /** What the item asks to be stored; fields it leaves out keep what is stored. */
  values: Values;
};

export type Plan<Item, Row, Values> = Match<Item, Row, Values> & {
  /** The stored row's id; a new row's once it is inserted. */
  id: number;
  /** What differs from the stored row; null when nothing does, or the row is new. */
  changes: Changes | null;
};

export type Entity<Item, Stored, Row extends { id: number }, Values> = {
  kind: EntityKind;
  /** Fetches what is stored for the whole batch, in a few queries (never one per row). */
  load(tx: Executor, items: readonly Item[]): Promise<Stored>;
  /** Pairs items with stored rows by the entity's key; an item left out writes nothing. */
  match(items: readonly Item[], stored: Stored): Match<Item, Row, Values>[];
  diff(existing: Row, values: Values): Changes | null;
  /** Inserts the new rows, setting each plan's id (and caseId for a case), and updates the changed. */
  write(tx: Executor, fresh: Plan<Item, Row, Values>[], changed: Plan<Item, Row, Values>[]): Promise<void>;
  /** The `changes` of a new row's audit event. */
  created(plan: Plan<Item, Row, Values>): Record<string, unknown>;
  createdAction?: string;
  /** The order of the audit events, kept as each kind has always written them. */
  auditOrder: "plan" | "created-first" | "updated-first";
  /**
   * Whether the same source item, met again with nothing changed since, plans this row again; a
   * deadline settled as cancelled is not planned again. Absent: always.
   */
  plannedAgain?(plan: Plan<Item, Row, Values>): boolean;
};

/** Load, match, diff, write, audit and count one kind of thing for one batch. */
export async function reconcile<Item, Stored, Row extends { id: number }, Values>(
  tx: Executor,
  outcome: Outcome,
  entity: Entity<Item, Stored, Row, Values>,
  items: readonly Item[],
): Promise<Plan<Item, Row, Values>[]> {
  if (items.length === 0) return [];
  const stored = await entity.load(tx, items);
  // The matches become the plans in place: a batch of cases is many objects already.
  const plans = entity.match(items, stored) as Plan<Item, Row, Values>[];
  for (const plan of plans) {
    plan.id = plan.existing?.id ?? 0;
    plan.changes = plan.existing === null ? null : entity.diff(plan.existing, plan.values);
  }
  const fresh = plans.filter((plan) => plan.existing === null);
  const changed = plans.filter((plan) => plan.changes !== null);
  await entity.write(tx, fresh, changed);

  const audit = (plan: Plan<Item, Row, Values>): AuditEntry[] => {
    if (plan.existing === null) {
      const action = entity.createdAction ?? `${entity.kind}.imported`;
      return [{ action, entityType: entity.kind, entityId: plan.id, changes: entity.created(plan) }];
    }
    if (plan.changes === null) return [];
    return [
      { action: `${entity.kind}.updated`, entityType: entity.kind, entityId: plan.id, changes: plan.changes },
    ];
  };
  const ordered =
    entity.auditOrder === "plan"
      ? plans
      : entity.auditOrder === "created-first"
        ? [...fresh, ...changed]
        : [...changed, ...fresh];
  for (const plan of ordered) outcome.audit.push(...audit(plan));
  for (const plan of plans) {
    const result = resultOf(plan);
    outcome.count(entity.kind, result);
    if (result !== "unchanged") outcome.changedCases.add(plan.caseId);
    if (plan.caseId !== 0 && entity.kind !== "case" && (entity.plannedAgain?.(plan) ?? true)) {
      const nested = outcome.nested.get(plan.caseId) ?? {};
      nested[entity.kind] = (nested[entity.kind] ?? 0) + 1;
      outcome.nested.set(plan.caseId, nested);
    }
  }
  return plans;
}

/** Gives the new rows their ids, which inserts answer in the order given. */
export function numberNew(fresh: readonly { id: number }[], ids: readonly number[]): void {
  if (ids.length !== fresh.length) throw new Error(`inserted ${ids.length} rows of ${fresh.length}`);
  fresh.forEach((plan, index) => {
    plan.id = ids[index] ?? 0;
  });
}

export function resultOf(plan: { existing: unknown; changes: Changes | null }): RowResult {
  return plan.existing === null ? "created" : plan.changes === null ? "unchanged" : "updated";
}
