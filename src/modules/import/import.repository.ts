import { and, asc, eq, getTableColumns, inArray, sql } from "drizzle-orm";
import { type Executor, rowsOf } from "../../db/client.js";
import {
  bodies,
  caseFingerprints,
  caseIdentifiers,
  cases,
  deadlines,
  referralResponses,
  referrals,
  registries,
  registryWrites,
  timelineEntries,
} from "../../db/schema.js";
import { writtenSince } from "../cases/cases.repository.js";

/**
 * The import's queries, and only the import's. Reads fetch a whole batch at once; writes are bulk
 * INSERTs and one UPDATE … FROM (VALUES …) per batch, so a batch of cases costs a handful of round trips.
 */

export type RegistryRow = typeof registries.$inferSelect;
export type BodyRow = typeof bodies.$inferSelect;
/** A stored case as the import compares it: every column but the search vectors the database derives. */
export type CaseRow = Omit<typeof cases.$inferSelect, "searchPublic" | "searchFull">;
const { searchPublic: _public, searchFull: _full, ...caseColumns } = getTableColumns(cases);
export type NewCase = typeof cases.$inferInsert;
export type IdentifierRow = typeof caseIdentifiers.$inferSelect;
export type NewIdentifier = typeof caseIdentifiers.$inferInsert;
export type ReferralRow = typeof referrals.$inferSelect;
export type NewReferral = typeof referrals.$inferInsert;
export type ResponseRow = typeof referralResponses.$inferSelect;
export type NewResponse = typeof referralResponses.$inferInsert;
export type TimelineRow = typeof timelineEntries.$inferSelect;
export type NewTimelineEntry = typeof timelineEntries.$inferInsert;
export type DeadlineRow = typeof deadlines.$inferSelect;
export type NewDeadline = typeof deadlines.$inferInsert;

// PostgreSQL takes at most 65 535 parameters per statement.
const MAX_PARAMETERS = 60_000;

function chunks<T>(rows: readonly T[], columns: number): T[][] {
  const size = Math.max(1, Math.floor(MAX_PARAMETERS / columns));
  const result: T[][] = [];
  for (let start = 0; start < rows.length; start += size) result.push(rows.slice(start, start + size));
  return result;
}

/**
 * Key of the transaction-scoped advisory lock that keeps two imports from matching cases at once;
 * writes outside an import take it shared (migration 0017, wait_for_import_batch).
 */
const IMPORT_LOCK = 4_172_001;

/**
 * Serialises concurrent imports: cases without a dnr have no unique index to stop a duplicate. It
 * also marks the transaction as an import's, so that its writes keep the cases' fingerprints
 * (migration 0017), which a write from anywhere else forgets.
 */
export async function lockImport(tx: Executor): Promise<void> {
  await tx.execute(
    sql`select pg_advisory_xact_lock(${IMPORT_LOCK}), set_config('arendebot.importing', 'on', true)`,
  );
}

// ---------------------------------------------------------------------------------------------
// Fingerprints

export type FingerprintRow = typeof caseFingerprints.$inferSelect;

/** The stored fingerprints found, and the snapshot they were read in (see registryWrittenSince). */
export type FoundFingerprints = { rows: FingerprintRow[]; snapshot: string | null };

export async function findFingerprints(
  tx: Executor,
  fingerprints: readonly string[],
): Promise<FoundFingerprints> {
  if (fingerprints.length === 0) return { rows: [], snapshot: null };
  // One array parameter, however many fingerprints; one JSON text back, however many found: 5,000
  // rows with two jsonb columns each cost the driver more to take apart than the lookup took.
  const [row] = rowsOf<{ found: string; snapshot: string }>(
    await tx.execute(sql`
      SELECT coalesce(json_agg(json_build_array(f.case_id, f.fingerprint, f.nested, f.keys)), '[]')::text AS found,
             pg_current_snapshot()::text AS snapshot
        FROM ${caseFingerprints} f
       WHERE f.fingerprint = any(${`{${fingerprints.join(",")}}`}::text[])`),
  );
  const found = JSON.parse(row?.found ?? "[]") as [
    FingerprintRow["caseId"],
    FingerprintRow["fingerprint"],
    FingerprintRow["nested"],
    FingerprintRow["keys"],
  ][];
  return {
    rows: found.map(([caseId, fingerprint, nested, keys]) => ({ caseId, fingerprint, nested, keys })),
    snapshot: row?.snapshot ?? null,
  };
}

/**
 * Whether a registry, a body, a case or anything nested in one has been written since `snapshot`
 * (writtenSince). Every write that forgets a fingerprint (migration 0017) is such a write, so when
 * none has committed, every case whose fingerprint was read in the snapshot is still stored as its
 * fingerprinted row asked: one indexed query instead of reading each fingerprint again (a whole-table
 * scan on the embedded database, 200–400 ms a lot of 20,000).
 */
export async function registryWrittenSince(tx: Executor, snapshot: string): Promise<boolean> {
  const { written, where } = writtenSince(sql`${snapshot}`);
  const [row] = rowsOf<{ written: boolean }>(
    await tx.execute(sql`SELECT ${written} AS written FROM ${registryWrites} WHERE ${where}`),
  );
  return row?.written !== false;
}

/**
 * Of the given cases, those whose fingerprint is still the one given: what findFingerprints found
 * before a batch's lock, confirmed under it. Only ids travel back.
 */
export async function confirmFingerprints(
  tx: Executor,
  known: readonly { caseId: number; fingerprint: string }[],
): Promise<Set<number>> {
  if (known.length === 0) return new Set();
  const ids = `{${known.map((row) => row.caseId).join(",")}}`;
  const fingerprints = `{${known.map((row) => row.fingerprint).join(",")}}`;
  const rows = await tx
    .select({ caseId: caseFingerprints.caseId })
    .from(caseFingerprints)
    .innerJoin(
      sql`unnest(${ids}::integer[], ${fingerprints}::text[]) as given(case_id, fingerprint)`,
      sql`${caseFingerprints.caseId} = given.case_id and ${caseFingerprints.fingerprint} = given.fingerprint`,
    );
  return new Set(rows.map((row) => row.caseId));
}

/** The tables an import writes, whose statistics it may renew (see analyzeWhereMuchWritten). */
export type ImportedTable =
  | "cases"
  | "case_identifiers"
  | "case_fingerprints"
  | "referrals"
  | "referral_responses"
  | "deadlines"
  | "timeline_entries"
  | "audit_events";

/**
 * Statistics for the planner on each table the import wrote more than autovacuum's own threshold
 * (50 rows and a tenth of the table) into. A table filled in one go looks empty until they are
 * renewed: a change feed page took 374 ms instead of 34, a fingerprint lookup read the whole table.
 * PostgreSQL's autovacuum gets to it within a minute or so; the embedded database has no autovacuum
 * and would plan on empty tables for ever.
 */
export async function analyzeWhereMuchWritten(
  db: Executor,
  written: Partial<Record<ImportedTable, number>>,
): Promise<ImportedTable[]> {
  const names = (Object.keys(written) as ImportedTable[]).filter((name) => (written[name] ?? 0) > 50);
  if (names.length === 0) return [];
  const sizes = rowsOf<{ name: ImportedTable; reltuples: number }>(
    await db.execute(sql`
      SELECT t.name, c.reltuples::float8 AS reltuples
        FROM unnest(${`{${names.join(",")}}`}::text[]) AS t(name)
        JOIN pg_class c ON c.oid = to_regclass(t.name)`),
  );
  const stale = sizes
    .filter(({ name, reltuples }) => (written[name] ?? 0) > 50 + 0.1 * Math.max(Number(reltuples), 0))
    .map(({ name }) => name);
  // The names are this module's own (ImportedTable), never input.
  if (stale.length > 0) await db.execute(sql.raw(`ANALYZE ${stale.join(", ")}`));
  return stale;
}

export async function forgetFingerprints(tx: Executor, caseIds: readonly number[]): Promise<void> {
  if (caseIds.length === 0) return;
  await tx.execute(
    sql`DELETE FROM ${caseFingerprints} WHERE case_id = any(${`{${caseIds.join(",")}}`}::integer[])`,
  );
}

export async function saveFingerprints(tx: Executor, rows: readonly FingerprintRow[]): Promise<void> {
  if (rows.length === 0) return;
  const given = JSON.stringify(
    rows.map((row) => ({
      case_id: row.caseId,
      fingerprint: row.fingerprint,
      nested: row.nested,
      keys: row.keys,
    })),
  );
  await tx.execute(sql`
    insert into case_fingerprints (case_id, fingerprint, nested, keys)
    select x.case_id, x.fingerprint, x.nested, x.keys
    from jsonb_to_recordset(${given}::jsonb) as x(case_id integer, fingerprint text, nested jsonb, keys jsonb)
    on conflict (case_id) do update
      set fingerprint = excluded.fingerprint, nested = excluded.nested, keys = excluded.keys`);
}

// ---------------------------------------------------------------------------------------------
// Registries and bodies

export function listRegistries(tx: Executor): Promise<RegistryRow[]> {
  return tx.select().from(registries);
}

export async function insertRegistries(
  tx: Executor,
  rows: { code: string; name: string }[],
): Promise<RegistryRow[]> {
  if (rows.length === 0) return [];
  return tx.insert(registries).values(rows).returning();
}

export async function updateRegistry(tx: Executor, id: number, patch: { name: string }): Promise<void> {
  await tx.update(registries).set(patch).where(eq(registries.id, id));
}

export function listBodies(tx: Executor): Promise<BodyRow[]> {
  return tx.select().from(bodies);
}

export async function insertBodies(tx: Executor, rows: (typeof bodies.$inferInsert)[]): Promise<BodyRow[]> {
  if (rows.length === 0) return [];
  return tx.insert(bodies).values(rows).returning();
}

export async function updateBody(
  tx: Executor,
  id: number,
  patch: Partial<Pick<BodyRow, "name" | "kind" | "slackChannelId">>,
): Promise<void> {
  await tx.update(bodies).set(patch).where(eq(bodies.id, id));
}

// ---------------------------------------------------------------------------------------------
// Cases and their identifiers

export async function findCasesByDnrKeys(
  tx: Executor,
  registryId: number,
  keys: readonly string[],
): Promise<CaseRow[]> {
  if (keys.length === 0) return [];
  const found: CaseRow[] = [];
  for (const part of chunks(keys, 1)) {
    found.push(
      ...(await tx
        .select(caseColumns)
        .from(cases)
        .where(and(eq(cases.registryId, registryId), inArray(cases.dnrKey, part)))),
    );
  }
  return found;
}

export async function findCasesByIds(tx: Executor, ids: readonly number[]): Promise<CaseRow[]> {
  if (ids.length === 0) return [];
  const found: CaseRow[] = [];
  for (const part of chunks(ids, 1)) {
    found.push(...(await tx.select(caseColumns).from(cases).where(inArray(cases.id, part))));
  }
  return found;
}

/** Cases of one registry known by any of these identifier keys ("motion 2016:114"). */
export async function findCasesByIdentifierKeys(
  tx: Executor,
  registryId: number,
  keys: readonly string[],
): Promise<{ caseId: number; key: string; dnr: string | null }[]> {
  if (keys.length === 0) return [];
  const found: { caseId: number; key: string; dnr: string | null }[] = [];
  for (const part of chunks(keys, 1)) {
    found.push(
      ...(await tx
        .select({ caseId: caseIdentifiers.caseId, key: caseIdentifiers.key, dnr: cases.dnr })
        .from(caseIdentifiers)
        .innerJoin(cases, eq(cases.id, caseIdentifiers.caseId))
        .where(and(eq(cases.registryId, registryId), inArray(caseIdentifiers.key, part)))),
    );
  }
  return found;
}

/**
 * Cases travel as one JSON parameter per batch, unpacked by jsonb_to_recordset: a thousand rows of
 * twenty columns as separate parameters would cost more to build and send than to insert.
 */
const CASE_RECORD = sql.raw(`registry_id integer, dnr text, dnr_key text, kind case_kind, title text,
  public_title text, restricted boolean, summary text, raised_by jsonb, raised_on date, received_on date,
  closed_on date, addressed_to_body_id integer, responsible_body_id integer, officer_name text,
  officer_slack_user_id text, status case_status, outcome text, classification text,
  decision_due_on date, created_at timestamptz, updated_at timestamptz`);

type CaseValues = Omit<CaseRow, "id">;

function caseRecord(row: CaseValues): Record<string, unknown> {
  return {
    registry_id: row.registryId,
    dnr: row.dnr,
    dnr_key: row.dnrKey,
    kind: row.kind,
    title: row.title,
    public_title: row.publicTitle,
    restricted: row.restricted,
    summary: row.summary,
    raised_by: row.raisedBy,
    raised_on: row.raisedOn,
    received_on: row.receivedOn,
    closed_on: row.closedOn,
    addressed_to_body_id: row.addressedToBodyId,
    responsible_body_id: row.responsibleBodyId,
    officer_name: row.officerName,
    officer_slack_user_id: row.officerSlackUserId,
    status: row.status,
    outcome: row.outcome,
    classification: row.classification,
    decision_due_on: row.decisionDueOn,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

/** Inserts in the given order and returns the new ids in that same order. */
export async function insertCases(tx: Executor, rows: CaseValues[]): Promise<number[]> {
  if (rows.length === 0) return [];
  const records = JSON.stringify(rows.map((row, index) => ({ ...caseRecord(row), ordinal: index })));
  const inserted = rowsOf<{ id: number }>(
    await tx.execute(sql`
      insert into ${cases} (registry_id, dnr, dnr_key, kind, title, public_title, restricted, summary,
        raised_by, raised_on, received_on, closed_on, addressed_to_body_id, responsible_body_id,
        officer_name, officer_slack_user_id, status, outcome, classification, decision_due_on,
        created_at, updated_at)
      select registry_id, dnr, dnr_key, kind, title, public_title, restricted, summary,
        raised_by, raised_on, received_on, closed_on, addressed_to_body_id, responsible_body_id,
        officer_name, officer_slack_user_id, status, outcome, classification, decision_due_on,
        created_at, updated_at
      from jsonb_to_recordset(${records}::jsonb) as x(${CASE_RECORD}, ordinal integer)
      order by x.ordinal
      returning id`),
  );
  return inserted.map((row) => Number(row.id));
}

/** Every managed column of the given cases, in one UPDATE … FROM per batch. */
export async function updateCases(tx: Executor, rows: CaseRow[]): Promise<void> {
  if (rows.length === 0) return;
  const records = JSON.stringify(rows.map((row) => ({ ...caseRecord(row), id: row.id })));
  await tx.execute(sql`
    update ${cases} as c set
      dnr = x.dnr, dnr_key = x.dnr_key, kind = x.kind, title = x.title, public_title = x.public_title,
      restricted = x.restricted, summary = x.summary, raised_by = x.raised_by, raised_on = x.raised_on,
      received_on = x.received_on, closed_on = x.closed_on, addressed_to_body_id = x.addressed_to_body_id,
      responsible_body_id = x.responsible_body_id, officer_name = x.officer_name,
      officer_slack_user_id = x.officer_slack_user_id, status = x.status, outcome = x.outcome,
      classification = x.classification, decision_due_on = x.decision_due_on, updated_at = x.updated_at
    from jsonb_to_recordset(${records}::jsonb) as x(${CASE_RECORD}, id integer)
    where c.id = x.id`);
}

export async function findIdentifiers(tx: Executor, caseIds: readonly number[]): Promise<IdentifierRow[]> {
  if (caseIds.length === 0) return [];
  const found: IdentifierRow[] = [];
  for (const part of chunks(caseIds, 1)) {
    found.push(...(await tx.select().from(caseIdentifiers).where(inArray(caseIdentifiers.caseId, part))));
  }
  return found;
}

export async function insertIdentifiers(tx: Executor, rows: NewIdentifier[]): Promise<void> {
  if (rows.length === 0) return;
  const records = JSON.stringify(
    rows.map((row) => ({ case_id: row.caseId, display: row.display, key: row.key })),
  );
  await tx.execute(sql`
    insert into ${caseIdentifiers} (case_id, display, key)
    select case_id, display, key from jsonb_to_recordset(${records}::jsonb) as x(case_id integer, display text, key text)
    on conflict (case_id, key) do nothing`);
}

// ---------------------------------------------------------------------------------------------
// Referrals, responses, deadlines, timeline

export async function findReferrals(tx: Executor, caseIds: readonly number[]): Promise<ReferralRow[]> {
  return selectIn(caseIds, (part) =>
    tx.select().from(referrals).where(inArray(referrals.caseId, part)).orderBy(asc(referrals.id)),
  );
}

export async function insertReferrals(tx: Executor, rows: NewReferral[]): Promise<number[]> {
  const ids: number[] = [];
  for (const part of chunks(rows, 8)) {
    ids.push(
      ...(await tx.insert(referrals).values(part).returning({ id: referrals.id })).map((row) => row.id),
    );
  }
  return ids;
}

export async function updateReferral(tx: Executor, id: number, patch: Partial<NewReferral>): Promise<void> {
  await tx.update(referrals).set(patch).where(eq(referrals.id, id));
}

export async function findResponses(tx: Executor, referralIds: readonly number[]): Promise<ResponseRow[]> {
  return selectIn(referralIds, (part) =>
    tx
      .select()
      .from(referralResponses)
      .where(inArray(referralResponses.referralId, part))
      .orderBy(asc(referralResponses.id)),
  );
}

export async function insertResponses(tx: Executor, rows: NewResponse[]): Promise<number[]> {
  const ids: number[] = [];
  for (const part of chunks(rows, 15)) {
    ids.push(
      ...(await tx.insert(referralResponses).values(part).returning({ id: referralResponses.id })).map(
        (row) => row.id,
      ),
    );
  }
  return ids;
}

export async function updateResponse(tx: Executor, id: number, patch: Partial<NewResponse>): Promise<void> {
  await tx.update(referralResponses).set(patch).where(eq(referralResponses.id, id));
}

export async function findDeadlines(tx: Executor, referralIds: readonly number[]): Promise<DeadlineRow[]> {
  return selectIn(referralIds, (part) =>
    tx
      .select()
      .from(deadlines)
      .where(and(inArray(deadlines.referralId, part), eq(deadlines.kind, "referral_due"))),
  );
}

export async function insertDeadlines(tx: Executor, rows: NewDeadline[]): Promise<number[]> {
  const ids: number[] = [];
  for (const part of chunks(rows, 8)) {
    ids.push(
      ...(await tx.insert(deadlines).values(part).returning({ id: deadlines.id })).map((row) => row.id),
    );
  }
  return ids;
}

export async function updateDeadline(tx: Executor, id: number, patch: Partial<NewDeadline>): Promise<void> {
  await tx.update(deadlines).set(patch).where(eq(deadlines.id, id));
}

export async function findTimeline(tx: Executor, caseIds: readonly number[]): Promise<TimelineRow[]> {
  return selectIn(caseIds, (part) =>
    tx.select().from(timelineEntries).where(inArray(timelineEntries.caseId, part)),
  );
}

export async function insertTimeline(tx: Executor, rows: NewTimelineEntry[]): Promise<number[]> {
  const ids: number[] = [];
  for (const part of chunks(rows, 8)) {
    ids.push(
      ...(await tx.insert(timelineEntries).values(part).returning({ id: timelineEntries.id })).map(
        (row) => row.id,
      ),
    );
  }
  return ids;
}

export async function updateTimelineEntry(
  tx: Executor,
  id: number,
  patch: Partial<NewTimelineEntry>,
): Promise<void> {
  await tx.update(timelineEntries).set(patch).where(eq(timelineEntries.id, id));
}

async function selectIn<T>(ids: readonly number[], query: (part: number[]) => Promise<T[]>): Promise<T[]> {
  if (ids.length === 0) return [];
  const found: T[] = [];
  for (const part of chunks(ids, 1)) found.push(...(await query(part)));
  return found;
}
