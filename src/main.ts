import { startBot } from "./bot.js";
import { systemClock } from "./clock.js";
import { type Config, ConfigError, loadConfig } from "./config.js";
import { openDatabase } from "./db/client.js";

let config: Config;
try {
  config = loadConfig("bot");
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`arendebot cannot start.\n${error.message}\nSee README.md, "Configuration".`);
  process.exit(1);
}

const database = await openDatabase(config.database, { thread: "worker" });
await database.migrate();
const bot = await startBot({ config, clock: systemClock, database });
console.log(
  `arendebot is running (${config.slack?.appToken ? "Socket Mode" : `HTTP on port ${config.port}`}, ${database.kind} database).`,
);

let stopping = false;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal} received: finishing requests in flight, then stopping.`);
    bot
      .stop()
      .then(() => database.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          console.error("Shutdown failed", error);
          process.exit(1);
        },
      );
  });
}
