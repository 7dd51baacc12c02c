import { today } from "../../clock.js";
import type { DeadlineRules } from "../deadlines/deadline-rules.js";
import { isCalendarDay } from "../shared/calendar.js";
import type { RequestContext } from "../shared/context.js";
import { REPORT_ERRORS, type ReportError } from "./errors.js";
import { type MotionReport, type ReportReader, selectMotionReport } from "./motion-report.js";
import { loadUndecidedStatutoryCases } from "./reports.repository.js";

export type MotionReportResult = { ok: true; report: MotionReport } | { ok: false; error: ReportError };

/**
 * The report as of `per` ("YYYY-MM-DD"; today in Stockholm when left out). A channel gets a
 * restricted case's public data only, whoever asked: the report is posted for everyone in it.
 */
export async function getMotionReport(
  ctx: Pick<RequestContext, "db" | "clock">,
  { per, rules, reader }: { per?: string | undefined; rules: DeadlineRules; reader: ReportReader },
): Promise<MotionReportResult> {
  const day = per ?? today(ctx.clock);
  if (!isCalendarDay(day))
    return { ok: false, error: { code: REPORT_ERRORS.invalidDate, params: { typed: day } } };
  const candidates = await loadUndecidedStatutoryCases(ctx.db, day);
  return { ok: true, report: selectMotionReport(candidates, { per: day, rules, reader }) };
}
