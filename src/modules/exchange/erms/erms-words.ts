import type { CaseKind } from "../../cases/case-kinds.js";

/**
 * The words the ERMS reader and writer share. CITS ERMS leaves record types, action types and level
 * names free text, so a Swedish diarium writes them in Swedish; the reader also takes the English
 * words and the writer writes the Swedish ones, so an export reads back as it was.
 */

export const ERMS_NAMESPACE = "https://DILCIS.eu/XML/ERMS";

export type TimelineKind = "preparation" | "proposal" | "decision" | "dissent" | "statement";

export const TIMELINE_WORDS: Record<TimelineKind, string> = {
  preparation: "Beredning",
  proposal: "Förslag",
  decision: "Beslut",
  dissent: "Reservation",
  statement: "Särskilt uttalande",
};

const TIMELINE_READ: [RegExp, TimelineKind][] = [
  [/^(förslag|forslag|proposal|förslag till beslut)$/iu, "proposal"],
  [/^(beslut|decision|protokollsutdrag)$/iu, "decision"],
  [/^(reservation|dissent)$/iu, "dissent"],
  [/^(särskilt uttalande|sarskilt uttalande|statement|special statement)$/iu, "statement"],
  [/^(beredning|preparation)$/iu, "preparation"],
];

export function timelineKindOf(word: string | null): TimelineKind | null {
  if (word === null) return null;
  return TIMELINE_READ.find(([pattern]) => pattern.test(word.trim()))?.[1] ?? null;
}

/** levelName of a case file, as the writer writes it. */
export const KIND_WORDS: Record<CaseKind, string> = {
  skrivelse: "Skrivelse",
  motion: "Motion",
  medborgarforslag: "Medborgarförslag",
  interpellation: "Interpellation",
  external_referral: "Remiss",
  other: "Ärende",
};

const KIND_READ: [RegExp, CaseKind][] = [
  [/^skrivelse/iu, "skrivelse"],
  [/^motion/iu, "motion"],
  [/^medborgarf(ö|o)rslag/iu, "medborgarforslag"],
  [/^interpellation/iu, "interpellation"],
  [/^(remiss|external_referral)/iu, "external_referral"],
];

/** The case kind a word begins with: "Motion 2016:114", "Skrivelse om …"; null for none. */
export function kindOf(word: string | null): CaseKind | null {
  if (word === null) return null;
  return KIND_READ.find(([pattern]) => pattern.test(word.trim()))?.[1] ?? null;
}

export const REMISS_RECORD_TYPE = "Remiss";
export const RESPONSE_RECORD_TYPE = "Remissvar";
export const DECLINED_RECORD_TYPE = "Remissvar, avstår";
export const APPROVED_ACTION = "Godkännande";
export const REJECTED_ACTION = "Avslag";
export const WITHDRAWN_ACTION = "Återkallelse";

export const isRemissWord = (word: string | null) => word !== null && /remiss(?!svar)/iu.test(word);
export const isDeclinedWord = (word: string | null) => word !== null && /avst(å|a)r|declined/iu.test(word);

export function decisionOf(actionType: string | null): "approved" | "rejected" | "withdrawn" | null {
  if (actionType === null) return null;
  if (/^(godkänn|godkann|approv)/iu.test(actionType.trim())) return "approved";
  if (/^(avslag|avslå|avsla|reject)/iu.test(actionType.trim())) return "rejected";
  if (/^(återkall|aterkall|withdraw)/iu.test(actionType.trim())) return "withdrawn";
  return null;
}

/** Title types that name the title a public register may show. */
export const isPublicTitleType = (type: string | null) =>
  type !== null && /^(public|offentlig( titel)?|publik)$/iu.test(type.trim());

export const OUTCOME_NOTE = "utfall";
export const isOutcomeNote = (type: string | null) =>
  type !== null && /^(utfall|outcome)$/iu.test(type.trim());

/** idNumberType of the ids the writer adds to agents, so they come back as they were. */
export const SLACK_ID_TYPE = "slack";
export const BODY_CODE_TYPE = "organ";
/** identificationType of the registry an aggregation belongs to. */
export const REGISTRY_ID_TYPE = "diarium";
