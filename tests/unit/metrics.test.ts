import { describe, expect, it } from "vitest";
import { RegistryBusyError, withinLimits } from "../../src/modules/shared/availability.js";
import { markRequest, measureRequest, registry, surfaceOf } from "../../src/observability/metrics.js";

async function value(name: string, labels: Record<string, string>): Promise<number> {
  const metric = registry.getSingleMetric(name);
  const data = await metric?.get();
  const found = data?.values.find(
    (entry) =>
      Object.entries(labels).every(([key, wanted]) => String(entry.labels[key]) === wanted) &&
      (!("metricName" in entry) || entry.metricName === name || entry.metricName === `${name}_count`),
  );
  return found?.value ?? 0;
}

describe("metrics", () => {
  it("counts a registry call turned away as shed, and its request as busy", async () => {
    const shedBefore = await value("arendebot_registry_shed_total", { reason: "busy" });
    const busyBefore = await value("arendebot_slack_requests_total", { surface: "command", outcome: "busy" });
    let release = () => {};
    const guarded = withinLimits(
      { quick: async () => {}, ask: () => new Promise<void>((resolve) => (release = resolve)) },
      { timeoutMs: 2_000, maxInFlight: 1, concurrency: 1 },
    );
    // A call that has finished lately: a full queue now means busy, not a database that does not answer.
    await guarded.quick();
    const first = guarded.ask();
    await measureRequest("command", async (acked) => {
      acked();
      await expect(guarded.ask()).rejects.toBeInstanceOf(RegistryBusyError);
    });
    release();
    await first;
    expect(await value("arendebot_registry_shed_total", { reason: "busy" })).toBe(shedBefore + 1);
    expect(await value("arendebot_slack_requests_total", { surface: "command", outcome: "busy" })).toBe(
      busyBefore + 1,
    );
    expect(await value("arendebot_registry_calls", { state: "running" })).toBe(0);
  });

  it("counts a request whose listener failed as an error, and marks nothing outside a request", async () => {
    const before = await value("arendebot_slack_requests_total", { surface: "view", outcome: "error" });
    markRequest("error");
    await measureRequest("view", async () => markRequest("error"));
    await expect(
      measureRequest("view", async () => {
        throw new Error("listener failed");
      }),
    ).rejects.toThrow("listener failed");
    expect(await value("arendebot_slack_requests_total", { surface: "view", outcome: "error" })).toBe(
      before + 2,
    );
  });

  it("tells the surface from Slack's payload, and anything unknown is 'other'", () => {
    expect(surfaceOf({ command: "/arende" })).toBe("command");
    expect(surfaceOf({ type: "block_actions" })).toBe("action");
    expect(surfaceOf({ type: "view_submission" })).toBe("view");
    expect(surfaceOf({ type: "event_callback" })).toBe("event");
    expect(surfaceOf({ type: "U0123-anything" })).toBe("other");
    expect(surfaceOf(null)).toBe("other");
  });
});
