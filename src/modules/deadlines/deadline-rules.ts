import type { CaseKind } from "../cases/case-details.js";
import { addMonths, daysBetween } from "../shared/calendar.js";
import { swedishWeekday } from "../shared/swedish-time.js";
import { nonWorkingReason, statutoryPeriodEnd } from "./working-days.js";

/**
 * The deadline rules of one installation, in one place. Motions and medborgarförslag have a
 * statutory target; skrivelser only a local policy, which municipalities set differently.
 */
export type DeadlineRules = {
  /** Kommunallagen 5 kap. 35 §: prepared so that the council can decide within a year. */
  motionMonths: number;
  /** Local policy, not law. */
  skrivelseMonths: number;
};

export const DEFAULT_DEADLINE_RULES: DeadlineRules = { motionMonths: 12, skrivelseMonths: 3 };

export type PlannedDeadline = { kind: "statutory" | "policy" | "custom"; dueOn: string; basis: string };

export type DeadlinePlan =
  | { type: "deadline"; deadline: PlannedDeadline }
  /** The rule applies, but the day it counts from is not known: say so rather than guess. */
  | { type: "unknown_start"; reason: string }
  | { type: "none" };

const months = (count: number) => (count === 12 ? "ett år" : `${count} ${count === 1 ? "månad" : "månader"}`);

/**
 * The decision deadline the registry itself states for a case (FGS/ERMS decision_deadline), kept as
 * stated like a remiss's due date. It stands beside the statutory or policy deadline, never in its
 * place: the law's year for a motion holds whatever date a registry has noted.
 */
export function planStatedDeadline(subject: { decisionDueOn?: string | null }): PlannedDeadline | null {
  if (!subject.decisionDueOn) return null;
  return { kind: "custom", dueOn: subject.decisionDueOn, basis: "Beslutsfrist enligt diariet." };
}

export function planCaseDeadline(
  subject: { kind: CaseKind; raisedOn: string | null; receivedOn: string | null },
  rules: DeadlineRules,
): DeadlinePlan {
  switch (subject.kind) {
    case "motion":
    case "medborgarforslag": {
      const noun = subject.kind === "motion" ? "motionen" : "medborgarförslaget";
      if (!subject.raisedOn) {
        return {
          type: "unknown_start",
          reason: `Datum då ${noun} väcktes är okänt; ingen tidsfrist kan beräknas.`,
        };
      }
      const periodEnd = addMonths(subject.raisedOn, rules.motionMonths);
      const dueOn = statutoryPeriodEnd(periodEnd);
      const moved =
        dueOn === periodEnd
          ? ""
          : ` Sista dagen ${periodEnd} är ${nonWorkingReason(periodEnd)} och flyttas enligt lag (1930:173).`;
      return {
        type: "deadline",
        deadline: {
          kind: "statutory",
          dueOn,
          basis: `Lagstadgat mål: beslut inom ${months(rules.motionMonths)} från att ${noun} väcktes (kommunallagen 5 kap. 35 §).${moved}`,
        },
      };
    }
    case "skrivelse": {
      const start = subject.receivedOn ?? subject.raisedOn;
      if (!start) {
        return {
          type: "unknown_start",
          reason: "Datum för skrivelsen är okänt; ingen tidsfrist kan beräknas.",
        };
      }
      return {
        type: "deadline",
        deadline: {
          kind: "policy",
          dueOn: addMonths(start, rules.skrivelseMonths),
          basis: `Lokal policy, inte lag: skrivelser besvaras inom ${months(rules.skrivelseMonths)}.`,
        },
      };
    }
    default:
      return { type: "none" };
  }
}

/** A remiss's due date is kept as stated; a stated day the office is closed is only pointed out. */
export function statedDueDateWarning(dueOn: string): string | null {
  const reason = nonWorkingReason(dueOn);
  if (!reason) return null;
  const weekend = reason === swedishWeekday(6) || reason === swedishWeekday(7);
  return `svarsdatumet infaller på ${weekend ? `en ${reason}` : reason}`;
}

export type DeadlineStanding =
  | { state: "met"; metOn: string | null }
  | { state: "cancelled" }
  | { state: "open"; daysLeft: number }
  | { state: "overdue"; overdueDays: number };

/** Met when the case is closed or the referral answered; otherwise counted in Stockholm calendar days. */
export function deadlineStanding(
  deadline: { dueOn: string; state: "open" | "met" | "cancelled"; metOn: string | null },
  today: string,
): DeadlineStanding {
  if (deadline.state === "cancelled") return { state: "cancelled" };
  if (deadline.state === "met") return { state: "met", metOn: deadline.metOn };
  const days = daysBetween(deadline.dueOn, today);
  return days > 0
    ? { state: "overdue", overdueDays: days }
    : { state: "open", daysLeft: daysBetween(today, deadline.dueOn) };
}
