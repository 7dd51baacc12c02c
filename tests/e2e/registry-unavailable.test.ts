import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPostgres } from "../../src/db/client.js";
import { type BotUnderTest, startBotUnderTest } from "../support/running-bot.js";
import { seedClosedLetter } from "../support/scenarios.js";
import { Seeder } from "../support/seed-rows.js";
import { sendSigned } from "../support/signed-request.js";
import { sendArende } from "../support/slash-command.js";
import { HangingProxy } from "../support/tcp-proxy.js";
import { createTestDatabase, type TestDatabase } from "../support/test-database.js";

/**
 * Issue 7 §3: a database that does not answer must not leave anyone waiting. Slack gives a request
 * 3 seconds; the asker hears "Diariet svarar inte just nu" within them, and /readyz says so within 5.
 */

const UNAVAILABLE = "Diariet svarar inte just nu";

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedClosedLetter(new Seeder(database.db));
});

afterAll(async () => {
  await database?.destroy();
});

let mentions = 0;
function mention(bot: BotUnderTest, channel: string) {
  mentions += 1;
  return sendSigned(
    bot.eventsUrl,
    JSON.stringify({
      type: "event_callback",
      team_id: "T111",
      event_id: `EvOutage${mentions}`,
      event_time: 1515449522,
      event: {
        type: "app_mention",
        user: "W222",
        text: "<@UBOT> status Dnr 108-1642/2017",
        ts: `1515449522.00${String(mentions).padStart(4, "0")}`,
        channel,
        event_ts: "1515449522.000100",
      },
    }),
    { contentType: "application/json" },
  );
}

/**
 * Keeps the registry from answering for `ms`: a statement that holds PGlite's one session, or on
 * PostgreSQL a transaction holding exclusive locks on the cases and on registry_writes (which the case
 * cache asks before answering from memory; a lock on the cases alone leaves cached cases answerable).
 */
async function occupyRegistry(ms: number): Promise<{ released: Promise<unknown> }> {
  if (database.kind === "pglite") {
    // Drizzle starts a query only when it is awaited or then'd.
    const holding = database.db.execute(sql.raw(`select pg_sleep(${ms / 1000})`)).then(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 50));
    return { released: holding };
  }
  let locked: () => void = () => {};
  const isLocked = new Promise<void>((resolve) => {
    locked = resolve;
  });
  const holding = database.db.transaction(async (tx) => {
    await tx.execute(sql`lock table cases, registry_writes in access exclusive mode`);
    locked();
    await new Promise((resolve) => setTimeout(resolve, ms));
  });
  await isLocked;
  return { released: holding };
}

describe("a registry that does not answer in time", () => {
  let bot: BotUnderTest;
  beforeAll(async () => {
    bot = await startBotUnderTest(database);
  });
  afterAll(async () => {
    await bot?.stop();
  });

  it("a slash command is answered 'Diariet svarar inte just nu' within Slack's 3 seconds", async () => {
    const holding = await occupyRegistry(5_000);
    const started = Date.now();
    const { answer } = await sendArende(bot, "status Dnr 108-1642/2017");
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(answer?.text).toContain(UNAVAILABLE);
    await holding.released;
    const { answer: after } = await sendArende(bot, "status Dnr 108-1642/2017");
    expect(JSON.stringify(after)).toContain("Bristerna inom socialtjänsten");
  }, 20_000);

  it("a case already asked for is answered from memory while a transaction locks the cases", async ({
    skip,
  }) => {
    // PGlite's one session blocks every query, the cache's check included.
    if (database.kind !== "postgres") skip();
    await sendArende(bot, "status Dnr 108-1642/2017");
    let locked: () => void = () => {};
    const isLocked = new Promise<void>((resolve) => {
      locked = resolve;
    });
    const holding = database.db.transaction(async (tx) => {
      await tx.execute(sql`lock table cases in access exclusive mode`);
      locked();
      await new Promise((resolve) => setTimeout(resolve, 3_000));
    });
    await isLocked;
    const started = Date.now();
    const { answer } = await sendArende(bot, "status Dnr 108-1642/2017");
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(JSON.stringify(answer)).toContain("Bristerna inom socialtjänsten");
    await holding;
  }, 20_000);

  it("a mention is answered in its thread with the same words within 3 seconds", async () => {
    const holding = await occupyRegistry(5_000);
    const before = bot.slack.callsTo("chat.postMessage").length;
    const started = Date.now();
    expect((await mention(bot, "C123OUT")).status).toBe(200);
    const posts = await bot.slack.waitForCalls("chat.postMessage", before + 1, 3_000);
    expect(Date.now() - started).toBeLessThan(3_000);
    const answer = posts.at(-1)?.body;
    expect(answer?.channel).toBe("C123OUT");
    expect(String(answer?.text)).toContain(UNAVAILABLE);
    await holding.released;
  }, 20_000);
});

describe.runIf(process.env.TEST_DATABASE_URL)(
  "a PostgreSQL server that hangs (connections accepted, no answer)",
  () => {
    let proxy: HangingProxy;
    let bot: BotUnderTest;
    let handle: ReturnType<typeof openPostgres>;

    beforeAll(async () => {
      const target = new URL(database.url as string);
      proxy = new HangingProxy(target.hostname, Number(target.port || 5432));
      const port = await proxy.start();
      const viaProxy = new URL(target);
      viaProxy.host = `127.0.0.1:${port}`;
      handle = openPostgres(viaProxy.toString(), { max: 4 });
      bot = await startBotUnderTest(handle);
    });

    afterAll(async () => {
      await bot?.stop();
      await handle?.close().catch(() => {});
      await proxy?.stop();
    });

    it("answers every asker within 3 s, /readyz turns 503 within 5 s, and all is well once it is back", async () => {
      expect((await fetch(`${bot.baseUrl}/readyz`)).status).toBe(200);
      proxy.hang();

      const started = Date.now();
      const asked = await Promise.all(
        Array.from({ length: 6 }, () => sendArende(bot, "status Dnr 108-1642/2017")),
      );
      expect(Date.now() - started).toBeLessThan(3_000);
      for (const { answer } of asked) expect(answer?.text).toContain(UNAVAILABLE);

      const before = bot.slack.callsTo("chat.postMessage").length;
      const mentioned = Date.now();
      await mention(bot, "C123HANG");
      const posts = await bot.slack.waitForCalls("chat.postMessage", before + 1, 3_000);
      expect(Date.now() - mentioned).toBeLessThan(3_000);
      expect(String(posts.at(-1)?.body.text)).toContain(UNAVAILABLE);

      const probed = Date.now();
      const ready = await fetch(`${bot.baseUrl}/readyz`);
      expect(ready.status).toBe(503);
      expect(Date.now() - probed).toBeLessThan(5_000);

      proxy.resume();
      const deadline = Date.now() + 15_000;
      while ((await fetch(`${bot.baseUrl}/readyz`)).status !== 200) {
        expect(Date.now()).toBeLessThan(deadline);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
      const { answer } = await sendArende(bot, "status Dnr 108-1642/2017");
      expect(JSON.stringify(answer)).toContain("Bristerna inom socialtjänsten");
    }, 40_000);
  },
);
