import type { CaseKind, CaseStatus } from "../cases/case-details.js";
import { isFinished } from "../cases/case-kinds.js";
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

export type DeadlineState = "open" | "met" | "cancelled";
export type WatchedDeadline = { dueOn: string; basis: string; state: DeadlineState; metOn: string | null };

/**
 * The deadlines a case itself is watched by (its statutory or policy one, and the one its registry
 * states), each met on the day the case was closed once it is finished.
 */
export type DeadlineSubject = {
  kind: CaseKind;
  raisedOn: string | null;
  receivedOn: string | null;
  status: CaseStatus;
  closedOn: string | null;
  decisionDueOn?: string | null;
};

export function caseDeadlines(
  subject: DeadlineSubject,
  rules: DeadlineRules,
): (WatchedDeadline & { kind: PlannedDeadline["kind"] })[] {
  const plan = planCaseDeadline(subject, rules);
  const closed = isFinished(subject.status);
  const planned = [plan.type === "deadline" ? plan.deadline : null, planStatedDeadline(subject)];
  return planned.flatMap((deadline) =>
    deadline === null
      ? []
      : [{ ...deadline, state: closed ? "met" : "open", metOn: closed ? subject.closedOn : null }],
  );
}

/**
 * The referral_due deadline a referral is watched by: open while the referral is, met on its answer's
 * date once answered, cancelled when declined or withdrawn. A referral that no longer states a due
 * date has its watch cancelled, never deleted, and one that never had a watch gets none (null).
 */
export function referralDeadline(
  referral: {
    dueOn?: string | null;
    dueStatement?: string | null;
    state?: "open" | "answered" | "declined" | "withdrawn";
    answeredOn?: string | null;
  },
  watch: WatchedDeadline | null,
): WatchedDeadline | null {
  const dueOn = referral.dueOn ?? null;
  if (dueOn === null) {
    if (watch === null || watch.state === "cancelled") return null;
    return { dueOn: watch.dueOn, basis: watch.basis, state: "cancelled", metOn: null };
  }
  const state = referral.state ?? "open";
  return {
    dueOn,
    basis: referral.dueStatement ?? `Svarsdatum enligt remissen: ${dueOn}`,
    state: state === "answered" ? "met" : state === "open" ? "open" : "cancelled",
    metOn: state === "answered" ? (referral.answeredOn ?? null) : null,
  };
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
  deadline: { dueOn: string; state: DeadlineState; metOn: string | null },
  today: string,
): DeadlineStanding {
  if (deadline.state === "cancelled") return { state: "cancelled" };
  if (deadline.state === "met") return { state: "met", metOn: deadline.metOn };
  const days = daysBetween(deadline.dueOn, today);
  return days > 0
    ? { state: "overdue", overdueDays: days }
    : { state: "open", daysLeft: daysBetween(today, deadline.dueOn) };
}
