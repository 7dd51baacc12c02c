import { and, eq, gte, inArray, is, isNotNull, lt, or, type SQL, sql } from "drizzle-orm";
import { PgliteDatabase, PgliteTransaction } from "drizzle-orm/pglite";
import { type Executor, rowsOf } from "../../db/client.js";
import { bodies, cases, deadlines, referrals } from "../../db/schema.js";
import type { CaseKind } from "../cases/case-details.js";
import { STATUTORY_KINDS } from "../cases/case-kinds.js";
import { FIRST_IDENTIFIER } from "../cases/cases.repository.js";
import type { DigestFilter } from "./digest.js";

/**
 * The digest's two queries: the overdue rows, and the overdue counts of the trend's eight days.
 * The overdue rows are one range of `deadlines_state_due_idx` (state, due_on). The trend also reads the
 * deadlines met within its window; an index on (state, met_on) for those was measured on 100,000 cases
 * and saved nothing worth its writes, since what the trend costs is the join with cases that the kind
 * rule and the channel's filter need.
 */

export type DeadlineKind = (typeof deadlines.$inferSelect)["kind"];

/** One open deadline due before `today`, with what the digest shows of its case. Public data only. */
export type OverdueRow = {
  deadlineKind: DeadlineKind;
  dueOn: string;
  caseId: number;
  caseKind: CaseKind;
  dnr: string | null;
  /** The case's first other identifier ("Motion 2016:114"); only looked up when it has no dnr. */
  firstIdentifier: string | null;
  publicTitle: string;
  restricted: boolean;
  officerName: string | null;
  officerSlackUserId: string | null;
  responsibleBodyId: number | null;
  responsibleBodyName: string | null;
  /**
   * Whose answers are missing: the referral's body for a referral deadline; for a whole case's
   * deadline, the bodies of the case's open referrals (unordered).
   */
  missing: string[];
};

/**
 * The deadlines a digest reports: a remiss's stated due date, the local policy of a skrivelse and the
 * statutory target of a motion or medborgarförslag. Custom watches and rules that do not fit the case
 * (a policy deadline on a motion) are left out of both the list and the trend, so they always agree.
 */
function reportedDeadline(): SQL {
  return or(
    eq(deadlines.kind, "referral_due"),
    and(eq(deadlines.kind, "policy"), eq(cases.kind, "skrivelse")),
    and(eq(deadlines.kind, "statutory"), inArray(cases.kind, [...STATUTORY_KINDS])),
  ) as SQL;
}

/** An empty list or null means every case kind and every responsible body. */
function matchesFilter(filter: DigestFilter): SQL[] {
  const conditions: SQL[] = [];
  if (filter.caseKinds && filter.caseKinds.length > 0) {
    // "remisser" in a filter (stored as the kind external_referral) means remiss deadlines on any case
    // as well as incoming remisser: officials filter by what is late, not by how the case is filed.
    const kinds = inArray(cases.kind, filter.caseKinds);
    conditions.push(
      filter.caseKinds.includes("external_referral")
        ? (or(kinds, eq(deadlines.kind, "referral_due")) as SQL)
        : kinds,
    );
  }
  if (filter.bodyIds && filter.bodyIds.length > 0)
    conditions.push(inArray(cases.responsibleBodyId, filter.bodyIds));
  return conditions;
}

/**
 * Every reported deadline still open and due before `today` ("YYYY-MM-DD", Stockholm), in one query.
 *
 * - The overdue deadlines are one range of `deadlines_state_due_idx`; their cases, bodies and referrals
 *   are joined by primary key.
 * - Whose answers are missing: for a remiss's deadline, its body; for a whole case's deadline, the
 *   bodies of the case's open referrals, aggregated once per case in a derived table (open referrals
 *   are few: those awaiting an answer), not in a subquery per row. As JSON, which both drivers parse
 *   natively, where a text[] would be parsed character by character in JavaScript.
 * - The case's first other identifier is looked up (by `case_identifiers_case_key_idx`) only for a case
 *   without a dnr.
 *
 * The rows are read as the driver returns them, not through the query builder's row mapping, which
 * for 10,000 rows costs about as much as the query itself. On the embedded PGlite they come back as
 * one JSON array in one value: PGlite pays for every row and field that crosses from its WebAssembly
 * into JavaScript (10,000 rows of 13 fields cost it 150 to 350 ms, one JSON text of them about 100 ms).
 * On PostgreSQL, building that JSON would cost the server more than postgres.js spends reading plain
 * rows, so there they come as rows. The query is the same otherwise, and the test suite runs on both.
 *
 * Rows come unordered: an ORDER BY would make PostgreSQL finish the whole join before sending the
 * first row, where unordered rows stream while postgres.js reads them; the use case sorts them on
 * numbers alone, in a few milliseconds.
 */
export async function findOverdueDeadlines(
  db: Executor,
  today: string,
  filter: DigestFilter,
): Promise<OverdueRow[]> {
  const columns: [keyof OverdueRow, SQL][] = [
    ["deadlineKind", sql`${deadlines.kind}`],
    ["dueOn", sql`${deadlines.dueOn}`],
    ["caseId", sql`${cases.id}`],
    ["caseKind", sql`${cases.kind}`],
    ["dnr", sql`${cases.dnr}`],
    ["firstIdentifier", sql`case when ${cases.dnr} is null then ${FIRST_IDENTIFIER} end`],
    ["publicTitle", sql`${cases.publicTitle}`],
    ["restricted", sql`${cases.restricted}`],
    ["officerName", sql`${cases.officerName}`],
    ["officerSlackUserId", sql`${cases.officerSlackUserId}`],
    ["responsibleBodyId", sql`${cases.responsibleBodyId}`],
    ["responsibleBodyName", sql`responsible_body.name`],
    [
      "missing",
      sql`case when ${deadlines.referralId} is not null then json_build_array(referral_body.name)
        else open_referral_bodies.names end`,
    ],
  ];
  const from = sql`
    from ${deadlines}
    join ${cases} on ${cases.id} = ${deadlines.caseId}
    left join ${bodies} responsible_body on responsible_body.id = ${cases.responsibleBodyId}
    left join ${referrals} deadline_referral on deadline_referral.id = ${deadlines.referralId}
    left join ${bodies} referral_body on referral_body.id = deadline_referral.body_id
    left join (
      select r.case_id, json_agg(b.name) as names
        from ${referrals} r join ${bodies} b on b.id = r.body_id
       where r.state = 'open'
       group by r.case_id
    ) open_referral_bodies on open_referral_bodies.case_id = ${cases.id}
    where ${and(eq(deadlines.state, "open"), lt(deadlines.dueOn, today), reportedDeadline(), ...matchesFilter(filter))}`;

  type Row = Omit<OverdueRow, "missing"> & { missing: (string | null)[] | null };
  let rows: Row[];
  if (is(db, PgliteDatabase) || is(db, PgliteTransaction)) {
    const values = sql.join(
      columns.map(([, value]) => value),
      sql`, `,
    );
    const [result] = rowsOf<{ json: string }>(
      await db.execute(
        sql`select coalesce(json_agg(json_build_array(${values})), '[]')::text as json ${from}`,
      ),
    );
    const tuples = JSON.parse(result?.json ?? "[]") as unknown[][];
    rows = tuples.map(
      (tuple) => Object.fromEntries(columns.map(([key], index) => [key, tuple[index]])) as Row,
    );
  } else {
    const list = sql.join(
      columns.map(([key, value]) => sql`${value} as ${sql.identifier(key)}`),
      sql`, `,
    );
    rows = rowsOf<Row>(await db.execute(sql`select ${list} ${from}`));
  }
  for (const row of rows) {
    row.missing = row.missing === null ? [] : row.missing.filter((name) => name !== null);
  }
  return rows as OverdueRow[];
}

/**
 * How many reported deadlines were overdue on each of `days` ("YYYY-MM-DD", at most a few), in one
 * query and one pass over the candidate rows. A deadline counts as overdue on day D when it was due
 * before D and was not yet met at the start of D: it is still open, or it was met on D or later.
 *
 * A deadline met on an unknown day (met_on null: the registry says the remiss was answered or the
 * case closed, but not when) counts as met on every day. Counting it as overdue would invent a
 * history nobody recorded, and would keep every such old case in the trend forever (the demo's
 * skrivelse, closed on an unknown day, would then be "overdue" in every digest). Dates are never
 * guessed, so the trend may only under-count the past for these rows, never make up lateness.
 * Cancelled deadlines never count: when a watch no longer applies, it never did.
 */
export async function countOverdueOnDays(
  db: Executor,
  days: readonly string[],
  filter: DigestFilter,
): Promise<number[]> {
  if (days.length === 0) return [];
  const sorted = [...days].sort();
  const earliest = sorted[0] as string;
  const latest = sorted[sorted.length - 1] as string;
  const counts = Object.fromEntries(
    days.map((day, index) => [
      `d${index}`,
      sql<number>`(count(*) filter (where ${deadlines.dueOn} < ${day}
        and (${deadlines.state} = 'open' or ${deadlines.metOn} >= ${day})))::int`,
    ]),
  );
  const [row] = await db
    .select(counts)
    .from(deadlines)
    .innerJoin(cases, eq(cases.id, deadlines.caseId))
    .where(
      and(
        lt(deadlines.dueOn, latest),
        or(
          eq(deadlines.state, "open"),
          and(eq(deadlines.state, "met"), isNotNull(deadlines.metOn), gte(deadlines.metOn, earliest)),
        ),
        reportedDeadline(),
        ...matchesFilter(filter),
      ),
    );
  return days.map((_, index) => Number(row?.[`d${index}`] ?? 0));
}
