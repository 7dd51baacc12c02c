import { hash } from "node:crypto";
import type { DeadlineRules } from "../deadlines/deadline-rules.js";
import type { FingerprintRow } from "./import.repository.js";
import type { CaseInput } from "./import.schema.js";
import type { ImportSource, SourceItem } from "./read-import-file.js";

/** What a row names its case by: all the checks of a file that need no database look at these. */
export type CaseKeys = FingerprintRow["keys"];

/**
 * Raise whenever the same source row is to be read differently (a new column, another rule for a
 * field), so that the next sync compares every case in full once.
 */
const FINGERPRINT_VERSION = 1;

/**
 * What every fingerprint of one import depends on besides the row: the format, the deadline rules
 * (each case's computed deadlines follow them) and the version of the reading.
 */
export function fingerprintSalt(
  { format, readingOf }: Pick<ImportSource, "format" | "readingOf">,
  rules: DeadlineRules,
): string {
  // Hashed itself: it is hashed again with every row, and the rules alone are longer than a row.
  const salt = `${FINGERPRINT_VERSION}\u0000${format}\u0000${readingOf ?? ""}\u0000${JSON.stringify(rules)}`;
  return `${hash("sha256", salt, "base64url")}\u0000`;
}

/**
 * A source row hashed: its cells as the file wrote them (CSV, read by the same header), or the row
 * as read (CSV cells after a mapping, a JSON case, the case an ERMS aggregation becomes). The same
 * export row gives the same fingerprint whichever file it comes in.
 */
export function fingerprintOf(salt: string, item: Pick<SourceItem, "raw" | "data">): string {
  return hash("sha256", salt + (item.raw ?? JSON.stringify(item.data)), "base64url");
}

export function keysOf(input: CaseInput): CaseKeys {
  return {
    registry: input.registry,
    registryName: input.registryName ?? null,
    dnrKey: input.dnr?.key ?? null,
    identifierKeys: (input.identifiers ?? []).map((identifier) => identifier.key),
  };
}
