import { startBot } from "../src/bot.js";
import { systemClock } from "../src/clock.js";
import { parseConfig } from "../src/config.js";
import { openDatabase } from "../src/db/client.js";
import { FakeSlack } from "../tests/support/fake-slack.js";
import { freePort } from "../tests/support/running-bot.js";
import { announce } from "./child.js";

/**
 * The bot as `npm start` runs it, on the database named by DATABASE_URL or DATA_DIR (already
 * migrated and loaded by the parent), with a fake Slack Web API that answers auth.test.
 */
const slack = new FakeSlack();
await slack.start();
const port = await freePort();
const config = parseConfig(
  {
    DATABASE_URL: process.env.DATABASE_URL,
    DATA_DIR: process.env.DATA_DIR,
    SLACK_BOT_TOKEN: "xoxb-bench-token",
    SLACK_SIGNING_SECRET: process.env.SLACK_SIGNING_SECRET,
    SLACK_API_URL: slack.apiUrl,
    PORT: String(port),
    LOG_LEVEL: "error",
  },
  "bot",
);
const database = await openDatabase(config.database, { thread: "worker" });
const bot = await startBot({ config, clock: systemClock, database });

announce(port, async () => {
  await bot.stop();
  await database.close();
  await slack.stop();
});
