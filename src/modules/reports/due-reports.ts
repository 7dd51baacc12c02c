import { isLate } from "../digests/digest-schedule.js";
import type { RequestContext } from "../shared/context.js";
import { latestReportRun } from "./report-schedule.js";
import { listActiveReportSchedules } from "./report-schedules.repository.js";
import { reportScheduleOf } from "./schedule-report.js";

/** The report a schedule owes now: its current run's day (the post's period) and whether it comes late. */
export type DueReport = { scheduleId: number; channelId: string; period: string; late: boolean };

/**
 * Each active schedule's current run, by the context's clock, counted from the schedule's last change
 * (a schedule made in April after the first Monday does not post April's report at once). Whether the
 * run is already posted is for postOnce to find out.
 */
export async function listDueReports(ctx: Pick<RequestContext, "db" | "clock">): Promise<DueReport[]> {
  const now = ctx.clock.now();
  const due: DueReport[] = [];
  for (const row of await listActiveReportSchedules(ctx.db)) {
    const since = new Date(Math.max(row.createdAt.getTime(), row.updatedAt.getTime()));
    const run = latestReportRun(reportScheduleOf(row), since, now);
    if (run)
      due.push({
        scheduleId: row.id,
        channelId: row.channelId,
        period: run.period,
        late: isLate(run.scheduledAt, now),
      });
  }
  return due;
}
