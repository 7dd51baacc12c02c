import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Clock, fixedClock } from "../../src/clock.js";
import { type DatabaseHandle, openPostgres } from "../../src/db/client.js";
import { cases, deadlines, digestSubscriptions, slackPosts } from "../../src/db/schema.js";
import { runDueDigests } from "../../src/jobs/digest-job.js";
import { LATE_NOTICE } from "../../src/modules/digests/present-digest.js";
import { dnrKey } from "../../src/modules/identifiers/parse-identifier.js";
import { createContext, systemActor } from "../../src/modules/shared/context.js";
import { SLACK_LIMITS } from "../../src/slack/blocks/mrkdwn.js";
import { ChannelPacer, createPostingClient, createWebPoster } from "../../src/slack/web-poster.js";
import { FakeSlack, type RecordedCall } from "../support/fake-slack.js";
import { type BotUnderTest, startBotUnderTest, virtualPacing } from "../support/running-bot.js";
import { Seeder } from "../support/seed-rows.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

/**
 * Scheduled delivery through the real bot: startBot's start-up run (the catch-up) and its every-minute
 * jobs, the real Web API client against a stand-in Slack, on PGlite or on PostgreSQL.
 * Monday 23 November 2026, 08:00 in Stockholm (winter time) is 07:00Z.
 */
const PERIOD = "2026-11-23";

let database: TestDatabase;
let seed: Seeder;
let smallBodyId: number;

beforeAll(async () => {
  database = await createTestDatabase();
  seed = new Seeder(database.db);
  smallBodyId = await seed.body("Kulturnämnden");
  for (const [index, title] of [
    "Bibliotekens öppettider",
    "Fritidsgårdarnas lokaler",
    "Konstinköp 2026",
  ].entries()) {
    const caseId = await seed.case({
      dnr: `112-${index + 1}/2026`,
      kind: "skrivelse",
      title,
      publicTitle: title,
      status: "in_progress",
      responsibleBody: "Kulturnämnden",
    });
    await seed.deadline({ caseId, kind: "policy", dueOn: `2026-0${index + 6}-01`, state: "open" });
  }
});

afterAll(() => database?.destroy());

/**
 * startBot as main.ts calls it, against the given stand-in Slack and clock. Slack's pacing runs on
 * `pacing`'s virtual clock: the bot waits out each second and Retry-After there, not in real time
 * (tests/unit/web-poster.test.ts holds the real pacer to real seconds).
 */
async function startInstance(
  handle: DatabaseHandle,
  clock: Clock,
  slack: FakeSlack,
  pacing = virtualPacing(),
): Promise<BotUnderTest> {
  return startBotUnderTest(handle, { clock, slack, pacer: pacing.pacer });
}

async function startedSlack(): Promise<FakeSlack> {
  const slack = new FakeSlack();
  await slack.start();
  return slack;
}

/** A subscription made a week before the Monday in question, so that Monday's run counts. */
async function subscribe(channelId: string, bodyIds: number[]): Promise<number> {
  return seed.digestSubscription({
    channelId,
    bodyIds,
    createdBySlackUserId: "UADMIN",
    madeAt: new Date("2026-11-16T12:00:00Z"),
  });
}

async function endSubscriptions(): Promise<void> {
  await database.db.update(digestSubscriptions).set({ active: false });
}

async function post(key: string) {
  const [row] = await database.db.select().from(slackPosts).where(eq(slackPosts.key, key));
  return row ?? null;
}

async function waitForPosted(key: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await post(key);
    if (row?.state === "posted") return row;
    if (Date.now() > deadline)
      throw new Error(`post ${key} is ${row?.state ?? "missing"} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const postsTo = (slack: FakeSlack, channel: string): RecordedCall[] =>
  slack.callsTo("chat.postMessage").filter((call) => call.body.channel === channel);

type Block = { type: string; text?: { text: string }; elements?: { text: string }[] };
const blocksOf = (call: RecordedCall) => (call.body.blocks ?? []) as Block[];

describe("weekly digests, posted exactly once", () => {
  it.runIf(Boolean(process.env.TEST_DATABASE_URL))(
    "two app instances on one PostgreSQL database, on the same schedule, post the digest once",
    async () => {
      const subscriptionId = await subscribe("CTWOBOTS", [smallBodyId]);
      const secondHandle = openPostgres(database.url as string, { max: 5 });
      const slack = await startedSlack();
      const clock = fixedClock("2026-11-23T07:00:30Z");
      try {
        const instances = await Promise.all([
          startInstance(database, clock, slack),
          startInstance(secondHandle, clock, slack),
        ]);
        const row = await waitForPosted(`digest:${subscriptionId}:${PERIOD}`);
        await Promise.all(instances.map((instance) => instance.stop()));
        expect(row.partsPosted).toBeGreaterThanOrEqual(1);
        expect(postsTo(slack, "CTWOBOTS")).toHaveLength(row.partsPosted);
        expect(row.late).toBe(false);
      } finally {
        await endSubscriptions();
        await secondHandle.close();
        await slack.stop();
      }
    },
  );

  it("two concurrent runs on one database handle post the digest once", async () => {
    const subscriptionId = await subscribe("CTWORUNS", [smallBodyId]);
    const slack = await startedSlack();
    const clock = fixedClock("2026-11-23T07:00:30Z");
    const run = (instanceId: string) =>
      runDueDigests(createContext({ db: database.db, clock, actor: systemActor("digests") }), {
        instanceId,
        poster: createWebPoster({
          client: createPostingClient({ botToken: "xoxb-test", apiUrl: slack.apiUrl, logLevel: "error" }),
          pacer: new ChannelPacer(),
        }),
      });
    try {
      const reports = await Promise.all([run("a"), run("b"), run("c")]);
      expect(reports.map((report) => report.posted ?? 0).reduce((sum, count) => sum + count)).toBe(1);
      const row = await post(`digest:${subscriptionId}:${PERIOD}`);
      expect(row?.state).toBe("posted");
      expect(postsTo(slack, "CTWORUNS")).toHaveLength(row?.partsPosted ?? -1);
    } finally {
      await endSubscriptions();
      await slack.stop();
    }
  });

  it("a bot started after a missed Monday 08:00 posts one late digest, and a restart posts nothing", async () => {
    const subscriptionId = await subscribe("CMISSED", [smallBodyId]);
    const key = `digest:${subscriptionId}:${PERIOD}`;
    // Monday 09:30 Stockholm: the bot was down at 08:00.
    const clock = fixedClock("2026-11-23T08:30:00Z");
    const first = await startedSlack();
    const second = await startedSlack();
    try {
      const bot = await startInstance(database, clock, first);
      const row = await waitForPosted(key);
      await bot.stop();
      expect(row.late).toBe(true);
      const calls = postsTo(first, "CMISSED");
      expect(calls).toHaveLength(1);
      expect(JSON.stringify(blocksOf(calls[0] as RecordedCall))).toContain(LATE_NOTICE);
      expect(JSON.stringify(blocksOf(calls[0] as RecordedCall))).toContain("Dnr 112-1/2026");

      const restarted = await startInstance(database, fixedClock("2026-11-23T09:00:00Z"), second);
      await restarted.stop();
      expect(postsTo(second, "CMISSED")).toHaveLength(0);
      expect((await post(key))?.attempts).toBe(1);
    } finally {
      await endSubscriptions();
      await first.stop();
      await second.stop();
    }
  });

  it("a Web API answering 429 (Retry-After: 1) and then 200 gives one post, recorded with its ts", async () => {
    const subscriptionId = await subscribe("CLIMITED", [smallBodyId]);
    const slack = await startedSlack();
    let limited = 0;
    slack.respondWith((call) => {
      if (call.method !== "chat.postMessage" || call.body.channel !== "CLIMITED" || limited > 0)
        return undefined;
      limited += 1;
      return { status: 429, headers: { "retry-after": "1" }, body: { ok: false, error: "ratelimited" } };
    });
    const pacing = virtualPacing();
    try {
      const bot = await startInstance(database, fixedClock("2026-11-23T07:01:00Z"), slack, pacing);
      const row = await waitForPosted(`digest:${subscriptionId}:${PERIOD}`);
      await bot.stop();
      // Retry-After: 1 was waited out, once, before the post was tried again.
      expect(pacing.waits).toEqual([1_000]);
      const calls = postsTo(slack, "CLIMITED");
      // The refused attempt and the one that landed; the message itself exists once.
      expect(calls).toHaveLength(2);
      expect(calls[0]?.body.text).toBe(calls[1]?.body.text);
      expect(row).toMatchObject({ state: "posted", partsPosted: 1, attempts: 1, lastError: null });
      expect(row.messageTs).toMatch(/^1700000000\.\d{6}$/);
    } finally {
      await endSubscriptions();
      await slack.stop();
    }
  });

  it("500 overdue cases are split into messages within Slack's limits, the rest threaded under the first", async () => {
    const registryId = await seed.registry();
    const bodyId = await seed.body("Stadsbyggnadsnämnden");
    // Far more than one message holds: the digest is split, and each part waits its second (pacing).
    const rows = Array.from({ length: 500 }, (_, index) => {
      const dnr = `214-${index + 1}/2026`;
      const title = `Skrivelse ${index + 1} om detaljplanen för kvarteret Lärkan & Trasten <norra delen>`;
      return {
        registryId,
        dnr,
        dnrKey: dnrKey(dnr),
        kind: "skrivelse" as const,
        title,
        publicTitle: title,
        status: "in_progress" as const,
        responsibleBodyId: bodyId,
      };
    });
    // Raw rows on purpose: 500 cases and deadlines in two statements; the Seeder's row at a time
    // would spend most of this test on the inserts.
    const inserted = await database.db.insert(cases).values(rows).returning({ id: cases.id });
    await database.db.insert(deadlines).values(
      inserted.map(({ id }, index) => ({
        caseId: id,
        kind: "policy" as const,
        dueOn: `2026-0${(index % 9) + 1}-15`,
        basis: "Lokal policy: 3 månader",
      })),
    );
    const subscriptionId = await subscribe("CLARGE", [bodyId]);
    const slack = await startedSlack();
    const pacing = virtualPacing();
    const arrivals: number[] = [];
    slack.respondWith((call) => {
      if (call.method === "chat.postMessage" && call.body.channel === "CLARGE") arrivals.push(pacing.now());
      return undefined;
    });
    try {
      const bot = await startInstance(database, fixedClock("2026-11-23T07:00:10Z"), slack, pacing);
      const row = await waitForPosted(`digest:${subscriptionId}:${PERIOD}`, 30_000);
      await bot.stop();
      const calls = postsTo(slack, "CLARGE");
      expect(calls.length).toBeGreaterThan(1);
      expect(calls).toHaveLength(row.partsPosted);
      expect(row.itemCount).toBe(500);

      const [first, ...rest] = calls;
      expect(first?.body.thread_ts).toBeUndefined();
      expect(row.messageTs).toBeTruthy();
      for (const call of rest) expect(call.body.thread_ts).toBe(row.messageTs);

      const seen = new Map<string, number>();
      for (const call of calls) {
        const blocks = blocksOf(call);
        expect(String(call.body.text ?? "").length).toBeGreaterThan(0);
        expect(blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocksPerMessage);
        for (const block of blocks) {
          if (block.type === "section")
            expect(block.text?.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
          if (block.type === "header")
            expect(block.text?.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
          const texts = [block.text?.text ?? "", ...(block.elements ?? []).map((element) => element.text)];
          for (const text of texts) {
            for (const match of text.matchAll(/Dnr 214-(\d+)\/2026/g)) {
              seen.set(match[1] as string, (seen.get(match[1] as string) ?? 0) + 1);
            }
          }
        }
      }
      expect(seen.size).toBe(500);
      expect([...seen.values()].every((count) => count === 1)).toBe(true);
      // About one message per second in the channel.
      const gaps = arrivals.slice(1).map((at, index) => at - (arrivals[index] as number));
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(900);
    } finally {
      await endSubscriptions();
      await slack.stop();
    }
  }, 60_000);
});

describe("remiss reminders, once per remiss and threshold", () => {
  it("reminds the answering body's channel 7 days and 1 day before the due date, once each", async () => {
    await endSubscriptions();
    await seed.body("Socialnämnden", "board", "CSOCIAL");
    await seed.body("Bromma stadsdelsnämnd", "district_board");
    await seed.case({
      dnr: null,
      kind: "motion",
      title: "Motion om en kompetensutvecklingspeng för socialsekreterare",
      publicTitle: "Motion om en kompetensutvecklingspeng för socialsekreterare",
      status: "in_progress",
      identifiers: ["Motion 2016:114"],
      referrals: [
        {
          body: "Socialnämnden",
          dueOn: "2026-12-14",
          dueStatement: "ska senast vara inlämnad 14 december 2026",
        },
        // No channel: nothing is posted for it.
        { body: "Bromma stadsdelsnämnd", dueOn: "2026-12-14" },
      ],
    });
    await seed.case({
      dnr: "108-2001/2026",
      kind: "other",
      title: "Orosanmälan gällande barn på Drottninggatan 5",
      publicTitle: "Sekretess",
      restricted: true,
      status: "in_progress",
      referrals: [{ body: "Socialnämnden", dueOn: "2026-12-16" }],
    });

    const run = async (at: string) => {
      const slack = await startedSlack();
      const bot = await startInstance(database, fixedClock(at), slack);
      await bot.stop();
      await slack.stop();
      return slack.callsTo("chat.postMessage");
    };

    // Monday 7 December 2026, 09:00 Stockholm: due in 7 days.
    const week = await run("2026-12-07T08:00:00Z");
    expect(week.map((call) => [call.body.channel, call.body.text])).toEqual([
      [
        "CSOCIAL",
        "Påminnelse: remissvar till Motion 2016:114 «Motion om en kompetensutvecklingspeng för socialsekreterare» ska vara inne senast 14 december 2026 (om 7 dagar).",
      ],
    ]);
    // The same day again: nothing new.
    expect(await run("2026-12-07T15:00:00Z")).toHaveLength(0);
    // Thursday 10 December, the bot having been down on the 9th: the restricted case's 7-day reminder
    // comes late, with its public data only; the motion's has been sent.
    const late = await run("2026-12-10T08:00:00Z");
    expect(late.map((call) => call.body.text)).toEqual([
      "Påminnelse: remissvar till Dnr 108-2001/2026 «Sekretess» ska vara inne senast 16 december 2026 (om 6 dagar).",
    ]);
    expect(JSON.stringify(late[0]?.body)).not.toContain("Orosanmälan");
    // Sunday 13 December: the motion's remiss is due tomorrow.
    const day = await run("2026-12-13T08:00:00Z");
    expect(day.map((call) => call.body.text)).toEqual([
      expect.stringContaining(
        "Motion 2016:114 «Motion om en kompetensutvecklingspeng för socialsekreterare» ska vara inne senast 14 december 2026 (om 1 dag).",
      ),
    ]);
    expect(await run("2026-12-14T08:00:00Z")).toHaveLength(0);

    const reminders = await database.db.select().from(slackPosts).where(eq(slackPosts.kind, "reminder"));
    expect(reminders.map((row) => [row.subjectId, row.period, row.state, row.channelId])).toHaveLength(3);
    expect(reminders.every((row) => row.state === "posted" && row.channelId === "CSOCIAL")).toBe(true);
    expect(reminders.map((row) => row.period).sort()).toEqual(["1", "7", "7"]);
  });
});
