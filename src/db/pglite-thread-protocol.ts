import type { PGliteOptions } from "@electric-sql/pglite";

/** A compiled WebAssembly module, as PGlite takes one (TypeScript declares the type with the DOM only). */
export type CompiledPostgres = NonNullable<PGliteOptions["pgliteWasmModule"]>;

/** Messages between the bot's main thread and the embedded database's worker (pglite-worker.ts). */

export type WorkerInit = {
  dataDir?: string;
  loadDataDir?: Uint8Array;
  /**
   * One Int32 the worker adds 1 to each time a transaction that wrote what a case card shows commits,
   * before that commit's answer is sent (see migration 0019).
   */
  registryWrites: SharedArrayBuffer;
  /** PostgreSQL compiled to WebAssembly, compiled once per process (see pglite-thread.ts). */
  wasmModule?: CompiledPostgres;
};

export type WorkerRequest = { id: number } & (
  | {
      op: "query";
      tx?: number;
      sql: string;
      params?: unknown[];
      rowMode?: "array" | "object";
      /** Type ids to hand back as PostgreSQL's text, as drizzle asks for dates and timestamps. */
      rawTypes?: number[];
    }
  | { op: "exec"; tx?: number; sql: string }
  | { op: "begin" }
  | { op: "end"; tx: number; commit: boolean }
  | { op: "dump" }
  | { op: "close" }
);

export type WorkerReply =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: Record<string, unknown> };
