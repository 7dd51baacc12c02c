import Holidays from "date-holidays";

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
  const weekday = new Date(`${day}T12:00:00Z`).getUTCDay();
  const holiday = closedDays(Number(day.slice(0, 4))).get(day);
  if (holiday) return holiday;
  if (weekday === 6) return "lördag";
  if (weekday === 0) return "söndag";
  return null;
}

export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T12:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

/** The day a statutory period ending on `day` really ends. */
export function statutoryPeriodEnd(day: string): string {
  let end = day;
  while (nonWorkingReason(end) !== null) end = addDays(end, 1);
  return end;
}

/**
 * `months` calendar months after `day`. A day the target month lacks (31 → 30, 29 February) becomes
 * that month's last day, as periods in months and years are counted under Lag (1930:173).
 */
export function addMonths(day: string, months: number): string {
  const [year = 0, month = 1, date = 1] = day.split("-").map(Number);
  const targetMonthIndex = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(targetMonthIndex / 12);
  const targetMonth = (targetMonthIndex % 12) + 1;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth, 0)).getUTCDate();
  const pad = (value: number, width = 2) => String(value).padStart(width, "0");
  return `${pad(targetYear, 4)}-${pad(targetMonth)}-${pad(Math.min(date, lastDay))}`;
}
