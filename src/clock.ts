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

/** The calendar date ("YYYY-MM-DD") in Stockholm at the given instant. */
export function stockholmDate(instant: Date): string {
  return stockholmDay.format(instant);
}

export function today(clock: Clock): string {
  return stockholmDate(clock.now());
}
