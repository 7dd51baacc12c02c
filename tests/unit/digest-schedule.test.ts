import { describe, expect, it } from "vitest";
import { isLate, latestScheduledRun } from "../../src/modules/digests/digest-schedule.js";

const LONG_AGO = new Date("2020-01-01T00:00:00Z");
const monday8 = { weekday: 1, time: "08:00", since: LONG_AGO };
const at = (iso: string) => new Date(iso);

describe("the latest scheduled run of a weekly digest", () => {
  it("is this week's run once its Stockholm time has come, last week's before", () => {
    // Monday 16 November 2026, winter time (UTC+1): 08:00 is 07:00Z.
    expect(latestScheduledRun(monday8, at("2026-11-16T07:00:00Z"))).toEqual({
      period: "2026-11-16",
      scheduledAt: at("2026-11-16T07:00:00Z"),
    });
    expect(latestScheduledRun(monday8, at("2026-11-16T06:59:59Z"))).toEqual({
      period: "2026-11-09",
      scheduledAt: at("2026-11-09T07:00:00Z"),
    });
    // Still the current run the next Sunday evening.
    expect(latestScheduledRun(monday8, at("2026-11-22T22:59:00Z"))?.period).toBe("2026-11-16");
  });

  it("keeps Monday 08:00 Stockholm time across the spring change (29 March 2026)", () => {
    expect(latestScheduledRun(monday8, at("2026-03-23T07:00:00Z"))?.scheduledAt).toEqual(
      at("2026-03-23T07:00:00Z"),
    );
    // Summer time from Sunday 29 March: the next Monday's 08:00 is 06:00Z.
    expect(latestScheduledRun(monday8, at("2026-03-30T06:00:00Z"))).toEqual({
      period: "2026-03-30",
      scheduledAt: at("2026-03-30T06:00:00Z"),
    });
    // 06:30Z on that Monday is 08:30 local: the run is current, not still last week's.
    expect(latestScheduledRun(monday8, at("2026-03-30T06:30:00Z"))?.period).toBe("2026-03-30");
    expect(latestScheduledRun(monday8, at("2026-03-30T05:59:00Z"))?.period).toBe("2026-03-23");
  });

  it("keeps Monday 08:00 Stockholm time across the autumn change (25 October 2026)", () => {
    expect(latestScheduledRun(monday8, at("2026-10-19T06:00:00Z"))?.scheduledAt).toEqual(
      at("2026-10-19T06:00:00Z"),
    );
    // Winter time from Sunday 25 October: 08:00 is 07:00Z; 06:30Z is only 07:30 local.
    expect(latestScheduledRun(monday8, at("2026-10-26T06:30:00Z"))?.period).toBe("2026-10-19");
    expect(latestScheduledRun(monday8, at("2026-10-26T07:00:00Z"))).toEqual({
      period: "2026-10-26",
      scheduledAt: at("2026-10-26T07:00:00Z"),
    });
  });

  it("moves a time that does not exist in the spring-forward night to the hour after", () => {
    const sunday0230 = { weekday: 7, time: "02:30", since: LONG_AGO };
    // 02:00 → 03:00 on 29 March 2026; "02:30" never shows, the run is at 03:30 CEST (01:30Z).
    expect(latestScheduledRun(sunday0230, at("2026-03-29T01:29:00Z"))?.period).toBe("2026-03-22");
    expect(latestScheduledRun(sunday0230, at("2026-03-29T01:30:00Z"))).toEqual({
      period: "2026-03-29",
      scheduledAt: at("2026-03-29T01:30:00Z"),
    });
    // The week before and after are ordinary.
    expect(latestScheduledRun(sunday0230, at("2026-03-23T00:00:00Z"))?.scheduledAt).toEqual(
      at("2026-03-22T01:30:00Z"),
    );
    expect(latestScheduledRun(sunday0230, at("2026-04-05T00:30:00Z"))?.scheduledAt).toEqual(
      at("2026-04-05T00:30:00Z"),
    );
  });

  it("takes the first of the two 02:30s in the autumn night, once", () => {
    const sunday0230 = { weekday: 7, time: "02:30", since: LONG_AGO };
    // 25 October 2026: 02:30 CEST is 00:30Z, and 02:30 CET (01:30Z) comes an hour later.
    const first = latestScheduledRun(sunday0230, at("2026-10-25T00:30:00Z"));
    expect(first).toEqual({ period: "2026-10-25", scheduledAt: at("2026-10-25T00:30:00Z") });
    // An hour later it is still the same run (same period, so the same key: posted once).
    expect(latestScheduledRun(sunday0230, at("2026-10-25T01:45:00Z"))).toEqual(first);
  });

  it("crosses the year end and a leap day", () => {
    const thursday = { weekday: 4, time: "09:15", since: LONG_AGO };
    // Thursday 1 January 2026 09:15 CET.
    expect(latestScheduledRun(thursday, at("2026-01-01T08:15:00Z"))?.period).toBe("2026-01-01");
    expect(latestScheduledRun(thursday, at("2026-01-01T08:14:00Z"))?.period).toBe("2025-12-25");
    // Stockholm is already in the new year at 23:30Z on 31 December.
    const wednesday = { weekday: 3, time: "00:15", since: LONG_AGO };
    expect(latestScheduledRun(wednesday, at("2025-12-30T23:20:00Z"))).toEqual({
      period: "2025-12-31",
      scheduledAt: at("2025-12-30T23:15:00Z"),
    });
    // Tuesday 29 February 2028, a leap day; the next run is a week later, on 7 March.
    const tuesday = { weekday: 2, time: "08:00", since: LONG_AGO };
    expect(latestScheduledRun(tuesday, at("2028-02-29T07:00:00Z"))?.period).toBe("2028-02-29");
    expect(latestScheduledRun(tuesday, at("2028-03-06T12:00:00Z"))?.period).toBe("2028-02-29");
  });

  it("never reaches back before the subscription was set up", () => {
    // Made on Wednesday 18 November 2026 for Mondays: nothing until Monday 23 November.
    const since = at("2026-11-18T10:00:00Z");
    const schedule = { ...monday8, since };
    expect(latestScheduledRun(schedule, at("2026-11-18T10:01:00Z"))).toBeNull();
    expect(latestScheduledRun(schedule, at("2026-11-23T06:59:00Z"))).toBeNull();
    expect(latestScheduledRun(schedule, at("2026-11-23T07:00:00Z"))?.period).toBe("2026-11-23");
    // Set up on the Monday at 08:00 sharp counts for that Monday.
    expect(
      latestScheduledRun({ ...monday8, since: at("2026-11-23T07:00:00Z") }, at("2026-11-23T07:05:00Z"))
        ?.period,
    ).toBe("2026-11-23");
  });

  it("refuses a schedule it cannot read", () => {
    expect(() => latestScheduledRun({ ...monday8, time: "8" }, at("2026-11-23T07:00:00Z"))).toThrow();
    expect(() => latestScheduledRun({ ...monday8, weekday: 0 }, at("2026-11-23T07:00:00Z"))).toThrow();
  });
});

describe("a late digest", () => {
  it("is one posted more than ten minutes after its time", () => {
    const scheduledAt = at("2026-11-23T07:00:00Z");
    expect(isLate(scheduledAt, at("2026-11-23T07:10:00Z"))).toBe(false);
    expect(isLate(scheduledAt, at("2026-11-23T07:10:01Z"))).toBe(true);
    expect(isLate(scheduledAt, at("2026-11-23T08:30:00Z"))).toBe(true);
  });
});
