import { describe, expect, it } from "vitest";
import {
  DEFAULT_DEADLINE_RULES,
  deadlineStanding,
  planCaseDeadline,
  statedDueDateWarning,
} from "../../src/modules/deadlines/deadline-rules.js";

const rules = DEFAULT_DEADLINE_RULES;

describe("the deadline of a case, by kind", () => {
  it("gives a motion the statutory one-year target, labelled as law", () => {
    const plan = planCaseDeadline({ kind: "motion", raisedOn: "2016-10-26", receivedOn: null }, rules);
    expect(plan).toEqual({
      type: "deadline",
      deadline: {
        kind: "statutory",
        dueOn: "2017-10-26",
        basis: "Lagstadgat mål: beslut inom ett år från att motionen väcktes (kommunallagen 5 kap. 35 §).",
      },
    });
  });

  it("moves a statutory period ending on midsommarafton to the next weekday, and says why", () => {
    const plan = planCaseDeadline(
      { kind: "medborgarforslag", raisedOn: "2016-06-23", receivedOn: null },
      rules,
    );
    expect(plan.type === "deadline" && plan.deadline.dueOn).toBe("2017-06-26");
    expect(plan.type === "deadline" && plan.deadline.basis).toContain(
      "Sista dagen 2017-06-23 är midsommarafton och flyttas enligt lag (1930:173).",
    );
  });

  it("counts a motion raised on a leap day to the last day of February", () => {
    const plan = planCaseDeadline({ kind: "motion", raisedOn: "2024-02-29", receivedOn: null }, rules);
    expect(plan.type === "deadline" && plan.deadline.dueOn).toBe("2025-02-28");
  });

  it("gives a skrivelse the local policy period, labelled as policy and not law", () => {
    const plan = planCaseDeadline({ kind: "skrivelse", raisedOn: "2016-10-26", receivedOn: null }, rules);
    expect(plan).toEqual({
      type: "deadline",
      deadline: {
        kind: "policy",
        dueOn: "2017-01-26",
        basis: "Lokal policy, inte lag: skrivelser besvaras inom 3 månader.",
      },
    });
  });

  it("follows the installation's own policy period", () => {
    const plan = planCaseDeadline(
      { kind: "skrivelse", raisedOn: "2016-10-26", receivedOn: "2016-10-28" },
      { ...rules, skrivelseMonths: 6 },
    );
    expect(plan.type === "deadline" && plan.deadline.dueOn).toBe("2017-04-28");
  });

  it("says a deadline cannot be computed when the start date is unknown, instead of guessing", () => {
    expect(planCaseDeadline({ kind: "motion", raisedOn: null, receivedOn: null }, rules)).toEqual({
      type: "unknown_start",
      reason: "Datum då motionen väcktes är okänt; ingen tidsfrist kan beräknas.",
    });
  });

  it("sets no computed deadline for kinds without a rule", () => {
    expect(planCaseDeadline({ kind: "other", raisedOn: "2017-01-01", receivedOn: null }, rules)).toEqual({
      type: "none",
    });
  });
});

describe("stated remiss due dates", () => {
  it("flags a stated date on a non-working day without moving it", () => {
    expect(statedDueDateWarning("2017-06-23")).toBe("svarsdatumet infaller på midsommarafton");
    expect(statedDueDateWarning("2026-03-28")).toBe("svarsdatumet infaller på en lördag");
    expect(statedDueDateWarning("2017-03-31")).toBeNull();
  });
});

describe("whether a deadline is met", () => {
  const due = { dueOn: "2017-03-31", metOn: null };

  it("counts overdue days in calendar days from the day after the due date", () => {
    expect(deadlineStanding({ ...due, state: "open" }, "2017-04-03")).toEqual({
      state: "overdue",
      overdueDays: 3,
    });
    expect(deadlineStanding({ ...due, state: "open" }, "2017-03-31")).toEqual({ state: "open", daysLeft: 0 });
  });

  it("counts across the spring daylight-saving change without losing a day", () => {
    expect(deadlineStanding({ dueOn: "2026-03-28", metOn: null, state: "open" }, "2026-03-30")).toEqual({
      state: "overdue",
      overdueDays: 2,
    });
  });

  it("is met once answered, however late today is", () => {
    expect(deadlineStanding({ ...due, state: "met", metOn: "2017-03-30" }, "2026-11-22")).toEqual({
      state: "met",
      metOn: "2017-03-30",
    });
  });
});
