import { and, eq } from "drizzle-orm";
import type { Database, Executor } from "../../db/client.js";
import { reportSchedules } from "../../db/schema.js";

export type ReportScheduleRow = typeof reportSchedules.$inferSelect;
export type ReportScheduleValues = Pick<
  ReportScheduleRow,
  "ordinal" | "weekday" | "months" | "time" | "createdBySlackUserId"
>;

export async function findActiveReportSchedule(
  db: Executor,
  channelId: string,
): Promise<ReportScheduleRow | null> {
  const [row] = await db
    .select()
    .from(reportSchedules)
    .where(and(eq(reportSchedules.channelId, channelId), eq(reportSchedules.active, true)));
  return row ?? null;
}

export async function listActiveReportSchedules(db: Database): Promise<ReportScheduleRow[]> {
  return db.select().from(reportSchedules).where(eq(reportSchedules.active, true));
}

/** The channel's row, locked until the transaction ends, so two changes at once see each other. */
export async function lockReportSchedule(tx: Executor, channelId: string): Promise<ReportScheduleRow | null> {
  const [row] = await tx
    .select()
    .from(reportSchedules)
    .where(eq(reportSchedules.channelId, channelId))
    .for("update");
  return row ?? null;
}

/** One schedule per channel: scheduling again replaces it and starts an ended one again. */
export async function upsertReportSchedule(
  tx: Executor,
  channelId: string,
  values: ReportScheduleValues,
  at: Date,
): Promise<ReportScheduleRow> {
  const [row] = await tx
    .insert(reportSchedules)
    .values({ channelId, ...values, active: true, createdAt: at, updatedAt: at })
    .onConflictDoUpdate({
      target: reportSchedules.channelId,
      set: { ...values, active: true, updatedAt: at },
    })
    .returning();
  if (!row) throw new Error("report schedule upsert returned no row");
  return row;
}

export async function deactivateReportSchedule(
  tx: Executor,
  channelId: string,
  at: Date,
): Promise<ReportScheduleRow | null> {
  const [row] = await tx
    .update(reportSchedules)
    .set({ active: false, updatedAt: at })
    .where(and(eq(reportSchedules.channelId, channelId), eq(reportSchedules.active, true)))
    .returning();
  return row ?? null;
}
