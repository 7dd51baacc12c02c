import { performance } from "node:perf_hooks";
import { getHeapStatistics, setFlagsFromString } from "node:v8";
import type { Logger } from "pino";

/**
 * Once the bot has gone quiet after a burst of work, one full, compacting garbage collection gives the
 * heap the burst grew back to the system. V8's memory reducer does this only after a full collection
 * it saw during the burst, and not at all when one ran at the burst's very end; a burst that ends
 * before the old generation fills leaves its garbage, and the heap grown for it, held for good.
 * Measured on the embedded database: 297 MB resident after start-up, 425 MB twenty seconds after ten
 * seconds of status lookups (113 MB of heap in use, 49 MB of it live). A plain full collection frees
 * the objects but keeps the pages they were spread over (on PostgreSQL after a burst: 163 MB of heap
 * held for 56 MB in use, 251 MB resident, unchanged 17 s later); compacting moves the live objects
 * together so that the emptied pages are returned (a synthetic burst: 317 MB of heap after a plain
 * collection, 29 MB after a compacting one).
 */
export const IDLE_CHECK_MS = 2_000;
/** Event-loop utilisation over a check below which the bot counts as quiet. */
const QUIET_UTILISATION = 0.02;
/**
 * Checks in a row that must be quiet, so that the burst's last allocation is more than 5 s old when the
 * collection runs: V8 shrinks the young generation (16 MB with npm start's flags) in a full collection
 * only when the allocation rate it measures over the last 5 s is low. Collected 2 s after a burst it
 * kept 16 MB, collected 5 s after it kept 1 MB; otherwise its memory reducer shrinks it some 20 s later.
 */
const QUIET_CHECKS = 3;
/** Growth of the heap V8 holds since the last collection worth a collection of its own. */
const GROWTH_BYTES = 32 * 1024 * 1024;
/**
 * The embedded database's thread holds the rows of cold lookups, a few MB a thousand, and little else:
 * a smaller growth is worth collecting there.
 */
export const DATABASE_THREAD_GROWTH_BYTES = 8 * 1024 * 1024;
/**
 * Growth of the process's resident memory since the embedded database was last opened worth opening
 * it again in a new thread (measured after the heap's own collection).
 */
export const REOPEN_GROWTH_BYTES = 24 * 1024 * 1024;

export type IdleReadings = {
  /** The event loop's utilisation (0–1) since the previous reading. */
  utilisation(): number;
  /** What the work gives back: the heap V8 holds, or the process's resident memory. */
  heapBytes(): number;
  /** The work that gives the memory back; resolves once it is done, false if it could not be done now. */
  collect(): Promise<boolean | undefined>;
};

export class IdleCollector {
  /** Bytes held after the last collection (or at start). */
  private baseline: number;
  private quietChecks = 0;
  private collecting = false;

  constructor(
    private readonly readings: IdleReadings,
    private readonly growthBytes = GROWTH_BYTES,
  ) {
    this.baseline = readings.heapBytes();
  }

  /** One check; true when it collected. */
  async check(): Promise<boolean> {
    if (this.collecting) return false;
    this.quietChecks = this.readings.utilisation() < QUIET_UTILISATION ? this.quietChecks + 1 : 0;
    const used = this.readings.heapBytes();
    // Given back on its own since: that is the new floor.
    if (used < this.baseline) this.baseline = used;
    if (this.quietChecks < QUIET_CHECKS || used - this.baseline < this.growthBytes) return false;
    this.collecting = true;
    let done: boolean | undefined;
    try {
      done = await this.readings.collect();
    } finally {
      this.collecting = false;
    }
    // Refused (the database was busy): the growth is still there, and the next quiet check tries again.
    if (done === false) return false;
    // What is left is live: the next collection waits for as much growth again.
    this.baseline = this.readings.heapBytes();
    return true;
  }
}

type Gc = (options: { type: "major"; execution: "async" }) => Promise<void>;

function setFlag(flag: string): boolean {
  try {
    setFlagsFromString(flag);
    return true;
  } catch {
    return false;
  }
}

/** A full, compacting collection of this thread's heap. */
function compactingCollection(gc: Gc): () => Promise<undefined> {
  return async () => {
    // V8 reads the flag when a full collection starts; it is on for this one collection only (V8's
    // flags are the process's: a full collection the database thread runs meanwhile compacts too).
    // Should a node refuse it, the collection still runs, without compacting.
    const compacting = setFlag("--compact-on-every-full-gc");
    try {
      await gc({ type: "major", execution: "async" });
    } finally {
      if (compacting) setFlag("--no-compact-on-every-full-gc");
    }
  };
}

/**
 * Checks every IDLE_CHECK_MS. The heap is collected in a bot started with `--expose-gc` (npm start, the
 * systemd unit); without the flag there is no collection to ask for. `reopenDatabase`, the embedded
 * database's, runs after the collection, when the process's resident memory has grown by
 * REOPEN_GROWTH_BYTES since it last opened: the database's thread keeps what a burst made it hold (its
 * heap, PostgreSQL's WebAssembly memory, which never shrinks), and opening the data directory again
 * in a new thread, a quarter to three quarters of a second, gives that back.
 * The timer never keeps the process up.
 */
export function startIdleCollection(
  logger: Pick<Logger, "debug" | "warn">,
  {
    growthBytes = GROWTH_BYTES,
    reopenDatabase,
  }: { growthBytes?: number; reopenDatabase?: (() => Promise<boolean>) | undefined } = {},
): { stop(): void } | null {
  // Read once a check, for every step.
  let utilisation = 0;
  const steps: { collector: IdleCollector; done: string; bytes(): number }[] = [];
  const gc = (globalThis as { gc?: Gc }).gc;
  if (typeof gc === "function") {
    const bytes = () => getHeapStatistics().total_heap_size;
    const collector = new IdleCollector(
      { utilisation: () => utilisation, heapBytes: bytes, collect: compactingCollection(gc) },
      growthBytes,
    );
    steps.push({ collector, done: "collected after a burst of work", bytes });
  } else {
    logger.debug("node runs without --expose-gc: no collection after a burst of work");
  }
  if (reopenDatabase) {
    const bytes = () => process.memoryUsage.rss();
    const collector = new IdleCollector(
      {
        utilisation: () => utilisation,
        heapBytes: bytes,
        collect: reopenDatabase,
      },
      REOPEN_GROWTH_BYTES,
    );
    steps.push({ collector, done: "opened the embedded database again after a burst of work", bytes });
  }
  if (steps.length === 0) return null;
  let last = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    utilisation = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    void (async () => {
      for (const { collector, done, bytes } of steps) {
        try {
          if (await collector.check()) logger.debug({ bytes: bytes() }, done);
        } catch (error) {
          logger.warn({ err: error }, `${done}: failed`);
        }
      }
    })();
  }, IDLE_CHECK_MS);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
