import type { Executor } from "../../db/client.js";
import { SNAPSHOT_TRUSTED_MS } from "../cases/forget-seen-registry-writes.js";
import type { DeadlineRules } from "../deadlines/deadline-rules.js";
import {
  type BatchCase,
  type CaseScope,
  caseEntity,
  type KnownCase,
  type KnownClaim,
  type PreparedCase,
} from "./entities/case.js";
import { caseDeadlineEntity, type DeadlineSubject } from "./entities/case-deadline.js";
import { sameCaseAs } from "./entities/match-cases.js";
import { referralEntity, referralItems } from "./entities/referral.js";
import { referralDeadlineEntity } from "./entities/referral-deadline.js";
import { registriesNamedBy, registryEntity } from "./entities/registry.js";
import { responseEntity, responseItems } from "./entities/response.js";
import { timelineEntity, timelineItems } from "./entities/timeline.js";
import { keysOf } from "./fingerprint.js";
import type { RegistryRow } from "./import.repository.js";
import * as repository from "./import.repository.js";
import { type EntityKind, type Outcome, reconcile } from "./reconcile.js";

export type CaseBatch = Omit<CaseScope, "registryIds" | "outcome" | "knownCases"> & {
  registries: ReadonlyMap<string, RegistryRow>;
  /** The first registry_name the file gives each registry code. */
  registryNameOf: (code: string) => string | undefined;
  deadlineRules: DeadlineRules;
  /** Reads a known row after all, when its fingerprint no longer stands (null: rejected). */
  parse: (row: KnownCase) => PreparedCase | null;
};

/**
 * A batch of cases with everything nested in them, in one transaction: the case's own audit event
 * comes first, then those of its referrals, their responses and deadlines, its timeline, and last its
 * computed deadlines. A case counts as updated when anything of it changed.
 *
 * A row whose fingerprint is that of a case as stored is that case unchanged and is not compared
 * (see passKnown); every case compared gets its row's fingerprint.
 */
export async function reconcileCases(
  tx: Executor,
  outcome: Outcome,
  given: BatchCase[],
  { touchedCases: touchedBefore, parse, ...batch }: CaseBatch,
): Promise<void> {
  const knownCases = await confirmKnown(tx, given, touchedBefore);
  const rows = given.flatMap((row): PreparedCase[] => {
    if (row.known !== true) return [row];
    if (knownCases.get(row.caseId)?.row === row) return [];
    const prepared = parse(row);
    return prepared === null ? [] : [{ ...prepared, fingerprint: row.fingerprint }];
  });
  const registryIds = new Map([...batch.registries].map(([code, registry]) => [code, registry.id]));
  const registries = await reconcile(
    tx,
    outcome,
    registryEntity({ outcome, load: async () => batch.registries, auditOrder: "plan" }),
    registriesNamedBy(rows, batch.registries, batch.registryNameOf),
  );
  for (const plan of registries) registryIds.set(plan.values.code, plan.id);

  const cases = await reconcile(
    tx,
    outcome,
    caseEntity({ ...batch, touchedCases: touchedBefore, knownCases, outcome, registryIds }),
    rows,
  );
  for (const plan of cases) outcome.touched.push([plan.id, plan.item.line]);
  passKnown(outcome, knownCases);

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
  // A row without a dnr is matched through the identifiers of other cases too, which a write to
  // those cases changes without touching this one: such a row is always compared.
  const fingerprints = cases.flatMap(({ id, item }) =>
    item.fingerprint === undefined || !item.input.dnr
      ? []
      : [
          {
            caseId: id,
            fingerprint: item.fingerprint,
            nested: outcome.nested.get(id) ?? {},
            keys: keysOf(item.input),
          },
        ],
  );
  await repository.saveFingerprints(tx, fingerprints);
  // An import's writes keep fingerprints (migration 0017), so a case this batch changed through a row
  // that leaves none (no dnr: found by an identifier) would keep the fingerprint of the row that last
  // described it, and that row, exported again, would pass for unchanged.
  const fingerprinted = new Set(fingerprints.map((row) => row.caseId));
  await repository.forgetFingerprints(
    tx,
    [...outcome.changedCases].filter((id) => id > 0 && !fingerprinted.has(id)),
  );
}

/**
 * The rows read as known (their fingerprint a stored case's when the batch was read) whose
 * fingerprint still stands now that this transaction holds the import lock, by case. Only an import
 * writes a fingerprint, and any other write to a case or to what is nested in it deletes it
 * (migration 0017). A row meeting a case this import has already met is left out, so that it is
 * compared and refused as the same case twice.
 */
async function confirmKnown(
  tx: Executor,
  rows: readonly BatchCase[],
  touchedBefore: ReadonlyMap<number, number>,
): Promise<Map<number, KnownClaim>> {
  const knownRows = rows.filter((row): row is KnownCase => row.known === true);
  const standing = await standingCases(tx, knownRows);
  const claims = new Map<number, KnownClaim>();
  for (const row of knownRows) {
    if (!standing.has(row.caseId) || touchedBefore.has(row.caseId) || claims.has(row.caseId)) continue;
    claims.set(row.caseId, { row });
  }
  return claims;
}

/**
 * The cases of the known rows whose fingerprints still stand under the lock. When nothing that forgets
 * fingerprints has committed since the rows' lookup (the usual case: a sync of an unchanged export
 * writes nothing), that is all of them, without reading a fingerprint again; otherwise, or when the
 * lookup is older than registry_writes is trusted, each is confirmed. A batch's known rows come from
 * one lot, hence one lookup.
 */
async function standingCases(tx: Executor, knownRows: readonly KnownCase[]): Promise<Set<number>> {
  const [first] = knownRows;
  if (first === undefined) return new Set();
  const { snapshot, startedAt } = first.lookup;
  if (
    knownRows.every((row) => row.lookup === first.lookup) &&
    snapshot !== null &&
    performance.now() - startedAt < SNAPSHOT_TRUSTED_MS &&
    !(await repository.registryWrittenSince(tx, snapshot))
  ) {
    return new Set(knownRows.map((row) => row.caseId));
  }
  return repository.confirmFingerprints(tx, knownRows);
}

/**
 * Counts each known case as unchanged, with what is nested in it, as comparing it would, unless a
 * row before its own named the same case: then the known row is the duplicate, as it would be if
 * compared. The nested counts were read with the fingerprint before the lock; a fingerprint is only
 * ever written with the counts of its comparison, so one that stands has them (two imports of the
 * same row at once could leave them one comparison behind, in the report only).
 */
function passKnown(outcome: Outcome, claims: ReadonlyMap<number, KnownClaim>): void {
  for (const [caseId, { row, supersededBy }] of claims) {
    if (supersededBy !== undefined) {
      outcome.rejected.push({ line: row.line, reason: sameCaseAs(supersededBy) });
      continue;
    }
    outcome.touched.push([caseId, row.line]);
    outcome.rows.push("unchanged");
    outcome.count("case", "unchanged");
    for (const [kind, count] of Object.entries(row.nested)) {
      outcome.count(kind as EntityKind, "unchanged", count);
    }
  }
}
