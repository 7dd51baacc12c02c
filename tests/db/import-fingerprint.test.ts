import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { importActor } from "../../src/cli/import-command.js";
import { fixedClock } from "../../src/clock.js";
import { rowsOf } from "../../src/db/client.js";
import { DEFAULT_DEADLINE_RULES, type DeadlineRules } from "../../src/modules/deadlines/deadline-rules.js";
import { knownNames } from "../../src/modules/exchange/erms/known-names.js";
import { generateCasesCsv } from "../../src/modules/import/generate-sample.js";
import { lockImport } from "../../src/modules/import/import.repository.js";
import { importRegistry } from "../../src/modules/import/import-registry.js";
import { readImportFile } from "../../src/modules/import/read-import-file.js";
import { createContext } from "../../src/modules/shared/context.js";
import { deferred } from "../support/deferred.js";
import { createTestDatabase, emptyDatabase, type TestDatabase } from "../support/test-database.js";

/**
 * The per-case fingerprint (issue 9 §4): a re-sync passes over the cases whose export row is as it
 * was when they were last imported, and reports them exactly as comparing them would; a write to a
 * case from anywhere but an import makes the next import compare that case again.
 */

const DEMO = new URL("../../db/seed/demo.json", import.meta.url).pathname;
const FIXTURES = new URL("../fixtures/erms/", import.meta.url).pathname;
const clock = fixedClock("2025-03-01T09:00:00Z");

let database: TestDatabase;
let directory: string;

beforeAll(async () => {
  database = await createTestDatabase();
  directory = await mkdtemp(join(tmpdir(), "arendebot-fingerprint-"));
});

afterAll(async () => {
  await database?.destroy();
  await rm(directory, { recursive: true, force: true });
});

async function importFile(
  file: string,
  options: { rules?: DeadlineRules; batchSize?: number; lookupRows?: number } = {},
) {
  const ctx = createContext({ db: database.db, clock, actor: importActor(file) });
  const source = await readImportFile(file, { known: () => knownNames(ctx) });
  return importRegistry(ctx, {
    source,
    deadlineRules: options.rules ?? DEFAULT_DEADLINE_RULES,
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
    ...(options.lookupRows ? { lookupRows: options.lookupRows } : {}),
  });
}

async function writeTemp(name: string, content: string): Promise<string> {
  const file = join(directory, name);
  await writeFile(file, content);
  return file;
}

async function query<T>(text: string): Promise<T[]> {
  return rowsOf<T>(await database.db.execute(sql.raw(text)));
}

async function single(text: string): Promise<number> {
  const [row] = await query<{ n: number | string }>(text);
  return Number(row?.n);
}

async function caseIdOf(dnr: string): Promise<number> {
  return single(`select id as n from cases where dnr = '${dnr}'`);
}

async function fingerprinted(): Promise<number[]> {
  const rows = await query<{ case_id: number }>("select case_id from case_fingerprints order by case_id");
  return rows.map((row) => Number(row.case_id));
}

/** A write as an import makes it: the triggers let the fingerprints be. */
async function writeAsImport(statement: string): Promise<void> {
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`select set_config('arendebot.importing', 'on', true)`);
    await tx.execute(sql.raw(statement));
  });
}

describe("importing rows already imported", () => {
  const files = [
    ["the demo data (JSON)", () => DEMO],
    ["a Swedish FGS 2.0 export (ERMS)", () => join(FIXTURES, "stockholm-fgs2.xml")],
    ["the generated ERMS example", () => join(FIXTURES, "generated-example-2.1.xml")],
    [
      "300 generated cases (CSV, batches of 40, looked up 70 at a time)",
      () => writeTemp("generated.csv", generateCasesCsv(300, { registry: "gen", registryName: "Genererat" })),
    ],
  ] as const;

  for (const [name, fileOf] of files) {
    it(`reports ${name} exactly as comparing every case would, and writes nothing`, async () => {
      await emptyDatabase(database.db);
      const file = await fileOf();
      const first = await importFile(file, { batchSize: 40, lookupRows: 70 });
      expect(first.created).toBeGreaterThan(0);
      // A case without a dnr is always compared (reconcile-cases.ts), so it keeps no fingerprint.
      const casesStored = await single("select count(*) as n from cases where dnr is not null");
      expect(await fingerprinted()).toHaveLength(casesStored);
      const audited = await single("select count(*) as n from audit_events");
      const writes = await single("select count(*) as n from registry_writes");

      const passedOver = await importFile(file, { batchSize: 40, lookupRows: 70 });
      expect(await single("select count(*) as n from audit_events")).toBe(audited);
      expect(await single("select count(*) as n from registry_writes")).toBe(writes);

      await database.db.execute(sql`delete from case_fingerprints`);
      const compared = await importFile(file, { batchSize: 40, lookupRows: 70 });
      expect(passedOver).toEqual(compared);
      expect(passedOver.created + passedOver.updated).toBe(0);
      expect(passedOver.entities.case.unchanged).toBe(first.entities.case.created);
      // Comparing gave each case its fingerprint back.
      expect(await fingerprinted()).toHaveLength(casesStored);
    });
  }
});

describe("a case changed outside an import", () => {
  it("is passed over while its fingerprint stands, and compared again once a write forgets it", async () => {
    await emptyDatabase(database.db);
    await importFile(DEMO);
    const skrivelse = await caseIdOf("108-1642/2017");
    const title = await query<{ title: string }>(`select title from cases where id = ${skrivelse}`);

    // Proof that the import does not look at the case: a change it cannot see stays.
    await writeAsImport(`update cases set title = 'Ändrad utan att synas' where id = ${skrivelse}`);
    const passed = await importFile(DEMO);
    expect(passed.updated).toBe(0);
    expect(await query(`select title from cases where id = ${skrivelse}`)).toEqual([
      { title: "Ändrad utan att synas" },
    ]);

    // A hand edit forgets the fingerprint of that case alone; the import puts the diarium's title back.
    const before = await fingerprinted();
    await database.db.execute(sql.raw(`update cases set title = 'Ändrad för hand' where id = ${skrivelse}`));
    expect(await fingerprinted()).toEqual(before.filter((id) => id !== skrivelse));
    const compared = await importFile(DEMO);
    expect(compared.updated).toBe(1);
    expect(await query(`select title from cases where id = ${skrivelse}`)).toEqual(title);
    expect(await fingerprinted()).toEqual(before);
  });

  const nested = [
    ["an identifier", "case_identifiers", "update case_identifiers set display = display", "case_id"],
    ["a referral", "referrals", "update referrals set due_on = due_on", "case_id"],
    [
      "a remissvar",
      "referral_responses",
      "update referral_responses set answered_on = answered_on",
      "(select case_id from referrals where referrals.id = referral_id)",
    ],
    ["a timeline entry", "timeline_entries", "update timeline_entries set text = text", "case_id"],
    ["a deadline", "deadlines", "update deadlines set due_on = due_on", "case_id"],
    ["the case itself", "cases", "update cases set summary = summary", "id"],
  ] as const;

  for (const [what, table, update, caseOf] of nested) {
    it(`forgets only its case's fingerprint when ${what} is written`, async () => {
      await emptyDatabase(database.db);
      await importFile(DEMO);
      const before = await fingerprinted();
      const [row] = await query<{ id: number; case_id: number }>(
        `select id, ${caseOf} as case_id from ${table}
         where ${caseOf} in (select id from cases where dnr is not null) order by id limit 1`,
      );
      if (row === undefined) throw new Error(`the demo data has no row in ${table}`);
      expect(before).toContain(Number(row.case_id));
      await database.db.execute(sql.raw(`${update} where id = ${row.id}`));
      expect(await fingerprinted()).toEqual(before.filter((id) => id !== Number(row.case_id)));
    });
  }

  it("forgets its fingerprint when something is added to it or taken from it", async () => {
    await emptyDatabase(database.db);
    await importFile(DEMO);
    const before = await fingerprinted();
    const skrivelse = await caseIdOf("108-1642/2017");
    expect(before).toContain(skrivelse);
    await database.db.execute(
      sql.raw(
        `insert into case_identifiers (case_id, display, key) values (${skrivelse}, 'Extra 1', 'extra 1')`,
      ),
    );
    expect(await fingerprinted()).toEqual(before.filter((id) => id !== skrivelse));
    await importFile(DEMO);
    expect(await fingerprinted()).toEqual(before);
    await database.db.execute(sql.raw(`delete from timeline_entries where case_id = ${skrivelse}`));
    expect(await fingerprinted()).toEqual(before.filter((id) => id !== skrivelse));
  });

  it("forgets every fingerprint when a registry is renamed or a body's code changes, not for a body's name", async () => {
    await emptyDatabase(database.db);
    await importFile(DEMO);
    const before = await fingerprinted();
    await database.db.execute(
      sql`update bodies set name = name || ' ' where id = (select min(id) from bodies)`,
    );
    expect(await fingerprinted()).toEqual(before);
    await writeAsImport("update registries set name = name || ' (nytt namn)'");
    expect(await fingerprinted()).toEqual([]);
    await importFile(DEMO);
    expect(await fingerprinted()).toEqual(before);
    await database.db.execute(
      sql`update bodies set code = code || '-x' where id = (select min(id) from bodies)`,
    );
    expect(await fingerprinted()).toEqual([]);
    await database.db.execute(sql`update bodies set code = left(code, -2) where code like '%-x'`);
    await importFile(DEMO);
    expect(await fingerprinted()).toEqual(before);
    await database.db.execute(sql`truncate deadlines`);
    expect(await fingerprinted()).toEqual([]);
  });

  it.skipIf(inject("testDatabase").kind === "pglite")(
    "waits, when written outside an import, for an import batch to commit",
    async () => {
      await emptyDatabase(database.db);
      await importFile(DEMO);
      const other = postgres(database.url ?? "", { max: 1, onnotice: () => {} });
      try {
        const held = deferred();
        const lockTaken = deferred();
        const batch = database.db.transaction(async (tx) => {
          await lockImport(tx);
          lockTaken.resolve();
          await held.promise;
        });
        await lockTaken.promise;
        // A hand edit while the batch holds the lock waits for it (here: until its lock timeout).
        await expect(
          other.begin(async (tx) => {
            await tx.unsafe("set local lock_timeout = '300ms'");
            await tx.unsafe("update cases set title = 'Handändrad'");
          }),
        ).rejects.toThrow(/lock timeout/);
        held.resolve();
        await batch;
        await other.unsafe("update cases set title = 'Handändrad'");
        expect(await fingerprinted()).toEqual([]);
      } finally {
        await other.end();
      }
    },
  );
});

/**
 * The database as the import sees it, with `between` run (and committed) as soon as a lot's
 * fingerprints have been looked up, before any of the lot is written.
 */
function writingAfterLookup(between: () => Promise<void>) {
  const db = database.db;
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property !== "execute") {
        const value = Reflect.get(target, property, receiver);
        return typeof value === "function" ? value.bind(target) : value;
      }
      return async (...args: Parameters<typeof db.execute>) => {
        const result = await target.execute(...args);
        const [row] = rowsOf<Record<string, unknown>>(result);
        if (row && "found" in row && "snapshot" in row) await between();
        return result;
      };
    },
  });
}

async function importWriting(file: string, between: () => Promise<void>) {
  const ctx = createContext({ db: writingAfterLookup(between), clock, actor: importActor(file) });
  const source = await readImportFile(file, { known: () => knownNames(ctx) });
  return importRegistry(ctx, { source });
}

describe("a case written between its row's lookup and its batch", () => {
  it("is compared, and given the diarium's title back, when the write came from outside an import", async () => {
    await emptyDatabase(database.db);
    await importFile(DEMO);
    const skrivelse = await caseIdOf("108-1642/2017");
    const title = await query<{ title: string }>(`select title from cases where id = ${skrivelse}`);
    const report = await importWriting(DEMO, async () => {
      await database.db.execute(
        sql.raw(`update cases set title = 'Ändrad för hand' where id = ${skrivelse}`),
      );
    });
    expect(report.updated).toBe(1);
    expect(await query(`select title from cases where id = ${skrivelse}`)).toEqual(title);
  });

  it.skipIf(inject("testDatabase").kind === "pglite")(
    "is compared when its writer was still open at the lookup and committed before the batch",
    async () => {
      await emptyDatabase(database.db);
      // CSV: its registry is written with its cases, so nothing takes the import's lock (which the
      // open writer holds up) before the lookup.
      const file = await writeTemp(
        "open-writer.csv",
        generateCasesCsv(5, { registry: "ow", registryName: "OW" }),
      );
      await importFile(file);
      const skrivelse = await caseIdOf("EX 2000/1");
      const title = await query<{ title: string }>(`select title from cases where id = ${skrivelse}`);
      const other = postgres(database.url ?? "", { max: 2, onnotice: () => {} });
      try {
        const committing = deferred();
        const updated = deferred();
        const writer = other.begin(async (tx) => {
          await tx.unsafe(`update cases set title = 'Ändrad för hand' where id = ${skrivelse}`);
          updated.resolve();
          await committing.promise;
        });
        await updated.promise;
        // A later transaction ends first, so the lookup's snapshot counts the writer as running, not
        // as not yet started.
        await other.unsafe("select pg_current_xact_id()");
        const report = await importWriting(file, async () => {
          committing.resolve();
          await writer;
        });
        expect(report.updated).toBe(1);
        expect(await query(`select title from cases where id = ${skrivelse}`)).toEqual(title);
      } finally {
        await other.end();
      }
    },
  );
});

describe("known rows under their batch's lock", () => {
  it("are not confirmed one by one while nothing was written since a recent lookup, and are after ten minutes", async () => {
    await emptyDatabase(database.db);
    await importFile(DEMO);
    const before = await fingerprinted();
    const skrivelse = await caseIdOf("108-1642/2017");
    // Forgetting a fingerprint by hand writes no case, so a batch right after the lookup does not read
    // the fingerprints again: the case is passed over and keeps no fingerprint until it is compared.
    // This only makes the shortcut visible; forgetting a fingerprint never changes a case.
    const forget = async () => {
      await database.db.execute(sql.raw(`delete from case_fingerprints where case_id = ${skrivelse}`));
    };
    const trusted = await importWriting(DEMO, forget);
    expect(trusted.updated).toBe(0);
    expect(await fingerprinted()).toEqual(before.filter((id) => id !== skrivelse));

    await importFile(DEMO);
    expect(await fingerprinted()).toEqual(before);
    // Eleven minutes after the lookup, each known row's fingerprint is read again: the missing one is
    // compared (and unchanged).
    const started = performance.now.bind(performance);
    try {
      const confirmed = await importWriting(DEMO, async () => {
        await forget();
        vi.spyOn(performance, "now").mockImplementation(() => started() + 11 * 60_000);
      });
      expect(confirmed.updated).toBe(0);
      expect(await fingerprinted()).toEqual(before);
    } finally {
      vi.restoreAllMocks();
    }
  });
});

describe("what a passed-over row still answers for", () => {
  const header = "registry,registry_name,dnr,identifiers,kind,title";

  it("refuses a later row that names the same case by an identifier the row leaves out", async () => {
    await emptyDatabase(database.db);
    const row = (identifiers: string, dnr = "KS 2024/7") =>
      `kf,KF,${dnr},${identifiers},motion,Motion om träd`;
    await importFile(await writeTemp("one.csv", `${header}\n${row("Motion 2024:3")}\n`));
    // The case now has both identifiers; this row, naming only the second, is its fingerprint.
    await importFile(await writeTemp("two.csv", `${header}\n${row("PM 2024:9")}\n`));
    const report = await importFile(
      await writeTemp(
        "three.csv",
        `${header}\n${row("PM 2024:9")}\n${row("Motion 2024:3", "")} och buskar\n`,
      ),
    );
    expect(report).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
    expect(report.rejected).toEqual([{ line: 3, reason: expect.stringContaining("Samma ärende som rad 2") }]);
    expect(await query("select title from cases")).toEqual([{ title: "Motion om träd" }]);
  });

  it("no longer stands for its case once a row without a dnr has changed the case", async () => {
    await emptyDatabase(database.db);
    const withDnr = await writeTemp(
      "dnr.csv",
      `${header}\nkf,KF,KS 2024/7,Motion 2024:3,motion,Motion om träd\n`,
    );
    await importFile(withDnr);
    const byIdentifier = `${header}\nkf,KF,,Motion 2024:3,motion,Ändrad utan dnr\n`;
    expect(await importFile(await writeTemp("identifier.csv", byIdentifier))).toMatchObject({ updated: 1 });
    // The diarium's export with the dnr again: the case is compared and gets its title back.
    expect(await importFile(withDnr)).toMatchObject({ updated: 1, unchanged: 0 });
    expect(await query("select title from cases")).toEqual([{ title: "Motion om träd" }]);
  });

  it("refuses the same row twice in a file, as it did before the row was known", async () => {
    await emptyDatabase(database.db);
    const row = "kf,KF,KS 2024/8,,skrivelse,Skrivelse om bänkar";
    await importFile(await writeTemp("once.csv", `${header}\n${row}\n`));
    const twice = await writeTemp("twice-same.csv", `${header}\n${row}\n${row}\n`);
    // Also with each row looked up and written on its own, the second while the first is written.
    for (const lots of [{}, { batchSize: 1, lookupRows: 1 }]) {
      const report = await importFile(twice, lots);
      expect(report).toMatchObject({ created: 0, updated: 0, unchanged: 1 });
      expect(report.rejected).toEqual([
        { line: 3, reason: expect.stringContaining("Ärendet KS 2024/8 finns redan på rad 2") },
      ]);
    }
  });

  for (const [how, lots] of [
    ["in one batch", {}],
    ["in the lot before", { batchSize: 1, lookupRows: 1 }],
  ] as const) {
    it(`loses its case to an earlier row that names it by an identifier, ${how}, as a compared row would`, async () => {
      await emptyDatabase(database.db);
      const known = "kf,KF,KS 2024/7,Motion 2024:3,motion,Motion om träd";
      await importFile(await writeTemp("known.csv", `${header}\n${known}\n`));
      const file = await writeTemp(
        "earlier.csv",
        `${header}\nkf,KF,,Motion 2024:3,motion,Motion om träd och buskar\n${known}\n`,
      );
      const passed = await importFile(file, lots);
      expect(passed).toMatchObject({ created: 0, updated: 1, unchanged: 0 });
      expect(passed.rejected).toEqual([
        { line: 3, reason: expect.stringContaining("Samma ärende som rad 2") },
      ]);
      expect(await query("select title from cases")).toEqual([{ title: "Motion om träd och buskar" }]);
    });
  }

  it("is never a row without a dnr, which other cases' identifiers can make ambiguous", async () => {
    await emptyDatabase(database.db);
    const withoutDnr = await writeTemp("x.csv", `${header}\nkf,KF,,Motion 2024:3,motion,T\n`);
    await importFile(withoutDnr);
    await importFile(await writeTemp("y.csv", `${header}\nkf,KF,KS 2024/9,PM 2024:1,motion,A\n`));
    // Another case takes the identifier; the first case itself is not written.
    await importFile(
      await writeTemp("y2.csv", `${header}\nkf,KF,KS 2024/9,PM 2024:1; Motion 2024:3,motion,A\n`),
    );
    const report = await importFile(withoutDnr);
    expect(report.rejected).toEqual([
      { line: 2, reason: expect.stringContaining("Identifierarna passar 2 ärenden") },
    ]);
  });

  it("has its deadlines computed again when the deadline rules change", async () => {
    await emptyDatabase(database.db);
    await importFile(DEMO);
    const policy = `select d.due_on from deadlines d join cases c on c.id = d.case_id
      where c.dnr = '108-1642/2017' and d.kind = 'policy'`;
    const [before] = await query<{ due_on: string }>(policy);
    expect(before).toBeDefined();
    const report = await importFile(DEMO, { rules: { ...DEFAULT_DEADLINE_RULES, skrivelseMonths: 6 } });
    expect(report.entities.deadline.updated).toBeGreaterThan(0);
    const [after] = await query<{ due_on: string }>(policy);
    expect(after?.due_on).not.toEqual(before?.due_on);
  });
});

describe("the planner's statistics after an import", () => {
  const lastAnalyzed = async (table: string) =>
    (
      await query<{ at: string | null }>(
        `SELECT last_analyze::text AS at FROM pg_stat_user_tables WHERE relid = to_regclass('${table}')`,
      )
    )[0]?.at ?? null;
  const estimatedRows = async (table: string) =>
    Number(
      (
        await query<{ n: number }>(
          `SELECT reltuples::float8 AS n FROM pg_class WHERE oid = to_regclass('${table}')`,
        )
      )[0]?.n,
    );

  it("are renewed where the import filled a table, and left as they were after a few changes", async () => {
    await emptyDatabase(database.db);
    const generated = generateCasesCsv(300, { registry: "stat", registryName: "Statistik" });
    await importFile(await writeTemp("statistics.csv", generated));
    // Without them the planner takes the tables for empty (the embedded database has no autovacuum).
    expect(await estimatedRows("cases")).toBe(300);
    expect(await estimatedRows("case_fingerprints")).toBe(300);
    expect(await estimatedRows("audit_events")).toBeGreaterThanOrEqual(300);
    const analyzed = await lastAnalyzed("cases");
    expect(analyzed).not.toBeNull();

    const [header, ...rows] = generated.trimEnd().split("\n");
    const retitled = rows.slice(0, 5).map((row) => row.replace("Exempelärende", "Omdöpt ärende"));
    const report = await importFile(await writeTemp("five.csv", [header, ...retitled].join("\n")));
    expect(report.updated).toBe(5);
    expect(await lastAnalyzed("cases")).toBe(analyzed);
  });
});

describe("lots looked up while the lot before is written", () => {
  const header = "registry,registry_name,dnr,identifiers,kind,title";

  async function importCsv(
    content: string,
    options: { batchSize: number; lookupRows: number; onProgress?: () => void; breakAfter?: number },
  ) {
    const file = await writeTemp("lots.csv", content);
    const ctx = createContext({ db: database.db, clock, actor: importActor(file) });
    const source = await readImportFile(file, { known: () => knownNames(ctx) });
    const { breakAfter } = options;
    if (breakAfter !== undefined) {
      const rows = source.cases;
      source.cases = (async function* () {
        let read = 0;
        for await (const item of rows) {
          if (read++ === breakAfter) throw new Error("the file could not be read further");
          yield item;
        }
      })();
    }
    return importRegistry(ctx, { source, ...options });
  }

  it("still refuses the later of two rows for one case when the earlier ends a lot", async () => {
    await emptyDatabase(database.db);
    const row = (dnr: string, title: string) => `kf,KF,${dnr},,motion,${title}`;
    const report = await importCsv(
      `${header}\n${row("KS 2024/1", "A")}\n${row("KS 2024/2", "B")}\n${row("KS 2024/2", "C")}\n`,
      { batchSize: 1, lookupRows: 2 },
    );
    expect(report.rejected).toEqual([{ line: 4, reason: expect.stringContaining("finns redan på rad 3") }]);
    expect(await query("select title from cases order by dnr")).toEqual([{ title: "A" }, { title: "B" }]);
  });

  it("writes nothing more once a sync has lost its claim or the file breaks off, and says which", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on("unhandledRejection", onUnhandled);
    try {
      const generated = generateCasesCsv(300, { registry: "lot", registryName: "Lotter" });
      const casesNow = async () => single("select count(*) as n from cases");
      for (const stop of [
        { onProgress: lostAfter(7), error: "claim lost" },
        { breakAfter: 120, error: "the file could not be read further" },
      ]) {
        await emptyDatabase(database.db);
        const { error, ...how } = stop;
        await expect(importCsv(generated, { batchSize: 10, lookupRows: 50, ...how })).rejects.toThrow(error);
        const written = await casesNow();
        expect(written).toBeGreaterThan(0);
        expect(written).toBeLessThan(300);
        await new Promise((resolve) => setTimeout(resolve, 300));
        expect(await casesNow()).toBe(written);
      }
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});

function lostAfter(calls: number): () => void {
  let called = 0;
  return () => {
    called += 1;
    if (called > calls) throw new Error("claim lost");
  };
}

describe("a batch the database refuses", () => {
  it("costs only the row at fault: the known rows around it still count as unchanged", async () => {
    await emptyDatabase(database.db);
    const generated = generateCasesCsv(60, { registry: "fel", registryName: "Fel" });
    await importFile(await writeTemp("before.csv", generated));
    await database.db.execute(sql`
      CREATE FUNCTION refuse_title() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'titeln tas inte emot'; END $$`);
    await database.db.execute(sql`
      CREATE TRIGGER refuse_title BEFORE UPDATE ON cases FOR EACH ROW
        WHEN (NEW.title = 'Avvisas av databasen') EXECUTE FUNCTION refuse_title()`);
    try {
      const [header, ...rows] = generated.trimEnd().split("\n");
      const changed = rows.map((row, index) =>
        index === 29 ? row.replace(/Exempelärende 30 om [^,]*/, "Avvisas av databasen") : row,
      );
      const report = await importFile(await writeTemp("after.csv", [header, ...changed].join("\n")));
      expect(report).toMatchObject({ created: 0, updated: 0, unchanged: 59 });
      expect(report.rejected).toEqual([
        { line: 31, reason: expect.stringContaining("titeln tas inte emot") },
      ]);
    } finally {
      await database.db.execute(sql`DROP TRIGGER refuse_title ON cases`);
      await database.db.execute(sql`DROP FUNCTION refuse_title()`);
    }
  });
});
