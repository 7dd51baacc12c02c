import type { Clock } from "../../clock.js";
import type { Database, Executor } from "../../db/client.js";
import { log as processLog } from "../../observability/logger.js";
import { metrics } from "../../observability/metrics.js";
import { recordAudit } from "../audit/audit.repository.js";
import { DEFAULT_DEADLINE_RULES, type DeadlineRules } from "../deadlines/deadline-rules.js";
import type { Actor } from "../shared/actor.js";
import type { RequestContext } from "../shared/context.js";
import { CaseChecker, checkCoded, type Rejecter } from "./check-rows.js";
import { bodyEntity } from "./entities/body.js";
import type { BatchCase, FingerprintLookup } from "./entities/case.js";
import { registryEntity } from "./entities/registry.js";
import { sv } from "./fields.js";
import { fingerprintOf, fingerprintSalt } from "./fingerprint.js";
import type { BodyRow, FingerprintRow, ImportedTable, RegistryRow } from "./import.repository.js";
import * as repository from "./import.repository.js";
import { bodySchema, describeProblem, registrySchema } from "./import.schema.js";
import type { ImportSource, SourceItem } from "./read-import-file.js";
import { type Counts, type EntityKind, Outcome, type Rejection, reconcile, resultOf } from "./reconcile.js";
import { reconcileCases } from "./reconcile-cases.js";

/**
 * Imports registries, bodies and cases from a JSON, CSV or ERMS source; the API's PUT and the
 * scheduled sync come through here too.
 *
 * - Every row is validated on its own; an invalid row is reported with its line and never written.
 * - Valid rows are written in batches through the one reconcile step (reconcile.ts), each batch in
 *   one transaction together with its audit events; a case and everything nested in it (identifiers,
 *   referrals, responses, deadlines, timeline) land in the same transaction. If a batch fails in the
 *   database, its rows are retried one by one, so one bad row costs only itself.
 * - Re-importing is idempotent: each row is compared with what is stored and only real changes are
 *   written and audited. Nothing is ever deleted by an import.
 */

export type { Counts, EntityKind, Rejection };
export type ImportReport = Counts & {
  /** Rows read: registries, bodies and cases in JSON; records in CSV. */
  rows: number;
  rejected: Rejection[];
  /** The same counts per kind of thing written, nested ones included. */
  entities: Record<EntityKind, Counts>;
};
export type ImportProgress = { rows: number; totalRows: number | null; fraction: number };

export const DEFAULT_BATCH_SIZE = 1000;
const AUDIT_CHUNK = 5000;
/**
 * Rows whose fingerprints are looked up at once. Each lookup reads the whole fingerprint table once
 * it is a few per cent of it; 20,000 rows cost a sync of 100,000 five reads instead of twenty.
 */
const LOOKUP_ROWS = 20_000;

export async function importRegistry(
  ctx: Pick<RequestContext, "db" | "clock" | "actor">,
  options: {
    source: ImportSource;
    /** Called after each batch; throwing stops the import there (the sync's lost claim). */
    onProgress?: (progress: ImportProgress) => void;
    /** Cases per transaction. */
    batchSize?: number;
    /** Rows whose fingerprints are looked up at once (LOOKUP_ROWS); tests make it small. */
    lookupRows?: number;
    /** The installation's deadline rules; each imported case gets its computed deadline. */
    deadlineRules?: DeadlineRules;
  },
): Promise<ImportReport> {
  const report = await new ImportRun({
    ...options,
    db: ctx.db,
    clock: ctx.clock,
    actor: ctx.actor,
  }).execute();
  // Counted once the import is done; `arendebot import` runs in a process of its own, whose counts
  // no /metrics shows.
  metrics.importRows("created", report.created);
  metrics.importRows("updated", report.updated);
  metrics.importRows("unchanged", report.unchanged);
  metrics.importRows("rejected", report.rejected.length);
  return report;
}

/** A row as read, with its fingerprint; none for a row that could not be read (it is refused). */
type Fingerprinted = { item: SourceItem; fingerprint: string | null };
/** A lot's stored fingerprints (null: two cases share it), and the lookup that found them. */
type LotLookup = { known: ReadonlyMap<string, FingerprintRow | null>; lookup: FingerprintLookup };

type RunOptions = {
  db: Database;
  source: ImportSource;
  actor: Actor;
  clock: Clock;
  onProgress?: (progress: ImportProgress) => void;
  batchSize?: number;
  lookupRows?: number;
  deadlineRules?: DeadlineRules;
};

class ImportRun {
  private readonly batchSize: number;
  /** The installation's deadline rules: each case's computed deadlines, and part of its fingerprint. */
  private readonly deadlineRules: DeadlineRules;
  private readonly report: ImportReport = {
    rows: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
    rejected: [],
    entities: {
      registry: zero(),
      body: zero(),
      case: zero(),
      referral: zero(),
      referral_response: zero(),
      deadline: zero(),
      timeline_entry: zero(),
    },
  };
  private readonly registries = new Map<string, RegistryRow>();
  private readonly bodies = new Map<string, BodyRow>();
  private readonly bodyCodes = new Map<number, string>();
  /** Cases written by this import -> the line; a second row for the same case is a duplicate. */
  private readonly touchedCases = new Map<number, number>();
  private readonly rejecter: Rejecter = {
    problems: (item, problems) => {
      const first = problems[0];
      const line = (first && this.options.source.lineOf(first.path)) ?? item.line;
      this.reject(line, problems.map(describeProblem).join("; "));
    },
    line: (line, reason) => this.reject(line, reason),
  };
  private readonly checker: CaseChecker;
  /** Rows compared in full, each of which leaves its case a fingerprint. */
  private compared = 0;

  constructor(private readonly options: RunOptions) {
    this.batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
    this.deadlineRules = options.deadlineRules ?? DEFAULT_DEADLINE_RULES;
    this.checker = new CaseChecker(
      options.source.format,
      { registries: this.registries, bodies: this.bodies },
      this.rejecter,
    );
  }

  async execute(): Promise<ImportReport> {
    const { db, source } = this.options;
    for (const registry of await repository.listRegistries(db)) this.registries.set(registry.code, registry);
    for (const body of await repository.listBodies(db)) this.rememberBody(body);

    this.report.rows += source.registries.length;
    const registries = checkCoded(source.registries, registrySchema, (input) => input.code, this.rejecter);
    await this.write(registries, null, async (tx, rows, _at, outcome) => {
      const entity = registryEntity({
        outcome,
        load: async (db) => new Map((await repository.listRegistries(db)).map((row) => [row.code, row])),
        auditOrder: "updated-first",
      });
      for (const plan of await reconcile(
        tx,
        outcome,
        entity,
        rows.map(({ input }) => input),
      )) {
        outcome.rows.push(resultOf(plan));
      }
    });

    this.report.rows += source.bodies.length;
    const bodies = checkCoded(source.bodies, bodySchema, (input) => input.code, this.rejecter);
    await this.write(bodies, null, async (tx, rows, _at, outcome) => {
      const plans = await reconcile(
        tx,
        outcome,
        bodyEntity(outcome),
        rows.map(({ input }) => input),
      );
      for (const plan of plans) outcome.rows.push(resultOf(plan));
    });

    await this.importCases();
    try {
      await repository.analyzeWhereMuchWritten(db, this.written());
    } catch (error) {
      // Everything is written; statistics come later (autovacuum, or the next import that fills a table).
      processLog().warn({ err: error }, "the planner's statistics could not be renewed after an import");
    }
    this.progress();
    this.report.rejected.sort((a, b) => a.line - b.line);
    return this.report;
  }

  /**
   * Rows are read, hashed and looked up a lot (LOOKUP_ROWS) at a time, and each lot is written while
   * the next is read: the database answers one lot's lookup and writes the one before while the file
   * is read on, so an unchanged sync waits on neither side for long. Lots are checked and written one
   * after the other, in file order.
   */
  private async importCases(): Promise<void> {
    const salt = fingerprintSalt(this.options.source, this.deadlineRules);
    const lookupRows = Math.max(this.batchSize, this.options.lookupRows ?? LOOKUP_ROWS);
    let pending: Fingerprinted[] = [];
    let read = 0;
    let previous: Promise<void> = Promise.resolve();
    const handOn = async (lot: readonly Fingerprinted[]) => {
      const found = this.lookUp(lot);
      const before = previous;
      previous = before.then(async () => this.writeCases(lot, await found));
      // Both are awaited (found by `previous`, `previous` below or at the end): an early failure
      // waits there instead of going unhandled.
      found.catch(() => {});
      previous.catch(() => {});
      // At most two lots at once: the one being looked up, and the one before it being written.
      await before.catch(async (error: unknown) => {
        await found.catch(() => {});
        throw error;
      });
    };
    let readFailure: { error: unknown } | null = null;
    try {
      for await (const item of this.options.source.cases) {
        this.report.rows += 1;
        read += 1;
        pending.push({ item, fingerprint: item.error === undefined ? fingerprintOf(salt, item) : null });
        if (pending.length >= lookupRows) {
          await handOn(pending);
          pending = [];
        } else if (read % this.batchSize === 0) {
          this.progress();
        }
      }
      await handOn(pending);
    } catch (error) {
      readFailure = { error };
    }
    // Whatever stopped the reading, the lot being written ends first (its next batch's progress stops
    // a lost sync), so nothing is written once the import has returned. A write's failure came from
    // earlier rows than the reading's, so it is the one reported.
    const writeFailure = await previous.then(
      () => null,
      (error: unknown) => ({ error }),
    );
    const failure = writeFailure ?? readFailure;
    if (failure) throw failure.error;
  }

  /** The stored cases the lot's fingerprints are those of; null for a fingerprint two cases share. */
  private async lookUp(lot: readonly Fingerprinted[]): Promise<LotLookup> {
    const known = new Map<string, FingerprintRow | null>();
    const fingerprints = lot.flatMap((row) => (row.fingerprint === null ? [] : [row.fingerprint]));
    const startedAt = performance.now();
    const { rows, snapshot } = await repository.findFingerprints(this.options.db, fingerprints);
    for (const found of rows) known.set(found.fingerprint, known.has(found.fingerprint) ? null : found);
    return { known, lookup: { snapshot, startedAt } };
  }

  /**
   * A row whose fingerprint is a stored case's is taken as that case unchanged without being read
   * (the schema alone costs more than the rest of an unchanged sync); the others are checked, and
   * written a batch at a time, the known rows going along with the batch they fall in.
   */
  private async writeCases(lot: readonly Fingerprinted[], { known, lookup }: LotLookup): Promise<void> {
    let batch: BatchCase[] = [];
    let compared = 0;
    for (const { item, fingerprint } of lot) {
      const found = fingerprint === null ? undefined : known.get(fingerprint);
      if (found && fingerprint !== null && this.checker.pass(item.line, found.keys)) {
        const { caseId, nested } = found;
        batch.push({ known: true, line: item.line, item, fingerprint, caseId, nested, lookup });
        continue;
      }
      const prepared = this.checker.check(item);
      if (prepared === null || fingerprint === null) continue;
      batch.push({ ...prepared, fingerprint });
      compared += 1;
      if (compared >= this.batchSize) {
        await this.writeBatch(batch);
        batch = [];
        compared = 0;
      }
    }
    await this.writeBatch(batch);
  }

  private async writeBatch(batch: BatchCase[]): Promise<void> {
    this.compared += batch.filter((row) => row.known !== true).length;
    // A batch the database refuses is written again in file order, each compared row on its own and
    // the known rows between them together (they are only confirmed, and a lot may hold 20,000).
    const retried = (rows: BatchCase[]) => {
      const parts: BatchCase[][] = [];
      for (const row of rows) {
        const last = parts.at(-1);
        if (row.known === true && last?.[0]?.known === true) last.push(row);
        else parts.push([row]);
      }
      return parts;
    };
    await this.write(batch, retried, (tx, rows, at, outcome) =>
      reconcileCases(tx, outcome, rows, {
        at,
        registries: this.registries,
        registryNameOf: (code) => this.checker.registryNameOf(code),
        touchedCases: this.touchedCases,
        bodyCodes: this.bodyCodes,
        bodyId: (code, stored) => this.bodyId(code, stored),
        deadlineRules: this.deadlineRules,
        parse: (row) => this.checker.parse(row.item),
      }),
    );
    this.progress();
  }

  private bodyId(code: string | null | undefined, stored: number | null | undefined): number | null {
    if (code === undefined) return stored ?? null;
    if (code === null) return null;
    const body = this.bodies.get(code);
    if (body === undefined) throw new Error(`body ${code} vanished during the import`);
    return body.id;
  }

  /**
   * Writes rows in one transaction with their audit events. If the database refuses the batch, the
   * rows are written one by one so that only the row at fault is rejected.
   */
  private async write<T extends { line: number }>(
    rows: T[],
    retried: ((rows: T[]) => T[][]) | null,
    plan: (tx: Executor, rows: T[], at: Date, outcome: Outcome) => Promise<void>,
  ): Promise<void> {
    if (rows.length === 0) return;
    let outcome: Outcome;
    try {
      outcome = await this.options.db.transaction(async (tx) => {
        await repository.lockImport(tx);
        const at = this.options.clock.now();
        const result = new Outcome();
        await plan(tx, rows, at, result);
        for (let start = 0; start < result.audit.length; start += AUDIT_CHUNK) {
          await recordAudit(tx, {
            actor: this.options.actor,
            at,
            entries: result.audit.slice(start, start + AUDIT_CHUNK),
          });
        }
        return result;
      });
    } catch (error) {
      const [only] = rows;
      if (rows.length === 1 && only !== undefined) {
        this.reject(only.line, sv(`Databasfel: ${databaseMessage(error)}`, "database error"));
        return;
      }
      // Parts as `retried` groups them, each row on its own once a part fails whole.
      const parts = retried?.(rows) ?? rows.map((row) => [row]);
      const alone = parts.length === 1;
      for (const part of alone ? rows.map((row) => [row]) : parts) await this.write(part, null, plan);
      return;
    }
    this.apply(outcome);
  }

  private apply(outcome: Outcome): void {
    for (const result of outcome.rows) this.report[result] += 1;
    for (const [kind, counts] of outcome.entities) {
      const total = this.report.entities[kind];
      total.created += counts.created;
      total.updated += counts.updated;
      total.unchanged += counts.unchanged;
    }
    this.report.rejected.push(...outcome.rejected);
    for (const registry of outcome.registries) this.registries.set(registry.code, registry);
    for (const body of outcome.bodies) this.rememberBody(body);
    for (const [caseId, line] of outcome.touched) this.touchedCases.set(caseId, line);
  }

  /** About how many rows this import wrote to each table (an identifier per case, an audit event per change). */
  private written(): Partial<Record<ImportedTable, number>> {
    const { entities } = this.report;
    const changed = (kind: EntityKind) => entities[kind].created + entities[kind].updated;
    const kinds = Object.keys(entities) as EntityKind[];
    return {
      cases: changed("case"),
      case_identifiers: changed("case"),
      case_fingerprints: this.compared,
      referrals: changed("referral"),
      referral_responses: changed("referral_response"),
      deadlines: changed("deadline"),
      timeline_entries: changed("timeline_entry"),
      audit_events: kinds.reduce((sum, kind) => sum + changed(kind), 0),
    };
  }

  private rememberBody(body: BodyRow): void {
    this.bodies.set(body.code, body);
    this.bodyCodes.set(body.id, body.code);
  }

  private reject(line: number, reason: string): void {
    this.report.rejected.push({ line, reason });
  }

  private progress(): void {
    const { source, onProgress } = this.options;
    onProgress?.({
      rows: this.report.rows,
      totalRows:
        source.totalCases === null
          ? null
          : source.totalCases + source.registries.length + source.bodies.length,
      fraction: source.fractionRead(),
    });
  }
}

function zero(): Counts {
  return { created: 0, updated: 0, unchanged: 0 };
}

/** The database's own words, without the SQL and parameters Drizzle wraps around them. */
function databaseMessage(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}
