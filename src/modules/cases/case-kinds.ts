import { caseKind, caseStatus } from "../../db/schema.js";

/**
 * Case kinds and statuses, derived from the schema's enums: the one place the code learns which there
 * are, which are finished and what they are called in Swedish. The records below are keyed by every
 * enum value, so a value added to the schema fails the typecheck here until it is given a label and
 * a place.
 */

export type CaseKind = (typeof caseKind.enumValues)[number];
export type CaseStatus = (typeof caseStatus.enumValues)[number];

export const CASE_KINDS: readonly CaseKind[] = caseKind.enumValues;
export const CASE_STATUSES: readonly CaseStatus[] = caseStatus.enumValues;

export const KIND_LABELS: Record<CaseKind, string> = {
  skrivelse: "Skrivelse",
  motion: "Motion",
  medborgarforslag: "Medborgarförslag",
  interpellation: "Interpellation",
  external_referral: "Remiss från extern part",
  other: "Övrigt ärende",
};

export const STATUS_LABELS: Record<CaseStatus, string> = {
  initiated: "Registrerat",
  in_progress: "Under beredning",
  on_hold: "Vilande",
  open: "Öppet",
  prepared: "Färdigberett",
  received: "Inkommet",
  expedited: "Expedierat",
  closed: "Avslutat",
  ad_acta: "Avskrivet",
  obliterated: "Gallrat",
};

/**
 * A finished case needs nothing more: its deadlines are met, no reminder goes out for its remisser,
 * and its card tells how it ended.
 */
const FINISHED: Record<CaseStatus, boolean> = {
  initiated: false,
  in_progress: false,
  on_hold: false,
  open: false,
  prepared: false,
  received: false,
  expedited: true,
  closed: true,
  ad_acta: true,
  obliterated: true,
};

export const FINISHED_STATUSES: readonly CaseStatus[] = CASE_STATUSES.filter((status) => FINISHED[status]);

export function isFinished(status: CaseStatus): boolean {
  return FINISHED[status];
}

/**
 * Kinds whose decision the law times: a motion or medborgarförslag is decided within a year of
 * being raised (kommunallagen 5 kap. 35 §).
 */
const STATUTORY: Record<CaseKind, boolean> = {
  skrivelse: false,
  motion: true,
  medborgarforslag: true,
  interpellation: false,
  external_referral: false,
  other: false,
};

export const STATUTORY_KINDS: readonly CaseKind[] = CASE_KINDS.filter((kind) => STATUTORY[kind]);

export function hasStatutoryDeadline(kind: CaseKind): boolean {
  return STATUTORY[kind];
}
