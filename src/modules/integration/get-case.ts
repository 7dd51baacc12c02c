import { findCaseStatus } from "../cases/get-case-status.js";
import type { IdentifierParseError } from "../identifiers/parse-identifier.js";
import type { ApiTokenActor, RequestContext } from "../shared/context.js";
import { type CaseDocument, caseDocument } from "./case-document.js";

export type GetCaseResult =
  | { type: "invalid"; error: IdentifierParseError }
  | { type: "not_found"; identifier: string }
  | { type: "found"; cases: CaseDocument[] };

/**
 * `GET /api/v1/cases/{identifier}`: found the way `/arende status` finds it (a dnr or a document
 * number, read tolerantly), shown by the audience rule for an integration platform.
 */
export async function getCaseForIntegration(
  ctx: Pick<RequestContext<ApiTokenActor>, "db">,
  { identifier }: { identifier: string },
): Promise<GetCaseResult> {
  const result = await findCaseStatus({ db: ctx.db, query: identifier });
  if (result.type === "invalid") return result;
  // Suggestions are left out: an integration asks for exact numbers and has no one to ask back.
  if (result.type === "not_found") return { type: "not_found", identifier: result.identifier };
  return { type: "found", cases: result.cases.map(caseDocument) };
}
