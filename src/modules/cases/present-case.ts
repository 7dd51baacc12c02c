import type { Person } from "../../db/schema.js";
import {
  DEFAULT_DEADLINE_RULES,
  type DeadlineStanding,
  deadlineStanding,
  planCaseDeadline,
  statedDueDateWarning,
} from "../deadlines/deadline-rules.js";
import { daysBetween } from "../shared/calendar.js";
import type { RichText } from "../shared/rich-text.js";
import { formatCalendarDay, formatStockholmDay } from "../shared/swedish-time.js";
import type {
  CaseDeadlineDetails,
  CaseDetails,
  ReferralDetails,
  ResponseDetails,
  TimelineDetails,
} from "./case-details.js";
import { isFinished, KIND_LABELS, STATUS_LABELS } from "./case-kinds.js";

/**
 * What a case card says, in Swedish, independent of where it is shown: Block Kit in Slack and plain
 * text in the terminal render this same model, so the two never disagree.
 */
export type CasePresentation = {
  caseId: number;
  audience: "full" | "public";
  heading: string;
  /** One line for notifications and the `text` fallback of a Slack message. */
  fallbackText: string;
  facts: { label: string; value: string }[];
  stage: string;
  summary: string | null;
  /** `decisions`: who approved or rejected each answer, and when ("Godkänt av <@U…> 3 apr. 2017"). */
  referrals: { line: string; overdueDays: number | null; decisions?: RichText[] }[];
  /** The case's statutory target or local policy deadline, and whether it is met. */
  deadlines: { line: string; overdueDays: number | null }[];
  timeline: { heading: string; text: string }[];
  notice: string | null;
  registryName: string;
};

export const timelineLabels: Record<TimelineDetails["kind"], string> = {
  preparation: "Beredning",
  proposal: "Förslag",
  decision: "Beslut",
  dissent: "Reservation",
  statement: "Särskilt uttalande",
};

export const RESTRICTED_NOTICE = "Ärendet omfattas av sekretess. Här visas endast offentliga uppgifter.";

/** "2017-03-31" → "31 mars 2017", from the platform's Swedish locale data. */
export const formatSwedishDate = formatCalendarDay;

export function caseLabel(details: Pick<CaseDetails, "dnr" | "identifiers" | "id">): string {
  if (details.dnr) return `Dnr ${details.dnr}`;
  return details.identifiers[0] ?? `Ärende ${details.id}`;
}

export function formatPeople(people: Person[]): string {
  const names = people.map((person) => (person.party ? `${person.name} (${person.party})` : person.name));
  return joinSwedish(names);
}

/** "a, b och c", the way a Swedish sentence lists things. */
export function joinSwedish(items: string[]): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} och ${items[items.length - 1]}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function dayOrUnknown(day: string | null): string {
  return day ? formatSwedishDate(day) : "datum okänt";
}

export function overdueDays(
  referral: Pick<ReferralDetails, "state" | "dueOn">,
  today: string,
): number | null {
  if (referral.state !== "open" || !referral.dueOn) return null;
  const days = daysBetween(referral.dueOn, today);
  return days > 0 ? days : null;
}

/** Where the case stands, in one Swedish sentence. */
export function describeStage(details: CaseDetails, today: string): string {
  if (isFinished(details.status)) {
    const decision = [...details.timeline].reverse().find((entry) => entry.kind === "decision" && entry.body);
    const where = decision?.body ? ` i ${decision.body.name}` : "";
    const when = details.closedOn ? ` den ${formatSwedishDate(details.closedOn)}` : "";
    if (details.outcome && /besvarad/i.test(details.outcome)) return `Besvarad${where}${when}.`;
    return `${STATUS_LABELS[details.status]}${where}${when}${details.outcome ? `: ${details.outcome}` : ""}.`;
  }

  const open = details.referrals.filter((referral) => referral.state === "open");
  if (open.length > 0) {
    const answered = details.referrals.filter((referral) => referral.state === "answered").length;
    const names = joinSwedish(open.map((referral) => referral.body.name));
    const dues = open.flatMap((referral) => (referral.dueOn ? [referral.dueOn] : [])).sort();
    const firstDue = dues[0];
    const dueText = firstDue
      ? `, svar senast ${formatSwedishDate(firstDue)}`
      : open.length === 1
        ? ", inget svarsdatum angivet"
        : ", inga svarsdatum angivna";
    const late = open.flatMap((referral) => {
      const days = overdueDays(referral, today);
      return days === null ? [] : [days];
    });
    const lateText = late.length > 0 ? ` Försenat: ${late.length} svar saknas efter sista svarsdag.` : "";
    const answeredText =
      answered > 0 ? ` ${answered} av ${details.referrals.length} remissinstanser har svarat.` : "";
    return `Remitterad till ${names}${dueText}.${answeredText}${lateText}`;
  }

  const proposal = [...details.timeline].reverse().find((entry) => entry.kind === "proposal");
  if (proposal) {
    const by = proposal.body ? ` från ${proposal.body.name}` : "";
    const when = proposal.occurredOn ? ` (${formatSwedishDate(proposal.occurredOn)})` : "";
    return `${STATUS_LABELS[details.status]}: förslag till beslut${by}${when}.`;
  }
  if (details.referrals.length > 0) return `${STATUS_LABELS[details.status]}: alla remissvar har kommit in.`;
  const responsible = details.responsibleBody ? ` hos ${details.responsibleBody.name}` : "";
  return `${STATUS_LABELS[details.status]}${responsible}.`;
}

function referralLine(
  referral: ReferralDetails,
  today: string,
): { line: string; overdueDays: number | null; decisions?: RichText[] } {
  const warning = referral.dueOn ? statedDueDateWarning(referral.dueOn) : null;
  const due = referral.dueOn
    ? `svar senast ${formatSwedishDate(referral.dueOn)}${warning ? ` (${warning})` : ""}`
    : "inget svarsdatum angivet";
  const late = overdueDays(referral, today);
  const response = referral.responses.find((candidate) => candidate.approvalState === "approved");
  const pending = referral.responses.some((candidate) => candidate.approvalState === "pending");
  let state: string;
  switch (referral.state) {
    case "answered": {
      const document = response?.documentTitle ? `${response.documentTitle.toLowerCase()} ` : "";
      const when = referral.answeredOn ?? response?.answeredOn ?? null;
      state = `besvarad${document ? ` med ${document.trim()}` : ""}${when ? ` ${formatSwedishDate(when)}` : ""}`;
      break;
    }
    case "declined":
      state = "avstår från att svara";
      break;
    case "withdrawn":
      state = "återkallad";
      break;
    case "open":
      state = late !== null ? `försenad ${late} ${late === 1 ? "dag" : "dagar"}` : "väntar på svar";
      if (pending) state += " (svar väntar på godkännande)";
      break;
  }
  const several = referral.responses.filter((candidate) => candidate.approvalState !== "pending").length > 1;
  const decisions = referral.responses.flatMap((candidate) => decisionOf(candidate, several));
  return {
    line: `${capitalise(referral.body.name)}: ${due}, ${state}`,
    overdueDays: late,
    ...(decisions.length > 0 ? { decisions } : {}),
  };
}

/** "Godkänt av <@U…> 3 apr. 2017"; nothing when an import gave neither who nor when. */
function decisionOf(response: ResponseDetails, several: boolean): RichText[] {
  if (response.approvalState === "pending") return [];
  const by = response.decidedBySlackUserId ?? response.decidedByName;
  if (!by && !response.decidedAt) return [];
  const text: RichText[number][] = [response.approvalState === "approved" ? "Godkänt" : "Avslaget"];
  if (by) {
    text.push(" av ", {
      person: { slackUserId: response.decidedBySlackUserId, name: response.decidedByName },
    });
  }
  if (response.decidedAt) text.push(` ${formatStockholmDay(response.decidedAt)}`);
  // A remiss answered after a rejection has several decisions: say which answer each was about.
  if (several && response.answeredOn)
    text.push(` (svaret daterat ${formatSwedishDate(response.answeredOn)})`);
  return [text];
}

function standingText(standing: DeadlineStanding): string {
  switch (standing.state) {
    case "met":
      return standing.metOn ? `avslutat ${formatSwedishDate(standing.metOn)}` : "avslutat (datum okänt)";
    case "cancelled":
      return "gäller inte längre";
    case "open":
      return standing.daysLeft === 0
        ? "sista dagen i dag"
        : `${standing.daysLeft} ${standing.daysLeft === 1 ? "dag" : "dagar"} kvar`;
    case "overdue":
      return `försenad ${standing.overdueDays} ${standing.overdueDays === 1 ? "dag" : "dagar"}`;
  }
}

function deadlineLine(
  deadline: CaseDeadlineDetails,
  today: string,
): { line: string; overdueDays: number | null } {
  const standing = deadlineStanding(deadline, today);
  const late =
    standing.state === "met" && standing.metOn !== null && standing.metOn > deadline.dueOn
      ? `, ${daysBetween(deadline.dueOn, standing.metOn)} dagar efter sista dagen`
      : "";
  return {
    line: `${deadline.basis} Senast ${formatSwedishDate(deadline.dueOn)}: ${standingText(standing)}${late}.`,
    overdueDays: standing.state === "overdue" ? standing.overdueDays : null,
  };
}

/** The stored deadline when there is one; otherwise why none could be computed, rather than a guess. */
function deadlineLines(details: CaseDetails, today: string): { line: string; overdueDays: number | null }[] {
  const live = details.deadlines.filter((deadline) => deadline.state !== "cancelled");
  if (live.length > 0) return live.map((deadline) => deadlineLine(deadline, today));
  const plan = planCaseDeadline(details, DEFAULT_DEADLINE_RULES);
  return plan.type === "unknown_start" ? [{ line: plan.reason, overdueDays: null }] : [];
}

function timelineItem(entry: TimelineDetails): { heading: string; text: string } {
  const parts = [timelineLabels[entry.kind]];
  if (entry.body) parts.push(entry.body.name);
  if (entry.occurredOn) parts.push(formatSwedishDate(entry.occurredOn));
  if (entry.reference) parts.push(entry.reference);
  const people = entry.people.length > 0 ? `${formatPeople(entry.people)}: ` : "";
  return { heading: parts.join(" · "), text: `${people}${entry.text}` };
}

export function presentCase(
  details: CaseDetails,
  { today, audience }: { today: string; audience: "full" | "public" },
): CasePresentation {
  const label = caseLabel(details);
  if (audience === "public" && details.restricted) {
    const facts = [{ label: "Diarienummer", value: details.dnr ?? "saknas" }];
    if (details.raisedOn) facts.push({ label: "Väckt", value: formatSwedishDate(details.raisedOn) });
    if (details.receivedOn) facts.push({ label: "Inkom", value: formatSwedishDate(details.receivedOn) });
    if (details.closedOn) facts.push({ label: "Avslutat", value: formatSwedishDate(details.closedOn) });
    return {
      caseId: details.id,
      audience: "public",
      heading: `${label} · ${details.publicTitle}`,
      fallbackText: `${label} ${details.publicTitle}`,
      facts,
      stage: "",
      summary: null,
      referrals: [],
      deadlines: [],
      timeline: [],
      notice: RESTRICTED_NOTICE,
      registryName: details.registry.name,
    };
  }

  const facts: { label: string; value: string }[] = [
    { label: "Ärendetyp", value: KIND_LABELS[details.kind] },
  ];
  const identifiers = [details.dnr ? `Dnr ${details.dnr}` : null, ...details.identifiers].filter(
    (identifier): identifier is string => identifier !== null,
  );
  facts.push({ label: "Beteckningar", value: identifiers.join(", ") });
  if (details.raisedBy.length > 0 || details.raisedOn) {
    const who = details.raisedBy.length > 0 ? formatPeople(details.raisedBy) : "okänd";
    facts.push({ label: "Väckt av", value: `${who}, ${dayOrUnknown(details.raisedOn)}` });
  }
  if (details.addressedTo) facts.push({ label: "Ställd till", value: details.addressedTo.name });
  if (details.responsibleBody) facts.push({ label: "Ansvarig", value: details.responsibleBody.name });
  if (details.officerName) facts.push({ label: "Handläggare", value: details.officerName });
  facts.push({ label: "Status", value: STATUS_LABELS[details.status] });
  if (details.receivedOn) facts.push({ label: "Inkom", value: formatSwedishDate(details.receivedOn) });
  if (details.closedOn) facts.push({ label: "Avslutat", value: formatSwedishDate(details.closedOn) });

  const stage = describeStage(details, today);
  return {
    caseId: details.id,
    audience: "full",
    heading: `${label} · ${details.title}`,
    fallbackText: `${label} ${details.title}: ${stage}`,
    facts,
    stage,
    summary: details.summary,
    referrals: details.referrals.map((referral) => referralLine(referral, today)),
    deadlines: deadlineLines(details, today),
    timeline: details.timeline.map(timelineItem),
    notice: details.restricted ? "Sekretess: visa inte detta kort i en kanal." : null,
    registryName: details.registry.name,
  };
}
