import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { sql } from "drizzle-orm";
import postgres from "postgres";
import { inject } from "vitest";
import {
  type Database,
  type DatabaseHandle,
  openPostgres,
  PGlite,
  pg_trgm,
  rowsOf,
  ThreadedPGlite,
  wrapPglite,
  wrapThreadedPglite,
} from "../../src/db/client.js";
import { withDatabase } from "./global-setup.js";

export type TestDatabase = DatabaseHandle & {
  /** A URL other processes (an app started by an end-to-end test) can open; PostgreSQL only. */
  url: string | undefined;
  destroy(): Promise<void>;
};

/** A fresh, migrated database for one test file, on PGlite or on the PostgreSQL server of TEST_DATABASE_URL. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const setup = inject("testDatabase");
  if (setup.kind === "pglite") {
    const dump = await readFile(setup.templateFile);
    const handle =
      process.env.TEST_PGLITE_THREAD === "main"
        ? wrapPglite(await PGlite.create({ loadDataDir: new Blob([dump]), extensions: { pg_trgm } }))
        : wrapThreadedPglite(await ThreadedPGlite.start({ loadDataDir: new Uint8Array(dump) }));
    return { ...handle, url: undefined, destroy: once(() => handle.close()) };
  }
  const name = `${setup.template}_${randomBytes(4).toString("hex")}`;
  const admin = postgres(setup.adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`CREATE DATABASE ${name} TEMPLATE ${setup.template}`);
  const url = withDatabase(setup.adminUrl, name);
  const handle = openPostgres(url, { max: 5 });
  return {
    ...handle,
    url,
    destroy: once(async () => {
      await handle.close();
      await admin.unsafe(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }),
  };
}

/** A test may destroy its database early (to see the bot without it); the teardown then does nothing. */
function once(run: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => {
    done ??= run();
    return done;
  };
}

/**
 * Empties every table, the append-only audit trail included, with identities restarted: a test that
 * needs an empty registry gets one in milliseconds rather than the seconds a new database costs.
 * Triggers are off for the statement (session_replication_role), which only a test's superuser may do.
 */
export async function emptyDatabase(db: Database): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL session_replication_role = replica`);
    const tables = rowsOf<{ name: string }>(
      await tx.execute(sql`SELECT quote_ident(tablename) AS name FROM pg_tables WHERE schemaname = 'public'`),
    );
    await tx.execute(
      sql.raw(`TRUNCATE ${tables.map((table) => table.name).join(", ")} RESTART IDENTITY CASCADE`),
    );
    // With triggers off, the truncation is recorded (and the embedded database's worker told) by hand,
    // so a cached case is not answered again.
    await tx.execute(sql`INSERT INTO registry_writes DEFAULT VALUES ON CONFLICT DO NOTHING`);
    await tx.execute(sql`SELECT pg_notify('registry_writes', '')`);
  });
}
