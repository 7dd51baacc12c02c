import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import { createApiHandler } from "./api/api-handler.js";
import { createApiServices } from "./api-services.js";
import type { Clock } from "./clock.js";
import type { Config } from "./config.js";
import type { DatabaseHandle } from "./db/client.js";
import { DIGEST_JOB, runDueDigests } from "./jobs/digest-job.js";
import { FOLLOW_JOB, runFollowNotifications } from "./jobs/follow-job.js";
import { HOME_JOB, refreshHomeTabs } from "./jobs/home-job.js";
import {
  forgetSeenRegistryWritesJob,
  REGISTRY_WRITES_CRON,
  REGISTRY_WRITES_JOB,
} from "./jobs/registry-writes-job.js";
import { REMINDER_JOB, runDueReminders } from "./jobs/reminder-job.js";
import { REPORT_JOB, runDueReports } from "./jobs/report-job.js";
import { type Job, startSchedules } from "./jobs/scheduler.js";
import { runSync, SYNC_JOB } from "./jobs/sync-job.js";
import type { CsvMapping } from "./modules/import/csv-mapping.js";
import { ImportFileError, readMappingFile } from "./modules/import/read-import-file.js";
import { registryAdmission } from "./modules/shared/availability.js";
import { createContext, systemActor } from "./modules/shared/context.js";
import { forgetOldReceipts } from "./modules/slack-receipts/forget-old-receipts.js";
import { boltLogger, createLogger, type Logger, secretsOf } from "./observability/logger.js";
import { createServices } from "./services.js";
import { startSlackApp } from "./slack/app.js";
import { slackRenderers } from "./slack/blocks/outgoing.js";
import { type ChannelPacer, createPostingClient, createWebPoster } from "./slack/web-poster.js";
import { StartupError } from "./startup-error.js";

export type RunningBot = {
  stop(): Promise<void>;
  /**
   * Runs the digest and reminder jobs at once instead of at the next minute, posting what is due by
   * the bot's clock (exactly once, as any run does). For a composition whose clock jumps ahead.
   */
  runDuePosts(): Promise<void>;
};

const READY_TIMEOUT_MS = 2_000;
const FORGET_RECEIPTS_JOB = "slack-receipts.forget-old";

/**
 * Serves Slack on a migrated database. `npm start` and the end-to-end tests both start the bot
 * through here; whoever opened the database closes it.
 */
export async function startBot({
  config,
  clock,
  database,
  logger = createLogger({ level: config.logLevel, secrets: secretsOf(config) }),
  pacer,
  host,
}: {
  config: Config;
  clock: Clock;
  database: DatabaseHandle;
  /** The process's logger (npm start sets one up before opening the database). */
  logger?: Logger;
  /** Paces posts to each channel (one a second, Retry-After); real time unless a test drives it. */
  pacer?: ChannelPacer;
  /** The interface to serve on; every interface when left out (the local workspace keeps it to loopback). */
  host?: string;
}): Promise<RunningBot> {
  if (!config.slack) throw new Error("startBot needs Slack configuration");
  // A mapping that cannot be used would fail every sync; it stops start-up instead, saying why.
  const syncMapping = await readSyncMapping(config.sync?.mappingFile);
  // Each run of a job acts with a context of its own, naming the job as the actor of what it writes.
  const jobContext = (job: string) =>
    createContext({ db: database.db, clock, admins: config.admins, actor: systemActor(job) });
  // Everything the bot posts (digests, reminders, remiss notices, approval requests and decisions)
  // goes through one paced posting client; claims on posts name this process.
  const posting = {
    instanceId: `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`,
    poster: createWebPoster({
      client: createPostingClient({
        botToken: config.slack.botToken,
        apiUrl: config.slack.apiUrl,
        logger: boltLogger(logger, "posting"),
      }),
      log: (line) => logger.warn(line),
      ...(pacer ? { pacer } : {}),
    }),
  };
  // One admission control for everything that reaches the database on a request, Slack's and the
  // API's alike, so that an integration cannot crowd Slack out (see api-services.ts).
  const admit = registryAdmission({
    timeoutMs: config.limits.registryTimeoutMs,
    maxInFlight: config.limits.maxInFlight,
    concurrency: database.concurrency,
  });
  const servicesFor = createServices({
    db: database.db,
    clock,
    admins: config.admins,
    deadlineRules: config.deadlines,
    admit,
    posting: { poster: posting.poster, instanceId: posting.instanceId, render: slackRenderers },
    uploader: posting.poster,
    unfurlDomains: config.unfurlDomains,
  });
  const api = createApiHandler({
    services: createApiServices({
      db: database.db,
      clock,
      admins: config.admins,
      deadlineRules: config.deadlines,
      admit,
      concurrency: database.concurrency,
    }),
    maxBodyBytes: config.api.maxBodyBytes,
    ratePerMinute: config.api.ratePerMinute,
    logger,
  });
  const slackApp = await startSlackApp({
    slack: config.slack,
    port: config.port,
    ...(host === undefined ? {} : { host }),
    maxBodyBytes: config.limits.maxBodyBytes,
    logger,
    deps: { servicesFor },
    before: api,
    isReady: () => answersWithin(database.ping(), READY_TIMEOUT_MS),
  });
  // Digests, reminders, follow notices and scheduled motion reports: every minute each job asks what is
  // due now and posts it exactly once (claims in slack_posts), so replicas may all run them; Home tabs
  // are refreshed every five minutes; the sync (when ARENDE_SYNC_SOURCE is set)
  // imports each export once (claims in sync_runs). One run of each at start-up is the catch-up.
  const postingJobs: Job[] = [
    {
      name: DIGEST_JOB,
      cron: "* * * * *",
      run: singleFlight(() =>
        runDueDigests(jobContext(DIGEST_JOB), { ...posting, deadlineRules: config.deadlines }),
      ),
    },
    {
      name: REMINDER_JOB,
      cron: "* * * * *",
      run: singleFlight(() =>
        runDueReminders(jobContext(REMINDER_JOB), { ...posting, reminderDays: config.reminderDays }),
      ),
    },
    {
      name: FOLLOW_JOB,
      cron: "* * * * *",
      run: singleFlight(() => runFollowNotifications(jobContext(FOLLOW_JOB), posting)),
    },
    {
      name: REPORT_JOB,
      cron: "* * * * *",
      run: singleFlight(() =>
        runDueReports(jobContext(REPORT_JOB), {
          ...posting,
          uploader: posting.poster,
          deadlineRules: config.deadlines,
        }),
      ),
    },
    {
      name: HOME_JOB,
      cron: "*/5 * * * *",
      run: singleFlight(() => refreshHomeTabs(jobContext(HOME_JOB), posting)),
    },
  ];
  if (config.sync) {
    const sync = config.sync;
    postingJobs.push({
      name: SYNC_JOB,
      cron: sync.cron,
      run: singleFlight(() =>
        runSync(jobContext(SYNC_JOB), {
          sync,
          mapping: syncMapping,
          instanceId: posting.instanceId,
          poster: posting.poster,
          deadlineRules: config.deadlines,
        }),
      ),
    });
  }
  const onError = (job: Job, error: unknown) =>
    logger.error({ err: error, job: job.name }, "scheduled job failed");
  const schedules = startSchedules(
    [
      {
        name: REGISTRY_WRITES_JOB,
        cron: REGISTRY_WRITES_CRON,
        run: forgetSeenRegistryWritesJob(() => jobContext(REGISTRY_WRITES_JOB)),
      },
      {
        name: FORGET_RECEIPTS_JOB,
        cron: "17 3 * * *",
        run: () => forgetOldReceipts(jobContext(FORGET_RECEIPTS_JOB)),
      },
      ...postingJobs,
    ],
    onError,
  );
  const catchUp = Promise.all(postingJobs.map((job) => job.run().catch((error) => onError(job, error))));
  const duePostJobs = postingJobs.filter((job) => job.name === DIGEST_JOB || job.name === REMINDER_JOB);
  return {
    runDuePosts: async () => {
      await Promise.all(duePostJobs.map((job) => job.run()));
    },
    stop: async () => {
      await slackApp.stop();
      await schedules.stop();
      await catchUp;
    },
  };
}

async function readSyncMapping(file: string | undefined): Promise<CsvMapping | undefined> {
  if (file === undefined) return undefined;
  try {
    return await readMappingFile(file);
  } catch (error) {
    if (!(error instanceof ImportFileError)) throw error;
    throw new StartupError(
      `ARENDE_SYNC_MAPPING cannot be used: ${error.message}.`,
      "Fix the mapping file (docs/import-format.md, 'A report from the diarium') or unset ARENDE_SYNC_MAPPING.",
    );
  }
}

/** While a run is under way, a second trigger (the start-up run meeting the first cron tick) joins it. */
function singleFlight<T>(run: () => Promise<T>): () => Promise<T> {
  let current: Promise<T> | undefined;
  return () => {
    current ??= run().finally(() => {
      current = undefined;
    });
    return current;
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
