import { describe, expect, it } from "vitest";
import { say } from "../../src/messages/sv.js";
import { parseReportCommand } from "../../src/modules/reports/parse-report-command.js";
import {
  describeReportSchedule,
  latestReportRun,
  type ReportSchedule,
  scheduledDay,
} from "../../src/modules/reports/report-schedule.js";

const APRIL_OCTOBER: ReportSchedule = { ordinal: 1, weekday: 1, months: [4, 10], time: "08:00" };
const LONG_AGO = new Date("2000-01-01T00:00:00Z");

describe("the day a report schedule names", () => {
  it.each([
    [{ ordinal: 1, weekday: 1 }, 2017, 4, "2017-04-03"],
    [{ ordinal: 1, weekday: 1 }, 2017, 10, "2017-10-02"],
    [{ ordinal: 1, weekday: 1 }, 2026, 6, "2026-06-01"],
    [{ ordinal: 2, weekday: 3 }, 2017, 3, "2017-03-08"],
    [{ ordinal: 4, weekday: 5 }, 2017, 2, "2017-02-24"],
    [{ ordinal: -1, weekday: 1 }, 2017, 4, "2017-04-24"],
    [{ ordinal: -1, weekday: 7 }, 2017, 4, "2017-04-30"],
  ] as const)("%o of %i-%i is %s", (schedule, year, month, day) => {
    expect(scheduledDay(schedule, year, month)).toBe(day);
  });
});

describe("which run of a report schedule is current", () => {
  it("is the first Monday of April from 08:00 Stockholm summer time until October's", () => {
    expect(latestReportRun(APRIL_OCTOBER, LONG_AGO, new Date("2017-04-03T05:59:00Z"))?.period).toBe(
      "2016-10-03",
    );
    expect(latestReportRun(APRIL_OCTOBER, LONG_AGO, new Date("2017-04-03T06:00:00Z"))).toEqual({
      period: "2017-04-03",
      scheduledAt: new Date("2017-04-03T06:00:00Z"),
    });
    expect(latestReportRun(APRIL_OCTOBER, LONG_AGO, new Date("2017-09-30T12:00:00Z"))?.period).toBe(
      "2017-04-03",
    );
    // October is winter time again by the first Monday of November, but 2 October 2017 is still CEST.
    expect(latestReportRun(APRIL_OCTOBER, LONG_AGO, new Date("2017-10-02T06:00:00Z"))?.period).toBe(
      "2017-10-02",
    );
  });

  it("owes nothing for a run before the schedule was set", () => {
    const setInMay = new Date("2017-05-10T09:00:00Z");
    expect(latestReportRun(APRIL_OCTOBER, setInMay, new Date("2017-06-01T09:00:00Z"))).toBeNull();
    expect(latestReportRun(APRIL_OCTOBER, setInMay, new Date("2017-10-02T06:00:00Z"))?.period).toBe(
      "2017-10-02",
    );
  });

  it("is said in Swedish as it is typed", () => {
    expect(describeReportSchedule(APRIL_OCTOBER)).toBe("första måndagen i april och oktober kl. 08:00");
    expect(describeReportSchedule({ ordinal: -1, weekday: 5, months: [3, 6, 9], time: "13:15" })).toBe(
      "sista fredagen i mars, juni och september kl. 13:15",
    );
  });
});

describe("/arende rapport …, as typed", () => {
  const request = (text: string) => {
    const parsed = parseReportCommand(text);
    if (!parsed.ok) throw new Error(say(parsed.error));
    return parsed.request;
  };
  const problem = (text: string) => {
    const parsed = parseReportCommand(text);
    if (parsed.ok) throw new Error(`expected ${text} to be refused`);
    return say(parsed.error);
  };

  it("reads the report now, as of today or of a given day", () => {
    expect(request("motioner")).toEqual({ type: "share", per: undefined });
    expect(request("Motioner per 2017-04-03")).toEqual({ type: "share", per: "2017-04-03" });
  });

  it("reads a schedule in plain Swedish, with the time optional", () => {
    expect(request("motioner schema första måndagen i april och oktober")).toEqual({
      type: "schedule",
      schedule: APRIL_OCTOBER,
    });
    expect(request("motioner schema sista fredagen i september, mars och juni kl. 9.30")).toEqual({
      type: "schedule",
      schedule: { ordinal: -1, weekday: 5, months: [3, 6, 9], time: "09:30" },
    });
    expect(request("motioner schema 2:a tis i jan kl 13:00")).toEqual({
      type: "schedule",
      schedule: { ordinal: 2, weekday: 2, months: [1], time: "13:00" },
    });
    expect(request("motioner schema")).toEqual({ type: "show_schedule" });
    expect(request("motioner schema avsluta")).toEqual({ type: "unschedule" });
  });

  it("says what was wrong and what to type instead", () => {
    expect(problem("interpellationer")).toContain("Det finns ingen rapport «interpellationer»");
    expect(problem("motioner per igår")).toContain("«igår» är inget datum");
    expect(problem("motioner schema femte måndagen i april")).toContain("«femte» är ingen");
    expect(problem("motioner schema första dagen i april")).toContain("«dagen» är ingen veckodag");
    expect(problem("motioner schema första måndagen")).toContain("ange minst en månad");
    expect(problem("motioner schema första måndagen i april kl. 25:00")).toContain(
      "«25:00» är ingen månad eller tid",
    );
    expect(problem("motioner snart")).toContain("Förstår inte «snart»");
  });
});
