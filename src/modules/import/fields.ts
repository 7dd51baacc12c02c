import type { Person } from "../../db/schema.js";

/** Comparing a stored row with what a source asks for, in the words the audit trail uses. */

/** Field -> { from, to }, plus what else a kind records (a case's added identifiers). */
export type Changes = Record<string, unknown>;

/** [name in the file and the audit, property of the row, shown as a body code] */
export type FieldSpec = readonly [name: string, key: string, isBody?: boolean];

/** The changed fields as { field: { from, to } }, or null when nothing changed. */
export function diff(
  stored: object,
  desired: object,
  fields: readonly FieldSpec[],
  bodyCodes?: ReadonlyMap<number, string>,
): Changes | null {
  const changes: Changes = {};
  const before = stored as Record<string, unknown>;
  const after = desired as Record<string, unknown>;
  for (const [name, key, isBody] of fields) {
    if (same(before[key], after[key])) continue;
    changes[name] = {
      from: shown(before[key], isBody, bodyCodes),
      to: shown(after[key], isBody, bodyCodes),
    };
  }
  return Object.keys(changes).length === 0 ? null : changes;
}

/** The fields of a new row, as its `….imported` audit event records them. */
export function snapshot(
  values: object,
  fields: readonly FieldSpec[],
  bodyCodes?: ReadonlyMap<number, string>,
): Record<string, unknown> {
  const row = values as Record<string, unknown>;
  return Object.fromEntries(fields.map(([name, key, isBody]) => [name, shown(row[key], isBody, bodyCodes)]));
}

function shown(
  value: unknown,
  isBody: boolean | undefined,
  bodyCodes?: ReadonlyMap<number, string>,
): unknown {
  if (value === undefined || value === null) return null;
  if (isBody && typeof value === "number") return bodyCodes?.get(value) ?? value;
  return value;
}

/** Whether two values store the same; equal scalars (most of an unchanged re-import) skip JSON. */
function same(stored: unknown, desired: unknown): boolean {
  const before = stored ?? null;
  const after = desired ?? null;
  if (before === after) return true;
  if (typeof before === "string" && typeof after === "string") return false;
  return comparable(before) === comparable(after);
}

/** Equal values give equal strings; people compare whatever order their keys were stored in. */
function comparable(value: unknown): string {
  if (Array.isArray(value)) {
    return JSON.stringify(
      value.map((person: Person) => [person.name, person.party ?? null, person.title ?? null]),
    );
  }
  return JSON.stringify(value ?? null);
}

/** Absent (undefined) keeps what is stored; null clears it. */
export function pick<T>(given: T | null | undefined, stored: T | null | undefined): T | null {
  return given === undefined ? (stored ?? null) : given;
}

export function sv(swedish: string, english: string): string {
  return `${swedish} (${english})`;
}
