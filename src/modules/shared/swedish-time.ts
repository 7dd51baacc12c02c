import { Info } from "luxon";
import { REGISTRY_TIME_ZONE } from "../../clock.js";
import { BoundedMemo } from "./bounded-memo.js";
import { type IsoWeekday, isCalendarDay } from "./calendar.js";

/**
 * Swedish dates and times for what people read, from the platform's locale data (Intl) rather than
 * a month table of our own. Instants are shown in Stockholm time; calendar dates ("YYYY-MM-DD") have
 * no zone, so they are formatted as the UTC day they name.
 */
const instantFormat = new Intl.DateTimeFormat("sv-SE", {
  timeZone: REGISTRY_TIME_ZONE,
  day: "numeric",
  month: "short",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
});

const instantDayFormat = new Intl.DateTimeFormat("sv-SE", {
  timeZone: REGISTRY_TIME_ZONE,
  day: "numeric",
  month: "short",
  year: "numeric",
});

const calendarDayFormat = new Intl.DateTimeFormat("sv-SE", {
  timeZone: "UTC",
  day: "numeric",
  month: "long",
  year: "numeric",
});

/** "måndag" … "söndag", Monday first as ISO counts. */
const weekdayNames = Info.weekdays("long", { locale: "sv" });

/** An instant as "3 apr. 2017 14:05", Stockholm time. */
export function formatStockholmTime(at: Date): string {
  return instantFormat.format(at);
}

/** The Stockholm day of an instant, as "3 apr. 2017". */
export function formatStockholmDay(at: Date): string {
  return instantDayFormat.format(at);
}

/** "2017-03-31" as "31 mars 2017"; anything that is not a calendar date is returned as it came. */
export function formatCalendarDay(day: string): string {
  if (!formattedDays.has(day) && !isCalendarDay(day)) return day;
  return formattedDays.get(day, () => calendarDayFormat.format(new Date(`${day}T00:00:00Z`)));
}

/** Every card shows a handful of dates, and Intl's formatting was 2% of a status lookup's CPU time. */
const formattedDays = new BoundedMemo<string, string>(10_000);

/** 1 → "måndag" … 7 → "söndag". */
export function swedishWeekday(weekday: IsoWeekday): string {
  const name = weekdayNames[weekday - 1];
  if (name === undefined) throw new Error(`not an ISO weekday: ${weekday}`);
  return name;
}
