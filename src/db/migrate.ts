import { ConfigError, loadConfig } from "../config.js";
import { explainStartupFailure } from "../startup-failure.js";
import { type DatabaseHandle, openDatabase } from "./client.js";
import { exitOnSignals } from "./data-dir-lock.js";

// `npm run db:migrate`: the same step `npm start` takes before serving, with the same one-line
// explanations of what an operator can fix.
let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig("cli");
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`arendebot cannot migrate.\n${error.message}\nSee README.md, "Configuration".`);
  process.exit(1);
}

exitOnSignals();
let database: DatabaseHandle | undefined;
try {
  database = await openDatabase(config.database, { opener: { what: "npm run db:migrate", bot: false } });
  await database.migrate();
} catch (error) {
  const explained = explainStartupFailure(error, config);
  await database?.close().catch(() => {});
  if (!explained) throw error;
  console.error(`arendebot cannot migrate: ${explained.cause}\n${explained.fix}`);
  process.exit(1);
}
await database.close();
console.log(`Migrations applied (${database.kind}).`);
