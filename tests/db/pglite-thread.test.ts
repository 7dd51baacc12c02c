import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Worker } from "node:worker_threads";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ThreadedPGlite } from "../../src/db/client.js";

/** The embedded database in its worker thread, as the bot runs it. */

let db: ThreadedPGlite;

beforeAll(async () => {
  db = await ThreadedPGlite.start({});
  await db.exec("create table notes (id int primary key, text text not null)");
});

afterAll(async () => {
  await db?.close();
});

describe("the embedded database in a worker thread", () => {
  it("answers queries with parameters, as rows or arrays", async () => {
    await db.query("insert into notes values ($1, $2)", [1, "Snöröjning på Årstaängsvägen"]);
    const rows = await db.query("select id, text from notes where id = $1", [1]);
    expect(rows.rows).toEqual([{ id: 1, text: "Snöröjning på Årstaängsvägen" }]);
    const arrays = await db.query("select id, text from notes", [], { rowMode: "array" });
    expect(arrays.rows).toEqual([[1, "Snöröjning på Årstaängsvägen"]]);
  });

  it("gives json and jsonb values parsed, as rows or arrays, in a transaction too", async () => {
    const sql = `select '{"namn":"Årsta","nummer":[1,2]}'::jsonb as doc, '[null,"två"]'::json as list,
      null::jsonb as nothing`;
    const values = [{ namn: "Årsta", nummer: [1, 2] }, [null, "två"], null];
    expect((await db.query(sql)).rows).toEqual([{ doc: values[0], list: values[1], nothing: null }]);
    expect((await db.query(sql, [], { rowMode: "array" })).rows).toEqual([values]);
    await db.transaction(async (tx) => {
      expect((await tx.query(sql, [], { rowMode: "array" })).rows).toEqual([values]);
    });
  });

  it("keeps a failed statement's SQLSTATE and constraint, as drizzle's callers read them", async () => {
    const failure = await db.query("insert into notes values (1, 'igen')").catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(Error);
    expect(failure).toMatchObject({ code: "23505", constraint: "notes_pkey" });
  });

  it("commits a transaction as a whole, and rolls one back that fails, while others wait their turn", async () => {
    await db.transaction(async (tx) => {
      await tx.query("insert into notes values (2, 'två')");
      await tx.query("insert into notes values (3, 'tre')");
    });
    const failed = db.transaction(async (tx) => {
      await tx.query("insert into notes values (4, 'fyra')");
      throw new Error("användaren ångrade sig");
    });
    // A query outside the transaction runs after it, and sees nothing of it.
    const outside = db.query("select count(*)::int as n from notes");
    await expect(failed).rejects.toThrow("användaren ångrade sig");
    expect((await outside).rows).toEqual([{ n: 3 }]);
  });

  it("tells once when its thread dies, and every later call fails instead of waiting", async () => {
    const failures: Error[] = [];
    const dying = await ThreadedPGlite.start({}, (error) => failures.push(error));
    await (dying as unknown as { worker: Worker }).worker.terminate();
    await expect(dying.query("select 1")).rejects.toThrow(/stopped/);
    await expect(dying.query("select 1")).rejects.toThrow(/stopped/);
    expect(failures).toHaveLength(1);
  });
});

describe("the embedded database opened again in a new thread (after a burst, to give its memory back)", () => {
  let dataDir: string;
  let onDisk: ThreadedPGlite;
  const threadOf = (client: ThreadedPGlite) => (client as unknown as { worker: Worker }).worker.threadId;
  // What the registry_writes triggers send when a write that a card shows commits (migration 0019).
  const committedWrite = (text: string) =>
    onDisk.transaction(async (tx) => {
      await tx.query("insert into notes (text) values ($1)", [text]);
      await tx.query("select pg_notify('registry_writes', '')");
    });

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), "arendebot-reopen-"));
    onDisk = await ThreadedPGlite.start({ dataDir });
    await onDisk.exec("create table notes (id serial primary key, text text not null)");
    await committedWrite("Remiss om parkeringsnorm");
  });

  afterAll(async () => {
    await onDisk?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("keeps what was committed, answers what was asked meanwhile, and goes on counting commits", async () => {
    const thread = threadOf(onDisk);
    expect(onDisk.registryWritesCommitted()).toBe(1);
    const reopening = onDisk.restart();
    const askedMeanwhile = onDisk.query("select text from notes order by id");
    expect(await reopening).toBe(true);
    expect(threadOf(onDisk)).not.toBe(thread);
    expect((await askedMeanwhile).rows).toEqual([{ text: "Remiss om parkeringsnorm" }]);
    // The new thread listens too: a card's cached answer would otherwise outlive a write.
    await committedWrite("Motion om cykelbanor");
    expect(onDisk.registryWritesCommitted()).toBe(2);
    expect((await onDisk.query("select count(*)::int as n from notes")).rows).toEqual([{ n: 2 }]);
  });

  it("is not done while a query or a transaction is open, nor for a database kept only in memory", async () => {
    const thread = threadOf(onDisk);
    let finish = () => {};
    const finished = new Promise<void>((resolve) => {
      finish = resolve;
    });
    let inserted = () => {};
    const insertedNow = new Promise<void>((resolve) => {
      inserted = resolve;
    });
    const open = onDisk.transaction(async (tx) => {
      await tx.query("insert into notes (text) values ('Skrivelse om snöröjning')");
      inserted();
      await finished;
    });
    await insertedNow;
    expect(await onDisk.restart()).toBe(false);
    finish();
    await open;
    const slow = onDisk.query("select pg_sleep(0.2)");
    expect(await onDisk.restart()).toBe(false);
    await slow;
    expect(threadOf(onDisk)).toBe(thread);
    expect((await onDisk.query("select count(*)::int as n from notes")).rows).toEqual([{ n: 3 }]);
    expect(await db.restart()).toBe(false);
  });

  it("starts a transaction asked for during a restart in the new thread, and closes after a restart", async () => {
    const reopening = onDisk.restart();
    const written = onDisk.transaction(async (tx) => {
      await tx.query("insert into notes (text) values ('Motion om bänkar')");
    });
    const closing = onDisk.close();
    expect(await reopening).toBe(true);
    await written;
    await closing;
    await expect(onDisk.query("select 1")).rejects.toThrow(/closed/);
    onDisk = await ThreadedPGlite.start({ dataDir });
    expect((await onDisk.query("select text from notes where text = 'Motion om bänkar'")).rows).toHaveLength(
      1,
    );
  });
});

describe("the embedded database when its data directory cannot be opened again", () => {
  const removed = (dataDir: string) => rmSync(dataDir, { recursive: true, force: true });
  it.each([
    ["removed", removed, /no longer holds the database/],
    [
      "replaced by a file",
      (dataDir: string) => {
        removed(dataDir);
        writeFileSync(dataDir, "ingen databas här");
      },
      /no longer holds the database/,
    ],
    // PGlite itself fails to open it, twice (the second try), each thread ended after its failure.
    ["without its control file", (dataDir: string) => rmSync(join(dataDir, "global", "pg_control")), /./],
  ])(
    "(%s) fails once, rejects what waited, makes no new database and still closes",
    async (_, damage, reason) => {
      const dataDir = mkdtempSync(join(tmpdir(), "arendebot-reopen-fails-"));
      const failures: Error[] = [];
      const client = await ThreadedPGlite.start({ dataDir }, (error) => failures.push(error));
      try {
        await client.exec("create table notes (text text)");
        damage(dataDir);
        const reopening = client.restart();
        const waiting = client.query("select 1");
        expect(await reopening).toBe(false);
        await expect(waiting).rejects.toThrow(reason);
        expect(failures).toHaveLength(1);
        // PGlite would have made a new, empty database in a directory that is gone.
        if (damage === removed) expect(existsSync(dataDir)).toBe(false);
        await client.close();
      } finally {
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
    // Up to three database threads start in turn, each loading its module through tsx.
    60_000,
  );
});
