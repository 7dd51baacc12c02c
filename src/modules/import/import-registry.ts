import type { ZodType } from "zod";
import type { Clock } from "../../clock.js";
import type { Database, Executor } from "../../db/client.js";
import type { Person } from "../../db/schema.js";
import { metrics } from "../../observability/metrics.js";
import { type AuditEntry, recordAudit } from "../audit/audit.repository.js";
import { DEFAULT_DEADLINE_RULES, type DeadlineRules } from "../deadlines/deadline-rules.js";
import { syncCaseDeadlines } from "../deadlines/sync-case-deadlines.js";
import type { Actor } from "../shared/actor.js";
import type { RequestContext } from "../shared/context.js";
import type { BodyRow, CaseRow, RegistryRow } from "./import.repository.js";
import * as repository from "./import.repository.js";
import {
  type BodyInput,
  bodySchema,
  type CaseInput,
  csvRowSchema,
  describeProblem,
  type FieldProblem,
  formatPath,
  jsonCaseSchema,
  problemsOf,
  type ReferralInput,
  type RegistryInput,
  registrySchema,
} from "./import.schema.js";
import type { ImportSource, SourceItem } from "./read-import-file.js";

/**
 * Imports registries, bodies and cases from a JSON or CSV source.
 *
 * - Every row is validated on its own; an invalid row is reported with its line and never written.
 * - Valid rows are written in batches, each batch in one transaction together with its audit events;
 *   a case and everything nested in it (identifiers, referrals, responses, deadlines, timeline) land
 *   in the same transaction. If a batch fails in the database, its rows are retried one by one, so one
 *   bad row costs only itself.
 * - Re-importing is idempotent: each row is compared with what is stored and only real changes are
 *   written and audited. Nothing is ever deleted by an import.
 */

export type EntityKind =
  | "registry"
  | "body"
  | "case"
  | "referral"
  | "referral_response"
  | "deadline"
  | "timeline_entry";
export type Counts = { created: number; updated: number; unchanged: number };
export type Rejection = { line: number; reason: string };
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

export async function importRegistry(
  ctx: Pick<RequestContext, "db" | "clock" | "actor">,
  options: {
    source: ImportSource;
    onProgress?: (progress: ImportProgress) => void;
    /** Cases per transaction. */
    batchSize?: number;
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

// ---------------------------------------------------------------------------------------------

type RowResult = "created" | "updated" | "unchanged";
type Prepared<T> = { line: number; path: string; input: T };
type PreparedCase = Prepared<CaseInput>;

/** What one transaction did; applied to the report and caches only once it has committed. */
class Outcome {
  readonly audit: AuditEntry[] = [];
  readonly rows: RowResult[] = [];
  readonly entities = new Map<EntityKind, Counts>();
  readonly rejected: Rejection[] = [];
  readonly registries: RegistryRow[] = [];
  readonly bodies: BodyRow[] = [];
  readonly touched: [caseId: number, line: number][] = [];

  count(kind: EntityKind, result: RowResult): void {
    const counts = this.entities.get(kind) ?? { created: 0, updated: 0, unchanged: 0 };
    counts[result] += 1;
    this.entities.set(kind, counts);
  }
}

type Changes = Record<string, { from: unknown; to: unknown }>;

class ImportRun {
  private readonly db: Database;
  private readonly source: ImportSource;
  private readonly actor: Actor;
  private readonly clock: Clock;
  private readonly onProgress: ((progress: ImportProgress) => void) | undefined;
  private readonly batchSize: number;
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
  /** Registry code and dnr key -> the file line that named the case first. */
  private readonly seenDnr = new Map<string, number>();
  /** Registry code and identifier key -> the file line that named it first. */
  private readonly seenIdentifiers = new Map<string, number>();
  /** CSV registry_name: the first name given for each registry code. */
  private readonly registryNames = new Map<string, { name: string; line: number }>();
  /** Cases written by this import -> the line; a second row for the same case is a duplicate. */
  private readonly touchedCases = new Map<number, number>();

  constructor(options: {
    db: Database;
    source: ImportSource;
    actor: Actor;
    clock: Clock;
    onProgress?: (progress: ImportProgress) => void;
    batchSize?: number;
    deadlineRules?: DeadlineRules;
  }) {
    this.deadlineRules = options.deadlineRules ?? DEFAULT_DEADLINE_RULES;
    this.db = options.db;
    this.source = options.source;
    this.actor = options.actor;
    this.clock = options.clock;
    this.onProgress = options.onProgress;
    this.batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
  }

  async execute(): Promise<ImportReport> {
    for (const registry of await repository.listRegistries(this.db))
      this.registries.set(registry.code, registry);
    for (const body of await repository.listBodies(this.db)) this.rememberBody(body);

    await this.importRegistries();
    await this.importBodies();
    await this.importCases();

    this.progress();
    this.report.rejected.sort((a, b) => a.line - b.line);
    return this.report;
  }

  // -------------------------------------------------------------------------------------------
  // Registries and bodies (JSON)

  private async importRegistries(): Promise<void> {
    const rows = this.prepareSimple(this.source.registries, registrySchema, (input) => input.code);
    await this.write(rows, (tx, batch, _at, outcome) => this.writeRegistries(tx, batch, outcome));
  }

  private async writeRegistries(tx: Executor, rows: Prepared<RegistryInput>[], outcome: Outcome) {
    const stored = new Map((await repository.listRegistries(tx)).map((row) => [row.code, row]));
    const fresh = rows.filter((row) => !stored.has(row.input.code));
    for (const row of rows) {
      const existing = stored.get(row.input.code);
      if (existing === undefined) continue;
      if (existing.name === row.input.name) {
        outcome.rows.push("unchanged");
        outcome.count("registry", "unchanged");
        continue;
      }
      await repository.updateRegistry(tx, existing.id, { name: row.input.name });
      outcome.registries.push({ ...existing, name: row.input.name });
      outcome.audit.push({
        action: "registry.updated",
        entityType: "registry",
        entityId: existing.id,
        changes: { name: { from: existing.name, to: row.input.name } },
      });
      outcome.rows.push("updated");
      outcome.count("registry", "updated");
    }
    for (const created of await repository.insertRegistries(
      tx,
      fresh.map((row) => row.input),
    )) {
      outcome.registries.push(created);
      outcome.audit.push({
        action: "registry.imported",
        entityType: "registry",
        entityId: created.id,
        changes: { code: created.code, name: created.name },
      });
      outcome.rows.push("created");
      outcome.count("registry", "created");
    }
  }

  private async importBodies(): Promise<void> {
    const rows = this.prepareSimple(this.source.bodies, bodySchema, (input) => input.code);
    await this.write(rows, (tx, batch, _at, outcome) => this.writeBodies(tx, batch, outcome));
  }

  private async writeBodies(tx: Executor, rows: Prepared<BodyInput>[], outcome: Outcome) {
    const stored = new Map((await repository.listBodies(tx)).map((row) => [row.code, row]));
    const fresh: Prepared<BodyInput>[] = [];
    for (const row of rows) {
      const existing = stored.get(row.input.code);
      if (existing === undefined) {
        fresh.push(row);
        continue;
      }
      const desired: BodyRow = {
        ...existing,
        name: row.input.name,
        kind: row.input.kind,
        slackChannelId: pick(row.input.slackChannelId, existing.slackChannelId),
      };
      const changes = diff(existing, desired, BODY_FIELDS);
      if (changes === null) {
        outcome.rows.push("unchanged");
        outcome.count("body", "unchanged");
        continue;
      }
      await repository.updateBody(tx, existing.id, {
        name: desired.name,
        kind: desired.kind,
        slackChannelId: desired.slackChannelId,
      });
      outcome.bodies.push(desired);
      outcome.audit.push({ action: "body.updated", entityType: "body", entityId: existing.id, changes });
      outcome.rows.push("updated");
      outcome.count("body", "updated");
    }
    const created = await repository.insertBodies(
      tx,
      fresh.map(({ input }) => ({
        code: input.code,
        name: input.name,
        kind: input.kind,
        slackChannelId: input.slackChannelId ?? null,
      })),
    );
    for (const body of created) {
      outcome.bodies.push(body);
      outcome.audit.push({
        action: "body.imported",
        entityType: "body",
        entityId: body.id,
        changes: { code: body.code, name: body.name, kind: body.kind, slack_channel_id: body.slackChannelId },
      });
      outcome.rows.push("created");
      outcome.count("body", "created");
    }
  }

  /** Validates registries or bodies; a code given twice in the file is rejected the second time. */
  private prepareSimple<T>(
    items: SourceItem[],
    schema: ZodType<T>,
    codeOf: (input: T) => string,
  ): Prepared<T>[] {
    const seen = new Map<string, number>();
    const rows: Prepared<T>[] = [];
    for (const item of items) {
      this.report.rows += 1;
      const parsed = schema.safeParse(item.data);
      if (!parsed.success) {
        this.rejectProblems(item, problemsOf(parsed.error, item.path));
        continue;
      }
      const code = codeOf(parsed.data);
      const earlier = seen.get(code);
      if (earlier !== undefined) {
        this.rejectProblems(item, [
          {
            path: formatPath(item.path, ["code"]),
            message: sv(`Koden «${code}» finns redan på rad ${earlier}`, "duplicate code"),
          },
        ]);
        continue;
      }
      seen.set(code, item.line);
      rows.push({ line: item.line, path: item.path, input: parsed.data });
    }
    return rows;
  }

  // -------------------------------------------------------------------------------------------
  // Cases

  private async importCases(): Promise<void> {
    let batch: PreparedCase[] = [];
    let read = 0;
    for await (const item of this.source.cases) {
      this.report.rows += 1;
      read += 1;
      const prepared = this.prepareCase(item);
      if (prepared !== null) batch.push(prepared);
      if (batch.length >= this.batchSize) {
        await this.write(batch, (tx, rows, at, outcome) => this.writeCases(tx, rows, at, outcome));
        batch = [];
        this.progress();
      } else if (read % this.batchSize === 0) {
        this.progress();
      }
    }
    await this.write(batch, (tx, rows, at, outcome) => this.writeCases(tx, rows, at, outcome));
  }

  /** Validation that needs no database: the schema, known registry and bodies, duplicates in the file. */
  private prepareCase(item: SourceItem): PreparedCase | null {
    if (item.error !== undefined) {
      this.reject(item.line, item.error);
      return null;
    }
    const parsed = (this.source.format === "csv" ? csvRowSchema : jsonCaseSchema).safeParse(item.data);
    if (!parsed.success) {
      this.rejectProblems(item, problemsOf(parsed.error, item.path));
      return null;
    }
    const input = parsed.data;
    const at = (...path: (string | number)[]) => formatPath(item.path, path);
    const problems: FieldProblem[] = [];

    const registry = input.registry;
    const namedBefore = this.registryNames.get(registry);
    if (
      input.registryName !== undefined &&
      namedBefore !== undefined &&
      namedBefore.name !== input.registryName
    ) {
      problems.push({
        path: at("registry_name"),
        message: sv(
          `Diariet «${registry}» fick namnet «${namedBefore.name}» på rad ${namedBefore.line}`,
          "a different registry_name for the same registry",
        ),
      });
    }
    if (!this.registries.has(registry) && input.registryName === undefined && namedBefore === undefined) {
      problems.push({
        path: at("registry"),
        message:
          this.source.format === "csv"
            ? sv(
                `Okänt diarium «${registry}»; ange registry_name för att skapa det`,
                "unknown registry; give registry_name to create it",
              )
            : sv(
                `Okänt diarium «${registry}»: det finns varken i databasen eller i filens registries`,
                "unknown registry",
              ),
      });
    }

    const checkBody = (code: string | null | undefined, path: string) => {
      if (code != null && !this.bodies.has(code)) {
        problems.push({
          path,
          message:
            this.source.format === "csv"
              ? sv(`Okänt organ «${code}»: det finns inte i databasen`, `unknown body "${code}"`)
              : sv(
                  `Okänt organ «${code}»: det finns varken i databasen eller i filens bodies`,
                  `unknown body "${code}"`,
                ),
        });
      }
    };
    checkBody(input.responsibleBody, at("responsible_body"));
    checkBody(input.addressedToBody, at("addressed_to_body"));
    for (const [index, referral] of (input.referrals ?? []).entries()) {
      checkBody(referral.body, at("referrals", index, "body"));
    }
    for (const [index, entry] of (input.timeline ?? []).entries()) {
      checkBody(entry.body, at("timeline", index, "body"));
    }

    if (input.dnr) {
      const earlier = this.seenDnr.get(`${registry}\u0000${input.dnr.key}`);
      if (earlier !== undefined) {
        problems.push({
          path: at("dnr"),
          message: sv(
            `Ärendet ${input.dnr.display} finns redan på rad ${earlier}`,
            "the same case twice in the file",
          ),
        });
      }
    } else {
      for (const identifier of input.identifiers ?? []) {
        const earlier = this.seenIdentifiers.get(`${registry}\u0000${identifier.key}`);
        if (earlier !== undefined) {
          problems.push({
            path: at("identifiers"),
            message: sv(
              `Ärendet ${identifier.display} finns redan på rad ${earlier}`,
              "the same case twice in the file",
            ),
          });
          break;
        }
      }
    }

    if (problems.length > 0) {
      this.rejectProblems(item, problems);
      return null;
    }
    if (input.dnr) this.seenDnr.set(`${registry}\u0000${input.dnr.key}`, item.line);
    for (const identifier of input.identifiers ?? []) {
      const key = `${registry}\u0000${identifier.key}`;
      if (!this.seenIdentifiers.has(key)) this.seenIdentifiers.set(key, item.line);
    }
    if (input.registryName !== undefined && namedBefore === undefined) {
      this.registryNames.set(registry, { name: input.registryName, line: item.line });
    }
    return { line: item.line, path: item.path, input };
  }

  private async writeCases(tx: Executor, rows: PreparedCase[], at: Date, outcome: Outcome): Promise<void> {
    const registryIds = await this.ensureRegistries(tx, rows, outcome);
    const matches = await this.matchCases(tx, rows, registryIds, outcome);

    type Planned = {
      row: PreparedCase;
      existing: CaseRow | null;
      values: Omit<CaseRow, "id">;
      caseId: number;
      changes: Changes | null;
    };
    const planned: Planned[] = [];
    for (const [row, existing] of matches) {
      const registryId = registryIds.get(row.input.registry) ?? 0;
      const values = this.desiredCase(row.input, existing, registryId, at);
      const changes = existing === null ? null : diff(existing, values, CASE_FIELDS, this.bodyCodes);
      planned.push({ row, existing, values, caseId: existing?.id ?? 0, changes });
    }

    const fresh = planned.filter((plan) => plan.existing === null);
    const newIds = await repository.insertCases(
      tx,
      fresh.map((plan) => plan.values),
    );
    fresh.forEach((plan, index) => {
      plan.caseId = newIds[index] ?? 0;
    });
    const changed = planned.filter((plan) => plan.changes !== null);
    await repository.updateCases(
      tx,
      changed.map((plan): CaseRow => ({ ...plan.values, id: plan.caseId, updatedAt: at })),
    );

    // Identifiers are only ever added: the bot or an official may have added others since.
    const stored = new Map<number, Set<string>>();
    for (const identifier of await repository.findIdentifiers(
      tx,
      planned.filter((plan) => plan.existing !== null).map((plan) => plan.caseId),
    )) {
      const keys = stored.get(identifier.caseId) ?? new Set<string>();
      keys.add(identifier.key);
      stored.set(identifier.caseId, keys);
    }
    const identifierRows: repository.NewIdentifier[] = [];
    const addedIdentifiers = new Map<number, string[]>();
    for (const plan of planned) {
      const keys = stored.get(plan.caseId) ?? new Set<string>();
      for (const identifier of plan.row.input.identifiers ?? []) {
        if (keys.has(identifier.key)) continue;
        keys.add(identifier.key);
        identifierRows.push({ caseId: plan.caseId, display: identifier.display, key: identifier.key });
        addedIdentifiers.set(plan.caseId, [...(addedIdentifiers.get(plan.caseId) ?? []), identifier.display]);
      }
    }
    await repository.insertIdentifiers(tx, identifierRows);

    // The case's own audit event comes first, then those of what is nested in it.
    const caseChanged = new Set<number>();
    for (const plan of planned) {
      const added = addedIdentifiers.get(plan.caseId);
      outcome.touched.push([plan.caseId, plan.row.line]);
      if (plan.existing === null) {
        outcome.audit.push({
          action: "case.imported",
          entityType: "case",
          entityId: plan.caseId,
          changes: {
            registry: plan.row.input.registry,
            identifiers: added ?? [],
            ...snapshot(plan.values, CASE_FIELDS, this.bodyCodes),
          },
        });
        outcome.count("case", "created");
        continue;
      }
      const changes: Record<string, unknown> = { ...(plan.changes ?? {}) };
      if (added !== undefined) changes.identifiers = { added };
      if (Object.keys(changes).length > 0) {
        outcome.audit.push({ action: "case.updated", entityType: "case", entityId: plan.caseId, changes });
        outcome.count("case", "updated");
        caseChanged.add(plan.caseId);
      } else {
        outcome.count("case", "unchanged");
      }
    }

    const nestedChanged = new Set<number>();
    await this.writeReferrals(
      tx,
      planned
        .filter((plan) => plan.row.input.referrals !== undefined)
        .map((plan) => ({
          caseId: plan.caseId,
          isNew: plan.existing === null,
          referrals: plan.row.input.referrals ?? [],
        })),
      at,
      outcome,
      nestedChanged,
    );
    await this.writeTimeline(
      tx,
      planned
        .filter((plan) => plan.row.input.timeline !== undefined)
        .map((plan) => ({ caseId: plan.caseId, isNew: plan.existing === null, input: plan.row.input })),
      outcome,
      nestedChanged,
    );

    const deadlines = await syncCaseDeadlines(
      tx,
      planned.map((plan) => ({ ...plan.values, id: plan.caseId })),
      this.deadlineRules,
    );
    outcome.audit.push(...deadlines.audit);
    for (const [result, count] of [
      ["created", deadlines.created],
      ["updated", deadlines.updated],
      ["unchanged", deadlines.unchanged],
    ] as const) {
      for (let index = 0; index < count; index += 1) outcome.count("deadline", result);
    }
    for (const caseId of deadlines.changedCaseIds) nestedChanged.add(caseId);

    for (const plan of planned) {
      if (plan.existing === null) outcome.rows.push("created");
      else if (caseChanged.has(plan.caseId) || nestedChanged.has(plan.caseId)) outcome.rows.push("updated");
      else outcome.rows.push("unchanged");
    }
  }

  /** CSV rows may create a registry (registry_name) or rename one. */
  private async ensureRegistries(
    tx: Executor,
    rows: PreparedCase[],
    outcome: Outcome,
  ): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    for (const row of rows) {
      const code = row.input.registry;
      const known =
        outcome.registries.find((registry) => registry.code === code) ?? this.registries.get(code);
      if (known === undefined) {
        const name = row.input.registryName ?? this.registryNames.get(code)?.name ?? code;
        const [created] = await repository.insertRegistries(tx, [{ code, name }]);
        if (created === undefined) throw new Error(`registry ${code} was not created`);
        outcome.registries.push(created);
        outcome.count("registry", "created");
        outcome.audit.push({
          action: "registry.imported",
          entityType: "registry",
          entityId: created.id,
          changes: { code, name },
        });
        ids.set(code, created.id);
        continue;
      }
      if (row.input.registryName !== undefined && row.input.registryName !== known.name) {
        await repository.updateRegistry(tx, known.id, { name: row.input.registryName });
        outcome.registries.push({ ...known, name: row.input.registryName });
        outcome.count("registry", "updated");
        outcome.audit.push({
          action: "registry.updated",
          entityType: "registry",
          entityId: known.id,
          changes: { name: { from: known.name, to: row.input.registryName } },
        });
      }
      ids.set(code, known.id);
    }
    return ids;
  }

  /**
   * Finds the stored case each row means: by registry and dnr; failing that, by an identifier. A row
   * with a dnr may match a case registered before its dnr was known (one without a dnr that shares an
   * identifier), which then gets the dnr. Rows that match several cases, or a case another row of
   * this import already wrote, are rejected.
   */
  private async matchCases(
    tx: Executor,
    rows: PreparedCase[],
    registryIds: Map<string, number>,
    outcome: Outcome,
  ): Promise<[PreparedCase, CaseRow | null][]> {
    const byRegistry = new Map<number, PreparedCase[]>();
    for (const row of rows) {
      const registryId = registryIds.get(row.input.registry) ?? 0;
      byRegistry.set(registryId, [...(byRegistry.get(registryId) ?? []), row]);
    }
    const matchedIds = new Map<PreparedCase, number>();
    const loaded = new Map<number, CaseRow>();
    const rejected = new Set<PreparedCase>();
    for (const [registryId, group] of byRegistry) {
      const byDnr = new Map<string, CaseRow>();
      for (const found of await repository.findCasesByDnrKeys(
        tx,
        registryId,
        unique(group.flatMap((row) => (row.input.dnr ? [row.input.dnr.key] : []))),
      )) {
        if (found.dnrKey !== null) byDnr.set(found.dnrKey, found);
        loaded.set(found.id, found);
      }
      const needIdentifiers = group.filter(
        (row) => !(row.input.dnr && byDnr.has(row.input.dnr.key)) && (row.input.identifiers ?? []).length > 0,
      );
      const hits = await repository.findCasesByIdentifierKeys(
        tx,
        registryId,
        unique(
          needIdentifiers.flatMap((row) => (row.input.identifiers ?? []).map((identifier) => identifier.key)),
        ),
      );
      const casesByKey = new Map<string, Map<number, string | null>>();
      for (const hit of hits) {
        const found = casesByKey.get(hit.key) ?? new Map<number, string | null>();
        found.set(hit.caseId, hit.dnr);
        casesByKey.set(hit.key, found);
      }
      for (const row of group) {
        const dnrHit = row.input.dnr ? byDnr.get(row.input.dnr.key) : undefined;
        if (dnrHit !== undefined) {
          matchedIds.set(row, dnrHit.id);
          continue;
        }
        const candidates = new Map<number, string | null>();
        for (const identifier of row.input.identifiers ?? []) {
          for (const [caseId, dnr] of casesByKey.get(identifier.key) ?? []) {
            // A row with a dnr only takes over a case that has none yet.
            if (!row.input.dnr || dnr === null) candidates.set(caseId, dnr);
          }
        }
        if (candidates.size > 1) {
          const names = [...candidates.values()].map((dnr) => (dnr === null ? "utan dnr" : `dnr ${dnr}`));
          outcome.rejected.push({
            line: row.line,
            reason: `${formatPath(row.path, ["identifiers"]) || "identifiers"}: ${sv(
              `Identifierarna passar ${candidates.size} ärenden (${names.join(", ")}); ange ärendets dnr`,
              "the identifiers match several cases",
            )}`,
          });
          rejected.add(row);
          continue;
        }
        const [only] = candidates.keys();
        if (only !== undefined) matchedIds.set(row, only);
      }
    }
    const missing = [...new Set(matchedIds.values())].filter((id) => !loaded.has(id));
    for (const found of await repository.findCasesByIds(tx, missing)) loaded.set(found.id, found);

    const result: [PreparedCase, CaseRow | null][] = [];
    const inBatch = new Map<number, number>();
    for (const row of rows) {
      if (rejected.has(row)) continue;
      const caseId = matchedIds.get(row);
      if (caseId === undefined) {
        result.push([row, null]);
        continue;
      }
      const earlier = inBatch.get(caseId) ?? this.touchedCases.get(caseId);
      if (earlier !== undefined) {
        outcome.rejected.push({
          line: row.line,
          reason: sv(`Samma ärende som rad ${earlier}`, "the same case as an earlier row"),
        });
        continue;
      }
      inBatch.set(caseId, row.line);
      result.push([row, loaded.get(caseId) ?? null]);
    }
    return result;
  }

  /** The stored row this input asks for: given fields win, absent ones keep what is stored. */
  private desiredCase(
    input: CaseInput,
    existing: CaseRow | null,
    registryId: number,
    at: Date,
  ): Omit<CaseRow, "id"> {
    const restricted = input.restricted ?? existing?.restricted ?? false;
    // A restricted case never falls back to its full title; its stored public title stays.
    const publicTitle =
      input.publicTitle ?? (restricted ? (existing?.publicTitle ?? input.title) : input.title);
    return {
      registryId,
      dnr: input.dnr ? input.dnr.display : (existing?.dnr ?? null),
      dnrKey: input.dnr ? input.dnr.key : (existing?.dnrKey ?? null),
      kind: input.kind,
      title: input.title,
      publicTitle,
      restricted,
      summary: pick(input.summary, existing?.summary),
      raisedBy: input.raisedBy ?? existing?.raisedBy ?? [],
      raisedOn: pick(input.raisedOn, existing?.raisedOn),
      receivedOn: pick(input.receivedOn, existing?.receivedOn),
      closedOn: pick(input.closedOn, existing?.closedOn),
      addressedToBodyId: this.bodyId(input.addressedToBody, existing?.addressedToBodyId),
      responsibleBodyId: this.bodyId(input.responsibleBody, existing?.responsibleBodyId),
      officerName: pick(input.officerName, existing?.officerName),
      officerSlackUserId: pick(input.officerSlackUserId, existing?.officerSlackUserId),
      status: input.status ?? existing?.status ?? "open",
      outcome: pick(input.outcome, existing?.outcome),
      classification: pick(input.classification, existing?.classification),
      decisionDueOn: pick(input.decisionDueOn, existing?.decisionDueOn),
      createdAt: existing?.createdAt ?? at,
      updatedAt: existing?.updatedAt ?? at,
    };
  }

  private bodyId(code: string | null | undefined, stored: number | null | undefined): number | null {
    if (code === undefined) return stored ?? null;
    if (code === null) return null;
    const body = this.bodies.get(code);
    if (body === undefined) throw new Error(`body ${code} vanished during the import`);
    return body.id;
  }

  private async writeReferrals(
    tx: Executor,
    cases: { caseId: number; isNew: boolean; referrals: ReferralInput[] }[],
    at: Date,
    outcome: Outcome,
    changedCases: Set<number>,
  ): Promise<void> {
    if (cases.length === 0) return;
    // Referrals are unique per case and body only while open, so the import matches the oldest one.
    const storedReferrals = new Map<string, repository.ReferralRow>();
    for (const referral of await repository.findReferrals(
      tx,
      cases.filter((item) => !item.isNew).map((item) => item.caseId),
    )) {
      const key = `${referral.caseId}:${referral.bodyId}`;
      if (!storedReferrals.has(key)) storedReferrals.set(key, referral);
    }

    type PlannedReferral = {
      caseId: number;
      input: ReferralInput;
      referralId: number;
      existing: repository.ReferralRow | null;
      values: repository.NewReferral;
    };
    const planned: PlannedReferral[] = [];
    for (const item of cases) {
      for (const input of item.referrals) {
        const bodyId = this.bodyId(input.body, null) ?? 0;
        const existing = storedReferrals.get(`${item.caseId}:${bodyId}`) ?? null;
        const values: repository.NewReferral = {
          caseId: item.caseId,
          bodyId,
          sentOn: pick(input.sentOn, existing?.sentOn),
          dueOn: pick(input.dueOn, existing?.dueOn),
          dueStatement: pick(input.dueStatement, existing?.dueStatement),
          state: input.state ?? existing?.state ?? "open",
          answeredOn: pick(input.answeredOn, existing?.answeredOn),
        };
        planned.push({ caseId: item.caseId, input, referralId: existing?.id ?? 0, existing, values });
      }
    }

    const fresh = planned.filter((plan) => plan.existing === null);
    const ids = await repository.insertReferrals(
      tx,
      fresh.map((plan) => ({ ...plan.values, createdAt: at })),
    );
    fresh.forEach((plan, index) => {
      plan.referralId = ids[index] ?? 0;
      changedCases.add(plan.caseId);
      outcome.count("referral", "created");
      outcome.audit.push({
        action: "referral.imported",
        entityType: "referral",
        entityId: plan.referralId,
        changes: { case_id: plan.caseId, ...snapshot(plan.values, REFERRAL_FIELDS, this.bodyCodes) },
      });
    });
    for (const plan of planned) {
      if (plan.existing === null) continue;
      const changes = diff(plan.existing, plan.values, REFERRAL_FIELDS, this.bodyCodes);
      if (changes === null) {
        outcome.count("referral", "unchanged");
        continue;
      }
      await repository.updateReferral(tx, plan.referralId, {
        sentOn: plan.values.sentOn,
        dueOn: plan.values.dueOn,
        dueStatement: plan.values.dueStatement,
        state: plan.values.state,
        answeredOn: plan.values.answeredOn,
      });
      changedCases.add(plan.caseId);
      outcome.count("referral", "updated");
      outcome.audit.push({
        action: "referral.updated",
        entityType: "referral",
        entityId: plan.referralId,
        changes,
      });
    }

    await this.writeResponses(tx, planned, at, outcome, changedCases);
    await this.writeDeadlines(tx, planned, outcome, changedCases);
  }

  private async writeResponses(
    tx: Executor,
    referrals: { caseId: number; input: ReferralInput; referralId: number; existing: unknown }[],
    at: Date,
    outcome: Outcome,
    changedCases: Set<number>,
  ): Promise<void> {
    const withResponses = referrals.filter((referral) => referral.input.responses !== undefined);
    const stored = new Map<number, repository.ResponseRow[]>();
    for (const response of await repository.findResponses(
      tx,
      withResponses.filter((referral) => referral.existing !== null).map((referral) => referral.referralId),
    )) {
      stored.set(response.referralId, [...(stored.get(response.referralId) ?? []), response]);
    }
    const fresh: { caseId: number; values: repository.NewResponse }[] = [];
    for (const referral of withResponses) {
      const candidates = [...(stored.get(referral.referralId) ?? [])];
      for (const input of referral.input.responses ?? []) {
        // A response is known by its document title and date within its referral.
        const index = candidates.findIndex(
          (row) => row.documentTitle === input.documentTitle && row.answeredOn === input.answeredOn,
        );
        const existing = index === -1 ? null : (candidates.splice(index, 1)[0] ?? null);
        const values: repository.NewResponse = {
          referralId: referral.referralId,
          kind: input.kind ?? existing?.kind ?? "answer",
          documentTitle: input.documentTitle,
          summary: input.summary,
          link: pick(input.link, existing?.link),
          answeredOn: input.answeredOn,
          submittedByName: pick(input.submittedByName, existing?.submittedByName),
          submittedBySlackUserId: pick(input.submittedBySlackUserId, existing?.submittedBySlackUserId),
          approvalState: input.approvalState ?? existing?.approvalState ?? "pending",
          decidedByName: pick(input.decidedByName, existing?.decidedByName),
          decidedBySlackUserId: pick(input.decidedBySlackUserId, existing?.decidedBySlackUserId),
          decisionReason: pick(input.decisionReason, existing?.decisionReason),
          decidedAt: pick(input.decidedAt, existing?.decidedAt),
        };
        if (existing === null) {
          fresh.push({ caseId: referral.caseId, values: { ...values, submittedAt: at } });
          continue;
        }
        const changes = diff(existing, values, RESPONSE_FIELDS);
        if (changes === null) {
          outcome.count("referral_response", "unchanged");
          continue;
        }
        const { referralId: _unchanged, ...patch } = values;
        await repository.updateResponse(tx, existing.id, patch);
        changedCases.add(referral.caseId);
        outcome.count("referral_response", "updated");
        outcome.audit.push({
          action: "referral_response.updated",
          entityType: "referral_response",
          entityId: existing.id,
          changes,
        });
      }
    }
    const ids = await repository.insertResponses(
      tx,
      fresh.map((item) => item.values),
    );
    fresh.forEach((item, index) => {
      changedCases.add(item.caseId);
      outcome.count("referral_response", "created");
      outcome.audit.push({
        action: "referral_response.imported",
        entityType: "referral_response",
        entityId: ids[index] ?? 0,
        changes: { referral_id: item.values.referralId, ...snapshot(item.values, RESPONSE_FIELDS) },
      });
    });
  }

  /** A referral with a due date is watched by a referral_due deadline, met once it is answered. */
  private async writeDeadlines(
    tx: Executor,
    referrals: { caseId: number; referralId: number; existing: unknown; values: repository.NewReferral }[],
    outcome: Outcome,
    changedCases: Set<number>,
  ): Promise<void> {
    const stored = new Map<number, repository.DeadlineRow>();
    for (const deadline of await repository.findDeadlines(
      tx,
      referrals.filter((referral) => referral.existing !== null).map((referral) => referral.referralId),
    )) {
      if (deadline.referralId !== null) stored.set(deadline.referralId, deadline);
    }
    const fresh: { caseId: number; values: repository.NewDeadline }[] = [];
    for (const { caseId, referralId, values: referral } of referrals) {
      const existing = stored.get(referralId) ?? null;
      const dueOn = referral.dueOn ?? null;
      let desired: Pick<repository.DeadlineRow, "dueOn" | "basis" | "state" | "metOn">;
      if (dueOn !== null) {
        const state = referral.state ?? "open";
        desired = {
          dueOn,
          basis: referral.dueStatement ?? `Svarsdatum enligt remissen: ${dueOn}`,
          state: state === "answered" ? "met" : state === "open" ? "open" : "cancelled",
          metOn: state === "answered" ? (referral.answeredOn ?? null) : null,
        };
      } else if (existing !== null && existing.state !== "cancelled") {
        // The file no longer gives a due date: the watch is cancelled, not deleted.
        desired = { dueOn: existing.dueOn, basis: existing.basis, state: "cancelled", metOn: null };
      } else {
        continue;
      }
      if (existing === null) {
        fresh.push({ caseId, values: { caseId, referralId, kind: "referral_due", ...desired } });
        continue;
      }
      const changes = diff(existing, desired, DEADLINE_FIELDS);
      if (changes === null) {
        outcome.count("deadline", "unchanged");
        continue;
      }
      await repository.updateDeadline(tx, existing.id, desired);
      changedCases.add(caseId);
      outcome.count("deadline", "updated");
      outcome.audit.push({
        action: "deadline.updated",
        entityType: "deadline",
        entityId: existing.id,
        changes,
      });
    }
    const ids = await repository.insertDeadlines(
      tx,
      fresh.map((item) => item.values),
    );
    fresh.forEach((item, index) => {
      changedCases.add(item.caseId);
      outcome.count("deadline", "created");
      outcome.audit.push({
        action: "deadline.imported",
        entityType: "deadline",
        entityId: ids[index] ?? 0,
        changes: {
          case_id: item.caseId,
          referral_id: item.values.referralId,
          kind: item.values.kind,
          ...snapshot(item.values, DEADLINE_FIELDS),
        },
      });
    });
  }

  /** Timeline entries are known by their position in the file's list (1, 2, 3 …). */
  private async writeTimeline(
    tx: Executor,
    cases: { caseId: number; isNew: boolean; input: CaseInput }[],
    outcome: Outcome,
    changedCases: Set<number>,
  ): Promise<void> {
    if (cases.length === 0) return;
    const stored = new Map<string, repository.TimelineRow>();
    for (const entry of await repository.findTimeline(
      tx,
      cases.filter((item) => !item.isNew).map((item) => item.caseId),
    )) {
      stored.set(`${entry.caseId}:${entry.position}`, entry);
    }
    const fresh: repository.NewTimelineEntry[] = [];
    for (const { caseId, input } of cases) {
      for (const [index, entry] of (input.timeline ?? []).entries()) {
        const position = index + 1;
        const existing = stored.get(`${caseId}:${position}`) ?? null;
        const values: repository.NewTimelineEntry = {
          caseId,
          position,
          kind: entry.kind,
          bodyId: this.bodyId(entry.body, existing?.bodyId),
          occurredOn: pick(entry.occurredOn, existing?.occurredOn),
          reference: pick(entry.reference, existing?.reference),
          people: entry.people ?? existing?.people ?? [],
          text: entry.text,
        };
        if (existing === null) {
          fresh.push(values);
          continue;
        }
        const changes = diff(existing, values, TIMELINE_FIELDS, this.bodyCodes);
        if (changes === null) {
          outcome.count("timeline_entry", "unchanged");
          continue;
        }
        await repository.updateTimelineEntry(tx, existing.id, {
          kind: values.kind,
          bodyId: values.bodyId,
          occurredOn: values.occurredOn,
          reference: values.reference,
          people: values.people,
          text: values.text,
        });
        changedCases.add(caseId);
        outcome.count("timeline_entry", "updated");
        outcome.audit.push({
          action: "timeline_entry.updated",
          entityType: "timeline_entry",
          entityId: existing.id,
          changes,
        });
      }
    }
    const ids = await repository.insertTimeline(tx, fresh);
    fresh.forEach((values, index) => {
      changedCases.add(values.caseId);
      outcome.count("timeline_entry", "created");
      outcome.audit.push({
        action: "timeline_entry.imported",
        entityType: "timeline_entry",
        entityId: ids[index] ?? 0,
        changes: {
          case_id: values.caseId,
          position: values.position,
          ...snapshot(values, TIMELINE_FIELDS, this.bodyCodes),
        },
      });
    });
  }

  // -------------------------------------------------------------------------------------------
  // Transactions and the report

  /**
   * Writes rows in one transaction with their audit events. If the database refuses the batch, the
   * rows are written one by one so that only the row at fault is rejected.
   */
  private async write<T extends { line: number }>(
    rows: T[],
    plan: (tx: Executor, rows: T[], at: Date, outcome: Outcome) => Promise<void>,
  ): Promise<void> {
    if (rows.length === 0) return;
    let outcome: Outcome;
    try {
      outcome = await this.db.transaction(async (tx) => {
        await repository.lockImport(tx);
        const at = this.clock.now();
        const result = new Outcome();
        await plan(tx, rows, at, result);
        for (let start = 0; start < result.audit.length; start += AUDIT_CHUNK) {
          await recordAudit(tx, {
            actor: this.actor,
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
      for (const row of rows) await this.write([row], plan);
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

  private rememberBody(body: BodyRow): void {
    this.bodies.set(body.code, body);
    this.bodyCodes.set(body.id, body.code);
  }

  private reject(line: number, reason: string): void {
    this.report.rejected.push({ line, reason });
  }

  private rejectProblems(item: SourceItem, problems: FieldProblem[]): void {
    const first = problems[0];
    const line = (first && this.source.lineOf(first.path)) ?? item.line;
    this.reject(line, problems.map(describeProblem).join("; "));
  }

  private progress(): void {
    this.onProgress?.({
      rows: this.report.rows,
      totalRows:
        this.source.totalCases === null
          ? null
          : this.source.totalCases + this.source.registries.length + this.source.bodies.length,
      fraction: this.source.fractionRead(),
    });
  }
}

// ---------------------------------------------------------------------------------------------
// Comparing stored rows with the file

/** [name in the file and the audit, property of the row, shown as a body code] */
type FieldSpec = readonly [name: string, key: string, isBody?: boolean];

const CASE_FIELDS: readonly FieldSpec[] = [
  ["dnr", "dnr"],
  ["kind", "kind"],
  ["title", "title"],
  ["public_title", "publicTitle"],
  ["restricted", "restricted"],
  ["summary", "summary"],
  ["raised_by", "raisedBy"],
  ["raised_on", "raisedOn"],
  ["received_on", "receivedOn"],
  ["closed_on", "closedOn"],
  ["responsible_body", "responsibleBodyId", true],
  ["addressed_to_body", "addressedToBodyId", true],
  ["officer_name", "officerName"],
  ["officer_slack_user_id", "officerSlackUserId"],
  ["status", "status"],
  ["outcome", "outcome"],
  ["classification", "classification"],
  ["decision_due_on", "decisionDueOn"],
];
const BODY_FIELDS: readonly FieldSpec[] = [
  ["name", "name"],
  ["kind", "kind"],
  ["slack_channel_id", "slackChannelId"],
];
const REFERRAL_FIELDS: readonly FieldSpec[] = [
  ["body", "bodyId", true],
  ["sent_on", "sentOn"],
  ["due_on", "dueOn"],
  ["due_statement", "dueStatement"],
  ["state", "state"],
  ["answered_on", "answeredOn"],
];
const RESPONSE_FIELDS: readonly FieldSpec[] = [
  ["kind", "kind"],
  ["document_title", "documentTitle"],
  ["summary", "summary"],
  ["link", "link"],
  ["answered_on", "answeredOn"],
  ["submitted_by_name", "submittedByName"],
  ["submitted_by_slack_user_id", "submittedBySlackUserId"],
  ["approval_state", "approvalState"],
  ["decided_by_name", "decidedByName"],
  ["decided_by_slack_user_id", "decidedBySlackUserId"],
  ["decision_reason", "decisionReason"],
  ["decided_at", "decidedAt"],
];
const DEADLINE_FIELDS: readonly FieldSpec[] = [
  ["due_on", "dueOn"],
  ["basis", "basis"],
  ["state", "state"],
  ["met_on", "metOn"],
];
const TIMELINE_FIELDS: readonly FieldSpec[] = [
  ["kind", "kind"],
  ["body", "bodyId", true],
  ["occurred_on", "occurredOn"],
  ["reference", "reference"],
  ["people", "people"],
  ["text", "text"],
];

/** The changed fields as { field: { from, to } }, or null when nothing changed. */
function diff(
  stored: object,
  desired: object,
  fields: readonly FieldSpec[],
  bodyCodes?: Map<number, string>,
): Changes | null {
  const changes: Changes = {};
  const before = stored as Record<string, unknown>;
  const after = desired as Record<string, unknown>;
  for (const [name, key, isBody] of fields) {
    if (comparable(before[key]) === comparable(after[key])) continue;
    changes[name] = {
      from: shown(before[key], isBody, bodyCodes),
      to: shown(after[key], isBody, bodyCodes),
    };
  }
  return Object.keys(changes).length === 0 ? null : changes;
}

function snapshot(
  values: object,
  fields: readonly FieldSpec[],
  bodyCodes?: Map<number, string>,
): Record<string, unknown> {
  const row = values as Record<string, unknown>;
  return Object.fromEntries(fields.map(([name, key, isBody]) => [name, shown(row[key], isBody, bodyCodes)]));
}

function shown(value: unknown, isBody: boolean | undefined, bodyCodes?: Map<number, string>): unknown {
  if (value === undefined || value === null) return null;
  if (isBody && typeof value === "number") return bodyCodes?.get(value) ?? value;
  return value;
}

/** Equal values give equal strings; people compare whatever order their keys were stored in. */
function comparable(value: unknown): string {
  if (Array.isArray(value)) {
    return JSON.stringify(
      value.map((person: Person) => [person.name, person.party ?? null, person.title ?? null]),
    );
  }
  return JSON.stringify(value ?? null);
}

/** Absent (undefined) keeps what is stored; null clears it. */
function pick<T>(given: T | null | undefined, stored: T | null | undefined): T | null {
  return given === undefined ? (stored ?? null) : given;
}

function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}

function zero(): Counts {
  return { created: 0, updated: 0, unchanged: 0 };
}

function sv(swedish: string, english: string): string {
  return `${swedish} (${english})`;
}

/** The database's own words, without the SQL and parameters Drizzle wraps around them. */
function databaseMessage(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}
