import { loadConfig } from "../config.js";
import { openDatabase } from "./client.js";

// `npm run db:migrate`: the same step `npm start` takes before serving.
const config = loadConfig("cli");
const database = await openDatabase(config.database);
try {
  await database.migrate();
  console.log(`Migrations applied (${database.kind}).`);
} finally {
  await database.close();
}
