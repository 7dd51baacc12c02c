import type { SyncConfig } from "../config.js";
import type { DeadlineRules } from "../modules/deadlines/deadline-rules.js";
import type { CsvMapping } from "../modules/import/csv-mapping.js";
import { type PostOutcome, postOnce } from "../modules/posting/post-once.js";
import type { Poster } from "../modules/posting/poster.js";
import type { FetchExport } from "../modules/sync/fetch-export.js";
import { hasNews, type SyncOutcome, syncFromDiarium } from "../modules/sync/sync-from-diarium.js";
import { log as processLog } from "../observability/logger.js";
import { syncSummaryMessage } from "../slack/blocks/sync-summary.js";
import type { JobContext } from "./digest-job.js";

export const SYNC_JOB = "sync";

export type SyncJobDeps = {
  sync: SyncConfig;
  mapping: CsvMapping | undefined;
  instanceId: string;
  /** Absent when the bot has no Slack token (the terminal's `arendebot sync`): nothing is posted. */
  poster: Poster | undefined;
  deadlineRules?: DeadlineRules;
  fetchExport?: FetchExport;
};

export type SyncRun = { outcome: SyncOutcome; summary: PostOutcome | "not_posted" };

/**
 * ARENDE_SYNC_CRON (every 15 minutes by default), once at start-up, and `arendebot sync`: syncs the
 * newest export, then posts its summary to ARENDE_SYNC_CHANNEL once per export (a claim in
 * slack_posts keyed by the sync run). The summary is also posted when an earlier sync of the export
 * finished without posting it (the holder died in between): postOnce answers "already posted" otherwise.
 */
export async function runSync(ctx: JobContext, deps: SyncJobDeps): Promise<SyncRun> {
  const outcome = await syncFromDiarium(ctx, {
    source: deps.sync.source,
    header: deps.sync.header,
    instanceId: deps.instanceId,
    leaseMs: deps.sync.leaseMs,
    ...(deps.mapping ? { mapping: deps.mapping } : {}),
    ...(deps.deadlineRules ? { deadlineRules: deps.deadlineRules } : {}),
    ...(deps.fetchExport ? { fetchExport: deps.fetchExport } : {}),
  });
  logOutcome(outcome);
  const report = outcome.type === "synced" || outcome.type === "already_synced" ? outcome.report : null;
  const channelId = deps.sync.channelId;
  if (!report || !hasNews(report) || !channelId || !deps.poster || !("runId" in outcome)) {
    return { outcome, summary: "not_posted" };
  }
  const summary = await postOnce(ctx, {
    poster: deps.poster,
    instanceId: deps.instanceId,
    key: `sync:${outcome.runId}`,
    kind: "sync_summary",
    subjectId: outcome.runId,
    period: report.sourceName,
    channelId,
    late: false,
    build: async () => ({
      messages: [syncSummaryMessage(report)],
      itemCount: report.created + report.updated,
    }),
  });
  return { outcome, summary };
}

function logOutcome(outcome: SyncOutcome): void {
  const log = processLog();
  if (outcome.type !== "synced") {
    log.debug({ job: SYNC_JOB, outcome: outcome.type }, "sync: nothing new to import");
    return;
  }
  const { report } = outcome;
  if (report.unreadable !== undefined) {
    log.warn(
      { job: SYNC_JOB, file: report.sourceName, reason: report.unreadable },
      "sync: export unreadable",
    );
    return;
  }
  const fields = {
    job: SYNC_JOB,
    file: report.sourceName,
    created: report.created,
    updated: report.updated,
    unchanged: report.unchanged,
    rejected: report.rejected,
  };
  if (report.rejected > 0) {
    log.warn({ ...fields, firstRejections: report.firstRejections }, "sync: imported, some rows rejected");
  } else {
    log.info(fields, "sync: imported");
  }
}
