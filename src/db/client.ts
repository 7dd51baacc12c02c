import { PGlite } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { type SQL, sql } from "drizzle-orm";
import { type PgDatabase, PgDialect, type PgQueryResultHKT } from "drizzle-orm/pg-core";
import { drizzle as drizzlePglite } from "drizzle-orm/pglite";
import { migrate as migratePglite } from "drizzle-orm/pglite/migrator";
import { drizzle as drizzlePostgres } from "drizzle-orm/postgres-js";
import { migrate as migratePostgres } from "drizzle-orm/postgres-js/migrator";
import postgres from "postgres";
import type { DatabaseConfig } from "../config.js";
import { log } from "../observability/logger.js";
import { type Opener, thisProcess, underDataDirLock } from "./data-dir-lock.js";
import { pgliteStartParams } from "./pglite-settings.js";
import { ThreadedPGlite } from "./pglite-thread.js";
import * as schema from "./schema.js";

export type Schema = typeof schema;
/** Both drivers share this surface; repositories are written against it only. */
export type Database = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction handle has the same query surface as the database. */
export type Executor = Pick<Database, "select" | "insert" | "update" | "delete" | "execute" | "transaction">;

export type DatabaseHandle = {
  db: Database;
  kind: DatabaseConfig["kind"];
  /** Queries it can work on at once: PGlite has one session, PostgreSQL a pool of connections. */
  concurrency: number;
  migrate(): Promise<void>;
  /** Answers when the database answers; used by /readyz. */
  ping(): Promise<void>;
  /**
   * The embedded database in its thread, on a data directory: closes it and opens it again in a new
   * thread, giving back the memory a burst made it touch (see ThreadedPGlite.restart). False when it
   * was busy and nothing was done, or when the reopening failed (and with it the database).
   */
  reopen?(): Promise<boolean>;
  close(): Promise<void>;
};

export const migrationsFolder = new URL("../../db/migrations", import.meta.url).pathname;

/** The rows of `db.execute`: postgres.js returns them as the result, PGlite wraps them in `{ rows }`. */
export function rowsOf<T>(result: unknown): T[] {
  return Array.isArray(result) ? (result as T[]) : ((result as { rows?: T[] }).rows ?? []);
}

const dialect = new PgDialect();

/**
 * The rows of `statement`, which PostgreSQL keeps prepared on each connection (drizzle prepares only
 * queries named with `.prepare()`, so raw SQL is parsed and planned on every call: 7 ms of the change
 * feed's 30 ms page). Each row is its columns' bytes as PostgreSQL sent them (text format, null for
 * NULL), in the statement's column order: a large text handed on as it is (a change feed page, 800 KB
 * of JSON) is never decoded into a string nor encoded again, which was a third of the bot's time a
 * page. The embedded database and transactions run it as db.execute does, its values turned into
 * UTF-8 bytes here.
 */
export async function executePreparedBytes(db: Executor, statement: SQL): Promise<(Buffer | null)[][]> {
  const client = (db as { $client?: unknown }).$client as postgres.Sql | undefined;
  if (typeof client === "function" && typeof client.unsafe === "function") {
    const query = dialect.sqlToQuery(statement);
    const rows = await client
      .unsafe(query.sql, query.params as postgres.ParameterOrJSON<never>[], { prepare: true })
      .raw();
    return rows as unknown as (Buffer | null)[][];
  }
  return rowsOf<Record<string, unknown>>(await db.execute(statement)).map((row) =>
    Object.values(row).map((value) =>
      value === null || value === undefined ? null : Buffer.from(String(value)),
    ),
  );
}

/**
 * `opener` names this process in DATA_DIR's lock, for whoever is refused while it holds it.
 * `thread: "worker"` runs the embedded database in a worker thread, so that the bot's event loop
 * stays free to accept and answer Slack while it works; the CLI keeps it on its own thread.
 */
export async function openDatabase(
  config: DatabaseConfig,
  {
    opener = thisProcess(),
    thread = "main",
    onFailure,
  }: {
    opener?: Opener;
    thread?: "main" | "worker";
    /** Told if the embedded database's thread dies, after which every query fails. */
    onFailure?: (error: Error) => void;
  } = {},
): Promise<DatabaseHandle> {
  if (config.kind === "postgres") return openPostgres(config.url);
  return underDataDirLock(config.dataDir, opener, async () =>
    thread === "worker"
      ? wrapThreadedPglite(await ThreadedPGlite.start({ dataDir: config.dataDir }, onFailure))
      : wrapPglite(
          await PGlite.create({
            dataDir: config.dataDir,
            extensions: { pg_trgm },
            startParams: pgliteStartParams(),
          }),
        ),
  );
}

/** A server that accepts connections but never answers is given up on after this long. */
const CONNECT_TIMEOUT_S = 3;

/**
 * The key of the PostgreSQL advisory lock that migrations run under, so that replicas started at once
 * on one database (and `npm run db:migrate` beside them) migrate it one after the other: the first
 * applies what is pending, the others wait, then find nothing left to do. Fixed: the bytes of
 * "arendebo", 0x6172656e6465626f, as PostgreSQL's bigint takes it.
 */
export const MIGRATION_LOCK_KEY = "7021786293829198447";

export function openPostgres(url: string, options: { max?: number } = {}): DatabaseHandle {
  const max = options.max ?? 10;
  const client = postgres(url, {
    max,
    connect_timeout: CONNECT_TIMEOUT_S,
    onnotice: () => {},
  });
  const db = drizzlePostgres(client, { schema }) as unknown as Database;
  return {
    db,
    kind: "postgres",
    concurrency: max,
    migrate: () => migratePostgresLocked(url),
    ping: async () => {
      await db.execute(sql`select 1`);
    },
    close: () => client.end({ timeout: 5 }),
  };
}

/**
 * Drizzle's migrator reads what is applied and applies the rest in a transaction of its own; two
 * processes doing so at once would both see the migrations pending. So it runs on one dedicated
 * connection that first takes the session-level advisory lock: the lock is held across drizzle's
 * transaction, released after, and released by the server if the process dies while holding it.
 */
async function migratePostgresLocked(url: string): Promise<void> {
  const connection = postgres(url, { max: 1, connect_timeout: CONNECT_TIMEOUT_S, onnotice: () => {} });
  try {
    const [taken] = await connection<{ taken: boolean }[]>`
      select pg_try_advisory_lock(${MIGRATION_LOCK_KEY}::bigint) as taken`;
    if (!taken?.taken) {
      // Otherwise a replica started beside another looks hung for as long as the other migrates.
      log().info("another process is migrating this database; waiting for it to finish");
      await connection`select pg_advisory_lock(${MIGRATION_LOCK_KEY}::bigint)`;
      log().info("migration lock taken");
    }
    try {
      await migratePostgres(drizzlePostgres(connection), { migrationsFolder });
      // A migration may rewrite what cards show without firing a trigger (ALTER TABLE … USING):
      // replicas still running keep no case from before it (see registry_writes).
      await connection`INSERT INTO registry_writes DEFAULT VALUES ON CONFLICT DO NOTHING`;
    } finally {
      // A connection lost meanwhile took the lock with it; its failure must not hide the migration's.
      await connection`select pg_advisory_unlock(${MIGRATION_LOCK_KEY}::bigint)`.catch(() => {});
    }
  } finally {
    await connection.end({ timeout: 5 });
  }
}

/** Wraps an open PGlite instance; tests pass in clones of a migrated template. */
export function wrapPglite(client: PGlite): DatabaseHandle {
  const db = drizzlePglite(client, { schema }) as unknown as Database;
  return {
    db,
    kind: "pglite",
    // One query runs at a time; a second keeps the worker busy while the first answer is read.
    concurrency: 2,
    migrate: () => migratePglite(drizzlePglite(client), { migrationsFolder }),
    ping: async () => {
      await client.query("select 1");
    },
    close: () => client.close(),
  };
}

/** The embedded database in a worker thread (see pglite-thread.ts); drizzle's PGlite driver drives it. */
export function wrapThreadedPglite(client: ThreadedPGlite): DatabaseHandle {
  const driverClient = client as unknown as PGlite;
  const db = drizzlePglite(driverClient, { schema }) as unknown as Database;
  return {
    db,
    kind: "pglite",
    // One query runs at a time; a second keeps the worker busy while the first answer is read.
    concurrency: 2,
    migrate: () => migratePglite(drizzlePglite(driverClient), { migrationsFolder }),
    ping: async () => {
      await client.query("select 1");
    },
    reopen: () => client.restart(),
    close: () => client.close(),
  };
}

/**
 * The count of committed transactions that wrote what a case card shows, kept by the embedded
 * database's worker as they commit (migration 0019), for the bot's own database; undefined elsewhere
 * (a PostgreSQL server is written by other replicas and the CLI too: they ask registry_writes).
 */
export function registryWritesCommitted(db: Database): { committed(): number } | undefined {
  const client = (db as { $client?: unknown }).$client;
  if (!(client instanceof ThreadedPGlite)) return undefined;
  return { committed: () => client.registryWritesCommitted() };
}

export { PGlite, pg_trgm, ThreadedPGlite };
