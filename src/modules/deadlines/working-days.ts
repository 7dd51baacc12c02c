import Holidays from "date-holidays";
import { addDays, isoWeekday } from "../shared/calendar.js";
import { swedishWeekday } from "../shared/swedish-time.js";

/**
 * Lag (1930:173) om beräkning av lagstadgad tid: a period that ends on a Saturday, Sunday, public
 * holiday, midsommarafton, julafton or nyårsafton ends on the next weekday instead. date-holidays
 * (country SE) types the public holidays `public` and exactly those three eves `bank`; its other
 * days (trettondagsafton, valborgsmässoafton, observances) are working days and stay so.
 */
const swedishHolidays = new Holidays("SE");
const closedDaysByYear = new Map<number, Map<string, string>>();

function closedDays(year: number): Map<string, string> {
  let days = closedDaysByYear.get(year);
  if (!days) {
    days = new Map();
    for (const holiday of swedishHolidays.getHolidays(year)) {
      if (holiday.type === "public" || holiday.type === "bank")
        days.set(holiday.date.slice(0, 10), holiday.name);
    }
    closedDaysByYear.set(year, days);
  }
  return days;
}

/** Why a calendar day ("YYYY-MM-DD") is not a working day, or null when it is one. */
export function nonWorkingReason(day: string): string | null {
  const holiday = closedDays(Number(day.slice(0, 4))).get(day);
  if (holiday) return holiday;
  const weekday = isoWeekday(day);
  return weekday === 6 || weekday === 7 ? swedishWeekday(weekday) : null;
}

/** The day a statutory period ending on `day` really ends. */
export function statutoryPeriodEnd(day: string): string {
  let end = day;
  while (nonWorkingReason(end) !== null) end = addDays(end, 1);
  return end;
}
