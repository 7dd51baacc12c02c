import { parentPort, workerData } from "node:worker_threads";
import { PGlite, type Transaction } from "@electric-sql/pglite";
import { pg_trgm } from "@electric-sql/pglite/contrib/pg_trgm";
import { DATABASE_THREAD_GROWTH_BYTES, startIdleCollection } from "../observability/idle-collection.js";
import { pgliteStartParams } from "./pglite-settings.js";
import { StatementCache } from "./pglite-statements.js";
import type { WorkerInit, WorkerReply, WorkerRequest } from "./pglite-thread-protocol.js";

/**
 * Runs the embedded database off the main thread. PGlite executes synchronously inside WebAssembly,
 * so on the main thread a long query stops the bot from even accepting Slack's next connection.
 * Requests arrive as messages; replies carry plain data (rows, or an error's fields).
 */

const port = parentPort;
if (!port) throw new Error("pglite-worker must run in a worker thread");

const init = workerData as WorkerInit;
const pg = await PGlite.create({
  ...(init.dataDir ? { dataDir: init.dataDir } : {}),
  ...(init.loadDataDir ? { loadDataDir: new Blob([init.loadDataDir]) } : {}),
  ...(init.wasmModule ? { pgliteWasmModule: init.wasmModule } : {}),
  extensions: { pg_trgm },
  // The registry_writes triggers notify this session when a transaction that wrote commits (0019).
  startParams: [...pgliteStartParams(), "-c", "arendebot.notify_registry_writes=on"],
});

// PGlite queues a listener's call while it reads the committing statement's answer, before that
// statement's promise settles, so the count has moved before the answer is posted to the main thread.
const registryWrites = new Int32Array(init.registryWrites);
await pg.listen("registry_writes", () => {
  Atomics.add(registryWrites, 0, 1);
});

// Literals are inlined into EXECUTE as standard-conforming strings; PostgreSQL's default, checked.
const conforming = await pg.query<{ standard_conforming_strings: string }>(
  "show standard_conforming_strings",
);
const statements =
  conforming.rows[0]?.standard_conforming_strings === "on" ? new StatementCache(pg) : undefined;

type Results = { rows: unknown[]; fields: unknown[]; affectedRows?: number };
type OpenTransaction = { tx: Transaction; finish(commit: boolean): void; settled: Promise<void> };
const transactions = new Map<number, OpenTransaction>();
let nextTransaction = 1;

// Drizzle asks for a few types (dates, timestamps, intervals) as the text PostgreSQL sends; its
// parsers for them are all the identity, so the worker recreates them from the type ids alone.
const identity = (value: string) => value;
function parsersFor(rawTypes: readonly number[] | undefined) {
  return rawTypes ? Object.fromEntries(rawTypes.map((type) => [type, identity])) : undefined;
}

async function handle(request: WorkerRequest): Promise<unknown> {
  switch (request.op) {
    case "query": {
      const parsers = parsersFor(request.rawTypes);
      const options = {
        ...(request.rowMode ? { rowMode: request.rowMode } : {}),
        ...(parsers ? { parsers } : {}),
      };
      const result = (
        request.tx === undefined
          ? await (statements ?? pg).query(request.sql, request.params, options)
          : await openTransaction(request.tx).tx.query(request.sql, request.params, options)
      ) as Results;
      return { rows: result.rows, fields: result.fields, affectedRows: result.affectedRows };
    }
    case "exec": {
      const target = request.tx === undefined ? pg : openTransaction(request.tx).tx;
      const results = await target.exec(request.sql);
      return results.map((result) => ({
        rows: result.rows,
        fields: result.fields,
        affectedRows: result.affectedRows,
      }));
    }
    case "begin":
      return begin();
    case "end": {
      const open = openTransaction(request.tx);
      open.finish(request.commit);
      await open.settled;
      return null;
    }
    case "dump": {
      const dump = await pg.dumpDataDir("none");
      return new Uint8Array(await dump.arrayBuffer());
    }
    case "close":
      await pg.close();
      return null;
  }
}

/** Resolves with the transaction's id once BEGIN has run and PGlite holds its transaction lock. */
function begin(): Promise<number> {
  const id = nextTransaction++;
  return new Promise<number>((started, failed) => {
    let finish: (commit: boolean) => void = () => {};
    const decided = new Promise<boolean>((resolve) => {
      finish = resolve;
    });
    const settled = pg
      .transaction(async (tx) => {
        transactions.set(id, { tx, finish, settled });
        started(id);
        if (!(await decided)) await tx.rollback();
      })
      .finally(() => transactions.delete(id));
    settled.catch(failed);
  });
}

function openTransaction(id: number): OpenTransaction {
  const open = transactions.get(id);
  if (!open) throw new Error(`transaction ${id} is not open`);
  return open;
}

/** An error crosses the thread boundary as its own fields, so SQLSTATE codes and constraints survive. */
function describeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { name: "Error", message: String(error) };
  const fields: Record<string, unknown> = { name: error.name, message: error.message, stack: error.stack };
  for (const [key, value] of Object.entries(error)) {
    if (value === null || ["string", "number", "boolean"].includes(typeof value)) fields[key] = value;
  }
  return fields;
}

port.on("message", (request: WorkerRequest) => {
  handle(request).then(
    (result) => port.postMessage({ id: request.id, ok: true, result } satisfies WorkerReply),
    (error: unknown) =>
      port.postMessage({ id: request.id, ok: false, error: describeError(error) } satisfies WorkerReply),
  );
});
// This thread's heap keeps the rows of a burst of cold lookups until V8 needs the room; it has no
// logger, and a failed collection changes nothing a caller could act on.
startIdleCollection({ debug: () => {}, warn: () => {} }, { growthBytes: DATABASE_THREAD_GROWTH_BYTES });
port.postMessage({ id: 0, ok: true, result: "ready" } satisfies WorkerReply);
