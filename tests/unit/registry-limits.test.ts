import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  RegistryBusyError,
  RegistryUnavailableError,
  withinLimits,
} from "../../src/modules/shared/availability.js";

/** A registry whose calls end when the test says so; it counts the calls that reached it. */
function controllable() {
  const open: (() => void)[] = [];
  let reached = 0;
  const ask = (answer = "svar") =>
    new Promise<string>((resolve) => {
      reached += 1;
      open.push(() => resolve(answer));
    });
  return { ask, finishOldest: () => open.shift()?.(), reached: () => reached };
}

const clock = () => Date.now();
const limits = { timeoutMs: 2_000, maxInFlight: 100, concurrency: 1 };

describe("limits on calls to the registry", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("passes a quick answer through", async () => {
    const guarded = withinLimits({ ask: async () => "svar" }, limits, clock);
    await expect(guarded.ask()).resolves.toBe("svar");
  });

  it("answers 'unavailable' when the database takes longer than the time given", async () => {
    const registry = controllable();
    const guarded = withinLimits({ ask: registry.ask }, limits, clock);
    const asked = expect(guarded.ask()).rejects.toBeInstanceOf(RegistryUnavailableError);
    await vi.advanceTimersByTimeAsync(2_000);
    await asked;
  });

  it("runs calls in order of arrival, no more at once than the database can take", async () => {
    const registry = controllable();
    const guarded = withinLimits({ ask: registry.ask }, { ...limits, concurrency: 2 }, clock);
    const calls = [guarded.ask("första"), guarded.ask("andra"), guarded.ask("tredje")];
    expect(registry.reached()).toBe(2);
    registry.finishOldest();
    await expect(calls[0]).resolves.toBe("första");
    expect(registry.reached()).toBe(3);
    registry.finishOldest();
    registry.finishOldest();
    await expect(Promise.all(calls.slice(1))).resolves.toEqual(["andra", "tredje"]);
  });

  it("turns a call away as 'busy' after half its time in the queue, without reaching the database", async () => {
    const registry = controllable();
    const guarded = withinLimits({ ask: registry.ask }, limits, clock);
    const first = guarded.ask();
    registry.finishOldest();
    await first;
    const slow = guarded.ask();
    const queued = expect(guarded.ask()).rejects.toBeInstanceOf(RegistryBusyError);
    await vi.advanceTimersByTimeAsync(1_000);
    await queued;
    expect(registry.reached()).toBe(2);
    registry.finishOldest();
    await expect(slow).resolves.toBe("svar");
  });

  it("says 'unavailable', not 'busy', when nothing has finished for the whole time (a hung database)", async () => {
    const registry = controllable();
    const guarded = withinLimits({ ask: registry.ask }, limits, clock);
    const stuck = expect(guarded.ask()).rejects.toBeInstanceOf(RegistryUnavailableError);
    await vi.advanceTimersByTimeAsync(2_000);
    await stuck;
    // The stuck call keeps its place until it ends: the next one waits, and is told the registry does not answer.
    const next = expect(guarded.ask()).rejects.toBeInstanceOf(RegistryUnavailableError);
    await vi.advanceTimersByTimeAsync(1_000);
    await next;
    expect(registry.reached()).toBe(1);
    // Once the stuck call ends the registry is used again.
    registry.finishOldest();
    await vi.advanceTimersByTimeAsync(0);
    const after = guarded.ask();
    expect(registry.reached()).toBe(2);
    registry.finishOldest();
    await expect(after).resolves.toBe("svar");
  });

  it("turns callers away at once beyond the most that may wait", async () => {
    const registry = controllable();
    const guarded = withinLimits({ ask: registry.ask }, { ...limits, maxInFlight: 2 }, clock);
    const answered = guarded.ask();
    registry.finishOldest();
    await answered;
    const waiting = [guarded.ask(), guarded.ask()];
    await expect(guarded.ask()).rejects.toBeInstanceOf(RegistryBusyError);
    expect(registry.reached()).toBe(2);
    registry.finishOldest();
    await waiting[0];
    await vi.advanceTimersByTimeAsync(0);
    registry.finishOldest();
    await waiting[1];
  });

  it("a failure of the call itself reaches the caller unchanged", async () => {
    const failure = new Error("unique violation");
    const guarded = withinLimits({ ask: () => Promise.reject(failure) }, limits, clock);
    await expect(guarded.ask()).rejects.toBe(failure);
  });
});

describe("turning away on arrival", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("a newcomer whose turn would come after half its time is told 'busy' at once", async () => {
    const registry = controllable();
    const guarded = withinLimits({ ask: registry.ask }, limits, clock);
    // Calls have been taking 600 ms each.
    const measured = guarded.ask();
    await vi.advanceTimersByTimeAsync(600);
    registry.finishOldest();
    await measured;
    const running = guarded.ask();
    const queued = guarded.ask();
    // Second in the queue: 2 × 600 ms > 1 s.
    const started = Date.now();
    await expect(guarded.ask()).rejects.toBeInstanceOf(RegistryBusyError);
    expect(Date.now() - started).toBe(0);
    expect(registry.reached()).toBe(2);
    registry.finishOldest();
    await running;
    await vi.advanceTimersByTimeAsync(0);
    registry.finishOldest();
    await queued;
  });
});
