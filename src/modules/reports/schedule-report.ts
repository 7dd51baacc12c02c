import { may } from "../access/permissions.js";
import { recordAudit } from "../audit/audit.repository.js";
import type { RequestContext, SlackActor } from "../shared/context.js";
import { REPORT_ERRORS, type ReportError } from "./errors.js";
import { describeReportSchedule, type ReportSchedule } from "./report-schedule.js";
import {
  deactivateReportSchedule,
  findActiveReportSchedule,
  lockReportSchedule,
  type ReportScheduleRow,
  upsertReportSchedule,
} from "./report-schedules.repository.js";

export type ScheduleReportResult =
  | { ok: true; outcome: "scheduled" | "changed" | "unchanged"; description: string }
  | { ok: false; error: ReportError };

export type UnscheduleReportResult = { ok: true; ended: string } | { ok: false; error: ReportError };

const scheduleOf = (row: ReportScheduleRow): ReportSchedule => ({
  ordinal: row.ordinal as ReportSchedule["ordinal"],
  weekday: row.weekday,
  months: row.months,
  time: row.time,
});

export function describeScheduleRow(row: ReportScheduleRow): string {
  return describeReportSchedule(scheduleOf(row));
}

/**
 * `/arende rapport motioner schema …`: the channel gets the report on the schedule, once per run.
 * Admins and registrators may, as for the digest; the change and who made it are audited.
 */
export async function scheduleReport(
  ctx: RequestContext<SlackActor>,
  { channelId, schedule }: { channelId: string; schedule: ReportSchedule },
): Promise<ScheduleReportResult> {
  const { db, clock, actor } = ctx;
  if (!may(await ctx.roles(), "configure_digests"))
    return { ok: false, error: { code: REPORT_ERRORS.notAllowed } };
  const at = clock.now();
  return db.transaction(async (tx) => {
    const previous = await lockReportSchedule(tx, channelId);
    const before = previous?.active ? describeScheduleRow(previous) : null;
    const description = describeReportSchedule(schedule);
    if (before === description) return { ok: true, outcome: "unchanged", description };
    const row = await upsertReportSchedule(
      tx,
      channelId,
      { ...schedule, createdBySlackUserId: actor.userId },
      at,
    );
    await recordAudit(tx, {
      actor,
      at,
      entries: [
        {
          action: before === null ? "report_schedule.created" : "report_schedule.updated",
          entityType: "report_schedule",
          entityId: row.id,
          changes: { channel_id: channelId, schedule: { from: before, to: description } },
        },
      ],
    });
    return { ok: true, outcome: before === null ? "scheduled" : "changed", description };
  });
}

/** `/arende rapport motioner schema avsluta`. */
export async function unscheduleReport(
  ctx: RequestContext<SlackActor>,
  { channelId }: { channelId: string },
): Promise<UnscheduleReportResult> {
  const { db, clock, actor } = ctx;
  if (!may(await ctx.roles(), "configure_digests"))
    return { ok: false, error: { code: REPORT_ERRORS.notAllowed } };
  const at = clock.now();
  return db.transaction(async (tx) => {
    const ended = await deactivateReportSchedule(tx, channelId, at);
    if (!ended) return { ok: false, error: { code: REPORT_ERRORS.notScheduled } };
    const description = describeScheduleRow(ended);
    await recordAudit(tx, {
      actor,
      at,
      entries: [
        {
          action: "report_schedule.ended",
          entityType: "report_schedule",
          entityId: ended.id,
          changes: { channel_id: channelId, active: { from: true, to: false }, schedule: description },
        },
      ],
    });
    return { ok: true, ended: description };
  });
}

/** `/arende rapport motioner schema`: the channel's schedule in words, or null. */
export async function getReportSchedule(
  ctx: Pick<RequestContext, "db">,
  { channelId }: { channelId: string },
): Promise<string | null> {
  const row = await findActiveReportSchedule(ctx.db, channelId);
  return row ? describeScheduleRow(row) : null;
}

export { scheduleOf as reportScheduleOf };
