import { DateTime } from "luxon";
import { REGISTRY_TIME_ZONE } from "../../clock.js";
import { type ScheduledRun, stockholmWallClock } from "../digests/digest-schedule.js";
import { swedishWeekday } from "../shared/swedish-time.js";

/**
 * When a channel's motion report is due: the n-th (or last) given weekday of given months, at a
 * Stockholm wall-clock time ("första måndagen i april och oktober kl. 08:00", as many municipalities
 * report to the council twice a year). Pure, and asked as the digest's schedule is: "which run is
 * current now?", so a bot that was down catches up on start-up with the same question.
 */
export type ReportSchedule = {
  /** 1 … 4 for första … fjärde; -1 for sista. */
  ordinal: 1 | 2 | 3 | 4 | -1;
  /** ISO weekday: 1 Monday … 7 Sunday. */
  weekday: number;
  /** Months 1 … 12, ascending, each once. */
  months: number[];
  /** "HH:MM", Stockholm wall-clock time. */
  time: string;
};

export const ORDINAL_WORDS: Record<ReportSchedule["ordinal"], string> = {
  1: "första",
  2: "andra",
  3: "tredje",
  4: "fjärde",
  [-1]: "sista",
};

export const MONTH_NAMES = [
  "januari",
  "februari",
  "mars",
  "april",
  "maj",
  "juni",
  "juli",
  "augusti",
  "september",
  "oktober",
  "november",
  "december",
] as const;

/** "första måndagen i april och oktober kl. 08:00" */
export function describeReportSchedule(schedule: ReportSchedule): string {
  const months = schedule.months.map((month) => MONTH_NAMES[month - 1] as string);
  const listed =
    months.length <= 1 ? (months[0] ?? "") : `${months.slice(0, -1).join(", ")} och ${months.at(-1)}`;
  return `${ORDINAL_WORDS[schedule.ordinal]} ${swedishWeekday(schedule.weekday as 1)}en i ${listed} kl. ${schedule.time}`;
}

/** The day the schedule names in one month, "YYYY-MM-DD". */
export function scheduledDay(
  schedule: Pick<ReportSchedule, "ordinal" | "weekday">,
  year: number,
  month: number,
): string {
  const first = DateTime.fromObject({ year, month, day: 1 }, { zone: "UTC" });
  let day: DateTime;
  if (schedule.ordinal === -1) {
    const last = first.endOf("month").startOf("day");
    day = last.minus({ days: (last.weekday - schedule.weekday + 7) % 7 });
  } else {
    const firstMatch = first.plus({ days: (schedule.weekday - first.weekday + 7) % 7 });
    // The fourth weekday is in every month; a fifth is not, which is why "femte" is not offered.
    day = firstMatch.plus({ weeks: schedule.ordinal - 1 });
  }
  return day.toISODate() as string;
}

/**
 * The latest run at or before `now` and not before `since` (the schedule's last change), or null.
 * Runs are at most twelve months apart, so the last thirteen months hold the latest one.
 */
export function latestReportRun(schedule: ReportSchedule, since: Date, now: Date): ScheduledRun | null {
  const [hour, minute] = schedule.time.split(":").map(Number) as [number, number];
  const local = DateTime.fromJSDate(now, { zone: REGISTRY_TIME_ZONE }).startOf("month");
  for (let back = 0; back <= 12; back += 1) {
    const month = local.minus({ months: back });
    if (!schedule.months.includes(month.month)) continue;
    const period = scheduledDay(schedule, month.year, month.month);
    const at = stockholmWallClock(DateTime.fromISO(period, { zone: REGISTRY_TIME_ZONE }), hour, minute);
    if (at.toMillis() > now.getTime()) continue;
    if (at.toMillis() < since.getTime()) return null;
    return { period, scheduledAt: at.toJSDate() };
  }
  return null;
}
