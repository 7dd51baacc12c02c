import { describe, expect, it } from "vitest";
import { reminderThreshold } from "../../src/jobs/reminder-job.js";
import { retryDelayMs } from "../../src/modules/posting/post-once.js";
import { daysLeftPhrase, reminderMessage } from "../../src/slack/blocks/reminder.js";
import { ChannelPacer } from "../../src/slack/web-poster.js";

/** A pacer on a virtual clock: sleeping advances time, and every wait is recorded. */
function virtualPacer(intervalMs = 1_000) {
  let now = 0;
  const slept: number[] = [];
  const pacer = new ChannelPacer({
    intervalMs,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  });
  return { pacer, slept, advance: (ms: number) => (now += ms), time: () => now };
}

describe("the per-channel pacer", () => {
  it("spaces messages to one channel a second apart and lets the first go at once", async () => {
    const { pacer, slept, time } = virtualPacer();
    const sentAt: number[] = [];
    for (let index = 0; index < 4; index += 1) {
      await pacer.wait("C1");
      sentAt.push(time());
    }
    expect(sentAt).toEqual([0, 1_000, 2_000, 3_000]);
    expect(slept).toEqual([1_000, 1_000, 1_000]);
  });

  it("queues concurrent callers on one channel in order", async () => {
    let now = 0;
    const requested: number[] = [];
    const pacer = new ChannelPacer({
      now: () => now,
      sleep: async (ms) => {
        requested.push(ms);
      },
    });
    await Promise.all([pacer.wait("C1"), pacer.wait("C1"), pacer.wait("C1")]);
    expect(requested).toEqual([1_000, 2_000]);
    now = 10_000;
    await pacer.wait("C1");
    expect(requested).toEqual([1_000, 2_000]);
  });

  it("does not make different channels wait for each other", async () => {
    const { pacer, slept } = virtualPacer();
    await pacer.wait("C1");
    await pacer.wait("C2");
    await pacer.wait("C3");
    expect(slept).toEqual([]);
  });

  it("holds a channel off for Retry-After after a 429", async () => {
    const { pacer, slept } = virtualPacer();
    await pacer.wait("C1");
    pacer.holdOff("C1", 5_000);
    await pacer.wait("C1");
    expect(slept).toEqual([5_000]);
    await pacer.wait("C2");
    expect(slept).toEqual([5_000]);
  });
});

describe("reminder thresholds", () => {
  it("picks the nearest configured threshold at or above the days left", () => {
    const days = [7, 1];
    expect(reminderThreshold(8, days)).toBeNull();
    expect(reminderThreshold(7, days)).toBe(7);
    expect(reminderThreshold(5, days)).toBe(7);
    expect(reminderThreshold(2, days)).toBe(7);
    expect(reminderThreshold(1, days)).toBe(1);
    expect(reminderThreshold(0, days)).toBe(1);
    expect(reminderThreshold(-1, days)).toBeNull();
    expect(reminderThreshold(3, [14, 3, 0])).toBe(3);
    expect(reminderThreshold(0, [14, 3, 0])).toBe(0);
    expect(reminderThreshold(1, [])).toBeNull();
  });
});

describe("the reminder message", () => {
  it("says in Swedish what is due when, with the public title only", () => {
    const message = reminderMessage({
      label: "Dnr 108-1642/2017",
      publicTitle: "Bristerna inom socialtjänsten",
      dueOn: "2017-03-31",
      daysLeft: 7,
    });
    expect(message.text).toBe(
      "Påminnelse: remissvar till Dnr 108-1642/2017 «Bristerna inom socialtjänsten» ska vara inne senast 31 mars 2017 (om 7 dagar).",
    );
    expect(JSON.stringify(message.blocks)).toContain("31 mars 2017 (om 7 dagar)");
  });

  it("counts days in Swedish and escapes registry text in the blocks", () => {
    expect(daysLeftPhrase(1)).toBe("om 1 dag");
    expect(daysLeftPhrase(0)).toBe("i dag");
    const message = reminderMessage({
      label: "Motion 2016:114",
      publicTitle: "Vård <och> omsorg & skola",
      dueOn: "2017-03-31",
      daysLeft: 1,
    });
    const section = message.blocks[0] as { text: { text: string } };
    expect(section.text.text).toContain("Vård &lt;och&gt; omsorg &amp; skola");
    expect(section.text.text).toContain("(om 1 dag)");
  });
});

describe("retry backoff of a failed post", () => {
  it("doubles from a minute up to an hour", () => {
    expect([1, 2, 3, 4, 7, 8, 20].map((attempts) => retryDelayMs(attempts) / 60_000)).toEqual([
      1, 2, 4, 8, 60, 60, 60,
    ]);
  });
});
