import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../src/db/client.js";
import {
  DataDirInUseError,
  DataDirUnusableError,
  LOCK_FILE_NAME,
  lockDataDir,
} from "../../src/db/data-dir-lock.js";
import { createTestDatabase } from "../support/test-database.js";

let root: string;
let count = 0;
const children: ChildProcess[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "arendebot-lock-unit-"));
});
afterEach(() => {
  for (const child of children.splice(0)) child.kill("SIGKILL");
});
afterAll(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

async function freshDir(): Promise<string> {
  const dir = join(root, `d${++count}`);
  await mkdir(dir);
  return dir;
}

const opener = { what: "arendebot roll lista", bot: false };
const lockFile = (dir: string) => join(dir, LOCK_FILE_NAME);

/** A process that is alive until the test ends. */
async function liveProcess(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });
  children.push(child);
  await once(child, "spawn");
  return child;
}

/** The pid of a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await once(child, "exit");
  return child.pid as number;
}

async function writeLock(dir: string, fields: Record<string, unknown>): Promise<string> {
  const content = JSON.stringify({
    what: "the bot (npm start)",
    bot: true,
    hostname: hostname(),
    startedAt: "2017-04-03T06:00:00.000Z",
    ...fields,
  });
  await writeFile(lockFile(dir), content);
  return content;
}

async function refusal(dir: string): Promise<DataDirInUseError> {
  const error = await lockDataDir(dir, opener).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(DataDirInUseError);
  return error as DataDirInUseError;
}

describe("the lock on DATA_DIR", () => {
  it("is exclusive, names its holder, and is gone once released", async () => {
    const dir = await freshDir();
    const lock = await lockDataDir(dir, { what: "the bot (npm start)", bot: true });
    expect(JSON.parse(await readFile(lockFile(dir), "utf8"))).toMatchObject({
      what: "the bot (npm start)",
      bot: true,
      pid: process.pid,
      hostname: hostname(),
    });
    // Within one process too: two PGlite instances on the same files are as bad as two processes.
    expect((await refusal(dir)).holder).toMatchObject({ pid: process.pid, what: "the bot (npm start)" });

    lock.release();
    lock.release();
    expect(existsSync(lockFile(dir))).toBe(false);
    (await lockDataDir(dir, opener)).release();
  });

  it("refuses while the holder lives, and takes over once it is gone", async () => {
    const dir = await freshDir();
    const holder = await liveProcess();
    await writeLock(dir, { pid: holder.pid });
    const refused = await refusal(dir);
    expect(refused.holder).toMatchObject({ pid: holder.pid, what: "the bot (npm start)", bot: true });
    expect(refused.onAnotherHost).toBe(false);

    holder.kill("SIGKILL");
    await once(holder, "exit");
    const lock = await lockDataDir(dir, opener);
    expect(JSON.parse(readFileSync(lockFile(dir), "utf8"))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it("takes over a lock whose pid is dead, from an earlier boot, reused, or our own from a previous life", async () => {
    const live = await liveProcess();
    const cases: Record<string, unknown>[] = [
      { pid: await deadPid() },
      { pid: live.pid, bootId: "00000000-0000-0000-0000-000000000000" },
      // Our pid, written by a process that had it before us (as pid 1 in a restarted container).
      { pid: process.pid },
    ];
    if (existsSync(`/proc/${live.pid}/stat`)) cases.push({ pid: live.pid, processStart: "1" });
    for (const fields of cases) {
      const dir = await freshDir();
      await writeLock(dir, fields);
      const lock = await lockDataDir(dir, opener);
      expect(JSON.parse(readFileSync(lockFile(dir), "utf8")), JSON.stringify(fields)).toMatchObject({
        pid: process.pid,
        what: opener.what,
      });
      lock.release();
    }
  });

  it("refuses a holder on another host, which it cannot check, and says which file to delete", async () => {
    const dir = await freshDir();
    await writeLock(dir, { pid: await deadPid(), hostname: "some-other-host" });
    const refused = await refusal(dir);
    expect(refused.onAnotherHost).toBe(true);
    expect(refused.lockFile).toBe(lockFile(dir));
  });

  it("takes over a lock file it cannot read once it is old, not while it may still be being written", async () => {
    const dir = await freshDir();
    await writeFile(lockFile(dir), "");
    const started = Date.now();
    const pending = lockDataDir(dir, opener);
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Still waiting: an empty lock file this young is another opener between its create and its write.
    expect(readFileSync(lockFile(dir), "utf8")).toBe("");
    const old = new Date(Date.now() - 60_000);
    await utimes(lockFile(dir), old, old);
    const lock = await pending;
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(JSON.parse(readFileSync(lockFile(dir), "utf8"))).toMatchObject({ pid: process.pid });
    lock.release();
  });

  it("does not release a lock it no longer holds", async () => {
    const dir = await freshDir();
    const lock = await lockDataDir(dir, opener);
    // Someone judged us gone and took over (a clock or pid mix-up): their lock must stay.
    const theirs = await writeLock(dir, { pid: 99999999 });
    lock.release();
    expect(readFileSync(lockFile(dir), "utf8")).toBe(theirs);
  });

  it("reports a DATA_DIR that cannot be a directory", async () => {
    const file = join(await freshDir(), "file");
    await writeFile(file, "");
    const error = await lockDataDir(join(file, "data"), opener).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(DataDirUnusableError);
    expect(error).toMatchObject({ code: "ENOTDIR", fileInTheWay: file, dataDir: join(file, "data") });
  });

  it("is taken by openDatabase on the embedded database and released by close", async () => {
    const dir = await freshDir();
    const database = await openDatabase({ kind: "pglite", dataDir: dir }, { opener });
    try {
      expect(existsSync(lockFile(dir))).toBe(true);
      await expect(openDatabase({ kind: "pglite", dataDir: dir })).rejects.toBeInstanceOf(DataDirInUseError);
      // The tests' in-memory databases are not locked: several at once, beside a locked one.
      const [a, b] = await Promise.all([createTestDatabase(), createTestDatabase()]);
      await Promise.all([a.destroy(), b.destroy()]);
    } finally {
      await database.close();
    }
    expect(existsSync(lockFile(dir))).toBe(false);
  }, 60_000);
});
