import type { Database } from "../../db/client.js";
import { type IdentifierParseError, parseIdentifier } from "../identifiers/parse-identifier.js";
import type { CaseDetails, CaseSummary } from "./case-details.js";
import {
  findCaseIdsByDnrKey,
  findCaseIdsByIdentifierKey,
  findSimilarCases,
  loadCaseDetails,
} from "./cases.repository.js";

export type CaseStatusResult =
  | { type: "invalid"; error: IdentifierParseError }
  | { type: "not_found"; identifier: string; suggestions: CaseSummary[] }
  | { type: "found"; cases: CaseDetails[] };

const MAX_SUGGESTIONS = 3;

/** `status <identifier>`: a dnr or a document series number, as officials type it. */
export async function getCaseStatus({
  db,
  query,
}: {
  db: Database;
  query: string;
}): Promise<CaseStatusResult> {
  const parsed = parseIdentifier(query);
  if (!parsed.ok) return { type: "invalid", error: parsed.error };
  const { identifier } = parsed;

  const ids =
    identifier.type === "dnr"
      ? await findCaseIdsByDnrKey(db, identifier.key)
      : await findCaseIdsByIdentifierKey(db, identifier.key);
  if (ids.length > 0) return { type: "found", cases: await loadCaseDetails(db, ids) };

  return {
    type: "not_found",
    identifier: identifier.type === "dnr" ? `Dnr ${identifier.display}` : identifier.display,
    suggestions: await findSimilarCases(db, identifier.key, MAX_SUGGESTIONS),
  };
}

export async function getCaseById({
  db,
  caseId,
}: {
  db: Database;
  caseId: number;
}): Promise<CaseDetails | null> {
  const [details] = await loadCaseDetails(db, [caseId]);
  return details ?? null;
}
