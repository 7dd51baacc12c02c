import type { Database } from "../../db/client.js";
import { canSeeRestrictedCase } from "../cases/case-access.js";
import type { CaseDetails, CaseSummary } from "../cases/case-details.js";
import { findCaseStatus, getCaseById } from "../cases/get-case-status.js";
import type { IdentifierParseError } from "../identifiers/parse-identifier.js";
import { readsEverything } from "../shared/actor.js";
import type { RequestContext } from "../shared/context.js";
import { countHistoryEvents, findHistoryEvents, loadHistoryContext } from "./history.repository.js";
import type { HistoryContext, HistoryEvent } from "./history-event.js";

/** One screenful in Slack: 20 events stay well inside a message's 50 blocks. */
export const HISTORY_PAGE_SIZE = 20;
/** The terminal may ask for more at a time (`--limit`), within reason. */
export const HISTORY_MAX_PAGE_SIZE = 500;

/** One page of a case's history, newest first. */
export type CaseHistory = {
  details: CaseDetails;
  /** Whether the viewer may see the restricted case in full (always true for the terminal). */
  mayViewFull: boolean;
  events: HistoryEvent[];
  context: HistoryContext;
  /** 1 is the newest page; a page past the end is answered with the last one. */
  page: number;
  pageSize: number;
  total: number;
  pages: number;
};

export type CaseHistoryResult =
  | { type: "invalid"; error: IdentifierParseError }
  | { type: "not_found"; identifier: string; suggestions: CaseSummary[] }
  /** A button named a case that is no longer in the registry. */
  | { type: "gone" }
  /** One history per case found; a dnr can name cases in several registries. */
  | { type: "found"; histories: CaseHistory[] };

/**
 * `historik <identifier>`: every audited change to the case and to its referrals, responses,
 * deadlines and timeline, newest first, a page at a time. The case is found the way `status` finds
 * it. Who may see a restricted case in full is decided by the same rule as the case card
 * (canSeeRestrictedCase); the terminal names no viewer and sees everything.
 */
export async function getCaseHistory(
  ctx: Pick<RequestContext, "db" | "actor" | "roles">,
  {
    page = 1,
    pageSize = HISTORY_PAGE_SIZE,
    ...target
  }: { page?: number; pageSize?: number } & ({ query: string } | { caseId: number }),
): Promise<CaseHistoryResult> {
  const { db } = ctx;
  let found: CaseDetails[];
  if ("query" in target) {
    const result = await findCaseStatus({ db, query: target.query });
    if (result.type !== "found") return result;
    found = result.cases;
  } else {
    const details = await getCaseById(ctx, { caseId: target.caseId });
    if (!details) return { type: "gone" };
    found = [details];
  }
  const mayViewFull = await fullAccessOf(ctx, found);
  const size = clamp(Math.trunc(pageSize), 1, HISTORY_MAX_PAGE_SIZE);
  const histories = await Promise.all(
    found.map((details) =>
      historyOf(db, details, { page, pageSize: size, mayViewFull: mayViewFull(details) }),
    ),
  );
  return { type: "found", histories };
}

async function historyOf(
  db: Database,
  details: CaseDetails,
  { page, pageSize, mayViewFull }: { page: number; pageSize: number; mayViewFull: boolean },
): Promise<CaseHistory> {
  const context = await loadHistoryContext(db, details.id);
  const total = await countHistoryEvents(db, context);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const current = clamp(Number.isFinite(page) ? Math.trunc(page) : 1, 1, pages);
  const events = await findHistoryEvents(db, context, {
    limit: pageSize,
    offset: (current - 1) * pageSize,
  });
  return { details, mayViewFull, events, context, page: current, pageSize, total, pages };
}

/** Roles are looked up only when a restricted case is among those found, which is rare. */
async function fullAccessOf(
  ctx: Pick<RequestContext, "actor" | "roles">,
  cases: CaseDetails[],
): Promise<(details: CaseDetails) => boolean> {
  if (readsEverything(ctx.actor) || !cases.some((details) => details.restricted)) return () => true;
  const roles = await ctx.roles();
  return (details) => canSeeRestrictedCase(roles, details);
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(value, min), max);
}
