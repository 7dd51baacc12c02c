import { asc, eq, inArray, type SQL, type SQLWrapper, sql } from "drizzle-orm";
import { type Database, rowsOf } from "../../db/client.js";
import {
  caseIdentifiers,
  cases,
  deadlines,
  referralResponses,
  referrals,
  registryWrites,
  timelineEntries,
} from "../../db/schema.js";
import type { CaseDetails, CaseSummary } from "./case-details.js";

/** A dnr names one case per registry; more than a handful sharing one is a data error, not a list. */
const MAX_CASES_PER_DNR = 10;

export async function findCaseIdsByIdentifierKey(db: Database, key: string): Promise<number[]> {
  const rows = await db
    .selectDistinct({ id: caseIdentifiers.caseId })
    .from(caseIdentifiers)
    .where(eq(caseIdentifiers.key, key))
    .limit(10);
  return rows.map((row) => row.id);
}

/**
 * One round trip per case (almost always one): the relational query builds the whole case as JSON
 * inside the database.
 */
export async function loadCaseDetails(db: Database, ids: number[]): Promise<CaseDetails[]> {
  const { caseDetails } = statusQueries(db);
  const found = await Promise.all([...ids].sort((a, b) => a - b).map((id) => caseDetails.execute({ id })));
  return found.flat().map(toCaseDetails);
}

/**
 * The first identifier recorded for the `cases` row of the query, which `caseLabel` names a case by
 * when it has no dnr. Table names are spelt out: in a select from `cases` alone drizzle writes a
 * column without its table's name, and `id` would then be case_identifiers' own.
 */
export const FIRST_IDENTIFIER = sql<string | null>`(SELECT ci.display FROM case_identifiers ci
  WHERE ci.case_id = "cases"."id" ORDER BY ci.id LIMIT 1)`;

/** What names a case and decides who may read it in full: enough for a list of cases. */
export type CaseHead = Pick<
  CaseDetails,
  "id" | "dnr" | "identifiers" | "title" | "publicTitle" | "restricted" | "officerSlackUserId"
> & { responsibleBody: { id: number } | null };

/** The heads of many cases in one query (a case's whole details take one query each). */
export async function loadCaseHeads(db: Database, ids: readonly number[]): Promise<CaseHead[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select({
      id: cases.id,
      dnr: cases.dnr,
      title: cases.title,
      publicTitle: cases.publicTitle,
      restricted: cases.restricted,
      officerSlackUserId: cases.officerSlackUserId,
      responsibleBodyId: cases.responsibleBodyId,
      firstIdentifier: FIRST_IDENTIFIER,
    })
    .from(cases)
    .where(inArray(cases.id, [...ids]))
    .orderBy(asc(cases.id));
  return rows.map(({ responsibleBodyId, firstIdentifier, ...head }) => ({
    ...head,
    identifiers: firstIdentifier === null ? [] : [firstIdentifier],
    responsibleBody: responsibleBodyId === null ? null : { id: responsibleBodyId },
  }));
}

/**
 * Whether a transaction that wrote what a case card shows (see `registryWrites`) has committed since
 * the snapshot `since` was taken, and the snapshot this answer was read at, to ask from next time.
 * Without `since`, only the snapshot.
 */
export async function registryWritesSince(
  db: Database,
  since: string | null,
): Promise<{ snapshot: string; changed: boolean }> {
  const [row] = await statusQueries(db).registryWritesSince.execute({ since });
  if (!row) throw new Error("registry_writes_since answered no row");
  return { snapshot: row.snapshot, changed: row.changed };
}

/**
 * Over `registry_writes`: whether a transaction that wrote a registry, a body, a case or anything
 * nested in one has committed since the snapshot `since` was taken (`written`, an aggregate), reading
 * only the rows it needs (`where`). The case cache and the import's known rows ask it; the snapshot
 * may be at most SNAPSHOT_TRUSTED_MS old (see forget-seen-registry-writes.ts).
 */
export function writtenSince(since: SQLWrapper): { written: SQL<boolean>; where: SQL } {
  return {
    written: sql<boolean>`coalesce(bool_or(NOT pg_visible_in_snapshot(${registryWrites.txid}, ${since}::pg_snapshot)), false)`,
    where: sql`${registryWrites.txid} >= pg_snapshot_xmin(${since}::pg_snapshot)`,
  };
}

/**
 * Forgets the writes of transactions that had ended when `seenBy` was taken: every snapshot taken
 * since sees them, so no cache can still be waiting for them. Answers the snapshot to pass next time.
 */
export async function forgetRegistryWritesSeenBy(
  db: Database,
  seenBy: string | null,
): Promise<{ snapshot: string; forgotten: number }> {
  const [row] = rowsOf<{ snapshot: string; forgotten: number }>(
    await db.execute(sql`
      WITH forgotten AS (
        DELETE FROM ${registryWrites}
         WHERE ${seenBy}::pg_snapshot IS NOT NULL AND txid < pg_snapshot_xmin(${seenBy}::pg_snapshot)
        RETURNING 1)
      SELECT pg_current_snapshot()::text AS snapshot, (SELECT count(*) FROM forgotten)::int AS forgotten`),
  );
  if (!row) throw new Error("forgetting registry writes answered no row");
  return { snapshot: row.snapshot, forgotten: Number(row.forgotten) };
}

/**
 * The cases holding a dnr, whole, in one round trip: `/arende status` asks this on every call, and a
 * second round trip (ids first, then the case) cost more CPU than anything else the bot does for it
 * (writing each query to the database's socket was 15% of the bot's time in the bench's profile).
 */
export async function loadCasesByDnrKey(db: Database, key: string): Promise<CaseDetails[]> {
  const rows = await statusQueries(db).caseDetailsByDnrKey.execute({ key });
  return rows.map(toCaseDetails);
}

type CaseDetailsRow = Awaited<
  ReturnType<ReturnType<typeof prepareStatusQueries>["caseDetails"]["execute"]>
>[number];

function toCaseDetails(row: CaseDetailsRow): CaseDetails {
  return {
    id: row.id,
    registry: row.registry,
    dnr: row.dnr,
    kind: row.kind,
    title: row.title,
    publicTitle: row.publicTitle,
    restricted: row.restricted,
    summary: row.summary,
    raisedBy: row.raisedBy,
    raisedOn: row.raisedOn,
    receivedOn: row.receivedOn,
    closedOn: row.closedOn,
    addressedTo: row.addressedTo,
    responsibleBody: row.responsibleBody,
    officerName: row.officerName,
    officerSlackUserId: row.officerSlackUserId,
    status: row.status,
    outcome: row.outcome,
    identifiers: row.identifiers.map((identifier) => identifier.display),
    referrals: row.referrals.map((referral) => ({
      id: referral.id,
      body: referral.body,
      sentOn: referral.sentOn,
      dueOn: referral.dueOn,
      dueStatement: referral.dueStatement,
      state: referral.state,
      answeredOn: referral.answeredOn,
      responses: referral.responses.map((response) => ({
        id: response.id,
        kind: response.kind,
        documentTitle: response.documentTitle,
        summary: response.summary,
        link: response.link,
        answeredOn: response.answeredOn,
        approvalState: response.approvalState,
        decidedBySlackUserId: response.decidedBySlackUserId,
        decidedByName: response.decidedByName,
        decidedAt: response.decidedAt,
      })),
    })),
    deadlines: row.deadlines
      .filter((deadline) => deadline.referralId === null)
      .map((deadline) => ({
        kind: deadline.kind,
        dueOn: deadline.dueOn,
        basis: deadline.basis,
        state: deadline.state,
        metOn: deadline.metOn,
      })),
    timeline: row.timeline.map((entry) => ({
      kind: entry.kind,
      body: entry.body,
      occurredOn: entry.occurredOn,
      reference: entry.reference,
      people: entry.people,
      text: entry.text,
    })),
  };
}

/**
 * Close matches for an identifier that was not found, by trigram similarity on the normalised keys
 * (indexed on both tables), so a mistyped serial or year still finds its case.
 *
 * A key with one digit wrong scores about 0.6–0.8 against its case; pg_trgm's default threshold of
 * 0.3 also lets through every key of the same year and form, thousands in a large registry, each then
 * scored. Raising it to 0.5 for this query finds the same three closest matches faster (on 20,000
 * generated cases on PGlite: a mistyped dnr about 95 ms down to 27–77 ms, a mistyped series number
 * 39 down to 23 ms).
 */
const SIMILARITY_THRESHOLD = "0.5";

export async function findSimilarCases(db: Database, key: string, limit: number): Promise<CaseSummary[]> {
  const rows = await db.transaction(async (tx) => {
    await tx.execute(sql.raw(`SET LOCAL pg_trgm.similarity_threshold = ${SIMILARITY_THRESHOLD}`));
    return tx.execute<{ id: number; score: number }>(sql`
      SELECT id, max(score) AS score FROM (
        SELECT ${cases.id} AS id, similarity(${cases.dnrKey}, ${key}) AS score
          FROM ${cases} WHERE ${cases.dnrKey} % ${key}
        UNION ALL
        SELECT ${caseIdentifiers.caseId} AS id, similarity(${caseIdentifiers.key}, ${key}) AS score
          FROM ${caseIdentifiers} WHERE ${caseIdentifiers.key} % ${key}
      ) AS candidates
      GROUP BY id ORDER BY score DESC, id LIMIT ${limit}`);
  });
  const ids = rowsOf<{ id: number }>(rows).map((row) => Number(row.id));
  if (ids.length === 0) return [];
  const summaries = await db.query.cases.findMany({
    where: inArray(cases.id, ids),
    columns: { id: true, dnr: true, publicTitle: true, restricted: true },
    with: { identifiers: { columns: { display: true }, orderBy: asc(caseIdentifiers.id) } },
  });
  const byId = new Map(summaries.map((summary) => [summary.id, summary]));
  return ids.flatMap((id) => {
    const summary = byId.get(id);
    if (!summary) return [];
    return [
      {
        id,
        label: summary.dnr ? `Dnr ${summary.dnr}` : (summary.identifiers[0]?.display ?? `Ärende ${id}`),
        publicTitle: summary.publicTitle,
      },
    ];
  });
}

/**
 * The status lookup runs on every /arende status, so its queries are prepared once per database:
 * building the relational query costs 1–2 ms of CPU per call, and drizzle has postgres.js prepare
 * only named queries, so an unnamed one is parsed and planned by PostgreSQL every time. The case is
 * loaded by `id = $1` rather than `id = any($1)`: PostgreSQL keeps a generic plan for the former but
 * re-plans the latter on every call (about 0.5 ms for this query).
 */
const preparedStatusQueries = new WeakMap<Database, ReturnType<typeof prepareStatusQueries>>();

function statusQueries(db: Database) {
  let queries = preparedStatusQueries.get(db);
  if (!queries) {
    queries = prepareStatusQueries(db);
    preparedStatusQueries.set(db, queries);
  }
  return queries;
}

function prepareStatusQueries(db: Database) {
  const wholeCase = {
    registry: { columns: { code: true, name: true } },
    addressedTo: { columns: { id: true, code: true, name: true } },
    responsibleBody: { columns: { id: true, code: true, name: true } },
    identifiers: { columns: { display: true }, orderBy: asc(caseIdentifiers.id) },
    referrals: {
      orderBy: asc(referrals.id),
      with: {
        body: { columns: { id: true, code: true, name: true } },
        responses: { orderBy: asc(referralResponses.id) },
      },
    },
    timeline: {
      orderBy: asc(timelineEntries.position),
      with: { body: { columns: { id: true, code: true, name: true } } },
    },
    deadlines: {
      columns: { referralId: true, kind: true, dueOn: true, basis: true, state: true, metOn: true },
      orderBy: asc(deadlines.id),
    },
  } as const;
  // Every column of the case but its search vectors, which only search reads.
  const columns = { searchPublic: false, searchFull: false } as const;
  return {
    caseDetails: db.query.cases
      .findMany({ where: eq(cases.id, sql.placeholder("id")), columns, with: wholeCase })
      .prepare("case_details"),
    caseDetailsByDnrKey: db.query.cases
      .findMany({
        where: eq(cases.dnrKey, sql.placeholder("key")),
        columns,
        orderBy: asc(cases.id),
        limit: MAX_CASES_PER_DNR,
        with: wholeCase,
      })
      .prepare("case_details_by_dnr_key"),
    registryWritesSince: db
      .select({
        snapshot: sql<string>`pg_current_snapshot()::text`,
        changed: writtenSince(sql.placeholder("since")).written,
      })
      .from(registryWrites)
      .where(writtenSince(sql.placeholder("since")).where)
      .prepare("registry_writes_since"),
  };
}
