import { diff, type FieldSpec, pick, snapshot } from "../fields.js";
import type { CaseRow } from "../import.repository.js";
import * as repository from "../import.repository.js";
import type { CaseInput, IdentifierInput } from "../import.schema.js";
import type { SourceItem } from "../read-import-file.js";
import { type Entity, numberNew, type Outcome } from "../reconcile.js";
import { type MatchedCases, matchCases } from "./match-cases.js";

export type PreparedCase = {
  line: number;
  path: string;
  input: CaseInput;
  /** The source row's fingerprint (fingerprint.ts); a row without one is always compared. */
  fingerprint?: string;
  known?: never;
};

/**
 * A source row whose fingerprint was a stored case's when the batch was read: unread, to be taken
 * as that case unchanged if the fingerprint still stands once the batch's transaction holds the
 * import lock.
 */
export type KnownCase = {
  known: true;
  line: number;
  item: SourceItem;
  fingerprint: string;
  caseId: number;
  /** The nested rows of each kind comparing the case would count, kept with the fingerprint. */
  nested: Record<string, number>;
  /** The lookup that found the fingerprint, shared by its lot's rows. */
  lookup: FingerprintLookup;
};

/**
 * A lot's fingerprint lookup: the snapshot it read in (null when the lot had nothing to look up) and
 * when it started (performance.now(): an age, which a fixed or stepped wall clock would not give).
 */
export type FingerprintLookup = { snapshot: string | null; startedAt: number };

export type BatchCase = PreparedCase | KnownCase;

export type KnownClaim = { row: KnownCase; supersededBy?: number };

/** The case row a source asks for, and the identifiers it adds (identifiers are only ever added). */
export type CaseValues = { row: Omit<CaseRow, "id">; identifiers: IdentifierInput[] };

export type BodyLookup = {
  bodyCodes: ReadonlyMap<number, string>;
  /** A body code from the file as its id; absent keeps what is stored. */
  bodyId: (code: string | null | undefined, stored: number | null | undefined) => number | null;
};

export type CaseScope = BodyLookup & {
  at: Date;
  outcome: Outcome;
  registryIds: ReadonlyMap<string, number>;
  /** Cases written (or known unchanged) by earlier batches of this import -> the line that named them. */
  touchedCases: ReadonlyMap<number, number>;
  /**
   * This batch's cases taken as unchanged by their rows' fingerprints -> those rows' lines; a row
   * before one of them that names the same case marks it superseded.
   */
  knownCases?: Map<number, KnownClaim>;
};

/** The names the audit trail (and src/modules/history) gives case fields. */
const CASE_FIELDS: readonly FieldSpec[] = [
  ["dnr", "dnr"],
  ["kind", "kind"],
  ["title", "title"],
  ["public_title", "publicTitle"],
  ["restricted", "restricted"],
  ["summary", "summary"],
  ["raised_by", "raisedBy"],
  ["raised_on", "raisedOn"],
  ["received_on", "receivedOn"],
  ["closed_on", "closedOn"],
  ["responsible_body", "responsibleBodyId", true],
  ["addressed_to_body", "addressedToBodyId", true],
  ["officer_name", "officerName"],
  ["officer_slack_user_id", "officerSlackUserId"],
  ["status", "status"],
  ["outcome", "outcome"],
  ["classification", "classification"],
  ["decision_due_on", "decisionDueOn"],
];

/** A case is known by registry and dnr, or by an identifier (see match-cases.ts). */
export function caseEntity(scope: CaseScope): Entity<PreparedCase, MatchedCases, CaseRow, CaseValues> {
  return {
    kind: "case",
    load: (tx, rows) => matchCases(tx, rows, scope),
    match: (rows, { cases, identifierKeys }) =>
      rows.flatMap((item) => {
        const existing = cases.get(item);
        if (existing === undefined) return [];
        const row = desiredCase(item.input, existing, scope.registryIds.get(item.input.registry) ?? 0, scope);
        const identifiers = added(item.input.identifiers ?? [], identifierKeys.get(existing?.id ?? 0));
        return [{ item, caseId: existing?.id ?? 0, existing, values: { row, identifiers } }];
      }),
    diff(existing, { row, identifiers }) {
      const changes = diff(existing, row, CASE_FIELDS, scope.bodyCodes) ?? {};
      if (identifiers.length > 0) {
        changes.identifiers = { added: identifiers.map((identifier) => identifier.display) };
      }
      return Object.keys(changes).length === 0 ? null : changes;
    },
    async write(tx, fresh, changed) {
      const ids = await repository.insertCases(
        tx,
        fresh.map((plan) => plan.values.row),
      );
      numberNew(fresh, ids);
      for (const plan of fresh) plan.caseId = plan.id;
      // Identifiers alone leave the case row (and its updated_at) as it is.
      await repository.updateCases(
        tx,
        changed
          .filter((plan) => Object.keys(plan.changes ?? {}).some((field) => field !== "identifiers"))
          .map((plan): CaseRow => ({ ...plan.values.row, id: plan.id, updatedAt: scope.at })),
      );
      await repository.insertIdentifiers(
        tx,
        [...fresh, ...changed].flatMap((plan) =>
          plan.values.identifiers.map(({ display, key }) => ({ caseId: plan.id, display, key })),
        ),
      );
    },
    created: ({ item, values }) => ({
      registry: item.input.registry,
      identifiers: values.identifiers.map((identifier) => identifier.display),
      ...snapshot(values.row, CASE_FIELDS, scope.bodyCodes),
    }),
    auditOrder: "plan",
  };
}

/** The identifiers the case does not have yet, each once. */
function added(
  given: readonly IdentifierInput[],
  stored: ReadonlySet<string> | undefined,
): IdentifierInput[] {
  const result: IdentifierInput[] = [];
  for (const identifier of given) {
    if (stored?.has(identifier.key) || result.some((other) => other.key === identifier.key)) continue;
    result.push(identifier);
  }
  return result;
}

/** The stored row this input asks for: given fields win, absent ones keep what is stored. */
function desiredCase(
  input: CaseInput,
  existing: CaseRow | null,
  registryId: number,
  { at, bodyId }: Pick<CaseScope, "at" | "bodyId">,
): Omit<CaseRow, "id"> {
  const restricted = input.restricted ?? existing?.restricted ?? false;
  // A restricted case never falls back to its full title; its stored public title stays.
  const publicTitle =
    input.publicTitle ?? (restricted ? (existing?.publicTitle ?? input.title) : input.title);
  return {
    registryId,
    dnr: input.dnr ? input.dnr.display : (existing?.dnr ?? null),
    dnrKey: input.dnr ? input.dnr.key : (existing?.dnrKey ?? null),
    kind: input.kind,
    title: input.title,
    publicTitle,
    restricted,
    summary: pick(input.summary, existing?.summary),
    raisedBy: input.raisedBy ?? existing?.raisedBy ?? [],
    raisedOn: pick(input.raisedOn, existing?.raisedOn),
    receivedOn: pick(input.receivedOn, existing?.receivedOn),
    closedOn: pick(input.closedOn, existing?.closedOn),
    addressedToBodyId: bodyId(input.addressedToBody, existing?.addressedToBodyId),
    responsibleBodyId: bodyId(input.responsibleBody, existing?.responsibleBodyId),
    officerName: pick(input.officerName, existing?.officerName),
    officerSlackUserId: pick(input.officerSlackUserId, existing?.officerSlackUserId),
    status: input.status ?? existing?.status ?? "open",
    outcome: pick(input.outcome, existing?.outcome),
    classification: pick(input.classification, existing?.classification),
    decisionDueOn: pick(input.decisionDueOn, existing?.decisionDueOn),
    createdAt: existing?.createdAt ?? at,
    updatedAt: existing?.updatedAt ?? at,
  };
}
