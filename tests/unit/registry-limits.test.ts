import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  RegistryBusyError,
  RegistryUnavailableError,
  withinLimits,
} from "../../src/modules/shared/availability.js";

/** A call that ends when the test says so. */
function controllable() {
  const open: (() => void)[] = [];
  const call = () =>
    new Promise<string>((resolve) => {
      open.push(() => resolve("svar"));
    });
  return { call, finishOldest: () => open.shift()?.(), pending: () => open.length };
}

describe("limits on calls to the registry", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  const limits = { timeoutMs: 2_000, maxInFlight: 3 };
  const clock = () => Date.now();

  it("passes a quick answer through", async () => {
    const guarded = withinLimits({ ask: async () => "svar" }, limits, clock);
    await expect(guarded.ask()).resolves.toBe("svar");
  });

  it("answers 'unavailable' when the database takes longer than the time given", async () => {
    const registry = controllable();
    const guarded = withinLimits({ ask: registry.call }, limits, clock);
    const asked = guarded.ask();
    vi.advanceTimersByTime(2_000);
    await expect(asked).rejects.toBeInstanceOf(RegistryUnavailableError);
  });

  it("turns newcomers away as 'busy' once the oldest waiting call has used half its time, while calls still finish", async () => {
    const registry = controllable();
    const guarded = withinLimits({ ask: registry.call }, { timeoutMs: 2_000, maxInFlight: 100 }, clock);
    const first = guarded.ask();
    vi.advanceTimersByTime(500);
    const second = guarded.ask();
    registry.finishOldest();
    await expect(first).resolves.toBe("svar");
    vi.advanceTimersByTime(1_100);
    // `second` has now waited 1.1 s: the queue cannot be got through in time.
    await expect(guarded.ask()).rejects.toBeInstanceOf(RegistryBusyError);
    registry.finishOldest();
    await expect(second).resolves.toBe("svar");
    // Caught up: the next one is let in again.
    const third = guarded.ask();
    registry.finishOldest();
    await expect(third).resolves.toBe("svar");
  });

  it("says 'unavailable', not 'busy', when nothing has finished for the whole time (a hung database)", async () => {
    const registry = controllable();
    const guarded = withinLimits({ ask: registry.call }, { timeoutMs: 2_000, maxInFlight: 100 }, clock);
    const first = guarded.ask();
    vi.advanceTimersByTime(2_000);
    await expect(first).rejects.toBeInstanceOf(RegistryUnavailableError);
    const second = guarded.ask();
    vi.advanceTimersByTime(1_500);
    await expect(guarded.ask()).rejects.toBeInstanceOf(RegistryUnavailableError);
    vi.advanceTimersByTime(500);
    await expect(second).rejects.toBeInstanceOf(RegistryUnavailableError);
  });

  it("a call past its time no longer holds newcomers back, but still counts against the cap until it ends", async () => {
    const registry = controllable();
    const guarded = withinLimits({ ask: registry.call }, limits, clock);
    const stuck = [guarded.ask(), guarded.ask()];
    vi.advanceTimersByTime(2_000);
    for (const call of stuck) await expect(call).rejects.toBeInstanceOf(RegistryUnavailableError);
    const third = guarded.ask();
    // Three in flight (two stuck): the cap is reached.
    await expect(guarded.ask()).rejects.toBeInstanceOf(RegistryUnavailableError);
    registry.finishOldest();
    registry.finishOldest();
    registry.finishOldest();
    await expect(third).resolves.toBe("svar");
    const fourth = guarded.ask();
    registry.finishOldest();
    await expect(fourth).resolves.toBe("svar");
  });
});
