import { randomBytes } from "node:crypto";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { generateCasesCsv } from "../../src/modules/import/generate-sample.js";
import { FakeSlack } from "../support/fake-slack.js";
import { withDatabase } from "../support/global-setup.js";
import {
  finish,
  killIfRunning,
  runCli,
  type Started,
  startCompiledMain,
  waitForOutput,
} from "../support/processes.js";
import { freePort } from "../support/running-bot.js";

/**
 * The scheduled sync across real processes on one PostgreSQL database: a sync killed half-way is
 * finished by the next one without losing or duplicating a case, and replicas starting together
 * import an export once and post its summary once.
 */
describe.runIf(process.env.TEST_DATABASE_URL)("sync from the diarium, across processes", () => {
  let admin: postgres.Sql;
  let slack: FakeSlack;
  let folder: string;
  const databases: string[] = [];
  const started: Started[] = [];

  /** A migrated database of its own (a copy of the run's template). */
  async function database(): Promise<string> {
    const setup = inject("testDatabase");
    if (setup.kind !== "postgres") throw new Error("needs TEST_DATABASE_URL");
    const name = `${setup.template}_sync_${randomBytes(3).toString("hex")}`;
    await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${setup.template}`);
    databases.push(name);
    return withDatabase(setup.adminUrl, name);
  }

  async function query<T>(url: string, text: string): Promise<T[]> {
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      return (await sql.unsafe(text)) as unknown as T[];
    } finally {
      await sql.end();
    }
  }

  beforeAll(async () => {
    admin = postgres(process.env.TEST_DATABASE_URL ?? "", { max: 1, onnotice: () => {} });
    slack = new FakeSlack();
    await slack.start();
    folder = await mkdtemp(join(tmpdir(), "arendebot-sync-e2e-"));
  });

  afterAll(async () => {
    for (const process of started) await killIfRunning(process);
    await slack?.stop();
    for (const name of databases) await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin?.end();
    await rm(folder, { recursive: true, force: true });
  });

  it("a sync killed half-way is finished by the next one: every case once, none lost", async () => {
    const url = await database();
    const rows = 20_000;
    const exportDir = join(folder, "killed");
    await import("node:fs/promises").then(({ mkdir }) => mkdir(exportDir));
    await writeFile(
      join(exportDir, "arenden.csv"),
      generateCasesCsv(rows, { registry: "synk", registryName: "Synk" }),
    );
    const env = {
      DATABASE_URL: url,
      ARENDE_SYNC_SOURCE: exportDir,
      ARENDE_SYNC_LEASE_SECONDS: "5",
      LOG_LEVEL: "warn",
    };
    const { spawn } = await import("node:child_process");
    const first = spawn(process.execPath, ["bin/arendebot.js", "sync"], {
      cwd: new URL("../..", import.meta.url).pathname,
      env: { PATH: process.env.PATH ?? "", HOME: process.env.HOME ?? tmpdir(), ...env },
      stdio: "ignore",
    });
    // Killed once some batches are in, and long before all of them are.
    let written = 0;
    const deadline = Date.now() + 60_000;
    while (written < 2_000) {
      if (Date.now() > deadline) throw new Error(`only ${written} cases written within a minute`);
      await new Promise((resolve) => setTimeout(resolve, 100));
      [{ n: written }] = (await query<{ n: number }>(url, "SELECT count(*)::int AS n FROM cases")) as [
        { n: number },
      ];
    }
    first.kill("SIGKILL");
    await new Promise((resolve) => first.once("exit", resolve));
    const [{ n: leftBehind }] = (await query<{ n: number }>(url, "SELECT count(*)::int AS n FROM cases")) as [
      { n: number },
    ];
    expect(leftBehind).toBeLessThan(rows);

    // Its claim is still live for a few seconds: a sync now leaves it alone.
    const tooSoon = await runCli(["sync"], env, 60_000);
    expect(tooSoon.stdout).toContain("en annan process synkar samma export just nu");
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    const second = await runCli(["sync"], env, 120_000);
    expect(second.stderr).toBe("");
    expect(second.stdout).toContain(`${rows - leftBehind} nya`);
    expect(second.code).toBe(0);

    const [counts] = await query<{ cases: number; distinct_dnrs: number; imported: number }>(
      url,
      `SELECT (SELECT count(*)::int FROM cases) AS cases,
              (SELECT count(DISTINCT dnr_key)::int FROM cases) AS distinct_dnrs,
              (SELECT count(*)::int FROM audit_events WHERE action = 'case.imported') AS imported`,
    );
    expect(counts).toEqual({ cases: rows, distinct_dnrs: rows, imported: rows });
    const [run] = await query<{ state: string; attempts: number }>(
      url,
      "SELECT state, attempts FROM sync_runs",
    );
    expect(run).toEqual({ state: "done", attempts: 2 });
  }, 240_000);

  it("two bots starting together import an export once and post its summary once", async () => {
    const url = await database();
    const exportDir = join(folder, "replicas");
    await import("node:fs/promises").then(({ mkdir }) => mkdir(exportDir));
    await writeFile(
      join(exportDir, "arenden.csv"),
      generateCasesCsv(300, { registry: "replik", registryName: "Replik" }),
    );
    const env = {
      DATABASE_URL: url,
      SLACK_BOT_TOKEN: "xoxb-test-token",
      SLACK_SIGNING_SECRET: "test-signing-secret",
      SLACK_API_URL: slack.apiUrl,
      ARENDE_SYNC_SOURCE: exportDir,
      ARENDE_SYNC_CHANNEL: "CSYNK0001",
    };
    const bots = await Promise.all(
      [0, 1].map(async () => {
        const bot = startCompiledMain({ ...env, PORT: String(await freePort()) });
        started.push(bot);
        return bot;
      }),
    );
    for (const bot of bots) await waitForOutput(bot, "arendebot is running", 60_000);
    const [posted] = await slack.waitForCalls("chat.postMessage", 1, 60_000);
    expect(posted?.body.channel).toBe("CSYNK0001");
    expect(String(posted?.body.text)).toBe(
      "Synk från diariet (`arenden.csv`): 300 nya ärenden, 0 ändrade, 0 avvisade rader.",
    );
    // Both have run their start-up sync by now (the import is done and summarised once).
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(
      slack.callsTo("chat.postMessage").filter((call) => call.body.channel === "CSYNK0001"),
    ).toHaveLength(1);
    const [counts] = await query<{ cases: number; runs: number }>(
      url,
      "SELECT (SELECT count(*)::int FROM cases) AS cases, (SELECT count(*)::int FROM sync_runs) AS runs",
    );
    expect(counts).toEqual({ cases: 300, runs: 1 });
    for (const bot of bots) {
      bot.child.kill("SIGTERM");
      await finish(bot, 20_000);
    }
  }, 180_000);
});
