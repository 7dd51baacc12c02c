import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { DATABASE_THREAD_GROWTH_BYTES, IdleCollector } from "../../src/observability/idle-collection.js";
import { npmStartCommand } from "../support/start-command.js";

const MB = 1024 * 1024;

/** A heap that grows by what the test says and shrinks to `live` when collected. */
function fakeProcess(start: number, growthBytes?: number) {
  const state = { used: start, live: start, utilisation: 0, collections: 0, refused: false };
  const collector = new IdleCollector(
    {
      utilisation: () => state.utilisation,
      heapBytes: () => state.used,
      collect: async () => {
        // The database thread is not opened again while a query or transaction is open in it.
        if (state.refused) return false;
        state.collections += 1;
        state.used = state.live;
        return true;
      },
    },
    growthBytes,
  );
  return { state, collector };
}

/** Checks that must not collect yet: fewer than three quiet ones in a row. */
async function quietFor(collector: IdleCollector, checks: number) {
  for (let check = 0; check < checks; check += 1) expect(await collector.check()).toBe(false);
}

describe("collection after a burst of work", () => {
  it("collects once when the bot goes quiet with a heap grown by a burst, and not again for the live rest", async () => {
    const { state, collector } = fakeProcess(40 * MB);
    state.used = 145 * MB;
    state.live = 49 * MB;
    state.utilisation = 0.6;
    expect(await collector.check()).toBe(false);
    state.utilisation = 0.001;
    await quietFor(collector, 2);
    expect(await collector.check()).toBe(true);
    expect(state.used).toBe(49 * MB);
    // The live objects left (a fuller case cache) are no reason to collect again and again.
    expect(await collector.check()).toBe(false);
    expect(state.collections).toBe(1);
  });

  it("waits until the bot has been quiet for three checks in a row, so that V8 shrinks its young generation too", async () => {
    const { state, collector } = fakeProcess(40 * MB);
    state.used = 145 * MB;
    await quietFor(collector, 2);
    state.utilisation = 0.3;
    expect(await collector.check()).toBe(false);
    state.utilisation = 0.001;
    await quietFor(collector, 2);
    expect(state.collections).toBe(0);
    expect(await collector.check()).toBe(true);
  });

  it("leaves a heap that grew a little, and one V8 collected itself, alone", async () => {
    const { state, collector } = fakeProcess(40 * MB);
    await quietFor(collector, 2);
    state.used = 60 * MB;
    expect(await collector.check()).toBe(false);
    // V8's own collection brings the floor down; growth is counted from there.
    state.used = 30 * MB;
    expect(await collector.check()).toBe(false);
    state.used = 70 * MB;
    expect(await collector.check()).toBe(true);
    expect(state.collections).toBe(1);
  });

  it("tries again at the next quiet check when the database was busy and refused to be opened again", async () => {
    const { state, collector } = fakeProcess(280 * MB, 24 * MB);
    state.used = 330 * MB;
    state.live = 285 * MB;
    state.refused = true;
    await quietFor(collector, 2);
    expect(await collector.check()).toBe(false);
    state.refused = false;
    expect(await collector.check()).toBe(true);
    expect(state).toMatchObject({ collections: 1, used: 285 * MB });
  });

  it("collects the embedded database's thread after a smaller growth (the rows of cold lookups)", async () => {
    const main = fakeProcess(40 * MB);
    const database = fakeProcess(40 * MB, DATABASE_THREAD_GROWTH_BYTES);
    for (const { state } of [main, database]) state.used = 52 * MB;
    await quietFor(main.collector, 2);
    await quietFor(database.collector, 2);
    expect(await main.collector.check()).toBe(false);
    expect(await database.collector.check()).toBe(true);
  });

  it("runs with npm start's node flags: the collection is there to ask for, and V8 takes the compacting flag", () => {
    const flags = npmStartCommand().nodeOptions;
    expect(flags).toContain("--expose-gc");
    const probe = spawnSync(
      process.execPath,
      [
        ...flags,
        "-e",
        // V8 does not throw on a flag it does not know: it says so on stderr.
        "require('node:v8').setFlagsFromString('--compact-on-every-full-gc'); process.stdout.write(typeof gc)",
      ],
      {
        encoding: "utf8",
      },
    );
    expect(probe.stdout).toBe("function");
    expect(probe.stderr).not.toMatch(/unrecognized flag/);
  });
});
