import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registryWritesCommitted, rowsOf } from "../../src/db/client.js";
import { forgetRegistryWritesSeenBy, registryWritesSince } from "../../src/modules/cases/cases.repository.js";
import { findCaseStatus } from "../../src/modules/cases/get-case-status.js";
import { Seeder } from "../support/seed-rows.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await new Seeder(database.db).case({
    dnr: "108-1642/2017",
    kind: "skrivelse",
    title: "Bristerna inom socialtjänsten",
    publicTitle: "Bristerna inom socialtjänsten",
    responsibleBody: "kommunstyrelsen",
    identifiers: ["PM 2017:95 RVI+VIII"],
    referrals: [{ body: "stadsledningskontoret", state: "open", dueOn: "2017-01-13" }],
    timeline: [
      {
        kind: "proposal",
        body: "borgarrådsberedningen",
        occurredOn: "2017-05-04",
        text: "Förslag till beslut",
      },
    ],
  });
});

afterAll(async () => {
  await database.destroy();
});

async function titleOf(query: string): Promise<string | undefined> {
  const result = await findCaseStatus({ db: database.db, query });
  return result.type === "found" ? result.cases[0]?.title : undefined;
}

describe("the status lookup's cache, against the database", () => {
  it("answers a title changed by SQL typed by hand at once, by dnr and by series number", async () => {
    expect(await titleOf("Dnr 108-1642/2017")).toBe("Bristerna inom socialtjänsten");
    expect(await titleOf("PM 2017:95 RVI+VIII")).toBe("Bristerna inom socialtjänsten");
    await database.db.execute(
      sql`UPDATE cases SET title = 'Brister i socialtjänsten' WHERE dnr = '108-1642/2017'`,
    );
    expect(await titleOf("Dnr 108-1642/2017")).toBe("Brister i socialtjänsten");
    expect(await titleOf("PM 2017:95 RVI+VIII")).toBe("Brister i socialtjänsten");
  });

  it.each([
    ["registries", sql`UPDATE registries SET name = name`],
    ["bodies", sql`UPDATE bodies SET name = name`],
    ["cases", sql`UPDATE cases SET title = title`],
    ["case_identifiers", sql`UPDATE case_identifiers SET display = display`],
    ["referrals", sql`UPDATE referrals SET due_on = due_on`],
    ["referral_responses", sql`DELETE FROM referral_responses WHERE false`],
    ["timeline_entries", sql`UPDATE timeline_entries SET occurred_on = occurred_on`],
    ["deadlines", sql`DELETE FROM deadlines WHERE false`],
  ])("a write to %s is seen as a change", async (_table, write) => {
    const { snapshot } = await registryWritesSince(database.db, null);
    expect((await registryWritesSince(database.db, snapshot)).changed).toBe(false);
    await database.db.execute(write);
    expect((await registryWritesSince(database.db, snapshot)).changed).toBe(true);
  });

  it("on the embedded database, is told of each commit that wrote what a card shows, before its answer", async ({
    skip,
  }) => {
    // A PostgreSQL server is written by other processes too: its cache asks registry_writes instead.
    const told = registryWritesCommitted(database.db);
    if (!told) return skip();
    const before = told.committed();
    await database.db.execute(sql`UPDATE cases SET title = title`);
    expect(told.committed()).toBe(before + 1);
    await database.db.execute(sql`DELETE FROM slack_receipts WHERE false`);
    expect(told.committed()).toBe(before + 1);
    await database.db.transaction(async (tx) => {
      await tx.execute(sql`UPDATE cases SET title = title`);
      await tx.execute(sql`UPDATE referrals SET due_on = due_on`);
      expect(told.committed()).toBe(before + 1);
    });
    expect(told.committed()).toBe(before + 2);
    const undone = database.db.transaction(async (tx) => {
      await tx.execute(sql`UPDATE cases SET title = 'Ångrad' WHERE dnr = '108-1642/2017'`);
      throw new Error("användaren ångrade sig");
    });
    await expect(undone).rejects.toThrow("användaren ångrade sig");
    expect(told.committed()).toBe(before + 2);
  });

  it("a write to a table no card shows is not", async () => {
    const { snapshot } = await registryWritesSince(database.db, null);
    await database.db.execute(sql`DELETE FROM slack_receipts WHERE false`);
    expect((await registryWritesSince(database.db, snapshot)).changed).toBe(false);
  });

  it("a transaction still running when the snapshot was taken is seen once it commits", async ({ skip }) => {
    // Two transactions at once need two sessions; PGlite has one.
    if (database.kind !== "postgres") skip();
    let snapshotTaken: () => void = () => {};
    const taken = new Promise<void>((resolve) => {
      snapshotTaken = resolve;
    });
    let snapshot = "";
    const writing = database.db.transaction(async (tx) => {
      await tx.execute(sql`UPDATE cases SET title = 'Skriven under kontrollen' WHERE dnr = '108-1642/2017'`);
      snapshot = (await registryWritesSince(database.db, null)).snapshot;
      snapshotTaken();
      await new Promise((resolve) => setTimeout(resolve, 50));
    });
    await taken;
    expect((await registryWritesSince(database.db, snapshot)).changed).toBe(false);
    await writing;
    expect((await registryWritesSince(database.db, snapshot)).changed).toBe(true);
    expect(await titleOf("Dnr 108-1642/2017")).toBe("Skriven under kontrollen");
  });

  it("pruning forgets only writes that had ended when the previous run's snapshot was taken", async () => {
    const write = () =>
      database.db.transaction(async (tx) => {
        await tx.execute(sql`UPDATE cases SET title = title`);
        return rowsOf<{ txid: string }>(await tx.execute(sql`SELECT pg_current_xact_id()::text AS txid`))[0]
          ?.txid;
      });
    const kept = async (txid: string | undefined) =>
      rowsOf<{ n: number }>(
        await database.db.execute(
          sql`SELECT count(*)::int AS n FROM registry_writes WHERE txid = ${txid}::xid8`,
        ),
      )[0]?.n === 1;
    const before = await write();
    const first = await forgetRegistryWritesSeenBy(database.db, null);
    expect(first.forgotten).toBe(0);
    const after = await write();
    const second = await forgetRegistryWritesSeenBy(database.db, first.snapshot);
    // A write after the previous run's snapshot stays for a later run, whatever else runs.
    expect(await kept(after)).toBe(true);
    // Transactions of other databases on a shared server hold a snapshot's xmin back, so a later run
    // may be needed before the older writes go; a few runs apart they all do.
    let previous = second.snapshot;
    for (let run = 0; run < 50 && ((await kept(before)) || (await kept(after))); run += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      previous = (await forgetRegistryWritesSeenBy(database.db, previous)).snapshot;
    }
    expect(await kept(before)).toBe(false);
    expect(await kept(after)).toBe(false);
  });
});
