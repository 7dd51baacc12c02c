import { describe, expect, it } from "vitest";
import { CaseCache, type CaseCacheOptions, type WritesCheck } from "../../src/modules/cases/case-cache.js";
import type { CaseDetails } from "../../src/modules/cases/case-details.js";
import { caseDetails } from "../support/case-details.js";

/**
 * A stand-in for registry_writes: `write()` is a transaction committing; a check answers whether one
 * committed after the snapshot it is asked about. Checks can be held to stand for a slow database.
 */
class FakeRegistry {
  private committed = 0;
  checks = 0;
  private held: (() => void)[] = [];
  holding = false;

  write(): void {
    this.committed += 1;
  }

  readonly check: WritesCheck = async (since) => {
    this.checks += 1;
    // The database answers as of the moment the check reached it, however late the answer arrives.
    const answer = {
      snapshot: String(this.committed),
      changed: since !== null && Number(since) < this.committed,
    };
    if (this.holding) await new Promise<void>((resolve) => this.held.push(resolve));
    return answer;
  };

  release(): void {
    for (const resolve of this.held.splice(0)) resolve();
  }
}

function cacheOn(registry: FakeRegistry, options: Partial<CaseCacheOptions> = {}) {
  let clock = 0;
  const cache = new CaseCache(registry.check, {
    capacity: 100,
    maxEpochMs: 600_000,
    checkTimeoutMs: 2_000,
    now: () => clock,
    ...options,
  });
  return { cache, advance: (ms: number) => (clock += ms) };
}

/** A cache told of commits by a counter the test moves (the embedded database's worker). */
function toldCache(options: Partial<CaseCacheOptions> = {}) {
  let committed = 0;
  let failure: Error | undefined;
  let clock = 0;
  const cache = new CaseCache(
    {
      committed: () => {
        if (failure) throw failure;
        return committed;
      },
    },
    { capacity: 100, maxEpochMs: 600_000, checkTimeoutMs: 2_000, now: () => clock, ...options },
  );
  return {
    cache,
    advance: (ms: number) => {
      clock += ms;
    },
    write: () => {
      committed += 1;
    },
    fail: (error: Error) => {
      failure = error;
    },
  };
}

/** A loader counting its calls, answering one case titled with the registry's current write count. */
function loader(title: () => string) {
  const calls = { count: 0 };
  const load = async (): Promise<CaseDetails[]> => {
    calls.count += 1;
    return [caseDetails({ title: title() })];
  };
  return { load, calls };
}

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe("the case cache", () => {
  it("answers a second lookup from memory while nothing is written, and reloads after a write", async () => {
    const registry = new FakeRegistry();
    const { cache } = cacheOn(registry);
    let title = "Före";
    const { load, calls } = loader(() => title);

    expect((await cache.lookup("dnr 1", load))[0]?.title).toBe("Före");
    expect((await cache.lookup("dnr 1", load))[0]?.title).toBe("Före");
    expect(calls.count).toBe(1);

    title = "Efter";
    registry.write();
    expect((await cache.lookup("dnr 1", load))[0]?.title).toBe("Efter");
    expect(calls.count).toBe(2);
  });

  it("makes a lookup wait for a check that began after it arrived, never an earlier one", async () => {
    const registry = new FakeRegistry();
    const { cache } = cacheOn(registry);
    let title = "Före";
    const { load } = loader(() => title);
    await cache.lookup("dnr 1", load);

    registry.holding = true;
    const first = cache.lookup("dnr 1", load);
    await tick();
    // The first check has reached the database when this transaction commits; a lookup arriving
    // after the commit must see it, even though the first check's answer says nothing changed.
    registry.release();
    title = "Efter";
    registry.write();
    registry.holding = false;
    const second = cache.lookup("dnr 1", load);

    expect((await first)[0]?.title).toBe("Före");
    expect((await second)[0]?.title).toBe("Efter");
  });

  it("answers every lookup that arrived during one check with one more check", async () => {
    const registry = new FakeRegistry();
    const { cache } = cacheOn(registry);
    const { load, calls } = loader(() => "Samma");
    await cache.lookup("dnr 1", load);
    const checksBefore = registry.checks;

    registry.holding = true;
    const running = cache.lookup("dnr 1", load);
    await tick();
    const waiting = Array.from({ length: 10 }, () => cache.lookup("dnr 1", load));
    registry.holding = false;
    registry.release();
    await Promise.all([running, ...waiting]);

    expect(registry.checks - checksBefore).toBe(2);
    expect(calls.count).toBe(1);
  });

  it("does not keep what a load read when the cache started over while it loaded", async () => {
    const registry = new FakeRegistry();
    const { cache } = cacheOn(registry);
    let title = "Före";
    let loads = 0;
    let finishSlowLoad: () => void = () => {};
    const slowLoad = async (): Promise<CaseDetails[]> => {
      loads += 1;
      const read = title;
      await new Promise<void>((resolve) => {
        finishSlowLoad = resolve;
      });
      return [caseDetails({ title: read })];
    };
    const slow = cache.lookup("dnr 1", slowLoad);
    await tick();
    title = "Efter";
    registry.write();
    // Another lookup sees the write and starts the cache over before the slow load finishes.
    await cache.lookup("dnr 2", loader(() => title).load);
    finishSlowLoad();
    expect((await slow)[0]?.title).toBe("Före");

    const { load, calls } = loader(() => title);
    expect((await cache.lookup("dnr 1", load))[0]?.title).toBe("Efter");
    expect(calls.count).toBe(1);
    expect(loads).toBe(1);
  });

  it("fails the waiting lookups when the check fails, and the next lookup checks again", async () => {
    let failing = true;
    const registry = new FakeRegistry();
    const check: WritesCheck = (since) =>
      failing ? Promise.reject(new Error("connection reset")) : registry.check(since);
    const cache = new CaseCache(check, {
      capacity: 10,
      maxEpochMs: 600_000,
      checkTimeoutMs: 2_000,
      now: () => 0,
    });
    const { load } = loader(() => "Titel");

    await expect(cache.lookup("dnr 1", load)).rejects.toThrow("connection reset");
    failing = false;
    expect((await cache.lookup("dnr 1", load))[0]?.title).toBe("Titel");
  });

  it("gives up on a check that hangs, so that later lookups are not stuck behind it", async () => {
    let hang = true;
    const registry = new FakeRegistry();
    const check: WritesCheck = (since) => (hang ? new Promise(() => {}) : registry.check(since));
    const cache = new CaseCache(check, {
      capacity: 10,
      maxEpochMs: 600_000,
      checkTimeoutMs: 20,
      now: () => 0,
    });
    const { load } = loader(() => "Titel");

    await expect(cache.lookup("dnr 1", load)).rejects.toThrow("the registry did not answer within 20 ms");
    hang = false;
    expect((await cache.lookup("dnr 1", load))[0]?.title).toBe("Titel");
  });

  it.each([
    ["asking registry_writes", () => cacheOn(new FakeRegistry(), { maxEpochMs: 1_000 })],
    ["told of commits (a write that reached no trigger)", () => toldCache({ maxEpochMs: 1_000 })],
  ])("starts over after maxEpochMs even when nothing was written, %s", async (_how, made) => {
    const { cache, advance } = made();
    const { load, calls } = loader(() => "Titel");
    await cache.lookup("dnr 1", load);
    advance(999);
    await cache.lookup("dnr 1", load);
    expect(calls.count).toBe(1);
    advance(2);
    await cache.lookup("dnr 1", load);
    expect(calls.count).toBe(2);
  });

  it("keeps at most `capacity` lookups, dropping the one asked longest ago", async () => {
    const registry = new FakeRegistry();
    const { cache } = cacheOn(registry, { capacity: 2 });
    const { load, calls } = loader(() => "Titel");
    await cache.lookup("a", load);
    await cache.lookup("b", load);
    await cache.lookup("a", load);
    await cache.lookup("c", load);
    expect(calls.count).toBe(3);
    await cache.lookup("a", load);
    expect(calls.count).toBe(3);
    await cache.lookup("b", load);
    expect(calls.count).toBe(4);
  });

  it("hands out frozen cases, so that one request cannot change another's", async () => {
    const { cache } = cacheOn(new FakeRegistry());
    const [details] = await cache.lookup("dnr 1", loader(() => "Titel").load);
    if (!details) throw new Error("no case answered");
    expect(() => {
      (details as { title: string }).title = "Ändrad";
    }).toThrow(TypeError);
    expect(() => (details.referrals as unknown[]).push({})).toThrow(TypeError);
  });

  it("does not keep a lookup that found nothing: the case may be imported the next minute", async () => {
    const { cache } = cacheOn(new FakeRegistry());
    let calls = 0;
    const none = async () => {
      calls += 1;
      return [];
    };
    await cache.lookup("dnr 9", none);
    await cache.lookup("dnr 9", none);
    expect(calls).toBe(2);
  });
});

describe("the case cache told of each commit (the embedded database's worker counts them)", () => {
  it("answers from memory while the count stands, and reloads once a write is counted", async () => {
    const { cache, write } = toldCache();
    let title = "Före";
    const { load, calls } = loader(() => title);
    expect((await cache.lookup("dnr 1", load))[0]?.title).toBe("Före");
    expect((await cache.lookup("dnr 1", load))[0]?.title).toBe("Före");
    expect(calls.count).toBe(1);
    title = "Efter";
    write();
    expect((await cache.lookup("dnr 1", load))[0]?.title).toBe("Efter");
    expect((await cache.lookup("dnr 1", load))[0]?.title).toBe("Efter");
    expect(calls.count).toBe(2);
  });

  it("reloads after a write counted while a load was reading", async () => {
    const { cache, write } = toldCache();
    let title = "Före";
    const { load, calls } = loader(() => title);
    const slow = async () => {
      const answer = await load();
      title = "Efter";
      write();
      return answer;
    };
    expect((await cache.lookup("dnr 1", slow))[0]?.title).toBe("Före");
    expect((await cache.lookup("dnr 1", load))[0]?.title).toBe("Efter");
    expect(calls.count).toBe(2);
  });

  it("fails the lookup, not the process, once the database can no longer be reached", async () => {
    const { cache, fail } = toldCache();
    const { load } = loader(() => "Titel");
    await cache.lookup("dnr 1", load);
    fail(new Error("the embedded database's thread stopped (exit 1)"));
    await expect(cache.lookup("dnr 1", load)).rejects.toThrow(/thread stopped/);
  });
});
