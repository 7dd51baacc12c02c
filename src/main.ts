import { type RunningBot, startBot } from "./bot.js";
import { systemClock } from "./clock.js";
import { type Config, ConfigError, loadConfig } from "./config.js";
import { type DatabaseHandle, openDatabase } from "./db/client.js";
import { startIdleCollection } from "./observability/idle-collection.js";
import { createLogger, secretsOf, useProcessLogger } from "./observability/logger.js";
import { explainStartupFailure } from "./startup-failure.js";

let config: Config;
try {
  config = loadConfig("bot");
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`arendebot cannot start.\n${error.message}\nSee README.md, "Configuration".`);
  process.exit(1);
}
// JSON lines on standard output (readable ones on a terminal) at LOG_LEVEL; the lines below meant
// for the operator at start-up and shutdown stay plain.
const logger = useProcessLogger(createLogger({ level: config.logLevel, secrets: secretsOf(config) }));

let database: DatabaseHandle | undefined;
let bot: RunningBot | undefined;
// A promise nobody awaited that fails (a Slack API answer, a late database reply) is logged; it
// must not end a bot that is otherwise serving everyone else.
process.on("unhandledRejection", (reason) => {
  logger.error({ err: reason }, "unhandled rejection; the bot keeps running");
});

let stopping = false;

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    if (!bot) {
      // Nothing is served yet; exiting as the signal would have, but through process.exit, so that
      // DATA_DIR's lock is released on the way out.
      console.log(`${signal} received during start-up: stopping.`);
      process.exit(128 + (signal === "SIGTERM" ? 15 : 2));
    }
    console.log(`${signal} received: finishing requests in flight, then stopping.`);
    bot
      .stop()
      .then(() => database?.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error({ err: error }, "shutdown failed");
          process.exit(1);
        },
      );
  });
}

try {
  database = await openDatabase(config.database, {
    opener: { what: "the bot (npm start)", bot: true },
    thread: "worker",
    // A bot whose database is gone answers no one; ending lets the service manager start it again.
    onFailure: (error) => {
      logger.fatal({ err: error }, "the embedded database stopped; exiting so that the bot can be restarted");
      process.exit(1);
    },
  });
  await database.migrate();
  bot = await startBot({ config, clock: systemClock, database, logger });
} catch (error) {
  const explained = explainStartupFailure(error, config);
  // The failure is what the operator needs to see, not a second one from closing.
  await database?.close().catch(() => {});
  if (!explained) throw error;
  console.error(`arendebot cannot start: ${explained.cause}\n${explained.fix}`);
  process.exit(1);
}
console.log(
  `arendebot is running (${config.slack?.appToken ? "Socket Mode" : `HTTP on port ${config.port}`}, ${database.kind} database).`,
);
startIdleCollection(logger, { reopenDatabase: database.reopen });
