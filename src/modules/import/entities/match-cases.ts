import type { Executor } from "../../../db/client.js";
import { sv } from "../fields.js";
import type { CaseRow } from "../import.repository.js";
import * as repository from "../import.repository.js";
import { formatPath } from "../import.schema.js";
import type { CaseScope, PreparedCase } from "./case.js";

/** Each row's stored case (null: a new case; absent: rejected), and the identifier keys cases have. */
export type MatchedCases = {
  cases: Map<PreparedCase, CaseRow | null>;
  identifierKeys: Map<number, Set<string>>;
};

/**
 * Finds the stored case each row means: by registry and dnr; failing that, by an identifier. A row
 * with a dnr may match a case registered before its dnr was known (one without a dnr that shares an
 * identifier), which then gets the dnr. Rows that match several cases, or a case another row of
 * this import already wrote, are rejected and left out of the answer; the others map to their case,
 * or to null when they name a new one.
 */
export async function matchCases(
  tx: Executor,
  rows: readonly PreparedCase[],
  {
    registryIds,
    touchedCases,
    knownCases,
    outcome,
  }: Pick<CaseScope, "registryIds" | "touchedCases" | "knownCases" | "outcome">,
): Promise<MatchedCases> {
  const byRegistry = new Map<number, PreparedCase[]>();
  for (const row of rows) {
    const registryId = registryIds.get(row.input.registry) ?? 0;
    const group = byRegistry.get(registryId);
    if (group) group.push(row);
    else byRegistry.set(registryId, [row]);
  }
  const matchedIds = new Map<PreparedCase, number>();
  const loaded = new Map<number, CaseRow>();
  const rejected = new Set<PreparedCase>();
  for (const [registryId, group] of byRegistry) {
    const byDnr = new Map<string, CaseRow>();
    for (const found of await repository.findCasesByDnrKeys(
      tx,
      registryId,
      unique(group.flatMap((row) => (row.input.dnr ? [row.input.dnr.key] : []))),
    )) {
      if (found.dnrKey !== null) byDnr.set(found.dnrKey, found);
      loaded.set(found.id, found);
    }
    const needIdentifiers = group.filter(
      (row) => !(row.input.dnr && byDnr.has(row.input.dnr.key)) && (row.input.identifiers ?? []).length > 0,
    );
    const hits = await repository.findCasesByIdentifierKeys(
      tx,
      registryId,
      unique(
        needIdentifiers.flatMap((row) => (row.input.identifiers ?? []).map((identifier) => identifier.key)),
      ),
    );
    const casesByKey = new Map<string, Map<number, string | null>>();
    for (const hit of hits) {
      const found = casesByKey.get(hit.key) ?? new Map<number, string | null>();
      found.set(hit.caseId, hit.dnr);
      casesByKey.set(hit.key, found);
    }
    for (const row of group) {
      const dnrHit = row.input.dnr ? byDnr.get(row.input.dnr.key) : undefined;
      if (dnrHit !== undefined) {
        matchedIds.set(row, dnrHit.id);
        continue;
      }
      const candidates = new Map<number, string | null>();
      for (const identifier of row.input.identifiers ?? []) {
        for (const [caseId, dnr] of casesByKey.get(identifier.key) ?? []) {
          // A row with a dnr only takes over a case that has none yet.
          if (!row.input.dnr || dnr === null) candidates.set(caseId, dnr);
        }
      }
      if (candidates.size > 1) {
        const names = [...candidates.values()].map((dnr) => (dnr === null ? "utan dnr" : `dnr ${dnr}`));
        outcome.rejected.push({
          line: row.line,
          reason: `${formatPath(row.path, ["identifiers"]) || "identifiers"}: ${sv(
            `Identifierarna passar ${candidates.size} ärenden (${names.join(", ")}); ange ärendets dnr`,
            "the identifiers match several cases",
          )}`,
        });
        rejected.add(row);
        continue;
      }
      const [only] = candidates.keys();
      if (only !== undefined) matchedIds.set(row, only);
    }
  }
  const matched = [...new Set(matchedIds.values())];
  for (const found of await repository.findCasesByIds(
    tx,
    matched.filter((id) => !loaded.has(id)),
  ))
    loaded.set(found.id, found);
  const identifierKeys = new Map<number, Set<string>>();
  for (const identifier of await repository.findIdentifiers(tx, matched)) {
    const keys = identifierKeys.get(identifier.caseId) ?? new Set<string>();
    keys.add(identifier.key);
    identifierKeys.set(identifier.caseId, keys);
  }

  const result = new Map<PreparedCase, CaseRow | null>();
  const inBatch = new Map<number, number>();
  for (const row of rows) {
    if (rejected.has(row)) continue;
    const caseId = matchedIds.get(row);
    if (caseId === undefined) {
      result.set(row, null);
      continue;
    }
    let earlier = inBatch.get(caseId) ?? touchedCases.get(caseId);
    const known = knownCases?.get(caseId);
    if (earlier === undefined && known !== undefined) {
      // A row known by its fingerprint holds its case from its own line: before this row, this
      // row is the duplicate; after it, the known row is, and is refused in its turn.
      if (known.row.line < row.line) earlier = known.row.line;
      else known.supersededBy = row.line;
    }
    if (earlier !== undefined) {
      outcome.rejected.push({ line: row.line, reason: sameCaseAs(earlier) });
      continue;
    }
    inBatch.set(caseId, row.line);
    result.set(row, loaded.get(caseId) ?? null);
  }
  return { cases: result, identifierKeys };
}

/** Why a row naming a case an earlier row of the import named is refused. */
export function sameCaseAs(line: number): string {
  return sv(`Samma ärende som rad ${line}`, "the same case as an earlier row");
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
