import { createServer } from "node:net";
import { type RunningBot, startBot } from "../../src/bot.js";
import { type Clock, fixedClock } from "../../src/clock.js";
import { parseConfig } from "../../src/config.js";
import type { DatabaseHandle } from "../../src/db/client.js";
import type { Logger } from "../../src/observability/logger.js";
import { FakeSlack } from "./fake-slack.js";
import { TEST_SIGNING_SECRET } from "./signed-request.js";

export type BotUnderTest = {
  slack: FakeSlack;
  eventsUrl: string;
  baseUrl: string;
  stop(): Promise<void>;
};

/** Starts the real bot in HTTP mode, configured the way an operator would, against a fake Slack. */
export async function startBotUnderTest(
  database: DatabaseHandle,
  options: { clock?: Clock; env?: Record<string, string>; logger?: Logger; slack?: FakeSlack } = {},
): Promise<BotUnderTest> {
  // A test passes its own fake Slack when it must answer a call the bot makes while it starts.
  const slack = options.slack ?? new FakeSlack();
  if (!options.slack) await slack.start();
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
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    slack,
    baseUrl,
    eventsUrl: `${baseUrl}/slack/events`,
    stop: async () => {
      await bot.stop();
      await slack.stop();
    },
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
