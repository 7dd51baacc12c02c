import { createServer } from "node:net";
import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { type RunningBot, startBot } from "../../src/bot.js";
import { type Clock, fixedClock } from "../../src/clock.js";
import { parseConfig } from "../../src/config.js";
import type { DatabaseHandle } from "../../src/db/client.js";
import type { Logger } from "../../src/observability/logger.js";
import { ChannelPacer } from "../../src/slack/web-poster.js";
import { FakeSlack } from "./fake-slack.js";
import { Seeder } from "./seed-rows.js";
import { TEST_SIGNING_SECRET } from "./signed-request.js";
import { createTestDatabase, type TestDatabase } from "./test-database.js";

export type BotUnderTest = {
  slack: FakeSlack;
  eventsUrl: string;
  baseUrl: string;
  stop(): Promise<void>;
};

/** Starts the real bot in HTTP mode, configured the way an operator would, against a fake Slack. */
export async function startBotUnderTest(
  database: DatabaseHandle,
  options: BotOptions = {},
): Promise<BotUnderTest> {
  const ownSlack = !options.slack;
  const slack = options.slack ?? new FakeSlack();
  if (ownSlack) await slack.start();
  const port = await freePort();
  const config = parseConfig(
    {
      SLACK_BOT_TOKEN: "xoxb-test-token",
      SLACK_SIGNING_SECRET: TEST_SIGNING_SECRET,
      SLACK_API_URL: slack.apiUrl,
      PORT: String(port),
      LOG_LEVEL: "error",
      ...options.env,
    },
    "bot",
  );
  const bot: RunningBot = await startBot({
    config,
    clock: options.clock ?? fixedClock("2017-04-03T10:00:00+02:00"),
    database,
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.pacer ? { pacer: options.pacer } : {}),
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    slack,
    baseUrl,
    eventsUrl: `${baseUrl}/slack/events`,
    // Once: a test may stop its bot to flush the answers in flight, and the teardown stops it again.
    stop: once(async () => {
      await bot.stop();
      if (ownSlack) await slack.stop();
    }),
  };
}

type BotOptions = {
  clock?: Clock;
  env?: Record<string, string>;
  logger?: Logger;
  /**
   * A FakeSlack the test started and stops: one that must answer a call the bot makes while it
   * starts, or one Slack for two replicas.
   */
  slack?: FakeSlack;
  /** Paces posts to a channel; `virtualPacing()` lets a test skip Slack's second between posts. */
  pacer?: ChannelPacer;
};

export type BotForFile = {
  /** The bot of this file, against its own FakeSlack; usable from the first test on. */
  bot: BotUnderTest;
  /** This file's fresh database. */
  database: TestDatabase;
  /** Typed rows for this file's database, as the tests add them. */
  seed: Seeder;
};

/**
 * A fresh database, seeded by `given`, and the bot started on it before the file's tests (in
 * beforeAll, so a later beforeAll of the file sees both); stopped and dropped after them.
 */
export function botForThisFile(
  options: BotOptions & {
    given?: (seed: Seeder, database: TestDatabase) => Promise<unknown>;
    /**
     * A bot (and FakeSlack) of its own for each test, on the file's database: a test may then
     * `bot.stop()` to wait for every answer in flight before asserting on what Slack received.
     */
    botPerTest?: boolean;
  } = {},
): BotForFile {
  let database: TestDatabase | undefined;
  let seed: Seeder | undefined;
  let bot: BotUnderTest | undefined;
  const start = async () => {
    bot = await startBotUnderTest(ready(database, "the database"), options);
  };
  beforeAll(async () => {
    database = await createTestDatabase();
    seed = new Seeder(database.db);
    await options.given?.(seed, database);
    if (!options.botPerTest) await start();
  });
  if (options.botPerTest) {
    beforeEach(start);
    afterEach(async () => {
      await bot?.stop();
    });
  }
  afterAll(async () => {
    await bot?.stop();
    await database?.destroy();
  });
  return {
    bot: lateBound(() => ready(bot, "the bot")),
    database: lateBound(() => ready(database, "the database")),
    seed: lateBound(() => ready(seed, "the seeder")),
  };
}

function ready<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is set up in beforeAll: use it inside hooks and tests`);
  return value;
}

/** An object whose properties are read from `get()` when used, so it can be named before it exists. */
function lateBound<T extends object>(get: () => T): T {
  return new Proxy({} as T, {
    get(_target, key) {
      const target = get();
      const value = Reflect.get(target, key, target);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

/**
 * Slack's pacing (a second between posts to a channel, Retry-After after a 429) on a virtual clock:
 * a wait moves the clock on at once and is recorded, so a test sees the waits without sitting them out.
 */
export function virtualPacing() {
  let now = 0;
  const waits: number[] = [];
  const pacer = new ChannelPacer({
    now: () => now,
    sleep: async (ms) => {
      waits.push(ms);
      now += ms;
    },
  });
  return { pacer, waits, now: () => now };
}

function once(run: () => Promise<void>): () => Promise<void> {
  let done: Promise<void> | undefined;
  return () => {
    done ??= run();
    return done;
  };
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
