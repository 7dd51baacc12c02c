import { Worker } from "node:worker_threads";
import type { WorkerInit, WorkerReply, WorkerRequest } from "./pglite-thread-protocol.js";

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

  private constructor(
    private readonly worker: Worker,
    private readonly onFailure: ((error: Error) => void) | undefined,
    private readonly registryWrites: Int32Array,
  ) {
    worker.on("message", (reply: WorkerReply) => this.settle(reply));
    worker.on("error", (error) => this.fail(error));
    worker.on("exit", (code) =>
      this.fail(new Error(`the embedded database's thread stopped (exit ${code})`)),
    );
  }

  /** `onFailure` hears once if the thread dies: every call fails from then on. */
  static async start(
    init: Omit<WorkerInit, "registryWrites">,
    onFailure?: (error: Error) => void,
  ): Promise<ThreadedPGlite> {
    const registryWrites = new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT);
    const worker = new Worker(workerScript(), {
      eval: true,
      workerData: { ...init, registryWrites } satisfies WorkerInit,
      ...(init.loadDataDir ? { transferList: [init.loadDataDir.buffer as ArrayBuffer] } : {}),
    });
    const client = new ThreadedPGlite(worker, onFailure, new Int32Array(registryWrites));
    // The worker's first message (id 0) says the database is open; a failure to open ends the thread.
    await new Promise<void>((resolve, reject) => {
      client.pending.set(0, { resolve: () => resolve(), reject });
    });
    return client;
  }

  query(sql: string, params?: unknown[], options?: QueryOptions): Promise<Results> {
    return this.send({ op: "query", sql, ...queryParts(params, options) }) as Promise<Results>;
  }

  exec(sql: string): Promise<Results[]> {
    return this.send({ op: "exec", sql }) as Promise<Results[]>;
  }

  async transaction<T>(work: (tx: ThreadedQueries) => Promise<T>): Promise<T> {
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
  }

  /**
   * How many transactions that wrote what a case card shows have committed since the database opened.
   * A commit is counted before its answer reaches this thread. Throws once the thread has failed.
   */
  registryWritesCommitted(): number {
    if (this.failure) throw this.failure;
    if (this.closed) throw new Error("the embedded database is closed");
    return Atomics.load(this.registryWrites, 0);
  }

  /** The whole data directory as a tar, as PGlite's dumpDataDir gives it. */
  async dumpDataDir(): Promise<Uint8Array> {
    return (await this.send({ op: "dump" })) as Uint8Array;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    await this.send({ op: "close" });
    this.closed = true;
    await this.worker.terminate();
  }

  private send(request: Request): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new Error("the embedded database is closed"));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...request, id } as WorkerRequest);
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
