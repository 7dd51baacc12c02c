import { formatSwedishDate, joinSwedish } from "../cases/present-case.js";
import { DEFAULT_DEADLINE_RULES, type DeadlineRules } from "../deadlines/deadline-rules.js";
import type { Digest, DigestItem, OverdueKind } from "./digest.js";

/**
 * What a digest says, in Swedish, independent of where it is shown: Slack (Block Kit) and the terminal
 * render this same model. Every string here is plain text from the registry and our wording; the
 * renderers escape it for their medium. Only `officer.mention` is markup, and it is built here from a
 * validated Slack user id, never from registry text.
 */
export type DigestPresentation = {
  today: string;
  /** "3 april 2017" */
  date: string;
  empty: boolean;
  /** "Inga försenade ärenden den 3 april 2017." */
  emptyLine: string;
  /** "12 försenade ärenden, 3 fler än förra veckan" */
  headline: string;
  /** "Läget den 3 april 2017" */
  asOf: string;
  /** "▁▂▃▄▅▆▇█", oldest week first. */
  sparkline: string;
  /** "Senaste 8 veckorna: ▁▂▃▄▅▆▇█ (från 4 till 12)" */
  trendLine: string;
  groups: PresentedGroup[];
};

export type PresentedGroup = {
  /** Identifies the group across split messages; the body's id, or null for cases without one. */
  bodyId: number | null;
  /** The body's name, or "Utan ansvarigt organ". */
  name: string;
  items: PresentedItem[];
};

export type PresentedItem = {
  caseId: number;
  /** "Dnr 108-1642/2017" */
  label: string;
  publicTitle: string;
  /** "försenad 12 dagar (lokal policy, 3 månader)" */
  status: string;
  /** "Svar saknas från Bromma stadsdelsnämnd och socialnämnden", or null when nothing is missing. */
  missing: string | null;
  officer: { mention: string | null; name: string | null } | null;
};

export const NO_BODY_NAME = "Utan ansvarigt organ";
export const LATE_NOTICE = "Sent utskick: boten var nere vid schemalagd tid.";

const SPARK = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"] as const;

/** Slack user (U…) and enterprise user (W…) ids; anything else is not turned into a mention. */
const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const plural = (count: number, one: string, many: string) => (count === 1 ? one : many);

/** "12 försenade ärenden", "1 försenat ärende", "Inga försenade ärenden". */
export function overdueCount(total: number): string {
  if (total === 0) return "Inga försenade ärenden";
  return `${total} ${plural(total, "försenat ärende", "försenade ärenden")}`;
}

/** "3 fler än förra veckan", "2 färre än förra veckan", "lika många som förra veckan". */
export function changeText(change: number): string {
  if (change > 0) return `${change} fler än förra veckan`;
  if (change < 0) return `${-change} färre än förra veckan`;
  return "lika många som förra veckan";
}

export function headline(digest: Pick<Digest, "total" | "changeSinceLastWeek">): string {
  return `${overdueCount(digest.total)}, ${changeText(digest.changeSinceLastWeek)}`;
}

/**
 * One bar per week, from the lowest count (▁) to the highest (█), so a change from 480 to 500 shows
 * as a direction and not as eight full bars; the trend line names both ends in numbers. Eight equal
 * weeks are a flat line: ▁▁▁▁▁▁▁▁ when nothing was overdue, ▄▄▄▄▄▄▄▄ otherwise.
 */
export function sparkline(counts: readonly number[]): string {
  const min = Math.min(...counts);
  const max = Math.max(...counts);
  return counts
    .map((count) => {
      if (max === min) return max > 0 ? SPARK[3] : SPARK[0];
      return SPARK[Math.round(((count - min) / (max - min)) * (SPARK.length - 1))];
    })
    .join("");
}

const months = (count: number) => (count === 12 ? "ett år" : `${count} ${plural(count, "månad", "månader")}`);

/** The short basis of an item: law, local policy or the remiss's own date. */
export function basisLabel(kind: OverdueKind, rules: DeadlineRules = DEFAULT_DEADLINE_RULES): string {
  switch (kind) {
    case "motion_statutory":
      return `lagstadgat mål, ${months(rules.motionMonths)}`;
    case "skrivelse_policy":
      return `lokal policy, ${months(rules.skrivelseMonths)}`;
    case "referral_due":
      return "remissens svarsdatum";
  }
}

/** "försenad 12 dagar (lokal policy, 3 månader)"; a remiss names its date: "(remissens svarsdatum 31 mars 2017)". */
export function itemStatus(
  item: Pick<DigestItem, "overdueKind" | "overdueDays" | "dueOn">,
  rules: DeadlineRules = DEFAULT_DEADLINE_RULES,
): string {
  const days = `${item.overdueDays} ${plural(item.overdueDays, "dag", "dagar")}`;
  const basis =
    item.overdueKind === "referral_due"
      ? `${basisLabel(item.overdueKind, rules)} ${formatSwedishDate(item.dueOn)}`
      : basisLabel(item.overdueKind, rules);
  return `försenad ${days} (${basis})`;
}

/**
 * A case referred to dozens of bodies names the first ones and counts the rest ("… och 5 till"), so a
 * long list is never cut silently: at most ten names and about 600 characters of them.
 */
export const MISSING_NAMES_SHOWN = 10;
const MISSING_NAMES_CHARS = 600;

/** "Svar saknas från Bromma stadsdelsnämnd och socialnämnden"; null when no answer is missing. */
export function missingText(missing: readonly string[]): string | null {
  if (missing.length === 0) return null;
  const shown: string[] = [];
  let length = 0;
  for (const name of missing.slice(0, MISSING_NAMES_SHOWN)) {
    if (shown.length > 0 && length + name.length > MISSING_NAMES_CHARS) break;
    const fitted = shorten(name, MISSING_NAMES_CHARS);
    shown.push(fitted);
    length += fitted.length + 2;
  }
  const rest = missing.length - shown.length;
  return rest === 0
    ? `Svar saknas från ${joinSwedish(shown)}`
    : `Svar saknas från ${shown.join(", ")} och ${rest} till`;
}

/** Cuts plain text at a word boundary and says so with an ellipsis. */
function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).trimEnd()}…`;
}

/** A Slack mention for a known, well-formed Slack user id; otherwise null and the name is shown. */
export function officerMention(slackUserId: string | null): string | null {
  return slackUserId && SLACK_USER_ID.test(slackUserId) ? `<@${slackUserId}>` : null;
}

/** "Dnr 108-1642/2017 Bristerna inom socialtjänsten: försenad 12 dagar (lokal policy, 3 månader)" */
export function itemLine(item: Pick<PresentedItem, "label" | "publicTitle" | "status">): string {
  return `${item.label} ${item.publicTitle}: ${item.status}`;
}

export function presentDigestItem(
  item: DigestItem,
  rules: DeadlineRules = DEFAULT_DEADLINE_RULES,
): PresentedItem {
  const mention = officerMention(item.officerSlackUserId);
  return {
    caseId: item.caseId,
    label: item.label,
    publicTitle: item.publicTitle,
    status: itemStatus(item, rules),
    missing: missingText(item.missing),
    officer: mention || item.officerName ? { mention, name: item.officerName } : null,
  };
}

export function presentDigest(digest: Digest, options: { rules?: DeadlineRules } = {}): DigestPresentation {
  const rules = options.rules ?? DEFAULT_DEADLINE_RULES;
  const date = formatSwedishDate(digest.today);
  const spark = sparkline(digest.trend);
  const first = digest.trend[0] ?? 0;
  const last = digest.trend[digest.trend.length - 1] ?? 0;
  return {
    today: digest.today,
    date,
    empty: digest.total === 0,
    emptyLine: `Inga försenade ärenden den ${date}.`,
    headline: headline(digest),
    asOf: `Läget den ${date}`,
    sparkline: spark,
    trendLine: `Senaste ${digest.trend.length} veckorna: ${spark} (från ${first} till ${last})`,
    groups: digest.groups.map((group) => ({
      bodyId: group.body?.id ?? null,
      name: group.body ? capitalise(group.body.name) : NO_BODY_NAME,
      items: group.items.map((item) => presentDigestItem(item, rules)),
    })),
  };
}
