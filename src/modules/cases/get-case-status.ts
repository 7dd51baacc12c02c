import type { Database } from "../../db/client.js";
import type { UserRoles } from "../access/roles.js";
import { type IdentifierParseError, parseIdentifier } from "../identifiers/parse-identifier.js";
import { readsEverything } from "../shared/actor.js";
import type { RequestContext } from "../shared/context.js";
import { audienceFor, personReading } from "./audience.js";
import { caseCacheOf } from "./case-cache.js";
import type { CaseDetails, CaseSummary } from "./case-details.js";
import {
  findCaseIdsByIdentifierKey,
  findSimilarCases,
  loadCaseDetails,
  loadCasesByDnrKey,
} from "./cases.repository.js";

export type CaseStatusResult =
  | { type: "invalid"; error: IdentifierParseError }
  | { type: "not_found"; identifier: string; suggestions: CaseSummary[] }
  | {
      type: "found";
      cases: CaseDetails[];
      /**
       * Ids of the found cases the viewer, reading alone, may see in full by the audience rule (all of
       * them when no viewer is named). A channel sees a restricted case's public data whoever asked.
       */
      fullAccess: ReadonlySet<number>;
    };

const MAX_SUGGESTIONS = 3;

/**
 * `status <identifier>`: a dnr or a document series number, as officials type it. A Slack user sees a
 * restricted case as their roles allow; the terminal is trusted and sees everything.
 */
export async function getCaseStatus(
  ctx: Pick<RequestContext, "db" | "actor" | "roles">,
  { query }: { query: string },
): Promise<CaseStatusResult> {
  return findCaseStatus({
    db: ctx.db,
    query,
    viewer: readsEverything(ctx.actor) ? undefined : ctx.roles,
  });
}

/** The lookup for callers that decide access themselves: every found case counts as fully visible. */
export async function findCaseStatus({
  db,
  query,
  viewer,
}: {
  db: Database;
  query: string;
  viewer?: () => Promise<UserRoles>;
}): Promise<CaseStatusResult> {
  const parsed = parseIdentifier(query);
  if (!parsed.ok) return { type: "invalid", error: parsed.error };
  const { identifier } = parsed;

  const cases = await caseCacheOf(db).lookup(`${identifier.type} ${identifier.key}`, async () =>
    identifier.type === "dnr"
      ? loadCasesByDnrKey(db, identifier.key)
      : loadCaseDetails(db, await findCaseIdsByIdentifierKey(db, identifier.key)),
  );
  if (cases.length > 0) return { type: "found", cases, fullAccess: await fullAccessOf(cases, viewer) };

  return {
    type: "not_found",
    identifier: identifier.type === "dnr" ? `Dnr ${identifier.display}` : identifier.display,
    suggestions: await findSimilarCases(db, identifier.key, MAX_SUGGESTIONS),
  };
}

/**
 * One case by its id, as a button carries it. Whoever shows it decides the audience (a shared card is
 * read in a channel).
 */
export async function getCaseById(
  ctx: Pick<RequestContext, "db">,
  { caseId }: { caseId: number },
): Promise<CaseDetails | null> {
  const [details] = await loadCaseDetails(ctx.db, [caseId]);
  return details ?? null;
}

/**
 * The status answer for one case by id, as a search hit's button asks for it: the viewer's access is
 * decided now, for whoever clicked, as for a status lookup.
 */
export async function getCaseStatusById(
  ctx: Pick<RequestContext, "db" | "actor" | "roles">,
  { caseId }: { caseId: number },
): Promise<CaseStatusResult> {
  const cases = await loadCaseDetails(ctx.db, [caseId]);
  if (cases.length === 0) return { type: "not_found", identifier: `ärende ${caseId}`, suggestions: [] };
  const viewer = ctx.actor.type === "slack_user" ? ctx.roles : undefined;
  return { type: "found", cases, fullAccess: await fullAccessOf(cases, viewer) };
}

/** Roles are looked up only when a restricted case is among the found, which is rare. */
async function fullAccessOf(
  cases: CaseDetails[],
  viewer: (() => Promise<UserRoles>) | undefined,
): Promise<ReadonlySet<number>> {
  const open = cases.filter((details) => !details.restricted).map((details) => details.id);
  const restricted = cases.filter((details) => details.restricted);
  if (restricted.length === 0 || viewer === undefined) return new Set(cases.map((details) => details.id));
  const reader = personReading(await viewer());
  return new Set([
    ...open,
    ...restricted.filter((details) => audienceFor(reader, details) === "full").map((details) => details.id),
  ]);
}
