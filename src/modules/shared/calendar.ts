import { DateTime, Duration } from "luxon";
import { BoundedMemo } from "./bounded-memo.js";

/**
 * Arithmetic on calendar dates ("YYYY-MM-DD"), all of it through luxon. A calendar date names a day,
 * not an instant, so it is read in UTC: no time zone or summer time can move it. "Today" comes from
 * the injected clock (src/clock.ts), never from here.
 */

export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Parsing is what luxon spends its time on (a digest or an import asks about the same few thousand
 * days again and again), so parsed days are kept; the cache is emptied before it grows large.
 */
const parsedDays = new BoundedMemo<string, DateTime>(10_000);

function dayOf(day: string): DateTime {
  return parsedDays.get(day, () => {
    const parsed = DateTime.fromISO(day, { zone: "UTC" });
    if (!ISO_DAY.test(day) || !parsed.isValid) throw new Error(`not a calendar date: ${day}`);
    return parsed;
  });
}

const MILLISECONDS_PER_DAY = Duration.fromObject({ days: 1 }).as("milliseconds");

function isoOf(date: DateTime): string {
  const text = date.toISODate();
  if (text === null) throw new Error("date arithmetic left the calendar");
  return text;
}

/** "2017-02-28" is one; "2017-02-30", "2017-2-3" and "" are not. */
export function isCalendarDay(text: string): boolean {
  if (parsedDays.has(text)) return true;
  if (!ISO_DAY.test(text)) return false;
  const parsed = DateTime.fromISO(text, { zone: "UTC" });
  if (!parsed.isValid) return false;
  parsedDays.set(text, parsed);
  return true;
}

export function addDays(day: string, days: number): string {
  return shifted(day, days, "days");
}

/**
 * `months` calendar months after `day`. A day the target month lacks (31 → 30, 29 February) becomes
 * that month's last day, as periods in months and years are counted under Lag (1930:173).
 */
export function addMonths(day: string, months: number): string {
  return shifted(day, months, "months");
}

/**
 * luxon's plus() and toISODate() cost more than parsing; an import computes the same few deadlines
 * from the same days again and again, so each answer is kept like a parsed day.
 */
const shiftedDays = new BoundedMemo<string, string>(10_000);

function shifted(day: string, amount: number, unit: "days" | "months"): string {
  return shiftedDays.get(`${day} ${amount} ${unit}`, () => isoOf(dayOf(day).plus({ [unit]: amount })));
}

/** Whole days from `from` to `to`; negative when `to` comes first. */
export function daysBetween(from: string, to: string): number {
  // Both are UTC midnights, so their distance is whole days; luxon's diff() is many times slower.
  return Math.round((dayOf(to).toMillis() - dayOf(from).toMillis()) / MILLISECONDS_PER_DAY);
}

/** 1 Monday … 7 Sunday. */
export function isoWeekday(day: string): IsoWeekday {
  return dayOf(day).weekday as IsoWeekday;
}
