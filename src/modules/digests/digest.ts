import type { CaseKind } from "../cases/case-details.js";

/** Which cases a channel's digest covers; an empty list or null means all. */
export type DigestFilter = { caseKinds: CaseKind[] | null; bodyIds: number[] | null };

export const ALL_CASES: DigestFilter = { caseKinds: null, bodyIds: null };

/** What an overdue item is late against. */
export type OverdueKind = "skrivelse_policy" | "motion_statutory" | "referral_due";

export type DigestItem = {
  caseId: number;
  /** "Dnr 108-1642/2017", or another identifier when the case has no dnr. */
  label: string;
  /** Always the public title: a digest is posted in a channel. */
  publicTitle: string;
  overdueKind: OverdueKind;
  dueOn: string;
  overdueDays: number;
  /** Names of the bodies whose answers are missing: the referral's body, or the case's open referrals. */
  missing: string[];
  officerName: string | null;
  officerSlackUserId: string | null;
};

export type DigestGroup = { body: { id: number; name: string } | null; items: DigestItem[] };

export type Digest = {
  /** The Stockholm calendar day the digest is counted as of. */
  today: string;
  total: number;
  /** Overdue now minus overdue seven days earlier. */
  changeSinceLastWeek: number;
  /** Overdue counts as of today and the seven weeks before it, oldest first (8 values). */
  trend: number[];
  /** Grouped by responsible body; within a group most overdue first. */
  groups: DigestGroup[];
};
