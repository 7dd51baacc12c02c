import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import type { CompiledPostgres, WorkerInit, WorkerReply, WorkerRequest } from "./pglite-thread-protocol.js";

type QueryOptions = {
  rowMode?: "array" | "object";
  parsers?: Record<number | string, (value: string) => unknown>;
};
type Results = { rows: unknown[]; fields: { name: string; dataTypeID: number }[]; affectedRows?: number };
type Request = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, "id"> : never) : never;

/** What drizzle's PGlite driver calls on a client, inside a transaction as well as outside. */
export type ThreadedQueries = {
  query(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results>;
  exec(sql: string): Promise<Results[]>;
};

/**
 * The embedded database in a worker thread, with the surface drizzle's PGlite driver uses (query,
 * exec, transaction). PGlite runs its queries inside WebAssembly on the thread that owns it; there it
 * would keep the main thread from accepting Slack's requests while the database works.
 *
 * PGlite has one session. Queries outside a transaction wait in the worker until an open transaction
 * ends, as they do in PGlite itself.
 */
export class ThreadedPGlite implements ThreadedQueries {
  private readonly pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  private nextId = 1;
  private closed = false;
  private failure: Error | undefined;
  private worker: Worker | undefined;
  private openTransactions = 0;
  /** Set while the thread is being replaced; requests wait for it. Never rejects. */
  private restarting: Promise<void> | undefined;
  private readonly writesCommitted: Int32Array;

  private constructor(
    private readonly init: Omit<WorkerInit, "registryWrites">,
    private readonly registryWrites: SharedArrayBuffer,
    private readonly onFailure: ((error: Error) => void) | undefined,
  ) {
    this.writesCommitted = new Int32Array(registryWrites);
  }

  /** `onFailure` hears once if the thread dies: every call fails from then on. */
  static async start(
    init: Omit<WorkerInit, "registryWrites">,
    onFailure?: (error: Error) => void,
  ): Promise<ThreadedPGlite> {
    const client = new ThreadedPGlite(init, new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT), onFailure);
    await client.spawn(init);
    return client;
  }

  query(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results> {
    return this.send({ op: "query", sql, ...queryParts(params, options) }) as Promise<Results>;
  }

  exec(sql: string): Promise<Results[]> {
    return this.send({ op: "exec", sql }) as Promise<Results[]>;
  }

  async transaction<T>(work: (tx: ThreadedQueries) => Promise<T>): Promise<T> {
    this.openTransactions++;
    try {
      const tx = (await this.send({ op: "begin" })) as number;
      const queries: ThreadedQueries = {
        query: (sql, params, options) =>
          this.send({ op: "query", tx, sql, ...queryParts(params, options) }) as Promise<Results>,
        exec: (sql) => this.send({ op: "exec", tx, sql }) as Promise<Results[]>,
      };
      let result: T;
      try {
        result = await work(queries);
      } catch (error) {
        await this.send({ op: "end", tx, commit: false }).catch(() => {});
        throw error;
      }
      await this.send({ op: "end", tx, commit: true });
      return result;
    } finally {
      this.openTransactions--;
    }
  }

  /**
   * How many transactions that wrote what a case card shows have committed since `start` (across
   * restarts). A commit is counted before its answer reaches this thread. Throws once the thread has
   * failed.
   */
  registryWritesCommitted(): number {
    if (this.failure) throw this.failure;
    if (this.closed) throw new Error("the embedded database is closed");
    return Atomics.load(this.writesCommitted, 0);
  }

  /**
   * Closes the database in its thread and opens its data directory again in a new thread, giving back
   * what a burst of queries made the old one keep: its V8 heap, and PostgreSQL's WebAssembly memory,
   * which an instance never returns (after 2,000 cold status lookups and 10 s of load, about 20–30 MB
   * in all). Requests made meanwhile wait for the new thread. Refused (false) while a query or a
   * transaction is open, or for a database that lives in memory only. A new thread that cannot open
   * the directory is tried once more; should that fail too, the database has failed (`onFailure`), as
   * when its thread dies, and this resolves false.
   */
  async restart(): Promise<boolean> {
    if (!this.init.dataDir || this.closed || this.failure || this.restarting) return false;
    if (this.pending.size > 0 || this.openTransactions > 0) return false;
    const old = this.worker as Worker;
    const dataDir = this.init.dataDir;
    const reopen = async () => {
      // PGlite would make a new, empty database where the directory was.
      if (!existsSync(join(dataDir, "PG_VERSION")))
        throw new Error(`${dataDir} no longer holds the database`);
      await this.spawn({ dataDir }, REOPEN_TIMEOUT_MS);
    };
    this.restarting = (async () => {
      try {
        await within(this.request(old, { op: "close" }), REOPEN_TIMEOUT_MS, "close");
      } finally {
        // Closed, or not closing as it should: either way that thread is done.
        this.worker = undefined;
        await stop(old);
      }
      await reopen().catch(reopen);
    })()
      .catch((error: unknown) => this.fail(error instanceof Error ? error : new Error(String(error))))
      .finally(() => {
        this.restarting = undefined;
      });
    await this.restarting;
    return !this.failure;
  }

  /** The whole data directory as a tar, as PGlite's dumpDataDir gives it. */
  async dumpDataDir(): Promise<Uint8Array> {
    return (await this.send({ op: "dump" })) as Uint8Array;
  }

  async close(): Promise<void> {
    await this.restarting;
    if (this.closed) return;
    const worker = this.worker;
    if (this.failure || !worker) {
      // Nothing left to close cleanly; a thread still there must not keep the process up.
      this.closed = true;
      if (worker) await stop(worker);
      return;
    }
    await this.send({ op: "close" });
    this.closed = true;
    await worker.terminate();
  }

  /**
   * A new thread with the database open in it. Until the thread says so (its first message), a failure
   * is the opening's and not yet the database's; `timeoutMs` gives up on an opening that never ends.
   */
  private async spawn(init: Omit<WorkerInit, "registryWrites" | "wasmModule">, timeoutMs?: number) {
    const wasmModule = await compiledPostgres();
    const worker = new Worker(workerScript(), {
      eval: true,
      workerData: { ...init, registryWrites: this.registryWrites, wasmModule } satisfies WorkerInit,
      ...(init.loadDataDir ? { transferList: [init.loadDataDir.buffer as ArrayBuffer] } : {}),
    });
    let opened = () => {};
    let refused = (_error: Error) => {};
    const ended = (code: number) =>
      refused(new Error(`the embedded database's thread stopped (exit ${code})`));
    const opening = new Promise<void>((resolve, reject) => {
      opened = resolve;
      refused = reject;
      worker.once("message", opened);
      worker.once("error", refused);
      worker.once("exit", ended);
    });
    try {
      await (timeoutMs === undefined ? opening : within(opening, timeoutMs, "open"));
    } catch (error) {
      await stop(worker);
      throw error;
    } finally {
      // Only these: removeAllListeners() would also drop the Worker's own newListener/removeListener
      // hooks, which start its message port for 'message' listeners.
      worker.off("message", opened).off("error", refused).off("exit", ended);
    }
    worker.on("message", (reply: WorkerReply) => this.settle(reply));
    worker.on("error", (error) => this.fail(error));
    worker.on("exit", (code) =>
      this.fail(new Error(`the embedded database's thread stopped (exit ${code})`)),
    );
    this.worker = worker;
  }

  private send(request: Request): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error("the embedded database is closed"));
    if (this.restarting) return this.restarting.then(() => this.send(request));
    return this.request(this.worker as Worker, request);
  }

  private request(worker: Worker, request: Request): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.postMessage({ ...request, id } as WorkerRequest);
    });
  }

  private settle(reply: WorkerReply): void {
    const waiting = this.pending.get(reply.id);
    if (!waiting) return;
    this.pending.delete(reply.id);
    if (reply.ok) waiting.resolve(reply.result);
    else waiting.reject(rebuildError(reply.error));
  }

  private fail(error: Error): void {
    if (this.closed || this.failure) return;
    this.failure = error;
    this.onFailure?.(error);
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}

/** Closing, and opening again after a clean close (no log to replay), take well under a second. */
const REOPEN_TIMEOUT_MS = 30_000;

/** `promise`, or a failure once `ms` have passed without it settling. */
async function within<T>(promise: Promise<T>, ms: number, what: "open" | "close"): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the embedded database did not ${what} within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** Ends a thread that is no longer the database's; what it still says or throws is nobody's concern. */
async function stop(worker: Worker): Promise<void> {
  for (const event of ["message", "error", "exit"]) worker.removeAllListeners(event);
  worker.on("error", () => {});
  await worker.terminate();
}

/** Node's WebAssembly global, which TypeScript declares only with the DOM's library. */
const { compile } = (
  globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<CompiledPostgres> } }
).WebAssembly;
let compiling: Promise<CompiledPostgres> | undefined;

/**
 * PostgreSQL's WebAssembly, compiled once for the process and handed to each database thread, which
 * shares the compiled code: a thread opened again after a burst starts without compiling 9 MB of
 * WebAssembly anew, and keeps the functions V8 had already optimised.
 */
function compiledPostgres(): Promise<CompiledPostgres> {
  compiling ??= readFile(new URL(import.meta.resolve("@electric-sql/pglite/pglite.wasm")))
    .then(compile)
    .catch((error: unknown) => {
      // A passing failure (too many open files) must not stop every later opening.
      compiling = undefined;
      throw error;
    });
  return compiling;
}

function queryParts(params: unknown[] | undefined, options: QueryOptions | undefined) {
  return {
    ...(params && params.length > 0 ? { params } : {}),
    ...(options?.rowMode ? { rowMode: options.rowMode } : {}),
    ...(options?.parsers ? { rawTypes: rawTypes(options.parsers) } : {}),
  };
}

/** Parsers cannot cross threads; drizzle's are all "keep PostgreSQL's text", which the worker redoes. */
function rawTypes(parsers: NonNullable<QueryOptions["parsers"]>): number[] {
  return Object.entries(parsers).map(([type, parse]) => {
    if (parse("2017-03-31") !== "2017-03-31") {
      throw new Error(`the threaded embedded database only supports identity parsers (type ${type})`);
    }
    return Number(type);
  });
}

function rebuildError(fields: Record<string, unknown>): Error {
  const error = new Error(String(fields.message ?? "database error"));
  Object.assign(error, fields);
  return error;
}

/**
 * The worker's module sits next to this file: compiled JavaScript once built, TypeScript under tsx
 * and vitest. Loader hooks do not reach worker threads on Node 20, so TypeScript is loaded through
 * tsx's API from inside the worker.
 */
function workerScript(): string {
  const fromSource = new URL(import.meta.url).pathname.endsWith(".ts");
  const module = new URL(`./pglite-worker${fromSource ? ".ts" : ".js"}`, import.meta.url).href;
  if (!fromSource) return `import(${JSON.stringify(module)})`;
  const tsx = import.meta.resolve("tsx/esm/api");
  return `import(${JSON.stringify(tsx)}).then(({ tsImport }) => tsImport(${JSON.stringify(module)}, ${JSON.stringify(import.meta.url)}))`;
}
