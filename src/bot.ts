import type { Clock } from "./clock.js";
import type { Config } from "./config.js";
import type { DatabaseHandle } from "./db/client.js";
import { startSchedules } from "./jobs/scheduler.js";
import { forgetOldReceipts } from "./modules/slack-receipts/forget-old-receipts.js";
import { createServices } from "./services.js";
import { startSlackApp } from "./slack/app.js";

export type RunningBot = { stop(): Promise<void> };

const READY_TIMEOUT_MS = 2_000;

/**
 * Serves Slack on a migrated database. `npm start` and the end-to-end tests both start the bot
 * through here; whoever opened the database closes it.
 */
export async function startBot({
  config,
  clock,
  database,
}: {
  config: Config;
  clock: Clock;
  database: DatabaseHandle;
}): Promise<RunningBot> {
  if (!config.slack) throw new Error("startBot needs Slack configuration");
  const services = createServices({ db: database.db, clock });
  const slackApp = await startSlackApp({
    slack: config.slack,
    port: config.port,
    logLevel: config.logLevel,
    deps: { services },
    isReady: () => answersWithin(database.ping(), READY_TIMEOUT_MS),
  });
  const schedules = startSchedules(
    [
      {
        name: "slack-receipts.forget-old",
        cron: "17 3 * * *",
        run: () => forgetOldReceipts({ db: database.db, clock }),
      },
    ],
    (job, error) => console.error(`Scheduled job ${job.name} failed`, error),
  );
  return {
    stop: async () => {
      await slackApp.stop();
      await schedules.stop();
    },
  };
}

async function answersWithin(ping: Promise<void>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([ping.then(() => true), timeout]);
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
  }
}
