import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import postgres from "postgres";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { MIGRATION_LOCK_KEY } from "../../src/db/client.js";
import { FakeSlack } from "../support/fake-slack.js";
import { withDatabase } from "../support/global-setup.js";
import {
  exitCodeWithin,
  killIfRunning,
  runMigrate,
  type Started,
  startMain,
  waitForOutput,
} from "../support/processes.js";
import { freePort } from "../support/running-bot.js";

/**
 * Replicas share one PostgreSQL database and each applies pending migrations when it starts. Started
 * at once on an empty database, they must migrate it once between them (under an advisory lock), and
 * all of them must then serve.
 */

const journal = JSON.parse(
  await readFile(new URL("../../db/migrations/meta/_journal.json", import.meta.url), "utf8"),
) as { entries: { tag: string }[] };

describe.runIf(process.env.TEST_DATABASE_URL)("migrations shared by replicas on PostgreSQL", () => {
  let admin: postgres.Sql;
  let slack: FakeSlack;
  const databases: string[] = [];
  const started: Started[] = [];

  /** A new, empty database (not a copy of the migrated template); dropped after the file. */
  async function emptyDatabase(): Promise<string> {
    const setup = inject("testDatabase");
    if (setup.kind !== "postgres") throw new Error("needs TEST_DATABASE_URL");
    const name = `${setup.template}_replicas_${randomBytes(3).toString("hex")}`;
    await admin.unsafe(`CREATE DATABASE ${name}`);
    databases.push(name);
    return withDatabase(setup.adminUrl, name);
  }

  async function appliedMigrations(url: string): Promise<{ hash: string; times: number }[]> {
    const sql = postgres(url, { max: 1, onnotice: () => {} });
    try {
      return await sql<{ hash: string; times: number }[]>`
        SELECT hash, count(*)::int AS times FROM drizzle.__drizzle_migrations GROUP BY hash`;
    } finally {
      await sql.end();
    }
  }

  beforeAll(async () => {
    admin = postgres(process.env.TEST_DATABASE_URL ?? "", { max: 1, onnotice: () => {} });
    slack = new FakeSlack();
    await slack.start();
  });

  afterAll(async () => {
    for (const replica of started) await killIfRunning(replica);
    await slack?.stop();
    for (const name of databases) await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin?.end();
  });

  it("three bots started at once on an empty database migrate it once and all serve", async () => {
    const url = await emptyDatabase();
    const ports = [await freePort(), await freePort(), await freePort()];
    const replicas = ports.map((port) =>
      startMain({
        SLACK_BOT_TOKEN: "xoxb-replicas-test-token",
        SLACK_SIGNING_SECRET: "replicas-test-signing-secret",
        SLACK_API_URL: slack.apiUrl,
        DATABASE_URL: url,
        PORT: String(port),
        LOG_LEVEL: "warn",
      }),
    );
    started.push(...replicas);

    await Promise.all(replicas.map((replica) => waitForOutput(replica, "arendebot is running", 90_000)));
    for (const replica of replicas) {
      expect(replica.stdout()).toContain("postgres database");
      expect(replica.stderr()).toBe("");
    }

    const applied = await appliedMigrations(url);
    expect(applied).toHaveLength(journal.entries.length);
    expect(applied.every(({ times }) => times === 1)).toBe(true);

    for (const port of ports) {
      expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
      const ready = await fetch(`http://127.0.0.1:${port}/readyz`);
      expect(ready.status).toBe(200);
      expect(await ready.text()).toBe("ready\n");
    }

    for (const replica of replicas) replica.child.kill("SIGTERM");
    for (const replica of replicas) expect(await exitCodeWithin(replica, 15_000)).toBe(0);
  }, 150_000);

  it("npm run db:migrate waits while another holds the migration lock, then finds nothing to do", async () => {
    const url = await emptyDatabase();
    const holder = postgres(url, { max: 1, onnotice: () => {} });
    try {
      await holder`SELECT pg_advisory_lock(${MIGRATION_LOCK_KEY}::bigint)`;
      const migrating = runMigrate({ DATABASE_URL: url }, 60_000);
      // It connects and asks for the lock; while the lock is held it waits, having changed nothing.
      const waiting = async () => {
        const rows = await holder<{ waiting: number }[]>`
          SELECT count(*)::int AS waiting FROM pg_locks l JOIN pg_database d ON d.oid = l.database
          WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = current_database()`;
        return rows[0]?.waiting ?? 0;
      };
      const deadline = Date.now() + 30_000;
      while ((await waiting()) === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(await waiting()).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      expect(await waiting()).toBe(1);
      expect(await holder`SELECT 1 FROM pg_namespace WHERE nspname = 'drizzle'`).toHaveLength(0);

      await holder`SELECT pg_advisory_unlock(${MIGRATION_LOCK_KEY}::bigint)`;
      const result = await migrating;
      expect(result.code, result.stderr).toBe(0);
      expect(result.stdout).toContain("Migrations applied (postgres).");
      // The operator watching a second replica start is told why it waits.
      expect(result.stderr).toContain("another process is migrating this database; waiting for it to finish");
    } finally {
      await holder.end();
    }
    const applied = await appliedMigrations(url);
    expect(applied).toHaveLength(journal.entries.length);
  }, 90_000);
});
