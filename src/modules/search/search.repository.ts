import { type SQL, sql } from "drizzle-orm";
import { type Executor, rowsOf } from "../../db/client.js";
import { caseIdentifiers, cases, searchWords } from "../../db/schema.js";
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
 * Ranked full-text search with typo tolerance. A word matches a case when its Swedish stem is in the
 * case's stored vector (`socialsekreterare` finds `socialsekreterarna`); hits are ranked by how well
 * they match. Only when no case matches that way is each word replaced by the closest word of any
 * title (search_words, by trigrams: `kompetensutvecklingspen` becomes `kompetensutvecklingspeng`)
 * and the search run again, in the same statement. Correcting a few words against the titles'
 * vocabulary costs the same at a million cases as at a thousand, where comparing the words with every
 * title by trigrams ranked thousands of titles (0.23 s at 1,000,000 generated cases). A restricted
 * case the viewer is not entitled to is matched on its public title only, so a search never tells
 * that a secret word is in it. The order is total (score, then date, then id), so both databases
 * page alike.
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
  const filtered = (match: SQL | null) => {
    const all = match ? [match, ...conditions] : conditions;
    return all.length > 0 ? sql`WHERE ${sql.join(all, sql` AND `)}` : sql``;
  };
  const columns = sql`${cases.id} AS id, ${cases.dnr} AS dnr, ${cases.kind} AS kind, ${cases.status} AS status,
           ${cases.title} AS title, ${cases.publicTitle} AS public_title, ${cases.restricted} AS restricted,
           ${cases.raisedOn} AS raised_on, ${cases.receivedOn} AS received_on,
           ${cases.officerSlackUserId} AS officer_slack_user_id,
           ${cases.responsibleBodyId} AS responsible_body_id`;
  const order = sql`ORDER BY score DESC, coalesce(raised_on, received_on) DESC NULLS LAST, id DESC
     LIMIT ${limit} OFFSET ${offset}`;
  let hits: SQL;
  if (words.trim() === "") {
    hits = sql`SELECT ${columns}, 0::real AS score FROM ${cases} ${filtered(null)} ${order}`;
  } else {
    const matches = (query: SQL) =>
      sql`(${cases.searchPublic} @@ ${query} OR (${entitled} AND ${cases.searchFull} @@ ${query}))`;
    const rank = (query: SQL) => sql`CASE WHEN ${entitled}
                 THEN ts_rank_cd(${cases.searchFull}, ${query}) + ts_rank_cd(${cases.searchPublic}, ${query})
                 ELSE ts_rank_cd(${cases.searchPublic}, ${query}) END`;
    // A correction rewrites plain words; a search with a phrase, an exclusion or OR means what it says.
    const correctable = !/"|(^|\s)-|(^|\s)or(\s|$)/iu.test(words);
    hits = sql`
      WITH q AS (SELECT websearch_to_tsquery('swedish'::regconfig, ${words}) AS query),
      by_stem AS (
        SELECT ${columns}, ${rank(sql`q.query`)} AS score
          FROM ${cases}, q ${filtered(matches(sql`q.query`))}
      ),
      spelled AS (
        SELECT to_tsquery('swedish'::regconfig, string_agg(quote_literal(fixed), ' & ' ORDER BY fixed)) AS query
          FROM (
            SELECT coalesce((
              SELECT s.word FROM ${searchWords} s
               WHERE s.word % typed ORDER BY similarity(s.word, typed) DESC, s.word LIMIT 1), typed) AS fixed
              FROM unnest(tsvector_to_array(to_tsvector('simple'::regconfig, ${words}))) AS typed
             WHERE ${correctable} AND NOT EXISTS (SELECT 1 FROM by_stem)
          ) words
      ),
      by_spelling AS (
        SELECT ${columns}, ${rank(sql`spelled.query`)} AS score
          FROM ${cases}, spelled ${filtered(matches(sql`spelled.query`))}
           AND spelled.query IS NOT NULL
      ),
      hits AS (SELECT * FROM by_stem UNION ALL SELECT * FROM by_spelling)
      SELECT * FROM hits ${order}`;
  }
  const result = await db.execute<Record<string, unknown>>(sql`
    SELECT h.id, h.dnr, h.kind, h.status, h.title, h.public_title, h.restricted,
           h.raised_on::text AS raised_on, h.received_on::text AS received_on,
           h.officer_slack_user_id, h.responsible_body_id,
           (SELECT ${caseIdentifiers.display} FROM ${caseIdentifiers}
             WHERE ${caseIdentifiers.caseId} = h.id ORDER BY ${caseIdentifiers.id} LIMIT 1) AS identifier
      FROM (${hits}) h
     ORDER BY h.score DESC, coalesce(h.raised_on, h.received_on) DESC NULLS LAST, h.id DESC`);
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

/** Whether the words hold anything to search by, once Swedish stop words ("och", "att") are dropped. */
export async function hasSearchableWords(db: Executor, words: string): Promise<boolean> {
  const [row] = rowsOf<{ nodes: number }>(
    await db.execute(sql`SELECT numnode(websearch_to_tsquery('swedish'::regconfig, ${words})) AS nodes`),
  );
  return Number(row?.nodes ?? 0) > 0;
}

/** isEntitled (cases/audience.ts) as SQL: a test holds the two to the same answers. */
function entitledSql(viewer: SearchViewer): SQL {
  if (viewer.type === "everything") return sql`true`;
  return sql`(NOT ${cases.restricted}
    OR ${cases.officerSlackUserId} = ${viewer.slackUserId}
    OR ${viewer.isAdmin}
    OR ${cases.responsibleBodyId} = ANY(string_to_array(${viewer.bodyIds.join(",")}, ',')::int[]))`;
}
