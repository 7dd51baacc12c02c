import { describe, expect, it } from "vitest";
import {
  addDays,
  addMonths,
  daysBetween,
  isCalendarDay,
  isoWeekday,
} from "../../src/modules/shared/calendar.js";
import { formatCalendarDay, swedishWeekday } from "../../src/modules/shared/swedish-time.js";

describe("calendar dates", () => {
  it("tells a calendar date from text that only looks like one", () => {
    expect(isCalendarDay("2016-02-29")).toBe(true);
    expect(isCalendarDay("2017-02-29")).toBe(false);
    expect(isCalendarDay("2017-02-30")).toBe(false);
    expect(isCalendarDay("2017-4-3")).toBe(false);
    expect(isCalendarDay("2017-04-03T10:00")).toBe(false);
    expect(isCalendarDay("")).toBe(false);
  });

  it("adds days across month ends, leap days and the summer-time change without drifting", () => {
    expect(addDays("2017-03-25", 1)).toBe("2017-03-26");
    expect(addDays("2017-03-26", 1)).toBe("2017-03-27");
    expect(addDays("2016-02-28", 1)).toBe("2016-02-29");
    expect(addDays("2017-12-31", 1)).toBe("2018-01-01");
    expect(addDays("2017-01-01", -1)).toBe("2016-12-31");
  });

  it("ends a period in months on the target month's last day when it lacks the day", () => {
    expect(addMonths("2017-01-31", 1)).toBe("2017-02-28");
    expect(addMonths("2016-02-29", 12)).toBe("2017-02-28");
  });

  it("counts whole days between two dates, negative backwards, across the summer-time change", () => {
    expect(daysBetween("2017-03-25", "2017-03-27")).toBe(2);
    expect(daysBetween("2017-10-28", "2017-10-30")).toBe(2);
    expect(daysBetween("2017-04-03", "2017-03-31")).toBe(-3);
    expect(daysBetween("2016-04-03", "2017-04-03")).toBe(365);
  });

  it("names the day of the week in Swedish, Monday first", () => {
    expect(isoWeekday("2017-04-03")).toBe(1);
    expect(isoWeekday("2017-04-09")).toBe(7);
    expect([1, 2, 3, 4, 5, 6, 7].map((day) => swedishWeekday(day as 1))).toEqual([
      "måndag",
      "tisdag",
      "onsdag",
      "torsdag",
      "fredag",
      "lördag",
      "söndag",
    ]);
  });

  it("writes a date the way officials write it, and leaves what is no date as it came", () => {
    expect(formatCalendarDay("2017-03-31")).toBe("31 mars 2017");
    expect(formatCalendarDay("2017-02-30")).toBe("2017-02-30");
    expect(formatCalendarDay("okänt")).toBe("okänt");
  });
});
