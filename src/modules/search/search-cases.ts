import type { Coded } from "../../messages/sv.js";
import { findBodies } from "../bodies/find-bodies.js";
import { audienceFor, IN_CHANNEL, personReading, titleFor } from "../cases/audience.js";
import { CASE_STATUSES, type CaseKind, type CaseStatus, isFinished } from "../cases/case-kinds.js";
import { caseLabel } from "../cases/present-case.js";
import type { RequestContext } from "../shared/context.js";
import { SEARCH_ERRORS, type SearchErrorCode } from "./errors.js";
import type { SearchQuery } from "./parse-search.js";
import {
  searchCases as findCases,
  hasSearchableWords,
  type SearchFilters,
  type SearchViewer,
} from "./search.repository.js";

/** One hit as the asker may read it: a restricted case they are not entitled to by its public title. */
export type SearchHit = {
  caseId: number;
  /** "Dnr 108-1642/2017", else the case's first other identifier ("Motion 2016:114"). */
  label: string;
  title: string;
  kind: CaseKind;
  status: CaseStatus;
  /** When it was raised, or received; "YYYY-MM-DD". */
  date: string | null;
};

export type SearchResult =
  | { ok: true; hits: SearchHit[]; page: number; hasMore: boolean }
  | { ok: false; error: Coded<SearchErrorCode> };

export const HITS_PER_PAGE = 10;
const OPEN_STATUSES = CASE_STATUSES.filter((status) => !isFinished(status));
const FINISHED_STATUSES = CASE_STATUSES.filter((status) => isFinished(status));

/**
 * `/arende sök …` and `arendebot sök …`: ten hits a page, best first. A Slack user finds a restricted
 * case by its full data only when the audience rule entitles them to it, and sees its title as the
 * rule says; the terminal is trusted and searches everything.
 */
export async function searchCases(
  ctx: Pick<RequestContext, "db" | "actor" | "roles">,
  {
    query,
    page = 1,
    place = "private",
  }: {
    query: SearchQuery;
    page?: number;
    /** Where the hits are shown: in a channel (a mention, a DM thread) only public data is searched. */
    place?: "private" | "channel";
  },
): Promise<SearchResult> {
  const filters: SearchFilters = {};
  if (query.kind) filters.kind = query.kind;
  if (query.year !== undefined) filters.year = query.year;
  if (query.state) filters.statuses = query.state === "open" ? OPEN_STATUSES : FINISHED_STATUSES;
  if (query.body !== undefined) {
    const lookup = await findBodies({ db: ctx.db, terms: [query.body] });
    if (!lookup.ok) {
      const code = lookup.problem === "unknown" ? SEARCH_ERRORS.unknownBody : SEARCH_ERRORS.ambiguousBody;
      return {
        ok: false,
        error: {
          code,
          params: { term: lookup.term, candidates: lookup.candidates.map((body) => body.name) },
        },
      };
    }
    filters.bodyId = lookup.bodies[0]?.id;
  }
  const roles = ctx.actor.type === "slack_user" ? await ctx.roles() : null;
  const viewer: SearchViewer =
    place === "channel"
      ? { type: "person", slackUserId: "", isAdmin: false, bodyIds: [] }
      : roles
        ? {
            type: "person",
            slackUserId: roles.slackUserId,
            isAdmin: roles.isAdmin,
            bodyIds: [...roles.byBody].filter(([, held]) => held.size > 0).map(([bodyId]) => bodyId),
          }
        : { type: "everything" };
  const rows = await findCases(ctx.db, {
    words: query.words,
    filters,
    viewer,
    limit: HITS_PER_PAGE + 1,
    offset: (page - 1) * HITS_PER_PAGE,
  });
  // Nothing found for words that are all stop words: say so, rather than that nothing matches.
  if (rows.length === 0 && query.words.trim() !== "" && !(await hasSearchableWords(ctx.db, query.words))) {
    return {
      ok: false,
      error: { code: SEARCH_ERRORS.onlyCommonWords, params: { words: query.words.trim() } },
    };
  }
  const hits = rows.slice(0, HITS_PER_PAGE).map((row): SearchHit => {
    const subject = {
      restricted: row.restricted,
      officerSlackUserId: row.officerSlackUserId,
      responsibleBody: row.responsibleBodyId === null ? null : { id: row.responsibleBodyId },
    };
    const audience =
      place === "channel"
        ? audienceFor(IN_CHANNEL, subject)
        : roles
          ? audienceFor(personReading(roles), subject)
          : "full";
    return {
      caseId: row.id,
      label: caseLabel({ id: row.id, dnr: row.dnr, identifiers: row.identifier ? [row.identifier] : [] }),
      title: titleFor(audience, row),
      kind: row.kind,
      status: row.status,
      date: row.raisedOn ?? row.receivedOn,
    };
  });
  return { ok: true, hits, page, hasMore: rows.length > HITS_PER_PAGE };
}
