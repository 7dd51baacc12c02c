/** Injected everywhere "now" or "today" matters, so tests and the CLI's --as-of can fix time. */
export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };

export function fixedClock(at: Date | string): Clock {
  const instant = typeof at === "string" ? new Date(at) : at;
  return { now: () => new Date(instant) };
}

export const REGISTRY_TIME_ZONE = "Europe/Stockholm";

const stockholmDay = new Intl.DateTimeFormat("en-CA", {
  timeZone: REGISTRY_TIME_ZONE,
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
});

// Stockholm's offsets are whole hours, so its date changes on a minute boundary: the last minute's
// answer serves the whole minute (Intl's formatting is a measurable share of a status lookup).
let lastMinute = Number.NaN;
let lastDate = "";

/** The calendar date ("YYYY-MM-DD") in Stockholm at the given instant. */
export function stockholmDate(instant: Date): string {
  const minute = Math.floor(instant.getTime() / 60_000);
  if (minute !== lastMinute) {
    lastDate = stockholmDay.format(instant);
    lastMinute = minute;
  }
  return lastDate;
}

export function today(clock: Clock): string {
  return stockholmDate(clock.now());
}
