import type { DeadlineRules } from "../modules/deadlines/deadline-rules.js";
import { postOnce } from "../modules/posting/post-once.js";
import type { FileUploader } from "../modules/posting/poster.js";
import { type DueReport, listDueReports } from "../modules/reports/due-reports.js";
import { getMotionReport } from "../modules/reports/get-motion-report.js";
import { motionReportFiles } from "../modules/reports/report-files.js";
import { log as processLog } from "../observability/logger.js";
import { inParallel, type JobContext, type PostingJobDeps, type RunReport } from "./digest-job.js";

export const REPORT_JOB = "motion-reports";

/**
 * Runs every minute and once at start-up, like the digest: each active schedule's current run is
 * posted through postOnce, keyed by schedule and day, so replicas and restarts post it once. The
 * report is counted as of the run's day and uploaded (Word and CSV, public data only: a channel) as
 * one part; a bot that was down posts it when it starts, marked late, until the next run is due.
 */
export async function runDueReports(
  ctx: JobContext,
  {
    poster,
    uploader,
    instanceId,
    deadlineRules,
    log,
  }: PostingJobDeps & { uploader: FileUploader; deadlineRules: DeadlineRules },
): Promise<RunReport> {
  const report: RunReport = {};
  await inParallel(await listDueReports(ctx), 2, async (run: DueReport) => {
    try {
      const outcome = await postOnce(ctx, {
        poster,
        uploader,
        instanceId,
        key: reportKey(run.scheduleId, run.period),
        kind: "motion_report",
        subjectId: run.scheduleId,
        period: run.period,
        channelId: run.channelId,
        late: run.late,
        build: async ({ late }) => {
          const result = await getMotionReport(ctx, {
            per: run.period,
            rules: deadlineRules,
            reader: "channel",
          });
          if (!result.ok) throw new Error(`report for ${run.period} could not be read: ${result.error.code}`);
          const { comment, files } = await motionReportFiles(result.report, { late });
          return {
            messages: [{ text: comment, blocks: [], files }],
            itemCount: result.report.overdue.length,
          };
        },
        ...(log ? { log } : {}),
      });
      report[outcome] = (report[outcome] ?? 0) + 1;
    } catch (error) {
      if (log) log(`Motion report for ${run.channelId} (period ${run.period}) failed: ${error}`);
      else
        processLog().error(
          { err: error, channel: run.channelId, period: run.period },
          "motion report failed",
        );
      report.failed = (report.failed ?? 0) + 1;
    }
  });
  return report;
}

export function reportKey(scheduleId: number, period: string): string {
  return `motion_report:${scheduleId}:${period}`;
}
