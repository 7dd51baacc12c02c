import { type Database, registryWritesCommitted } from "../../db/client.js";
import { metrics } from "../../observability/metrics.js";
import { RegistryUnavailableError } from "../shared/availability.js";
import { deepFreeze } from "../shared/deep-freeze.js";
import type { CaseDetails } from "./case-details.js";
import { registryWritesSince } from "./cases.repository.js";
import { SNAPSHOT_TRUSTED_MS } from "./forget-seen-registry-writes.js";

/** The answer to "has anything a card shows been written since this snapshot?" and when it was read. */
export type WritesCheck = (since: string | null) => Promise<{ snapshot: string; changed: boolean }>;

/**
 * Told instead of asking: how many transactions that wrote what a card shows have committed, counted
 * by this process, which must then be the database's only writer (the embedded database: no other
 * process can open its data directory). Throws when the database can no longer be reached.
 */
export type CommittedWrites = { committed(): number };

export type CaseCacheOptions = {
  /** Identifier lookups kept; the least recently asked is dropped first. */
  capacity: number;
  /**
   * How long one snapshot is asked against before the cache starts over anyway. Old rows of
   * registry_writes are pruned (hourly); a snapshot younger than this never needs one of them. Told
   * of commits, the cache starts over as often: a write that reached no trigger is not answered from
   * memory for longer.
   */
  maxEpochMs: number;
  /** A check that takes longer fails its callers, and the next caller starts another (not when told). */
  checkTimeoutMs: number;
  now: () => number;
};

export const DEFAULT_CASE_CACHE_OPTIONS: CaseCacheOptions = {
  capacity: 4_000,
  maxEpochMs: SNAPSHOT_TRUSTED_MS,
  checkTimeoutMs: 2_000,
  now: () => performance.now(),
};

type Waiter = { resolve(epoch: number): void; reject(error: unknown): void };

/**
 * The cases found by an identifier, kept between lookups in this process, as fresh as a lookup in the
 * database would be. Every lookup waits for a check that started after it arrived: has any transaction
 * that wrote what a card shows committed since the cache's snapshot (`registry_writes`, filled by
 * statement triggers, so writes by other replicas, the CLI and SQL by hand count too)? If so, the cache
 * starts over from the check's snapshot. One check runs at a time and answers everyone who arrived
 * while the previous one ran, so under load one small indexed query serves many lookups instead of the
 * large status query each. On the embedded database nothing is asked: its worker counts those commits
 * as they happen (CommittedWrites), and a lookup compares the count. Either way an answer holds every
 * write that committed before the lookup arrived, as a read in PostgreSQL would; a transaction still
 * open then is not waited for.
 *
 * Entries are frozen: callers share them.
 */
export class CaseCache {
  private readonly entries = new Map<string, { epoch: number; cases: readonly CaseDetails[] }>();
  private epoch = 0;
  private snapshot: string | null = null;
  private epochStartedAt = 0;
  private waiting: Waiter[] = [];
  private checking = false;

  constructor(
    private readonly freshness: WritesCheck | CommittedWrites,
    private readonly options: CaseCacheOptions = DEFAULT_CASE_CACHE_OPTIONS,
  ) {}

  async lookup(key: string, load: () => Promise<CaseDetails[]>): Promise<CaseDetails[]> {
    const epoch =
      typeof this.freshness === "function"
        ? await this.freshEpoch(this.freshness)
        : this.toldEpoch(this.freshness);
    const entry = this.entries.get(key);
    if (entry && entry.epoch === epoch) {
      metrics.caseCache("hit");
      this.entries.delete(key);
      this.entries.set(key, entry);
      return entry.cases as CaseDetails[];
    }
    metrics.caseCache("miss");
    const cases = deepFreeze(await load());
    // A load that began before the cache started over may hold what has since changed: not kept.
    if (epoch === this.epoch && cases.length > 0) {
      this.entries.delete(key);
      this.entries.set(key, { epoch, cases });
      if (this.entries.size > this.options.capacity) {
        const oldest = this.entries.keys().next().value;
        if (oldest !== undefined) this.entries.delete(oldest);
      }
    }
    return cases;
  }

  /** A write counted since the cache's epoch began starts it over, as does age; nothing is asked. */
  private toldEpoch(writes: CommittedWrites): number {
    // The count stands in for the snapshot: a different one means a write committed since.
    const count = String(writes.committed());
    const now = this.options.now();
    if (count !== this.snapshot || this.tooOld(now)) this.startOver(count, now);
    return this.epoch;
  }

  private tooOld(at: number): boolean {
    return at - this.epochStartedAt > this.options.maxEpochMs;
  }

  /** A new epoch from `snapshot`: every entry of the last one is dropped. */
  private startOver(snapshot: string, at: number): void {
    if (this.snapshot !== null) metrics.caseCache("restart");
    this.epoch += 1;
    this.snapshot = snapshot;
    this.epochStartedAt = at;
    this.entries.clear();
  }

  private freshEpoch(check: WritesCheck): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      this.waiting.push({ resolve, reject });
      if (!this.checking) {
        this.checking = true;
        // After the requests already read in this turn of the event loop, so that one check serves them all.
        setImmediate(() => void this.checkInTurn(check));
      }
    });
  }

  private async checkInTurn(check: WritesCheck): Promise<void> {
    while (this.waiting.length > 0) {
      const answered = this.waiting;
      this.waiting = [];
      try {
        const epoch = await this.checkNow(check);
        for (const waiter of answered) waiter.resolve(epoch);
      } catch (error) {
        for (const waiter of answered) waiter.reject(error);
      }
    }
    this.checking = false;
  }

  private async checkNow(check: WritesCheck): Promise<number> {
    const startedAt = this.options.now();
    const since = this.snapshot;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      // Answered like any registry call that took too long: "Diariet svarar inte just nu".
      timer = setTimeout(
        () => reject(new RegistryUnavailableError(this.options.checkTimeoutMs)),
        this.options.checkTimeoutMs,
      );
    });
    const checked = check(since);
    // A check given up on may still answer; it must not move the cache then.
    checked.catch(() => {});
    try {
      const { snapshot, changed } = await Promise.race([checked, timedOut]);
      if (since === null || changed || this.tooOld(startedAt)) this.startOver(snapshot, startedAt);
      return this.epoch;
    } finally {
      clearTimeout(timer);
    }
  }
}

const caches = new WeakMap<Database, CaseCache>();

/** The process's cache of case lookups on this database. */
export function caseCacheOf(db: Database): CaseCache {
  let cache = caches.get(db);
  if (!cache) {
    cache = new CaseCache(registryWritesCommitted(db) ?? ((since) => registryWritesSince(db, since)));
    caches.set(db, cache);
  }
  return cache;
}
