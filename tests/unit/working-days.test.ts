import { describe, expect, it } from "vitest";
import { nonWorkingReason, statutoryPeriodEnd } from "../../src/modules/deadlines/working-days.js";
import { addMonths } from "../../src/modules/shared/calendar.js";

describe("Lag (1930:173): a period ending on a non-working day ends on the next weekday", () => {
  it.each([
    ["2017-06-23", "2017-06-26"], // midsommarafton (Friday) → Monday
    ["2024-12-24", "2024-12-27"], // julafton, juldagen, annandag jul → Friday
    ["2025-12-31", "2026-01-02"], // nyårsafton, nyårsdagen → Friday
    ["2026-04-03", "2026-04-07"], // långfredagen, påskafton, påskdagen, annandag påsk → Tuesday
    ["2026-03-28", "2026-03-30"], // Saturday before the spring clock change → Monday
    ["2026-10-24", "2026-10-26"], // Saturday before the autumn clock change → Monday
  ])("%s ends on %s", (day, expected) => {
    expect(statutoryPeriodEnd(day)).toBe(expected);
  });

  it("leaves a working day as it is", () => {
    expect(statutoryPeriodEnd("2017-03-31")).toBe("2017-03-31");
  });

  it("says why a day is not a working day", () => {
    expect(nonWorkingReason("2017-06-23")).toBe("midsommarafton");
    expect(nonWorkingReason("2026-04-03")).toBe("långfredagen");
    expect(nonWorkingReason("2026-11-22")).toBe("söndag");
    expect(nonWorkingReason("2026-11-21")).toBe("lördag");
    expect(nonWorkingReason("2026-11-23")).toBeNull();
  });

  it("treats the eves that are not named in the law as working days", () => {
    expect(nonWorkingReason("2026-04-30")).toBeNull(); // valborgsmässoafton
    expect(nonWorkingReason("2026-01-05")).toBeNull(); // trettondagsafton
  });
});

describe("periods in months and years", () => {
  it("lands on the same date number", () => {
    expect(addMonths("2016-10-26", 12)).toBe("2017-10-26");
    expect(addMonths("2017-01-13", 3)).toBe("2017-04-13");
  });

  it("uses the last day of a shorter month, leap days included", () => {
    expect(addMonths("2016-02-29", 12)).toBe("2017-02-28");
    expect(addMonths("2023-11-30", 3)).toBe("2024-02-29");
    expect(addMonths("2026-08-31", 1)).toBe("2026-09-30");
  });

  it("crosses year ends", () => {
    expect(addMonths("2026-11-22", 3)).toBe("2027-02-22");
    expect(addMonths("2026-12-31", 12)).toBe("2027-12-31");
  });
});
