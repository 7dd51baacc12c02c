import { type SQL, sql } from "drizzle-orm";
import { type Executor, rowsOf } from "../../db/client.js";
import { caseIdentifiers, cases } from "../../db/schema.js";
import type { CaseKind, CaseStatus } from "../cases/case-kinds.js";

/** Who is searching, as far as restricted cases go (the same facts as the audience rule's isEntitled). */
export type SearchViewer =
  | { type: "everything" }
  | { type: "person"; slackUserId: string; isAdmin: boolean; bodyIds: readonly number[] };

export type SearchFilters = {
  kind?: CaseKind;
  bodyId?: number;
  year?: number;
  statuses?: readonly CaseStatus[];
};

export type SearchRow = {
  id: number;
  dnr: string | null;
  identifier: string | null;
  kind: CaseKind;
  status: CaseStatus;
  title: string;
  publicTitle: string;
  restricted: boolean;
  raisedOn: string | null;
  receivedOn: string | null;
  officerSlackUserId: string | null;
  responsibleBodyId: number | null;
};

/**
 * The vectors the indexes in schema.ts hold, written the same way so the planner uses them: the
 * public title for everyone; title, summary and outcome for those entitled.
 */
const PUBLIC_VECTOR = sql`to_tsvector('swedish'::regconfig, ${cases.publicTitle})`;
const FULL_VECTOR = sql`to_tsvector('swedish'::regconfig, ${cases.title} || ' ' || coalesce(${cases.summary}, '') || ' ' || coalesce(${cases.outcome}, ''))`;

/**
 * Ranked full-text search with typo tolerance. A word matches a case when its Swedish stem is in the
 * case's vector (`socialsekreterare` finds `socialsekreterarna`), or when the words are close to a
 * title by trigrams (`kompetensutvecklingspen` still finds it). A restricted case the viewer is not
 * entitled to is matched on its public title only, so a search never tells that a secret word is in
 * it. The order is total (score, then date, then id), so both databases page alike.
 */
export async function searchCases(
  db: Executor,
  {
    words,
    filters,
    viewer,
    limit,
    offset,
  }: {
    words: string;
    filters: SearchFilters;
    viewer: SearchViewer;
    limit: number;
    offset: number;
  },
): Promise<SearchRow[]> {
  const entitled = entitledSql(viewer);
  const conditions: SQL[] = [];
  if (filters.kind) conditions.push(sql`${cases.kind} = ${filters.kind}`);
  if (filters.bodyId !== undefined) conditions.push(sql`${cases.responsibleBodyId} = ${filters.bodyId}`);
  if (filters.year !== undefined) {
    conditions.push(
      sql`date_part('year', coalesce(${cases.raisedOn}, ${cases.receivedOn})) = ${filters.year}`,
    );
  }
  if (filters.statuses) {
    conditions.push(sql`${cases.status}::text = ANY(string_to_array(${filters.statuses.join(",")}, ','))`);
  }
  const hasWords = words.trim() !== "";
  if (hasWords) {
    conditions.push(sql`(
      ${PUBLIC_VECTOR} @@ q.query OR ${words} <% ${cases.publicTitle}
      OR (${entitled} AND (${FULL_VECTOR} @@ q.query OR ${words} <% ${cases.title})))`);
  }
  const score = hasWords
    ? sql`CASE WHEN ${entitled}
        THEN ts_rank_cd(${FULL_VECTOR}, q.query) + ts_rank_cd(${PUBLIC_VECTOR}, q.query) + word_similarity(${words}, ${cases.title})
        ELSE ts_rank_cd(${PUBLIC_VECTOR}, q.query) + word_similarity(${words}, ${cases.publicTitle}) END`
    : null;
  const where = conditions.length > 0 ? sql`WHERE ${sql.join(conditions, sql` AND `)}` : sql``;
  const result = await db.execute<Record<string, unknown>>(sql`
    WITH q AS (SELECT websearch_to_tsquery('swedish'::regconfig, ${words}) AS query)
    SELECT ${cases.id} AS id, ${cases.dnr} AS dnr, ${cases.kind} AS kind, ${cases.status} AS status,
           ${cases.title} AS title, ${cases.publicTitle} AS public_title, ${cases.restricted} AS restricted,
           ${cases.raisedOn}::text AS raised_on, ${cases.receivedOn}::text AS received_on,
           ${cases.officerSlackUserId} AS officer_slack_user_id,
           ${cases.responsibleBodyId} AS responsible_body_id,
           (SELECT ${caseIdentifiers.display} FROM ${caseIdentifiers}
             WHERE ${caseIdentifiers.caseId} = ${cases.id} ORDER BY ${caseIdentifiers.id} LIMIT 1) AS identifier
      FROM ${cases}, q
      ${where}
     ORDER BY ${score === null ? sql`` : sql`${score} DESC,`} coalesce(${cases.raisedOn}, ${cases.receivedOn}) DESC NULLS LAST, ${cases.id} DESC
     LIMIT ${limit} OFFSET ${offset}`);
  return rowsOf<Record<string, unknown>>(result).map((row) => ({
    id: Number(row.id),
    dnr: (row.dnr as string | null) ?? null,
    identifier: (row.identifier as string | null) ?? null,
    kind: row.kind as CaseKind,
    status: row.status as CaseStatus,
    title: String(row.title),
    publicTitle: String(row.public_title),
    restricted: Boolean(row.restricted),
    raisedOn: (row.raised_on as string | null) ?? null,
    receivedOn: (row.received_on as string | null) ?? null,
    officerSlackUserId: (row.officer_slack_user_id as string | null) ?? null,
    responsibleBodyId: row.responsible_body_id === null ? null : Number(row.responsible_body_id),
  }));
}

/** isEntitled (cases/audience.ts) as SQL: a test holds the two to the same answers. */
function entitledSql(viewer: SearchViewer): SQL {
  if (viewer.type === "everything") return sql`true`;
  return sql`(NOT ${cases.restricted}
    OR ${cases.officerSlackUserId} = ${viewer.slackUserId}
    OR ${viewer.isAdmin}
    OR ${cases.responsibleBodyId} = ANY(string_to_array(${viewer.bodyIds.join(",")}, ',')::int[]))`;
}
