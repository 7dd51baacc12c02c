import { DateTime } from "luxon";
import { REGISTRY_TIME_ZONE } from "../../clock.js";

/**
 * When a weekly digest is due, in Stockholm wall-clock time. Pure: the jobs run every minute and ask
 * "which run is current now?", so a missed cron fire (the bot was down, a replica restarted, the
 * daylight-saving night) is caught up by the same question instead of by remembering fires.
 */

export type DigestSchedule = {
  /** ISO weekday in Stockholm: 1 Monday … 7 Sunday. */
  weekday: number;
  /** "HH:MM", Stockholm wall-clock time. */
  time: string;
  /**
   * No run before this instant counts: a subscription made on a Wednesday for Mondays must not post
   * "last Monday's" digest. The jobs pass the subscription's last change (created or re-scheduled).
   */
  since: Date;
};

export type ScheduledRun = {
  /** The Stockholm date of the run, "YYYY-MM-DD": the digest's period and part of its key. */
  period: string;
  scheduledAt: Date;
};

/** A digest posted more than this after its scheduled time says it is late. */
export const LATE_AFTER_MS = 10 * 60 * 1000;

export function parseScheduleTime(time: string): { hour: number; minute: number } {
  const match = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(time);
  if (!match) throw new Error(`not a time of day (HH:MM): ${time}`);
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/**
 * The latest run at or before `now`, or null when there is none since the schedule was set. A run
 * stays current until the next one, so posting the latest run on start-up is exactly the catch-up.
 */
export function latestScheduledRun(schedule: DigestSchedule, now: Date): ScheduledRun | null {
  if (!Number.isInteger(schedule.weekday) || schedule.weekday < 1 || schedule.weekday > 7) {
    throw new Error(`not an ISO weekday (1–7): ${schedule.weekday}`);
  }
  const { hour, minute } = parseScheduleTime(schedule.time);
  const local = DateTime.fromJSDate(now, { zone: REGISTRY_TIME_ZONE });
  let day = local.startOf("day").minus({ days: (local.weekday - schedule.weekday + 7) % 7 });
  let run = stockholmWallClock(day, hour, minute);
  if (run.toMillis() > now.getTime()) {
    day = day.minus({ weeks: 1 });
    run = stockholmWallClock(day, hour, minute);
  }
  if (run.toMillis() < schedule.since.getTime()) return null;
  return { period: day.toISODate() as string, scheduledAt: run.toJSDate() };
}

export function isLate(scheduledAt: Date, now: Date): boolean {
  return now.getTime() - scheduledAt.getTime() > LATE_AFTER_MS;
}

/**
 * The first instant the Stockholm clock shows hour:minute on that day. In the spring-forward night a
 * time between 02:00 and 03:00 does not exist and is moved forward by the hour that is skipped (02:30
 * → 03:30 CEST); in the autumn night 02:00–03:00 happens twice and the first occurrence (CEST) counts.
 */
export function stockholmWallClock(day: DateTime, hour: number, minute: number): DateTime {
  const at = DateTime.fromObject(
    { year: day.year, month: day.month, day: day.day, hour, minute },
    { zone: REGISTRY_TIME_ZONE },
  );
  const hourEarlier = at.minus({ hours: 1 });
  const sameWallClock =
    hourEarlier.day === at.day && hourEarlier.hour === at.hour && hourEarlier.minute === at.minute;
  return sameWallClock ? hourEarlier : at;
}
