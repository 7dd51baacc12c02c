import { type Audience, audienceFor, IN_CHANNEL } from "../cases/audience.js";
import type { CaseDetails } from "../cases/case-details.js";
import { hasStatutoryDeadline, isFinished, KIND_LABELS, STATUS_LABELS } from "../cases/case-kinds.js";
import { caseLabel, describeStage } from "../cases/present-case.js";
import { type DeadlineRules, planCaseDeadline } from "../deadlines/deadline-rules.js";
import { daysBetween } from "../shared/calendar.js";

/**
 * The report to the council on motions and medborgarförslag not decided within a year of being raised
 * (kommunallagen 5 kap. 35 §), "redovisning av obesvarade motioner", as of one day (`per`).
 */

export type MotionReportRow = {
  caseId: number;
  /** "Dnr 108-1642/2017", or the series number ("Motion 2016:114") when the case has no dnr. */
  number: string;
  kind: string;
  /** The public title when the reader may not see the case in full. */
  title: string;
  /** "Isabel Smedberg Palmqvist (L)"; null when withheld (a restricted case read in a channel) or unknown. */
  authors: string | null;
  parties: string | null;
  raisedOn: string | null;
  responsibleBody: string | null;
  stage: string;
  referralsAnswered: number;
  referralsOutstanding: number;
  /** Days from the end of the year (the statutory deadline) to `per`; null when the raised date is unknown. */
  daysPastYear: number | null;
  /** The last day of the year, moved to a weekday as lag (1930:173) says; null when unknown. */
  yearEndsOn: string | null;
  restricted: boolean;
  audience: Audience;
};

export type MotionReport = {
  per: string;
  motionMonths: number;
  /** Past the year on `per`, most days past first. */
  overdue: MotionReportRow[];
  /**
   * Not decided, but the day they were raised is not in the registry, so whether the year has passed
   * cannot be told: listed apart, never counted as late or on time (nothing is guessed).
   */
  unknownRaisedOn: MotionReportRow[];
};

/** Who reads the report: a channel (restricted cases public only) or someone who sees everything. */
export type ReportReader = "channel" | "everything";

/**
 * The selection rule, pure: a motion or medborgarförslag raised on or before `per`, not decided on
 * `per` (still open, or closed only after it), whose statutory year had ended before `per`.
 */
export function selectMotionReport(
  candidates: readonly CaseDetails[],
  { per, rules, reader }: { per: string; rules: DeadlineRules; reader: ReportReader },
): MotionReport {
  const overdue: MotionReportRow[] = [];
  const unknownRaisedOn: MotionReportRow[] = [];
  for (const details of candidates) {
    if (!hasStatutoryDeadline(details.kind) || decidedBy(details, per)) continue;
    if (details.raisedOn && details.raisedOn > per) continue;
    const plan = planCaseDeadline(details, rules);
    if (plan.type === "unknown_start") {
      unknownRaisedOn.push(reportRow(details, { per, reader, yearEndsOn: null, daysPastYear: null }));
      continue;
    }
    if (plan.type !== "deadline") continue;
    const daysPast = daysBetween(plan.deadline.dueOn, per);
    if (daysPast <= 0) continue;
    overdue.push(
      reportRow(details, { per, reader, yearEndsOn: plan.deadline.dueOn, daysPastYear: daysPast }),
    );
  }
  overdue.sort(
    (a, b) => (b.daysPastYear ?? 0) - (a.daysPastYear ?? 0) || a.number.localeCompare(b.number, "sv"),
  );
  unknownRaisedOn.sort((a, b) => a.number.localeCompare(b.number, "sv"));
  return { per, motionMonths: rules.motionMonths, overdue, unknownRaisedOn };
}

/** Decided on `per`: finished, and (when the registry says when) finished on or before it. */
function decidedBy(details: CaseDetails, per: string): boolean {
  if (!isFinished(details.status)) return false;
  return details.closedOn === null || details.closedOn <= per;
}

function reportRow(
  details: CaseDetails,
  {
    per,
    reader,
    yearEndsOn,
    daysPastYear,
  }: { per: string; reader: ReportReader; yearEndsOn: string | null; daysPastYear: number | null },
): MotionReportRow {
  // A channel is read by many: a restricted case shows what the public register holds (OSL 5 kap.):
  // its number, public title and dates; the author (the sender) and what the case holds are left out.
  const audience: Audience = reader === "everything" ? "full" : audienceFor(IN_CHANNEL, details);
  const full = audience === "full";
  const counted = details.referrals.filter((referral) => referral.state !== "withdrawn");
  return {
    caseId: details.id,
    number: caseLabel(details),
    kind: KIND_LABELS[details.kind],
    title: full ? details.title : details.publicTitle,
    authors:
      full && details.raisedBy.length > 0 ? details.raisedBy.map((person) => person.name).join(", ") : null,
    parties: full ? partiesOf(details) : null,
    raisedOn: details.raisedOn,
    responsibleBody: details.responsibleBody?.name ?? null,
    stage: full ? describeStage(details, per) : `${STATUS_LABELS[details.status]}.`,
    referralsAnswered: counted.filter(
      (referral) => referral.state === "answered" || referral.state === "declined",
    ).length,
    referralsOutstanding: counted.filter((referral) => referral.state === "open").length,
    daysPastYear,
    yearEndsOn,
    restricted: details.restricted,
    audience,
  };
}

function partiesOf(details: CaseDetails): string | null {
  const parties = [...new Set(details.raisedBy.flatMap((person) => (person.party ? [person.party] : [])))];
  return parties.length > 0 ? parties.join(", ") : null;
}
